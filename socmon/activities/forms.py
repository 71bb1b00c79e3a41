"""Input for the activity pages: parsing only; the rules are the services'."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socmon.catalogue.models import ServiceKind
from socmon.lib.forms import ModelMultipleChoiceField, OneTimeFormMixin
from socmon.visits.forms_planning import DateInput, date_field

from .models import Activity


def time_field(label) -> forms.TimeField:
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                           input_formats=["%H:%M", "%H:%M:%S"],
                           error_messages={"invalid": _("Enter a time, for example 14:30."),
                                           "required": _("Enter a time.")})


def _services():
    return ServiceKind.objects.filter(is_active=True).order_by("domain", "code")


class ActivityDetailsForm(forms.Form):
    """What is recorded about an activity, and corrected afterwards (its department never changes)."""

    kind = forms.ChoiceField(label=_("Kind of activity"), choices=Activity.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose the kind of activity.")})
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title.")})
    held_on = date_field(_("Date"))
    starts_at = time_field(_("Start time"))
    ends_at = time_field(_("End time"))
    place = forms.CharField(label=_("Place"), help_text=_("The address, or the room and building."),
                            max_length=300, error_messages={"required": _("Enter the place.")})
    latitude = forms.DecimalField(label=_("Latitude (optional)"), required=False, max_digits=9, decimal_places=6,
                                  min_value=-90, max_value=90)
    longitude = forms.DecimalField(label=_("Longitude (optional)"), required=False, max_digits=9, decimal_places=6,
                                   min_value=-180, max_value=180)
    facilitators = ModelMultipleChoiceField(label=_("Facilitators"), queryset=None,
                                            widget=forms.CheckboxSelectMultiple,
                                            error_messages={"required": _("Choose at least one facilitator.")})
    service = forms.ModelChoiceField(label=_("Service (optional)"), queryset=None, required=False,
                                     empty_label=_("No service from the catalogue"))
    programme = forms.CharField(label=_("Programme (optional)"), max_length=200, required=False)
    notes = forms.CharField(label=_("Notes (optional)"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, facilitators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = facilitators
        self.fields["facilitators"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["service"].queryset = _services()
        self.fields["service"].label_from_instance = lambda s: s.label


class ActivityForm(OneTimeFormMixin, ActivityDetailsForm):
    org_unit = forms.ModelChoiceField(label=_("Department"), queryset=None, empty_label=None,
                                      error_messages={"invalid_choice": _("Choose a department from the list.")})
    field_order = ["org_unit"]

    def __init__(self, *args, departments, facilitators, **kwargs):
        super().__init__(*args, facilitators=facilitators, **kwargs)
        self.fields["org_unit"].queryset = departments
        if len(departments) == 1:
            self.fields["org_unit"].widget = forms.HiddenInput()
            self.initial.setdefault("org_unit", departments[0].pk)


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Client code or the check-in code on the card"), max_length=400, strip=True,
                           help_text=_("For example C-7KQ4MZ, or K7PQ-4MZX-9A from the card."),
                           error_messages={"required": _("Enter the client's code, or scan the card.")})


class PickForm(forms.Form):
    client = forms.ModelChoiceField(queryset=None, widget=forms.HiddenInput,
                                    error_messages={"invalid_choice": _("Choose a client from the list.")})

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients


class ClientSearchForm(forms.Form):
    q = forms.CharField(label=_("Find a client by code or name"), max_length=100, required=False, strip=True)


class OthersForm(forms.Form):
    count = forms.IntegerField(label=_("Number of other participants"), min_value=1, max_value=10000,
                               error_messages={"required": _("Enter how many people took part.")},
                               widget=forms.NumberInput(attrs={"inputmode": "numeric",
                                                               "class": "govuk-input--width-4"}))
    category = forms.CharField(label=_("Who they are (optional)"), max_length=100, required=False,
                               help_text=_("For example: family members, neighbours, the public."))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo"), help_text=_("A JPEG, PNG or WebP picture."),
                            error_messages={"required": _("Choose a photo to upload."),
                                            "empty": _("The chosen file is empty.")})
    clients_consented = forms.BooleanField(
        label=_("The clients who appear in the photo agreed to it being taken and kept"), required=False)


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of activity"), required=False,
                             choices=[("", _("All kinds")), *Activity.Kind.choices])
    date_from = date_field(pgettext_lazy("start of a period", "From"), required=False)
    date_to = date_field(pgettext_lazy("end of a period", "To"), required=False)
    service = forms.ModelChoiceField(label=_("Service"), queryset=None, required=False,
                                     empty_label=_("All services"))
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=None, required=False,
                                  widget=forms.HiddenInput,
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["service"].queryset = _services()
        self.fields["service"].label_from_instance = lambda s: s.label

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period must be on or after its start."))
        return cleaned


class MonthInput(forms.DateInput):
    input_type = "month"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m")


class SummaryForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=MonthInput(), input_formats=["%Y-%m"],
                            error_messages={"invalid": _("Enter a month, for example 2026-03."),
                                            "required": _("Enter a month.")})
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=None, empty_label=None,
                                  widget=forms.HiddenInput,
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean_month(self):
        month = self.cleaned_data["month"]
        if not datetime.date(2000, 1, 1) <= month <= datetime.date(2100, 12, 1):
            raise forms.ValidationError(_("Enter a month, for example 2026-03."))
        return month


__all__ = ["ActivityForm", "ActivityDetailsForm", "CodeForm", "PickForm", "ClientSearchForm", "OthersForm",
           "PhotoForm", "FilterForm", "SummaryForm", "DateInput"]
