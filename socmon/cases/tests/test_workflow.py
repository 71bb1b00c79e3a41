"""The case page offers a step exactly when taking it would succeed, for every persona at every stage:
the buttons and the views' checks come from one rule (socmon.cases.workflow.case_actions)."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ..models import Case
from ..workflow import Step, case_actions
from . import factories

STAGES = ["assessment", "assessed", "assessment_submitted", "planning", "planned", "plan_submitted", "active",
          "closure_proposed", "closed"]


def _post_data(world, case: Case) -> dict[Step, tuple[str, dict]]:
    """For each step: the address the case page links or posts to, and a valid submission."""
    today = timezone.localdate()
    later = (today + datetime.timedelta(days=60)).isoformat()
    version = {"version": case.version}
    approve = {**version, "decision": "approve"}
    return {
        Step.ASSESS: ("cases:assessment", factories.assessment_post()),
        Step.SUBMIT_ASSESSMENT: ("cases:assessment_submit", version),
        Step.DECIDE_ASSESSMENT: ("cases:assessment_decide", approve),
        Step.WRITE_PLAN: ("cases:plan", {"goals": "Stay at home", "starts_on": today.isoformat(), "ends_on": later,
                                         "responsible": world.alice.pk}),
        Step.CHANGE_PLAN_SERVICES: ("cases:plan_service_add", {"service": factories.service("meals").pk, "times": 1,
                                                               "period": "week", "notes": ""}),
        Step.SUBMIT_PLAN: ("cases:plan_submit", version),
        Step.DECIDE_PLAN: ("cases:plan_decide", approve),
        Step.REVIEW: ("cases:review_new", {"held_on": today.isoformat(), "progress": "improved", "summary": "On track",
                                           "next_review_on": later}),
        Step.REFER: ("cases:referral_new", {"to_unit": "", "to_external": "Red Crescent", "programme": "Meals",
                                            "programme_kind": "food", "kind": "standard", "notes": "Lives alone"}),
        Step.PROPOSE_CLOSURE: ("cases:closure", {**version, "reason": "goals_achieved", "outcome": "Independent"}),
        Step.DECIDE_CLOSURE: ("cases:closure_decide", approve),
        Step.REOPEN: ("cases:reopen", {**version, "reason": "Had a fall"}),
    }


def _shown(html: str, case: Case, steps: dict) -> set[Step]:
    return {step for step, (name, _data) in steps.items()
            if f'"{reverse(name, args=[case.pk])}"' in html}


def _succeeds(client, case: Case, name: str, data: dict) -> bool:
    """Whether posting the step changes the case (every step writes one timeline event); undone afterwards."""
    before = case.events.count()
    with transaction.atomic():
        client.post(reverse(name, args=[case.pk]), data)
        changed = case.events.count() > before
        transaction.set_rollback(True)
    return changed


def _personas(world, case: Case, login, client):
    yield "worker on the caseload", world.alice, login(world.alice)
    yield "head", world.heidi, login(world.heidi)
    yield "director", world.dora, login(world.dora)
    yield "specialist", world.sam, login(world.sam)
    colleague = login(world.bob)  # a break-glass view with a stated purpose
    session = colleague.session
    session["client_purposes"] = {str(case.client_id): "Covering for Alice on leave"}
    session.save()
    yield "colleague", world.bob, colleague


@pytest.mark.parametrize("stage", STAGES)
def test_the_case_page_shows_a_step_exactly_when_taking_it_succeeds(login, world, client, stage):
    case = factories.case_in(world, stage)
    for who, user, browser in _personas(world, case, login, client):
        case.refresh_from_db()
        steps = _post_data(world, case)
        html = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()
        shown = _shown(html, case, steps)
        succeeded = {step for step, (name, data) in steps.items() if _succeeds(browser, case, name, data)}
        assert shown == succeeded, f"{who} at {stage}"
        assert case_actions(user, case).allowed() == shown, f"{who} at {stage}"


def test_a_head_is_not_offered_to_approve_what_they_submitted(login, world):
    case = factories.case_in(world, "assessment_submitted", worker=world.heidi)
    steps = _post_data(world, case)
    client = login(world.heidi)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert Step.DECIDE_ASSESSMENT not in _shown(html, case, steps)
    assert not _succeeds(client, case, *steps[Step.DECIDE_ASSESSMENT])


def test_the_plan_is_offered_for_approval_only_once_it_has_a_service(login, world):
    case = factories.case_in(world, "planning")
    client = login(world.alice)
    client.post(reverse("cases:plan", args=[case.pk]), _post_data(world, case)[Step.WRITE_PLAN][1])
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Submit the plan for approval" not in html and "Add a service" in html
