from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Feedback, FeedbackCategory


class CategoryField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _categories():
    return FeedbackCategory.objects.filter(is_active=True)


class SenderForm(forms.Form):
    """What a client or a member of the public sends."""

    kind = forms.ChoiceField(label=_("What would you like to send?"), choices=Feedback.Kind.choices,
                             widget=forms.RadioSelect)
    category = CategoryField(label=_("What is it about?"), queryset=_categories(), empty_label=None,
                             widget=forms.RadioSelect)
    text = forms.CharField(label=_("Tell us in your own words"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()


class PublicForm(SenderForm):
    # Chosen among the institutions found by `institution_q` (the page shows at most a few, never them all);
    # the queryset only checks the choice.
    org_unit = UnitField(label=_("Which institution is it about?"), queryset=None, widget=forms.HiddenInput,
                         error_messages={"required": _("Find the institution and choose it."),
                                         "invalid_choice": _("Find the institution and choose it.")})
    institution_q = forms.CharField(label=_("Type part of its name, or its town or district"), max_length=100,
                                    required=False)
    anonymous = forms.BooleanField(label=_("Send without my name"), required=False)
    sender_name = forms.CharField(label=_("Your name (optional)"), max_length=200, required=False)
    sender_contact = forms.CharField(label=_("Phone or address for the answer (optional)"), max_length=200,
                                     required=False)
    # A field people never see (hidden by CSS and from screen readers): robots fill it in.
    website = forms.CharField(label=_("Leave this empty"), required=False)

    def __init__(self, *args, institutions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = institutions


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Type the code from your card"), max_length=200)


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("Type your feedback's tracking code"), max_length=64)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("What is still not resolved? (optional)"), max_length=4000, required=False,
                             widget=forms.Textarea(attrs={"rows": 3}))


class StaffForm(forms.Form):
    """Feedback said by phone or in person, noted by staff."""

    channel = forms.ChoiceField(label=_("How was it received?"), widget=forms.RadioSelect,
                                choices=[c for c in Feedback.Channel.choices if c[0] != Feedback.Channel.WEB])
    kind = forms.ChoiceField(label=_("Type"), choices=Feedback.Kind.choices, widget=forms.RadioSelect)
    category = CategoryField(label=_("Category"), queryset=_categories(), empty_label=None)
    org_unit = UnitField(label=_("Which unit is it about?"), queryset=None, empty_label=None)
    text = forms.CharField(label=_("What was said"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}))
    anonymous = forms.BooleanField(label=_("The person did not give their name"), required=False)
    sender_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    sender_contact = forms.CharField(label=_("Phone or address for the answer"), max_length=200, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].queryset = units
        self.fields["category"].queryset = _categories()


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer in plain words"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 5}))
    channel = forms.ChoiceField(label=_("How is the answer given?"), choices=Feedback.Channel.choices,
                                widget=forms.RadioSelect)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("Any"))] + Feedback.Status.choices)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("Any"))] + Feedback.Kind.choices)
    category = CategoryField(label=_("Category"), queryset=_categories(), required=False, empty_label=_("Any"))
    overdue = forms.BooleanField(label=_("Only overdue"), required=False)
    # Chosen with the unit picker (tree and search) above the filters: the units in reach are never listed.
    unit = forms.ModelChoiceField(label=_("Organisation unit"), queryset=None, required=False,
                                  widget=forms.HiddenInput,
                                  error_messages={"invalid_choice": _("Choose a unit from the list.")})

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _categories()
        self.fields["unit"].queryset = units
