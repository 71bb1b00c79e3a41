"""Parsing input for programmes and plans (types, lengths, choices); every rule lives in `services`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socmon.cases.forms import DateInput
from socmon.lib.forms import OneTimeFormMixin

from .models import Evaluation, Frequency, Goal, Outcome, Programme, ResourceItem

NUMBER_ERRORS = {"invalid": _("Enter a number, for example 120 or 12.5."),
                 "max_digits": _("Enter a number from 0 to 999,999,999,999."),
                 "max_whole_digits": _("Enter a number from 0 to 999,999,999,999."),
                 "max_decimal_places": _("Enter at most 2 decimal places."),
                 "min_value": _("Enter a number that is 0 or more.")}


def _decimal(label, **options) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=False, max_digits=14, decimal_places=2, min_value=0,
                              widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
                              error_messages=NUMBER_ERRORS, **options)


def _text(label, *, required=True, rows=3, **options) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": rows}), **options)


class StageFilterForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=[("", _("All stages")), *Programme.Stage.choices],
                              error_messages={"invalid_choice": _("Choose a stage from the list.")})


class ProgrammeForm(OneTimeFormMixin, forms.Form):
    org_unit = forms.ModelChoiceField(
        label=_("Organisation unit"), queryset=None, widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("You may create programmes only for units in your reach."),
                        "required": _("Choose a unit above.")})
    name = forms.CharField(label=_("Name of the programme"), max_length=200)
    description = _text(_("What the programme is for (optional)"), required=False)
    stage = forms.ChoiceField(label=_("Where the programme stands"), widget=forms.RadioSelect,
                              choices=Programme.Stage.choices[:2], initial=Programme.Stage.NEEDS)
    basis = forms.ChoiceField(label=_("The programme serves a"), widget=forms.RadioSelect,
                              choices=Programme.Basis.choices, initial=Programme.Basis.CONTRACT)
    basis_number = forms.CharField(label=_("Its number (optional)"), max_length=60, required=False,
                                   widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}))
    basis_date = forms.DateField(label=_("Its date (optional)"), required=False, widget=DateInput,
                                 error_messages={"invalid": _("Enter a real date, for example 2026-03-01.")})
    basis_party = forms.CharField(label=_("The other party (optional)"), max_length=200, required=False,
                                  help_text=_("For example: the district akimat that ordered the service."))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Move the programme to"), choices=Programme.Stage.choices,
                              error_messages={"invalid_choice": _("Choose a stage from the list.")})


class GoalForm(forms.Form):
    prefix = "goal"
    text = _text(_("Goal"), rows=2, help_text=_("What the programme wants to change for the people it serves."))


class OutcomeForm(forms.Form):
    prefix = "outcome"
    goal = forms.ModelChoiceField(label=_("Under the goal"), queryset=Goal.objects.none(), empty_label=None,
                                  error_messages={"invalid_choice": _("Choose a goal of this plan."),
                                                  "required": _("Choose a goal of this plan.")})
    text = _text(_("Outcome"), rows=2)

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals = version.goals.order_by("pk")
        self.fields["goal"].initial = goals.last()  # the goal just added, most likely the next outcome's


class IndicatorForm(forms.Form):
    prefix = "indicator"
    outcome = forms.ModelChoiceField(label=_("For the outcome"), queryset=Outcome.objects.none(), empty_label=None,
                                     error_messages={"invalid_choice": _("Choose an outcome of this plan."),
                                                     "required": _("Choose an outcome of this plan.")})
    # Free text behind a list: the service names an unknown or retired code in words.
    indicator = forms.CharField(label=_("Indicator"), max_length=20,
                                error_messages={"required": _("Choose an indicator.")})
    method = _text(_("Data-collection method"), rows=2,
                   help_text=_("Where the figures come from, for example: the provider's monthly report; a yearly "
                               "survey of 10 randomly chosen participants."))
    frequency = forms.ChoiceField(label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect,
                                  error_messages={"required": _("Choose how often the data is collected.")})
    responsible = forms.CharField(label=_("Who is responsible"), max_length=200,
                                  help_text=_("A role (the department head) or a named person."))
    baseline = _decimal(_("Baseline (optional)"))
    key = forms.BooleanField(label=_("A key indicator of the programme"), required=False)

    def __init__(self, *args, version, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].queryset = outcomes = Outcome.objects.filter(goal__version=version).order_by("pk")
        self.fields["outcome"].initial = outcomes.last()
        self.fields["indicator"].widget = forms.Select(choices=choices)


class RoleForm(forms.Form):
    prefix = "role"
    role = forms.CharField(label=_("Role or person"), max_length=200)
    responsibilities = _text(_("Responsibilities"), rows=2)


class ResourceForm(forms.Form):
    prefix = "resource"
    kind = forms.ChoiceField(label=_("Kind of resource"), choices=ResourceItem.Kind.choices)
    item = forms.CharField(label=_("What is needed"), max_length=300)
    status = forms.ChoiceField(label=_("Status"), choices=ResourceItem.Status.choices)
    notes = forms.CharField(label=_("Notes (optional)"), max_length=2000, required=False)


class ResourceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ResourceItem.Status.choices)
    notes = forms.CharField(label=_("Notes (optional)"), max_length=2000, required=False)


class ReturnForm(forms.Form):
    reason = _text(_("What should change (if you return it)"), required=False, rows=3)


class EvaluationForm(OneTimeFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=Evaluation.Kind.choices, widget=forms.RadioSelect)
    held_on = forms.DateField(label=_("Date of the evaluation"), widget=DateInput,
                              error_messages={"invalid": _("Enter a real date, for example 2026-03-01."),
                                              "required": _("Enter the date of the evaluation.")})
    findings = _text(_("Findings"), rows=5, help_text=_("What was achieved against the plan, and why or why not."))
    unplanned_results = _text(_("Unplanned results (optional)"), required=False, rows=3)
    cost = _decimal(_("Cost (optional)"))
    currency = forms.CharField(label=_("Currency"), max_length=10, required=False,
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}))


PART_FORMS = {"goal": GoalForm, "outcome": OutcomeForm, "indicator": IndicatorForm, "role": RoleForm,
              "resource": ResourceForm}
