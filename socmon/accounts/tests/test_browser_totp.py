"""Turning on an authenticator app and signing in with it, in a real browser, checked with axe at each step."""

import pytest
from allauth.mfa.totp.internal import auth as totp
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from socmon.accounts.tests.browser_helpers import sign_out, submit
from socmon.test import PASSWORD

pytestmark = pytest.mark.browser


def current_code(secret: str) -> str:
    """What the person's authenticator app shows now (allauth's own HOTP over the current time step)."""
    counter = next(iter(totp.yield_hotp_counters_from_time()))
    return totp.format_hotp_value(totp.hotp_value(secret, counter))


def forget_used_codes() -> None:
    # allauth refuses a code a second time within its 30-second step (replay protection, kept in the
    # cache). A person would wait for the next code; the test forgets the used one instead.
    cache.clear()


def turn_on_authenticator(page, live_url, axe) -> tuple[str, list[str]]:
    page.goto(live_url(reverse("mfa_index")))
    expect(page.locator("main .govuk-tag")).to_have_text("Off")
    page.click(f"main a[href='{reverse('mfa_activate_totp')}']")
    expect(page.locator("h1")).to_have_text("Confirm it is you")
    page.fill("#id_password", PASSWORD)
    submit(page)
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) == 32
    expect(page.locator("main img[alt]")).to_be_visible()  # the QR code, with a text alternative
    axe()
    page.fill("#id_code", "123456" if current_code(secret) != "123456" else "654321")
    assert submit(page) == 200
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code is not right")
    axe()
    page.fill("#id_code", current_code(secret))
    submit(page)
    # Straight to the recovery codes, to write down or print.
    expect(page.locator("h1")).to_have_text("Recovery codes")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your authenticator app is on")
    codes = page.locator("main code").all_inner_texts()
    assert len(codes) == 10
    axe()
    page.goto(live_url(reverse("mfa_index")))
    expect(page.locator("main .govuk-tag")).to_have_text("On")
    axe()
    return secret, codes


def test_with_an_authenticator_app_signing_in_asks_for_its_code(live_world, page, live_url, sign_in, axe):
    sign_in(live_world.alice)
    secret, _codes = turn_on_authenticator(page, live_url, axe)
    sign_out(page)

    sign_in(live_world.alice)
    assert page.url == live_url(reverse("mfa_authenticate"))
    expect(page.locator("h1")).to_have_text("Enter your authenticator code")
    axe()
    # The password alone does not open the account: the home page sends the person back for the code.
    page.goto(live_url("/"))
    assert page.url != live_url("/")
    expect(page.locator("h1")).to_have_text("Enter your authenticator code")

    page.fill("#id_code", "000000" if current_code(secret) != "000000" else "111111")
    assert submit(page) == 200
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "That code is not right. Enter the code your authenticator app shows now.")
    expect(page.locator("#id_code_error")).to_be_visible()
    assert page.title().startswith("Error:")
    axe()
    forget_used_codes()
    page.fill("#id_code", current_code(secret))
    submit(page)
    assert page.url == live_url("/")
    expect(page.locator("h1")).to_have_text("Welcome, Alice Akhmetova")


def test_a_recovery_code_opens_the_account_once(live_world, page, live_url, sign_in, axe):
    sign_in(live_world.heidi)
    _secret, codes = turn_on_authenticator(page, live_url, axe)
    sign_out(page)

    sign_in(live_world.heidi)
    page.fill("#id_code", codes[0])
    submit(page)
    expect(page.locator("h1")).to_have_text("Welcome, Heidi Hasanova")
    page.goto(live_url(reverse("mfa_index")))
    expect(page.locator("main")).to_contain_text("You have 9 unused recovery codes")
    sign_out(page)

    sign_in(live_world.heidi)
    page.fill("#id_code", codes[0])
    assert submit(page) == 200
    expect(page.locator(".govuk-error-summary")).to_contain_text("That code is not right")
    page.fill("#id_code", codes[1])
    submit(page)
    expect(page.locator("h1")).to_have_text("Welcome, Heidi Hasanova")


def test_turning_the_authenticator_off_asks_for_confirmation(live_world, page, live_url, sign_in, axe):
    sign_in(live_world.dora)
    turn_on_authenticator(page, live_url, axe)
    page.click(f"main a[href='{reverse('mfa_deactivate_totp')}']")
    expect(page.locator("h1")).to_have_text("Turn off the authenticator app")
    axe()
    submit(page)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Your authenticator app is off")
    expect(page.locator("main .govuk-tag")).to_have_text("Off")
    axe()
