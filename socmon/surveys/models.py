"""Questionnaires (XLSForms), their versions, survey campaigns, invitations and responses (R-7.1).

The shape, shared by the parts of issue 9 that build on it:
- a `Questionnaire` is a named instrument (the client survey behind IR2, IR3, IS1, IS2; 001's expert survey;
  one an M&E specialist uploads); each upload is a new `QuestionnaireVersion` holding the XLSForm file as sent
  and the form as pyxform reads it (`form`, its JSON), never changed afterwards;
- a `Campaign` runs one version for one org unit and period (the 6-monthly client survey, the yearly random
  sample of 10, or another), with the sample's seed and frame stored so the draw can be repeated;
- an `Invitation` is one client asked to answer (mode: self-completed through a link or QR, at home, by phone),
  with replacements recorded when someone declines; its nonce makes the client's one-time answer link;
- a `Response` keeps the version it was given in and the answers as a JSON object (question name → value);
- `IndicatorAnswer` is what the indicator engine counts: per response, whether it counts for IR2, IR3, IS1 or
  IS2, with the unit and date it counts for (stored at submission, so counting never re-reads the answers).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Questionnaire(models.Model):
    class Purpose(models.TextChoices):
        CLIENT_SURVEY = "client_survey", _("Client survey (IR2, IR3, IS1, IS2)")
        EXPERT_SURVEY = "expert_survey", _("Expert survey")
        OTHER = "other", _("Other questionnaire")

    # A stable short name (the XLSForm's form_id for built-ins): identity never changes under people's feet.
    code = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    title_i18n = models.JSONField(default=dict, blank=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.OTHER)
    built_in = models.BooleanField(default=False, editable=False)
    # The unit whose M&E staff own it (None: built-in, for every unit).
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="questionnaires", verbose_name=_("unit"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title


class QuestionnaireVersion(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    source = models.BinaryField(editable=False)  # the XLSX as uploaded
    source_name = models.CharField(max_length=200, blank=True)
    form = models.JSONField(editable=False)  # pyxform's JSON of the form (survey, choices, languages)
    languages = models.JSONField(default=list, editable=False)  # e.g. ["en", "ru", "az", "kk", "ro"]
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "number"], name="surveys_one_number_per_version"),
        ]

    def __str__(self):
        return f"{self.questionnaire} v{self.number}"


class Campaign(models.Model):
    class Kind(models.TextChoices):
        SIX_MONTHLY = "six_monthly", _("6-monthly client survey")
        YEARLY_SAMPLE = "yearly_sample", _("Yearly survey of a random sample")
        OTHER = "other", _("Other survey")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="campaigns")
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="survey_campaigns",
                                 verbose_name=_("unit"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The random sample: the seed and the frame (client ids in a fixed order) it was drawn from, and its size.
    sample_seed = models.CharField(max_length=64, blank=True)
    sample_frame = models.JSONField(default=list, blank=True)
    sample_size = models.PositiveSmallIntegerField(null=True, blank=True)
    # When the clients were invited (6-monthly) or the sample drawn: set once, by the one winner.
    invited_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Closed by the M&E specialist who runs it (services.close_campaign); never reopened.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("closed by"))

    class Meta:
        ordering = ["-period_start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="surveys_campaign_period_in_order"),
            models.CheckConstraint(condition=Q(status="open", closed_at__isnull=True)
                                   | Q(status="closed", closed_at__isnull=False),
                                   name="surveys_campaign_closed_when_closed_at"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Invitation(models.Model):
    class Mode(models.TextChoices):
        SELF = "self", _("Self-completed (link or QR code)")
        HOME = "home", _("Interview at home")
        PHONE = "phone", _("Interview by phone")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ANSWERED = "answered", _("Answered")
        DECLINED = "declined", _("Declined")

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="invitations")
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, related_name="survey_invitations")
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.SELF)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    position = models.PositiveIntegerField(default=0)  # order in the sample (replacements come after)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by")
    decline_reason = models.CharField(max_length=300, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    nonce = models.CharField(max_length=40, default=new_nonce, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["campaign", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "client"], name="surveys_one_invitation_per_client"),
        ]

    def __str__(self):
        return f"{self.campaign}: {self.client.code}"


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    version = models.ForeignKey(QuestionnaireVersion, on_delete=models.PROTECT, related_name="responses")
    invitation = models.OneToOneField(Invitation, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="response")
    # None for an anonymous response (an expert survey); one response per client per campaign.
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="survey_responses")
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="survey_responses")
    mode = models.CharField(max_length=10, choices=Invitation.Mode.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    answers = models.JSONField(default=dict)
    submitted_at = models.DateTimeField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")  # the interviewer; None when self-completed

    class Meta:
        ordering = ["-submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "client"], condition=Q(client__isnull=False),
                                    name="surveys_one_response_per_client_and_campaign"),
        ]
        indexes = [models.Index(fields=["campaign", "submitted_at"], name="surveys_resp_campaign_time")]

    def __str__(self):
        return f"{self.campaign}: {self.submitted_at:%Y-%m-%d}"


class IndicatorAnswer(models.Model):
    class Indicator(models.TextChoices):
        IR2 = "IR2", "IR2"
        IR3 = "IR3", "IR3"
        IS1 = "IS1", "IS1"
        IS2 = "IS2", "IS2"

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="indicator_answers")
    indicator = models.CharField(max_length=4, choices=Indicator.choices)
    counts = models.BooleanField()  # e.g. IR2: "improved" and at least one concrete example named
    client = models.ForeignKey("clients.Client", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    answered_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "indicator"], name="surveys_one_answer_per_indicator"),
        ]
        indexes = [models.Index(fields=["indicator", "answered_on"], name="surveys_ind_answer_day")]

    def __str__(self):
        return f"{self.indicator}: {self.counts}"
