"""A monitoring specialist, on a 390-px phone, opens the region's dashboard, compares the institutions and drills
down to a department; the charts are drawn (SVG inside each chart's element) under the page's CSP, axe-clean."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from socmon.indicators.models import Indicator, IndicatorValue, Target
from socmon.orgs.models import OrgLevel, OrgUnit
from socmon.visits.tests.test_browser_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
Q3, LAST_Q3 = datetime.date(2026, 7, 1), datetime.date(2025, 7, 1)


def _stored(world):
    ip1 = Indicator.objects.get(code="IP1")
    lakeside = OrgUnit.objects.add_child(OrgUnit.objects.get(pk=world.riverside.pk), {
        "name": "Lakeside Centre", "code": "lakeside", "level": OrgLevel.objects.get(code="institution")})
    now = timezone.now()
    rows = [(world.north, 1236, 1200), (world.riverside, 1236, 1200), (world.centre, 1000, 990), (lakeside, 236, 210),
            (world.home_care, 700, 650), (world.family, 300, 340)]
    for unit, number, before in rows:
        for start, value in ((Q3, number), (LAST_Q3, before)):
            IndicatorValue.objects.create(indicator=ip1, org_unit=unit, period_type="Q", period_start=start,
                                          numerator=value, computed_at=now)
        IndicatorValue.objects.create(indicator=ip1, org_unit=unit, period_type="Q", period_start=Q3,
                                      dimension="sex", member="female", numerator=number // 2, computed_at=now)
    for unit, goal in ((world.riverside, 1300), (world.centre, 1100), (lakeside, 200)):
        Target.objects.create(indicator=ip1, org_unit=unit, period_type="Q", period_start=Q3, target=goal,
                              set_by=world.sam, set_at=now)


def _charts_drawn(page) -> None:
    """Every chart element holds its SVG (the page's CSP forbids eval, so no `wait_for_function`)."""
    charts = page.locator("[data-chart]").count()
    assert charts > 0
    for index in range(charts):
        page.locator("[data-chart]").nth(index).locator("svg").wait_for()


def test_the_specialist_compares_the_institutions_and_drills_down_to_a_department(
        live_world, page, sign_in, live_url, axe, screenshot):
    world = live_world
    _stored(world)
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.set_viewport_size(PHONE)
    sign_in(world.sam)

    page.goto(live_url(f"/indicators/?unit={world.north.pk}"))
    page.get_by_role("link", name="Dashboard: a unit's indicators in charts and tables, across its units").click()
    page.fill("#id_period", "2026-Q3")
    for box in page.locator("input[name=indicator]").all():
        box.set_checked(box.get_attribute("value") == "IP1")
    page.get_by_role("button", name="Show the dashboard").click()
    expect(page.locator("#dashboard-heading")).to_have_text("North, Q3 2026")
    assert page.locator("#change-IP1").inner_text() == "+3.00 %"
    _charts_drawn(page)
    axe()
    assert_fits_the_phone(page)

    page.locator("#compare-table").get_by_role("link", name="Riverside").click()
    expect(page.locator("#dashboard-heading")).to_have_text("Riverside, Q3 2026")
    page.get_by_role("link", name="Highest value first").click()
    page.wait_for_url("**sort=high**")
    page.locator("#compare-table tbody th").first.wait_for()
    expect(page.locator("#compare-table tbody th")).to_have_text(["Riverside Centre", "Lakeside Centre"])
    assert page.locator("#tile-map li").count() == 2
    _charts_drawn(page)
    assert page.locator("#chart-IP1-units svg").count() == 1
    axe()
    assert_fits_the_phone(page)
    screenshot("dashboard-compare-phone")

    # Each drill-down lands before the next click (a click on a page still loading may be lost under load).
    with page.expect_navigation():
        page.locator("#compare-table").get_by_role("link", name="Riverside Centre").click()
    expect(page.locator("#dashboard-heading")).to_have_text("Riverside Centre, Q3 2026", timeout=15_000)
    with page.expect_navigation():
        page.locator("#compare-table").get_by_role("link", name="Home Care").click()
    expect(page.locator("#dashboard-heading")).to_have_text("Home Care, Q3 2026", timeout=15_000)
    expect(page.locator("#headline-IP1")).to_contain_text("700")
    _charts_drawn(page)
    axe()
    assert_fits_the_phone(page)
    assert not [p for p in problems if "Content Security Policy" in p or "vega" in p.lower()], problems
