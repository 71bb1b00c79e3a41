from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Questionnaire

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
