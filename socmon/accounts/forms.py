"""allauth's forms with our own labels, so every language (Kazakh included) reads them."""

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django.utils.translation import gettext_lazy as _


def _code_field(form, label) -> None:
    field = form.fields["code"]
    field.label = label
    field.widget.attrs.update({"placeholder": "", "inputmode": "numeric", "autocomplete": "one-time-code",
                               "spellcheck": "false"})
    field.widget.attrs["class"] = "govuk-input--width-10"
    field.error_messages["required"] = _("Enter the code.")


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username")
        login.widget.attrs["placeholder"] = ""
        login.error_messages["required"] = _("Enter your username.")
        password = self.fields["password"]
        password.label = _("Password")
        password.help_text = ""
        password.widget.attrs["placeholder"] = ""
        password.error_messages["required"] = _("Enter your password.")
        self.fields.pop("remember", None)


class ReauthenticateForm(account_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["password"].widget.attrs["placeholder"] = ""
        self.fields["password"].error_messages["required"] = _("Enter your password.")


class AuthenticateForm(mfa_forms.AuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self, _("Authenticator or recovery code"))


class ReauthenticateCodeForm(mfa_forms.ReauthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self, _("Authenticator code"))


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field(self, _("Code from the app"))
