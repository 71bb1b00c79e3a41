from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ServiceKind

OTHER_LANGUAGES = [("ru", _("Name in Russian")), ("az", _("Name in Azerbaijani")), ("kk", _("Name in Kazakh")),
                   ("ro", _("Name in Romanian"))]


class ServiceKindForm(forms.Form):
    domain = forms.ChoiceField(label=_("Kind of service"), choices=ServiceKind.Domain.choices,
                               error_messages={"invalid_choice": _("Choose a kind of service from the list.")})
    name = forms.CharField(label=_("Name in English"), max_length=200,
                           error_messages={"required": _("Enter the name of the service in English.")})
    name_ru = forms.CharField(label=OTHER_LANGUAGES[0][1], max_length=200, required=False)
    name_az = forms.CharField(label=OTHER_LANGUAGES[1][1], max_length=200, required=False,
                              help_text=_("In Latin script."))
    name_kk = forms.CharField(label=OTHER_LANGUAGES[2][1], max_length=200, required=False,
                              help_text=_("In Cyrillic script."))
    name_ro = forms.CharField(label=OTHER_LANGUAGES[3][1], max_length=200, required=False)
    code = forms.SlugField(label=_("Code"), max_length=60,
                           help_text=_("A short unique code: letters, numbers and hyphens, for example cleaning."))
    norm_minutes = forms.IntegerField(
        label=_("Standard time in minutes"), min_value=1, max_value=480,
        help_text=_("How long the service normally takes, from 1 to 480 minutes (8 hours)."),
        error_messages={"required": _("Enter the standard time in minutes."),
                        "invalid": _("Enter the standard time as a whole number of minutes, for example 45."),
                        "min_value": _("The standard time must be at least 1 minute."),
                        "max_value": _("The standard time must be at most 480 minutes (8 hours).")},
        # A text input with the number keypad, as GOV.UK asks for numbers (type="number" changes on a scroll).
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric", "spellcheck": "false",
                                      "autocomplete": "off"}),
    )
    is_active = forms.BooleanField(label=_("Offered: show this service to workers"), required=False, initial=True)

    def __init__(self, *args, instance: ServiceKind | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(instance)
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(service: ServiceKind) -> dict:
        initial = {f: getattr(service, f) for f in ("domain", "name", "code", "norm_minutes", "is_active")}
        for language, _label in OTHER_LANGUAGES:
            initial[f"name_{language}"] = service.name_i18n.get(language, "")
        return initial

    def clean_code(self):
        code = self.cleaned_data["code"]
        taken = ServiceKind.objects.filter(code=code)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("Another service already uses this code."))
        return code

    def service_fields(self) -> dict:
        """The cleaned data in the shape the services take: translations folded into `name_i18n`."""
        data = self.cleaned_data
        names = {language: data[f"name_{language}"].strip() for language, _label in OTHER_LANGUAGES
                 if data[f"name_{language}"].strip()}
        return {"domain": data["domain"], "name": data["name"].strip(), "name_i18n": names, "code": data["code"],
                "norm_minutes": data["norm_minutes"], "is_active": data["is_active"]}
