"""Every foundation page outside the org tree passes axe-core at WCAG 2.2 AA, as the people who use it.

The org pages (tree, unit, forms) are checked in socmon/orgs/tests/test_browser_org.py; the sign-in
stages, the lock-out page and the authenticator pages are also checked inside their own journeys
(test_browser_sign_in.py, test_browser_totp.py).
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from socmon.accounts.tests.browser_helpers import submit
from socmon.browser import choose_language
from socmon.test import PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def test_the_sign_in_page_is_accessible_empty_and_with_errors(live_world, page, live_url, axe):
    page.goto(live_url("/accounts/login/"))
    axe()
    assert submit(page) == 200
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe()


@pytest.mark.parametrize("persona", ["alice", "heidi", "dora", "sam", "ann", "eve", "adam", "root"])
def test_every_persona_gets_an_accessible_home_page(live_world, page, sign_in, persona, axe):
    sign_in(getattr(live_world, persona))
    expect(page.locator("h1")).to_contain_text("Welcome")
    axe()


@pytest.mark.parametrize("language", ["en", "ru", "az", "kk", "ro"])
def test_the_home_page_is_accessible_in_each_language(live_world, page, sign_in, live_url, language, axe):
    sign_in(live_world.dora)
    choose_language(page, live_url("/"), language)
    assert page.locator("html").get_attribute("lang") == language
    axe()


@pytest.mark.parametrize("path", ["/", "/org/", "/accounts/2fa/"])
def test_pages_fit_a_phone_with_larger_text(live_world, page, sign_in, live_url, path, axe):
    page.set_viewport_size(PHONE)
    sign_in(live_world.adam)
    page.goto(live_url(path))
    size = "parseFloat(getComputedStyle(document.querySelector('main h1')).fontSize)"
    standard = page.evaluate(size)
    with page.expect_navigation():
        page.click("footer form[action='/text-size/'] button")
    assert page.evaluate(size) >= 1.2 * standard  # the text really grows
    axe()
    # Nothing is wider than the phone's screen (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_account_security_pages_are_accessible(live_world, page, sign_in, live_url, axe):
    sign_in(live_world.alice)
    page.goto(live_url(reverse("mfa_index")))
    axe()
    page.click(f"main a[href='{reverse('mfa_activate_totp')}']")
    # Changing the account's security asks for the password again first.
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    axe()
    assert submit(page) == 200
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    axe()
    page.fill("#id_password", PASSWORD)
    submit(page)
    expect(page.locator("#authenticator_secret")).to_be_visible()
    axe()


def test_the_sign_out_confirmation_page_is_accessible(live_world, page, sign_in, live_url, axe):
    sign_in(live_world.alice)
    page.goto(live_url(reverse("account_logout")))
    expect(page.locator("h1")).to_have_text("Sign out")
    axe()


def test_not_found_and_forbidden_pages_are_accessible(live_world, page, sign_in, live_url, axe):
    sign_in(live_world.dora)
    assert page.goto(live_url("/org/units/999999/")).status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    axe()
    assert page.goto(live_url(reverse("orgs:edit", args=[live_world.home_care.pk]))).status == 403
    expect(page.locator("h1")).to_have_text("Your role does not allow this")
    axe()


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_accessibility_page_is_accessible(live_world, page, sign_in, live_url, signed_in, axe):
    if signed_in:
        sign_in(live_world.eve)
    page.goto(live_url(reverse("accessibility")))
    expect(page.locator("h1")).to_have_text("Accessibility")
    axe()
