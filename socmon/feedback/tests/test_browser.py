"""The public sends feedback in Romanian on a 390-px phone, the director answers it, and the sender reads the
answer with the tracking code (Debian's Chromium, axe on every page)."""

import pytest

from socmon.visits.tests.test_browser_phone import assert_fits_the_phone

from ..models import Feedback

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_public_sends_feedback_in_romanian_and_the_provider_answers_it(live_world, page, sign_in, live_url,
                                                                          axe, screenshot):
    world = live_world
    page.set_viewport_size(PHONE)
    page.goto(live_url("/r/feedback/"))
    page.get_by_role("link", name="Română").click()
    assert page.locator("html").get_attribute("lang") == "ro"
    axe()
    assert_fits_the_phone(page)
    page.locator("#id_kind_0").check()
    page.locator("#id_text").fill("Am așteptat două ore la recepție.")
    # The institution is found by part of its name (Enter in the box finds it); what was typed stays.
    page.locator("#id_institution_q").fill("riverside")
    page.locator("#id_institution_q").press("Enter")
    page.locator("#institution-matches input[type=radio]").first.wait_for()
    assert page.locator("#id_text").input_value() == "Am așteptat două ore la recepție."
    assert page.locator("#id_kind_0").is_checked()
    axe()
    assert_fits_the_phone(page)
    screenshot("feedback-public-find-phone-ro")
    page.get_by_label("Riverside Centre · Riverside").check()
    page.locator("#id_category_1").check()
    page.locator("button[type=submit]:not([name=find])").click()
    code = page.locator("#tracking-code").inner_text()
    axe()
    assert_fits_the_phone(page)
    screenshot("feedback-public-sent-phone-ro")
    feedback = Feedback.objects.get()
    assert (feedback.language, feedback.org_unit_id, feedback.source) == ("ro", world.centre.pk, "public")

    sign_in(world.dora)
    page.goto(live_url(f"/feedback/{feedback.pk}/"))
    axe()
    assert_fits_the_phone(page)
    page.locator("#id_answer").fill("Am angajat încă o persoană la recepție.")
    page.locator("#id_channel_0").check()
    page.get_by_role("button", name="Record the answer").click()
    page.get_by_text("The answer was recorded.").wait_for()
    page.goto(live_url("/feedback/"))
    axe()
    assert_fits_the_phone(page)

    page.context.clear_cookies()
    page.goto(live_url(f"/r/feedback/track/{code}/"))
    assert page.locator("html").get_attribute("lang") == "ro"
    assert "Am angajat încă o persoană la recepție." in page.content()
    axe()
    assert_fits_the_phone(page)
    screenshot("feedback-public-answered-phone-ro")
