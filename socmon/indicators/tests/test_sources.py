"""Hand-computed cases for the indicators read from feedback, referrals and survey answers, through the services
that record them (so the stale marks of each save path are proven too)."""

import datetime

import pytest
from django.utils import timezone

from socmon.audit.services import PUBLIC
from socmon.cases import services as case_services
from socmon.cases.tests import factories
from socmon.feedback import services as feedback_services
from socmon.feedback.models import Feedback, FeedbackCategory
from socmon.indicators import periods
from socmon.surveys.models import IndicatorAnswer, Response
from socmon.surveys.tests.kit import invitation, questionnaire_version

from .kit import agrees_with_rebuild, client, fresh, value

pytestmark = pytest.mark.django_db


def _feedback(world, person, *, source=Feedback.Source.CLIENT, unit=None):
    feedback, _code = feedback_services.submit_feedback(
        by=PUBLIC, source=source, kind="complaint", category=FeedbackCategory.objects.get(code="waiting"),
        text="The visit came late.", org_unit=unit, client=person if source == Feedback.Source.CLIENT else None)
    return feedback_services.answer_feedback(by=world.heidi, feedback_id=feedback.pk, answer="We changed the route.",
                                             channel=Feedback.Channel.PHONE)


def test_ip6_counts_clients_who_confirm_an_answer_not_the_public(world):
    amina, boris = client(world, world.home_care, first="Amina"), client(world, world.family, first="Boris")
    first = _feedback(world, amina)
    second = _feedback(world, amina)
    _feedback(world, boris)  # answered, never confirmed
    _feedback(world, None, source=Feedback.Source.PUBLIC, unit=world.centre)  # the public: answered, not counted
    feedback_services.confirm_answer(by=world.alice, feedback_id=first.pk)
    feedback_services.confirm_answer(by=world.alice, feedback_id=second.pk)
    fresh()
    month = timezone.localdate().strftime("%Y-%m")
    assert value("IP6", world.home_care, month) == 1      # Amina confirmed twice: one client
    assert value("IP6", world.family, month) == 0         # Boris's feedback was received: a true zero
    assert value("IP6", world.centre, month) == 1
    assert value("IP6", world.north, timezone.localdate().strftime("%Y")) == 1   # the region, over the year
    assert value("IP6", world.hill_care, month) is None
    assert agrees_with_rebuild() == []


def _answers(world, version, person, day: datetime.date, counts: dict[str, bool], unit=None):
    invited = invitation(world, version, unit=unit or person.org_unit)
    response = Response.objects.create(
        campaign=invited.campaign, version=version, client=person, org_unit=person.org_unit,
        mode=invited.mode, language="ru", answers={}, submitted_at=timezone.now())
    for code, counted in counts.items():
        IndicatorAnswer.objects.create(response=response, indicator=code, counts=counted, client=person,
                                       org_unit=person.org_unit, answered_on=day)


def test_survey_indicators_count_distinct_clients_whose_answer_counts(world):
    version = questionnaire_version(world)
    amina, boris = client(world, world.home_care, first="Amina"), client(world, world.home_care, first="Boris")
    dana = client(world, world.family, first="Dana")
    _answers(world, version, amina, datetime.date(2026, 3, 2), {"IR2": True, "IS1": True})
    _answers(world, version, amina, datetime.date(2026, 5, 20), {"IR2": True, "IS1": False})  # again: once
    _answers(world, version, boris, datetime.date(2026, 4, 9), {"IR2": False, "IS1": True})  # no example: no IR2
    _answers(world, version, dana, datetime.date(2026, 8, 1), {"IR2": True})
    fresh()
    assert value("IR2", world.home_care, "2026-H1") == 1
    assert value("IS1", world.home_care, "2026-H1") == 2
    assert value("IR2", world.centre, "2026") == 2
    assert value("IR2", world.centre, "2026-H2") == 1
    assert value("IR2", world.north, "2026") == 2          # the region over the year: Amina once
    assert value("IS1", world.north, "2026-Q1") == 1
    assert value("IR2", world.home_care, "2026-H2") is None   # nobody in Home Care answered in the second half
    assert value("IR3", world.centre, "2026") is None          # never asked
    assert value("IS1", world.home_care, "2026-Q2") == 1
    assert agrees_with_rebuild() == []


def _referred(world, kind: str, *, joined: bool, first: str):
    case = case_services.open_case(by=world.alice, client=factories.client(world, worker=world.alice,
                                                                           first_name=first))
    referral = case_services.send_referral(by=world.alice, case=case, programme="Programme", programme_kind=kind,
                                           kind="standard", notes="Needs help", to_external="City office")
    case_services.answer_referral(by=world.alice, referral=referral, accept=True)
    case_services.record_referral_outcome(by=world.alice, referral=referral, joined=joined,
                                          joined_on=timezone.localdate() if joined else None)
    return referral


def test_ir1_counts_clients_who_joined_a_basic_needs_programme_after_a_referral(world):
    _referred(world, "housing", joined=True, first="Amina")       # counts
    _referred(world, "legal", joined=True, first="Boris")         # legal aid: not a basic need (000)
    _referred(world, "medical", joined=False, first="Dana")       # did not join
    fresh()
    month = timezone.localdate().strftime("%Y-%m")
    assert value("IR1", world.home_care, month) == 1
    assert value("IR1", world.country, timezone.localdate().strftime("%Y")) == 1
    assert value("IR1", world.north, periods.containing("Q", timezone.localdate()).key) == 1
    assert value("IR1", world.centre, month) == 1
    assert value("IR1", world.family, month) is None              # referred nobody: no data
    assert agrees_with_rebuild() == []
