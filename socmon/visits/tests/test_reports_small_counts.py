"""External evaluators never see a count small enough to point at a person (DESIGN "Who sees what")."""

import datetime
import io
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socmon.visits.models import Visit

from .planning_kit import client_at, counted, done, refreshed, service_kind, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


@pytest.fixture
def week():
    today = timezone.localdate()
    return today - datetime.timedelta(days=6), today


@pytest.fixture
def small(world, week):
    """Home Care: 3 done (cleaning ×3, shopping ×1; rated 8, 10, 6), 1 missed, 1 cancelled: 5 visits."""
    start, today = week
    cleaning, shopping = service_kind("cleaning", 45), service_kind("shopping", 30)
    done(world, client_at(world, 43.31, 77.25), day=start, services=[(cleaning, 40), (shopping, 30)], score=8)
    done(world, client_at(world, 43.31, 77.25), day=start, services=[(cleaning, 50)], score=10)
    done(world, client_at(world, 43.31, 77.25), worker=world.bob, day=today, services=[(cleaning, 45)], score=6)
    visit(world, client_at(world, 43.31, 77.25), day=start)  # never checked in: missed
    visit(world, client_at(world, 43.31, 77.25), worker=world.bob, day=today, status=Visit.Status.CANCELLED)
    return week


def rated(world, day, scores):
    for score in scores:
        done(world, client_at(world, 43.31, 77.25), day=day, score=score)


def query(world, start, end):
    return {"date_from": start.isoformat(), "date_to": end.isoformat(), "unit": world.home_care.pk}


def page(client, world, week) -> str:
    counted()
    response = client.get(reverse("visits:report"), query(world, *week))
    assert response.status_code == 200
    return response.content.decode()


def statuses(html: str) -> dict[str, str]:
    table = html[html.index('id="report-statuses"'):]
    table = table[:table.index("</table>")]
    return dict(re.findall(r'<th scope="row" class="govuk-table__header">(.*?)</th>'
                           r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>', table))


def workbook(client, world, week):
    counted()
    response = client.get(reverse("visits:report_export"), query(world, *week))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("staff", ["heidi", "dora", "sam", "ann"])
def test_staff_see_the_exact_small_numbers(world, login, small, staff):
    html = page(login(getattr(world, staff)), world, small)
    assert statuses(html) == {"Planned": "0", "Late": "0", "In progress": "0", "Done": "3", "Missed": "1",
                              "Cancelled": "1", "All visits": "5"}
    assert "Average rating 8.00 out of 10, from 3 ratings." in html
    assert "fewer than 5" not in html


def test_the_evaluator_sees_fewer_than_5_where_the_head_sees_3(world, login, small):
    assert statuses(page(login(world.heidi), world, small))["Done"] == "3"
    html = page(login(world.eve), world, small)
    shown = statuses(html)
    assert shown["Done"] == shown["Missed"] == shown["Cancelled"] == "fewer than 5"
    assert shown["Planned"] == "0"  # nobody points at no one
    assert shown["All visits"] == "not shown"  # 5 minus the zeros would give the three hidden cells away
    services = html[html.index('id="report-services"'):]
    shopping = re.search(r"Shopping</th>(.*?)</tr>", services, re.S).group(1)
    assert "fewer than 5" in shopping and "30" in shopping  # 30 is the standard, not the minutes
    assert shopping.count("not shown") == 3  # minutes, average and percentage of one delivery
    assert "To protect the people behind the numbers" in html


def test_the_average_rating_is_hidden_from_fewer_than_5_ratings(world, login, small):
    html = page(login(world.eve), world, small)
    assert "Not shown: fewer than 5 ratings." in html and "8.00" not in html
    assert 'id="report-ratings"' not in html  # nor how many gave each score


def test_the_average_rating_is_shown_from_6_ratings(world, login, small):
    rated(world, small[0], [9, 9, 9])  # 8, 10, 6, 9, 9, 9
    html = page(login(world.eve), world, small)
    assert "Average rating 8.50 out of 10, from 6 ratings." in html
    # Every score was given fewer than 5 times: next to the average, even one hidden score could be solved for.
    assert 'id="report-ratings"' not in html
    assert "Not shown: some scores were given fewer than 5 times." in html
    assert 'id="report-ratings"' in page(login(world.heidi), world, small)


def test_the_rating_distribution_is_shown_when_no_score_is_rare(world, login, week):
    rated(world, week[0], [9] * 6)
    html = page(login(world.eve), world, week)
    assert "Average rating 9.00 out of 10, from 6 ratings." in html
    table = html[html.index('id="report-ratings"'):]
    assert re.findall(r'numeric">(\d+)</td>', table[:table.index("</table>")]) == ["0"] * 8 + ["6", "0"]


def test_a_total_is_hidden_when_it_would_give_one_small_cell_away(world, login, week):
    rated(world, week[0], [7] * 6)
    visit(world, client_at(world, 43.31, 77.25), day=week[0])  # one missed visit
    assert statuses(page(login(world.heidi), world, week))["All visits"] == "7"
    shown = statuses(page(login(world.eve), world, week))
    assert shown["Done"] == "6" and shown["Missed"] == "fewer than 5"
    assert shown["All visits"] == "not shown"  # 7 − 6 would be the missed visit
    book = workbook(login(world.eve), world, week)
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0] is not None}
    assert summary["Done"] == 6 and summary["Missed"] == "fewer than 5" and summary["All visits"] == "not shown"


def test_a_total_of_all_large_cells_is_shown(world, login, week):
    rated(world, week[0], [7] * 6)
    shown = statuses(page(login(world.eve), world, week))
    assert shown["Done"] == "6" and shown["All visits"] == "6"


def test_the_evaluators_spreadsheet_has_no_small_count(world, login, small):
    book = workbook(login(world.eve), world, small)
    summary = list(book["Summary"].iter_rows(min_row=7, values_only=True))  # from "Visits by status" on
    counts = [row[1] for row in summary if len(row) > 1 and row[1] is not None]
    services = [row[1] for row in book["Services"].iter_rows(min_row=2, values_only=True)]
    assert counts and services
    assert not [n for n in counts + services if isinstance(n, (int, float)) and 1 <= n <= 4]
    assert "fewer than 5" in counts and "fewer than 5" in services
    values = {row[0]: row[1] for row in summary if row and row[0] is not None}
    assert values["Ratings"] == "fewer than 5" and values["Average rating"] == "not shown: fewer than 5 ratings"
    assert not [row for row in summary if isinstance(row[0], int)]  # no rating distribution
    shopping = [row for row in book["Services"].iter_rows(min_row=2, values_only=True) if row[0] == "Shopping"]
    assert shopping == [("Shopping", "fewer than 5", "not shown", "not shown", 30, "not shown")]
    head = {row[0]: row[1] for row in workbook(login(world.heidi), world, small)["Summary"].iter_rows(
        values_only=True) if row and row[0] is not None}
    assert head["Done"] == 3 and head["Ratings"] == 3 and head["All visits"] == 5


@override_settings(SOCMON_SMALL_COUNT_THRESHOLD=3)
def test_the_threshold_comes_from_the_settings(world, login, small):
    shown = statuses(page(login(world.eve), world, small))
    assert shown["Done"] == "3" and shown["Missed"] == "fewer than 3" and shown["All visits"] == "not shown"


def figures(client, world, week, unit) -> dict[str, str]:
    """What the evaluator reads for `unit`: the statuses, "All visits" and the number of ratings."""
    counted()
    response = client.get(reverse("visits:report"), {**query(world, *week), "unit": unit.pk})
    html = response.content.decode()
    shown = statuses(html)
    count = re.search(r"from (\d+) ratings?\.", html)
    shown["Ratings"] = count.group(1) if count else "hidden"
    average = re.search(r"Average rating ([\d.]+) out of 10", html)
    shown["Average"] = average.group(1) if average else "hidden"
    return shown


def test_the_institution_minus_a_department_no_longer_gives_the_other_departments_figures_away(world, login, week):
    start, today = week
    rated(world, start, [7] * 6)  # Home Care: 6 visits done, each rated 7
    family = client_at(world, 43.31, 77.25, unit=world.family)
    done(world, family, worker=world.fiona, day=start, score=2)  # Family Support: one visit, rated 2
    client = login(world.eve)
    read = {unit: figures(client, world, week, getattr(world, unit))
            for unit in ("country", "north", "riverside", "centre", "home_care", "family")}
    assert read["family"]["Done"] == "fewer than 5" and read["family"]["Average"] == "hidden"
    # Every published sum: the institution is its two departments, and so on up to the country.
    tree = {"centre": ["home_care", "family"], "riverside": ["centre"], "north": ["riverside"], "country": ["north"]}
    for row in ("Done", "Missed", "All visits", "Ratings"):
        for parent, children in tree.items():
            cells = [read[unit][row] for unit in (parent, *children)]
            unknown = [cell for cell in cells if not cell.isdigit()]
            assert len(unknown) != 1, (row, parent, cells)  # one unknown in a sum would be solved for
    # 7 ratings averaging 6.29 (44) next to Home Care's 6 averaging 7.00 (42) would give Family Support's 2.
    assert "hidden" in (read["centre"]["Average"], read["home_care"]["Average"])
    assert figures(login(world.dora), world, week, world.family)["Done"] == "1"  # staff keep exact numbers


def test_the_spreadsheet_hides_the_same_cells_as_the_page(world, login, week):
    start, today = week
    rated(world, start, [7] * 6)
    done(world, client_at(world, 43.31, 77.25, unit=world.family), worker=world.fiona, day=start, score=2)
    client = login(world.eve)
    for unit in (world.centre, world.home_care, world.family):
        shown = figures(client, world, week, unit)
        response = client.get(reverse("visits:report_export"), {**query(world, *week), "unit": unit.pk})
        book = load_workbook(io.BytesIO(response.content))
        summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0] is not None}
        for row in ("Planned", "In progress", "Done", "Missed", "Cancelled", "All visits"):
            assert str(summary[row]) == shown[row]


def test_a_new_visit_shows_in_the_evaluators_next_report_at_once(world, login, week):
    start, today = week
    family = client_at(world, 43.31, 77.25, unit=world.family)
    done(world, family, worker=world.fiona, day=start)
    client = login(world.eve)
    assert figures(client, world, week, world.family)["Done"] == "fewer than 5"
    for _ in range(5):
        done(world, family, worker=world.fiona, day=start)
    assert figures(client, world, week, world.family)["Done"] == "6"  # the cached suppression is not reused
