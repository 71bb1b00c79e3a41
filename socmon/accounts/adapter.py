import base64
import hashlib
from functools import cache

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# allauth's own wording has no Kazakh catalogue; we say these in our words, in all five languages.
ERROR_MESSAGES = {
    "username_password_mismatch": _("The username or password is not right. Check them and try again."),
    "incorrect_code": _("That code is not right. Enter the code your authenticator app shows now."),
    "incorrect_password": _("That password is not right."),
    "rate_limited": _("Too many attempts. Wait a few minutes and try again."),
    "too_many_login_attempts": _("Too many attempts. Wait a few minutes and try again."),
    "enter_current_password": _("Enter your current password."),
}

MESSAGES = {
    "account/messages/logged_out.txt": _("You have signed out."),
    "mfa/messages/totp_activated.txt": _("Your authenticator app is on. Keep your recovery codes safe."),
    "mfa/messages/totp_deactivated.txt": _("Your authenticator app is off."),
    "mfa/messages/recovery_codes_generated.txt": _("New recovery codes were made. The old ones no longer work."),
    "account/messages/password_changed.txt": _("Your password was changed."),
}


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators on the Organisation page; nobody signs themselves up."""

    error_messages = {**DefaultAccountAdapter.error_messages, **ERROR_MESSAGES}

    def is_open_for_signup(self, request):
        return False

    def respond_user_inactive(self, request, user):
        # allauth's own "inactive account" page is not mounted (socmon.accounts.urls): say it on sign-in.
        messages.error(request, _("This account has been switched off. Ask your administrator if you need it "
                                  "again."))
        return redirect("account_login")

    def set_password(self, user, password):
        # allauth's change-password form ends here: our service stores it, clears "must change" and audits.
        from .services import change_own_password

        change_own_password(by=user, password=password)

    def get_password_change_redirect_url(self, request):
        return reverse("mfa_index")

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="",
                    message=None):
        # Only the notices we word ourselves; allauth's others ("Successfully signed in as…") add noise.
        text = MESSAGES.get(message_template or "")
        if text:
            messages.add_message(request, messages.SUCCESS if level >= messages.SUCCESS else level, text)


@cache
def _fernet(key: str) -> Fernet:
    # Any long random string from the environment becomes a Fernet key (32 bytes, URL-safe base64).
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(key.encode()).digest()))


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are stored encrypted (Fernet: AES with an HMAC), under
    SOCMON_MFA_KEY from the environment, so a copy of the database alone cannot mint codes."""

    error_messages = {**DefaultMFAAdapter.error_messages, **ERROR_MESSAGES}

    def encrypt(self, text: str) -> str:
        return _fernet(settings.MFA_ENCRYPTION_KEY).encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet(settings.MFA_ENCRYPTION_KEY).decrypt(encrypted_text.encode()).decode()


def axes_username(request, credentials):
    """allauth's login form names the field `login`; axes locks by that username."""
    if credentials:
        name = credentials.get("username") or credentials.get("login")
        if name:
            return name
    return request.POST.get("login", "") if request else ""
