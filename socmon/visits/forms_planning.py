"""Input for the day, live and report pages (planning a day, moving and adding visits, report periods).

Kept apart from forms.py, which holds the field forms (check-in, services, check-out, rating). The rules of
moving and adding visits (the day's range, the time window's order) are the services': their field-keyed
errors show on these fields.
"""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socmon.catalogue.models import ServiceKind
from socmon.lib.forms import ModelMultipleChoiceField, OneTimeFormMixin

MAX_REPORT_DAYS = 366


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=["%Y-%m-%d"],
                           error_messages={"invalid": _("Enter a real date, for example 2026-03-27."),
                                           "required": _("Enter a date.")}, **kwargs)


class MoveVisitForm(forms.Form):
    planned_for = date_field(_("New day"))
    worker = forms.ModelChoiceField(label=_("Social worker"), queryset=None, empty_label=None,
                                    error_messages={"invalid_choice": _("Choose a social worker from the list.")})

    def __init__(self, *args, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username


class AddVisitForm(OneTimeFormMixin, MoveVisitForm):
    client = forms.ModelChoiceField(label=_("Client"), queryset=None,
                                    error_messages={"invalid_choice": _("Choose a client from the list.")})
    window_start = forms.TimeField(label=_("Not before (optional)"), required=False,
                                   widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    window_end = forms.TimeField(label=_("Finished by (optional)"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    services = ModelMultipleChoiceField(label=_("Services planned"), queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple,
                                              help_text=_("The visit lasts as long as their standard times."))

    field_order = ["client", "planned_for", "worker", "window_start", "window_end", "services"]

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client"].queryset = clients
        self.fields["client"].label_from_instance = lambda c: f"{c.code}, {c.address}"
        self.fields["services"].queryset = ServiceKind.objects.filter(is_active=True)
        self.fields["services"].label_from_instance = lambda s: f"{s.label} ({s.norm_minutes} min)"


class ReportForm(forms.Form):
    date_from = date_field(pgettext_lazy("start of a period", "From"))
    date_to = date_field(pgettext_lazy("end of a period", "To"))
    # Chosen with the unit picker (socmon.orgs.picker), never listed: a country holds thousands of units.
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=None, empty_label=None,
                                  widget=forms.HiddenInput,
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})
    worker = forms.ModelChoiceField(label=_("Social worker (optional)"), queryset=None, required=False,
                                    empty_label=_("All social workers"),
                                    error_messages={"invalid_choice": _("Choose a social worker from the list.")})

    def __init__(self, *args, units, workers=None, **kwargs):
        """`units` and `workers`: whom the reader may choose (the list offers the chosen unit's workers only)."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if workers is None:  # aggregates only: no one is named
            del self.fields["worker"]
        else:
            self.fields["worker"].queryset = workers
            self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username
            self.offer_workers([])

    def offer_workers(self, workers) -> None:
        """List only these workers (any worker the reader follows in the unit is still accepted)."""
        field = self.fields.get("worker")
        if field is None:
            return
        workers = list(workers)
        if not workers:
            field.widget = forms.HiddenInput()
            return
        field.widget = forms.Select(choices=[("", field.empty_label),
                                             *((w.pk, field.label_from_instance(w)) for w in workers)])

    @staticmethod
    def default_period(today: datetime.date) -> dict:
        return {"date_from": today - datetime.timedelta(days=29), "date_to": today}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end:
            if start > end:
                self.add_error("date_to", _("The end of the period must be on or after its start."))
            elif (end - start).days >= MAX_REPORT_DAYS:
                self.add_error("date_to", _("Choose a period of at most %(days)s days.") % {"days": MAX_REPORT_DAYS})
        unit, worker = cleaned.get("unit"), cleaned.get("worker")
        if unit and worker and not worker.memberships.filter(org_unit__path__startswith=unit.path).exists():
            self.add_error("worker", _("%(name)s does not work in %(unit)s.")
                           % {"name": worker.get_full_name() or worker.username, "unit": unit.name})
        return cleaned
