"""Forms of the indicator pages: parsing only (the rules on targets live in `services`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from socmon.lib.forms import OneTimeFormMixin

from . import periods
from .selectors import DIMENSION_LABELS, Member

PERIOD_HINT = _("For example 2026-11 (a month), 2026-Q4 (a quarter), 2026-H2 (a half-year) or 2026 (a year).")


class PeriodField(forms.CharField):
    """A period's key (`periods.parse`): a key that names no period is an error in words, never a 500."""

    def __init__(self, **kwargs):
        super().__init__(label=_("Period"), help_text=PERIOD_HINT, max_length=10, strip=True,
                         error_messages={"required": _("Enter a period."),
                                         "max_length": _("Enter a period such as 2026-11 or 2026-Q4.")}, **kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"})

    def clean(self, value):
        key = super().clean(value)
        if not key:
            return None
        try:
            return periods.parse(key)
        except ValueError as error:
            raise forms.ValidationError(str(error), code="period") from None


class ValuesForm(forms.Form):
    """The period and the breakdown of the values table (the unit comes from the unit picker)."""

    period = PeriodField(required=False)
    by = forms.ChoiceField(label=_("Break down by"), required=False,
                           error_messages={"invalid_choice": _("Choose a breakdown from the list.")})

    def __init__(self, *args, dimensions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["by"].choices = [("", _("No breakdown")), *dimensions]


def member_choices(members: list[Member]) -> list:
    """"All (total)", then each dimension's members in a group of their own."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for m in members:
        groups.setdefault(m.dimension, []).append((f"{m.dimension}:{m.member}", m.label))
    return [("", _("All (total)")), *[(str(DIMENSION_LABELS[d]), choices) for d, choices in groups.items()]]


class TargetForm(OneTimeFormMixin, forms.Form):
    org_unit = forms.ModelChoiceField(
        label=_("Organisation unit"), queryset=None, widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("You may set targets only for units in your reach."),
                        "required": _("Choose a unit above.")})
    period = PeriodField()
    member = forms.ChoiceField(label=_("For"), required=False,
                               help_text=_("The whole unit, or one group of people only (women, for example)."),
                               error_messages={"invalid_choice": _("Choose from the list.")})
    target = forms.DecimalField(
        label=_("Target"), max_digits=14, decimal_places=2, widget=forms.TextInput,
        error_messages={"required": _("Enter the target."), "invalid": _("Enter a number, for example 120 or 12.5."),
                        "max_digits": _("Enter a number from 0 to 999,999,999,999."),
                        "max_whole_digits": _("Enter a number from 0 to 999,999,999,999."),
                        "max_decimal_places": _("Enter at most 2 decimal places.")})
    baseline = forms.DecimalField(
        label=_("Baseline (optional)"), required=False, max_digits=14, decimal_places=2, widget=forms.TextInput,
        help_text=_("The value at the start, to measure the change from."),
        error_messages={"invalid": _("Enter a number, for example 120 or 12.5."),
                        "max_digits": _("Enter a number from 0 to 999,999,999,999."),
                        "max_whole_digits": _("Enter a number from 0 to 999,999,999,999."),
                        "max_decimal_places": _("Enter at most 2 decimal places.")})
    split = forms.BooleanField(label=_("Also split this annual target evenly into its four quarters"), required=False)

    def __init__(self, *args, units, members: list[Member], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["member"].choices = member_choices(members)
        for name in ("target", "baseline"):
            self.fields[name].widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "decimal"})

    def clean_member(self) -> tuple[str, str]:
        value = self.cleaned_data.get("member") or ""
        dimension, _sep, member = value.partition(":")
        return (dimension, member) if value else ("", "")
