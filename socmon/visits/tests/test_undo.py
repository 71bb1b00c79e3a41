"""Mistakes can be undone (issue 8): a check-in by mistake is cancelled, a service corrected or removed before
check-out, minutes corrected by the head after it; each audited, and refused to everyone else."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.visits import services, tokens
from socmon.visits.models import ServiceDelivery, Visit

from .fieldkit import client_with_card, service_kind

pytestmark = pytest.mark.django_db
CHECK_IN = reverse("visits:check_in")


@pytest.fixture
def card(world):
    return client_with_card(world, worker=world.alice)[1]


@pytest.fixture
def open_visit(world, card):
    return services.check_in(by=world.alice, client=card.client, now=timezone.now() - datetime.timedelta(minutes=30))


@pytest.fixture
def delivery(world, open_visit):
    return services.record_service(by=world.alice, visit=open_visit, service=service_kind(), minutes=30)


@pytest.fixture
def other_head(world):
    """The head of Family Support: another department of the same centre."""
    user = User.objects.create_user(username="hana", first_name="Hana", last_name="Hill", password="x")
    Membership.objects.create(user=user, org_unit=world.family, role=Role.HEAD)
    return user


def events(action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def cancel_url(visit):
    return reverse("visits:cancel_visit", args=[visit.pk])


def edit_url(delivery):
    return reverse("visits:service_edit", args=[delivery.visit_id, delivery.pk])


def remove_url(delivery):
    return reverse("visits:service_remove", args=[delivery.visit_id, delivery.pk])


def done(world, visit):
    services.check_out(by=world.alice, visit=visit)
    return visit


# --- Cancelling a check-in opened by mistake ---------------------------------------------------------------

def test_the_worker_cancels_a_check_in_by_mistake_and_the_head_sees_the_reason(login, world, open_visit):
    response = login(world.alice).post(cancel_url(open_visit), {"reason": "Scanned the neighbour's card."})
    assert response.status_code == 302
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.CANCELLED and open_visit.cancel_reason == "Scanned the neighbour's card."
    [event] = events(AuditAction.VISIT_CANCELLED)
    assert event.actor == world.alice and event.detail["reason"] == "Scanned the neighbour's card."
    head = login(world.heidi)
    page = head.get(reverse("visits:visit", args=[open_visit.pk])).content.decode()
    assert "Scanned the neighbour&#x27;s card." in page
    live = head.get(reverse("visits:live", args=[world.home_care.pk])).content.decode()
    assert 'id="live-cancelled"' in live and "Scanned the neighbour&#x27;s card." in live
    # The person's visit slot is free again: the worker can check in for real.
    assert services.check_in(by=world.alice, client=open_visit.client).pk != open_visit.pk


def test_a_visit_is_not_cancelled_without_a_reason(login, world, open_visit):
    response = login(world.alice).post(cancel_url(open_visit), {"reason": "  "})
    assert response.status_code == 400 and "Say why the visit is cancelled" in response.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.IN_PROGRESS and not events(AuditAction.VISIT_CANCELLED)


def test_a_visit_with_services_recorded_is_not_cancelled_until_they_are_removed(login, world, open_visit, delivery):
    response = login(world.alice).post(cancel_url(open_visit), {"reason": "Wrong person."})
    assert response.status_code == 400 and "Remove them first" in response.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.IN_PROGRESS and ServiceDelivery.objects.count() == 1


@pytest.mark.parametrize("who, status", [("bob", 404), ("heidi", 403), ("fiona", 404), ("eve", 404),
                                         ("dora", 403), ("other_head", 404)])
def test_only_the_visits_own_worker_may_cancel_it(login, world, open_visit, other_head, who, status):
    user = other_head if who == "other_head" else getattr(world, who)
    assert login(user).post(cancel_url(open_visit), {"reason": "Probe"}).status_code == status
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.IN_PROGRESS and not events(AuditAction.VISIT_CANCELLED)


def test_a_finished_visit_is_not_cancelled(login, world, open_visit, delivery):
    done(world, open_visit)
    response = login(world.alice).post(cancel_url(open_visit), {"reason": "Probe"})
    assert response.status_code == 400 and "not in progress" in response.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.DONE


# --- Correcting or removing a service before check-out --------------------------------------------------------

def test_the_worker_corrects_a_services_minutes_before_check_out(login, world, delivery):
    response = login(world.alice).post(edit_url(delivery), {"minutes": "45"})
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.minutes == 45
    [event] = events(AuditAction.VISIT_SERVICE_CORRECTED)
    assert (event.actor, event.detail["old_minutes"], event.detail["new_minutes"]) == (world.alice, 30, 45)


def test_a_correction_out_of_range_stores_nothing(login, world, delivery):
    response = login(world.alice).post(edit_url(delivery), {"minutes": "481"})
    assert response.status_code == 400 and "Enter between 1 and 480 minutes." in response.content.decode()
    delivery.refresh_from_db()
    assert delivery.minutes == 30 and not events(AuditAction.VISIT_SERVICE_CORRECTED)


def test_the_worker_removes_a_service_recorded_by_mistake_and_a_second_press_is_told(login, world, delivery):
    worker = login(world.alice)
    assert worker.post(remove_url(delivery)).status_code == 302
    assert not ServiceDelivery.objects.exists()
    [event] = events(AuditAction.VISIT_SERVICE_REMOVED)
    assert event.actor == world.alice and event.detail["old_minutes"] == 30
    again = worker.post(remove_url(delivery), follow=True)
    assert "This service was already removed." in again.content.decode()
    assert len(events(AuditAction.VISIT_SERVICE_REMOVED)) == 1


@pytest.mark.parametrize("who, status", [("bob", 404), ("heidi", 403), ("fiona", 404), ("eve", 404),
                                         ("sam", 403), ("other_head", 404)])
def test_nobody_else_corrects_or_removes_a_service_of_an_open_visit(login, world, delivery, other_head, who, status):
    session = login(other_head if who == "other_head" else getattr(world, who))
    assert session.post(edit_url(delivery), {"minutes": "5", "reason": "Probe"}).status_code == status
    assert session.post(remove_url(delivery)).status_code == status
    delivery.refresh_from_db()
    assert delivery.minutes == 30
    assert not events(AuditAction.VISIT_SERVICE_CORRECTED) and not events(AuditAction.VISIT_SERVICE_REMOVED)


# --- After check-out: the head corrects minutes, with a reason -----------------------------------------------

def test_after_check_out_the_worker_is_refused_and_the_head_corrects_with_a_reason(login, world, open_visit,
                                                                                   delivery):
    done(world, open_visit)
    worker = login(world.alice)
    assert worker.post(edit_url(delivery), {"minutes": "20", "reason": "Typo"}).status_code == 403
    assert worker.post(remove_url(delivery)).status_code == 403
    head = login(world.heidi)
    page = head.get(reverse("visits:visit", args=[open_visit.pk])).content.decode()
    assert f'href="{edit_url(delivery)}"' in page
    refused = head.post(edit_url(delivery), {"minutes": "20"})
    assert refused.status_code == 400 and "Say why the minutes are corrected" in refused.content.decode()
    delivery.refresh_from_db()
    assert delivery.minutes == 30 and not events(AuditAction.VISIT_SERVICE_CORRECTED)
    assert head.post(edit_url(delivery), {"minutes": "20", "reason": "She called: it was 20 min."}).status_code == 302
    delivery.refresh_from_db()
    assert delivery.minutes == 20
    [event] = events(AuditAction.VISIT_SERVICE_CORRECTED)
    assert event.actor == world.heidi and event.detail == {
        "service": "shopping", "old_minutes": 30, "new_minutes": 20, "reason": "She called: it was 20 min.",
        "after_check_out": True}
    # The head corrects; a finished visit's service is never removed.
    head.post(remove_url(delivery))
    assert ServiceDelivery.objects.count() == 1 and not events(AuditAction.VISIT_SERVICE_REMOVED)


@pytest.mark.parametrize("who, status", [("bob", 404), ("fiona", 404), ("eve", 404), ("dora", 403), ("sam", 403),
                                         ("other_head", 404)])
def test_after_check_out_nobody_but_the_head_corrects_minutes(login, world, open_visit, delivery, other_head, who,
                                                             status):
    done(world, open_visit)
    session = login(other_head if who == "other_head" else getattr(world, who))
    assert session.post(edit_url(delivery), {"minutes": "5", "reason": "Probe"}).status_code == status
    delivery.refresh_from_db()
    assert delivery.minutes == 30 and not events(AuditAction.VISIT_SERVICE_CORRECTED)


# --- Closing without a service, checking in twice --------------------------------------------------------------

def test_a_visit_without_any_service_is_closed_only_with_a_reason(login, world, open_visit):
    worker = login(world.alice)
    url = reverse("visits:check_out", args=[open_visit.pk])
    refused = worker.post(url, {"notes": ""})
    assert refused.status_code == 400 and "say why there were none" in refused.content.decode()
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.IN_PROGRESS
    assert worker.post(url, {"no_service_reason": "Not at home."}).status_code == 302
    open_visit.refresh_from_db()
    assert open_visit.status == Visit.Status.DONE and open_visit.no_service_reason == "Not at home."
    assert "Not at home." in login(world.heidi).get(reverse("visits:visit", args=[open_visit.pk])).content.decode()


def test_a_visit_with_services_is_closed_without_being_asked_why(login, world, open_visit, delivery):
    worker = login(world.alice)
    assert 'name="no_service_reason"' not in worker.get(reverse("visits:visit", args=[open_visit.pk])).content.decode()
    assert worker.post(reverse("visits:check_out", args=[open_visit.pk]), {}).status_code == 302


def test_a_second_check_in_right_after_a_finished_visit_asks_first(login, world, card, open_visit, delivery):
    done(world, open_visit)
    worker = login(world.alice)
    asked = worker.post(CHECK_IN, {"code": tokens.check_in_short(card)})
    html = asked.content.decode()
    assert asked.status_code == 200 and f"A visit to {card.client.code} was already finished today" in html
    assert 'name="confirm_repeat" value="True"' in html and "Yes, start another visit" in html
    assert Visit.objects.count() == 1
    confirmed = worker.post(CHECK_IN, {"code": tokens.check_in_short(card), "confirm_repeat": "True"})
    assert confirmed.status_code == 302 and Visit.objects.filter(status=Visit.Status.IN_PROGRESS).count() == 1


def test_checking_in_while_another_visit_is_in_progress_names_that_person(login, world, open_visit):
    other = client_with_card(world, worker=world.alice, first="Aigul", last="Nurova")[1]
    response = login(world.alice).post(CHECK_IN, {"code": tokens.check_in_short(other)}, follow=True)
    html = response.content.decode()
    assert f"Your visit to {open_visit.client.code} is still in progress" in html
    assert Visit.objects.filter(status=Visit.Status.IN_PROGRESS).count() == 2


def test_minutes_open_the_number_keypad_when_recording_and_correcting(login, world, delivery):
    """Text inputs with inputmode numeric (a number input would change its value when the page scrolls)."""
    client = login(world.alice)
    for url in (reverse("visits:visit", args=[delivery.visit_id]), edit_url(delivery)):
        html = client.get(url).content.decode()
        field = re.search(r'<input[^>]*name="minutes"[^>]*>', html).group(0)
        assert 'type="text"' in field and 'inputmode="numeric"' in field, url
