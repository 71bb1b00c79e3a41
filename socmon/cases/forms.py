"""Input parsing for the case pages. The rules (dates and their order, comments required to return or decline,
one destination per referral) are the services': their field-keyed errors show on these fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socmon.accounts.models import Membership, Role, User
from socmon.catalogue.models import ServiceKind
from socmon.orgs.models import OrgLevel, OrgUnit, in_tree_order

from .models import Assessment, Case, PlanService, Referral, Review


class DateInput(forms.DateInput):
    """The browser's date picker; it always sends and expects ISO dates, whatever the interface language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "govuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d")


class OpenCaseForm(forms.Form):
    """Nothing to fill in: opening a case is a confirmation (the CSRF token is the only input)."""


class VersionForm(forms.Form):
    """Carries the case version the person saw, so a decision on stale information is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssessmentForm(forms.Form):
    """A score (radios) and notes for every area of life, then a summary."""

    summary = forms.CharField(label=_("Summary of needs"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What matters most to the person, in their own words where possible."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        score_errors = {"required": _("Choose a score for this area of life."),
                        "invalid_choice": _("Choose a score from 0 to 3.")}
        for domain, label in Assessment.Domain.choices:
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                label=_("%(area)s: score") % {"area": label}, choices=Assessment.Score.choices, coerce=int,
                widget=forms.RadioSelect, error_messages=score_errors)
            self.fields[f"notes_{domain}"] = forms.CharField(
                label=_("%(area)s: notes") % {"area": label}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.order_fields([*[f"{kind}_{d}" for d in Assessment.Domain.values for kind in ("score", "notes")],
                           "summary"])

    @staticmethod
    def initial_from(assessment: Assessment | None) -> dict:
        if assessment is None:
            return {}
        initial = {"summary": assessment.summary}
        for score in assessment.scores.all():
            initial[f"score_{score.domain}"] = score.score
            initial[f"notes_{score.domain}"] = score.notes
        return initial

    def scores(self) -> dict[str, tuple[int, str]]:
        data = self.cleaned_data
        return {d: (data[f"score_{d}"], data[f"notes_{d}"]) for d in Assessment.Domain.values}


class DecisionForm(VersionForm):
    decision = forms.ChoiceField(label=_("Your decision"), widget=forms.RadioSelect, choices=[
        ("approve", _("Approve")), ("return", _("Return for changes"))],
        error_messages={"required": _("Choose whether to approve or to return it.")})
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Required when you return it: say what needs to change."))

def department_staff(unit: OrgUnit):
    """Workers and heads of the case's department: who may be responsible for a plan."""
    members = Membership.objects.filter(org_unit=unit, role__in=[Role.WORKER, Role.HEAD]).values("user")
    return User.objects.filter(pk__in=members).order_by("last_name", "first_name")


class PlanForm(forms.Form):
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea(attrs={"rows": 5}),
                            help_text=_("What the person wants to achieve, one goal per line, each one you can "
                                        "check at a review."))
    starts_on = forms.DateField(label=_("Start date"), widget=DateInput)
    ends_on = forms.DateField(label=_("End date"), widget=DateInput)
    responsible = forms.ModelChoiceField(label=_("Responsible social worker"), queryset=User.objects.none())

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = department_staff(case.org_unit)


class PlanServiceForm(forms.Form):
    service = forms.ModelChoiceField(label=_("Service"), queryset=ServiceKind.objects.filter(is_active=True),
                                     empty_label=_("Choose a service"))
    # A text input with the number keypad, as GOV.UK asks for numbers (type="number" changes on a scroll).
    times = forms.IntegerField(label=_("How many times"),
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric",
                                                             "spellcheck": "false", "autocomplete": "off"}))
    period = forms.ChoiceField(label=_("Per"), choices=PlanService.Period.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300,
                            help_text=_("For example: on Mondays and Thursdays, with a sign-language interpreter."))


class ReviewForm(forms.Form):
    held_on = forms.DateField(label=_("Date of the review"), widget=DateInput)
    progress = forms.ChoiceField(label=_("Overall progress"), choices=Review.Progress.choices,
                                 widget=forms.RadioSelect)
    summary = forms.CharField(label=_("Progress on each goal"), widget=forms.Textarea(attrs={"rows": 5}),
                              help_text=_("For each goal of the plan: what changed and what the person says."))
    next_review_on = forms.DateField(label=_("Date of the next review"), widget=DateInput)

class ClosureForm(VersionForm):
    reason = forms.ChoiceField(label=_("Reason for closing the case"), choices=Case.ClosureReason.choices,
                               widget=forms.RadioSelect)
    outcome = forms.CharField(label=_("Outcome"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("What changed for the person, and what happens next."))


class ReopenForm(VersionForm):
    reason = forms.CharField(label=_("Why is the case reopened?"), widget=forms.Textarea(attrs={"rows": 3}))


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return self.names.get(unit.pk, unit.name)


class ReferralForm(forms.Form):
    to_unit = UnitChoiceField(label=_("A unit in socmon"), required=False, queryset=OrgUnit.objects.none(),
                              empty_label=_("None: an outside organisation"))
    to_external = forms.CharField(label=_("Or an outside organisation"), required=False, max_length=200,
                                  help_text=_("Its name, if the unit is not in socmon."))
    programme_kind = forms.ChoiceField(
        label=_("Kind of programme"),
        choices=[("", _("Choose the kind of programme")), *Referral.ProgrammeKind.choices],
        help_text=_("Choose the closest. Housing, clothing and footwear, and medicines and medical services "
                    "count as basic needs in the indicators."),
        error_messages={"required": _("Choose the kind of programme the person is referred to."),
                        "invalid_choice": _("Choose the kind of programme the person is referred to.")})
    programme = forms.CharField(label=_("Programme or service"), max_length=200,
                                help_text=_("For example: a support group for survivors of violence."))
    kind = forms.ChoiceField(label=_("Kind of referral"), choices=Referral.Kind.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label=_("What the receiver needs to know"), widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("Share only what they need to help the person. They see the client code "
                                        "and this note, not the whole case."))

    def __init__(self, *args, urgent_hours: int, standard_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].help_text = _(
            "The receiving unit must answer an urgent referral within %(hours)s hours and a standard one within "
            "%(days)s days. Urgent referrals are shown first in their inbox.") % {
            "hours": urgent_hours, "days": standard_days}
        kinds = [OrgLevel.Kind.INSTITUTION, OrgLevel.Kind.DEPARTMENT]
        units = list(OrgUnit.objects.filter(level__kind__in=kinds, is_active=True).order_by("path"))
        by_path = {u.path: u for u in units}
        field = self.fields["to_unit"]
        field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units]).order_by("path")
        # "Centre › Department": many institutions have a "Home Care Department".
        field.names = {u.pk: " › ".join(p.name for p in (by_path.get(u.path[:-u.steplen]), u) if p) for u in units}
        # Siblings by name: paths keep the order units were created in.
        field.choices = [("", field.empty_label), *((u.pk, field.names[u.pk]) for u in in_tree_order(units))]

class AnswerForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept the referral")), ("decline", _("Decline the referral"))])
    reason = forms.CharField(label=_("Reason for declining"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Required if you decline."))

class OutcomeForm(forms.Form):
    joined = forms.TypedChoiceField(label=_("Did the person join the programme?"), widget=forms.RadioSelect,
                                    coerce=lambda value: value == "yes",
                                    choices=[("yes", _("Yes")), ("no", _("No"))])
    joined_on = forms.DateField(label=_("Date the person joined"), required=False, widget=DateInput,
                                help_text=_("Required if the person joined."))
    notes = forms.CharField(label=_("Notes on the outcome"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


# --- The outside organisation's link (public; rendered by hand in cases/link_*.html) --------------------------

LINK_TEXT_LIMIT = 2000


class LinkAnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("Accept the referral")), ("decline", _("Decline the referral"))],
                               error_messages={"required": _("Choose whether you accept or decline the referral."),
                                               "invalid_choice": _("Choose whether you accept or decline the "
                                                                   "referral.")})
    reason = forms.CharField(required=False, max_length=LINK_TEXT_LIMIT)


class LinkOutcomeForm(forms.Form):
    joined = forms.TypedChoiceField(choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda value: value == "yes",
                                    error_messages={"required": _("Say whether the person joined the programme."),
                                                    "invalid_choice": _("Say whether the person joined the "
                                                                        "programme.")})
    joined_on = forms.DateField(required=False, widget=DateInput,
                                error_messages={"invalid": _("Give the date as day, month and year.")})
    notes = forms.CharField(required=False, max_length=LINK_TEXT_LIMIT)
