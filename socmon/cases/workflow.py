"""What may be done to a case now, and by whom: the one rule the case page, the views and the services share.

Each step needs a capability over the case's department (who) and a stage of the case (when). The case
page shows a button exactly for the steps in `case_actions(user, case)`; a view refuses with 403 a
person who may never take the step on this case (`require_capability`); a service, which alone decides
under concurrency, refuses a step the stage no longer allows (`require_stage`) with a message.
"""

from dataclasses import dataclass, fields
from enum import StrEnum

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from socmon.accounts.access import APPROVE_CASES, WORK_CASES, in_reach, reach_paths
from socmon.clients.access import needs_purpose

from .models import Assessment, Case, Decision, Plan

Status = Case.Status
Awaiting = Case.Awaiting


class Step(StrEnum):
    ASSESS = "assess"
    SUBMIT_ASSESSMENT = "submit_assessment"
    DECIDE_ASSESSMENT = "decide_assessment"
    WRITE_PLAN = "write_plan"
    CHANGE_PLAN_SERVICES = "change_plan_services"
    SUBMIT_PLAN = "submit_plan"
    DECIDE_PLAN = "decide_plan"
    REVIEW = "review"
    REFER = "refer"
    PROPOSE_CLOSURE = "propose_closure"
    DECIDE_CLOSURE = "decide_closure"
    REOPEN = "reopen"


DECISIONS = {Step.DECIDE_ASSESSMENT, Step.DECIDE_PLAN, Step.DECIDE_CLOSURE}


def capability_of(step: Step) -> str:
    return APPROVE_CASES if step in DECISIONS else WORK_CASES


# The stage each step needs: (statuses, awaiting approval of). Referring is open at every stage but closed.
STAGES: dict[Step, tuple[set[str], str]] = {
    Step.ASSESS: ({Status.ASSESSMENT}, Awaiting.NOTHING),
    Step.SUBMIT_ASSESSMENT: ({Status.ASSESSMENT}, Awaiting.NOTHING),
    Step.DECIDE_ASSESSMENT: ({Status.ASSESSMENT}, Awaiting.ASSESSMENT),
    Step.WRITE_PLAN: ({Status.PLANNING}, Awaiting.NOTHING),
    Step.CHANGE_PLAN_SERVICES: ({Status.PLANNING}, Awaiting.NOTHING),
    Step.SUBMIT_PLAN: ({Status.PLANNING}, Awaiting.NOTHING),
    Step.DECIDE_PLAN: ({Status.PLANNING}, Awaiting.PLAN),
    Step.REVIEW: ({Status.ACTIVE}, Awaiting.NOTHING),
    Step.REFER: (set(Status.values) - {Status.CLOSED}, None),
    Step.PROPOSE_CLOSURE: ({Status.ACTIVE}, Awaiting.NOTHING),
    Step.DECIDE_CLOSURE: ({Status.CLOSURE_PROPOSED}, Awaiting.CLOSURE),
    Step.REOPEN: ({Status.CLOSED}, Awaiting.NOTHING),
}


def stage_allows(case: Case, step: Step) -> bool:
    statuses, awaiting = STAGES[step]
    return case.status in statuses and (awaiting is None or case.awaiting_approval == awaiting)


def may(user, case: Case, step: Step) -> bool:
    """Whether `user` holds the step's capability over the case's department (at any stage), for a client
    in sight without a stated purpose: a purpose opens a colleague's client for reading only."""
    return in_reach(case.org_unit.path, reach_paths(user, capability_of(step))) and not needs_purpose(
        user, case.client)


def require_capability(user, case: Case, step: Step) -> None:
    if not may(user, case, step):
        raise PermissionDenied


def require_stage(case: Case, step: Step) -> None:
    if not stage_allows(case, step):
        raise ValidationError(
            _("This step is not possible now: the case is at the stage “%(stage)s”. Reload the case page to "
              "see what happened.") % {"stage": case.get_status_display()}, code="wrong_stage")


# --- what a step needs besides stage and capability (the services raise these with their own words) ---

def current_assessment(case: Case) -> Assessment | None:
    return case.assessments.order_by("-pk").first()


def current_plan(case: Case) -> Plan | None:
    return case.plans.order_by("-pk").first()


def is_draft(item: Assessment | Plan | None) -> bool:
    """A draft or returned assessment or plan: there is something to change or submit."""
    return item is not None and item.status not in {Decision.SUBMITTED, Decision.APPROVED}


def own_submission(user, case: Case) -> bool:
    """Four eyes: whoever submitted something for approval cannot decide on it themselves."""
    return case.submitted_by_id == user.pk


def has_other_open_case(case: Case) -> bool:
    return Case.objects.filter(client=case.client_id).exclude(status=Status.CLOSED).exclude(pk=case.pk).exists()


@dataclass(frozen=True)
class CaseActions:
    """The steps `user` may take on the case now; the case page shows a button for each true one."""

    assess: bool = False
    submit_assessment: bool = False
    decide_assessment: bool = False
    write_plan: bool = False
    change_plan_services: bool = False
    submit_plan: bool = False
    decide_plan: bool = False
    review: bool = False
    refer: bool = False
    propose_closure: bool = False
    decide_closure: bool = False
    reopen: bool = False

    @property
    def decide(self) -> bool:
        return self.decide_assessment or self.decide_plan or self.decide_closure

    def allowed(self) -> set[Step]:
        return {Step(f.name) for f in fields(self) if getattr(self, f.name)}


def case_actions(user, case: Case) -> CaseActions:
    open_now = {step for step in Step if stage_allows(case, step) and may(user, case, step)}
    if not open_now:
        return CaseActions()
    if DECISIONS & open_now and own_submission(user, case):
        open_now -= DECISIONS
    if {Step.SUBMIT_ASSESSMENT} & open_now and not is_draft(current_assessment(case)):
        open_now.discard(Step.SUBMIT_ASSESSMENT)
    if {Step.CHANGE_PLAN_SERVICES, Step.SUBMIT_PLAN} & open_now:
        plan = current_plan(case)
        if not is_draft(plan):
            open_now -= {Step.CHANGE_PLAN_SERVICES, Step.SUBMIT_PLAN}
        elif not plan.services.exists():
            open_now.discard(Step.SUBMIT_PLAN)
    if Step.REOPEN in open_now and has_other_open_case(case):
        open_now.discard(Step.REOPEN)
    return CaseActions(**{step.value: True for step in open_now})
