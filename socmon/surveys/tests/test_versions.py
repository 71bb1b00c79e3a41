"""Versions: the questionnaire page lists them, what changed between two is readable, responses keep theirs."""

import pytest
from django.urls import reverse

from socmon.surveys import services
from socmon.surveys.models import Questionnaire, Response

from .kit import CHOICES, QUESTIONS, invitation, questionnaire_version, xlsform

pytestmark = pytest.mark.django_db


def test_what_changed_lists_a_removed_question_an_added_one_and_new_wording(world, login):
    first = questionnaire_version(world)
    reworded = ("select_one better", "better", {"en": "Are you better than six months ago?", "ru": "Вам лучше?",
                                                "kk": "Жақсырақ па?"}, {"required": "yes"})
    added = ("date", "since", {"en": "Since when?", "ru": "С какого дня?", "kk": "Қашаннан бері?"}, {})
    choices = [*CHOICES, ("areas", "friends", {"en": "Friends", "ru": "Друзья", "kk": "Достар"})]
    second = services.upload_version(by=world.sam, data=xlsform([reworded, *QUESTIONS[1:3], added], choices),
                                     questionnaire=first.questionnaire)
    assert second.number == 2
    browser = login(world.heidi)
    page = browser.get(reverse("surveys:questionnaire_changes", args=[first.questionnaire.pk]) + "?from=1&to=2")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Removed: “Which areas?” (areas)" in text
    assert "Added: “Since when?” (since)" in text
    assert "“Are you better than six months ago?” (better): the wording changed" in text
    listing = browser.get(reverse("surveys:questionnaire", args=[first.questionnaire.pk])).content.decode()
    assert "What changed since version 1" in listing


def test_a_response_keeps_the_version_it_was_given_in(world):
    first = questionnaire_version(world)
    invited = invitation(world, first)
    services.submit_response(by=services.PUBLIC, invitation=invited, answers={"areas": ["sleep"]}, language="kk")
    services.upload_version(by=world.sam, data=xlsform(QUESTIONS[:2]), questionnaire=first.questionnaire)
    response = Response.objects.get()
    assert response.version == first and response.answers == {"areas": ["sleep"]}


def test_walt_sees_nothing_of_norths_questionnaires(world, login):
    version = questionnaire_version(world)
    pk = version.questionnaire.pk
    walt = login(world.walt)
    for name in ("surveys:questionnaire", "surveys:questionnaire_changes", "surveys:version_upload"):
        assert walt.get(reverse(name, args=[pk])).status_code in (403, 404)
    assert walt.get(reverse("surveys:questionnaires")).status_code == 403
    # Heidi (a head under North) reads it; only the specialist uploads a new version.
    heidi = login(world.heidi)
    assert "Well-being survey" in heidi.get(reverse("surveys:questionnaires")).content.decode()
    assert heidi.get(reverse("surveys:version_upload", args=[pk])).status_code == 403


def test_a_questionnaire_of_another_area_is_not_listed(world, login):
    questionnaire_version(world, unit=world.north)
    other = Questionnaire.objects.create(code="south", title="South's survey", org_unit=world.south)
    page = login(world.sam).get(reverse("surveys:questionnaires")).content.decode()
    assert "Well-being survey" in page and "South&#x27;s survey" not in page and "South's survey" not in page
    assert login(world.sam).get(reverse("surveys:questionnaire", args=[other.pk])).status_code == 404
