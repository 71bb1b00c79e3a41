"""Signing in, languages, lock-out and keyboard use, in a real browser (Debian's Chromium)."""

import pytest
from playwright.sync_api import expect

from socmon.accounts.tests.browser_helpers import in_language, sign_out, submit
from socmon.browser import choose_language
from socmon.test import PASSWORD

pytestmark = pytest.mark.browser


def fill_sign_in(page, username: str, password: str) -> int:
    page.fill("#id_login", username)
    page.fill("#id_password", password)
    return submit(page)


def test_a_wrong_password_shows_a_translated_error_and_stays_on_the_sign_in_page(
        live_world, page, live_url, axe):
    page.goto(live_url("/accounts/login/"))
    with page.expect_navigation():
        page.click(".govuk-language-navigation button[lang=ru]")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert fill_sign_in(page, "alice", "not-the-password") == 200
    assert page.url.startswith(live_url("/accounts/login/"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.locator("h2")).to_have_text(in_language("ru", "There is a problem"))
    expect(summary).to_contain_text(
        in_language("ru", "The username or password is not right. Check them and try again."))
    assert page.title().startswith(in_language("ru", "Error:"))
    expect(page.locator("#id_login")).to_have_value("alice")  # no retyping the username
    axe()


def test_each_language_is_offered_in_its_own_words(live_world, page, live_url):
    choose_language(page, live_url("/accounts/login/"), "ru")
    names = dict(zip(page.locator(".govuk-language-navigation [lang]").evaluate_all("els => els.map(e => e.lang)"),
                     page.locator(".govuk-language-navigation [lang]").all_inner_texts(), strict=True))
    assert names == {"en": "English", "ru": "Русский", "az": "Azərbaycan dili", "kk": "Қазақ тілі",
                     "ro": "Română"}


def test_kazakh_sticks_across_pages_and_after_signing_out(live_world, page, live_url, sign_in):
    sign_in(live_world.alice)
    with page.expect_navigation():
        page.click(".govuk-language-navigation button[lang=kk]")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    for path in ["/", "/org/", "/accounts/2fa/", "/accessibility/"]:
        page.goto(live_url(path))
        assert page.locator("html").get_attribute("lang") == "kk", path
    expect(page.locator("h1")).to_have_text(in_language("kk", "Accessibility"))
    sign_out(page)
    assert page.url.startswith(live_url("/accounts/login/"))
    assert page.locator("html").get_attribute("lang") == "kk"  # the cookie stays on this device
    live_world.alice.refresh_from_db()
    assert live_world.alice.language == "kk"  # and the choice is saved on the account


def test_the_saved_language_comes_back_on_a_new_device(live_world, page, live_url, sign_in, chromium,
                                                        live_server):
    sign_in(live_world.alice)
    with page.expect_navigation():
        page.click(".govuk-language-navigation button[lang=kk]")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    # Another device: no cookie, an English browser. Once Alice signs in, her saved language applies.
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    try:
        other = context.new_page()
        other.goto(live_url("/accounts/login/"))
        assert other.locator("html").get_attribute("lang") == "en"
        fill_sign_in(other, "alice", PASSWORD)
        assert other.url == live_url("/")
        assert other.locator("html").get_attribute("lang") == "kk"
        other.goto(live_url("/org/"))
        assert other.locator("html").get_attribute("lang") == "kk"
    finally:
        context.close()


def test_five_wrong_passwords_lock_the_account_with_a_friendly_page_in_the_current_language(
        live_world, page, live_url, axe, settings):
    choose_language(page, live_url("/accounts/login/"), "ro")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        assert fill_sign_in(page, "bob", f"wrong-{attempt}") == 200
    assert fill_sign_in(page, "bob", "wrong-again") == 429
    assert page.locator("html").get_attribute("lang") == "ro"
    expect(page.locator("h1")).to_have_text(in_language("ro", "Your account is locked for now"))
    expect(page.locator("main")).to_contain_text("15")  # how many minutes the lock lasts
    axe()
    # Even the right password is refused while the lock lasts (allauth's own rate limit may answer
    # first, with its translated "too many attempts"); other people can still sign in.
    page.goto(live_url("/accounts/login/"))
    fill_sign_in(page, "bob", PASSWORD)
    refusal = page.locator("main").inner_text()
    assert any(in_language("ro", text) in refusal for text in [
        "Your account is locked for now", "Too many attempts. Wait a few minutes and try again."])
    page.goto(live_url("/"))
    assert page.url.startswith(live_url("/accounts/login/"))
    page.goto(live_url("/accounts/login/"))
    assert fill_sign_in(page, "alice", PASSWORD) == 200
    assert page.url == live_url("/")


def test_the_first_tab_reaches_the_skip_link_which_moves_focus_to_the_main_content(
        live_world, page, live_url, sign_in):
    sign_in(live_world.heidi)
    page.goto(live_url("/org/"))
    page.keyboard.press("Tab")
    skip = page.locator(".govuk-skip-link")
    expect(skip).to_be_focused()
    assert skip.get_attribute("href") == "#main-content"
    expect(skip).to_be_visible()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page.locator("main#main-content")).to_be_focused()
    # The next Tab continues inside the page content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_a_keyboard_user_can_sign_in_without_a_mouse(live_world, page, live_url):
    page.goto(live_url("/accounts/login/"))
    page.focus("#id_login")
    page.keyboard.type("dora")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Welcome, Dora Dumitru")


def test_the_language_buttons_read_as_links_and_work_from_the_keyboard_on_a_phone(live_world, page, live_url, axe,
                                                                                   screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_url("/accounts/login/"))
    button = page.locator(".govuk-language-navigation button[lang=ru]")
    style = button.evaluate("b => { const s = getComputedStyle(b); return [s.textDecorationLine, s.backgroundColor,"
                            " s.borderTopWidth, s.fontSize, getComputedStyle(b.closest('li')).fontSize]; }")
    assert style[0] == "underline" and style[1] == "rgba(0, 0, 0, 0)" and style[2] == "0px"
    assert style[3] == style[4]  # the same size as the current language beside it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe()
    screenshot("language-buttons-phone")
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.url == live_url("/accounts/login/")
