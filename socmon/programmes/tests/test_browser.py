"""An M&E specialist builds a programme's plan (a goal, an outcome, an indicator with a target set on the indicator's
target page, a resource) and submits it; the institution's director approves it. Every page axe-clean, the plan's
pages fit a 390-px phone (Debian's Chromium)."""

import pytest

from socmon.indicators.models import Target
from socmon.programmes.models import PlanVersion, Programme
from socmon.visits.tests.test_browser_phone import assert_fits_the_phone

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def _check(page, axe):
    axe()
    assert_fits_the_phone(page)


def test_the_specialist_builds_and_submits_a_plan_and_the_director_approves_it(live_world, page, sign_in, live_url,
                                                                               axe, screenshot):
    world = live_world
    page.set_viewport_size(PHONE)
    sign_in(world.sam)

    # A target for IP2 at Riverside Centre, on the indicator's own target page.
    page.goto(live_url(f"/indicators/IP2/targets/?unit={world.centre.pk}"))
    page.fill("#id_period", "2026")
    page.fill("#id_target", "40")
    page.get_by_role("button", name="Save the target").click()
    page.get_by_text("The target was saved.").wait_for()
    assert Target.objects.filter(org_unit=world.centre).exists()

    page.goto(live_url("/programmes/"))
    page.get_by_role("heading", name="Programmes", exact=True).wait_for()
    _check(page, axe)
    page.get_by_role("link", name="Create a programme").click()
    page.get_by_role("link", name="Riverside").click()
    page.get_by_role("link", name="Riverside Centre").click()
    page.get_by_text("A programme of Riverside Centre").wait_for()
    _check(page, axe)
    page.get_by_label("Name of the programme").fill("Staying at home")
    page.get_by_label("Design").check()
    page.get_by_label("State social order").check()
    page.get_by_label("Its number (optional)").fill("SO-17/2026")
    page.get_by_role("button", name="Create the programme").click()
    page.get_by_text("The programme was created.").wait_for()
    _check(page, axe)
    programme = Programme.objects.get()
    assert programme.org_unit_id == world.centre.pk

    page.get_by_role("button", name="Start the M&E plan").click()
    page.get_by_text("Version 1 of the plan was started as a draft.").wait_for()
    _check(page, axe)
    page.locator("#id_goal-text").fill("Older people keep living at home")
    page.get_by_role("button", name="Add the goal").click()
    page.locator("#id_outcome-text").fill("People take part in group activities")
    page.get_by_role("button", name="Add the outcome").click()
    page.locator("#id_indicator-indicator").select_option("IP2")
    page.locator("#id_indicator-method").fill("The provider's monthly report")
    page.get_by_label("Monthly").check()
    page.locator("#id_indicator-responsible").fill("Head of Home Care")
    page.locator("#id_indicator-baseline").fill("28")
    page.get_by_label("A key indicator of the programme").check()
    page.get_by_role("button", name="Add the indicator").click()
    page.locator("#id_resource-item").fill("A minibus with a ramp")
    page.locator("#id_resource-kind").select_option("transport")
    page.get_by_role("button", name="Add the resource").click()
    page.get_by_role("cell", name="A minibus with a ramp").first.wait_for()
    assert "IP2" in page.locator("#goals ~ div").first.inner_text()
    _check(page, axe)
    screenshot("programme-plan-editor-phone")
    page.get_by_role("button", name="Submit for approval").last.click()
    page.get_by_text("The plan was submitted for approval.").wait_for()
    assert PlanVersion.objects.get().status == "submitted"
    _check(page, axe)

    page.context.clear_cookies()
    sign_in(world.dora)
    page.goto(live_url(f"/programmes/{programme.pk}/"))
    page.get_by_role("button", name="Approve version 1").click()
    page.get_by_text("Version 1 of the plan is approved.").wait_for()
    assert page.locator("[aria-current=step]").inner_text() == "Implementation"
    version = PlanVersion.objects.get()
    assert (version.status, version.approved_by_id) == ("approved", world.dora.pk)
    _check(page, axe)
    page.get_by_role("link", name="Version 1", exact=True).click()
    page.get_by_text("Older people keep living at home").first.wait_for()
    _check(page, axe)
