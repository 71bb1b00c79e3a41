"""The field pages on a 390 × 844 phone in Russian and Kazakh, and "Larger text" for every text (Chromium).

A page fits the phone when nothing on it reaches past the screen's right edge and the page itself cannot
scroll sideways; tables do so by stacking (`socmon-table--stack`). Screenshots land in test-artifacts/.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.browser import choose_language
from socmon.clients.models import Application
from socmon.visits import services, tokens
from socmon.visits.models import ServiceDelivery, Visit

from .planning_kit import client_at, counted, done, office, service_kind, visit

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# Every visible element whose right edge passes the screen, unless an ancestor clips it (a map, a visually
# hidden text); a box that scrolls sideways counts as too wide as well.
TOO_WIDE = """() => {
  const limit = window.innerWidth + 1;
  const clipped = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (['hidden', 'clip'].includes(style.overflowX) || style.clipPath === 'inset(50%)') return true;
    }
    return false;
  };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      wide.push(name(el) + ' scrolls sideways');
    } else if (box.right > limit && !clipped(el)) {
      wide.push(name(el) + ' ends at ' + Math.round(box.right));
    }
  }
  const page = document.documentElement.scrollWidth;
  if (page > window.innerWidth) wide.push('the page is ' + page + ' px wide');
  return wide;
}"""


def assert_fits_the_phone(page) -> None:
    wide = page.evaluate(TOO_WIDE)
    assert not wide, f"{page.url} is wider than the phone:\n" + "\n".join(wide[:15])


@pytest.fixture
def field(live_world):
    """Alice's day with a long address, a visit in progress with a service, a rated visit and a card."""
    world = live_world
    office(world)
    meals = service_kind("meals", 40)
    shopping = service_kind("shopping", 30)
    now = timezone.now()
    person = client_at(world, 43.298, 77.262, worker=world.alice,
                       address="Талгар, улица Жибек Жолы, дом 14, квартира 27, подъезд 3, домофон 27")
    Application.objects.create(
        client=person, org_unit=person.org_unit, channel=Application.Channel.RELATIVE,
        request_text="Сын просит помочь с покупками и уборкой дважды в неделю; сам живёт в Алматы.",
        received_on=timezone.localdate() - datetime.timedelta(days=30), registered_by=world.heidi)
    world.card = services.issue_card(by=world.heidi, client=person)
    rated = done(world, client_at(world, 43.312, 77.251, worker=world.alice, address="Абай көшесі, 5, Талғар"),
                 started=now - datetime.timedelta(hours=3), services=[(meals, 50)], score=9)
    rated.route_order = 1
    rated.save(update_fields=["route_order"])
    world.open_visit = visit(world, person, order=2, status=Visit.Status.IN_PROGRESS,
                             checked_in=now - datetime.timedelta(minutes=15))
    ServiceDelivery.objects.create(visit=world.open_visit, service=shopping, minutes=25)
    visit(world, client_at(world, 43.321, 77.229, worker=world.alice, address="Тәуелсіздік көшесі, 3"),
          order=3, window=(datetime.time(15, 0), datetime.time(16, 30)))
    world.client = person
    counted()  # one round of the indicator worker: the visit report reads the figures it keeps
    return world


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_workers_pages_fit_a_phone(field, page, sign_in, live_url, language, axe, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(field.alice)
    choose_language(page, live_url("/"), language)
    pages = {
        "day": "/visits/day/",
        "visit": f"/visits/{field.open_visit.pk}/",
        "client": f"/clients/{field.client.pk}/",
        "card": f"/visits/cards/{field.client.pk}/",
        "my-clients": "/clients/mine/",
    }
    for name, path in pages.items():
        page.goto(live_url(path))
        assert page.locator("html").get_attribute("lang") == language
        if name == "day":
            page.wait_for_selector(".socmon-marker")
        assert_fits_the_phone(page)
        axe()
        screenshot(f"phone-{name}-{language}")
    # The visit's services and the client's applications read as stacked rows, each value under its header.
    page.goto(live_url(pages["visit"]))
    cell = page.locator("main table.socmon-table--stack td[data-label]").first
    label = page.evaluate("el => getComputedStyle(el, '::before').content", cell.element_handle())
    assert label.strip('"') == cell.get_attribute("data-label") != ""
    assert page.evaluate("el => getComputedStyle(el).display", cell.element_handle()) == "block"


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_heads_pages_fit_a_phone(field, page, sign_in, live_url, language, axe, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(field.heidi)
    choose_language(page, live_url("/"), language)
    unit = field.home_care.pk
    today = timezone.localdate()
    report = f"/visits/reports/?unit={unit}&date_from={today - datetime.timedelta(days=7)}&date_to={today}"
    for name, path in {"live": f"/visits/live/{unit}/", "caseload": f"/clients/caseloads/{unit}/",
                       "clients": "/clients/", "worker-day": f"/visits/day/{field.alice.pk}/",
                       "report": report}.items():
        page.goto(live_url(path))
        if name in ("live", "worker-day"):
            page.wait_for_selector(".socmon-marker")
        assert_fits_the_phone(page)
        axe()
        screenshot(f"phone-head-{name}-{language}")
    assert page.locator("#report-services td[data-label]").count() > 0  # the report's own table, stacked


def test_tables_stay_tables_on_a_desktop(field, page, sign_in, live_url, screenshot):
    sign_in(field.heidi)
    page.goto(live_url(f"/visits/live/{field.home_care.pk}/"))
    row = page.locator("main table.socmon-table--stack tbody tr").first
    assert page.evaluate("el => getComputedStyle(el).display", row.element_handle()) == "table-row"
    assert page.locator("main table.socmon-table--stack thead").first.is_visible()
    screenshot("desktop-head-live")


FONT_SIZES = """(selectors) => Object.fromEntries(Object.entries(selectors).map(([name, selector]) => {
  const el = document.querySelector(selector);
  return [name, el ? parseFloat(getComputedStyle(el).fontSize) : null];
}))"""


def font_sizes(page, selectors: dict) -> dict:
    sizes = page.evaluate(FONT_SIZES, selectors)
    assert None not in sizes.values(), sizes
    return sizes


def assert_all_grew(before: dict, after: dict) -> None:
    shrunk = {name: (before[name], after[name]) for name in before if not after[name] >= 1.2 * before[name]}
    assert not shrunk, f"these texts did not grow by a fifth: {shrunk}"


# The font size of every element that holds text of its own, keyed by its place in the page.
ALL_TEXT_SIZES = """() => {
  const place = (el) => {
    const steps = [];
    for (; el !== document.body; el = el.parentElement) {
      steps.unshift(el.tagName + [...el.parentElement.children].indexOf(el));
    }
    return steps.join('/');
  };
  const sizes = {};
  for (const el of document.body.querySelectorAll('*')) {
    const text = [...el.childNodes].filter((n) => n.nodeType === 3).map((n) => n.textContent).join('').trim();
    if (!text || !el.getBoundingClientRect().width) continue;
    sizes[place(el)] = [parseFloat(getComputedStyle(el).fontSize), el.tagName.toLowerCase() + ' ' + text.slice(0, 40)];
  }
  return sizes;
}"""


def assert_every_text_grew(before: dict, after: dict) -> None:
    same = [f"{what} ({size} px)" for where, (size, what) in before.items()
            if where in after and after[where][0] < 1.2 * size]
    assert len(set(before) & set(after)) > 15  # the same page, read twice
    assert not same, "these texts kept their size:\n" + "\n".join(same[:20])


def test_larger_text_makes_every_text_on_a_staff_page_larger(field, page, sign_in, live_url, axe, screenshot):
    page.set_viewport_size(PHONE)
    sign_in(field.heidi)
    named = {  # what the issue names, on the pages that show it
        f"/visits/{field.open_visit.pk}/": {
            "heading": "main h1", "caption": "main .govuk-caption-l", "section heading": "main h2",
            "tag": "main .govuk-tag", "summary key": "main .govuk-summary-list__key",
            "table cell": "main td.govuk-table__cell", "header name": ".socmon-header__name",
            "footer link": ".govuk-footer__link"},
        f"/visits/day/{field.alice.pk}/": {"route number": ".socmon-visit__n", "map number": ".socmon-marker"},
        f"/clients/{field.client.pk}/": {"table label": "main td[data-label]"},
        f"/visits/live/{field.home_care.pk}/": {"score": "main .socmon-score", "big number": "main .socmon-stat"},
        f"/clients/caseloads/{field.home_care.pk}/": {
            "row header": "main tbody th", "label": "main .govuk-label", "input": "main select",
            "button": "main .govuk-button", "legend": "main legend", "details": "main .govuk-details__summary-text"},
    }

    def read(path):
        page.goto(live_url(path))
        if "/day/" in path or "/live/" in path:
            page.wait_for_selector(".socmon-marker")
        return font_sizes(page, named[path]), page.evaluate(ALL_TEXT_SIZES)

    standard = {path: read(path) for path in named}
    with page.expect_navigation():
        page.click("footer form[action='/text-size/'] button")
    assert page.locator("html.socmon-large-text").count() == 1
    for path in named:  # the choice holds on every page, and every text on it grows
        sizes, every_text = read(path)
        assert_all_grew(standard[path][0], sizes)
        assert_every_text_grew(standard[path][1], every_text)
        assert_fits_the_phone(page)
    page.goto(live_url(f"/visits/{field.open_visit.pk}/"))
    axe()
    screenshot("phone-visit-larger-text")
    page.set_viewport_size({"width": 768, "height": 1024})  # a tablet: tables still stack with larger text
    page.goto(live_url(f"/clients/{field.client.pk}/"))
    assert_fits_the_phone(page)
    cell = page.locator("main table.socmon-table--stack td[data-label]").first
    assert page.evaluate("el => getComputedStyle(el).display", cell.element_handle()) == "block"


def test_larger_text_makes_the_rating_page_larger_scores_included(field, page, live_url, axe, screenshot):
    page.set_viewport_size(PHONE)
    done(field, field.client, started=timezone.now() - datetime.timedelta(minutes=90))
    page.goto(live_url(reverse("rating:rate", args=[tokens.rating_token(field.card)])) + "?lang=kk")
    selectors = {"heading": "h1", "hint": ".r-hint", "label": ".r-label", "score": ".r-choice label",
                 "scale ends": ".r-ends", "button": ".r-button", "comment": "textarea", "footer link": ".r-footer a"}
    before, every_text = font_sizes(page, selectors), page.evaluate(ALL_TEXT_SIZES)
    page.click(".r-footer a")
    page.wait_for_load_state()
    assert "text=large" in page.url
    assert_all_grew(before, font_sizes(page, selectors))
    assert_every_text_grew(every_text, page.evaluate(ALL_TEXT_SIZES))
    assert_fits_the_phone(page)
    axe()
    screenshot("phone-rating-larger-text-kk")
