"""Case management (R-2.2, 002 §6.1.4): assessment → plan → monitoring → closure, plus referrals (R-2.4).

A case moves through `Case.Status`; an assessment, a plan or a closure proposal waiting for a head's
decision is marked on the case (`awaiting_approval`, `submitted_by`), Primero's "computed stage".
`Case.version` is the optimistic-concurrency token: every state change is an
`UPDATE … WHERE version = n`, so two heads deciding at once cannot both win.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socmon.lib.dates import EARLIEST


def closed_last() -> models.Case:
    """0 for an open case, 1 for a closed one: the case list shows open cases first (and is indexed so)."""
    return models.Case(models.When(status="closed", then=models.Value(1)), default=models.Value(0),
                       output_field=models.IntegerField())


class Case(models.Model):
    class Status(models.TextChoices):
        ASSESSMENT = "assessment", _("Needs assessment")
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Services in progress")
        CLOSURE_PROPOSED = "closure_proposed", _("Closure proposed")
        CLOSED = "closed", _("Closed")

    class Awaiting(models.TextChoices):
        NOTHING = "", _("Nothing")
        ASSESSMENT = "assessment", _("Assessment")
        PLAN = "plan", _("Individual plan")
        CLOSURE = "closure", _("Closure")

    class ClosureReason(models.TextChoices):
        GOALS_ACHIEVED = "goals_achieved", _("The goals of the plan were achieved")
        MOVED_AWAY = "moved_away", _("The person moved away")
        DECLINED = "declined", _("The person declined further services")
        REFERRED = "referred", _("The person was referred elsewhere")
        DIED = "died", _("The person died")
        OTHER = "other", _("Other reason")

    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="cases",
                               verbose_name=_("client"))
    # The client's department when the case was opened; approvals and access follow this unit.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="cases",
                                 verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ASSESSMENT)
    awaiting_approval = models.CharField(_("awaiting approval of"), max_length=20, choices=Awaiting.choices,
                                         default=Awaiting.NOTHING, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("opened by"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cases",
                                    verbose_name=_("responsible social worker"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closure_reason = models.CharField(_("reason for closure"), max_length=20, choices=ClosureReason.choices,
                                      blank=True)
    closure_outcome = models.TextField(_("outcome"), blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        # The case list's order (cases.selectors.case_list_for): a page is read off the index, not sorted.
        indexes = [models.Index(closed_last(), models.F("opened_at").desc(), models.F("id").desc(),
                                name="case_list_order")]
        constraints = [
            # One open case per person: a new need is assessed inside the open case.
            models.UniqueConstraint(fields=["client"], condition=~models.Q(status="closed"),
                                    name="case_one_open_case_per_client"),
            models.CheckConstraint(condition=~models.Q(status="closed") | ~models.Q(closure_reason=""),
                                   name="case_closed_has_reason"),
            models.CheckConstraint(condition=models.Q(awaiting_approval="") | models.Q(submitted_by__isnull=False),
                                   name="case_awaiting_has_submitter"),
        ]

    def __str__(self) -> str:
        return f"{self.client.code} #{self.pk}"


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when (Saleor's order events). Append-only."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Case opened")
        ASSESSMENT_SAVED = "assessment_saved", _("Assessment saved")
        ASSESSMENT_SUBMITTED = "assessment_submitted", _("Assessment submitted for approval")
        ASSESSMENT_APPROVED = "assessment_approved", _("Assessment approved")
        ASSESSMENT_RETURNED = "assessment_returned", _("Assessment returned for changes")
        PLAN_SAVED = "plan_saved", _("Individual plan saved")
        PLAN_SERVICE_ADDED = "plan_service_added", _("Service added to the plan")
        PLAN_SERVICE_REMOVED = "plan_service_removed", _("Service removed from the plan")
        PLAN_SUBMITTED = "plan_submitted", _("Individual plan submitted for approval")
        PLAN_APPROVED = "plan_approved", _("Individual plan approved")
        PLAN_RETURNED = "plan_returned", _("Individual plan returned for changes")
        REVIEW_RECORDED = "review_recorded", _("Monitoring review recorded")
        CLOSURE_PROPOSED = "closure_proposed", _("Closure proposed")
        CLOSURE_APPROVED = "closure_approved", _("Closure approved: case closed")
        CLOSURE_RETURNED = "closure_returned", _("Closure returned: services continue")
        REOPENED = "reopened", _("Case reopened")
        REFERRAL_SENT = "referral_sent", _("Referral sent")
        REFERRAL_ACCEPTED = "referral_accepted", _("Referral accepted")
        REFERRAL_DECLINED = "referral_declined", _("Referral declined")
        REFERRAL_OUTCOME = "referral_outcome", _("Referral outcome recorded")
        REFERRAL_LINK_ISSUED = "referral_link_issued", _("New link issued for the outside organisation")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Empty when the outside organisation answered a referral through its link (detail["via_link"]): no account.
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="+", verbose_name=_("who"))
    kind = models.CharField(_("what happened"), max_length=30, choices=Kind.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.kind}"


class Decision(models.TextChoices):
    """Where an assessment or a plan stands on its way to approval."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class Assessment(models.Model):
    """A needs assessment: a score and notes per life domain. The latest one of a case is the current one."""

    class Domain(models.TextChoices):
        HEALTH = "health", _("Health")
        SELF_CARE = "self_care", _("Self-care and daily living")
        HOUSING = "housing", _("Housing and living conditions")
        FAMILY = "family", _("Family and social ties")
        INCOME = "income", _("Income and employment")
        SAFETY = "safety", _("Safety and protection")
        EDUCATION = "education", _("Education and development")
        LEGAL = "legal", _("Legal matters and documents")

    class Score(models.IntegerChoices):
        NONE = 0, _("0 – no need: the person manages on their own")
        LOW = 1, _("1 – low need: occasional help or advice")
        MODERATE = 2, _("2 – moderate need: regular help")
        HIGH = 3, _("3 – high need: daily or urgent help")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=20, choices=Decision.choices, default=Decision.DRAFT)
    summary = models.TextField(_("summary of needs"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("assessed by"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("needs assessment")
        verbose_name_plural = _("needs assessments")

    def __str__(self) -> str:
        return f"{self.case} assessment #{self.pk}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores",
                                   verbose_name=_("assessment"))
    domain = models.CharField(_("area of life"), max_length=20, choices=Assessment.Domain.choices)
    score = models.PositiveSmallIntegerField(_("score"), choices=Assessment.Score.choices)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("assessment score")
        verbose_name_plural = _("assessment scores")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_one_score_per_domain"),
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=3), name="assessment_score_0_to_3"),
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.score}"


class Plan(models.Model):
    """The individual plan: goals and a package of catalogue services. The latest one of a case is current."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans", verbose_name=_("case"))
    status = models.CharField(_("status"), max_length=20, choices=Decision.choices, default=Decision.DRAFT)
    goals = models.TextField(_("goals"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("responsible social worker"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("written by"))
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("individual plan")
        verbose_name_plural = _("individual plans")
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="plan_ends_after_start"),
            models.CheckConstraint(condition=models.Q(starts_on__gte=EARLIEST), name="plan_starts_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.case} plan #{self.pk}"


class PlanService(models.Model):
    class Period(models.TextChoices):
        WEEK = "week", _("a week")
        MONTH = "month", _("a month")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="services", verbose_name=_("plan"))
    service = models.ForeignKey("catalogue.ServiceKind", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service"))
    times = models.PositiveSmallIntegerField(_("how many times"))
    period = models.CharField(_("per"), max_length=10, choices=Period.choices)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("planned service")
        verbose_name_plural = _("planned services")
        constraints = [
            models.UniqueConstraint(fields=["plan", "service"], name="plan_service_once_per_plan"),
            models.CheckConstraint(condition=models.Q(times__gte=1, times__lte=31), name="plan_service_times_1_31"),
        ]

    def __str__(self) -> str:
        return f"{self.service} ×{self.times}/{self.period}"


class Review(models.Model):
    """A periodic monitoring review of an active case (R-2.2: monitoring of the services)."""

    class Progress(models.TextChoices):
        IMPROVED = "improved", _("Things have improved")
        UNCHANGED = "unchanged", _("No change")
        WORSENED = "worsened", _("Things have got worse")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews", verbose_name=_("case"))
    held_on = models.DateField(_("date of the review"))
    progress = models.CharField(_("overall progress"), max_length=20, choices=Progress.choices)
    summary = models.TextField(_("progress on each goal"))
    next_review_on = models.DateField(_("next review"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("monitoring review")
        verbose_name_plural = _("monitoring reviews")
        constraints = [
            models.CheckConstraint(condition=models.Q(next_review_on__gt=models.F("held_on")),
                                   name="review_next_after_held"),
            models.CheckConstraint(condition=models.Q(held_on__gte=EARLIEST), name="review_held_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.case} review {self.held_on}"


# Indicator IR1 (000): clients who joined a programme as a result of a referral. 000 limits it to central or local
# programmes for basic needs: housing, clothing and footwear, medicines and medical services. IR1 counts referrals
# whose Referral.programme_kind is one of these by default; the indicator engine reads this tuple.
BASIC_NEEDS_PROGRAMMES = ("housing", "clothing_footwear", "medical")


class Referral(models.Model):
    """A referral of a client to another unit in socmon or to an outside organisation (R-2.4, 002 §8.4.5).

    `joined` is what indicator IR1 counts: did the person join the programme they were referred to.
    """

    class Kind(models.TextChoices):
        STANDARD = "standard", pgettext_lazy("referral kind", "Standard")
        VIOLENCE = "violence", _("Urgent: violence")
        CRUELTY = "cruelty", _("Urgent: cruel treatment")
        NEGLECT = "neglect", _("Urgent: child neglect")

    class ProgrammeKind(models.TextChoices):
        """What the programme referred to is for; BASIC_NEEDS_PROGRAMMES are the ones IR1 counts by default."""

        HOUSING = "housing", pgettext_lazy("programme kind", "Housing")
        CLOTHING_FOOTWEAR = "clothing_footwear", pgettext_lazy("programme kind", "Clothing and footwear")
        MEDICAL = "medical", pgettext_lazy("programme kind", "Medicines and medical services")
        FOOD = "food", pgettext_lazy("programme kind", "Food")
        FINANCIAL = "financial", pgettext_lazy("programme kind", "Benefits and financial support")
        LEGAL = "legal", pgettext_lazy("programme kind", "Legal aid")
        EDUCATION = "education", pgettext_lazy("programme kind", "Education")
        EMPLOYMENT = "employment", pgettext_lazy("programme kind", "Employment")
        PSYCHOLOGICAL = "psychological", pgettext_lazy("programme kind", "Psychological support")
        CARE = "care", pgettext_lazy("programme kind", "Care and rehabilitation")
        OTHER = "other", pgettext_lazy("programme kind", "Other")

    class Status(models.TextChoices):
        SENT = "sent", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        COMPLETED = "completed", _("Outcome recorded")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("case"))
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="referrals",
                               verbose_name=_("client"))
    from_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="referrals_sent",
                                  verbose_name=_("referred by unit"))
    to_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="referrals_received", verbose_name=_("referred to unit"))
    to_external = models.CharField(_("referred to organisation"), max_length=200, blank=True)
    programme_kind = models.CharField(_("kind of programme"), max_length=20, choices=ProgrammeKind.choices,
                                      default=ProgrammeKind.OTHER)
    programme = models.CharField(_("programme or service"), max_length=200)
    kind = models.CharField(_("kind of referral"), max_length=20, choices=Kind.choices, default=Kind.STANDARD)
    notes = models.TextField(_("what the receiver needs to know"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    respond_by = models.DateTimeField(_("answer due by"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("sent by"))
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    joined = models.BooleanField(_("the person joined the programme"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    outcome_notes = models.TextField(_("notes on the outcome"), blank=True)
    outcome_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("outcome recorded by"))
    outcome_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)
    # The outside organisation's link (socmon.cases.links): the nonce its signed code must carry. A new link
    # gets a new nonce, so the previous one stops working. Empty: no link (a referral to a unit in socmon).
    link_nonce = models.CharField(_("link nonce"), max_length=32, blank=True, editable=False)
    link_issued_at = models.DateTimeField(_("link issued"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(to_unit__isnull=False, to_external="")
                           | models.Q(to_unit__isnull=True) & ~models.Q(to_external="")),
                name="referral_one_destination"),
            models.CheckConstraint(condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                                   name="referral_declined_has_reason"),
            models.CheckConstraint(condition=~models.Q(joined=True) | models.Q(joined_on__isnull=False),
                                   name="referral_joined_has_date"),
            models.CheckConstraint(condition=models.Q(joined_on__isnull=True) | models.Q(joined_on__gte=EARLIEST),
                                   name="referral_joined_sane"),
        ]
        # The overdue filter and order (Referral.overdue_q): only waiting referrals, by deadline.
        indexes = [models.Index(fields=["respond_by"], condition=models.Q(status="sent"), name="referral_waiting_due")]

    def __str__(self) -> str:
        return f"{self.client.code} → {self.destination}"

    @property
    def destination(self) -> str:
        return self.to_unit.name if self.to_unit_id else self.to_external

    @property
    def is_urgent(self) -> bool:
        return self.kind != self.Kind.STANDARD

    # The overdue rule, once: still waiting for an answer after the deadline. `overdue_q` is the same rule for
    # lists (filter, annotate, order); pages pass `now` explicitly.
    @classmethod
    def overdue_q(cls, now: datetime.datetime) -> models.Q:
        return models.Q(status=cls.Status.SENT, respond_by__lt=now)

    def is_overdue_at(self, now: datetime.datetime) -> bool:
        return self.status == self.Status.SENT and self.respond_by < now

    @property
    def answered_via_link(self) -> bool:
        return self.answered_at is not None and self.answered_by_id is None

    @property
    def outcome_via_link(self) -> bool:
        return self.joined is not None and self.outcome_by_id is None

    @property
    def is_overdue(self) -> bool:
        """Overdue at this moment. Pages pass their own `now` instead (`selectors.with_overdue` annotates
        `overdue`; single referrals set it from `is_overdue_at`); kept for readers of the old name."""
        return self.is_overdue_at(timezone.now())
