"""Forms of the field visit and of the client's rating. Validation only; services do the writing."""

import unicodedata
from collections.abc import Collection

from django import forms
from django.utils.translation import gettext_lazy as _

from socmon.catalogue.models import ServiceKind
from socmon.lib.forms import ModelMultipleChoiceField, OneTimeFormMixin

from .models import Visit
from .services import SCORES


class CheckInForm(OneTimeFormMixin, forms.Form):
    code = forms.CharField(
        label=_("Client's check-in code"), max_length=300, strip=True,
        help_text=_("If the camera cannot read the card, type the code printed under the check-in QR code, "
                    "for example K7PQ-4MZX-9A."),
        error_messages={"required": _("Scan the client's check-in code or type the code printed under it.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                      "class": "govuk-input--width-20"}))
    # Whether a position is usable (in range) is the service's rule (services._position).
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    # Set by the confirmation step: yes, a second visit to a person already visited today.
    confirm_repeat = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def position(self) -> tuple | None:
        lat, lon = self.cleaned_data.get("latitude"), self.cleaned_data.get("longitude")
        return (lat, lon) if lat is not None and lon is not None else None

    def clean(self):
        # A broken position from the phone is dropped rather than blocking the check-in.
        for name in ("latitude", "longitude"):
            if name in self.errors:
                del self.errors[name]
                self.cleaned_data[name] = None
        return super().clean()


class CheckInWithoutCardForm(CheckInForm):
    """Check in at the home of a person whose card cannot be scanned: the reason instead of the code.
    Whether "another reason" has its note is the service's rule (services.check_in_without_card)."""

    code = None
    reason = forms.ChoiceField(
        label=_("Why can the card not be scanned?"), choices=Visit.NoCardReason.choices, widget=forms.RadioSelect,
        help_text=_("The head of your department sees the reason."),
        error_messages={"required": _("Say why the card was not scanned."),
                        "invalid_choice": _("Say why the card was not scanned.")})
    note = forms.CharField(label=_("What happened? (needed for another reason)"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["reason", "note"]


class ClientChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _("%(name)s, %(address)s (%(code)s)") % {"name": obj.full_name, "address": obj.address,
                                                        "code": obj.code}


class PrintCardsForm(forms.Form):
    """Choose among one's own clients whose cards to print (those without a card are issued one)."""

    clients = ClientChoiceField(label=_("People to print a card for"), queryset=None,
                                widget=forms.CheckboxSelectMultiple,
                                error_messages={"required": _("Choose at least one person to print a card for."),
                                                "invalid_choice": _("Choose people from the list."),
                                                "invalid_pk_value": _("Choose people from the list.")})

    def __init__(self, *args, clients, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = clients


# Letters with no decomposition that come right after (or, for Azerbaijani ı, right before) a base letter.
_LETTER_AFTER = {"ə": "e\uffff", "ı": "i\u0001", "ә": "а\uffff", "ғ": "г\uffff", "қ": "к\uffff", "ң": "н\uffff",
                 "ө": "о\uffff", "ұ": "у\uffff1", "ү": "у\uffff2", "һ": "х\uffff", "і": "ы\uffff"}


def label_sort_key(text: str) -> tuple[str, str]:
    """Alphabetical order for names in our five languages without ICU: case folded, and a letter with a mark
    (Romanian ă ș ț, Azerbaijani ç ş ü, Russian ё) or a letter of its own (ə, Kazakh ә қ ө …) right after
    its base letter, rather than after z or я as code points would put it."""
    key = []
    for char in text.casefold():
        if char in _LETTER_AFTER:
            key.append(_LETTER_AFTER[char])
            continue
        base, *marks = unicodedata.normalize("NFD", char)
        key.append(base + ("\uffff" + "".join(marks) if marks else ""))
    return "".join(key), text


def service_label(obj: ServiceKind) -> str:
    return _("%(service)s (standard %(minutes)s min)") % {"service": obj.label, "minutes": obj.norm_minutes}


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceKind) -> str:
        return service_label(obj)


# The range of minutes (and whether a service outside the plan has a reason) is the service's rule
# (services.record_service): its errors are shown on these fields.
MINUTES_ERRORS = {
    "required": _("Enter how many minutes the service took."),
    "invalid": _("Enter the minutes as a whole number, for example 30."),
}


# The choice that reveals the whole catalogue beside the services of the person's plan.
OTHER_SERVICE = "other"


class PlanServiceField(ServiceChoiceField):
    """The services of the plan as radios, and "another service" (OTHER_SERVICE), which the form resolves to
    the service chosen from the catalogue. Any active service's id is understood too (it is then simply a
    service outside the plan: the service asks for the reason)."""

    def to_python(self, value):
        return OTHER_SERVICE if value == OTHER_SERVICE else super().to_python(value)


class ServiceDeliveryForm(OneTimeFormMixin, forms.Form):
    service = ServiceChoiceField(label=_("Service"), queryset=ServiceKind.objects.none(),
                                 empty_label=_("Choose a service"),
                                 error_messages={"required": _("Choose the service that was delivered."),
                                                 "invalid_choice": _("Choose a service from the list.")})
    other_service = ServiceChoiceField(label=_("Which service?"), queryset=ServiceKind.objects.none(),
                                       required=False, empty_label=_("Choose a service"),
                                       error_messages={"invalid_choice": _("Choose a service from the list.")})
    minutes = forms.IntegerField(label=_("Minutes"),
                                 error_messages=MINUTES_ERRORS,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3",
                                                               "autocomplete": "off"}))
    unplanned_reason = forms.CharField(
        label=_("Why was this service delivered? (only for a service not in the plan)"), required=False,
        max_length=300, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, planned_ids: set[int] | None = None, recorded_ids: Collection[int] = (), **kwargs):
        """`planned_ids`: the services of the person's plan (None: no plan); `recorded_ids`: services already
        recorded for the person today. With a plan, its services are the choices (radios, large enough for a
        thumb) and "another service" reveals the rest of the catalogue with the reason; the first planned
        service not yet recorded today is chosen for the worker. Without a plan, the catalogue as one list.
        Names are sorted in the active language."""
        super().__init__(*args, **kwargs)
        self.planned_ids = planned_ids
        active = ServiceKind.objects.filter(is_active=True)
        kinds = sorted(active, key=lambda s: label_sort_key(s.label))
        if planned_ids is None:
            self.fields["service"].queryset = active
            self.fields["service"].choices = [("", _("Choose a service"))] + [(s.pk, service_label(s)) for s in kinds]
            del self.fields["other_service"]
            self.fields["unplanned_reason"].widget = forms.HiddenInput()
            return
        planned = [s for s in kinds if s.pk in planned_ids]
        others = [s for s in kinds if s.pk not in planned_ids]
        self.fields["service"] = PlanServiceField(
            label=_("Which service was delivered?"), queryset=active, widget=forms.RadioSelect,
            error_messages={"required": _("Choose the service that was delivered."),
                            "invalid_choice": _("Choose a service from the list.")})
        self.fields["service"].choices = [(s.pk, service_label(s)) for s in planned] + [
            (OTHER_SERVICE, _("Another service (not in the plan)"))]
        self.fields["other_service"].queryset = active.exclude(pk__in=planned_ids)
        self.fields["other_service"].choices = [("", _("Choose a service"))] + [
            (s.pk, service_label(s)) for s in others]
        self.fields["unplanned_reason"].label = _("Why was this service delivered?")
        self.order_fields(["service", "other_service", "unplanned_reason", "minutes"])
        if not self.is_bound:
            due = next((s for s in planned if s.pk not in recorded_ids), None)
            self.initial.setdefault("service", due.pk if due is not None else OTHER_SERVICE)

    def clean(self):
        data = super().clean()
        if data.get("service") == OTHER_SERVICE:
            data["service"] = data.get("other_service")
            if data["service"] is None and "other_service" not in self.errors:
                self.add_error("other_service", _("Choose the service that was delivered."))
        data.pop("other_service", None)
        return data


class CheckOutForm(forms.Form):
    notes = forms.CharField(label=_("Notes about the visit (optional)"), required=False, max_length=4000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Only what the team needs to know. The person's rating is theirs "
                                        "to give."))
    # Required by the service only when no service is recorded; the view drops it otherwise.
    no_service_reason = forms.CharField(label=_("Why was no service delivered?"), required=False, max_length=300,
                                        help_text=_("For example: the person was not at home, or refused help."),
                                        widget=forms.Textarea(attrs={"rows": 2}))


class CancelVisitForm(OneTimeFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why is the visit cancelled?"), max_length=300,
                             help_text=_("For example: the wrong person's card was scanned. The head of your "
                                         "department sees the reason."),
                             error_messages={"required": _("Say why the visit is cancelled, for example: wrong "
                                                           "person's card.")},
                             widget=forms.Textarea(attrs={"rows": 2}))


class ServiceCorrectionForm(OneTimeFormMixin, forms.Form):
    minutes = forms.IntegerField(label=_("Minutes"), error_messages=MINUTES_ERRORS,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3",
                                                               "autocomplete": "off"}))
    # Required by the service after check-out (the head's correction).
    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class RatingForm(forms.Form):
    """Rendered by hand in rating_form.html (large radio buttons); validation only here."""

    score = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in SCORES], coerce=int,
        error_messages={"required": _("Choose a number from 1 to 10."),
                        "invalid_choice": _("Choose a number from 1 to 10.")})
    comment = forms.CharField(required=False, max_length=1000, strip=True,
                              error_messages={"max_length": _("Please keep your comment under %(limit_value)s "
                                                              "characters.")})
    lang = forms.CharField(required=False, max_length=8, widget=forms.HiddenInput)


class RatingCodeForm(forms.Form):
    code = forms.CharField(max_length=300, strip=True,
                           error_messages={"required": _("Type the code from your card or from the worker's "
                                                         "screen.")})


class FlagCheckForm(forms.Form):
    comment = forms.CharField(label=_("What did you find?"), max_length=1000,
                              help_text=_("For example: I called the client, who was in hospital that day. Other "
                                          "heads of the department see your comment."),
                              error_messages={"required": _("Say what you found when you looked at it.")},
                              widget=forms.Textarea(attrs={"rows": 3}))
    # The latest rating of the run the head saw (worker-level flags): a longer run since is a new flag.
    rating = forms.IntegerField(required=False, widget=forms.HiddenInput)
