"""Browser-test fixtures: Playwright's Python package driving Debian's Chromium (never a downloaded one).

Use in a test module:

    pytestmark = pytest.mark.browser

    def test_something(live_world, page, sign_in, axe):
        sign_in(live_world.alice)              # through the real login form
        page.goto(live_url("/org/"))
        axe()                                  # zero WCAG 2.2 AA violations on the current page

`live_world` is the persona world (socmon.test) committed to a real database the live server reads.
"""

import json
import os
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache

from socmon.test import PASSWORD, World, build_world

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    return path


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


def choose_language(page, url: str, code: str) -> None:
    """Open `url` and choose the language `code` with the page's own language buttons (a POST form)."""
    page.goto(url)
    button = page.locator(f".govuk-language-navigation button[lang={code}]")
    if button.count():  # none when `code` is already the page's language
        with page.expect_navigation():
            button.click()


@pytest.fixture
def live_world(transactional_db) -> World:
    cache.clear()  # allauth counts failed sign-ins and used codes in the cache, which outlives the database
    return build_world()  # re-seeds what data migrations create, wiped by the previous test's flush


@pytest.fixture
def live_url(live_server):
    def _url(path: str) -> str:
        return live_server.url + path

    return _url


@pytest.fixture
def browser_context(chromium, live_server):
    context = chromium.new_context(viewport={"width": 1100, "height": 900}, locale="en-GB")
    # Nothing may leave the machine: every request to another host is aborted.
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    page = browser_context.new_page()
    page.set_default_timeout(10_000)
    yield page
    page.close()


@pytest.fixture
def sign_in(page, live_url):
    """Sign in through the real login form as a persona."""

    def _sign_in(user, password: str = PASSWORD):
        page.goto(live_url("/accounts/login/"))
        page.fill("#id_login", user.username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")

    return _sign_in


def check_axe(page, context: str = "document") -> None:
    """Fail with a readable list if axe-core finds WCAG 2.2 AA violations on the page as the user sees it."""
    # A form post or link may still be loading its stylesheet when the test's selector appears; unstyled
    # buttons are smaller than 24 px, so scan only the finished page (this raced once in CI).
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so our CSP (rightly) stays on for the page itself.
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        "async (tags) => await axe.run(" + context + ", {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert not violations, f"axe violations on {page.url}:\n" + json.dumps(violations, indent=1)


@pytest.fixture
def axe(page):
    """Run axe-core on the current page; fail with a readable list of violations."""

    def _axe(context: str = "document"):
        check_axe(page, context)

    return _axe


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ (git-ignored) to look at."""

    def _shot(name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot
