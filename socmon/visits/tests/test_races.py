"""Simultaneous requests through the live server: every change has exactly one winner, the other is told."""

import pytest
from django.urls import reverse

from socmon.test import race, web_session
from socmon.visits import tokens
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
