"""Regenerate the screenshots in docs/images from a running demo server.

    .venv/bin/python docs/screenshots.py [BASE_URL]          # default http://127.0.0.1:8000
    .venv/bin/python docs/screenshots.py --review OUT_DIR     # every foundation page, English and
                                                              # Russian, desktop and phone, to look at

`make screenshots` starts a throwaway demo server on port 8020 and runs this against it. The server must
hold the demo world (`manage.py demo`): the script signs in as its users with the demo password.
Uses Debian's Chromium through Playwright, like the browser tests; nothing leaves the machine.
"""

import argparse
import io
import shutil
import sys
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

DEMO_PASSWORD = "socmon-demo-2026"
IMAGES = Path(__file__).resolve().parent / "images"
DESKTOP = {"width": 1100, "height": 800}
PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [  # as in socmon/browser.py: no background traffic, nothing but the server reachable
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]
MAX_HEIGHT = 1400  # longer pages are cut: a guide shows the top of a page, not all of it

# image name → (user or None, where). Pages that depend on the demo world are found by following links
# from the org tree, not by database ids (see go()).
GUIDE_SHOTS = {
    "sign-in": (None, "/accounts/login/"),
    "sign-in-russian": (None, "/language/ru/?next=/accounts/login/"),
    "account-security": ("worker", "/accounts/2fa/"),
    "larger-text": ("worker", "/text-size/?next=/"),
    "social-worker-home": ("worker", "/"),
    "social-worker-department": ("worker", "unit:Home Care Department"),
    "department-head-home": ("head", "/"),
    "department-head-department": ("head", "unit:Home Care Department"),
    "institution-director-home": ("director", "/"),
    "institution-director-organisation": ("director", "/org/"),
    "monitoring-specialist-home": ("specialist", "/"),
    "monitoring-specialist-organisation": ("specialist", "/org/"),
    "analyst-home": ("analyst", "/"),
    "analyst-organisation": ("analyst", "/org/"),
    "external-evaluator-home": ("evaluator", "/"),
    "external-evaluator-unit": ("evaluator", "unit:Talgar Centre for Social Services"),
    "administrator-home": ("admin", "/"),
    "administrator-unit": ("admin", "unit:Talgar Centre for Social Services"),
    "administrator-add-person": ("admin", "form:Talgar Centre for Social Services:people/new/"),
}


def launch(playwright):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Debian's chromium is not installed: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


def new_page(browser, base: str, viewport: dict, user: str | None, language: str = "en"):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.route(lambda url: not url.startswith(base), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    if language != "en":
        page.goto(f"{base}/language/{language}/?next=/accounts/login/")
    if user:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_login", user)
        page.fill("#id_password", DEMO_PASSWORD)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        if "/login/" in page.url:
            sys.exit(f"Could not sign in as {user}: is {base} the demo server (manage.py demo)?")
    return page


def go(page, base: str, where: str) -> None:
    """A path, or `unit:<name>` (the unit's page, found through the org tree), or
    `form:<unit>:<suffix>` (a page under that unit's address, e.g. edit/)."""
    if where.startswith(("unit:", "form:")):
        _, unit, *suffix = where.split(":")
        page.goto(f"{base}/org/")
        with page.expect_navigation():
            page.click(f"main a:text-is('{unit}')")
        if suffix:
            page.goto(page.url + suffix[0])
    else:
        page.goto(base + where)


def save(page, path: Path, full_page: bool = True) -> None:
    """A PNG of the page (top MAX_HEIGHT px), reduced to 256 colours: a GOV.UK page has few, and the
    docs stay small."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    width = page.viewport_size["width"]
    png = page.screenshot(full_page=full_page, clip={"x": 0, "y": 0, "width": width, "height": height})
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def guide_shots(browser, base: str) -> None:
    pages = {}
    for name, (user, where) in GUIDE_SHOTS.items():
        if user not in pages:
            pages[user] = new_page(browser, base, DESKTOP, user)
        page = pages[user]
        go(page, base, where)
        save(page, IMAGES / f"{name}.png")
        if name == "larger-text":
            go(page, base, "/text-size/?next=/")  # back to the standard size for the next shots


REVIEW_PAGES = [
    (None, "/accounts/login/"), (None, "/accessibility/"),
    ("admin", "/"), ("admin", "/org/"), ("admin", "unit:Talgar Centre for Social Services"),
    ("admin", "form:Talgar Centre for Social Services:edit/"),
    ("admin", "form:Talgar Centre for Social Services:move/"),
    ("admin", "form:Talgar Centre for Social Services:add/"),
    ("admin", "form:Talgar Centre for Social Services:people/new/"),
    ("admin", "form:Talgar Centre for Social Services:roles/add/"),
    ("worker", "/"), ("worker", "/accounts/2fa/"), ("worker", "/org/units/999999/"),
    ("evaluator", "/"), ("evaluator", "unit:Talgar Centre for Social Services"),
]


def review_shots(browser, base: str, out: Path) -> None:
    for language in ["en", "ru"]:
        for size, viewport in [("desktop", DESKTOP), ("phone", PHONE)]:
            pages = {}
            for index, (user, where) in enumerate(REVIEW_PAGES):
                if user not in pages:
                    pages[user] = new_page(browser, base, viewport, user, language)
                page = pages[user]
                try:
                    go(page, base, where)
                except Exception as error:  # a link missing in one language should not stop the rest
                    print(f"skipped {where} ({language}): {error}".splitlines()[0])
                    continue
                slug = "".join(c if c.isalnum() else "-" for c in where.lower()).strip("-") or "home"
                save(page, out / f"{language}-{size}" / f"{index:02d}-{user or 'anonymous'}-{slug[-40:]}.png")
            for page in pages.values():
                page.context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--review", type=Path, help="write every foundation page here instead")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            if args.review:
                review_shots(browser, base, args.review)
            else:
                guide_shots(browser, base)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
