from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


def _safe_next(request, default: str = "/") -> str:
    target = request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return default


@require_GET
def switch_language(request, code: str):
    """Switch the interface language; the choice is kept in a cookie and on the person's account."""
    available = dict(settings.LANGUAGES)
    response = redirect(_safe_next(request))
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


@require_GET
def text_size(request):
    """Toggle large text for this browser (R-8.4): no account needed, so clients can use it too."""
    response = redirect(_safe_next(request))
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
