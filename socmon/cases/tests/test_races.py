"""Simultaneous requests through the live server: every change has exactly one winner, the other is told."""

import pytest
from django.urls import reverse

from socmon.test import race, web_session

from .. import services
from ..models import Case
from . import factories

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 20


def test_an_accept_and_a_decline_sent_together_decide_the_referral_once(world, live_server):
    case = factories.case_in(world, "active")
    sessions = [web_session(live_server.url, world.fiona) for _ in range(2)]
    answers = [{"answer": "accept", "reason": ""}, {"answer": "decline", "reason": "No places left"}]
    for _ in range(TRIES):
        referral = services.send_referral(by=world.alice, case=case, programme="Family mediation", kind="standard",
                                          notes="Needs support", to_unit=world.family)
        url = reverse("cases:referral_answer", args=[referral.pk])
        pages = race(2, lambda i, url=url: sessions[i].post(sessions[i].url(url), data=answers[i]))
        assert sorted(p.status_code for p in pages) == [200, 400], pages
        loser = next(p for p in pages if p.status_code == 400)
        assert "already been answered" in loser.text
        referral.refresh_from_db()
        winner = pages.index(next(p for p in pages if p.status_code == 200))
        assert referral.status == ("accepted", "declined")[winner]
        assert case.events.filter(kind__in=["referral_accepted", "referral_declined"],
                                  detail__referral=referral.pk).count() == 1


def test_two_case_openings_for_one_client_at_once_open_one_case(world, live_server):
    sessions = [web_session(live_server.url, world.alice), web_session(live_server.url, world.heidi)]
    for _ in range(TRIES):
        client = factories.client(world, worker=world.alice)
        url = reverse("cases:new", args=[client.pk])
        pages = race(2, lambda i, url=url: sessions[i].post(sessions[i].url(url), data={}))
        assert sorted(p.status_code for p in pages) == [200, 400], pages
        loser = next(p for p in pages if p.status_code == 400)
        assert "already has an open case" in loser.text
        assert Case.objects.filter(client=client).count() == 1
