"""A client answers through the invitation's link: skip logic, required and constraints on the server, one
response per client per campaign, the indicator answers stored; a worker interviews a client of theirs."""

import html
import re

import pytest
from django.test import Client as Browser
from django.urls import reverse
from django.utils import translation

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.surveys import flow, services
from socmon.surveys.models import IndicatorAnswer, Invitation, Response

from .kit import invitation, questionnaire_version


def kk(text: str) -> str:
    """What the Kazakh page says for this English text (the invited client's language)."""
    with translation.override("kk"):
        return translation.gettext(text)

pytestmark = pytest.mark.django_db


def hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


def send(browser, url: str, page: str, **values):
    data = {"state": hidden(page, "state"), "at": hidden(page, "at"), "lang": hidden(page, "lang"),
            "action": "next", **values}
    if "csrfmiddlewaretoken" in page:
        data["csrfmiddlewaretoken"] = hidden(page, "csrfmiddlewaretoken")
    return browser.post(url, data)


@pytest.fixture
def invited(world):
    return invitation(world, questionnaire_version(world), language="kk")


def url_of(invited):
    return reverse("survey:answer", args=[invited.nonce])


def test_the_client_answers_in_their_language_and_a_skipped_question_is_not_asked(world, invited):
    browser, url = Browser(), url_of(invited)
    first = browser.get(url)
    page = first.content.decode()
    assert first.status_code == 200 and 'lang="kk"' in page
    assert "Жарты жыл бұрынғыдан жақсы сезінесіз бе?" in page and "Иә" in page
    assert "Set-Cookie" not in str(first.headers)
    assert first.headers["Cache-Control"].startswith(("no-store", "max-age=0"))
    page = send(browser, url, page, better="no").content.decode()
    assert "Өткен айда неше рет келді?" in page  # the example question is skipped
    page = send(browser, url, page, visits="4").content.decode()
    assert "Қандай салалар?" in page and kk("Send my answers") in page
    done = send(browser, url, page, areas=["sleep", "mood"])
    assert done.status_code == 302 and done.url.startswith(reverse("survey:thanks"))
    response = Response.objects.get()
    assert response.answers == {"better": "no", "visits": 4, "areas": ["sleep", "mood"]}
    assert (response.client, response.version, response.language, response.mode, response.entered_by) == (
        invited.client, invited.campaign.version, "kk", Invitation.Mode.SELF, None)
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.ANSWERED
    event = AuditEvent.objects.get(action=AuditAction.SURVEY_RESPONSE_SUBMITTED)
    assert event.actor is None and event.actor_kind == "public"


def test_required_only_when_relevant_and_the_constraint_message_is_in_the_page_language(world, invited):
    browser, url = Browser(), url_of(invited)
    page = send(browser, url, browser.get(url).content.decode(), better="yes").content.decode()
    assert "Не жақсарды? Бір мысал келтіріңіз." in page
    empty = send(browser, url, page, example="")
    assert empty.status_code == 400 and 'role="alert"' in empty.content.decode()
    short = send(browser, url, page, example="ab")
    assert short.status_code == 400 and "Кемінде үш әріп жазыңыз." in short.content.decode()
    page = send(browser, url, page, example="Ұйқым жақсарды").content.decode()
    wrong = send(browser, url, page, visits="99")
    assert wrong.status_code == 400 and "0-ден 60-қа дейін жазыңыз." in wrong.content.decode()
    not_a_number = send(browser, url, page, visits="four")
    assert not_a_number.status_code == 400 and 'value="four"' in not_a_number.content.decode()
    page = send(browser, url, page, visits="").content.decode()  # optional
    send(browser, url, page)
    assert Response.objects.get().answers == {"better": "yes", "example": "Ұйқым жақсарды"}


def test_an_answer_hidden_by_skip_logic_is_dropped(world, invited):
    browser, url = Browser(), url_of(invited)
    page = send(browser, url, browser.get(url).content.decode(), better="yes").content.decode()
    page = send(browser, url, page, example="I sleep better").content.decode()
    # The client goes back twice and changes their mind: the example no longer applies.
    back = browser.post(url, {"state": hidden(page, "state"), "at": hidden(page, "at"), "action": "back"})
    back = browser.post(url, {"state": hidden(back.content.decode(), "state"),
                              "at": hidden(back.content.decode(), "at"), "action": "back"}).content.decode()
    assert 'value="yes" checked' in back
    page = send(browser, url, back, better="no").content.decode()
    page = send(browser, url, page, visits="2").content.decode()
    send(browser, url, page)
    assert Response.objects.get().answers == {"better": "no", "visits": 2}


def test_a_tampered_state_is_checked_again_at_the_end(world, invited):
    browser, url = Browser(), url_of(invited)
    items = flow.items_of(invited.campaign.version)
    # Straight to the last question with answers that break the form's rules.
    response = browser.post(url, {"state": '{"better": "yes", "example": "x", "visits": 500}', "at": len(items) - 1,
                                  "action": "next"})
    assert response.status_code == 400
    assert not Response.objects.exists()


def test_the_language_can_change_on_the_way_without_losing_answers(world, invited):
    browser, url = Browser(), url_of(invited)
    page = send(browser, url, browser.get(url).content.decode(), better="yes").content.decode()
    switched = browser.post(url, {"state": hidden(page, "state"), "at": hidden(page, "at"), "switch_lang": "ru"})
    text = switched.content.decode()
    assert 'lang="ru"' in text and "Что стало лучше? Приведите пример." in text
    assert '"better":"yes"' in html.unescape(hidden(text, "state"))


def test_a_second_submission_is_refused_with_an_already_answered_page(world, invited):
    browser, url = Browser(), url_of(invited)
    page = send(browser, url, browser.get(url).content.decode(), better="no").content.decode()
    page = send(browser, url, page, visits="1").content.decode()
    assert send(browser, url, page).status_code == 302
    again = send(Browser(), url, page)
    assert again.status_code == 409 and kk("You have answered this survey already") in again.content.decode()
    assert Browser().get(url).status_code == 200
    assert Response.objects.count() == 1
    with pytest.raises(services.AlreadyAnswered):
        services.submit_response(by=world.alice, invitation=invited, answers={}, language="kk")


def test_an_unknown_link_is_refused_in_the_chosen_language(world):
    response = Browser().get(reverse("survey:answer", args=["not-a-real-nonce"]) + "?lang=ru")
    assert response.status_code == 404 and 'lang="ru"' in response.content.decode()


def test_the_indicator_answers_are_stored_from_scoring(world, invited, monkeypatch):
    from socmon.surveys import scoring

    monkeypatch.setattr(scoring, "indicator_answers", lambda version, answers: {"IR2": answers["better"] == "yes",
                                                                                 "IS1": True})
    services.submit_response(by=services.PUBLIC, invitation=invited, answers={"better": "no"}, language="kk")
    stored = {a.indicator: a.counts for a in IndicatorAnswer.objects.all()}
    assert stored == {"IR2": False, "IS1": True}
    assert set(IndicatorAnswer.objects.values_list("org_unit", flat=True)) == {invited.campaign.org_unit_id}


def test_a_worker_interviews_a_client_of_theirs_by_phone(world, login, invited):
    browser = login(world.alice)
    url = reverse("surveys:interview", args=[invited.pk])
    page = browser.get(url).content.decode()
    assert kk("How is this interview done?") in page
    page = send(browser, url, page, better="no", mode="phone").content.decode()
    page = send(browser, url, page, visits="3", mode="phone").content.decode()
    done = send(browser, url, page, mode="phone")
    assert done.status_code == 302
    response = Response.objects.get()
    assert (response.mode, response.entered_by) == (Invitation.Mode.PHONE, world.alice)


@pytest.mark.parametrize("person", ["bob", "walt", "sam", "eve"])
def test_only_the_clients_own_worker_or_head_may_interview(world, login, invited, person):
    response = login(getattr(world, person)).get(reverse("surveys:interview", args=[invited.pk]))
    assert response.status_code in (403, 404)


def test_a_group_asked_only_sometimes_is_skipped_whole_and_a_note_is_shown(world):
    from .kit import CHOICES, QUESTIONS, xlsform

    labels = {"en": "About your sleep", "ru": "О сне", "kk": "Ұйқыңыз туралы"}
    questions = [QUESTIONS[0],
                 ("begin_group", "sleep", labels, {"relevant": "${better} = 'yes'"}),
                 ("integer", "hours", {"en": "Hours of sleep?", "ru": "Сколько часов сна?", "kk": "Неше сағат?"}, {}),
                 ("end_group", "", {}, {}),
                 ("note", "bye", {"en": "Thank you!", "ru": "Спасибо!", "kk": "Рахмет!"}, {})]
    version = questionnaire_version(world, xlsform(questions, CHOICES[:2], form_id="grouped"))
    invited = invitation(world, version, language="en")
    browser, url = Browser(), url_of(invited)
    page = send(browser, url, browser.get(url).content.decode(), better="yes").content.decode()
    assert "About your sleep" in page and "Hours of sleep?" in page
    page = send(browser, url, page, hours="7").content.decode()
    assert "Thank you!" in page and "Send my answers" in page
    assert send(browser, url, page).status_code == 302
    assert Response.objects.get().answers == {"better": "yes", "hours": 7}

    other = invitation(world, version, language="en")
    browser, url = Browser(), url_of(other)
    page = send(browser, url, browser.get(url).content.decode(), better="no").content.decode()
    assert "Hours of sleep?" not in page and "Thank you!" in page


def test_without_a_title_in_the_clients_language_the_page_says_survey_not_the_english_title(world, invited):
    page = Browser().get(url_of(invited)).content.decode()
    assert "Well-being survey" not in page
    assert f"{kk('Survey')} ·" in page
    english = Browser().get(url_of(invited) + "?lang=en").content.decode()
    assert "Well-being survey ·" in english
