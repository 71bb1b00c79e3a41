"""Simultaneous requests through the live server: every change has exactly one winner, the other is told."""

import re

import pytest
from django.urls import reverse

from socmon.accounts.models import Role
from socmon.clients.models import CaseloadAssignment
from socmon.test import _person, race, web_session

from .conftest import make_client

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 20


def seen_on_page(session, url: str) -> str:
    return re.search(r'name="seen" value="([^"]*)"', session.get(session.url(url)).text).group(1)


def test_two_heads_reassigning_one_client_at_once_one_wins_and_the_other_is_told(world, live_server):
    carl = _person("carl", "Carl", "Karimov", world.home_care, Role.WORKER)
    second_head = _person("hana", "Hana", "Hasenova", world.home_care, Role.HEAD)
    sessions = [web_session(live_server.url, world.heidi), web_session(live_server.url, second_head)]
    page = reverse("clients:caseload", args=[world.home_care.pk])
    assign = reverse("clients:caseload_assign", args=[world.home_care.pk])
    targets = (world.bob, carl)
    for attempt in range(TRIES):
        # Half the time a client nobody holds (both would create), half one alice holds (both would move).
        holder = world.alice if attempt % 2 else None
        client = make_client(world.home_care, "Nurlan", f"Test{attempt}", worker=holder, by=world.heidi)
        seen = [seen_on_page(s, page) for s in sessions]

        def post(i, client=client, seen=seen):
            return sessions[i].post(sessions[i].url(assign),
                                    data={"clients": [client.pk], "worker": targets[i].pk, "seen": seen[i]})

        pages = race(2, post)
        assert sorted(p.status_code for p in pages) == [200, 400], pages
        loser = next(p for p in pages if p.status_code == 400)
        assert "Someone else has just changed the caseloads" in loser.text
        winner = targets[[p.status_code for p in pages].index(200)]
        holders = CaseloadAssignment.objects.filter(client=client, ends_on=None).values_list("worker", flat=True)
        assert list(holders) == [winner.pk]
