"""Rules of the field flow that a deliberately broken rule showed had no test (issue 7)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from socmon.audit.actions import AuditAction
from socmon.audit.models import AuditEvent
from socmon.visits import services, tokens
from socmon.visits.models import Rating, ServiceDelivery
from socmon.visits.tokens import Reason, TokenRejected

from .fieldkit import client_with_card, done_visit, service_kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def card(world):
    return client_with_card(world)[1]


def test_a_rating_at_exactly_check_out_plus_the_window_is_accepted_and_a_second_later_refused(world, card, settings):
    settings.SOCMON_RATING_WINDOW_MINUTES = 120
    visit = done_visit(world, card.client)
    deadline = visit.checked_out_at + datetime.timedelta(minutes=120)
    code = tokens.one_time_token(visit)
    with pytest.raises(TokenRejected) as late:
        tokens.read_rating(code, now=deadline + datetime.timedelta(seconds=1))
    assert late.value.reason == Reason.EXPIRED
    rating = services.rate_visit(token=code, score=8, now=deadline)
    assert rating.visit == visit


def test_a_one_time_code_with_a_genuine_signature_but_a_wrong_nonce_is_refused(world, card):
    visit = done_visit(world, card.client)
    genuine = tokens.one_time_token(visit)
    forged = tokens._signer(tokens.Kind.ONE_TIME).sign_object([visit.pk, "0badc0de"])
    assert forged != genuine
    with pytest.raises(TokenRejected) as refused:
        services.rate_visit(token=forged, score=10)
    assert refused.value.reason == Reason.FORGED
    assert not Rating.objects.exists()


@pytest.mark.parametrize("minutes", [0, 481, "0", "481"])
def test_the_service_itself_refuses_0_and_481_minutes(world, card, minutes):
    visit = services.check_in(by=world.alice, client=card.client)
    with pytest.raises(ValidationError, match="Enter between 1 and 480 minutes."):
        services.record_service(by=world.alice, visit=visit, service=service_kind(), minutes=minutes)
    assert not ServiceDelivery.objects.exists()


def test_check_in_each_service_and_check_out_are_audited_with_the_worker_as_actor(world, card):
    visit = services.check_in(by=world.alice, client=card.client)
    services.record_service(by=world.alice, visit=visit, service=service_kind("shopping"), minutes=20)
    services.record_service(by=world.alice, visit=visit, service=service_kind("cleaning", 45), minutes=30)
    services.check_out(by=world.alice, visit=visit, now=visit.checked_in_at + datetime.timedelta(minutes=55))
    events = AuditEvent.objects.filter(target_type="visits.visit", target_id=str(visit.pk)).order_by("pk")
    assert [(e.action, e.actor) for e in events] == [
        (AuditAction.VISIT_CHECKED_IN, world.alice),
        (AuditAction.VISIT_SERVICE_RECORDED, world.alice),
        (AuditAction.VISIT_SERVICE_RECORDED, world.alice),
        (AuditAction.VISIT_CHECKED_OUT, world.alice),
    ]
    assert [e.detail.get("service") for e in events][1:3] == ["shopping", "cleaning"]

