"""Clients without a card: My day lists the worker's own, prints their cards in bulk, and a visit to a person
whose card cannot be scanned opens with a stated reason that the head sees as a flag."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.test import race, web_session
from socmon.visits import flags, services
from socmon.visits.models import ClientCard, Visit

from .fieldkit import client_with_card, done_visit, make_client
from .test_cards import pdf_info, pdf_text

pytestmark = pytest.mark.django_db
MY_DAY = reverse("visits:my_day")
PRINT = reverse("visits:cards_without_card")


def without_card(client):
    return reverse("visits:check_in_without_card", args=[client.pk])


def planned_today(world, client, worker=None) -> Visit:
    return Visit.objects.create(client=client, worker=worker or world.alice, org_unit=client.org_unit,
                                planned_for=timezone.localdate(), route_order=1, created_by=world.heidi)


# --- The list on My day and the bulk print --------------------------------------------------------------------

def test_my_day_lists_only_the_workers_own_clients_without_a_card(login, world):
    with_card, _card = client_with_card(world, worker=world.alice, first="Aigerim", last="Carded")
    mine = make_client(world, worker=world.alice, first="Ion", last="Rusu")
    bobs = make_client(world, worker=world.bob, first="Bolat", last="Nurlanov")
    html = login(world.alice).get(MY_DAY).content.decode()
    assert "Your clients without a card" in html
    assert "Ion Rusu" in html and mine.code in html
    assert with_card.full_name not in html and bobs.full_name not in html


def test_a_worker_of_another_institution_sees_none_of_riverside(login, world):
    make_client(world, worker=world.alice, first="Ion", last="Rusu")
    hill = make_client(world, worker=world.walt, unit=world.hill_care, first="Vasile", last="Munteanu")
    html = login(world.walt).get(MY_DAY).content.decode()
    assert "Vasile Munteanu" in html and hill.code in html
    assert "Ion Rusu" not in html


def test_the_list_is_not_shown_when_everyone_has_a_card(login, world):
    client_with_card(world, worker=world.alice)
    assert "Your clients without a card" not in login(world.alice).get(MY_DAY).content.decode()


def test_a_head_looking_at_a_workers_day_is_not_offered_the_workers_list(login, world):
    make_client(world, worker=world.alice, first="Ion", last="Rusu")
    html = login(world.heidi).get(reverse("visits:worker_day", args=[world.alice.pk])).content.decode()
    assert "Your clients without a card" not in html and "Ion Rusu" not in html


def test_bulk_print_gives_one_page_per_person_and_issues_their_cards(login, world):
    first = make_client(world, worker=world.alice, first="Ion", last="Rusu", language="en")
    second = make_client(world, worker=world.alice, first="Gulnara", last="Sadykova", language="en")
    response = login(world.alice).post(PRINT, {"clients": [first.pk, second.pk]})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_info(response.content)["Pages"] == "2"
    text = pdf_text(response.content)
    assert "Ion Rusu" in text and "Gulnara Sadykova" in text
    assert ClientCard.objects.filter(client__in=[first, second], revoked_at=None, version=1).count() == 2
    assert AuditEvent.objects.filter(action=AuditAction.CARD_ISSUED, actor=world.alice).count() == 2
    assert "Your clients without a card" not in login(world.alice).get(MY_DAY).content.decode()


def test_printing_again_prints_the_same_cards_and_reissues_nothing(login, world):
    person = make_client(world, worker=world.alice, first="Ion", last="Rusu")
    browser = login(world.alice)
    assert browser.post(PRINT, {"clients": [person.pk]}).status_code == 200
    again = browser.post(PRINT, {"clients": [person.pk]})
    assert again.status_code == 200 and pdf_info(again.content)["Pages"] == "1"
    card = ClientCard.objects.get(client=person)  # one card, never revoked: the first printout still works
    assert card.revoked_at is None and card.version == 1


def test_only_the_people_chosen_are_printed(login, world):
    chosen = make_client(world, worker=world.alice, first="Ion", last="Rusu")
    left = make_client(world, worker=world.alice, first="Gulnara", last="Sadykova")
    response = login(world.alice).post(PRINT, {"clients": [chosen.pk]})
    assert pdf_info(response.content)["Pages"] == "1"
    assert not ClientCard.objects.filter(client=left).exists()


def test_printing_with_nobody_chosen_says_so_on_my_day(login, world):
    make_client(world, worker=world.alice, first="Ion", last="Rusu")
    response = login(world.alice).post(PRINT, {})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose at least one person to print a card for." in html and "Ion Rusu" in html
    assert not ClientCard.objects.exists()


@pytest.mark.parametrize("persona", ["bob", "walt", "heidi"])
def test_nobody_prints_cards_of_someone_elses_client_from_my_day(login, world, persona):
    alices = make_client(world, worker=world.alice, first="Ion", last="Rusu")
    response = login(getattr(world, persona)).post(PRINT, {"clients": [alices.pk]})
    assert response.status_code == 400 and "Ion Rusu" not in response.content.decode()
    assert not ClientCard.objects.exists()


def test_bulk_print_needs_a_post(login, world):
    assert login(world.alice).get(PRINT).status_code == 405


# --- Check in without the card --------------------------------------------------------------------------------

def test_my_day_and_the_record_offer_to_check_in_without_the_card(login, world):
    person = make_client(world, worker=world.alice)
    planned_today(world, person)
    browser = login(world.alice)
    assert without_card(person) in browser.get(MY_DAY).content.decode()
    assert without_card(person) in browser.get(reverse("clients:detail", args=[person.pk])).content.decode()
    head = login(world.heidi)
    assert without_card(person) not in head.get(reverse("visits:worker_day", args=[world.alice.pk])).content.decode()
    assert without_card(person) not in head.get(reverse("clients:detail", args=[person.pk])).content.decode()


def test_checking_in_without_the_card_stores_the_reason_audits_it_and_flags_it_for_the_head(login, world):
    person = make_client(world, worker=world.alice)
    planned = planned_today(world, person)
    browser = login(world.alice)
    assert "Why can the card not be scanned?" in browser.get(without_card(person)).content.decode()
    response = browser.post(without_card(person), {"reason": "not_issued", "latitude": "43.238949",
                                                   "longitude": "76.889709"})
    assert response.status_code == 302 and response["Location"] == reverse("visits:visit", args=[planned.pk])
    planned.refresh_from_db()
    assert planned.status == Visit.Status.IN_PROGRESS and planned.no_card_reason == "not_issued"
    assert planned.check_in_distance_m == 0
    event = AuditEvent.objects.get(action=AuditAction.VISIT_CHECKED_IN_WITHOUT_CARD)
    assert event.actor == world.alice and event.target_id == str(planned.pk)
    assert not AuditEvent.objects.filter(action=AuditAction.VISIT_CHECKED_IN).exists()
    live = login(world.heidi).get(reverse("visits:live", args=[world.home_care.pk])).content.decode()
    assert (f"Alice Akhmetova: the visit to {person.code} was opened without the card. "
            "Reason: The person has no card yet.") in live


def test_another_reason_keeps_the_workers_own_words_for_the_head(login, world):
    person = make_client(world, worker=world.alice)
    login(world.alice).post(without_card(person), {"reason": "other", "note": "The card is at her daughter's."})
    visit = Visit.objects.get()
    assert (visit.no_card_reason, visit.no_card_note) == ("other", "The card is at her daughter's.")
    [flag] = flags.no_card_flags([visit])
    assert flag.message == (f"Alice Akhmetova: the visit to {person.code} was opened without the card. "
                            "Reason: The card is at her daughter's.")


@pytest.mark.parametrize("data, message", [
    ({}, "Say why the card was not scanned."),
    ({"reason": "forgot"}, "Say why the card was not scanned."),
    ({"reason": "other"}, "Say what happened to the card."),
    ({"reason": "other", "note": "   "}, "Say what happened to the card."),
])
def test_without_a_reason_nothing_is_stored(login, world, data, message):
    person = make_client(world, worker=world.alice)
    planned = planned_today(world, person)
    response = login(world.alice).post(without_card(person), data)
    assert response.status_code == 400 and message in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == Visit.Status.PLANNED and planned.no_card_reason == ""
    assert Visit.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="visits.visit_checked_in").exists()


@pytest.mark.parametrize("persona, status", [("bob", 404), ("walt", 404), ("fiona", 404), ("eve", 404),
                                             ("heidi", 403), ("dora", 403)])
def test_another_workers_client_is_refused(login, world, persona, status):
    person = make_client(world, worker=world.alice, first="Ion", last="Rusu")
    browser = login(getattr(world, persona))
    assert browser.get(without_card(person)).status_code == status
    response = browser.post(without_card(person), {"reason": "lost"})
    assert response.status_code == status and "Ion Rusu" not in response.content.decode()
    assert not Visit.objects.exists() and not AuditEvent.objects.filter(
        action=AuditAction.VISIT_CHECKED_IN_WITHOUT_CARD).exists()


def test_a_second_check_in_returns_to_the_open_visit(login, world):
    person = make_client(world, worker=world.alice)
    browser = login(world.alice)
    first = browser.post(without_card(person), {"reason": "lost"})
    second = browser.post(without_card(person), {"reason": "damaged"}, follow=True)
    assert second.redirect_chain[0][0] == first["Location"]
    assert "This visit was already in progress" in second.content.decode()
    visit = Visit.objects.get()
    assert visit.no_card_reason == "lost"  # the open visit is left as it was
    assert AuditEvent.objects.filter(action=AuditAction.VISIT_CHECKED_IN_WITHOUT_CARD).count() == 1


def test_a_visit_after_a_finished_one_is_asked_first(login, world):
    person = make_client(world, worker=world.alice)
    done_visit(world, person)
    browser = login(world.alice)
    asked = browser.post(without_card(person), {"reason": "lost"})
    html = asked.content.decode()
    assert asked.status_code == 200 and "was already finished today" in html and "Yes, start another visit" in html
    assert Visit.objects.count() == 1
    confirmed = browser.post(without_card(person), {"reason": "lost", "confirm_repeat": "True"})
    assert confirmed.status_code == 302
    assert Visit.objects.filter(status=Visit.Status.IN_PROGRESS, no_card_reason="lost").count() == 1


def test_a_scanned_check_in_is_not_flagged(world):
    person, _card = client_with_card(world, worker=world.alice)
    visit = services.check_in(by=world.alice, client=person)
    assert visit.no_card_reason == "" and flags.no_card_flags([visit]) == []


def test_the_database_refuses_another_reason_without_words(world):
    from django.db import IntegrityError, transaction

    person = make_client(world, worker=world.alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        planned = planned_today(world, person)
        planned.no_card_reason = Visit.NoCardReason.OTHER
        planned.save()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_check_ins_without_the_card_open_one_visit_and_tell_the_second(world, live_server):
    sessions = [web_session(live_server.url, world.alice) for _ in range(2)]
    for _ in range(10):
        person = make_client(world, worker=world.alice)
        url = without_card(person)
        answers = race(2, lambda i, url=url: sessions[i].post(sessions[i].url(url), data={"reason": "lost"}))
        assert [a.status_code for a in answers] == [200, 200], answers
        assert Visit.objects.filter(client=person, status=Visit.Status.IN_PROGRESS).count() == 1
        assert sorted("Visit started at" in a.text for a in answers) == [False, True]
        loser = next(a for a in answers if "Visit started at" not in a.text)
        assert "already in progress" in loser.text
        assert AuditEvent.objects.filter(action=AuditAction.VISIT_CHECKED_IN_WITHOUT_CARD,
                                         target_id__in=[str(v.pk) for v in person.visits.all()]).count() == 1


def test_a_check_in_the_day_before_is_not_offered_for_tomorrows_visit(login, world):
    person = make_client(world, worker=world.alice)
    Visit.objects.create(client=person, worker=world.alice, org_unit=person.org_unit,
                         planned_for=timezone.localdate() + datetime.timedelta(days=1), created_by=world.heidi)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert without_card(person) not in login(world.alice).get(f"{MY_DAY}?date={tomorrow}").content.decode()
