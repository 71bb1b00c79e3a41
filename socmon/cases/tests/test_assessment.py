"""Needs assessment: fill in, submit, approve or return; bad input stores nothing."""

import pytest
from django.urls import reverse

from ..models import Assessment, Case, CaseEvent
from . import factories

pytestmark = pytest.mark.django_db


def kinds(case) -> list[str]:
    return list(case.events.order_by("pk").values_list("kind", flat=True))


def test_the_assessment_page_explains_the_scores(login, world):
    case = factories.case_in(world, "assessment")
    html = login(world.alice).get(reverse("cases:assessment", args=[case.pk])).content.decode()
    assert "What the scores mean" in html
    assert "3 – high need: daily or urgent help" in html  # each option says what it means, too
    assert "Self-care and daily living: score" in html


def test_a_worker_assesses_and_submits(login, world):
    case = factories.case_in(world, "assessment")
    client = login(world.alice)
    data = factories.assessment_post(score_health="3", notes_health="Diabetes, needs insulin reminders")
    response = client.post(reverse("cases:assessment", args=[case.pk]), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get(case=case)
    assert assessment.scores.get(domain="health").score == 3
    assert assessment.scores.count() == len(Assessment.Domain.values)
    response = client.post(reverse("cases:assessment_submit", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    assert (case.status, case.awaiting_approval, case.submitted_by) == ("assessment", "assessment", world.alice)
    assert kinds(case) == ["opened", "assessment_saved", "assessment_submitted"]
    assert "waiting for the department head" in client.get(response["Location"]).content.decode()


def test_a_missing_score_is_explained_and_nothing_is_stored(login, world):
    case = factories.case_in(world, "assessment")
    data = factories.assessment_post()
    del data["score_safety"]
    response = login(world.alice).post(reverse("cases:assessment", args=[case.pk]), data)
    assert response.status_code == 400
    assert "Choose a score for this area of life." in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("bad", ["5", "-1", "two", ""])
def test_an_invalid_score_is_refused(login, world, bad):
    case = factories.case_in(world, "assessment")
    response = login(world.alice).post(reverse("cases:assessment", args=[case.pk]),
                                       factories.assessment_post(score_income=bad))
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    assert kinds(case) == ["opened"]


def test_the_summary_is_required(login, world):
    case = factories.case_in(world, "assessment")
    response = login(world.alice).post(reverse("cases:assessment", args=[case.pk]),
                                       factories.assessment_post(summary=""))
    assert response.status_code == 400
    assert not Assessment.objects.exists()


def test_submitting_without_an_assessment_is_refused(login, world):
    case = factories.case_in(world, "assessment")
    response = login(world.alice).post(reverse("cases:assessment_submit", args=[case.pk]),
                                       {"version": case.version}, follow=True)
    assert "Fill in the needs assessment before submitting it." in response.content.decode()
    case.refresh_from_db()
    assert case.awaiting_approval == ""


def test_the_head_approves_and_the_case_moves_to_planning(login, world):
    case = factories.case_in(world, "assessment_submitted")
    client = login(world.heidi)
    page = client.get(reverse("cases:assessment_decide", args=[case.pk]))
    assert "Needs help at home" in page.content.decode()
    response = client.post(reverse("cases:assessment_decide", args=[case.pk]),
                           {"version": case.version, "decision": "approve", "comment": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.awaiting_approval, case.submitted_by) == ("planning", "", None)
    assessment = Assessment.objects.get(case=case)
    assert (assessment.status, assessment.decided_by) == ("approved", world.heidi)
    event = case.events.get(kind=CaseEvent.Kind.ASSESSMENT_APPROVED)
    assert event.actor == world.heidi


def test_returning_needs_a_comment_and_the_worker_sees_it(login, world):
    case = factories.case_in(world, "assessment_submitted")
    client = login(world.heidi)
    url = reverse("cases:assessment_decide", args=[case.pk])
    response = client.post(url, {"version": case.version, "decision": "return", "comment": " "})
    assert response.status_code == 400
    assert "Say what needs to change" in response.content.decode()
    case.refresh_from_db()
    assert case.awaiting_approval == "assessment"
    client.post(url, {"version": case.version, "decision": "return", "comment": "Add the housing notes"})
    case.refresh_from_db()
    assert (case.status, case.awaiting_approval) == ("assessment", "")
    html = login(world.alice).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Add the housing notes" in html and "Returned for changes" in html


def test_a_worker_cannot_approve(login, world):
    case = factories.case_in(world, "assessment_submitted")
    response = login(world.bob).post(reverse("cases:assessment_decide", args=[case.pk]),
                                     {"version": case.version, "decision": "approve"})
    assert response.status_code == 403  # a purpose would not help: nothing is decided
    session_client = login(world.alice)
    response = session_client.post(reverse("cases:assessment_decide", args=[case.pk]),
                                   {"version": case.version, "decision": "approve"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == "assessment" and case.awaiting_approval == "assessment"


def test_a_head_cannot_approve_their_own_assessment(login, world):
    case = factories.case_in(world, "assessment", worker=world.heidi)
    client = login(world.heidi)
    client.post(reverse("cases:assessment", args=[case.pk]), factories.assessment_post())
    client.post(reverse("cases:assessment_submit", args=[case.pk]), {"version": case.version})
    case.refresh_from_db()
    response = client.post(reverse("cases:assessment_decide", args=[case.pk]),
                           {"version": case.version, "decision": "approve"})
    assert response.status_code == 400
    assert "You submitted this yourself" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.ASSESSMENT
    assert not case.events.filter(kind="assessment_approved").exists()


def test_a_head_of_another_institution_cannot_decide(login, world):
    from socmon.accounts.models import Membership, Role

    Membership.objects.create(user=world.walt, org_unit=world.hill_care, role=Role.HEAD)
    case = factories.case_in(world, "assessment_submitted")
    assert login(world.walt).get(reverse("cases:assessment_decide", args=[case.pk])).status_code == 404


def test_the_submitted_assessment_cannot_be_changed(login, world):
    case = factories.case_in(world, "assessment_submitted")
    response = login(world.alice).post(reverse("cases:assessment", args=[case.pk]),
                                       factories.assessment_post(summary="Changed"))
    assert response.status_code == 400
    assert Assessment.objects.get(case=case).summary == "Needs help at home"


def test_errors_are_translated(login, world):
    case = factories.case_in(world, "assessment_submitted")
    client = login(world.heidi)
    client.cookies["django_language"] = "ru"
    response = client.post(reverse("cases:assessment_decide", args=[case.pk]),
                           {"version": case.version, "decision": "return", "comment": ""},
                           HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 400
    assert '<html lang="ru"' in response.content.decode()
