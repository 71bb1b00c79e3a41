from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext


class UserLanguageMiddleware:
    """A signed-in person's saved language applies on a device that has no language cookie yet.

    Sits after AuthenticationMiddleware: LocaleMiddleware has already chosen from the cookie or the
    browser, and this only steps in when there is no cookie.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        saved = getattr(getattr(request, "user", None), "language", "")
        apply = bool(saved) and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        if apply:
            translation.activate(saved)
            request.LANGUAGE_CODE = saved
        response = self.get_response(request)
        if apply:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, saved, max_age=settings.LANGUAGE_COOKIE_AGE,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


SESSION_TOUCH_SECONDS = 60


class SlidingSessionMiddleware:
    """Keeps a signed-in person's session alive while they use socmon, writing it at most once a minute.

    The idle timeout (SESSION_COOKIE_AGE) counts from the session's last write. Django's
    SESSION_SAVE_EVERY_REQUEST would write the session row on every request, one more query on every page;
    here a session is written again once its last write is a minute old, so it may end up to a minute before
    the idle time is up, never after. Sits below SessionMiddleware, which saves what this marks.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.modified:
            now = int(timezone.now().timestamp())
            if now - session.get("_written_at", 0) >= SESSION_TOUCH_SECONDS:
                session["_written_at"] = now
        return response


class ExpiredSessionMiddleware:
    """Tell a person whose session ended while idle why they are asked to sign in again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if cookie and not request.user.is_authenticated and request.session.session_key is None:
            minutes = settings.SESSION_COOKIE_AGE // 60
            messages.info(request, ngettext("Your session ended after %(minutes)s minute without activity. "
                                            "Please sign in again.",
                                            "Your session ended after %(minutes)s minutes without activity. "
                                            "Please sign in again.", minutes) % {"minutes": minutes})
        return self.get_response(request)


# What someone who must change their password may still open: the change itself, signing out, and the page
# settings (language, text size, accessibility statement) they may need to read it.
OPEN_WHILE_PASSWORD_MUST_CHANGE = frozenset({"account_change_password", "account_logout", "switch_language",
                                             "text_size", "accessibility"})


class PasswordChangeRequiredMiddleware:
    """After an administrator set a temporary password, every page sends the person to change it.

    The flag (`User.must_change_password`) is set with the temporary password and cleared when the person
    changes it (socmon.accounts.services.change_own_password). Requests of any method are held back: nothing
    is done under a password somebody else knows.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if not (user and user.is_authenticated and user.must_change_password):
            return None
        if request.resolver_match and request.resolver_match.view_name in OPEN_WHILE_PASSWORD_MUST_CHANGE:
            return None
        target = reverse("account_change_password")
        if getattr(request, "htmx", False):
            return HttpResponse(status=204, headers={"HX-Redirect": target})
        return redirect(target)
