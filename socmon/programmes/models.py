"""Programmes and their M&E plans (R-4.2, R-4.3, R-4.5; seed 000).

- `Programme`: owned by an org unit, serving a service contract or state order, at one stage of the programme
  cycle (needs assessment → design → approval → implementation → M&E).
- `PlanVersion`: the M&E plan is a living document kept as numbered versions. At most one version of a programme
  is open (a draft, or submitted for approval) at a time; an approved version is frozen, and a change starts a new
  draft copied from it. Nobody approves a version they wrote or submitted: the service says so in words, and a
  constraint is the last line.
- Every version has 000's one fixed structure: goals → outcomes → indicators (each with its data-collection
  method, timing, who is responsible, a baseline and a "key" flag), roles and responsibilities, and the resource
  checklist (staff and qualifications, documents, premises, transport, finance).
- `Evaluation`: an interim or final evaluation recorded against an approved version, with unplanned results and
  its cost.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Programme(models.Model):
    class Stage(models.TextChoices):
        NEEDS = "needs", _("Needs assessment")
        DESIGN = "design", _("Design")
        APPROVAL = "approval", _("Approval")
        IMPLEMENTATION = "implementation", _("Implementation")
        EVALUATION = "evaluation", _("Monitoring and evaluation")

    class Basis(models.TextChoices):
        CONTRACT = "contract", _("Service contract")
        STATE_ORDER = "state_order", _("State social order")

    name = models.CharField(_("name"), max_length=200)
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("organisation unit"))
    description = models.TextField(_("what the programme is for"), blank=True)
    basis = models.CharField(_("it serves a"), max_length=20, choices=Basis.choices, default=Basis.CONTRACT)
    basis_number = models.CharField(_("number"), max_length=60, blank=True)
    basis_date = models.DateField(_("date"), null=True, blank=True)
    basis_party = models.CharField(_("other party"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.NEEDS)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        indexes = [models.Index(fields=["org_unit", "stage"], name="programme_unit_stage")]

    def __str__(self) -> str:
        return self.name


STAGE_ORDER = list(Programme.Stage.values)


class PlanVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("plan status", "Waiting for approval")
        APPROVED = "approved", pgettext_lazy("plan status", "Approved")

    OPEN = (Status.DRAFT, Status.SUBMITTED)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_note = models.TextField(_("why it was returned"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="plan_version_number"),
            models.UniqueConstraint(fields=["programme"], condition=Q(status__in=["draft", "submitted"]),
                                    name="plan_one_open_version"),
            # Nobody approves what they wrote or submitted (services.approve_plan says so first).
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(approved_by__isnull=False) & ~Q(approved_by=F("created_by"))
                                                    & ~Q(approved_by=F("submitted_by"))),
                name="plan_approved_by_another"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} v{self.number} {self.status}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def authors(self) -> set[int]:
        """Who wrote this version: its creator and whoever submitted it."""
        return {pk for pk in (self.created_by_id, self.submitted_by_id) if pk}


class Goal(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="goals")
    text = models.TextField(_("goal"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Outcome(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("goal"))
    text = models.TextField(_("outcome"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Frequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF = "half", _("Every six months")
    YEAR = "year", _("Yearly")
    EVENT = "event", _("At each event (e.g. each referral)")


class PlanIndicator(models.Model):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators",
                                verbose_name=_("outcome"))
    indicator = models.ForeignKey("indicators.Indicator", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("indicator"))
    method = models.TextField(_("data-collection method"))
    frequency = models.CharField(_("how often"), max_length=10, choices=Frequency.choices)
    responsible = models.CharField(_("who is responsible"), max_length=200)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    key = models.BooleanField(_("key indicator"), default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["outcome", "indicator"], name="plan_indicator_once")]

    def __str__(self) -> str:
        return f"{self.outcome_id} {self.indicator_id}"


class PlanRole(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role or person"), max_length=200)
    responsibilities = models.TextField(_("responsibilities"))

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.role


class ResourceItem(models.Model):
    class Kind(models.TextChoices):
        STAFF = "staff", _("Staff and qualifications")
        DOCUMENTS = "documents", _("Organisational procedures and documents")
        PREMISES = "premises", _("Premises and equipment")
        TRANSPORT = "transport", _("Transport")
        FINANCE = "finance", _("Finance")

    class Status(models.TextChoices):
        UNCHECKED = "unchecked", _("Not checked yet")
        IN_PLACE = "in_place", _("In place")
        PARTLY = "partly", _("Partly in place")
        MISSING = "missing", _("Missing")

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField(_("kind of resource"), max_length=20, choices=Kind.choices)
    item = models.CharField(_("what is needed"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.UNCHECKED)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.item


class Evaluation(models.Model):
    class Kind(models.TextChoices):
        INTERIM = "interim", _("Interim evaluation")
        FINAL = "final", _("Final evaluation")

    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("kind of evaluation"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("date of the evaluation"))
    findings = models.TextField(_("findings"))
    unplanned_results = models.TextField(_("unplanned results"), blank=True)
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=10, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["held_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version"], condition=Q(kind="final"), name="evaluation_one_final"),
            models.CheckConstraint(condition=Q(cost__isnull=True) | Q(cost__gte=0),
                                   name="evaluation_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.kind} {self.held_on}"
