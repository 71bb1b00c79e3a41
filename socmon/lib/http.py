"""Small guards for what a request may ask: where to go next, and how much it may send."""

from functools import wraps

from django.http import HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def safe_next(request, default: str = "/") -> str:
    """The `next` address of the request (POST, then GET) if it is a path on this site, else `default`.

    Only absolute paths ("/clients/") pass: another host, another scheme, "//host", "x" (which a redirect
    would try to read as a URL name) and control characters all give `default`.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and target.isprintable() and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def max_body(limit: int):
    """Refuse a request body over `limit` bytes with 413 before anything reads it (public pages)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = limit + 1
            if length > limit:
                return HttpResponse(_("What was sent is too large."), status=413,
                                    content_type="text/plain; charset=utf-8")
            return view(request, *args, **kwargs)
        return wrapper
    return decorator
