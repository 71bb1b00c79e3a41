"""Registration's "Use my location" in a real browser (Chromium): the phone's position fills the coordinates."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_use_my_location_fills_the_coordinates_and_says_how_accurate_they_are(
        live_world, page, browser_context, live_server, sign_in, live_url, axe, screenshot):
    browser_context.grant_permissions(["geolocation"], origin=live_server.url)
    browser_context.set_geolocation({"latitude": 43.301234, "longitude": 77.241098, "accuracy": 35})
    sign_in(live_world.alice)
    page.goto(live_url("/clients/register/"))
    button = page.locator("main button:has-text('Use my location')")
    expect(button).to_be_visible()
    axe()
    button.click()
    status = page.locator("[data-locate-status]")
    expect(status).to_have_text(
        "Latitude and longitude filled in from this phone's location, accurate to within 35 m.")
    expect(page.locator("#id_latitude")).to_have_value("43.301234")
    expect(page.locator("#id_longitude")).to_have_value("77.241098")
    axe()
    screenshot("clients-register-located")

    browser_context.clear_permissions()  # the person says no when the phone asks
    page.fill("#id_latitude", "")
    button.click()
    expect(status).to_contain_text("did not allow its location to be used")
    expect(page.locator("#id_latitude")).to_have_value("")


def test_without_geolocation_the_button_stays_hidden(live_world, page, sign_in, live_url):
    sign_in(live_world.alice)
    page.add_init_script("delete Navigator.prototype.geolocation")
    page.goto(live_url("/clients/register/"))
    expect(page.locator("#id_latitude")).to_be_visible()
    expect(page.locator("[data-locate]")).to_be_hidden()
