"""Feedback (R-7.2, IP6): complaints, suggestions and thanks from clients, the public and staff who note what
was said, the provider's answer within a deadline in working days, escalation level by level, and the
client's confirmation that they received an answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socmon.lib.i18n import TranslatedNameMixin


class FeedbackCategory(TranslatedNameMixin):
    """What the feedback is about (reference data, seeded from 001's reasons for dissatisfaction).
    An urgent category gets the shorter deadline (SOCMON_FEEDBACK_URGENT_DAYS)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    urgent = models.BooleanField(_("urgent"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("feedback category")
        verbose_name_plural = _("feedback categories")


class Feedback(models.Model):
    """One complaint, suggestion or thanks, about one unit (a client's department, or an institution the public
    chose). `responsible_unit` is who must answer now: the unit itself, then each level above as it escalates.

    The sender follows it with a tracking code shown once on submission: only its SHA-256 is stored
    (`tracking_hash`). A client also follows it under their card's rating code.

    **IP6** (service users who say their feedback was answered) counts, per unit and month, the distinct
    clients with feedback about a unit in that subtree whose `confirmed_at` (the client said they received an
    answer, through their code or to a worker) falls in the month: `source` is "client" and `client` is set.
    Public and staff-noted feedback without a client never counts; a second confirmation by the same client
    in the month counts once (`socmon.feedback.selectors.ip6_confirmations`).
    """

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Complaint")
        SUGGESTION = "suggestion", _("Suggestion")
        THANKS = "thanks", _("Thanks")

    class Source(models.TextChoices):
        CLIENT = "client", _("Client")
        PUBLIC = "public", _("Member of the public")
        STAFF = "staff", _("Noted by staff")

    class Channel(models.TextChoices):
        WEB = "web", _("Online form or the client's code page")
        PHONE = "phone", _("Phone call")
        IN_PERSON = "in_person", _("In person")
        LETTER = "letter", _("Letter")

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for an answer")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    category = models.ForeignKey(FeedbackCategory, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("category"))
    source = models.CharField(_("sent by"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("received by"), max_length=20, choices=Channel.choices, default=Channel.WEB)
    text = models.TextField(_("what was said"), max_length=4000)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    sender_name = models.CharField(_("name"), max_length=200, blank=True)
    sender_contact = models.CharField(_("phone or address for the answer"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="feedback", verbose_name=_("client"))
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="feedback",
                                 verbose_name=_("about"))
    responsible_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("to be answered by"))
    escalation_level = models.PositiveSmallIntegerField(_("times escalated"), default=0)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    received_on = models.DateField(_("received"))
    due_on = models.DateField(_("answer due by"))
    escalate_after = models.DateField(_("escalates after"))
    extended_at = models.DateTimeField(_("deadline extended"), null=True, blank=True)
    extension_reason = models.TextField(_("why the deadline was extended"), blank=True, max_length=1000)
    answer = models.TextField(_("answer"), blank=True, max_length=4000)
    answer_channel = models.CharField(_("answered by"), max_length=20, choices=Channel.choices, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("client confirmed the answer"), null=True, blank=True)
    tracking_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("noted by"))

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        indexes = [
            models.Index(fields=["status", "due_on"], name="feedback_status_due"),
            models.Index(fields=["org_unit", "received_on"], name="feedback_unit_received"),
            models.Index(fields=["status", "escalate_after"], name="feedback_status_escalate"),
            models.Index(fields=["confirmed_at"], name="feedback_confirmed"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(source="client", client__isnull=False) | ~Q(source="client"),
                                   name="feedback_client_source_has_client"),
            models.CheckConstraint(condition=~Q(status="closed") | ~Q(answer=""),
                                   name="feedback_closed_has_answer"),
            models.CheckConstraint(condition=Q(confirmed_at=None) | Q(client__isnull=False),
                                   name="feedback_confirmed_by_client"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class FeedbackStep(models.Model):
    """One line of a feedback's timeline: received, answered, extended, escalated, closed, reopened, confirmed."""

    class Kind(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("feedback status", "Received")
        ANSWERED = "answered", _("Answered")
        EXTENDED = "extended", _("Deadline extended")
        ESCALATED = "escalated", _("Escalated")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened by the sender")
        CONFIRMED = "confirmed", _("Client confirmed receiving the answer")

    feedback = models.ForeignKey(Feedback, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+", verbose_name=_("by"))
    note = models.TextField(_("note"), blank=True, max_length=4000)
    to_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback}: {self.get_kind_display()}"
