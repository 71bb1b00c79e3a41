"""Sam, the M&E specialist, builds "share of visits rated 8 or more" in a real browser on a 390-px phone: the
"Choose" buttons bring each fact's own measures and filters, a ratio without its denominator is refused and
explained, the saved indicator's values are there at once; every page is axe-clean and fits the phone."""

import datetime

import pytest

from socmon.indicators.models import Indicator, IndicatorValue
from socmon.visits.tests.test_browser_phone import PHONE, assert_fits_the_phone

from .kit import client
from .test_custom import rated

pytestmark = pytest.mark.browser


def test_a_specialist_builds_a_ratio_indicator_in_the_browser(live_world, page, sign_in, axe, live_url):
    world = live_world
    amina = client(world, world.home_care, first="Amina")
    for day, score in [(datetime.date(2026, 9, 14), 9), (datetime.date(2026, 9, 15), 8),
                       (datetime.date(2026, 9, 16), 5), (datetime.date(2026, 10, 7), 10)]:
        rated(world, amina, day, score)
    page.set_viewport_size(PHONE)
    sign_in(world.sam)
    page.goto(live_url("/indicators/custom/new/"))
    axe()
    assert_fits_the_phone(page)

    page.fill("#id_code", "VR8")
    page.fill("#id_name", "Share of visits rated 8 or more")
    page.get_by_label("Satisfaction").check()
    page.get_by_label("Quarter").check()
    page.select_option("#id_num_fact", "ratings")
    with page.expect_navigation():
        page.get_by_role("button", name="Choose the kind of record to count").click()
    assert page.input_value("#id_code") == "VR8"  # what was typed is carried over
    page.get_by_role("radio", name="Number of records").check()
    page.fill("#id_num_f_score_at_least", "8")
    page.get_by_label("Divide it by another count (a ratio or a share)").check()
    axe()
    assert_fits_the_phone(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Save the indicator").click()
    page.get_by_role("link", name="Kind of record to divide by: A ratio needs a denominator").wait_for()
    assert not Indicator.objects.filter(code="VR8").exists()
    axe()
    assert_fits_the_phone(page)

    page.select_option("#id_den_fact", "ratings")
    with page.expect_navigation():
        page.get_by_role("button", name="Choose the kind of record to divide by").click()
    page.check("#id_den_measure_0")
    page.get_by_label("Show the ratio as a percentage").check()
    page.get_by_label("Sex", exact=True).check()
    page.fill("#id_valid_from", "2026-01-01")
    page.get_by_label("Measurable").check()
    axe()
    assert_fits_the_phone(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Save the indicator").click()
    page.get_by_text("VR8 version 1 was saved and its values computed").wait_for()
    axe()
    assert_fits_the_phone(page)

    indicator = Indicator.objects.get(code="VR8")
    assert indicator.spec["numerator"] == [{"fact": "ratings", "measure": "count", "filters": {"score_at_least": 8}}]
    assert indicator.spec["denominator"] == [{"fact": "ratings", "measure": "count"}]
    assert indicator.spec["percent"] and indicator.spec["quality"] == ["measurable"]
    quarter = IndicatorValue.objects.get(indicator=indicator, org_unit=world.centre, period_type="Q",
                                         period_start=datetime.date(2026, 7, 1), dimension="")
    assert (quarter.numerator, quarter.denominator, quarter.value) == (2, 3, 66.7)

    page.get_by_role("link", name="Retire VR8").click()
    axe()
    assert_fits_the_phone(page)
