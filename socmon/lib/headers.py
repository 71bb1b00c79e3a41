"""Response headers every page gets: no copies of pages kept by browsers or proxies, no powerful features.

- ``Cache-Control: no-store, private`` on every response that does not set its own: nearly every page shows
  personal data (and the few that do not, such as the sign-in page, gain nothing from a cache), exports and
  cards included. A shared computer's back button and a proxy then keep nothing. Static files are left to
  the static-file server, which makes them cacheable.
- ``Permissions-Policy`` turns off the camera, geolocation, microphone and the like everywhere; a view
  that needs one says so with ``@allow_features("camera", "geolocation")`` (the check-in scanner).
"""

from functools import wraps

from django.conf import settings

FEATURES = ("accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
            "microphone", "payment", "usb")
NO_STORE = "no-store, private"


def permissions_policy(allowed: frozenset[str] = frozenset()) -> str:
    """`feature=()` for each feature, `feature=(self)` for the allowed ones."""
    return ", ".join(f"{name}=(self)" if name in allowed else f"{name}=()" for name in FEATURES)


def allow_features(*names: str):
    """Let this view's pages use the named browser features (on our own origin only)."""
    unknown = set(names) - set(FEATURES)
    if unknown:
        raise ValueError(f"Unknown browser features: {sorted(unknown)}")
    policy = permissions_policy(frozenset(names))

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Permissions-Policy"] = policy
            return response
        return wrapper
    return decorator


class PrivacyHeadersMiddleware:
    """Adds the headers above to every response that has not set them itself."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        self.default_policy = permissions_policy()

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.default_policy)
        if not request.path.startswith(self.static_prefix):
            response.headers.setdefault("Cache-Control", NO_STORE)
        return response
