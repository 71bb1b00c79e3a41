from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from socmon.lib.http import safe_next


@require_POST
def switch_language(request, code: str):
    """Switch the interface language; the choice is kept in a cookie and on the person's account."""
    available = dict(settings.LANGUAGES)
    response = HttpResponseRedirect(safe_next(request))
    if code not in available:
        messages.error(request, _("That language is not available. Choose one of the languages listed "
                                  "at the top of the page."))
        return response
    translation.activate(code)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite=settings.LANGUAGE_COOKIE_SAMESITE)
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    return response


@require_POST
def text_size(request):
    """Toggle large text for this browser (R-8.4): no account needed. (The rating pages carry it in the address.)"""
    response = HttpResponseRedirect(safe_next(request))
    if request.COOKIES.get("socmon_text") == "large":
        response.delete_cookie("socmon_text")
    else:
        response.set_cookie("socmon_text", "large", max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax")
    return response


@require_GET
def accessibility(request):
    return render(request, "accounts/accessibility.html")


def locked_out(request, credentials, *args, **kwargs):
    """What django-axes shows when an account is locked after repeated wrong passwords."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60))
    return render(request, "account/locked_out.html", {"cooloff_minutes": minutes}, status=429)
