"""Simultaneous requests through the live server: every change has exactly one winner, the other is told."""

import pytest
from django.urls import reverse

from socmon.audit.models import AuditEvent
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


def test_an_accept_and_a_decline_through_one_link_at_once_decide_the_referral_once(world, live_server):
    import requests

    from .. import links

    case = factories.case_in(world, "active")
    sessions = [requests.Session() for _ in range(2)]
    answers = [{"step": "answer", "answer": "accept"},
               {"step": "answer", "answer": "decline", "reason": "No places left"}]
    for _ in range(TRIES):
        referral = services.send_referral(by=world.alice, case=case, programme="Day care", kind="standard",
                                          notes="Needs company", to_external="Lakeside Day Centre")
        url = live_server.url + reverse("referral_link:answer", args=[links.link_token(referral)])
        pages = race(2, lambda i, url=url: sessions[i].post(url, data=answers[i], allow_redirects=False))
        # The loser is told, never a 500: "already answered" (409), or after a decline "all recorded" (410).
        assert sorted(p.status_code for p in pages) in ([302, 409], [302, 410]), pages
        loser = next(p for p in pages if p.status_code != 302)
        assert "already been answered" in loser.text or "already been recorded" in loser.text
        referral.refresh_from_db()
        winner = pages.index(next(p for p in pages if p.status_code == 302))
        assert referral.status == ("accepted", "declined")[winner]
        assert case.events.filter(kind__in=["referral_accepted", "referral_declined"],
                                  detail__referral=referral.pk).count() == 1
        assert AuditEvent.objects.filter(target_id=str(referral.pk), actor_kind="public").count() == 1


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
