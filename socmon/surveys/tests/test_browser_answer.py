"""A client answers the survey in Kazakh on a 390-px phone, by keyboard only (R-7.1): skip logic on the server,
the constraint message in Kazakh, axe-clean pages, a first load under 50 KB; then the questionnaire pages."""

import pytest

from socmon.surveys.models import Invitation, Response
from socmon.visits.tests.test_browser_phone import assert_fits_the_phone

from .kit import invitation, questionnaire_version

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SURVEY_PAGE_BUDGET = 50 * 1024


def tab_to(page, selector: str, limit: int = 25) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, locale="kk-KZ")
    context.route(lambda url: not url.startswith(live_server.url), lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_client_answers_in_kazakh_by_keyboard_only(live_world, live_url, phone):
    world = live_world
    invited = invitation(world, questionnaire_version(world), language="kk")
    page = phone
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request))
    page.goto(live_url(f"/survey/{invited.nonce}/"))
    page.wait_for_load_state("networkidle")
    transferred = sum(r.sizes()["responseBodySize"] + r.sizes()["responseHeadersSize"] for r in loaded)
    assert transferred < SURVEY_PAGE_BUDGET, f"first load of the survey page: {transferred} bytes"
    assert page.get_attribute("html", "lang") == "kk"
    assert page.get_by_role("radio", name="Иә").is_visible()
    assert_fits_the_phone(page)
    run_axe(page)
    shoot(page, "surveys-answer-kk")

    tab_to(page, "input[name=better]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("textarea[name=example]")
    tab_to(page, "textarea[name=example]")
    page.keyboard.type("ab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector(".r-error")
    assert "Кемінде үш әріп жазыңыз." in page.inner_text(".r-error")
    run_axe(page)
    shoot(page, "surveys-answer-kk-error")
    tab_to(page, "textarea[name=example]")
    page.keyboard.press("End")
    page.keyboard.type(" – ұйқым жақсарды")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("input[name=visits]")
    tab_to(page, "input[name=visits]")
    page.keyboard.type("4")
    page.keyboard.press("Enter")  # the form's first button: Continue
    page.wait_for_selector("input[name=areas]")
    tab_to(page, "input[name=areas]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # Send my answers
    page.wait_for_url("**/survey/thanks/**")
    assert page.get_attribute("html", "lang") == "kk"
    run_axe(page)
    response = Response.objects.get()
    assert response.answers == {"better": "yes", "example": "ab – ұйқым жақсарды", "visits": 4, "areas": ["sleep"]}
    assert response.language == "kk"
    assert Invitation.objects.get().status == Invitation.Status.ANSWERED


def run_axe(page):
    from socmon.visits.tests.test_browser_scan import run_axe as scan_axe

    scan_axe(page)


def shoot(page, name: str):
    from socmon.visits.tests.test_browser_scan import shoot as scan_shoot

    scan_shoot(page, name)


def test_the_questionnaire_pages_fit_the_phone_and_pass_axe(live_world, live_url, page, sign_in, axe):
    world = live_world
    version = questionnaire_version(world)
    sign_in(world.sam)
    page.set_viewport_size(PHONE)
    for path in ("/surveys/questionnaires/", "/surveys/questionnaires/new/",
                 f"/surveys/questionnaires/{version.questionnaire.pk}/",
                 f"/surveys/questionnaires/{version.questionnaire.pk}/changes/?from=1&to=1"):
        page.goto(live_url(path))
        assert_fits_the_phone(page)
        axe()
