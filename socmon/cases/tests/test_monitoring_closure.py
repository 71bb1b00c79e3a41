"""Monitoring reviews, closure with approval, reopening."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from .. import services
from ..models import Case, Review
from . import factories

pytestmark = pytest.mark.django_db


def review_post(**overrides) -> dict:
    """A valid review form; an int among `overrides` is a date that many days from today (read when the test
    runs, under its clock, not when the module is collected)."""
    today = timezone.localdate()
    data = {"held_on": today.isoformat(), "progress": "improved", "summary": "Cooks with help; goal 1 on track",
            "next_review_on": (today + datetime.timedelta(days=30)).isoformat()}
    data.update({k: (today + datetime.timedelta(days=v)).isoformat() if isinstance(v, int) else v
                 for k, v in overrides.items()})
    return data


def test_a_worker_records_a_review_on_an_active_case(login, world):
    case = factories.case_in(world, "active")
    client = login(world.alice)
    response = client.post(reverse("cases:review_new", args=[case.pk]), review_post())
    assert response.status_code == 302
    review = Review.objects.get(case=case)
    assert (review.progress, review.recorded_by) == ("improved", world.alice)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Cooks with help" in html and "Next review due on" in html
    assert case.events.filter(kind="review_recorded").exists()


@pytest.mark.parametrize("overrides", [
    {"summary": ""}, {"progress": "amazing"}, {"held_on": ""},
    {"next_review_on": 0},
    {"held_on": 3, "next_review_on": 30},
])
def test_bad_review_input_is_refused(login, world, overrides):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:review_new", args=[case.pk]), review_post(**overrides))
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_reviews_are_only_for_active_cases(login, world):
    case = factories.case_in(world, "planning")
    response = login(world.alice).post(reverse("cases:review_new", args=[case.pk]), review_post())
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_a_monitoring_review_on_a_closed_case_is_refused(login, world):
    case = factories.case_in(world, "closed")
    response = login(world.alice).post(reverse("cases:review_new", args=[case.pk]), review_post())
    assert response.status_code in (400, 403)
    assert not Review.objects.exists()
    with pytest.raises(ValidationError, match="the case is at the stage “Closed”"):
        services.record_review(by=world.alice, case=Case.objects.get(pk=case.pk), held_on=timezone.localdate(),
                               progress="improved", summary="Still fine",
                               next_review_on=timezone.localdate() + datetime.timedelta(days=30))
    assert not Review.objects.exists()


def test_closure_is_proposed_then_approved(login, world):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:closure", args=[case.pk]), {
        "version": case.version, "reason": "goals_achieved", "outcome": "Manages at home with family help"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.awaiting_approval, case.closure_reason) == ("closure_proposed", "closure",
                                                                          "goals_achieved")
    response = login(world.heidi).post(reverse("cases:closure_decide", args=[case.pk]),
                                       {"version": case.version, "decision": "approve"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at is not None
    kinds = list(case.events.order_by("pk").values_list("kind", flat=True))
    assert kinds[-2:] == ["closure_proposed", "closure_approved"]
    html = login(world.heidi).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "The goals of the plan were achieved" in html


def test_closing_a_case_nobody_proposed_to_close_is_refused(login, world):
    case = factories.case_in(world, "active")
    response = login(world.heidi).post(reverse("cases:closure_decide", args=[case.pk]),
                                       {"version": case.version, "decision": "approve"})
    assert response.status_code == 400
    assert "nobody has proposed its closure" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "active" and case.closed_at is None


def test_a_closure_needs_a_reason_and_an_outcome(login, world):
    case = factories.case_in(world, "active")
    client = login(world.alice)
    for data in ({"version": case.version, "reason": "", "outcome": "x"},
                 {"version": case.version, "reason": "goals_achieved", "outcome": ""},
                 {"version": case.version, "reason": "bored", "outcome": "x"}):
        assert client.post(reverse("cases:closure", args=[case.pk]), data).status_code == 400
    case.refresh_from_db()
    assert case.status == "active"


def test_a_worker_cannot_approve_a_closure(login, world):
    case = factories.case_in(world, "closure_proposed")
    response = login(world.alice).post(reverse("cases:closure_decide", args=[case.pk]),
                                       {"version": case.version, "decision": "approve"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "closure_proposed"


def test_a_returned_closure_goes_back_to_active_services(login, world):
    case = factories.case_in(world, "closure_proposed")
    login(world.heidi).post(reverse("cases:closure_decide", args=[case.pk]),
                            {"version": case.version, "decision": "return", "comment": "One more review first"})
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.awaiting_approval) == ("active", "", "")
    assert case.events.get(kind="closure_returned").detail["comment"] == "One more review first"


def test_a_closed_case_is_reopened_into_a_new_assessment(login, world):
    case = factories.case_in(world, "closed")
    client = login(world.alice)
    assert client.post(reverse("cases:reopen", args=[case.pk]),
                       {"version": case.version, "reason": ""}).status_code == 400
    response = client.post(reverse("cases:reopen", args=[case.pk]),
                           {"version": case.version, "reason": "Had a fall, needs help again"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_at) == ("assessment", None)
    assert case.events.get(kind="reopened").detail["comment"] == "Had a fall, needs help again"
    # A fresh assessment starts beside the approved one, which stays in the record.
    client.post(reverse("cases:assessment", args=[case.pk]), factories.assessment_post(summary="After the fall"))
    assert list(case.assessments.order_by("pk").values_list("status", flat=True)) == ["approved", "draft"]


def test_an_open_case_cannot_be_reopened(login, world):
    case = factories.case_in(world, "active")
    response = login(world.alice).post(reverse("cases:reopen", args=[case.pk]),
                                       {"version": case.version, "reason": "Why not"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "active"


def test_every_step_leaves_a_timeline_entry_with_who_did_it(login, world):
    case = factories.case_in(world, "closed")
    events = list(case.events.order_by("pk").values_list("kind", "actor__username"))
    assert events == [
        ("opened", "alice"), ("assessment_saved", "alice"), ("assessment_submitted", "alice"),
        ("assessment_approved", "heidi"), ("plan_saved", "alice"), ("plan_service_added", "alice"),
        ("plan_submitted", "alice"), ("plan_approved", "heidi"), ("closure_proposed", "alice"),
        ("closure_approved", "heidi"),
    ]
    html = login(world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    for label in ("Case opened", "Assessment approved", "Individual plan approved", "Closure approved"):
        assert label in html
    assert "Heidi Hasanova" in html


def test_the_head_sees_what_awaits_their_approval_but_not_their_own(login, world):
    theirs = factories.case_in(world, "assessment_submitted")
    own = factories.case_in(world, "assessment_submitted", worker=world.heidi)
    html = login(world.heidi).get(reverse("cases:list")).content.decode()
    assert "Awaiting your approval" in html
    section = html.split("Awaiting your approval")[1].split("</table>")[0]
    assert theirs.client.code in section and own.client.code not in section
    home = login(world.heidi).get(reverse("home")).content.decode()
    assert "1 case is awaiting your approval" in home
    assert "Awaiting your approval" not in login(world.alice).get(reverse("cases:list")).content.decode()
    assert Case.objects.count() == 2
