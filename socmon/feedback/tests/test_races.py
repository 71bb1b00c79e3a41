"""Two heads answering the same feedback at once: one answer is stored, the other is told, never a 500."""

import pytest
from django.urls import reverse

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.audit.services import PUBLIC
from socmon.test import race, web_session

from .. import services
from ..models import Feedback, FeedbackCategory

pytestmark = pytest.mark.django_db(transaction=True)
TRIES = 10


def test_two_answers_sent_together_store_one(world, live_server):
    sessions = [web_session(live_server.url, person) for person in (world.heidi, world.dora)]
    for _ in range(TRIES):
        feedback, _code = services.submit_feedback(
            by=PUBLIC, source=Feedback.Source.PUBLIC, kind="complaint",
            category=FeedbackCategory.objects.get(code="waiting"), text="Too slow", org_unit=world.centre)
        # Home Care's head does not reach the institution's own feedback: make it Home Care's.
        Feedback.objects.filter(pk=feedback.pk).update(org_unit=world.home_care, responsible_unit=world.home_care)
        url = reverse("feedback:answer", args=[feedback.pk])
        pages = race(2, lambda i, url=url: sessions[i].post(
            sessions[i].url(url), data={"answer": f"Answer {i}", "channel": "web"}, allow_redirects=False))
        assert sorted(p.status_code for p in pages) == [302, 400], pages
        loser = next(p for p in pages if p.status_code == 400)
        assert "has just been answered by" in loser.text
        feedback.refresh_from_db()
        assert feedback.status == "answered" and feedback.steps.filter(kind="answered").count() == 1
        assert AuditEvent.objects.filter(action=AuditAction.FEEDBACK_ANSWERED, target_id=str(feedback.pk)).count() == 1
