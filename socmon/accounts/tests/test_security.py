"""Security headers and the production configuration."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.django_db
PRODUCTION = {"SOCMON_SECRET_KEY": "x" * 30 + "production-secret-key-for-the-check-only-0123456789",
              "SOCMON_MFA_KEY": "mfa-key-for-the-check-only-0123456789abcdef",
              "SOCMON_ALLOWED_HOSTS": "socmon.example.org", "SOCMON_SQLITE_PATH": "/tmp/socmon-deploy-check.sqlite3"}


def start_in_production(**overrides) -> subprocess.CompletedProcess:
    """Load the settings as production would (no SOCMON_DEBUG), in a fresh interpreter."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCMON_", "DJANGO_"))}
    env.update({**PRODUCTION, **overrides})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run([sys.executable, "-c", "import socmon.settings"], cwd=ROOT, env=env,
                          capture_output=True, text=True)


def test_pages_carry_a_nonce_based_content_security_policy(client, world):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    assert "unsafe-inline" not in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_the_deployment_checklist():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCMON_", "DJANGO_"))}
    env.update(PRODUCTION)
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCMON_")}
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "SOCMON_SECRET_KEY" in result.stderr


def test_production_starts_with_strong_keys():
    result = start_in_production()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("key", [
    "short-but-random-Q7x9",                       # under 50 characters
    "ab" * 40,                                     # long, but only two distinct characters
    "django-insecure-" + "k3y" * 20,               # Django's generated development key
])
def test_production_refuses_to_start_with_a_weak_secret_key(key):
    result = start_in_production(SOCMON_SECRET_KEY=key)
    assert result.returncode != 0
    assert "SOCMON_SECRET_KEY is too weak: use at least 50 random characters" in result.stderr


def test_production_refuses_to_start_without_a_key_for_authenticator_secrets():
    result = start_in_production(SOCMON_MFA_KEY=None)
    assert result.returncode != 0
    assert "Set SOCMON_MFA_KEY" in result.stderr
    weak = start_in_production(SOCMON_MFA_KEY="tooshort")
    assert weak.returncode != 0 and "SOCMON_MFA_KEY is too weak" in weak.stderr
