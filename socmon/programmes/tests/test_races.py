"""Simultaneous requests through the live server: a plan version is approved once, a new version started once."""

import pytest
from django.urls import reverse

from socmon.accounts.models import Role
from socmon.audit.models import AuditEvent
from socmon.programmes import services
from socmon.programmes.models import PlanVersion
from socmon.test import _person, race, web_session

from .kit import approved_plan, complete_draft, programme

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 12


def test_two_approvers_at_once_approve_a_version_once(world, live_server):
    mira = _person("mira", "Mira", "Mukanova", world.north, Role.SPECIALIST)
    sessions = [web_session(live_server.url, world.dora), web_session(live_server.url, mira)]
    for attempt in range(TRIES):
        prog = programme(world, name=f"Race {attempt}")
        version = complete_draft(world, prog)
        services.submit_version(by=world.sam, version=version)
        url = reverse("programmes:plan_decide", args=[prog.pk])
        # One approves while the other approves (even tries) or returns it (odd tries).
        data = [{"decision": "approve"}, {"decision": "approve" if attempt % 2 == 0 else "return", "reason": "No"}]
        pages = race(2, lambda i, url=url, data=data: sessions[i].post(sessions[i].url(url), data=data[i],
                                                                        allow_redirects=False))
        assert sorted(p.status_code for p in pages) == [302, 400], pages
        loser = next(p for p in pages if p.status_code == 400)
        assert "no longer waiting for approval" in loser.text
        version.refresh_from_db()
        decided = AuditEvent.objects.filter(target_id=str(version.pk),
                                            action__in=["programmes.plan_approved", "programmes.plan_returned"])
        assert decided.count() == 1
        assert version.status == ("approved" if decided.get().action == "programmes.plan_approved" else "draft")


def test_two_new_versions_started_at_once_make_one_draft(world, live_server):
    mira = _person("mira", "Mira", "Mukanova", world.north, Role.SPECIALIST)
    sessions = [web_session(live_server.url, world.sam), web_session(live_server.url, mira)]
    for attempt in range(TRIES):
        prog = programme(world, name=f"Race {attempt}")
        approved_plan(world, prog)
        url = reverse("programmes:plan_start", args=[prog.pk])
        pages = race(2, lambda i, url=url: sessions[i].post(sessions[i].url(url), allow_redirects=False))
        assert sorted(p.status_code for p in pages) == [302, 400], pages
        assert "already has a version of its plan in progress" in next(p for p in pages if p.status_code == 400).text
        assert PlanVersion.objects.filter(programme=prog, status="draft").count() == 1
