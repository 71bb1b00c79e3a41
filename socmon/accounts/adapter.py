from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib import messages
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

    def add_message(self, request, level, message_template=None, message_context=None, extra_tags="",
                    message=None):
        # Only the notices we word ourselves; allauth's others ("Successfully signed in as…") add noise.
        text = MESSAGES.get(message_template or "")
        if text:
            messages.add_message(request, messages.SUCCESS if level >= messages.SUCCESS else level, text)


class MFAAdapter(DefaultMFAAdapter):
    error_messages = {**DefaultMFAAdapter.error_messages, **ERROR_MESSAGES}


def axes_username(request, credentials):
    """allauth's login form names the field `login`; axes locks by that username."""
    if credentials:
        name = credentials.get("username") or credentials.get("login")
        if name:
            return name
    return request.POST.get("login", "") if request else ""
