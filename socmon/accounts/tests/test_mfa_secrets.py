"""Authenticator secrets are stored encrypted: a copy of the database alone cannot make sign-in codes."""

import importlib
import json
import re

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal import auth as totp
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from socmon.test import PASSWORD

pytestmark = pytest.mark.django_db


def current_code(secret: str) -> str:
    return totp.format_hotp_value(totp.hotp_value(secret, next(iter(totp.yield_hotp_counters_from_time()))))


def turn_on_authenticator(client) -> str:
    """Sign in as alice and set up the authenticator app through its pages; the secret the page showed."""
    client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    confirm = client.get(reverse("mfa_activate_totp"), follow=True)  # "Confirm it is you" first
    page = client.post(confirm.request["PATH_INFO"] + "?" + confirm.request["QUERY_STRING"],
                       {"password": PASSWORD}, follow=True).content.decode()
    secret = re.search(r'id="authenticator_secret" type="text" value="([A-Z2-7]+)"', page).group(1)
    assert client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)}).status_code == 302
    return secret


def test_the_stored_secret_and_recovery_seed_are_not_readable_and_signing_in_still_works(client, world):
    secret = turn_on_authenticator(client)
    app = Authenticator.objects.get(user=world.alice, type=Authenticator.Type.TOTP)
    recovery = Authenticator.objects.get(user=world.alice, type=Authenticator.Type.RECOVERY_CODES)
    assert secret not in json.dumps(app.data)
    assert not re.fullmatch(r"[0-9a-f]{80}", recovery.data["seed"])  # allauth's plain seed is 80 hex digits
    codes = recovery.wrap().get_unused_codes()
    assert len(codes) == 10 and all(code not in json.dumps(recovery.data) for code in codes)

    client.logout()
    cache.clear()  # allauth refuses the same code twice within 30 seconds; a person would wait
    client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": current_code(secret)}).status_code == 302
    assert client.get("/").status_code == 200


def test_authenticators_set_up_before_encryption_keep_working(client, world):
    secret = totp.generate_totp_secret()
    Authenticator.objects.create(user=world.alice, type=Authenticator.Type.TOTP, data={"secret": secret})
    migration = importlib.import_module("socmon.accounts.migrations.0002_encrypt_mfa_secrets")
    migration.encrypt_plain_secrets(apps, None)
    migration.encrypt_plain_secrets(apps, None)  # a second run leaves encrypted secrets alone
    assert secret not in json.dumps(Authenticator.objects.get(user=world.alice).data)
    client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": current_code(secret)}).status_code == 302
    assert client.get("/").status_code == 200
