"""Every date of a case has a sane range and an order with its neighbours: a plan does not run to 9999, a
review is not held in year 1, a person does not join a programme before the referral was sent. Each is
refused on its field with a message, and nothing is stored."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socmon.lib import dates

from ..models import Plan, Referral, Review
from . import factories
from .test_monitoring_closure import review_post
from .test_plan import plan_post
from .test_referrals import send

pytestmark = pytest.mark.django_db
GENERATED = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# Days after the planning horizon, up to the last date there is.
BEYOND = st.integers(min_value=1, max_value=(datetime.date.max - datetime.date(2100, 1, 1)).days)


def _after_horizon(days: int) -> str:
    return (dates.horizon(timezone.localdate()) + datetime.timedelta(days=days)).isoformat()


def _refused_on(response, field: str) -> str:
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    return html


@pytest.fixture
def planning_case(world):
    return factories.case_in(world, "planning")


@given(days=BEYOND)
@GENERATED
def test_a_plan_running_past_the_planning_horizon_is_refused(login, world, planning_case, days):
    response = login(world.alice).post(reverse("cases:plan", args=[planning_case.pk]),
                                       plan_post(world, ends_on=_after_horizon(days)))
    assert "Enter a date from" in _refused_on(response, "ends_on")
    assert not Plan.objects.filter(case=planning_case).exists()


@given(start=st.dates(max_value=datetime.date(2019, 12, 31)))
@GENERATED
def test_a_plan_starting_long_ago_is_refused(login, world, planning_case, start):
    response = login(world.alice).post(reverse("cases:plan", args=[planning_case.pk]),
                                       plan_post(world, starts_on=start.isoformat()))
    _refused_on(response, "starts_on")
    assert not Plan.objects.filter(case=planning_case).exists()


def test_a_plan_ending_before_it_starts_is_refused_on_its_end(login, world, planning_case):
    today = timezone.localdate()
    response = login(world.alice).post(reverse("cases:plan", args=[planning_case.pk]), plan_post(
        world, ends_on=(today - datetime.timedelta(days=1)).isoformat()))
    assert "The end date must be on or after the start date." in _refused_on(response, "ends_on")
    assert not Plan.objects.exists()


@pytest.mark.parametrize("times", ["0", "32", "9" * 20])
def test_a_plan_service_frequency_out_of_range_is_refused_on_its_field(login, world, times):
    case = factories.case_in(world, "planned")
    response = login(world.alice).post(reverse("cases:plan_service_add", args=[case.pk]), {
        "service": factories.service("other", "Other").pk, "times": times, "period": "week"})
    assert "from 1 to 31" in _refused_on(response, "times")
    assert case.plans.get().services.count() == 1


@given(held=st.dates(max_value=datetime.date(2019, 12, 31)))
@GENERATED
def test_a_review_held_long_ago_is_refused(login, world, held):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:review_new", args=[case.pk]), review_post(
        held_on=held.isoformat(), next_review_on=timezone.localdate().isoformat()))
    _refused_on(response, "held_on")
    assert not Review.objects.exists()


@given(days=BEYOND)
@GENERATED
def test_a_next_review_beyond_the_horizon_is_refused(login, world, days):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:review_new", args=[case.pk]),
                                       review_post(next_review_on=_after_horizon(days)))
    _refused_on(response, "next_review_on")
    assert not Review.objects.exists()


@given(days=st.integers(min_value=1, max_value=3000))
@GENERATED
def test_joining_before_the_referral_was_sent_is_refused(login, world, days):
    referral = send(world, factories.case_in(world, "active"))
    client = login(world.fiona)
    client.post(reverse("cases:referral_answer", args=[referral.pk]), {"answer": "accept"})
    joined = timezone.localdate(referral.sent_at) - datetime.timedelta(days=days)
    response = client.post(reverse("cases:referral_outcome", args=[referral.pk]),
                           {"joined": "yes", "joined_on": joined.isoformat()})
    _refused_on(response, "joined_on")
    referral.refresh_from_db()
    assert (referral.status, referral.joined, referral.joined_on) == (Referral.Status.ACCEPTED, None, None)


def test_returning_without_a_comment_is_refused_on_the_comment(login, world):
    case = factories.case_in(world, "assessment_submitted")
    response = login(world.heidi).post(reverse("cases:assessment_decide", args=[case.pk]),
                                       {"version": case.version, "decision": "return", "comment": " "})
    assert "Say what needs to change" in _refused_on(response, "comment")
    case.refresh_from_db()
    assert case.awaiting_approval == "assessment"


def test_the_database_refuses_a_plan_from_before_1900_whoever_writes(world):
    from django.db import IntegrityError, transaction

    plan = factories.case_in(world, "planned").plans.get()
    plan.starts_on = datetime.date(1, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()
