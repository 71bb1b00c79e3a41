"""Two heads mark the same flag as checked at the same moment: one check is stored, the other head is told."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.test import race, web_session
from socmon.visits.models import FlagCheck

from .planning_kit import client_at, done, refreshed

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 10


def test_two_heads_checking_one_flag_at_once_give_one_check_and_the_other_is_told(world, live_server):
    world = refreshed(world)
    hana = User.objects.create_user("hana", first_name="Hana", last_name="Hamidova")
    Membership.objects.create(user=hana, org_unit=world.home_care, role=Role.HEAD)
    sessions = [web_session(live_server.url, world.heidi), web_session(live_server.url, hana)]
    for _ in range(TRIES):
        short = done(world, client_at(world, 43.31, 77.25),
                     started=timezone.now() - datetime.timedelta(minutes=30), minutes=2)
        url = reverse("visits:check_visit_flag", args=[short.pk, "short"])
        answers = race(2, lambda i, url=url: sessions[i].post(sessions[i].url(url), allow_redirects=False,
                                                              data={"comment": f"Looked at it ({i})."}))
        assert sorted(a.status_code for a in answers) == [302, 400], answers
        loser = next(a for a in answers if a.status_code == 400)
        assert "marked this flag as checked first" in loser.text
        assert FlagCheck.objects.filter(visit=short).count() == 1
        assert AuditEvent.objects.filter(action=AuditAction.VISIT_FLAG_CHECKED,
                                         detail__visit=short.pk).count() == 1
