"""The worker's first screen on a phone (issue 8): the check-in button without scrolling."""

import pytest

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("path", ["/", "/visits/day/"])
def test_check_in_is_on_the_first_screen_of_a_phone(live_world, page, sign_in, live_url, path, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(live_world.alice)
    page.goto(live_url(path))
    button = page.locator("#check-in-button")
    box = button.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    assert box["width"] >= 200 and box["height"] >= 36  # a GOV.UK button, well above WCAG 2.2's 24 px
    screenshot("check-in-first-screen" + path.replace("/", "-").rstrip("-"))
    button.click()
    page.wait_for_url("**/visits/check-in/**")
