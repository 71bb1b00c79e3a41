"""The client's timeline and the case's plan against what was delivered, on a 390-px phone (Chromium)."""

import pytest
from django.utils import timezone

from socmon.cases.tests import factories
from socmon.visits.tests.planning_kit import done

pytestmark = pytest.mark.browser


def test_the_timeline_and_the_plan_against_delivered_fit_a_phone(live_world, page, sign_in, live_url, axe,
                                                                  screenshot):
    world = live_world
    case = factories.case_in(world, "active")
    visit = done(world, case.client, day=timezone.localdate(), services=[(factories.service(), 45)], score=9)
    visit.notes = "Helped with the shopping list; the person asked about a hearing aid appointment."
    visit.save(update_fields=["notes"])
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(world.alice)

    page.goto(live_url(f"/clients/{case.client.pk}/"))
    timeline = page.locator(".socmon-client-timeline")
    assert "9 out of 10" in timeline.inner_text() and "Help at home: 45 min" in timeline.inner_text()
    box = timeline.bounding_box()  # the page's older tables are helper h4's; the timeline itself must fit
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    axe()
    screenshot("clients-timeline-phone")

    page.goto(live_url(f"/cases/{case.pk}/"))
    table = page.locator(".socmon-plan-delivery")
    assert "Delivered since the start: 1" in table.inner_text()
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    axe()
    screenshot("cases-plan-delivery-phone")
