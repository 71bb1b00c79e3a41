"""Django forms come out as GOV.UK Frontend markup."""

from django import forms


class SampleForm(forms.Form):
    name = forms.CharField(label="Name", help_text="As on the document.")
    born = forms.DateField(label="Born", widget=forms.DateInput(attrs={"class": "govuk-input--width-10"}))
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)


def test_fields_get_labels_hints_and_error_messages_linked_for_screen_readers():
    html = str(SampleForm(data={"name": "", "born": "x", "kind": "a"}))
    assert 'class="govuk-error-summary"' in html
    assert '<a href="#id_name">' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'id="id_name_error"' in html and 'aria-describedby="id_name_helptext id_name_error"' in html


def test_a_widgets_own_width_class_is_kept():
    html = str(SampleForm())
    assert 'class="govuk-input govuk-input--width-10"' in html


def test_radios_are_a_fieldset_with_a_legend():
    html = str(SampleForm())
    assert '<fieldset class="govuk-fieldset"' in html and "govuk-fieldset__legend" in html
    assert 'class="govuk-radios__input"' in html
