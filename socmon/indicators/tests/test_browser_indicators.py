"""The M&E specialist, on a 390-px phone, opens the indicator catalogue, sets a quarter's target for a department
and sees planned against actual, with the gap; every page axe-clean (Debian's Chromium)."""

import datetime

import pytest

from socmon.indicators.models import Target
from socmon.visits.tests.test_browser_phone import assert_fits_the_phone

from .kit import activity, client, fresh

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_specialist_sets_a_target_and_sees_planned_against_actual(live_world, page, sign_in, live_url, axe,
                                                                     screenshot):
    world = live_world
    people = [client(world, world.home_care, first="Amina"), client(world, world.home_care, first="Bibigul")]
    activity(world, world.home_care, datetime.date(2026, 2, 10), "group", people)
    fresh()
    page.set_viewport_size(PHONE)
    sign_in(world.sam)

    page.goto(live_url("/indicators/"))
    page.get_by_role("link", name="IP2 Clients in group activities").click()
    page.locator("#indicator-definition").wait_for()
    axe()
    assert_fits_the_phone(page)

    page.get_by_role("link", name="Set targets and baselines").click()
    page.get_by_role("link", name="Riverside").click()
    page.get_by_role("link", name="Riverside Centre").click()
    page.get_by_role("link", name="Home Care").first.click()
    page.get_by_text("Set a target for Home Care").wait_for()
    axe()
    assert_fits_the_phone(page)
    page.fill("#id_period", "2026-Q1")
    page.fill("#id_target", "4")
    page.fill("#id_baseline", "1")
    page.get_by_role("button", name="Save the target").click()
    page.get_by_text("The target was saved.").wait_for()
    target = Target.objects.get()
    assert (target.org_unit_id, target.period_type, target.period_start, target.set_by) == (
        world.home_care.pk, "Q", datetime.date(2026, 1, 1), world.sam)

    row = page.locator(f"#values-unit-{world.home_care.pk}")
    assert [" ".join(cell.split()) for cell in row.locator("td").all_inner_texts()][:4] == [
        "2", "4", "1", "-2 worse than the target"]
    assert "Home Care, Q1 2026" in page.locator("#values-heading").inner_text()
    axe()
    assert_fits_the_phone(page)
    screenshot("indicators-planned-actual-phone")

    page.get_by_role("link", name="Set targets and baselines").click()
    assert "Q1 2026" in page.locator("#targets").inner_text()
    axe()
    assert_fits_the_phone(page)
