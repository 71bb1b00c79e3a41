"""Helpers for the foundation's browser tests.

The world, sign-in and axe fixtures are socmon.browser's; these are the small extras the
foundation's browser tests share.
"""

from django.utils import translation


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
