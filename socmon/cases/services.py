"""Every change to cases and referrals: keyword-only, by a named user, atomic, one timeline event each.

State changes of a case go through `_advance`, an `UPDATE … WHERE version = n`: when two people act
on the same case at once, the second finds no row at that version and is refused with a clear message.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.accounts.access import APPROVE_CASES, WORK_CASES, in_reach, reach_paths
from socmon.accounts.models import Membership, Role, User
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.orgs.models import OrgUnit

from . import events
from .access import can_answer
from .models import Assessment, AssessmentScore, Case, Decision, Plan, PlanService, Referral, Review

Status = Case.Status
Awaiting = Case.Awaiting


def urgent_referral_hours() -> int:
    return getattr(settings, "SOCMON_REFERRAL_URGENT_HOURS", 24)


def standard_referral_days() -> int:
    return getattr(settings, "SOCMON_REFERRAL_STANDARD_DAYS", 10)


# --- guards ---------------------------------------------------------------------------------------

def _require(by: User, capability: str, unit: OrgUnit) -> None:
    if not in_reach(unit.path, reach_paths(by, capability)):
        raise PermissionDenied


def _require_status(case: Case, *statuses: str, awaiting: str = Awaiting.NOTHING) -> None:
    if case.status not in statuses or case.awaiting_approval != awaiting:
        raise ValidationError(
            _("This step is not possible now: the case is at the stage “%(stage)s”. Reload the case page to "
              "see what happened.") % {"stage": case.get_status_display()}, code="wrong_stage")


def _require_other_person(by: User, case: Case) -> None:
    """Four eyes: whoever submitted something for approval cannot approve it themselves."""
    if case.submitted_by_id == by.pk:
        raise ValidationError(_("You submitted this yourself, so another department head must decide on it."),
                              code="own_submission")


def _stale() -> ValidationError:
    return ValidationError(
        _("Someone else changed this case while you were working on it, so nothing was saved. "
          "Open the case again to see the latest state."), code="stale")


def _check_version(case: Case, version: int) -> None:
    """The page the person acted on showed `version`; anything newer means they acted on old information."""
    if case.version != version:
        raise _stale()


def _advance(case: Case, version: int, **fields) -> None:
    """Move the case on if nobody changed it since `version` was read; otherwise refuse."""
    updated = Case.objects.filter(pk=case.pk, version=version).update(version=F("version") + 1, **fields)
    if not updated:
        raise _stale()
    case.refresh_from_db()


def _works_in(user: User, unit: OrgUnit) -> bool:
    return Membership.objects.filter(user=user, org_unit=unit, role__in=[Role.WORKER, Role.HEAD]).exists()


# --- opening -----------------------------------------------------------------------------------

@transaction.atomic
def open_case(*, by: User, client: Client) -> Case:
    """Open a case for `client` in their department; the worker holding the client's caseload is responsible."""
    _require(by, WORK_CASES, client.org_unit)
    if Case.objects.filter(client=client).exclude(status=Status.CLOSED).exists():
        raise ValidationError(_("%(client)s already has an open case. Continue that case instead.")
                              % {"client": client.code}, code="already_open")
    assignment = current_assignments().filter(client=client).select_related("worker").first()
    case = Case.objects.create(client=client, org_unit=client.org_unit, opened_by=by,
                               responsible=assignment.worker if assignment else by)
    events.case_opened_event(case=case, by=by)
    return case


# --- needs assessment ---------------------------------------------------------------------------

def current_assessment(case: Case) -> Assessment | None:
    return case.assessments.order_by("-pk").first()


@transaction.atomic
def save_assessment(*, by: User, case: Case, summary: str, scores: dict[str, tuple[int, str]]) -> Assessment:
    """Save the draft assessment: `scores` maps every domain to (score 0–3, notes)."""
    _require(by, WORK_CASES, case.org_unit)
    _require_status(case, Status.ASSESSMENT)
    if set(scores) != set(Assessment.Domain.values):
        raise ValidationError(_("Give a score for every area of life."), code="scores_missing")
    if any(score not in Assessment.Score.values for score, _notes in scores.values()):
        raise ValidationError(_("Each score must be a whole number from 0 to 3."), code="score_range")
    assessment = current_assessment(case)
    if assessment is None or assessment.status == Decision.APPROVED:
        assessment = Assessment.objects.create(case=case, created_by=by, summary=summary)
    else:
        assessment.summary, assessment.status = summary, Decision.DRAFT
        assessment.save(update_fields=["summary", "status"])
        assessment.scores.all().delete()
    AssessmentScore.objects.bulk_create(
        AssessmentScore(assessment=assessment, domain=domain, score=score, notes=notes)
        for domain, (score, notes) in scores.items())
    events.assessment_saved_event(case=case, by=by)
    return assessment


@transaction.atomic
def submit_assessment(*, by: User, case: Case, version: int) -> None:
    _require(by, WORK_CASES, case.org_unit)
    _check_version(case, version)
    _require_status(case, Status.ASSESSMENT)
    assessment = current_assessment(case)
    if assessment is None or assessment.status == Decision.APPROVED:
        raise ValidationError(_("Fill in the needs assessment before submitting it."), code="nothing_to_submit")
    _advance(case, version, awaiting_approval=Awaiting.ASSESSMENT, submitted_by=by)
    assessment.status = Decision.SUBMITTED
    assessment.save(update_fields=["status"])
    events.assessment_submitted_event(case=case, by=by)


@transaction.atomic
def decide_assessment(*, by: User, case: Case, version: int, approve: bool, comment: str = "") -> None:
    """A head approves the assessment (the case moves on to planning) or returns it with a comment."""
    _require(by, APPROVE_CASES, case.org_unit)
    _check_version(case, version)
    _require_status(case, Status.ASSESSMENT, awaiting=Awaiting.ASSESSMENT)
    _require_other_person(by, case)
    _require_comment_to_return(approve, comment)
    _advance(case, version, status=Status.PLANNING if approve else Status.ASSESSMENT,
             awaiting_approval=Awaiting.NOTHING, submitted_by=None)
    _record_decision(current_assessment(case), by, approve, comment)
    event = events.assessment_approved_event if approve else events.assessment_returned_event
    event(case=case, by=by, comment=comment)


def _require_comment_to_return(approve: bool, comment: str) -> None:
    if not approve and not comment.strip():
        raise ValidationError(_("Say what needs to change when you return something."), code="comment_required")


def _record_decision(item: Assessment | Plan, by: User, approve: bool, comment: str) -> None:
    item.status = Decision.APPROVED if approve else Decision.RETURNED
    item.decided_by, item.decided_at, item.decision_comment = by, timezone.now(), comment
    item.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])


# --- individual plan ------------------------------------------------------------------------------

def current_plan(case: Case) -> Plan | None:
    return case.plans.order_by("-pk").first()


def _editable_plan(case: Case) -> Plan:
    plan = current_plan(case)
    if plan is None or plan.status in {Decision.SUBMITTED, Decision.APPROVED}:
        raise ValidationError(_("Write the plan's goals and dates first."), code="no_plan")
    return plan


@transaction.atomic
def save_plan(*, by: User, case: Case, goals: str, starts_on: datetime.date, ends_on: datetime.date,
              responsible: User) -> Plan:
    _require(by, WORK_CASES, case.org_unit)
    _require_status(case, Status.PLANNING)
    if ends_on < starts_on:
        raise ValidationError(_("The end date must be on or after the start date."), code="dates")
    if not _works_in(responsible, case.org_unit):
        raise ValidationError(_("The responsible social worker must work in %(unit)s.")
                              % {"unit": case.org_unit.name}, code="responsible")
    plan = current_plan(case)
    fields = dict(goals=goals, starts_on=starts_on, ends_on=ends_on, responsible=responsible)
    if plan is None or plan.status == Decision.APPROVED:
        plan = Plan.objects.create(case=case, created_by=by, **fields)
    else:
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.status = Decision.DRAFT
        plan.save(update_fields=[*fields, "status"])
    events.plan_saved_event(case=case, by=by)
    return plan


@transaction.atomic
def add_plan_service(*, by: User, case: Case, service: ServiceKind, times: int, period: str,
                     notes: str = "") -> PlanService:
    _require(by, WORK_CASES, case.org_unit)
    _require_status(case, Status.PLANNING)
    plan = _editable_plan(case)
    if plan.services.filter(service=service).exists():
        raise ValidationError(_("%(service)s is already in the plan. Remove it first to change it.")
                              % {"service": service.label}, code="duplicate_service")
    if not 1 <= times <= 31:
        raise ValidationError(_("Give how many times as a number from 1 to 31."), code="times")
    item = PlanService.objects.create(plan=plan, service=service, times=times, period=period, notes=notes)
    events.plan_service_added_event(case=case, by=by, service=service.label)
    return item


@transaction.atomic
def remove_plan_service(*, by: User, case: Case, item: PlanService) -> None:
    _require(by, WORK_CASES, case.org_unit)
    _require_status(case, Status.PLANNING)
    if item.plan_id != _editable_plan(case).pk:
        raise ValidationError(_("That service is not in the plan being written."), code="not_in_plan")
    item.delete()
    events.plan_service_removed_event(case=case, by=by, service=item.service.label)


@transaction.atomic
def submit_plan(*, by: User, case: Case, version: int) -> None:
    _require(by, WORK_CASES, case.org_unit)
    _check_version(case, version)
    _require_status(case, Status.PLANNING)
    plan = _editable_plan(case)
    if not plan.services.exists():
        raise ValidationError(_("Add at least one service to the plan before submitting it."), code="no_services")
    _advance(case, version, awaiting_approval=Awaiting.PLAN, submitted_by=by)
    plan.status = Decision.SUBMITTED
    plan.save(update_fields=["status"])
    events.plan_submitted_event(case=case, by=by)


@transaction.atomic
def decide_plan(*, by: User, case: Case, version: int, approve: bool, comment: str = "") -> None:
    """Approval puts the plan into effect: the case becomes active, with the plan's responsible worker."""
    _require(by, APPROVE_CASES, case.org_unit)
    _check_version(case, version)
    _require_status(case, Status.PLANNING, awaiting=Awaiting.PLAN)
    _require_other_person(by, case)
    _require_comment_to_return(approve, comment)
    plan = current_plan(case)
    fields = dict(status=Status.ACTIVE, responsible=plan.responsible) if approve else {}
    _advance(case, version, awaiting_approval=Awaiting.NOTHING, submitted_by=None, **fields)
    _record_decision(plan, by, approve, comment)
    event = events.plan_approved_event if approve else events.plan_returned_event
    event(case=case, by=by, comment=comment)


# --- monitoring -------------------------------------------------------------------------------------

@transaction.atomic
def record_review(*, by: User, case: Case, held_on: datetime.date, progress: str, summary: str,
                  next_review_on: datetime.date, today: datetime.date | None = None) -> Review:
    _require(by, WORK_CASES, case.org_unit)
    _require_status(case, Status.ACTIVE)
    if held_on > (today or timezone.localdate()):
        raise ValidationError(_("The review date cannot be in the future."), code="future")
    if next_review_on <= held_on:
        raise ValidationError(_("The next review must come after this one."), code="next_review")
    review = Review.objects.create(case=case, held_on=held_on, progress=progress, summary=summary,
                                   next_review_on=next_review_on, recorded_by=by)
    events.review_recorded_event(case=case, by=by, progress=progress)
    return review


# --- closure and reopening ------------------------------------------------------------------------

@transaction.atomic
def propose_closure(*, by: User, case: Case, version: int, reason: str, outcome: str) -> None:
    _require(by, WORK_CASES, case.org_unit)
    _check_version(case, version)
    _require_status(case, Status.ACTIVE)
    _advance(case, version, status=Status.CLOSURE_PROPOSED, awaiting_approval=Awaiting.CLOSURE, submitted_by=by,
             closure_reason=reason, closure_outcome=outcome)
    events.closure_proposed_event(case=case, by=by, reason=reason)


@transaction.atomic
def decide_closure(*, by: User, case: Case, version: int, approve: bool, comment: str = "") -> None:
    """Only an approved proposal closes a case; a returned one goes back to active services."""
    _require(by, APPROVE_CASES, case.org_unit)
    _check_version(case, version)
    if case.status != Status.CLOSURE_PROPOSED:
        raise ValidationError(_("This case cannot be closed: nobody has proposed its closure for approval."),
                              code="not_proposed")
    _require_other_person(by, case)
    _require_comment_to_return(approve, comment)
    if approve:
        _advance(case, version, status=Status.CLOSED, awaiting_approval=Awaiting.NOTHING, submitted_by=None,
                 closed_at=timezone.now())
        events.closure_approved_event(case=case, by=by, comment=comment)
    else:
        _advance(case, version, status=Status.ACTIVE, awaiting_approval=Awaiting.NOTHING, submitted_by=None,
                 closure_reason="", closure_outcome="")
        events.closure_returned_event(case=case, by=by, comment=comment)


@transaction.atomic
def reopen_case(*, by: User, case: Case, version: int, reason: str) -> None:
    """A reopened case goes back to needs assessment: the person's situation changed since the closure, so
    needs are assessed again before a new plan (the earlier assessment, plan and reviews stay in the record)."""
    _require(by, WORK_CASES, case.org_unit)
    _check_version(case, version)
    _require_status(case, Status.CLOSED)
    if not reason.strip():
        raise ValidationError(_("Say why the case is reopened."), code="reason_required")
    if Case.objects.filter(client=case.client_id).exclude(status=Status.CLOSED).exists():
        raise ValidationError(_("%(client)s already has an open case. Continue that case instead.")
                              % {"client": case.client.code}, code="already_open")
    _advance(case, version, status=Status.ASSESSMENT, closed_at=None)
    events.case_reopened_event(case=case, by=by, reason=reason)


# --- referrals ------------------------------------------------------------------------------------

def response_deadline(kind: str, sent_at: datetime.datetime) -> datetime.datetime:
    if kind == Referral.Kind.STANDARD:
        return sent_at + datetime.timedelta(days=standard_referral_days())
    return sent_at + datetime.timedelta(hours=urgent_referral_hours())


@transaction.atomic
def send_referral(*, by: User, case: Case, programme: str, kind: str, notes: str,
                  to_unit: OrgUnit | None = None, to_external: str = "") -> Referral:
    """Refer the case's client to another unit in socmon or to an outside organisation (exactly one)."""
    _require(by, WORK_CASES, case.org_unit)
    if case.status == Status.CLOSED:
        raise ValidationError(_("Reopen the case before referring the person."), code="closed")
    to_external = to_external.strip()
    if bool(to_unit) == bool(to_external):
        raise ValidationError(_("Choose a unit in socmon or name an outside organisation, not both."),
                              code="destination")
    if to_unit and (to_unit.path.startswith(case.org_unit.path) or case.org_unit.path.startswith(to_unit.path)):
        raise ValidationError(_("This would be a referral to oneself: %(unit)s is your own unit or contains it. "
                                "Choose another unit.") % {"unit": to_unit.name}, code="self_referral")
    now = timezone.now()
    referral = Referral.objects.create(
        case=case, client=case.client, from_unit=case.org_unit, to_unit=to_unit, to_external=to_external,
        programme=programme, kind=kind, notes=notes, sent_by=by, sent_at=now,
        respond_by=response_deadline(kind, now))
    events.referral_sent_event(referral=referral, by=by)
    return referral


@transaction.atomic
def answer_referral(*, by: User, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving unit accepts or declines (with a reason)."""
    if not can_answer(by, referral):
        raise PermissionDenied
    if referral.status != Referral.Status.SENT:
        raise ValidationError(_("This referral has already been answered."), code="answered")
    if not accept and not reason.strip():
        raise ValidationError(_("Give the reason for declining the referral."), code="reason_required")
    referral.status = Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED
    referral.answered_by, referral.answered_at, referral.decline_reason = by, timezone.now(), reason
    referral.save(update_fields=["status", "answered_by", "answered_at", "decline_reason"])
    (events.referral_accepted_event if accept else events.referral_declined_event)(referral=referral, by=by)
    return referral


@transaction.atomic
def record_referral_outcome(*, by: User, referral: Referral, joined: bool, joined_on: datetime.date | None,
                            notes: str = "", today: datetime.date | None = None) -> Referral:
    """Whether the person joined the programme (what indicator IR1 counts)."""
    if not can_answer(by, referral):
        raise PermissionDenied
    if referral.status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Record the outcome after the referral has been accepted."), code="not_accepted")
    if joined and joined_on is None:
        raise ValidationError(_("Give the date the person joined the programme."), code="joined_on")
    if joined_on and joined_on > (today or timezone.localdate()):
        raise ValidationError(_("The date the person joined cannot be in the future."), code="future")
    referral.status, referral.joined = Referral.Status.COMPLETED, joined
    referral.joined_on, referral.outcome_notes, referral.outcome_by = joined_on if joined else None, notes, by
    referral.save(update_fields=["status", "joined", "joined_on", "outcome_notes", "outcome_by"])
    events.referral_outcome_event(referral=referral, by=by)
    return referral
