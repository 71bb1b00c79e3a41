"""The outside organisation's link in a real browser on a 390-px phone: the sender's page shows the link, the
organisation accepts and later records that the person joined; every page passes axe (WCAG 2.2 AA)."""

import pytest
from django.utils import timezone

from .. import services
from ..models import Referral
from . import factories

pytestmark = pytest.mark.browser


def test_the_organisation_answers_on_a_phone_and_the_sender_sees_it(live_world, page, sign_in, live_url, axe,
                                                                     screenshot):
    w = live_world
    case = factories.case_in(w, "active")
    referral = services.send_referral(by=w.alice, case=case, programme="Day care with meals", kind="violence",
                                      notes="Call her daughter first", to_external="Lakeside Day Centre")
    sign_in(w.alice)
    page.goto(live_url(f"/cases/referrals/{referral.pk}/"))
    axe()
    screenshot("referral-link-sender")
    link = page.locator("#referral-link").input_value()

    page.set_viewport_size({"width": 390, "height": 844})
    page.context.clear_cookies()
    page.goto(link + "?lang=ru")
    axe()
    screenshot("referral-link-answer-ru")
    page.goto(link + "?lang=en")
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answer").click()
    assert "Choose whether you accept or decline" in page.locator("main").inner_text()
    axe()
    page.get_by_label("Accept the referral").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Send your answer").click()
    axe()
    screenshot("referral-link-outcome")
    page.get_by_label("Yes, the person joined").check()
    page.fill("#id_joined_on", timezone.localdate().isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Save the outcome").click()
    assert "Thank you for your answer" in page.locator("h1").inner_text()
    axe()
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.status, referral.joined) == ("completed", True)
