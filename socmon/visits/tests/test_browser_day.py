"""The worker's day on a phone and the head's live view in Debian's Chromium."""

import datetime

import pytest
from django.utils import timezone

from socmon.browser import choose_language
from socmon.visits.models import Rating, Visit

from .planning_kit import client_at, done, office, service_kind, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def day(live_world):
    world = live_world
    office(world)
    cleaning = service_kind("cleaning", 45)
    now = timezone.now()
    first = done(world, client_at(world, 43.312, 77.251, worker=world.alice, address="5 Abai Street, Talgar"),
                 started=now - datetime.timedelta(hours=2), services=[(cleaning, 50)], score=9)
    first.route_order = 1
    first.save(update_fields=["route_order"])
    visit(world, client_at(world, 43.298, 77.262, worker=world.alice, address="14 Zhibek Zholy, Talgar"), order=2,
          status=Visit.Status.IN_PROGRESS, checked_in=now - datetime.timedelta(minutes=15))
    visit(world, client_at(world, 43.321, 77.229, worker=world.alice, address="3 Tauelsizdik Street, Talgar"),
          order=3, window=(datetime.time(15, 0), datetime.time(16, 30)))
    return world


def switch_language(page, live_url, code: str, path: str) -> None:
    choose_language(page, live_url(path), code)


def test_the_worker_sees_their_day_on_a_phone_as_a_list_and_a_map(day, page, sign_in, live_url, axe, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(day.alice)
    page.goto(live_url("/visits/day/"))
    items = page.locator(".socmon-visit-list > li")
    assert items.count() == 3
    assert "5 Abai Street" in items.nth(0).inner_text()
    page.wait_for_selector(".socmon-marker")
    assert page.locator("#visit-map .socmon-marker").count() == 4  # three visits and the office
    assert page.locator(".socmon-marker", has_text="3").count() == 1
    axe()
    screenshot("visits-day-phone-en")
    switch_language(page, live_url, "ru", "/visits/day/")
    assert page.locator("html").get_attribute("lang") == "ru"
    page.wait_for_selector(".socmon-marker")
    axe()
    screenshot("visits-day-phone-ru")


def test_the_heads_live_view_shows_a_new_rating_without_reloading(day, page, sign_in, live_url, axe, screenshot):
    sign_in(day.heidi)
    page.goto(live_url(f"/visits/live/{day.home_care.pk}/"))
    page.wait_for_selector(".socmon-marker")
    assert page.locator("#visit-map .socmon-marker").count() == 3  # the live map has no office marker
    assert page.get_by_text("9 out of 10").count() == 1
    axe()
    page.evaluate("window.__notReloaded = true")
    later = done(day, client_at(day, 43.305, 77.245, worker=day.bob), worker=day.bob,
                 started=timezone.now() - datetime.timedelta(minutes=50), minutes=40)
    Rating.objects.create(visit=later, score=7, comment="Very kind", channel=Rating.Channel.CARD)
    page.get_by_text("7 out of 10").wait_for(timeout=20_000)
    assert page.evaluate("window.__notReloaded === true")  # swapped in by htmx, not a reload
    assert page.locator("#visit-map .socmon-marker").count() == 4  # the new visit appeared on the map too
    assert page.locator("#live-board").get_by_text("Bob Bondarenko").count() >= 1
    axe()
    screenshot("visits-live-en")
    switch_language(page, live_url, "kk", f"/visits/live/{day.home_care.pk}/")
    page.wait_for_selector(".socmon-marker")
    axe()
    screenshot("visits-live-kk")


def test_the_report_page_is_accessible(day, page, sign_in, live_url, axe, screenshot):
    sign_in(day.heidi)
    page.goto(live_url("/visits/reports/"))
    assert page.locator("#report-workers").count() == 1
    axe()
    screenshot("visits-report-en")


def test_a_region_report_lists_its_units_and_drills_down(day, page, sign_in, live_url, axe, screenshot):
    sign_in(day.sam)
    page.goto(live_url(f"/visits/reports/?unit={day.north.pk}&date_from=2026-11-01&date_to=2026-11-30"))
    assert page.locator("#report-units").count() == 1 and page.locator("#report-workers").count() == 0
    axe()
    screenshot("visits-report-region-en")
    page.locator("#report-units").get_by_role("link", name="Riverside", exact=True).click()
    page.wait_for_url("**/visits/reports/?unit=*")
    assert f"unit={day.riverside.pk}" in page.url and "date_from=2026-11-01" in page.url
    assert page.locator("#report-units").get_by_role("link", name="Riverside Centre").count() == 1
    page.locator("#report-units").get_by_role("link", name="Riverside Centre").click()
    page.wait_for_url(f"**/visits/reports/?unit={day.centre.pk}*")
    assert page.locator("#report-units").count() == 0  # an institution lists its workers
