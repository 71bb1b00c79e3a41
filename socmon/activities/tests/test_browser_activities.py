"""A worker records a group activity in a real browser: the phone's camera sees a client's card and the client is
recorded as attending; a photo goes up; every activity page is axe-clean and fits a 390-px phone.

The camera is Chromium's fake capture device playing a picture of the card's check-in code, as on check-in.
"""

import re

import pytest
from django.utils import translation

from socmon.activities.models import Activity, ActivityPhoto, Attendance
from socmon.browser import choose_language
from socmon.test import PASSWORD
from socmon.visits import cards
from socmon.visits.tests.test_browser_phone import assert_fits_the_phone
from socmon.visits.tests.test_browser_scan import camera_browser, offline_context, run_axe, shoot  # noqa: F401

from .kit import client_with_card, jpeg_with_gps

pytestmark = pytest.mark.browser
DETAIL = re.compile(r"/activities/\d+/$")


def test_a_worker_records_a_group_activity_and_a_client_attends_by_scanning_the_card(
        live_world, live_server, camera_browser, tmp_path):  # noqa: F811 - the fixture imported above
    world = live_world
    person, card = client_with_card(world, worker=world.alice, language="kk")
    with translation.override("en"):
        browser = camera_browser(cards.check_in_url(live_server.url, card))
    context = offline_context(browser, live_server, permissions=["camera"])
    context.grant_permissions(["camera"], origin=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    choose_language(page, live_server.url + "/activities/new/", "en")
    run_axe(page)
    assert_fits_the_phone(page)

    page.get_by_label("Group activity").check()
    page.fill("#id_title", "Chair yoga")
    page.fill("#id_starts_at", "10:00")
    page.fill("#id_ends_at", "11:00")
    page.fill("#id_place", "Riverside Centre, hall 2")
    page.get_by_role("button", name="Record the activity").click()
    page.wait_for_url(DETAIL)
    activity = Activity.objects.get()
    assert (activity.kind, activity.org_unit, list(activity.facilitators.all())) == (
        "group", world.home_care, [world.alice])
    run_axe(page)
    assert_fits_the_phone(page)

    page.get_by_role("button", name="Scan the card").click()
    page.get_by_text(f"{person.code} is recorded as attending.").wait_for()
    assert Attendance.objects.get().client == person
    assert Attendance.objects.get().method == Attendance.Method.SCANNED

    photo = tmp_path / "group.jpg"
    photo.write_bytes(jpeg_with_gps())
    page.set_input_files("#id_photo", str(photo))
    page.get_by_label("The clients who appear in the photo agreed to it being taken and kept").check()
    page.get_by_role("button", name="Upload the photo").click()
    page.get_by_text("The photo was added").wait_for()
    assert ActivityPhoto.objects.get().clients_consented
    image = page.locator("img.socmon-photo")
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 64
    run_axe(page)
    assert_fits_the_phone(page)
    shoot(page, "activities-detail")

    for path in ("/activities/", "/activities/summary/"):
        page.goto(live_server.url + path)
        run_axe(page)
        assert_fits_the_phone(page)
    assert "1 different client took part" in page.content()
