"""Simultaneous requests through the live server: every change has exactly one winner, the other is told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.test import race, web_session
from socmon.visits import services, tokens
from socmon.visits.models import Visit

from .fieldkit import client_with_card

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 20


def test_two_simultaneous_check_ins_of_one_client_open_one_visit_and_tell_the_second(world, live_server):
    sessions = [web_session(live_server.url, world.alice) for _ in range(2)]
    check_in = reverse("visits:check_in")
    for _ in range(TRIES):
        client, card = client_with_card(world, worker=world.alice)
        code = tokens.check_in_short(card)
        answers = race(2, lambda i, code=code: sessions[i].post(sessions[i].url(check_in), data={"code": code}))
        assert [a.status_code for a in answers] == [200, 200], answers
        assert Visit.objects.filter(client=client, status=Visit.Status.IN_PROGRESS).count() == 1
        said = sorted("Visit started at" in a.text for a in answers)
        assert said == [False, True]
        loser = next(a for a in answers if "Visit started at" not in a.text)
        assert "already in progress" in loser.text


def test_cancelling_and_checking_out_one_visit_at_once_has_one_winner_and_the_other_is_told(world, live_server):
    sessions = [web_session(live_server.url, world.alice) for _ in range(2)]
    for _ in range(TRIES // 2):
        client, _card = client_with_card(world, worker=world.alice)
        visit = services.check_in(by=world.alice, client=client, now=timezone.now() - datetime.timedelta(minutes=10))
        posts = [(reverse("visits:cancel_visit", args=[visit.pk]), {"reason": "Wrong card."}),
                 (reverse("visits:check_out", args=[visit.pk]), {"no_service_reason": "Not at home."})]
        answers = race(2, lambda i, posts=posts: sessions[i].post(sessions[i].url(posts[i][0]), data=posts[i][1]))
        assert sorted(a.status_code for a in answers) == [200, 400], answers
        loser = next(a for a in answers if a.status_code == 400)
        assert "not in progress" in loser.text
        visit.refresh_from_db()
        assert visit.status in {Visit.Status.CANCELLED, Visit.Status.DONE}
        assert AuditEvent.objects.filter(target_id=str(visit.pk), action__in=[
            AuditAction.VISIT_CANCELLED, AuditAction.VISIT_CHECKED_OUT]).count() == 1
