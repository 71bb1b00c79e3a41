"""A temporary password in a real browser: the administrator sets it from the unit page, the person signs in
with it and must choose their own; every page on the way passes axe (WCAG 2.2 AA) and fits a phone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from socmon.accounts.tests.browser_helpers import sign_out, submit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
NEW = "a-quiet-river-at-dawn"


def test_the_administrator_resets_alices_password_and_alice_chooses_her_own(
        live_world, page, sign_in, live_url, axe, screenshot):
    sign_in(live_world.adam)
    page.goto(live_url(reverse("orgs:unit", args=[live_world.home_care.pk])))
    page.click(f"main a[href='{reverse('orgs:password_reset', args=[live_world.alice.pk])}']")
    expect(page.locator("h1")).to_have_text("Reset password")
    axe()
    assert submit(page) == 200
    expect(page.locator(".govuk-panel__title")).to_have_text("Temporary password set")
    password = page.locator("#temporary-password").inner_text().strip()
    axe()
    screenshot("orgs-temporary-password")
    sign_out(page)

    sign_in(live_world.alice, password)
    expect(page.locator("h1")).to_have_text("Change your password")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("temporary password")
    axe()
    page.goto(live_url(reverse("visits:my_day")))  # any other page sends her back
    expect(page.locator("h1")).to_have_text("Change your password")
    page.fill("#id_oldpassword", password)
    page.fill("#id_password1", NEW)
    page.fill("#id_password2", "not-the-same-one-at-all")
    assert submit(page) == 200
    expect(page.locator(".govuk-error-summary")).to_contain_text("not the same")
    axe()
    page.fill("#id_oldpassword", password)
    page.fill("#id_password1", NEW)
    page.fill("#id_password2", NEW)
    submit(page)
    expect(page.locator("h1")).to_have_text("Account security")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your password was changed.")
    page.goto(live_url(reverse("visits:my_day")))
    expect(page.locator("h1")).not_to_have_text("Change your password")


def test_the_password_and_person_pages_fit_a_phone(live_world, page, sign_in, live_url, axe):
    page.set_viewport_size(PHONE)
    sign_in(live_world.adam)
    for path in [reverse("orgs:unit", args=[live_world.home_care.pk]), reverse("orgs:people") + "?q=home+care",
                 reverse("orgs:password_reset", args=[live_world.alice.pk]),
                 reverse("orgs:membership_add", args=[live_world.family.pk]) + "?q=home+care",
                 reverse("account_change_password"), reverse("mfa_index")]:
        page.goto(live_url(path))
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        axe()
