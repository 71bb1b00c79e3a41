"""Every change to cases and referrals: keyword-only, by a named user, atomic, one timeline event each.

State changes of a case go through `_advance`, an `UPDATE … WHERE version = n`: when two people act
on the same case at once, the second finds no row at that version and is refused with a clear message.
"""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.accounts.access import WORK_CASES, in_reach, reach_paths
from socmon.accounts.models import Membership, Role, User
from socmon.audit.actions import AuditAction
from socmon.audit.services import PUBLIC, Actor, record_event
from socmon.catalogue.models import ServiceKind
from socmon.clients.access import current_assignments
from socmon.clients.models import Client
from socmon.indicators.stale import mark_rows
from socmon.lib import dates
from socmon.lib.dates import collect, field_error
from socmon.orgs.models import OrgUnit
from socmon.visits.tokens import Reason, TokenRejected

from . import events, links, workflow
from .access import can_answer
from .models import Assessment, AssessmentScore, Case, Decision, Plan, PlanService, Referral, Review
from .workflow import Step, current_assessment, current_plan

Status = Case.Status
Awaiting = Case.Awaiting
MIN_TIMES, MAX_TIMES = 1, 31  # how many times a plan's service is given per period


def urgent_referral_hours() -> int:
    return getattr(settings, "SOCMON_REFERRAL_URGENT_HOURS", 24)


def standard_referral_days() -> int:
    return getattr(settings, "SOCMON_REFERRAL_STANDARD_DAYS", 10)


# --- guards ---------------------------------------------------------------------------------------

def _require(by: User, capability: str, unit: OrgUnit) -> None:
    if not in_reach(unit.path, reach_paths(by, capability)):
        raise PermissionDenied


def _require_other_person(by: User, case: Case) -> None:
    if workflow.own_submission(by, case):
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
    mark_rows(Case, [case.pk])  # an update sends no signal: the indicators reading cases learn of it here
    case.refresh_from_db()


def _works_in(user: User, unit: OrgUnit) -> bool:
    return Membership.objects.filter(user=user, org_unit=unit, role__in=[Role.WORKER, Role.HEAD]).exists()


# --- opening -----------------------------------------------------------------------------------

def _already_open(client: Client) -> ValidationError:
    return ValidationError(_("%(client)s already has an open case. Continue that case instead.")
                           % {"client": client.code}, code="already_open")


@transaction.atomic
def open_case(*, by: User, client: Client) -> Case:
    """Open a case for `client` in their department; the worker holding the client's caseload is responsible."""
    _require(by, WORK_CASES, client.org_unit)
    Client.objects.select_for_update().filter(pk=client.pk).first()  # one opening at a time per client
    already_open = _already_open(client)
    if Case.objects.filter(client=client).exclude(status=Status.CLOSED).exists():
        raise already_open
    assignment = current_assignments().filter(client=client).select_related("worker").first()
    try:
        with transaction.atomic():
            case = Case.objects.create(client=client, org_unit=client.org_unit, opened_by=by,
                                       responsible=assignment.worker if assignment else by)
    except IntegrityError:  # the database's last line: one open case per client
        raise already_open from None
    events.case_opened_event(case=case, by=by)
    return case


# --- needs assessment ---------------------------------------------------------------------------

@transaction.atomic
def save_assessment(*, by: User, case: Case, summary: str, scores: dict[str, tuple[int, str]]) -> Assessment:
    """Save the draft assessment: `scores` maps every domain to (score 0–3, notes)."""
    workflow.require_capability(by, case, Step.ASSESS)
    workflow.require_stage(case, Step.ASSESS)
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
    workflow.require_capability(by, case, Step.SUBMIT_ASSESSMENT)
    _check_version(case, version)
    workflow.require_stage(case, Step.SUBMIT_ASSESSMENT)
    assessment = current_assessment(case)
    if not workflow.is_draft(assessment):
        raise ValidationError(_("Fill in the needs assessment before submitting it."), code="nothing_to_submit")
    _advance(case, version, awaiting_approval=Awaiting.ASSESSMENT, submitted_by=by)
    assessment.status = Decision.SUBMITTED
    assessment.save(update_fields=["status"])
    events.assessment_submitted_event(case=case, by=by)


@transaction.atomic
def decide_assessment(*, by: User, case: Case, version: int, approve: bool, comment: str = "") -> None:
    """A head approves the assessment (the case moves on to planning) or returns it with a comment."""
    workflow.require_capability(by, case, Step.DECIDE_ASSESSMENT)
    _check_version(case, version)
    workflow.require_stage(case, Step.DECIDE_ASSESSMENT)
    _require_other_person(by, case)
    _require_comment_to_return(approve, comment)
    _advance(case, version, status=Status.PLANNING if approve else Status.ASSESSMENT,
             awaiting_approval=Awaiting.NOTHING, submitted_by=None)
    _record_decision(current_assessment(case), by, approve, comment)
    event = events.assessment_approved_event if approve else events.assessment_returned_event
    event(case=case, by=by, comment=comment)


def _require_comment_to_return(approve: bool, comment: str) -> None:
    if not approve and not comment.strip():
        raise field_error("comment", _("Say what needs to change when you return something."), "comment_required")


def _record_decision(item: Assessment | Plan, by: User, approve: bool, comment: str) -> None:
    item.status = Decision.APPROVED if approve else Decision.RETURNED
    item.decided_by, item.decided_at, item.decision_comment = by, timezone.now(), comment
    item.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])


# --- individual plan ------------------------------------------------------------------------------

def _editable_plan(case: Case) -> Plan:
    plan = current_plan(case)
    if not workflow.is_draft(plan):
        raise ValidationError(_("Write the plan's goals and dates first."), code="no_plan")
    return plan


def _check_plan(case: Case, starts_on: datetime.date, ends_on: datetime.date, responsible: User,
                today: datetime.date) -> None:
    collect(lambda: dates.check_planned(starts_on, field="starts_on", today=today),
            lambda: _check_plan_end(starts_on, ends_on, today),
            lambda: _check_responsible(case, responsible))


def _check_plan_end(starts_on: datetime.date, ends_on: datetime.date, today: datetime.date) -> None:
    dates.check_order(starts_on, ends_on, field="ends_on",
                      message=_("The end date must be on or after the start date."))
    dates.check_planned(ends_on, field="ends_on", today=today)


def _check_responsible(case: Case, responsible: User) -> None:
    if not _works_in(responsible, case.org_unit):
        raise field_error("responsible", _("The responsible social worker must work in %(unit)s.")
                          % {"unit": case.org_unit.name}, "responsible")


@transaction.atomic
def save_plan(*, by: User, case: Case, goals: str, starts_on: datetime.date, ends_on: datetime.date,
              responsible: User, today: datetime.date | None = None) -> Plan:
    workflow.require_capability(by, case, Step.WRITE_PLAN)
    workflow.require_stage(case, Step.WRITE_PLAN)
    _check_plan(case, starts_on, ends_on, responsible, today or timezone.localdate())
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
    workflow.require_capability(by, case, Step.CHANGE_PLAN_SERVICES)
    workflow.require_stage(case, Step.CHANGE_PLAN_SERVICES)
    plan = _editable_plan(case)
    if plan.services.filter(service=service).exists():
        raise field_error("service", _("%(service)s is already in the plan. Remove it first to change it.")
                          % {"service": service.label}, "duplicate_service")
    if not MIN_TIMES <= times <= MAX_TIMES:
        raise field_error("times", _("Give how many times as a number from 1 to 31."), "times")
    item = PlanService.objects.create(plan=plan, service=service, times=times, period=period, notes=notes)
    events.plan_service_added_event(case=case, by=by, service=service.label)
    return item


@transaction.atomic
def remove_plan_service(*, by: User, case: Case, item: PlanService) -> None:
    workflow.require_capability(by, case, Step.CHANGE_PLAN_SERVICES)
    workflow.require_stage(case, Step.CHANGE_PLAN_SERVICES)
    if item.plan_id != _editable_plan(case).pk:
        raise ValidationError(_("That service is not in the plan being written."), code="not_in_plan")
    item.delete()
    events.plan_service_removed_event(case=case, by=by, service=item.service.label)


@transaction.atomic
def submit_plan(*, by: User, case: Case, version: int) -> None:
    workflow.require_capability(by, case, Step.SUBMIT_PLAN)
    _check_version(case, version)
    workflow.require_stage(case, Step.SUBMIT_PLAN)
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
    workflow.require_capability(by, case, Step.DECIDE_PLAN)
    _check_version(case, version)
    workflow.require_stage(case, Step.DECIDE_PLAN)
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
    workflow.require_capability(by, case, Step.REVIEW)
    workflow.require_stage(case, Step.REVIEW)
    today = today or timezone.localdate()
    collect(lambda: dates.check_past(held_on, field="held_on", today=today,
                                     future=_("The review date cannot be in the future.")),
            lambda: _check_next_review(held_on, next_review_on, today))
    review = Review.objects.create(case=case, held_on=held_on, progress=progress, summary=summary,
                                   next_review_on=next_review_on, recorded_by=by)
    events.review_recorded_event(case=case, by=by, progress=progress)
    return review


def _check_next_review(held_on: datetime.date, next_review_on: datetime.date, today: datetime.date) -> None:
    dates.check_order(held_on, next_review_on, field="next_review_on", strict=True,
                      message=_("The next review must come after this one."))
    dates.check_planned(next_review_on, field="next_review_on", today=today)


# --- closure and reopening ------------------------------------------------------------------------

@transaction.atomic
def propose_closure(*, by: User, case: Case, version: int, reason: str, outcome: str) -> None:
    workflow.require_capability(by, case, Step.PROPOSE_CLOSURE)
    _check_version(case, version)
    workflow.require_stage(case, Step.PROPOSE_CLOSURE)
    _advance(case, version, status=Status.CLOSURE_PROPOSED, awaiting_approval=Awaiting.CLOSURE, submitted_by=by,
             closure_reason=reason, closure_outcome=outcome)
    events.closure_proposed_event(case=case, by=by, reason=reason)


@transaction.atomic
def decide_closure(*, by: User, case: Case, version: int, approve: bool, comment: str = "") -> None:
    """Only an approved proposal closes a case; a returned one goes back to active services."""
    workflow.require_capability(by, case, Step.DECIDE_CLOSURE)
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
    workflow.require_capability(by, case, Step.REOPEN)
    _check_version(case, version)
    workflow.require_stage(case, Step.REOPEN)
    if not reason.strip():
        raise field_error("reason", _("Say why the case is reopened."), "reason_required")
    if workflow.has_other_open_case(case):
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
                  to_unit: OrgUnit | None = None, to_external: str = "",
                  programme_kind: str = Referral.ProgrammeKind.OTHER) -> Referral:
    """Refer the case's client to another unit in socmon or to an outside organisation (exactly one).

    `programme_kind` says what the programme is for (IR1 counts basic needs). A referral to an outside
    organisation gets its link at once (socmon.cases.links)."""
    workflow.require_capability(by, case, Step.REFER)
    if case.status == Status.CLOSED:
        raise ValidationError(_("Reopen the case before referring the person."), code="closed")
    if programme_kind not in Referral.ProgrammeKind.values:
        raise field_error("programme_kind", _("Choose the kind of programme the person is referred to."),
                          "programme_kind")
    to_external = to_external.strip()
    if bool(to_unit) == bool(to_external):
        raise field_error("to_unit", _("Choose a unit in socmon or name an outside organisation, not both."),
                          "destination")
    if to_unit and (to_unit.path.startswith(case.org_unit.path) or case.org_unit.path.startswith(to_unit.path)):
        raise field_error("to_unit", _("This would be a referral to oneself: %(unit)s is your own unit or contains "
                                       "it. Choose another unit.") % {"unit": to_unit.name}, "self_referral")
    now = timezone.now()
    link = dict(link_nonce=links.new_nonce(), link_issued_at=now) if to_external else {}
    referral = Referral.objects.create(
        case=case, client=case.client, from_unit=case.org_unit, to_unit=to_unit, to_external=to_external,
        programme_kind=programme_kind, programme=programme, kind=kind, notes=notes, sent_by=by, sent_at=now,
        respond_by=response_deadline(kind, now), **link)
    events.referral_sent_event(referral=referral, by=by)
    return referral


@transaction.atomic
def issue_referral_link(*, by: User, referral: Referral, now: datetime.datetime | None = None) -> Referral:
    """A new link for the outside organisation; the previous one stops working (a lost or misdirected message)."""
    if not can_answer(by, referral):
        raise PermissionDenied
    if not referral.to_external:
        raise ValidationError(_("Only a referral to an outside organisation has a link."), code="no_link")
    now = now or timezone.now()
    nonce = links.new_nonce()
    open_steps = [Referral.Status.SENT, Referral.Status.ACCEPTED]
    if not Referral.objects.filter(pk=referral.pk, status__in=open_steps).update(link_nonce=nonce,
                                                                                link_issued_at=now):
        raise ValidationError(_("Nothing is left to record for this referral, so it needs no link any more."),
                              code="closed")
    referral.link_nonce, referral.link_issued_at = nonce, now
    events.referral_link_issued_event(referral=referral, by=by)
    record_event(by=by, action=AuditAction.REFERRAL_LINK_ISSUED, target=referral, org_path=referral.from_unit.path)
    return referral


def _already_answered() -> ValidationError:
    return ValidationError(_("This referral has already been answered."), code="answered")


def _decide_referral(referral: Referral, *, by: User | Actor, accept: bool, reason: str,
                     nonce: str | None = None) -> Referral:
    """The one rule for an answer, whether the receiver, the sender for an outside organisation or the
    organisation through its link gives it. One winner: the update only applies to a referral still waiting
    (and, through a link, still carrying that link's nonce)."""
    if Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).get() != Referral.Status.SENT:
        raise _already_answered()
    if not accept and not reason.strip():
        raise field_error("reason", _("Give the reason for declining the referral."), "reason_required")
    person = by if isinstance(by, User) else None
    fields = dict(status=Referral.Status.ACCEPTED if accept else Referral.Status.DECLINED, answered_by=person,
                  answered_at=timezone.now(), decline_reason="" if accept else reason.strip())
    waiting = Referral.objects.filter(pk=referral.pk, status=Referral.Status.SENT)
    if not waiting.filter(**({"link_nonce": nonce} if nonce is not None else {})).update(**fields):
        _refuse_lost(referral, nonce)
    for name, value in fields.items():
        setattr(referral, name, value)
    via_link = nonce is not None
    (events.referral_accepted_event if accept else events.referral_declined_event)(
        referral=referral, by=person, via_link=via_link)
    record_event(by=by, action=AuditAction.REFERRAL_ANSWERED, target=referral, org_path=referral.from_unit.path,
                 status=referral.status, via_link=via_link)
    return referral


def _refuse_lost(referral: Referral, nonce: str | None):
    """The conditional update found nothing: someone answered first, or (through a link) the link was replaced."""
    current = Referral.objects.values("status", "link_nonce").get(pk=referral.pk)
    if nonce is not None and current["link_nonce"] != nonce:
        raise TokenRejected(Reason.REVOKED)
    raise _already_answered()


@transaction.atomic
def answer_referral(*, by: User, referral: Referral, accept: bool, reason: str = "") -> Referral:
    """The receiving unit accepts or declines (with a reason)."""
    if not can_answer(by, referral):
        raise PermissionDenied
    return _decide_referral(referral, by=by, accept=accept, reason=reason)


@transaction.atomic
def answer_referral_by_link(*, token: str, accept: bool, reason: str = "",
                            now: datetime.datetime | None = None) -> Referral:
    """The outside organisation accepts or declines through its link (audited as PUBLIC)."""
    referral = links.read_link(token, now=now or timezone.now())
    return _decide_referral(referral, by=PUBLIC, accept=accept, reason=reason, nonce=referral.link_nonce)


def _check_joined_on(referral: Referral, joined_on: datetime.date | None, today: datetime.date) -> None:
    if joined_on is None:
        raise field_error("joined_on", _("Give the date the person joined the programme."), "joined_on")
    sent_on = timezone.localdate(referral.sent_at)
    dates.check_past(joined_on, field="joined_on", today=today, earliest=sent_on,
                     future=_("The date the person joined cannot be in the future."))


def _record_outcome(referral: Referral, *, by: User | Actor, joined: bool, joined_on: datetime.date | None,
                    notes: str, today: datetime.date, nonce: str | None = None) -> Referral:
    """The one rule for an outcome (staff or link): after acceptance, once; one winner by conditional update."""
    status = Referral.objects.filter(pk=referral.pk).values_list("status", flat=True).get()
    if status == Referral.Status.COMPLETED:
        raise ValidationError(_("The outcome of this referral has already been recorded."), code="answered")
    if status != Referral.Status.ACCEPTED:
        raise ValidationError(_("Record the outcome after the referral has been accepted."), code="not_accepted")
    if joined:
        _check_joined_on(referral, joined_on, today)
    person = by if isinstance(by, User) else None
    fields = dict(status=Referral.Status.COMPLETED, joined=joined, joined_on=joined_on if joined else None,
                  outcome_notes=notes.strip(), outcome_by=person, outcome_at=timezone.now())
    accepted = Referral.objects.filter(pk=referral.pk, status=Referral.Status.ACCEPTED)
    if not accepted.filter(**({"link_nonce": nonce} if nonce is not None else {})).update(**fields):
        current = Referral.objects.values("link_nonce").get(pk=referral.pk)
        if nonce is not None and current["link_nonce"] != nonce:
            raise TokenRejected(Reason.REVOKED)
        raise ValidationError(_("The outcome of this referral has already been recorded."), code="answered")
    mark_rows(Referral, [referral.pk])  # IR1 counts who joined: an update sends no signal
    for name, value in fields.items():
        setattr(referral, name, value)
    via_link = nonce is not None
    events.referral_outcome_event(referral=referral, by=person, via_link=via_link)
    record_event(by=by, action=AuditAction.REFERRAL_OUTCOME_RECORDED, target=referral,
                 org_path=referral.from_unit.path, joined=joined, via_link=via_link)
    return referral


@transaction.atomic
def record_referral_outcome(*, by: User, referral: Referral, joined: bool, joined_on: datetime.date | None,
                            notes: str = "", today: datetime.date | None = None) -> Referral:
    """Whether the person joined the programme (what indicator IR1 counts)."""
    if not can_answer(by, referral):
        raise PermissionDenied
    return _record_outcome(referral, by=by, joined=joined, joined_on=joined_on, notes=notes,
                           today=today or timezone.localdate())


@transaction.atomic
def record_referral_outcome_by_link(*, token: str, joined: bool, joined_on: datetime.date | None, notes: str = "",
                                    now: datetime.datetime | None = None) -> Referral:
    """The outside organisation says whether the person joined, through its link (audited as PUBLIC)."""
    now = now or timezone.now()
    referral = links.read_link(token, now=now)
    return _record_outcome(referral, by=PUBLIC, joined=joined, joined_on=joined_on, notes=notes,
                           today=timezone.localdate(now), nonce=referral.link_nonce)
