"""Signing in, wrong passwords, lock-outs, idle sessions and the second factor, through the front door."""

import datetime

import pytest
import time_machine
from allauth.mfa.totp.internal import auth as totp
from django.contrib.sessions.models import Session
from django.urls import reverse

from socmon.test import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def sign_in(client, username, password=PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def test_a_person_signs_in_and_lands_on_their_home_page(client, world):
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "Welcome, Alice Akhmetova" in client.get("/").content.decode()


@pytest.mark.parametrize("username, password", [("alice", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_password_and_unknown_user_get_the_same_clear_message(client, world, username, password):
    response = sign_in(client, username, password)
    assert response.status_code == 200
    assert "The username or password is not right" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_empty_form_names_each_missing_field(client, world):
    html = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert "Enter your username." in html and "Enter your password." in html
    assert "govuk-error-summary" in html


def test_the_message_is_translated(client, world):
    client.cookies["django_language"] = "ru"
    html = sign_in(client, "alice", "wrong").content.decode()
    assert 'lang="ru"' in html
    assert "The username or password is not right" not in html


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, world, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "alice", "wrong").status_code == 200
    locked = sign_in(client, "alice", "wrong")
    assert locked.status_code == 429
    assert "locked" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    sign_in(client, "alice")
    assert "_auth_user_id" not in client.session
    # Other people are not affected.
    assert sign_in(client, "bob").status_code == 302


def test_an_idle_session_ends_and_the_person_is_told_why(client, world):
    sign_in(client, "alice")
    Session.objects.all().delete()  # what the idle timeout does to a session
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "Your session ended after 30 minutes without activity" in response.content.decode()


def test_sessions_expire_when_idle(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_a_session_in_use_stays_open_and_is_written_at_most_once_a_minute(client, world):
    from django.utils import timezone

    start = timezone.now()

    def at(seconds):
        return time_machine.travel(start + datetime.timedelta(seconds=seconds), tick=False)

    with at(0):
        sign_in(client, "alice")
        assert client.get("/").status_code == 200
    expiry = Session.objects.get().expire_date
    with at(30):
        assert client.get("/").status_code == 200
    assert Session.objects.get().expire_date == expiry  # not written again within the minute
    for minutes in (20, 40, 60):  # each request within the idle time keeps the session open, and moves its end
        with at(minutes * 60):
            assert client.get("/").status_code == 200
            ends = timezone.now() + datetime.timedelta(minutes=30)
        session = Session.objects.get()
        assert abs(session.expire_date - ends) < datetime.timedelta(seconds=1)
        assert session.get_decoded()["_auth_user_id"]
    with at(91 * 60):  # 31 minutes after the last request
        response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)


def test_nobody_can_sign_themselves_up(client, world):
    from socmon.accounts.models import User

    before = User.objects.count()
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="password2"' not in page
    client.post("/accounts/signup/", {"username": "intruder", "password1": "a-long-secret-4711",
                                      "password2": "a-long-secret-4711"})
    assert User.objects.count() == before


def test_passwords_are_hashed_with_argon2_in_production():
    from django.conf import settings as real

    # The test fixture swaps in a fast hasher; the configured first choice is Argon2.
    from socmon import settings as configured

    assert configured.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert real.AUTH_USER_MODEL == "accounts.User"


def _enable_totp(user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP

    secret = totp.generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def test_with_an_authenticator_the_password_alone_is_not_enough(client, world):
    secret = _enable_totp(world.alice)
    response = sign_in(client, "alice")
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get("/").status_code == 302  # not signed in yet
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert "That code is not right" in wrong.content.decode()
    code = totp.format_hotp_value(totp.hotp_value(secret, totp.yield_hotp_counters_from_time().__next__()))
    done = client.post(reverse("mfa_authenticate"), {"code": code})
    assert done.status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, world):
    from allauth.mfa.models import Authenticator

    _enable_totp(world.alice)
    recovery = Authenticator.objects.get(user=world.alice, type=Authenticator.Type.RECOVERY_CODES)
    code = recovery.wrap().get_unused_codes()[0]
    sign_in(client, "alice")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    client.logout()
    sign_in(client, "alice")
    again = client.post(reverse("mfa_authenticate"), {"code": code})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()
