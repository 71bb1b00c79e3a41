from django import forms
from django.utils.translation import gettext_lazy as _

from socmon.lib.forms import OneTimeFormMixin

from .models import Campaign, Invitation, Questionnaire, QuestionnaireVersion

MAX_UPLOAD = 2 * 1024 * 1024


class XLSFormFileField(forms.FileField):
    def __init__(self, **kwargs):
        super().__init__(label=_("XLSForm file (.xlsx)"), **kwargs)
        self.widget.attrs.update({"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                  "class": "govuk-file-upload"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 2 MB. An XLSForm is usually much smaller."))
        return upload


class VersionUploadForm(forms.Form):
    file = XLSFormFileField()


class QuestionnaireUploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Leave empty to use the form_title of the XLSForm's settings sheet."))
    org_unit = forms.ModelChoiceField(label=_("Unit that owns it"), queryset=None, empty_label=None)
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Questionnaire.Purpose.choices,
                                initial=Questionnaire.Purpose.OTHER)
    file = XLSFormFileField()

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units

class CampaignForm(OneTimeFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("For example: Client survey, first half of 2026"),
                            error_messages={"required": _("Give the campaign a title.")})
    version = forms.ModelChoiceField(label=_("Questionnaire"), queryset=QuestionnaireVersion.objects.none(),
                                     empty_label=None,
                                     error_messages={"required": _("Choose the questionnaire."),
                                                     "invalid_choice": _("Choose the questionnaire.")})
    kind = forms.ChoiceField(label=_("Kind of survey"), choices=Campaign.Kind.choices, widget=forms.RadioSelect,
                             error_messages={"required": _("Choose the kind of survey.")})
    period_start = forms.DateField(label=_("First day of the period"),
                                   error_messages={"required": _("Enter the first day of the period."),
                                                   "invalid": _("Enter the first day as a date, like 2026-01-01.")},
                                   widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Last day of the period"),
                                 error_messages={"required": _("Enter the last day of the period."),
                                                 "invalid": _("Enter the last day as a date, like 2026-06-30.")},
                                 widget=forms.DateInput(attrs={"type": "date"}))
    sample_size = forms.IntegerField(label=_("Size of the random sample"), min_value=1, max_value=200,
                                     required=False, initial=10,
                                     help_text=_("Only for a random sample. 000's yearly survey asks 10 people."))

    def __init__(self, *args, versions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].queryset = versions if versions is not None else QuestionnaireVersion.objects.none()
        self.fields["version"].label_from_instance = lambda v: f"{v.questionnaire.title} (v{v.number})"


class ModeForm(forms.Form):
    mode = forms.ChoiceField(label=_("How does the client answer?"), choices=Invitation.Mode.choices,
                             widget=forms.RadioSelect,
                             error_messages={"required": _("Choose how the client answers.")})


class DeclineForm(OneTimeFormMixin, forms.Form):
    reason = forms.CharField(label=_("Why did the client decline?"), max_length=300,
                             help_text=_("In the client's words if you can, for example: does not want to be "
                                         "asked. In a random sample, the next client drawn is invited instead."),
                             error_messages={"required": _("Say why the client declined.")},
                             widget=forms.Textarea(attrs={"rows": 2}))
