"""My day's contacts and the visit page's plan services on a 390 × 844 phone (issue 8), in Chromium."""

import datetime

import pytest
from django.utils import timezone

from socmon.cases.tests.factories import case_in
from socmon.visits import services

from .planning_kit import client_at, office, service_kind, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NOTES = "Entrance 2, intercom 45. A dog in the yard."


def test_the_worker_unfolds_a_visits_contacts_on_a_phone(live_world, page, sign_in, live_url, axe, screenshot):
    world = live_world
    office(world)
    client = client_at(world, 43.312, 77.251, worker=world.alice, address="5 Abai Street, Talgar")
    client.phone, client.access_notes = "+7 701 234 56 78", NOTES
    client.save(update_fields=["phone", "access_notes"])
    visit(world, client, order=1, window=(datetime.time(10, 0), datetime.time(11, 0)))
    page.set_viewport_size(PHONE)
    sign_in(world.alice)
    page.goto(live_url("/visits/day/"))
    tel = page.locator('a[href="tel:+77012345678"]')
    assert not tel.is_visible()
    page.get_by_text("Phone, directions and how to get in").click()
    assert tel.is_visible() and page.get_by_text(NOTES).is_visible()
    assert page.locator('a[href^="geo:43.312,77.251?q="]').is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # nothing wider than the phone
    axe()
    screenshot("visits-day-contacts-phone")


def test_another_service_reveals_the_catalogue_on_a_phone(live_world, page, sign_in, live_url, axe, screenshot):
    world = live_world
    service_kind("cleaning")
    client = case_in(world, "active").client
    open_visit = services.check_in(by=world.alice, client=client, now=timezone.now() - datetime.timedelta(minutes=5))
    page.set_viewport_size(PHONE)
    sign_in(world.alice)
    page.goto(live_url(f"/visits/{open_visit.pk}/"))
    other = page.locator('select[name="other_service"]')
    assert page.get_by_label("Help at home", exact=False).is_checked() and not other.is_visible()
    page.get_by_label("Another service (not in the plan)").check()
    assert other.is_visible() and page.locator('textarea[name="unplanned_reason"]').is_visible()
    axe()
    screenshot("visit-plan-services-phone")
