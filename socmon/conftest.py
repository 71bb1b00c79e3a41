import pytest
import time_machine

from socmon.test import ALLAUTH_BACKEND, TEST_NOW, build_world


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """Every non-browser test runs at TEST_NOW (the clock ticks on from there), whatever the wall clock says:
    the suite passes at any hour, on any day. Browser tests keep the real clock, which Chromium shares."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is right for production and needlessly slow for hundreds of test logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth's rate limits live in the cache; one test's failed sign-ins must not leak into the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    # A request in Russian leaves Russian active in the thread (LocaleMiddleware activates, nothing resets):
    # a later test calling a service directly would read its messages in Russian. Each test starts in English.
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def world(db):
    return build_world()


@pytest.fixture
def login(client):
    """Sign `client` in as a persona: login(world.alice)."""

    def _login(user):
        client.force_login(user, backend=ALLAUTH_BACKEND)
        return client

    return _login


# Browser fixtures (Playwright driving Debian's Chromium) live in their own module.
pytest_plugins = ["socmon.browser"]
