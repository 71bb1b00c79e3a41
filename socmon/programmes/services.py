"""Every write to programmes and M&E plans: keyword-only, `by=` the acting person, atomic, audited where the
trail matters (a programme created, its stage moved, a version started, submitted, approved or returned, an
evaluation recorded); editing a draft is not audited piece by piece, because the versions' differences show it.

One winner: every change to a plan locks its programme's row first (then the version), and decides on what it
reads under that lock; the partial unique constraint "one open version per programme" and the check "approved by
another" are the last line under it.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from socmon.audit.actions import AuditAction
from socmon.audit.services import record_event
from socmon.indicators.models import Indicator
from socmon.lib import dates
from socmon.lib.dates import field_error

from . import access
from .models import (
    STAGE_ORDER,
    Evaluation,
    Goal,
    Outcome,
    PlanIndicator,
    PlanRole,
    PlanVersion,
    Programme,
    ResourceItem,
)

Kind = ResourceItem.Kind


def resource_checklist() -> list[tuple[str, str]]:
    """000's checklist of what a social service needs, in the author's language (it becomes their document's text):
    each item starts "not checked yet" in a programme's first plan."""
    return [
        (Kind.STAFF, _("Job descriptions")),
        (Kind.STAFF, _("Qualification requirements")),
        (Kind.STAFF, _("Documents confirming education")),
        (Kind.STAFF, _("Internal standard for training and supervision")),
        (Kind.STAFF, _("How additional specialists are brought in")),
        (Kind.DOCUMENTS, _("Charter")),
        (Kind.DOCUMENTS, _("Standard document templates")),
        (Kind.DOCUMENTS, _("Individual assessment form")),
        (Kind.DOCUMENTS, _("Content and standards of the state or municipal programme")),
        (Kind.PREMISES, _("Premises (built or rented), with a document describing them: area, adaptation")),
        (Kind.PREMISES, _("Material and technical base")),
        (Kind.TRANSPORT, _("Transport")),
        (Kind.FINANCE, _("Finance")),
    ]


# --- Programmes ----------------------------------------------------------------------------------------------

@transaction.atomic
def create_programme(*, by, org_unit, name: str, basis: str, description: str = "", basis_number: str = "",
                     basis_date: datetime.date | None = None, basis_party: str = "",
                     stage: str = Programme.Stage.NEEDS, today: datetime.date) -> Programme:
    if not access.owner_units(by).filter(pk=org_unit.pk).exists():
        raise PermissionDenied
    if stage not in (Programme.Stage.NEEDS, Programme.Stage.DESIGN):
        raise field_error("stage", _("A new programme starts with its needs assessment or its design."), "stage")
    if basis_date is not None:
        dates.check_between(basis_date, field="basis_date", earliest=dates.years_before(today, 20),
                            latest=dates.horizon(today))
    programme = Programme.objects.create(
        name=name, org_unit=org_unit, description=description, basis=basis, basis_number=basis_number,
        basis_date=basis_date, basis_party=basis_party, stage=stage, created_by=by)
    record_event(by=by, action=AuditAction.PROGRAMME_CREATED, target=programme, org_path=org_unit.path,
                 name=name, stage=stage)
    return programme


def _locked(programme: Programme) -> Programme:
    return Programme.objects.select_for_update().select_related("org_unit").get(pk=programme.pk)


def _approved(programme: Programme) -> PlanVersion | None:
    return programme.versions.filter(status=PlanVersion.Status.APPROVED).order_by("-number").first()


@transaction.atomic
def set_stage(*, by, programme: Programme, stage: str) -> Programme:
    """Move the programme to another stage of its cycle; implementation and M&E need an approved plan."""
    if not access.may_manage(by, programme):
        raise PermissionDenied
    programme = _locked(programme)
    if stage == programme.stage:
        raise field_error("stage", _("The programme is at this stage already."), "same_stage")
    needs_plan = STAGE_ORDER.index(stage) >= STAGE_ORDER.index(Programme.Stage.IMPLEMENTATION)
    if needs_plan and _approved(programme) is None:
        raise field_error("stage", _("The programme has no approved M&E plan yet, so it cannot move to "
                                     "implementation or to monitoring and evaluation."), "no_plan")
    before = programme.stage
    programme.stage = stage
    programme.save(update_fields=["stage"])
    record_event(by=by, action=AuditAction.PROGRAMME_STAGE_CHANGED, target=programme,
                 org_path=programme.org_unit.path, before=before, after=stage)
    return programme


def _advance(programme: Programme, from_stage: str, to_stage: str) -> None:
    """Move the locked programme on by one stage when it stands where the plan's step takes it from."""
    if programme.stage == from_stage:
        programme.stage = to_stage
        programme.save(update_fields=["stage"])


# --- Versions ------------------------------------------------------------------------------------------------

@transaction.atomic
def start_version(*, by, programme: Programme, now: datetime.datetime | None = None) -> PlanVersion:
    """A new draft: the first from 000's resource checklist, later ones a copy of the newest approved version.
    Only one version is open at a time; two people starting one at once get one draft, the second is told."""
    if not access.may_manage(by, programme):
        raise PermissionDenied
    programme = _locked(programme)
    if programme.stage == Programme.Stage.NEEDS:
        raise ValidationError(_("The M&E plan is drawn up with the programme's design: move the programme to the "
                                "design stage first."), code="needs_stage")
    if programme.versions.filter(status__in=PlanVersion.OPEN).exists():
        raise ValidationError(_("This programme already has a version of its plan in progress: change that one."),
                              code="open_exists")
    approved = _approved(programme)
    number = (programme.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    try:
        with transaction.atomic():
            version = PlanVersion.objects.create(programme=programme, number=number, based_on=approved,
                                                 created_by=by, created_at=now or timezone.now())
    except IntegrityError:  # the constraints, if a write got past the lock
        raise ValidationError(_("This programme already has a version of its plan in progress: change that one."),
                              code="open_exists") from None
    if approved is None:
        ResourceItem.objects.bulk_create(ResourceItem(version=version, kind=kind, item=item)
                                         for kind, item in resource_checklist())
    else:
        _copy_structure(approved, version)
    record_event(by=by, action=AuditAction.PLAN_VERSION_STARTED, target=version, org_path=programme.org_unit.path,
                 number=number, based_on=approved.number if approved else None)
    return version


def _copy_structure(source: PlanVersion, target: PlanVersion) -> None:
    for goal in source.goals.prefetch_related("outcomes__indicators"):
        new_goal = Goal.objects.create(version=target, text=goal.text)
        for outcome in goal.outcomes.all():
            new_outcome = Outcome.objects.create(goal=new_goal, text=outcome.text)
            PlanIndicator.objects.bulk_create(PlanIndicator(
                outcome=new_outcome, indicator_id=i.indicator_id, method=i.method, frequency=i.frequency,
                responsible=i.responsible, baseline=i.baseline, key=i.key) for i in outcome.indicators.all())
    PlanRole.objects.bulk_create(PlanRole(version=target, role=r.role, responsibilities=r.responsibilities)
                                 for r in source.roles.all())
    ResourceItem.objects.bulk_create(ResourceItem(version=target, kind=r.kind, item=r.item, status=r.status,
                                                  notes=r.notes) for r in source.resources.all())


def _draft(by, version: PlanVersion) -> PlanVersion:
    """Lock the programme and the version, and refuse a change to anything but a draft (frozen once submitted)."""
    if not access.may_manage(by, version.programme):
        raise PermissionDenied
    _locked(version.programme)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PlanVersion.Status.DRAFT:
        raise ValidationError(_("This version has been submitted for approval and can no longer be changed."),
                              code="frozen")
    return version


@transaction.atomic
def add_goal(*, by, version: PlanVersion, text: str) -> Goal:
    return Goal.objects.create(version=_draft(by, version), text=text)


@transaction.atomic
def add_outcome(*, by, version: PlanVersion, goal: Goal, text: str) -> Outcome:
    version = _draft(by, version)
    if goal.version_id != version.pk:
        raise field_error("goal", _("Choose a goal of this version of the plan."), "other_version")
    return Outcome.objects.create(goal=goal, text=text)


def indicator_for_plan(code: str, *, today: datetime.date) -> Indicator:
    """The current version of indicator `code`, refused (on the "indicator" field) when there is none or when it is
    retired: a plan monitors indicators that are still counted."""
    indicator = Indicator.objects.filter(code=code, replaced_by__isnull=True).order_by("-version").first()
    if indicator is None:
        raise field_error("indicator", _("There is no indicator with the code %(code)s.") % {"code": code[:20]},
                          "unknown")
    if indicator.valid_to is not None and indicator.valid_to < today:
        raise field_error("indicator", _("%(code)s is retired and is no longer counted, so it cannot be added to a "
                                         "plan. Choose the indicator that replaces it.") % {"code": indicator.code},
                          "retired")
    return indicator


@transaction.atomic
def add_plan_indicator(*, by, version: PlanVersion, outcome: Outcome, code: str, method: str, frequency: str,
                       responsible: str, baseline: Decimal | None = None, key: bool = False,
                       today: datetime.date) -> PlanIndicator:
    version = _draft(by, version)
    if outcome.goal.version_id != version.pk:
        raise field_error("outcome", _("Choose an outcome of this version of the plan."), "other_version")
    indicator = indicator_for_plan(code, today=today)
    if outcome.indicators.filter(indicator__code=indicator.code).exists():
        raise field_error("indicator", _("%(code)s already monitors this outcome.") % {"code": indicator.code},
                          "duplicate")
    return PlanIndicator.objects.create(outcome=outcome, indicator=indicator, method=method, frequency=frequency,
                                        responsible=responsible, baseline=baseline, key=key)


@transaction.atomic
def add_role(*, by, version: PlanVersion, role: str, responsibilities: str) -> PlanRole:
    return PlanRole.objects.create(version=_draft(by, version), role=role, responsibilities=responsibilities)


@transaction.atomic
def add_resource(*, by, version: PlanVersion, kind: str, item: str, status: str, notes: str = "") -> ResourceItem:
    return ResourceItem.objects.create(version=_draft(by, version), kind=kind, item=item, status=status, notes=notes)


@transaction.atomic
def update_resource(*, by, version: PlanVersion, resource: ResourceItem, status: str, notes: str) -> ResourceItem:
    version = _draft(by, version)
    if resource.version_id != version.pk:
        raise ValidationError(_("Choose an item of this version of the plan."), code="other_version")
    resource.status, resource.notes = status, notes
    resource.save(update_fields=["status", "notes"])
    return resource


PARTS = {"goal": (Goal, "version"), "outcome": (Outcome, "goal__version"),
         "indicator": (PlanIndicator, "outcome__goal__version"), "role": (PlanRole, "version"),
         "resource": (ResourceItem, "version")}


@transaction.atomic
def remove_part(*, by, version: PlanVersion, part: str, pk: int) -> None:
    """Remove a goal (with its outcomes and their indicators), an outcome (with its indicators), an indicator, a
    role or a resource item from the draft. Something not in this draft is refused."""
    version = _draft(by, version)
    model, field = PARTS[part]
    removed, _counts = model.objects.filter(pk=pk, **{field: version}).delete()
    if not removed:
        raise ValidationError(_("This part is not in the draft any more: it was removed already."), code="gone")


@transaction.atomic
def submit_version(*, by, version: PlanVersion, now: datetime.datetime | None = None) -> PlanVersion:
    """Submit the draft for approval (it is frozen from now on); a programme at its design stage moves to approval."""
    version = _draft(by, version)
    missing = _missing_parts(version)
    if missing:
        raise ValidationError(_("Before it is submitted, the plan needs at least %(parts)s.") % {"parts": missing},
                              code="incomplete")
    programme = _locked(version.programme)
    PlanVersion.objects.filter(pk=version.pk, status=PlanVersion.Status.DRAFT).update(
        status=PlanVersion.Status.SUBMITTED, submitted_by=by, submitted_at=now or timezone.now(), returned_note="")
    _advance(programme, Programme.Stage.DESIGN, Programme.Stage.APPROVAL)
    record_event(by=by, action=AuditAction.PLAN_SUBMITTED, target=version, org_path=programme.org_unit.path,
                 number=version.number)
    return PlanVersion.objects.get(pk=version.pk)


def _missing_parts(version: PlanVersion) -> str:
    goals = version.goals.exists()
    outcomes = Outcome.objects.filter(goal__version=version).exists()
    indicators = PlanIndicator.objects.filter(outcome__goal__version=version).exists()
    missing = [text for present, text in ((goals, _("one goal")), (outcomes, _("one outcome")),
                                          (indicators, _("one indicator"))) if not present]
    return ", ".join(missing)


def _submitted(by, version: PlanVersion) -> tuple[Programme, PlanVersion]:
    """Lock the programme and the version for a decision; refuse the author and a version no longer waiting."""
    if not access.may_approve(by, version.programme):
        raise PermissionDenied
    programme = _locked(version.programme)
    version = PlanVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != PlanVersion.Status.SUBMITTED:
        raise ValidationError(_("This version is no longer waiting for approval: someone approved or returned it "
                                "a moment ago."), code="decided")
    refusal = access.approval_refusal(by, version)
    if refusal:
        raise ValidationError(refusal, code="own_version")
    return programme, version


@transaction.atomic
def approve_version(*, by, version: PlanVersion, now: datetime.datetime | None = None) -> PlanVersion:
    """Approve a submitted version (frozen for good); a programme waiting for approval moves to implementation."""
    programme, version = _submitted(by, version)
    PlanVersion.objects.filter(pk=version.pk, status=PlanVersion.Status.SUBMITTED).update(
        status=PlanVersion.Status.APPROVED, approved_by=by, approved_at=now or timezone.now())
    _advance(programme, Programme.Stage.APPROVAL, Programme.Stage.IMPLEMENTATION)
    record_event(by=by, action=AuditAction.PLAN_APPROVED, target=version, org_path=programme.org_unit.path,
                 number=version.number)
    return PlanVersion.objects.get(pk=version.pk)


@transaction.atomic
def return_version(*, by, version: PlanVersion, reason: str) -> PlanVersion:
    """Send a submitted version back to its author as a draft again, with the reason they will read."""
    if not reason.strip():
        raise field_error("reason", _("Say what should change before the plan can be approved."), "reason")
    programme, version = _submitted(by, version)
    PlanVersion.objects.filter(pk=version.pk, status=PlanVersion.Status.SUBMITTED).update(
        status=PlanVersion.Status.DRAFT, returned_note=reason.strip())
    _back(programme)
    record_event(by=by, action=AuditAction.PLAN_RETURNED, target=version, org_path=programme.org_unit.path,
                 number=version.number, reason=reason.strip())
    return PlanVersion.objects.get(pk=version.pk)


def _back(programme: Programme) -> None:
    """A returned first plan takes the programme back from approval to its design."""
    if not programme.versions.filter(status=PlanVersion.Status.APPROVED).exists():
        _advance(programme, Programme.Stage.APPROVAL, Programme.Stage.DESIGN)


# --- Evaluations ---------------------------------------------------------------------------------------------

@transaction.atomic
def record_evaluation(*, by, version: PlanVersion, kind: str, held_on: datetime.date, findings: str,
                      unplanned_results: str = "", cost: Decimal | None = None, currency: str = "",
                      today: datetime.date, now: datetime.datetime | None = None) -> Evaluation:
    """An interim or final evaluation of an approved version (one final per version), held between the version's
    approval and today; a cost needs its currency."""
    if not access.may_manage(by, version.programme):
        raise PermissionDenied
    programme = _locked(version.programme)
    version = PlanVersion.objects.get(pk=version.pk)
    if version.status != PlanVersion.Status.APPROVED:
        raise ValidationError(_("Evaluations are recorded against an approved version of the plan."),
                              code="not_approved")
    approved_on = timezone.localdate(version.approved_at)
    dates.collect(
        lambda: dates.check_past(held_on, field="held_on", today=today, earliest=approved_on,
                                 future=_("The date of an evaluation must be today or in the past.")),
        lambda: _check_cost(cost, currency),
        lambda: _check_one_final(version, kind))
    evaluation = Evaluation.objects.create(
        version=version, kind=kind, held_on=held_on, findings=findings, unplanned_results=unplanned_results,
        cost=cost, currency=currency.strip().upper(), recorded_by=by, recorded_at=now or timezone.now())
    record_event(by=by, action=AuditAction.PLAN_EVALUATION_RECORDED, target=evaluation,
                 org_path=programme.org_unit.path, number=version.number, kind=kind, held_on=held_on.isoformat())
    return evaluation


def _check_cost(cost: Decimal | None, currency: str) -> None:
    if cost is not None and not currency.strip():
        raise field_error("currency", _("Enter the currency of the cost, for example KZT."), "currency")


def _check_one_final(version: PlanVersion, kind: str) -> None:
    if kind == Evaluation.Kind.FINAL and version.evaluations.filter(kind=Evaluation.Kind.FINAL).exists():
        raise field_error("kind", _("This version already has its final evaluation: record an interim one, or "
                                    "start a new version of the plan."), "final_exists")
