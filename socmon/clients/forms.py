"""Input parsing for the client pages. The rules (dates, coordinates in pairs, who may be assigned) are the
services': their field-keyed errors are shown on these fields by socmon.lib.forms.apply_service."""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from socmon.accounts.models import User
from socmon.catalogue.models import ClientCategory
from socmon.lib.forms import ModelMultipleChoiceField, OneTimeFormMixin
from socmon.lib.query import clean_query

from .access import workers_of
from .models import Application, Client
from .units import with_parent

PHONE = RegexValidator(r"^\+?[0-9][0-9 ()\-]{4,24}$",
                       _("Enter a phone number with digits, spaces and brackets, for example +7 701 234 56 78."))


def _unit_label(department) -> str:
    """A department in a choice: with its institution (registration_departments annotates parent_name)."""
    return with_parent(department.name, getattr(department, "parent_name", None))


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}, format="%Y-%m-%d")


class CoordinateField(forms.Field):
    """A latitude or longitude typed as a number (a comma works as the decimal mark), kept to 6 places."""

    widget = forms.TextInput

    def __init__(self, *, limit: int, message, **kwargs):
        self.limit, self.message = limit, message
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input--width-10", "inputmode": "decimal", "spellcheck": "false"})

    def to_python(self, value):
        value = (value or "").strip().replace(",", ".").replace(" ", "")
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError(self.message, code="invalid") from None
        if not number.is_finite() or not -self.limit <= number <= self.limit:
            raise forms.ValidationError(self.message, code="range")
        return number.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


class ClientForm(forms.Form):
    """The person's record: the fields a staff member enters at registration and may correct later."""

    first_name = forms.CharField(label=_("First name"), max_length=100,
                                 error_messages={"required": _("Enter the person's first name.")})
    last_name = forms.CharField(label=_("Last name"), max_length=100,
                                error_messages={"required": _("Enter the person's last name.")})
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=date_input(),
        error_messages={"required": _("Enter the date of birth."),
                        "invalid": _("Enter the date of birth as a real date, for example 1956-03-27.")})
    sex = forms.ChoiceField(label=_("Sex"), choices=Client.Sex.choices, widget=forms.RadioSelect,
                            error_messages={"required": _("Choose the person's sex."),
                                            "invalid_choice": _("Choose the person's sex.")})
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=ClientCategory.objects.filter(is_active=True), empty_label=_("Choose…"),
        help_text=_("The group the person belongs to, for the services and reports."),
        error_messages={"required": _("Choose the person's category."),
                        "invalid_choice": _("Choose a category from the list.")})
    language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES, initial="ru",
                                 error_messages={"invalid_choice": _("Choose a language from the list.")})
    document_number = forms.CharField(label=_("Identity document number (optional)"), max_length=40,
                                      required=False,
                                      help_text=_("Only if the person shows a document. It helps to find "
                                                  "a person who is already registered."))
    address = forms.CharField(label=_("Address"), max_length=300,
                              error_messages={"required": _("Enter the address where services are given.")})
    latitude = CoordinateField(label=_("Latitude (optional)"), limit=90,
                               help_text=_("For the map of visits: a number between -90 and 90, for example "
                                           "43.3012."),
                               message=_("Enter the latitude as a number between -90 and 90, for example 43.3012."))
    longitude = CoordinateField(label=_("Longitude (optional)"), limit=180,
                                help_text=_("A number between -180 and 180, for example 77.2411."),
                                message=_("Enter the longitude as a number between -180 and 180, for example "
                                          "77.2411."))
    access_notes = forms.CharField(
        label=_("How to get in (optional)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For whoever visits: entrance, floor, intercom code, where the key is, a dog in the yard."))
    phone = forms.CharField(label=_("Phone (optional)"), max_length=40, required=False, validators=[PHONE])
    trusted_person_name = forms.CharField(label=_("Trusted person (optional)"), max_length=200, required=False,
                                          help_text=_("A relative or another person the client trusts, who may "
                                                      "be contacted."))
    trusted_person_phone = forms.CharField(label=_("Trusted person's phone (optional)"), max_length=40,
                                           required=False, validators=[PHONE])
    accessibility_needs = forms.MultipleChoiceField(
        label=_("Accessibility needs"), choices=Client.Need.choices, widget=forms.CheckboxSelectMultiple,
        required=False, help_text=_("Select all that apply. Leave empty if none."),
        error_messages={"invalid_choice": _("Choose accessibility needs from the list.")})
    consent_given_on = forms.DateField(
        label=_("Consent to data processing given on"), widget=date_input(),
        error_messages={"required": _("Enter the date the person gave consent. Without consent the person "
                                      "cannot be registered."),
                        "invalid": _("Enter the date of consent as a real date, for example 2026-01-15.")})
    consent_scope = forms.CharField(
        label=_("What the consent covers"), max_length=300,
        help_text=_("For example: processing of personal data to provide social services; reports show only "
                    "the client code."),
        error_messages={"required": _("Enter what the person's consent covers.")})

    sections = [
        (_("About the person"), ["first_name", "last_name", "birth_date", "sex", "category", "language",
                                 "document_number"]),
        (_("Address and contacts"), ["address", "latitude", "longitude", "access_notes", "phone", "trusted_person_name",
                                     "trusted_person_phone"]),
        (_("Accessibility"), ["accessibility_needs"]),
        (_("Consent"), ["consent_given_on", "consent_scope"]),
    ]

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        super().__init__(*args, **kwargs)
        # The phone keypad; no autocomplete="tel": the browser would offer the staff member's own number.
        phone = {"type": "tel", "inputmode": "tel", "autocomplete": "off", "spellcheck": "false"}
        self.fields["phone"].widget.attrs.update(phone)
        self.fields["trusted_person_phone"].widget.attrs.update(phone)

    def fieldsets(self):
        for title, names in self.sections:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield title, fields

    def person(self) -> dict:
        """The person's fields in the shape clients.services takes."""
        return {name: self.cleaned_data[name] for name in self.person_fields()}

    @staticmethod
    def person_fields() -> list[str]:
        return [name for _title, fields in ClientForm.sections for name in fields]

    @staticmethod
    def initial_from(client: Client) -> dict:
        return {name: getattr(client, name) for name in ClientForm.person_fields()}


class ApplicationFieldsMixin(forms.Form):
    channel = forms.ChoiceField(
        label=_("How did the application come in?"), choices=Application.Channel.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the application came in."),
                        "invalid_choice": _("Choose how the application came in from the list.")})
    request_text = forms.CharField(
        label=_("What does the person ask for?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("In the person's own words where possible."),
        error_messages={"required": _("Enter what the person asks for.")})
    received_on = forms.DateField(
        label=_("Date received"), widget=date_input(),
        error_messages={"required": _("Enter the date the application was received."),
                        "invalid": _("Enter the date received as a real date, for example 2026-01-15.")})


class ApplicationForm(ApplicationFieldsMixin):
    """A new application from someone who is already a client."""

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        kwargs.setdefault("initial", {"received_on": self.today})
        super().__init__(*args, **kwargs)


class RegisterForm(OneTimeFormMixin, ApplicationFieldsMixin, ClientForm):
    """Registration of an application with the new client's record (R-2.1)."""

    department = forms.ModelChoiceField(
        label=_("Department"), queryset=None, empty_label=_("Choose…"),
        help_text=_("The department that will serve the person."),
        error_messages={"required": _("Choose the department that will serve the person."),
                        "invalid_choice": _("Choose a department from the list.")})
    worker = forms.TypedChoiceField(
        label=_("Social worker"), coerce=int, required=False, empty_value=None,
        help_text=_("The person joins this worker's list of clients from today. Leave as it is to assign later "
                    "on the caseloads page."),
        error_messages={"invalid_choice": _("Choose a social worker from the list.")})

    sections = [(_("The application"), ["channel", "request_text", "received_on", "department", "worker"]),
                *ClientForm.sections]
    # The error summary lists problems in the order the page shows the fields.
    field_order = [name for _title, names in sections for name in names]

    def __init__(self, *args, departments, assign_self: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", self.today)
        self.fields["department"].queryset = departments
        self.fields["department"].label_from_instance = _unit_label
        self.departments = list(departments)
        # A worker or head registers for their own department: nothing to choose.
        self.only_department = self.departments[0] if len(self.departments) == 1 else None
        if self.only_department is not None:
            del self.fields["department"]
        if assign_self:
            del self.fields["worker"]
        else:
            self.fields["worker"].choices = [("", _("Nobody yet"))] + [
                (_unit_label(d), [(w.pk, str(w)) for w in workers_of(d)]) for d in self.departments]

    def clean(self):
        data = super().clean()
        if self.only_department is not None:
            data["department"] = self.only_department
        department, worker_pk = data.get("department"), data.get("worker")
        if department is not None and worker_pk is not None:
            # One of the listed workers; whether they work in the chosen department is the service's rule.
            data["worker"] = User.objects.filter(pk=worker_pk).first()
        return data


class PurposeForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need to open this record?"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: covering a visit while a colleague is on leave. Your department head sees "
                    "what you write, with the date and time."),
        error_messages={"required": _("Enter why you need to open this record."),
                        "max_length": _("Keep the purpose to 300 characters or fewer.")})


class AssignForm(forms.Form):
    """Select clients of the department and the worker who takes them."""

    clients = ModelMultipleChoiceField(
        label=_("Clients"), queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Select at least one client."),
                        "invalid_choice": _("Select clients of this department only."),
                        "invalid_pk_value": _("Select clients of this department only.")})
    worker = forms.ModelChoiceField(
        label=_("Give the selected clients to"), queryset=None, empty_label=_("Choose…"),
        error_messages={"required": _("Choose the social worker who will take the clients."),
                        "invalid_choice": _("Choose a social worker of this department.")})

    def __init__(self, *args, department, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clients"].queryset = Client.objects.filter(org_unit=department)
        self.fields["worker"].queryset = workers_of(department)


class HandOverForm(forms.Form):
    """All clients of one worker (who leaves, or is away for long) to another worker."""

    from_worker = forms.ModelChoiceField(
        label=_("Move all clients of"), queryset=None, empty_label=_("Choose…"),
        error_messages={"required": _("Choose the social worker whose clients move."),
                        "invalid_choice": _("Choose a social worker from the list.")})
    to_worker = forms.ModelChoiceField(
        label=pgettext_lazy("hand clients over to", "To"), queryset=None, empty_label=_("Choose…"),
        error_messages={"required": _("Choose the social worker who takes over the clients."),
                        "invalid_choice": _("Choose a social worker of this department.")})

    def __init__(self, *args, department, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_worker"].queryset = holders
        self.fields["to_worker"].queryset = workers_of(department)


class ClientSearchForm(forms.Form):
    """The client list's search: a name or a code, and a date of birth (a worker needs it, with a name, to
    find a client who is not on their list)."""

    q = forms.CharField(required=False, strip=False)
    born = forms.DateField(required=False, widget=date_input(), error_messages={
        "invalid": _("Enter the date of birth as a real date, for example 1956-03-27.")})

    def clean_q(self):
        return clean_query(self.cleaned_data["q"])
