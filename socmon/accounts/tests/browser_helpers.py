"""Helpers for the foundation's browser tests.

`seeded_world()` and `reseed()` now live in socmon.browser (its `live_world` uses them).
"""

from django.utils import translation

from socmon.browser import reseed, seeded_world  # noqa: F401  (kept importable for these tests)


def submit(page, selector: str = "main button[type=submit]") -> int:
    """Click a button that sends a form and wait for the next page; returns its HTTP status."""
    with page.expect_navigation() as navigation:
        page.click(selector)
    return navigation.value.status


def sign_out(page) -> None:
    submit(page, "header form button[type=submit]")  # the header's Sign out, in whatever language


def in_language(code: str, text: str) -> str:
    """Our catalogue's translation of `text`; fails if there is none (the page would show English)."""
    with translation.override(code):
        translated = translation.gettext(text)
    assert translated != text, f"{text!r} has no {code} translation"
    return translated


def sign_in_as(page, live_url, user, password: str) -> int:
    """socmon.browser's sign_in, waiting for the page after the redirect (a goto straight after its
    click could cancel the sign-in)."""
    page.goto(live_url("/accounts/login/"))
    page.fill("#id_login", user.username)
    page.fill("#id_password", password)
    return submit(page)
