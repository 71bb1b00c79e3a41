"""Regenerate the screenshots in docs/images from a running demo server.

    .venv/bin/python docs/screenshots.py [BASE_URL]          # default http://127.0.0.1:8000
    .venv/bin/python docs/screenshots.py --review OUT_DIR     # every foundation page, English and
                                                              # Russian, desktop and phone, to look at
    .venv/bin/python docs/screenshots.py --only 'department-head-feedback*' [BASE_URL]   # some shots only

`make screenshots` starts a throwaway demo server on port 8020 and runs this against it. The server must
hold the demo world (`manage.py demo`): the script signs in as its users with the demo password.
Uses Debian's Chromium through Playwright, like the browser tests; nothing leaves the machine.
"""

import argparse
import datetime
import fnmatch
import io
import re
import shutil
import subprocess
import sys
import tempfile
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

# image name → (user or None, where, size, from). `where` is a path, `unit:`/`form:` (see go()), or a function
# (page, base) that gets there by following links and acting, as a person would; `size` is "desktop" (the
# default) or "phone"; `from` (optional) a selector: the picture starts at that element instead of the top.
# Pages that depend on the demo world are found by following links, not by database ids. The order matters:
# later shots see what earlier ones did (the worker checks out a visit, the client rates it, the head's live
# view shows it). Field pages (the worker's day and visit, the client's rating pages) are shot at phone width.
GUIDE_SHOTS: dict[str, tuple] = {
    "sign-in": (None, "/accounts/login/"),
    "sign-in-russian": (None, lambda page, base: choose_language(page, base, "/accounts/login/", "ru")),
    "account-security": ("worker", "/accounts/2fa/"),
    "larger-text": ("worker", lambda page, base: toggle_text_size(page, base, "/")),
    "social-worker-home": ("worker", "/"),
    "social-worker-home-phone": ("worker", "/", "phone"),
    "social-worker-department": ("worker", "unit:Home Care Department"),
    "social-worker-my-clients": ("worker", "/clients/mine/"),
    "social-worker-client": ("worker", lambda page, base: open_mine(page, base)),
    "social-worker-register-duplicate": ("worker", lambda page, base: register_duplicate(page, base)),
    "social-worker-card": ("worker", lambda page, base: issue_card(page, base)),
    # A colleague's client, as the demo's worker2 opens it when covering for worker.
    "social-worker-purpose": ("worker2", lambda page, base: page.goto(STATE["client_url"])),
    "social-worker-case": ("worker", lambda page, base: open_case(page, base, "Needs assessment")),
    "social-worker-case-delivered": ("worker", lambda page, base: open_case(page, base, "Services in progress"),
                                     "desktop", "#plan-delivery"),
    "social-worker-referral": ("worker", lambda page, base: new_referral(page, base)),
    "social-worker-referrals-sent": ("worker", "/cases/referrals/sent/"),
    "social-worker-referral-link": ("worker", lambda page, base: referral_link(page, base)),
    # The outside organisation opens the link it was sent: no account, the person named only by a code.
    "outside-organisation-referral": (None, lambda page, base: page.goto(STATE["referral_link"]), "phone"),
    "social-worker-my-day": ("worker", "/visits/day/", "phone"),
    "social-worker-my-day-details": ("worker", lambda page, base: open_details(page, base), "phone",
                                     "li.socmon-visit:has(details[open])"),
    "social-worker-without-card": ("worker", "/visits/day/", "phone", "#without-card"),
    "social-worker-check-in-without-card": ("worker", lambda page, base: without_card(page, base), "phone"),
    "social-worker-check-in": ("worker", "/visits/check-in/", "phone"),
    "social-worker-visit": ("worker", lambda page, base: record_service(page, base), "phone"),
    "social-worker-rating-code": ("worker", lambda page, base: check_out(page, base), "phone"),
    "client-rating": (None, lambda page, base: page.goto(STATE["rating_url"] + "?lang=en"), "phone"),
    "client-rating-thanks": (None, lambda page, base: rate(page, base), "phone"),
    "client-rating-code-entry": (None, "/r/?lang=en", "phone"),
    # The record of the person just visited and rated: the visit, its services, notes and rating on the timeline.
    "social-worker-client-timeline": ("worker", lambda page, base: page.goto(base + STATE["visited_client"]),
                                      "desktop", "#timeline"),
    "department-head-home": ("head", "/"),
    "department-head-department": ("head", "unit:Home Care Department"),
    "department-head-caseloads": ("head", "/clients/caseloads/"),
    "department-head-approvals": ("head", "/cases/"),
    "department-head-decide": ("head", lambda page, base: decide(page, base)),
    "department-head-access-report": ("head", lambda page, base: access_report(page, base)),
    "department-head-live": ("head", "/visits/live/"),
    "department-head-flags": ("head", "/visits/live/", "desktop", "#live-board h2:has-text('Worth a look')"),
    "department-head-flag-check": ("head", lambda page, base: check_flag(page, base)),
    "department-head-cases-phone": ("head", "/cases/", "phone"),
    "department-head-report": ("head", "/visits/reports/"),
    # The demo's head of Talgar's Family Support Department, where the demo's urgent referral waits.
    "department-head-referrals": ("sergey.volkov", "/cases/referrals/"),
    "institution-director-home": ("director", "/"),
    "institution-director-organisation": ("director", "/org/"),
    "institution-director-clients": ("director", "/clients/"),
    "institution-director-live": ("director", "/visits/live/"),
    "monitoring-specialist-home": ("specialist", "/"),
    "monitoring-specialist-organisation": ("specialist", "/org/"),
    "monitoring-specialist-report": ("specialist", "/visits/reports/"),
    "analyst-home": ("analyst", "/"),
    "analyst-organisation": ("analyst", "/org/"),
    "analyst-live": ("analyst", "/visits/live/"),
    "external-evaluator-home": ("evaluator", "/"),
    "external-evaluator-unit": ("evaluator", "unit:Talgar Centre for Social Services"),
    "external-evaluator-report": ("evaluator", "/visits/reports/"),
    # Issue 9: activities, feedback and surveys.
    "social-worker-activities": ("worker", "/activities/"),
    "social-worker-activity": ("worker", lambda page, base: open_activity(page, base, "Chair exercises")),
    "social-worker-activity-phone": ("worker", lambda page, base: open_activity(page, base, "Chair exercises"),
                                     "phone", "main :is(h2, h3):has-text('Clients who attended')"),
    "social-worker-feedback-note": ("worker", "/feedback/new/"),
    "social-worker-survey-invitation": ("worker", lambda page, base: open_invitation(page, base)),
    "social-worker-interview": ("worker", lambda page, base: interview(page, base), "phone"),
    "public-feedback-form": (None, "/r/feedback/?lang=ro", "phone"),
    "public-feedback-sent": (None, lambda page, base: send_feedback(page, base), "phone"),
    "public-feedback-track": (None, lambda page, base: page.goto(STATE["track_url"]), "phone"),
    "department-head-feedback": ("head", "/feedback/"),
    "department-head-feedback-answer": ("head", lambda page, base: follow(page, base, "/feedback/",
                                                                         "main a:has-text('Suggestion #')")),
    "department-head-feedback-overdue": ("head", lambda page, base: follow(page, base, "/feedback/",
                                                                          "main a:has-text('Complaint #3')")),
    "department-head-activities": ("head", "/activities/"),
    "institution-director-feedback": ("director", "/feedback/"),
    "institution-director-activity-summary": ("director", lambda page, base: last_month_summary(page, base)),
    "monitoring-specialist-questionnaires": ("specialist", "/surveys/questionnaires/"),
    "monitoring-specialist-questionnaire": ("specialist", lambda page, base: follow(
        page, base, "/surveys/questionnaires/", "main a:has-text('After a group activity')")),
    "monitoring-specialist-changes": ("specialist", lambda page, base: follow(
        page, base, page.url.removeprefix(base), "main a[href*='/changes/']")),
    "monitoring-specialist-campaigns": ("specialist", "/surveys/"),
    "monitoring-specialist-campaign": ("specialist", lambda page, base: follow(
        page, base, "/surveys/", "main a:has-text('Client survey, last six months')")),
    "monitoring-specialist-slips": ("specialist", lambda page, base: slips(page, base)),
    "monitoring-specialist-results": ("specialist", lambda page, base: follow(
        page, base, "/surveys/", "main a:has-text('Client survey, last six months')") or follow(
        page, base, page.url.removeprefix(base), "main a[href$='/results/']")),
    "monitoring-specialist-sample": ("specialist", lambda page, base: follow(
        page, base, "/surveys/", "main a:has-text('Yearly survey, random sample')")),
    # The client opens the slip's link on their phone; the page speaks the client's language (Kazakh here).
    "client-survey-phone": (None, lambda page, base: page.goto(STATE["survey_url"] + "?lang=kk"), "phone"),
    "client-feedback-card": (None, "/r/feedback/card/?lang=en", "phone"),
    "administrator-home": ("admin2", "/"),
    "administrator-unit": ("admin2", "unit:Talgar Centre for Social Services"),
    "administrator-add-person": ("admin2", "form:Talgar Centre for Social Services:people/new/"),
    "administrator-services": ("admin2", "/catalogue/"),
    "administrator-service-edit": ("admin2",
                                   lambda page, base: follow(page, base, "/catalogue/", "main a:has-text('Edit')")),
    "administrator-find-person": ("admin2", lambda page, base: find_person(page, base, "Family Support")),
    "administrator-password-reset": ("admin2", lambda page, base: reset_page(page, base, "Rashad Aliyev")),
    "administrator-temporary-password": ("admin2", lambda page, base: reset_password(page, base)),
    # The person signs in with the temporary password: every page leads to choosing their own.
    "change-password-required": ("rashad.aliyev", "/"),
    "change-password": ("worker", lambda page, base: follow(page, base, "/accounts/2fa/",
                                                            "main a[href$='/password/change/']")),
    # Indicators (issue 10): the catalogue, an indicator's values against targets, setting a target, the builder;
    # an external evaluator's view of the same values (small counts hidden); a breakdown by age group.
    "monitoring-specialist-indicators": ("specialist", "/indicators/"),
    "monitoring-specialist-indicator": ("specialist", "/indicators/IP2/", "desktop", "#values-heading"),
    "monitoring-specialist-indicator-targets": ("specialist", "/indicators/IP2/targets/"),
    "monitoring-specialist-define-indicator": ("specialist", "/indicators/custom/new/"),
    "external-evaluator-indicator": ("evaluator", "/indicators/IP2/", "desktop", "#values-heading"),
    "analyst-indicator-breakdown": ("analyst", "/indicators/IP2/?by=age", "desktop", "#values-heading"),
    # Programmes and M&E plans (issue 11): the list and the demo's programme with its approved plan.
    "monitoring-specialist-programmes": ("specialist", "/programmes/"),
    "monitoring-specialist-programme": ("specialist", lambda page, base: follow(
        page, base, "/programmes/", "main a:has-text('Staying at home')")),
    # Dashboards (issue 11): a unit's indicators against targets, its units compared and on a map; a programme's.
    "monitoring-specialist-dashboard": ("specialist", lambda page, base: charts(page, base, "/indicators/dashboard/"),
                                        "desktop", "#dashboard-heading"),
    "monitoring-specialist-dashboard-compare": ("specialist", lambda page, base: charts(
        page, base, "/indicators/dashboard/"), "desktop", "#compare"),
    "monitoring-specialist-programme-dashboard": ("specialist", lambda page, base: follow(
        page, base, "/programmes/", "main a:has-text('Staying at home')") or charts(
        page, base, page.url.removeprefix(base), "#dashboard-link")),
}
STATE: dict = {}  # what one shot leaves for a later one (the client registered, the rating address)


def follow(page, base: str, start: str, selector: str) -> None:
    """Open `start`, then the first link matching `selector`."""
    page.goto(base + start)
    with page.expect_navigation():
        page.locator(selector).first.click()


def charts(page, base: str, start: str, link: str | None = None) -> None:
    """Open `start` (then `link`, when given) and wait until every chart on the page is drawn."""
    if link:
        follow(page, base, start, link)
    else:
        page.goto(base + start)
    for index in range(page.locator("[data-chart]").count()):
        page.locator("[data-chart]").nth(index).locator("svg").wait_for()


def submit(page, button: str) -> None:
    with page.expect_navigation():
        page.locator(f"main button:has-text('{button}')").first.click()


def open_mine(page, base: str) -> None:
    """The first client on the worker's list; remembers their name and date of birth."""
    follow(page, base, "/clients/mine/", "main tbody a")
    STATE["client_url"] = page.url
    birth = page.locator("main dt:text-is('Date of birth') + dd").inner_text().strip()
    first, last = page.locator("main h1").inner_text().split(" ", 1)
    STATE["person"] = {"first": first, "last": last.strip(),
                       "birth": datetime.datetime.strptime(birth, "%d.%m.%Y").date().isoformat()}  # SHORT_DATE_FORMAT


def register_duplicate(page, base: str) -> None:
    """Register an application with the name and date of birth of a client who exists: socmon warns."""
    person, today = STATE["person"], datetime.date.today().isoformat()
    page.goto(base + "/clients/register/")
    page.check("#id_channel_0")
    page.fill("#id_request_text", "Help with shopping; lives alone since the winter.")
    page.fill("#id_received_on", today)
    page.fill("#id_first_name", person["first"])
    page.fill("#id_last_name", person["last"])
    page.fill("#id_birth_date", person["birth"])
    page.check("#id_sex_1")
    page.select_option("#id_category", index=5)
    page.select_option("#id_language", "en")
    page.fill("#id_address", "Talgar, Abai Street 12")
    page.fill("#id_consent_given_on", today)
    page.fill("#id_consent_scope", "Processing of personal data to provide social services.")
    submit(page, "Register the application")
    page.wait_for_selector("#duplicates")


def issue_card(page, base: str) -> None:
    """Register the person as a different one (in English, for an English card), issue and print the card."""
    submit(page, "This is a different person: register")
    with page.expect_navigation():
        page.click("main a:has-text('Client card with QR codes')")
    submit(page, "Issue a card")
    pdf = page.request.get(page.url + "card.pdf")
    STATE["card_pdf"] = pdf.body()


def open_case(page, base: str, stage: str) -> None:
    page.goto(base + "/cases/")
    row = page.locator("main tr", has_text=stage).filter(has_not_text="awaiting").first
    with page.expect_navigation():
        row.locator("a").first.click()


def new_referral(page, base: str) -> None:
    open_case(page, base, "Services in progress")
    with page.expect_navigation():
        page.click("main a:has-text('Refer the person')")


def record_service(page, base: str) -> None:
    """Open the visit in progress and record the first service of the person's plan, 40 minutes."""
    page.goto(base + "/visits/day/")
    item = page.locator("main li", has_text="In progress").first
    STATE["visited_client"] = item.locator("a:has-text(\"The person's record\")").get_attribute("href")
    with page.expect_navigation():
        item.locator("a").first.click()
    page.check("#id_service_0")
    page.fill("#id_minutes", "40")
    submit(page, "Record the service")


def open_details(page, base: str) -> None:
    """My day with the phone, directions and how to get in of the first visit still planned."""
    page.goto(base + "/visits/day/")
    visits = page.locator("main li.socmon-visit")
    visits.filter(has=page.locator(".govuk-tag", has_text="Planned")).first.locator("summary").click()
    page.evaluate("document.activeElement.blur()")


def without_card(page, base: str) -> None:
    """The first visit still planned, checked in without the card: the reason chosen, not yet sent."""
    follow(page, base, "/visits/day/", "main a:has-text('Check in without the card')")
    page.locator("main input[type=radio]").first.check()


def referral_link(page, base: str) -> None:
    """The overdue referral to an outside organisation (overdue ones come first); remembers its link."""
    follow(page, base, "/cases/referrals/sent/", "main tbody a")
    STATE["referral_link"] = page.input_value("#referral-link")


def check_flag(page, base: str) -> None:
    """The head marks the first open flag as checked: the comment written, not yet sent."""
    follow(page, base, "/visits/live/", "#live-flags a:has-text('Mark as checked')")
    page.fill("#id_comment", "Called the person: the visit was short because the daughter had already shopped.")
    page.evaluate("document.activeElement.blur()")


def find_person(page, base: str, query: str) -> None:
    page.goto(base + "/org/people/")
    page.fill("#person-search input[name=q]", query)
    submit(page, "Find")


def reset_page(page, base: str, name: str) -> None:
    find_person(page, base, name)
    with page.expect_navigation():
        page.locator("main a[href$='/password/']").first.click()


def reset_password(page, base: str) -> None:
    """Set the temporary password; remembers it so that the person can sign in with it next."""
    submit(page, "Set a temporary password")
    STATE["passwords"] = {"rashad.aliyev": page.inner_text("#temporary-password").strip()}


def check_out(page, base: str) -> None:
    page.fill("#id_notes", "Kitchen tap leaks; told the daughter.")
    submit(page, "Check out")
    STATE["rating_url"] = page.locator("main a:has-text('Open the rating page on this phone')").get_attribute("href")


def rate(page, base: str) -> None:
    page.check("#score-9")
    page.fill("#id_comment", "She came on time and helped with everything.")
    with page.expect_navigation():
        page.click("main button[type=submit]")


def decide(page, base: str) -> None:
    follow(page, base, "/cases/", "main a:has-text('Decide')")


def access_report(page, base: str) -> None:
    follow(page, base, "/clients/caseloads/", "main a[href$='/access/']")


def open_activity(page, base: str, title: str) -> None:
    follow(page, base, "/activities/", f"main tbody a:has-text('{title}')")


def open_invitation(page, base: str) -> None:
    """The first client of the worker not yet answering: the invitation with its link and how they answer."""
    page.goto(base + "/surveys/mine/")
    row = page.locator("main tbody tr", has_text="Invited").first
    with page.expect_navigation():
        row.locator("a").first.click()
    STATE["invitation_url"] = page.url


def interview(page, base: str) -> None:
    """The worker interviews the client at home: the questionnaire's first question, one per page."""
    page.goto(STATE["invitation_url"])
    with page.expect_navigation():
        page.click("#start-interview")


def send_feedback(page, base: str) -> None:
    """A member of the public sends a complaint in Romanian; remembers the tracking address."""
    page.goto(base + "/r/feedback/?lang=ro")
    page.locator("input[name=kind]").first.check()
    page.fill("input[name=institution_q]", "Talgar")
    with page.expect_navigation():
        page.click("#find-institution")
    page.locator("#institution-matches input[type=radio]").first.check()
    page.check("#id_category_1")
    page.fill("textarea[name=text]", "Am sunat de trei ori la centru și nu a răspuns nimeni.")
    page.fill("#id_sender_name", "Elena Rusu")
    page.fill("#id_sender_contact", "+7 701 555 0142")
    with page.expect_navigation():
        page.click("main button[type=submit]:not([name=find])")
    STATE["track_url"] = page.locator("main a[href*='/r/feedback/track/']").first.get_attribute("href")
    if STATE["track_url"].startswith("/"):
        STATE["track_url"] = base + STATE["track_url"]


def last_month_summary(page, base: str) -> None:
    """The monthly summary of the director's institution for last month (the demo's activities)."""
    first = datetime.date.today().replace(day=1)
    last_month = (first - datetime.timedelta(days=1)).strftime("%Y-%m")
    page.goto(base + "/activities/summary/")
    page.fill("input[name=month]", last_month)
    with page.expect_navigation():
        page.click("main button:has-text('Show the summary')")


def slips(page, base: str) -> None:
    """The slips of the 6-monthly survey; remembers the first slip's address for the client's phone."""
    follow(page, base, "/surveys/", "main a:has-text('Client survey, last six months')")
    follow(page, base, page.url.removeprefix(base), "main a[href$='/slips/']")
    STATE["survey_url"] = re.search(r"https?://\S+/survey/[\w-]+/", page.inner_text("main")).group(0)


def launch(playwright):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("Debian's chromium is not installed: apt-get install -y chromium")
    return playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


def new_page(browser, base: str, viewport: dict, user: str | None, language: str = "en", password: str = DEMO_PASSWORD):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    context.route(lambda url: not url.startswith(base), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    if language != "en":
        choose_language(page, base, "/accounts/login/", language)
    if user:
        page.goto(f"{base}/accounts/login/")
        page.fill("#id_login", user)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("main button[type=submit]")
        if "/login/" in page.url:
            sys.exit(f"Could not sign in as {user}: is {base} the demo server (manage.py demo)?")
    return page


def choose_language(page, base: str, path: str, code: str) -> None:
    """Open `path` and choose a language with the page's own buttons (a POST form, as a person would)."""
    page.goto(base + path)
    with page.expect_navigation():
        page.click(f".govuk-language-navigation button[lang={code}]")


def toggle_text_size(page, base: str, path: str) -> None:
    """Open `path` and press the footer's text-size button (a POST form)."""
    page.goto(base + path)
    with page.expect_navigation():
        page.click("footer form[action='/text-size/'] button")


def go(page, base: str, where) -> None:
    """A path, or `unit:<name>` (the unit's page, found through the org tree), or
    `form:<unit>:<suffix>` (a page under that unit's address, e.g. edit/), or a function (page, base)."""
    if callable(where):
        where(page, base)
    elif where.startswith(("unit:", "form:")):
        _, unit, *suffix = where.split(":")
        page.goto(f"{base}/org/")
        with page.expect_navigation():
            page.click(f"main a:text-is('{unit}')")
        if suffix:
            page.goto(page.url + suffix[0])
    else:
        page.goto(base + where)


def save(page, path: Path, full_page: bool = True, start: str | None = None) -> None:
    """A PNG of the page (MAX_HEIGHT px from the top, or from the element `start` selects), reduced to
    256 colours: a GOV.UK page has few, and the docs stay small."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:  # a page that scrolls sideways is a bug to fix, not a picture for the guide
        print(f"warning: {path.name} is {overflow} px wider than the {page.viewport_size['width']} px window")
    top = 0
    if start:
        top = max(0, page.locator(start).first.evaluate("e => e.getBoundingClientRect().top + window.scrollY") - 20)
    height = min(page.evaluate("document.documentElement.scrollHeight") - top, MAX_HEIGHT)
    width = page.viewport_size["width"]
    png = page.screenshot(full_page=full_page, clip={"x": 0, "y": top, "width": width, "height": height})
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def save_pdf_page(pdf: bytes, path: Path, width: int = DESKTOP["width"]) -> None:
    """The first page of a PDF as a PNG `width` px wide, through poppler's pdftoppm (skipped without it)."""
    if not shutil.which("pdftoppm"):
        print(f"skipped {path}: pdftoppm is not installed (apt-get install -y poppler-utils)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp) / "in.pdf", Path(tmp) / "out"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-singlefile", "-f", "1", "-scale-to-x", str(width), "-scale-to-y", "-1",
                        str(source), str(target)], check=True)
        image = Image.open(f"{target}.png").convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    image.save(path, optimize=True)
    print(f"{path} ({path.stat().st_size // 1024} KB)")


def guide_shots(browser, base: str, only: list[str] | None = None) -> None:
    pages = {}
    for name, (user, where, *rest) in GUIDE_SHOTS.items():
        if only and not any(fnmatch.fnmatch(name, pattern) for pattern in only):
            continue  # a shot that needs an earlier one's STATE needs that one listed too
        size, start = (rest[0] if rest else "desktop"), (rest[1] if len(rest) > 1 else None)
        viewport = PHONE if size == "phone" else DESKTOP
        key = (user, viewport["width"])
        if key not in pages:
            password = STATE.get("passwords", {}).get(user, DEMO_PASSWORD)
            pages[key] = new_page(browser, base, viewport, user, password=password)
        page = pages[key]
        go(page, base, where)
        save(page, IMAGES / f"{name}.png", start=start)
        if name == "larger-text":
            toggle_text_size(page, base, "/")  # back to the standard size for the next shots
        if name == "social-worker-card":
            save_pdf_page(STATE["card_pdf"], IMAGES / "client-card.png")


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
    parser.add_argument("--only", nargs="+", metavar="PATTERN",
                        help="only the guide shots whose names match these shell patterns")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            if args.review:
                review_shots(browser, base, args.review)
            else:
                guide_shots(browser, base, args.only)
        finally:
            browser.close()


if __name__ == "__main__":
    main()
