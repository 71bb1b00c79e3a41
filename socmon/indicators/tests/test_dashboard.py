"""Indicator dashboards through the front door: planned against actual, the exact year-on-year change, the trend,
the breakdowns, units compared within each reader's reach (small counts hidden for the evaluator, in the tables and
the charts), drill-down, bad requests, and a number of queries that does not grow with the number of units.

Values are stored rows (`IndicatorValue`), as the engine leaves them: the dashboard only reads."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.indicators import charts, dashboard
from socmon.indicators.models import Indicator, IndicatorValue, Target
from socmon.orgs.models import OrgLevel, OrgUnit
from socmon.visits.reports import Hidden

from .pages import table

pytestmark = pytest.mark.django_db

Q3, LAST_Q3 = datetime.date(2026, 7, 1), datetime.date(2025, 7, 1)


def url(**query) -> str:
    pairs = [(k, v) for k, values in query.items() for v in (values if isinstance(values, list) else [values])]
    return reverse("indicators:dashboard") + ("?" + "&".join(f"{k}={v}" for k, v in pairs) if pairs else "")


def store(code: str, unit, start: datetime.date, numerator: int, *, period_type="Q", dimension="", member="",
          denominator=None):
    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code), org_unit=unit, period_type=period_type, period_start=start,
        dimension=dimension, member=member, numerator=numerator, denominator=denominator, computed_at=timezone.now())


def target(world, code: str, unit, start: datetime.date, value, *, period_type="Q", dimension="", member=""):
    return Target.objects.create(indicator=Indicator.objects.get(code=code), org_unit=unit, period_type=period_type,
                                 period_start=start, dimension=dimension, member=member, target=Decimal(value),
                                 set_by=world.sam, set_at=timezone.now())


def text_of(response, element_id: str) -> str:
    """The text inside the element with `element_id` (tags dropped, spaces collapsed)."""
    html = response.content.decode()
    start = html.index(f'id="{element_id}"')
    start = html.index(">", start) + 1
    tag = re.search(r"<(\w+)[^>]*\bid=\"" + re.escape(element_id) + '"', html).group(1)
    end = html.index(f"</{tag}>", start)
    return " ".join(re.sub(r"<[^>]+>", " ", html[start:end]).split())


def spec(response, chart_id: str) -> dict:
    html = response.content.decode()
    found = re.search('<script id="' + re.escape(chart_id) + r'-spec" type="application/json">(.*?)</script>', html,
                      re.S)
    return json.loads(found.group(1))


def plotted(chart: dict, field: str) -> list:
    """The rows a chart draws for `field` (a null is a break in a line, not a point)."""
    return [row for layer in chart["layer"] for row in layer["data"]["values"] if row.get(field) is not None]


# --- Year on year ----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("now", "before", "percent", "shown"), [
    (1236, 1200, Decimal("3.00"), "+3.00 %"),
    (7999, 8000, Decimal("-0.01"), "−0.01 %"),
    (1200, 1200, Decimal("0.00"), "0.00 %"),
    (2, 3, Decimal("-33.33"), "−33.33 %"),
    (201.01, 200, Decimal("0.51"), "+0.51 %"),  # 0.505 rounds half up, and a float is read as written
    (3, 1, Decimal("200.00"), "+200.00 %"),
    (0, 7, Decimal("-100.00"), "−100.00 %"),
])
def test_the_change_from_last_year_is_exact_to_the_cent(now, before, percent, shown):
    found = dashboard.change(now, before)
    assert found.percent == percent and str(found) == shown


@pytest.mark.parametrize(("now", "before", "reason"), [
    (5, 0, "last year's value was 0: a change from 0 has no percentage"),
    (0, 0, "last year's value was 0: a change from 0 has no percentage"),
    (5, None, "no data for the same period last year"),
    (None, 5, "no data for this period"),
    (Hidden("fewer than 5"), 40, "not shown, to protect small numbers"),
    (40, Hidden("not shown"), "not shown, to protect small numbers"),
])
def test_a_change_without_a_percentage_says_why(now, before, reason):
    found = dashboard.change(now, before)
    assert found.percent is None and str(found) == reason


# --- Planned against actual, last year, trend, breakdown ---------------------------------------------------

def test_the_dashboard_shows_planned_against_actual_and_the_year_on_year_change(world, login):
    store("IP1", world.north, Q3, 1236)
    store("IP1", world.north, LAST_Q3, 1200)
    store("IP1", world.north, Q3, 700, dimension="sex", member="female")
    store("IP1", world.north, datetime.date(2026, 4, 1), 1100)
    target(world, "IP1", world.north, Q3, 1300)
    target(world, "IP1", world.north, datetime.date(2026, 4, 1), 1000)
    response = login(world.sam).get(url(unit=world.north.pk, period="2026-Q3", indicator="IP1"))
    assert response.status_code == 200
    headline = text_of(response, "headline-IP1")
    assert "Actual 1236" in headline and "Target 1300" in headline
    assert "Gap to the target -64 worse than the target" in headline
    assert "Same period last year (Q3 2025) 1200" in headline
    assert text_of(response, "change-IP1") == "+3.00 %"
    trend = table(response, "trend-IP1")
    assert [row[0] for row in trend][:2] == ["Q4 2024", "Q1 2025"] and len(trend) == 8
    assert trend[-2] == ["Q2 2026", "1100", "1000"] and trend[-1] == ["Q3 2026", "1236", "1300"]
    assert trend[2] == ["Q2 2025", "no data", ""]
    female = table(response, "breakdown-IP1-sex")[0]
    assert female[:3] == ["Female", "700", ""]
    assert table(response, "breakdown-IP1-sex")[-1][:2] == ["Not recorded", "536"]


def test_every_chart_draws_the_target_and_plots_only_what_is_shown(world, login):
    store("IP1", world.north, Q3, 1236)
    target(world, "IP1", world.north, Q3, 1300)
    target(world, "IP1", world.north, Q3, 650, dimension="sex", member="female")
    response = login(world.sam).get(url(unit=world.north.pk, period="2026-Q3", indicator="IP1"))
    trend = spec(response, "chart-IP1-trend")
    assert plotted(trend, "value") == [{"period": "Q3 2026", "value": 1236.0}]  # no data is not drawn as 0
    assert {"period": "Q2 2026", "value": None} in trend["layer"][0]["data"]["values"]  # the line breaks there
    assert plotted(trend, "target") == [{"period": "Q3 2026", "target": 1300.0}]
    assert trend["layer"][1]["mark"]["strokeDash"] and trend["config"]["aria"] is False
    by_sex = spec(response, "chart-IP1-sex")
    assert {"name": "Female", "target": 650.0} in plotted(by_sex, "target")
    html = response.content.decode()
    assert 'id="chart-IP1-trend" role="img" aria-label="' in html
    assert 'aria-describedby="chart-IP1-trend-caption"' in html
    assert "As of" in text_of(response, "chart-IP1-trend-caption")


def test_the_specs_render_without_a_browser_when_vl_convert_is_there(world):
    """The same dict is what a PDF export renders to SVG (vl-convert-python, when installed)."""
    vl_convert = pytest.importorskip("vl_convert")
    chart = charts.trend([("Q2 2026", 5, 6), ("Q3 2026", 7, 6)], description="IP1", value_title="Value")
    assert "<svg" in vl_convert.vegalite_to_svg(charts.for_paper(chart))


# --- Across units, within reach ------------------------------------------------------------------------------

def _institutions(world, count: int, first: int = 0) -> list[OrgUnit]:
    level = OrgLevel.objects.get(code="institution")
    district = OrgUnit.objects.get(pk=world.riverside.pk)
    return [OrgUnit.objects.add_child(OrgUnit.objects.get(pk=district.pk),
                                      {"name": f"Centre {i:03d}", "code": f"centre-{i}", "level": level})
            for i in range(first, first + count)]


def test_a_specialist_compares_the_units_sorted_and_drills_down(world, login):
    units = _institutions(world, 3)
    for unit, number in zip([world.centre, *units], (40, 90, 10, 55), strict=True):
        store("IP1", unit, Q3, number)
    target(world, "IP1", units[0], Q3, 100)
    browser = login(world.sam)
    response = browser.get(url(unit=world.riverside.pk, period="2026-Q3", indicator="IP1", sort="high"))
    rows = table(response, "compare-table")
    assert [row[0] for row in rows] == ["Centre 000", "Centre 002", "Riverside Centre", "Centre 001"]
    assert rows[0][1:4] == ["90", "100", "-10 worse"]
    bars = spec(response, "chart-IP1-units")
    assert [row["name"] for row in plotted(bars, "value")] == ["Centre 000", "Centre 002", "Riverside Centre",
                                                              "Centre 001"]
    assert plotted(bars, "target") == [{"name": "Centre 000", "target": 100.0}]
    tiles = text_of(response, "tile-map")
    assert "Centre 000 90" in tiles and "Centre 001 10" in tiles
    html = response.content.decode()
    assert re.search(r'<li class="socmon-tile--5">Centre 000 <strong>90\s*</strong>', html)  # the highest band
    assert re.search(r'<li class="socmon-tile--1">Centre 001 <strong>10\s*</strong>', html)
    link = re.search(r'<a class="govuk-link" href="([^"]+)">Riverside Centre</a>',
                     response.content.decode()).group(1).replace("&amp;", "&")
    assert f"unit={world.centre.pk}" in link
    child = browser.get(reverse("indicators:dashboard") + link)
    assert child.status_code == 200
    assert text_of(child, "dashboard-heading") == "Riverside Centre, Q3 2026"
    assert [row[0] for row in table(child, "compare-table")] == ["Family Support", "Home Care"]


@pytest.mark.parametrize(("persona", "unit", "status", "compared"), [
    ("ann", "country", 200, ["North", "South"]),
    ("sam", "north", 200, ["Riverside"]),
    ("sam", "country", 404, None),
    ("sam", "south", 404, None),
    ("dora", "centre", 200, ["Family Support", "Home Care"]),
    ("dora", "north", 404, None),
    ("heidi", "home_care", 200, None),  # a department has no units below it
    ("heidi", "family", 404, None),
    ("alice", "home_care", 403, None),
])
def test_units_are_compared_within_each_readers_reach(world, login, persona, unit, status, compared):
    for each in (world.country, world.north, world.south, world.riverside, world.centre, world.home_care,
                 world.family):
        store("IP1", each, Q3, 20)
    response = login(getattr(world, persona)).get(url(unit=getattr(world, unit).pk, period="2026-Q3"))
    assert response.status_code == status
    if status == 200:
        assert [row[0] for row in table(response, "compare-table")] == (compared or [])
        assert ('id="compare"' in response.content.decode()) == bool(compared)


def test_the_evaluator_sees_small_counts_hidden_in_tables_and_charts(world, login):
    store("IP1", world.country, Q3, 23)
    store("IP1", world.north, Q3, 20)
    store("IP1", world.south, Q3, 3)
    store("IP1", world.country, LAST_Q3, 20)
    hilltown = OrgUnit.objects.get(code="hilltown")
    for unit, number in ((world.riverside, 20), (world.centre, 20), (world.home_care, 20), (hilltown, 3),
                         (world.hill_centre, 3), (world.hill_care, 3)):
        store("IP1", unit, Q3, number)
    response = login(world.eve).get(url(unit=world.country.pk, period="2026-Q3", indicator="IP1"))
    assert response.status_code == 200
    rows = {row[0]: row[1] for row in table(response, "compare-table")}
    assert rows["South"] == "fewer than 5" and rows["North"] == "not shown"  # the complement of South
    assert "Actual 23" in text_of(response, "headline-IP1")  # with North hidden, South cannot be worked out
    assert text_of(response, "change-IP1") == "+15.00 %"
    assert plotted(spec(response, "chart-IP1-units"), "value") == []  # hidden figures are not drawn
    assert plotted(spec(response, "chart-IP1-trend"), "value") == [{"period": "Q3 2025", "value": 20.0},
                                                                   {"period": "Q3 2026", "value": 23.0}]
    north = login(world.eve).get(url(unit=world.north.pk, period="2026-Q3", indicator="IP1"))
    assert "Actual not shown" in text_of(north, "headline-IP1")  # the indicator page's rule, on every page
    assert text_of(north, "change-IP1") == "no percentage: not shown, to protect small numbers"
    assert "South 3" not in text_of(response, "tile-map")
    # The analyst, who may see people, sees the same figures exactly.
    exact = login(world.ann).get(url(unit=world.country.pk, period="2026-Q3", indicator="IP1"))
    assert {row[0]: row[1] for row in table(exact, "compare-table")} == {"North": "20", "South": "3"}
    assert text_of(exact, "change-IP1") == "+15.00 %"


# --- Cost ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("persona", ["sam", "eve"])
def test_the_dashboard_costs_as_many_queries_for_two_hundred_units_as_for_three(world, login, persona,
                                                                                django_assert_max_num_queries):
    units = _institutions(world, 3)
    for unit in units:
        store("IP1", unit, Q3, 30)
    browser = login(getattr(world, persona))
    address = url(unit=world.riverside.pk, period="2026-Q3", indicator=["IP1", "IP2", "IR1"])
    browser.get(address)
    with django_assert_max_num_queries(12):
        response = browser.get(address)
    assert len(table(response, "compare-table")) == 4
    for unit in _institutions(world, 197, first=3)[:50]:
        store("IP1", unit, Q3, 30)
    with django_assert_max_num_queries(12):
        response = browser.get(address)
    assert len(table(response, "compare-table")) == 200  # a page of 200 units; the rest on the next page
    assert "Showing 1–200 of 201" in response.content.decode()


# --- Bad requests -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "message"), [
    ({"period": "2026-13"}, "A month is numbered from 01 to 12."),
    ({"period": "last year"}, "Give a period as 2026-11 (month)"),
    ({"indicator": "NOPE"}, "Choose indicators from the list."),
    ({"indicator": ["IP1", "IP2", "IP3", "IP4"]}, "Choose at most 3 indicators at a time."),
    ({"indicator": "IP1", "compare": "IP2"}, "Compare the units on one of the indicators shown."),
    ({"compare": "NOPE"}, "Compare the units on one of the indicators shown."),
    ({"sort": "salary"}, "Choose an order from the list."),
])
def test_a_malformed_request_is_explained_and_shows_no_figures(world, login, query, message):
    stored = IndicatorValue.objects.count(), Target.objects.count()
    response = login(world.sam).get(url(unit=world.north.pk, **query))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "compare-table" not in response.content.decode()
    assert (IndicatorValue.objects.count(), Target.objects.count()) == stored


@pytest.mark.parametrize("unit", ["999999", "abc", "-1", "99999999999999999999"])
def test_a_unit_that_does_not_exist_is_not_found(world, login, unit):
    assert login(world.sam).get(url(unit=unit)).status_code == 404


def test_the_indicator_pages_lead_to_the_dashboard(world, login):
    browser = login(world.sam)
    assert reverse("indicators:dashboard") in browser.get(reverse("indicators:catalogue")).content.decode()
    detail = browser.get(reverse("indicators:detail", args=["IP1"]) + f"?unit={world.north.pk}&period=2026-Q3")
    assert f'{reverse("indicators:dashboard")}?unit={world.north.pk}&amp;period=2026-Q3&amp;indicator=IP1' in \
        detail.content.decode()
