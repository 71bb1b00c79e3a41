"""A person without a card, on a phone in Debian's Chromium: My day lists them, the worker checks in without the
card with a reason, and the head's live view shows the flag."""

import pytest

from socmon.visits.models import Visit

from .planning_kit import client_at, office, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_worker_checks_in_without_the_card_and_the_head_sees_why(live_world, page, sign_in, live_url, axe,
                                                                      screenshot):
    world = live_world
    office(world)
    person = client_at(world, 43.312, 77.251, worker=world.alice, address="5 Abai Street, Talgar")
    visit(world, person, order=1)
    page.set_viewport_size(PHONE)
    sign_in(world.alice)
    page.goto(live_url("/visits/day/"))
    listed = page.locator("#without-card")
    assert person.code in listed.inner_text() and listed.locator("input[type=checkbox]:checked").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe()
    screenshot("visits-day-without-card-phone-en")
    page.get_by_role("link", name=f"Check in without the card at {person.code}").click()
    page.get_by_role("button", name="Start the visit").click()
    page.locator(".govuk-error-summary").get_by_text("Say why the card was not scanned.").wait_for()  # after the
    # page's script has waited for the phone's position
    axe()
    page.get_by_label("The card was lost").check()
    page.get_by_role("button", name="Start the visit").click()
    page.get_by_text("Visit started at").wait_for()
    assert Visit.objects.get(client=person).no_card_reason == Visit.NoCardReason.LOST
    page.context.clear_cookies()
    sign_in(world.heidi)
    page.goto(live_url(f"/visits/live/{world.home_care.pk}/"))
    flag = f"the visit to {person.code} was opened without the card. Reason: The card was lost."
    assert page.locator("#live-flags").get_by_text(flag).count() == 1
    axe()
    screenshot("visits-live-no-card-phone-en")
