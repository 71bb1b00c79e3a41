"""allauth's forms with our own labels, so every language (Kazakh included) reads them."""

from allauth.account import forms as account_forms
from allauth.account.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
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


def _password_field(form, name: str, label, required) -> None:
    field = form.fields[name]
    field.label = label
    field.help_text = ""
    field.widget.attrs["placeholder"] = ""
    field.error_messages["required"] = required


class ChangePasswordForm(account_forms.ChangePasswordForm):
    """Changing one's own password: the current one first (a temporary one from the administrator counts)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _password_field(self, "oldpassword", _("Current password"), _("Enter your current password."))
        _password_field(self, "password1", _("New password"), _("Enter a new password."))
        _password_field(self, "password2", _("New password again"), _("Enter the new password again."))
        self.fields["password1"].help_text = _("At least 10 characters. Not a common password, not only numbers "
                                               "and not like your name or username.")

    def clean_oldpassword(self):
        # allauth says "enter your current password" for a wrong one too; say that it is wrong.
        if not self.user.check_password(self.cleaned_data.get("oldpassword", "")):
            raise get_adapter().validation_error("incorrect_password")
        return self.cleaned_data["oldpassword"]

    def clean(self):
        # allauth's own wording for two different passwords has no Kazakh; say it in ours.
        data = forms.Form.clean(self)
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two new passwords are not the same. Enter the same one twice."))
        return data


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
