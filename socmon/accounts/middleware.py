from django.conf import settings
from django.contrib import messages
from django.utils import translation
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
