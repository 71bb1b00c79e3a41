"""Two administrators resetting one person's password at once: one temporary password is made, the other
administrator is told (else they would hand out a password that no longer works)."""

import re

import pytest
from django.urls import reverse

from socmon.accounts.models import Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.test import _person, race, web_session

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 10


def test_two_administrators_resetting_one_password_at_once_one_wins_and_the_other_is_told(world, live_server):
    nadia = _person("nadia", "Nadia", "Nurova", world.north, Role.ADMIN)
    sessions = [web_session(live_server.url, world.adam), web_session(live_server.url, nadia)]
    url = reverse("orgs:password_reset", args=[world.alice.pk])
    for attempt in range(TRIES):
        seen = [re.search(r'name="seen" value="([^"]+)"', s.get(s.url(url)).text).group(1) for s in sessions]

        def post(i, seen=seen):
            return sessions[i].post(sessions[i].url(url), data={"seen": seen[i]})

        pages = race(2, post)
        assert sorted(p.status_code for p in pages) == [200, 400], pages
        winner = next(p for p in pages if p.status_code == 200)
        loser = next(p for p in pages if p.status_code == 400)
        assert "was changed a moment ago" in loser.text and 'id="temporary-password"' not in loser.text
        password = re.search(r'id="temporary-password"[^>]*>([^<]+)<', winner.text).group(1)
        assert User.objects.get(pk=world.alice.pk).check_password(password)
        assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_RESET).count() == attempt + 1
