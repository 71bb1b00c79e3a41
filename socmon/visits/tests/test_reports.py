import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from socmon.accounts.models import Membership, Role, User
from socmon.catalogue.models import ServiceKind
from socmon.orgs.models import OrgLevel, OrgUnit
from socmon.visits import reports
from socmon.visits.models import Visit

from .planning_kit import client_at, counted, done, refreshed, service_kind, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world):
    return refreshed(world)


@pytest.fixture
def period(world):
    """Home Care over a week: Alice 2 done (cleaning 40 + 50, shopping 30; rated 8 and 10), 1 missed;
    Bob 1 done (cleaning 45, rated 6) and 1 cancelled. Outside: a visit before the week, one in Family Support."""
    today = timezone.localdate()
    start = today - datetime.timedelta(days=6)
    cleaning, shopping = service_kind("cleaning", 45), service_kind("shopping", 30)
    done(world, client_at(world, 43.31, 77.25), day=start, services=[(cleaning, 40), (shopping, 30)], score=8)
    done(world, client_at(world, 43.31, 77.25), day=start + datetime.timedelta(days=1), services=[(cleaning, 50)],
         score=10)
    visit(world, client_at(world, 43.31, 77.25), day=start + datetime.timedelta(days=2))  # never checked in
    done(world, client_at(world, 43.31, 77.25), worker=world.bob, day=today, services=[(cleaning, 45)], score=6)
    visit(world, client_at(world, 43.31, 77.25), worker=world.bob, day=today, status=Visit.Status.CANCELLED)
    done(world, client_at(world, 43.31, 77.25), day=start - datetime.timedelta(days=1), services=[(cleaning, 5)],
         score=1)
    done(world, client_at(world, 43.31, 77.25, unit=world.family), worker=world.fiona, day=today, score=2)
    counted()  # what the worker does within seconds: the reports read the figures it keeps
    return start, today


def query(world, start, end, **extra):
    return {"date_from": start.isoformat(), "date_to": end.isoformat(), "unit": world.home_care.pk, **extra}


def test_report_numbers_are_exact(world, period):
    report = reports.visit_report(unit=world.home_care, date_from=period[0], date_to=period[1], now=timezone.now())
    totals = report.totals
    assert dict(totals.statuses) == {"planned": 0, "late": 0, "in_progress": 0, "done": 3, "missed": 1,
                                     "cancelled": 1}
    assert totals.total == 5
    rows = {r.service.code: (r.count, r.minutes, r.average, r.percent_of_norm) for r in totals.service_rows}
    assert rows == {"cleaning": (3, 135, 45.0, 100), "shopping": (1, 30, 30.0, 100)}
    assert totals.rating_count == 3 and totals.rating_average == 8.0
    assert [totals.ratings[s] for s in range(1, 11)] == [0, 0, 0, 0, 0, 1, 0, 1, 0, 1]
    per_worker = {p.username: (f.total, f.minutes, f.rating_average) for p, f in report.workers}
    assert per_worker == {"alice": (3, 120, 9.0), "bob": (2, 45, 6.0)}


def test_the_head_sees_the_report_per_worker(world, login, period):
    response = login(world.heidi).get(reverse("visits:report"), query(world, *period))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Average rating 8.00 out of 10, from 3 ratings." in html
    assert "Alice Akhmetova" in html and "Bob Bondarenko" in html
    assert "Fiona" not in html


def test_one_workers_report(world, login, period):
    html = login(world.heidi).get(reverse("visits:report"), query(world, *period, worker=world.bob.pk)
                                  ).content.decode()
    assert "Average rating 6.00 out of 10, from 1 rating." in html


def test_the_spreadsheet_has_the_same_numbers(world, login, period):
    response = login(world.heidi).get(reverse("visits:report_export"), query(world, *period))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True) if row and row[0] is not None}
    assert summary["Done"] == 3 and summary["Missed"] == 1 and summary["All visits"] == 5
    assert summary["Average rating"] == 8.0 and summary["Ratings"] == 3
    assert [summary[s] for s in range(1, 11)] == [0, 0, 0, 0, 0, 1, 0, 1, 0, 1]
    services = {row[0]: row[1:] for row in book["Services"].iter_rows(min_row=2, values_only=True)}
    assert services[ServiceKind.objects.get(code="cleaning").label] == (3, 135, 45.0, 45, 100)
    workers = {row[0]: row for row in book["Workers"].iter_rows(min_row=2, values_only=True)}
    assert workers["Alice Akhmetova"][-4:] == (3, 120, 2, 9.0)


def test_the_evaluator_sees_totals_without_names(world, login, period):
    client = login(world.eve)
    html = client.get(reverse("visits:report"), query(world, *period, worker=world.alice.pk)).content.decode()
    assert "Not shown: fewer than 5 ratings." in html  # 3 ratings: small counts are suppressed
    assert "Alice" not in html and "Bob" not in html and "Social worker (optional)" not in html
    book = load_workbook(io.BytesIO(client.get(reverse("visits:report_export"), query(world, *period)).content))
    assert book.sheetnames == ["Summary", "Services"]


@pytest.mark.parametrize("change, message", [
    ({"date_from": "2026-02-01", "date_to": "2026-01-01"}, "The end of the period must be on or after its start."),
    ({"date_from": "1st of May"}, "Enter a real date, for example 2026-03-27."),
    ({"date_to": "2026-02-30"}, "Enter a real date, for example 2026-03-27."),
    ({"date_from": "2024-01-01", "date_to": "2026-01-01"}, "Choose a period of at most 366 days."),
    ({"worker": "424242"}, "Choose a social worker from the list."),
    ({"worker": "bob"}, "Choose a social worker from the list."),
    ({"unit": "abc"}, "Choose a unit from the list."),
])
def test_bad_report_input_explains_what_to_fix(world, login, period, change, message):
    response = login(world.heidi).get(reverse("visits:report"), {**query(world, *period), **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    export = login(world.heidi).get(reverse("visits:report_export"), {**query(world, *period), **change})
    assert export.status_code == 400


def test_a_worker_of_another_unit_is_refused(world, login, period):
    response = login(world.dora).get(reverse("visits:report"), query(world, *period, worker=world.fiona.pk))
    assert response.status_code == 400
    assert "Fiona Florea does not work in Home Care." in response.content.decode()


def test_reports_stay_within_reach(world, login, period):
    assert login(world.walt).get(reverse("visits:report")).status_code == 403  # a worker
    response = login(world.dora).get(reverse("visits:report"), {**query(world, *period),
                                                                 "unit": world.hill_care.pk})
    assert response.status_code == 400
    assert "Choose a unit from the list." in response.content.decode()


def test_the_report_opens_with_the_last_30_days_of_the_first_unit(world, login, period):
    response = login(world.heidi).get(reverse("visits:report"))
    assert response.status_code == 200
    # The visit the day before the week is within the last 30 days: 8, 10, 6 and 1.
    assert "Average rating 6.25 out of 10, from 4 ratings." in response.content.decode()


@pytest.mark.parametrize("reader", ["eve", "ann", "dora"])
def test_the_report_makes_as_many_queries_for_twenty_more_departments_and_forty_more_workers(
        world, login, period, reader, django_assert_num_queries):
    client = login(getattr(world, reader))
    params = query(world, *period, unit=world.centre.pk)
    client.get(reverse("visits:report"), params)
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("visits:report"), params).status_code == 200
    cleaning = service_kind("cleaning", 45)
    for i in range(20):
        unit = OrgUnit.objects.add_child(OrgUnit.objects.get(pk=world.centre.pk), {
            "name": f"Department {i}", "code": f"dept-{i}", "level": OrgLevel.objects.get(code="department")})
        for j in range(2):
            worker = User.objects.create(username=f"w{i}-{j}", first_name="Worker", last_name=f"{i}-{j}")
            Membership.objects.create(user=worker, org_unit=unit, role=Role.WORKER)
            done(world, client_at(world, 43.31, 77.25, unit=unit), worker=worker, day=period[0],
                 services=[(cleaning, 30 + i)], score=1 + (i + j) % 10)
    counted()
    with django_assert_num_queries(len(before)):
        assert client.get(reverse("visits:report"), params).status_code == 200


def test_a_region_report_lists_its_child_units_with_links_not_workers(world, login, period):
    start, today = period
    north_visit = done(world, client_at(world, 43.31, 77.25, unit=world.north), worker=world.sam, day=today)
    counted()
    response = login(world.sam).get(reverse("visits:report"), {**query(world, *period), "unit": world.north.pk})
    assert response.status_code == 200
    report = response.context["report"]
    assert report.by_unit and not report.workers
    assert [(row.label, row.figures.total) for row in report.units] == [("Riverside", 6),
                                                                        ("Visits recorded at North itself", 1)]
    assert report.totals.total == 7 and north_visit.org_unit == world.north
    html = response.content.decode()
    assert 'id="report-units"' in html and 'id="report-workers"' not in html
    assert "Alice Akhmetova" not in html.split('id="report-units"')[1]
    link = (f'{reverse("visits:report")}?unit={world.riverside.pk}&amp;date_from={start.isoformat()}'
            f'&amp;date_to={today.isoformat()}')
    assert f'<a class="govuk-link" href="{link}">Riverside</a>' in html
    assert "Visits recorded at North itself" in html
    drilled = login(world.sam).get(link.replace("&amp;", "&")).context["report"]
    assert drilled.unit == world.riverside and drilled.date_from == start and drilled.date_to == today
    assert [(row.label, row.figures.total) for row in drilled.units] == [("Riverside Centre", 6)]


def test_an_institution_and_a_department_still_list_workers(world, login, period):
    for reader, unit in ((world.sam, world.home_care), (world.dora, world.centre)):
        response = login(reader).get(reverse("visits:report"), {**query(world, *period), "unit": unit.pk})
        report = response.context["report"]
        assert not report.by_unit and not report.units
        assert {p.username for p, _f in report.workers} >= {"alice", "bob"}
        assert 'id="report-workers"' in response.content.decode()


def test_a_region_report_of_one_worker_is_that_workers(world, login, period):
    response = login(world.sam).get(reverse("visits:report"), {**query(world, *period), "unit": world.north.pk,
                                                               "worker": world.bob.pk})
    report = response.context["report"]
    assert not report.by_unit and [(p.username, f.total) for p, f in report.workers] == [("bob", 2)]


def test_the_spreadsheet_of_a_region_lists_units(world, login, period):
    OrgUnit.objects.filter(pk=world.riverside.pk).update(name="=HYPERLINK(\"x\")")
    response = login(world.sam).get(reverse("visits:report_export"), {**query(world, *period),
                                                                      "unit": world.north.pk})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Services", "Units"]
    header, riverside = book["Units"].iter_rows(max_row=2)
    assert header[0].value == "Unit"
    assert riverside[0].value == '=HYPERLINK("x")' and riverside[0].data_type == "s" and riverside[0].quotePrefix
    assert [c.value for c in riverside[-4:]] == [6, 165, 4, 6.5]  # the spreadsheet's numbers are the page's
