"""Feedback (R-7.2, IP6): who sends it, the deadline in working days, escalation, the sender's page,
the client's confirmation and what IP6 counts."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.test import Client as Browser
from django.urls import reverse
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.audit.services import PUBLIC, SYSTEM
from socmon.lib.dates import add_working_days
from socmon.visits import tokens
from socmon.visits.tests.fieldkit import client_with_card

from .. import selectors, services
from ..models import Feedback, FeedbackCategory, FeedbackStep

pytestmark = pytest.mark.django_db
ALMATY = ZoneInfo("Asia/Almaty")


def category(code="waiting"):
    return FeedbackCategory.objects.get(code=code)


def public_data(world, **extra):
    return {"kind": "complaint", "org_unit": world.centre.pk, "category": category().pk,
            "text": "Am așteptat două ore la recepție.", "lang": "ro", **extra}


def public_feedback(world, **kwargs):
    return services.submit_feedback(by=PUBLIC, source=Feedback.Source.PUBLIC, kind="complaint",
                                    category=kwargs.pop("category", category()), text="Too slow",
                                    org_unit=kwargs.pop("org_unit", world.centre), **kwargs)


def client_feedback(world, client, **kwargs):
    return services.submit_feedback(by=PUBLIC, source=Feedback.Source.CLIENT, kind="complaint",
                                    category=category(), text="Late again", org_unit=None, client=client, **kwargs)


# --- Working days -------------------------------------------------------------------------------------------

def test_ten_working_days_from_a_friday_skip_two_weekends():
    friday = datetime.date(2026, 11, 20)
    assert add_working_days(friday, 10) == datetime.date(2026, 12, 4)
    assert add_working_days(datetime.date(2026, 11, 21), 1) == datetime.date(2026, 11, 23)  # Saturday → Monday


def test_feedback_received_on_a_friday_is_due_ten_working_days_later_and_urgent_sooner(world):
    friday = datetime.datetime(2026, 11, 20, 15, 0, tzinfo=ALMATY)
    feedback, _code = public_feedback(world, now=friday)
    assert (feedback.received_on, feedback.due_on) == (datetime.date(2026, 11, 20), datetime.date(2026, 12, 4))
    urgent, _code = public_feedback(world, category=category("safety"), now=friday)
    assert urgent.due_on == datetime.date(2026, 11, 25)


# --- The public ---------------------------------------------------------------------------------------------

def test_public_feedback_in_romanian_is_stored_and_its_code_is_shown_once(client, world):
    response = client.post(reverse("feedback_public:send"), public_data(world))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="ro"' in html
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.org_unit, feedback.language, feedback.client) == ("public", world.centre,
                                                                                        "ro", None)
    code = html.split('id="tracking-code">')[1].split("<")[0]
    assert feedback.tracking_hash == services.tracking_hash(code) and code not in feedback.tracking_hash
    assert AuditEvent.objects.filter(action=AuditAction.FEEDBACK_RECEIVED, actor_kind="public").count() == 1
    page = client.get(reverse("feedback_public:track", args=[code]))
    assert page.status_code == 200 and 'lang="ro"' in page.content.decode()


def test_the_public_form_lists_no_institution_until_one_is_searched_and_refuses_a_department(client, world):
    html = client.get(reverse("feedback_public:send") + "?lang=ro").content.decode()
    assert "Riverside Centre" not in html and "Hilltown Centre" not in html and 'id="id_institution_q"' in html
    response = client.post(reverse("feedback_public:send"), public_data(world, org_unit=world.home_care.pk))
    assert response.status_code == 400 and not Feedback.objects.exists()


def test_a_filled_honeypot_is_refused_with_a_clear_message_and_nothing_is_stored(client, world):
    response = client.post(reverse("feedback_public:send"), public_data(world, website="http://spam.example"))
    assert response.status_code == 400
    assert "Leave this empty" in response.content.decode() or "Lăsați" in response.content.decode()
    assert not Feedback.objects.exists() and not AuditEvent.objects.filter(action__startswith="feedback.").exists()


def test_a_flood_from_one_address_is_refused_after_the_limit_and_nothing_more_is_stored(client, world, settings):
    limit = settings.SOCMON_FEEDBACK_PER_ADDRESS
    for _ in range(limit):
        assert client.post(reverse("feedback_public:send"), public_data(world)).status_code == 200
    response = client.post(reverse("feedback_public:send"), public_data(world, lang="en"))
    assert response.status_code == 429
    assert "Too many messages were sent from this connection" in response.content.decode()
    assert Feedback.objects.count() == limit
    other = Browser(REMOTE_ADDR="10.0.0.9")
    assert other.post(reverse("feedback_public:send"), public_data(world)).status_code == 200


def test_an_unknown_tracking_code_finds_nothing(client, world):
    public_feedback(world)
    response = client.get(reverse("feedback_public:track", args=["not-a-real-code"]))
    assert response.status_code == 404 and "Too slow" not in response.content.decode()


# --- Clients ------------------------------------------------------------------------------------------------

def test_a_client_sends_feedback_with_their_card_code_about_their_department(client, world):
    holder, card = client_with_card(world, language="ru")
    url = reverse("feedback_public:client", args=[tokens.rating_short(card)])
    assert client.get(url).status_code == 200
    response = client.post(url, {"action": "send", "kind": "suggestion", "category": category("information").pk,
                                 "text": "Please call before coming"})
    assert response.status_code == 200
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.client, feedback.org_unit, feedback.language) == ("client", holder,
                                                                                        world.home_care, "ru")
    # Under the card's code the client sees it, and nothing of anybody else's.
    public_feedback(world)
    html = client.get(url).content.decode()
    assert html.count('<section class="r-group"') == 1


def test_the_rating_thanks_page_links_to_the_clients_feedback_page(client, world):
    from socmon.visits.tests.fieldkit import done_visit

    _holder, card = client_with_card(world, language="en")
    done_visit(world, card.client)
    token = tokens.rating_token(card)
    response = client.post(reverse("rating:rate", args=[token]), {"score": "4", "comment": ""})
    thanks = client.get(response["Location"]).content.decode()
    assert "Tell us more / send a complaint or suggestion" in thanks
    assert reverse("feedback_public:client", args=[token]) in thanks


def test_a_wrong_card_code_is_refused(client, world):
    response = client.get(reverse("feedback_public:client", args=["ZZZZ-ZZZZ-ZZ"]))
    assert response.status_code == 404 and not Feedback.objects.exists()


# --- The provider answers -----------------------------------------------------------------------------------

def test_the_head_answers_public_feedback_and_the_sender_reads_it_in_romanian(client, world, login):
    feedback, code = public_feedback(world, language="ro")
    browser = login(world.heidi)
    assert browser.get(reverse("feedback:detail", args=[feedback.pk])).status_code == 404  # Home Care's head: not hers
    browser = login(world.dora)
    response = browser.post(reverse("feedback:answer", args=[feedback.pk]),
                            {"answer": "Am angajat încă o persoană la recepție.", "channel": "web"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert (feedback.status, feedback.answered_by) == ("answered", world.dora)
    page = Browser().get(reverse("feedback_public:track", args=[code])).content.decode()
    assert "Am angajat încă o persoană" in page and 'lang="ro"' in page


def test_an_empty_answer_is_refused_and_closing_needs_an_answer(world):
    feedback, _code = public_feedback(world)
    with pytest.raises(services.ValidationError):
        services.answer_feedback(by=world.dora, feedback_id=feedback.pk, answer="  ", channel="web")
    with pytest.raises(services.ValidationError, match="before closing"):
        services.close_feedback(by=world.dora, feedback_id=feedback.pk)
    services.answer_feedback(by=world.dora, feedback_id=feedback.pk, answer="Sorted", channel="letter")
    services.close_feedback(by=world.dora, feedback_id=feedback.pk)
    assert Feedback.objects.get().status == "closed"


def test_the_deadline_is_extended_once_only_and_the_sender_sees_why(world):
    feedback, code = public_feedback(world)
    before = feedback.due_on
    services.extend_deadline(by=world.dora, feedback_id=feedback.pk, reason="We are asking the department")
    feedback.refresh_from_db()
    assert feedback.due_on == add_working_days(before, 10)
    with pytest.raises(services.ValidationError, match="already been extended once"):
        services.extend_deadline(by=world.dora, feedback_id=feedback.pk, reason="Again")
    page = Browser().get(reverse("feedback_public:track", args=[code])).content.decode()
    assert "We are asking the department" in page


def test_staff_note_feedback_said_by_phone(world, login):
    response = login(world.alice).post(reverse("feedback:new"), {
        "channel": "phone", "kind": "thanks", "category": category("staff-attitude").pk,
        "org_unit": world.home_care.pk, "text": "Thanks to Bob", "anonymous": "on"})
    assert response.status_code == 200 and 'id="tracking-code"' in response.content.decode()
    feedback = Feedback.objects.get()
    assert (feedback.source, feedback.channel, feedback.created_by) == ("staff", "phone", world.alice)


# --- Escalation and overdue ---------------------------------------------------------------------------------

def test_the_command_moves_overdue_feedback_up_one_level_with_a_reason_and_is_idempotent(world):
    monday = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=ALMATY)
    holder, _card = client_with_card(world)
    feedback, _code = client_feedback(world, holder, now=monday)
    assert feedback.due_on == datetime.date(2026, 11, 16)
    on_time, _code = public_feedback(world)  # due in two weeks
    call_command("escalate_feedback", "--now", "2026-11-18T02:00")
    feedback.refresh_from_db()
    assert (feedback.responsible_unit, feedback.escalation_level) == (world.centre, 1)
    step = feedback.steps.get(kind=FeedbackStep.Kind.ESCALATED)
    assert step.to_unit == world.centre and "overdue by 2 days" in step.note
    assert AuditEvent.objects.filter(action=AuditAction.FEEDBACK_ESCALATED, actor_kind="system").count() == 1
    call_command("escalate_feedback", "--now", "2026-11-18T23:00")  # again the same day: nothing moves
    feedback.refresh_from_db()
    assert feedback.escalation_level == 1 and feedback.steps.filter(kind="escalated").count() == 1
    on_time.refresh_from_db()
    assert on_time.escalation_level == 0
    # Five working days later it goes up again: institution → district.
    later = datetime.datetime(2026, 11, 26, 2, 0, tzinfo=ALMATY)
    assert services.escalate_overdue(by=SYSTEM, now=later) == 1
    feedback.refresh_from_db()
    assert (feedback.responsible_unit, feedback.escalation_level) == (world.riverside, 2)


def test_a_head_escalates_by_hand_with_a_reason(world, login):
    holder, _card = client_with_card(world)
    feedback, _code = client_feedback(world, holder)
    response = login(world.heidi).post(reverse("feedback:escalate", args=[feedback.pk]),
                                       {"escalate-reason": "It is about me"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.responsible_unit == world.centre
    assert feedback.steps.get(kind="escalated").note == "It is about me"


def test_ten_and_ninety_days_overdue_never_look_the_same(world):
    feedback, _code = public_feedback(world)
    today = feedback.due_on
    ten = selectors.clock_of(feedback, today + datetime.timedelta(days=10))
    ninety = selectors.clock_of(feedback, today + datetime.timedelta(days=90))
    assert (ten.status, ten.overdue_days, ten.tag) == ("overdue", 10, "govuk-tag--yellow")
    assert (ninety.overdue_days, ninety.tag) == (90, "govuk-tag--red")


def test_overdue_feedback_stands_out_on_the_heads_and_directors_home(world, login):
    holder, _card = client_with_card(world)
    long_ago = datetime.datetime(2026, 8, 3, 10, 0, tzinfo=ALMATY)
    client_feedback(world, holder, now=long_ago)
    for person in (world.heidi, world.dora):
        html = login(person).get(reverse("home")).content.decode()
        assert 'id="feedback-overdue"' in html and "govuk-tag--red" in html and "overdue by" in html
    assert 'id="feedback-overdue"' not in login(world.alice).get(reverse("home")).content.decode()
    assert 'id="feedback-overdue"' not in login(world.walt).get(reverse("home")).content.decode()


# --- The sender reopens; the client confirms; IP6 -------------------------------------------------------------

def test_the_sender_says_the_answer_did_not_resolve_it_and_it_reopens(world):
    feedback, code = public_feedback(world)
    services.answer_feedback(by=world.dora, feedback_id=feedback.pk, answer="We will see", channel="web")
    services.close_feedback(by=world.dora, feedback_id=feedback.pk)
    url = reverse("feedback_public:track", args=[code])
    response = Browser().post(url, {"action": "reopen", "reason": "Nothing changed"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "open" and feedback.closed_at is None
    assert feedback.steps.get(kind="reopened").note == "Nothing changed"
    assert AuditEvent.objects.filter(action=AuditAction.FEEDBACK_REOPENED, actor_kind="public").exists()


def test_a_client_confirms_the_answer_and_ip6_counts_them_but_never_public_feedback(world, login):
    holder, card = client_with_card(world)
    other, _card = client_with_card(world, first="Aigerim", last="Nurlanova")
    mine, _code = client_feedback(world, holder)
    second, _code = client_feedback(world, holder)
    theirs, _code = client_feedback(world, other)
    public, public_code = public_feedback(world)
    for feedback in (mine, second, theirs, public):
        services.answer_feedback(by=world.dora, feedback_id=feedback.pk, answer="Done", channel="web")
    # Through the card's code …
    url = reverse("feedback_public:client", args=[tokens.rating_token(card)])
    assert Browser().post(url, {"action": "confirm", "feedback": mine.pk}).status_code == 302
    assert Browser().post(url, {"action": "confirm", "feedback": second.pk}).status_code == 302
    # … or by the worker at the next visit, on the client's page.
    page = login(world.alice).get(reverse("clients:detail", args=[other.pk]))
    assert "The client received it" in page.content.decode()
    response = login(world.alice).post(reverse("feedback:confirm_for_client", args=[other.pk, theirs.pk]))
    assert response.status_code == 302
    # The public cannot confirm (it is answered, not counted).
    assert Browser().post(reverse("feedback_public:track", args=[public_code]),
                          {"action": "confirm"}).status_code == 400
    start = timezone.make_aware(datetime.datetime(2026, 11, 1))
    end = timezone.make_aware(datetime.datetime(2026, 12, 1))
    assert selectors.ip6_confirmations(world.home_care.path, start, end) == 2  # two clients, not three answers
    assert selectors.ip6_confirmations(world.centre.path, start, end) == 2
    assert selectors.ip6_confirmations(world.family.path, start, end) == 0
    assert selectors.ip6_confirmations(world.centre.path, end, end + datetime.timedelta(days=30)) == 0


def test_a_client_cannot_act_on_someone_elses_feedback_with_their_code(world):
    holder, card = client_with_card(world)
    other, _card = client_with_card(world, first="Aigerim", last="Nurlanova")
    theirs, _code = client_feedback(world, other)
    services.answer_feedback(by=world.dora, feedback_id=theirs.pk, answer="Done", channel="web")
    url = reverse("feedback_public:client", args=[tokens.rating_token(card)])
    assert Browser().post(url, {"action": "confirm", "feedback": theirs.pk}).status_code == 400
    theirs.refresh_from_db()
    assert theirs.confirmed_at is None


# --- Scope --------------------------------------------------------------------------------------------------

def test_walt_sees_nothing_of_riverside(world, login):
    holder, _card = client_with_card(world)
    feedback, _code = client_feedback(world, holder)
    public, _code = public_feedback(world)
    browser = login(world.walt)
    assert browser.get(reverse("feedback:list")).status_code == 403
    assert browser.get(reverse("feedback:detail", args=[feedback.pk])).status_code == 404
    assert browser.post(reverse("feedback:answer", args=[public.pk]), {"answer": "x", "channel": "web"}).status_code \
        == 404
    html = login(world.sam).get(reverse("feedback:list")).content.decode()
    assert reverse("feedback:detail", args=[feedback.pk]) in html


def test_the_list_filters_by_status_and_overdue(world, login):
    holder, _card = client_with_card(world)
    old, _code = client_feedback(world, holder, now=datetime.datetime(2026, 8, 3, 10, 0, tzinfo=ALMATY))
    new, _code = client_feedback(world, holder)
    browser = login(world.heidi)
    html = browser.get(reverse("feedback:list") + "?overdue=on").content.decode()
    assert reverse("feedback:detail", args=[old.pk]) in html and reverse("feedback:detail", args=[new.pk]) not in html
    html = browser.get(reverse("feedback:list") + "?status=answered").content.decode()
    assert "No feedback matches." in html
