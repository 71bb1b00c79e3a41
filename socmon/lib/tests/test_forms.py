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


def test_checkboxes_get_the_checkbox_style_not_the_radio_one():
    """Django derives CheckboxSelectMultiple from RadioSelect: a tick box styled as a radio drew its box apart
    from its label."""

    class Choose(forms.Form):
        many = forms.MultipleChoiceField(label="Many", choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)

    html = str(Choose())
    assert 'class="govuk-checkboxes__input"' in html and "govuk-radios__input" not in html


def test_a_services_field_keyed_error_is_shown_on_that_field_and_the_rest_above_the_form():
    from django.core.exceptions import ValidationError

    from socmon.lib.forms import apply_service

    def service():
        raise ValidationError({"born": "Not before 1900.", "elsewhere": "Something else went wrong."})

    form = SampleForm(data={"name": "Ann", "born": "1850-01-01", "kind": "a"})
    assert form.is_valid()
    assert apply_service(form, service) is None
    assert form.errors["born"] == ["Not before 1900."]
    assert form.non_field_errors() == ["Something else went wrong."]


def test_every_multiple_choice_of_rows_uses_the_field_that_refuses_overflowing_ids():
    """Django's own answers a 20-digit id with an OverflowError on SQLite (a 500)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    own = root / "lib" / "forms.py"
    offenders = [str(path.relative_to(root)) for path in root.rglob("*.py")
                 if "tests" not in path.parts and path != own
                 and "forms.ModelMultipleChoiceField(" in path.read_text(encoding="utf-8")]
    assert offenders == []
