"""Django forms rendered as GOV.UK Frontend markup: labels, hints, error messages, error summary."""

import functools
import re
import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting

# Widget templates swapped for GOV.UK markup; everything else keeps Django's own.
WIDGET_TEMPLATES = {
    "django/forms/widgets/radio.html": "forms/widgets/radios.html",
    "django/forms/widgets/checkbox_select.html": "forms/widgets/checkboxes.html",
}


def widget_kind(widget: forms.Widget) -> str:
    if widget.is_hidden:
        return "hidden"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # first: Django derives it from RadioSelect
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


CSS_CLASSES = {
    "radios": "govuk-radios__input",
    "checkboxes": "govuk-checkboxes__input",
    "checkbox": "govuk-checkboxes__input",
    "select": "govuk-select",
    "textarea": "govuk-textarea",
    "input": "govuk-input",
}


class GovukBoundField(BoundField):
    @property
    def govuk_kind(self) -> str:
        return widget_kind(self.field.widget)

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        kind = widget_kind(widget)
        css = CSS_CLASSES.get(kind)
        if css:
            if self.errors and kind in {"select", "textarea", "input"}:
                css += f" {css}--error"
            # Keep the widget's own classes (e.g. govuk-input--width-10) beside ours.
            own = f"{widget.attrs.get('class', '')} {attrs.get('class', '')}".split()
            attrs["class"] = " ".join(dict.fromkeys([css, *own]))
        return attrs


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"
    bound_field_class = GovukBoundField

    def get_template(self, template_name):
        return super().get_template(WIDGET_TEMPLATES.get(template_name, template_name))


# Every id column is at most a signed 64-bit integer. Django guards `=` against larger numbers but not
# `IN`: PostgreSQL answers a DataError (a 500) for a 20-digit id in a multiple choice.
MAX_ID = 2**63 - 1


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with an id too large for the database refused as an invalid choice. Use it for every
    multiple choice of rows (a test keeps Django's own out of socmon's forms)."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if isinstance(self.queryset.model._meta.get_field(key if key != "pk" else
                                                          self.queryset.model._meta.pk.name), models.IntegerField):
            for item in value if isinstance(value, (list, tuple)) else ():
                try:
                    too_large = abs(int(str(item).strip())) > MAX_ID
                except ValueError:
                    continue  # Django's own check says what is wrong with it
                if too_large:
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": str(item)[:30]})
        return super()._check_values(value)


def show_error(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: an error keyed by a field of the form on that field
    (`ValidationError({"minutes": …})`), anything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def apply_service(form, service, /, **kwargs):
    """Run a service for a valid form. Its ValidationError becomes a form error on the field it names (and
    None is returned); otherwise the service's result, or True for a service that returns nothing."""
    try:
        result = service(**kwargs)
    except ValidationError as error:
        show_error(form, error)
        return None
    return True if result is None else result


# --- One-time form keys: a form sent twice writes once -------------------------------------------------

FORM_KEY = "form_key"
_KEY_FORMAT = re.compile(r"[A-Za-z0-9_-]{16,64}")


class OneTimeFormMixin:
    """Puts a one-time key into the form as a hidden field. The view that writes is wrapped in
    `once_per_form_key`; the key never reaches `cleaned_data` (services need not know of it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[FORM_KEY] = forms.CharField(widget=forms.HiddenInput, required=False,
                                                initial=secrets.token_urlsafe(18))

    def full_clean(self):
        super().full_clean()
        if hasattr(self, "cleaned_data"):
            self.cleaned_data.pop(FORM_KEY, None)


class _SentBefore(Exception):
    pass


def once_per_form_key(view):
    """For a view whose successful POST writes and redirects: the form's one-time key is stored in the
    same transaction as the write, so a second POST of the same form (even at the same moment) stores
    nothing and goes where the first one led, with a message saying so."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        from .models import UsedFormKey

        key = request.POST.get(FORM_KEY, "") if request.method == "POST" else ""
        if not _KEY_FORMAT.fullmatch(key) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            with transaction.atomic():
                if UsedFormKey.objects.filter(key=key).exists():
                    raise _SentBefore
                response = view(request, *args, **kwargs)
                if response.status_code in (301, 302, 303):  # the view wrote and leads to the result
                    try:
                        with transaction.atomic():
                            UsedFormKey.objects.create(key=key, user=request.user, url=response["Location"])
                    except IntegrityError:  # the same form, sent at the same moment, was stored first
                        raise _SentBefore from None
                return response
        except _SentBefore:
            return _sent_before(request, key)

    return wrapped


def _sent_before(request, key: str):
    from django.contrib import messages
    from django.contrib.messages.storage import default_storage
    from django.shortcuts import redirect
    from django.utils.translation import gettext as _

    from .models import UsedFormKey

    request._messages = default_storage(request)  # drop what the undone attempt said ("… was saved")
    first = UsedFormKey.objects.filter(key=key, user=request.user).first()
    messages.info(request, _("This form had already been sent, so nothing was saved a second time."))
    return redirect(first.url if first and first.url else request.get_full_path())
