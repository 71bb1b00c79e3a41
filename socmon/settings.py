"""socmon settings: one module, driven by the environment, refusing bad values.

SOCMON_DEBUG=1 (tests and direct runs), SOCMON_DEMO=1 (`make run`: production behaviour on this machine) or a
production setup with SOCMON_SECRET_KEY, SOCMON_MFA_KEY and SOCMON_ALLOWED_HOSTS; DATABASE_URL selects PostgreSQL.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, str(default))
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def weak_key(key: str, *, min_length: int) -> bool:
    """Django's own test for a guessable secret key (security.W009), here a reason to refuse to start."""
    return len(key) < min_length or len(set(key)) < 5 or key.startswith("django-insecure")


DEBUG = env_bool("SOCMON_DEBUG", False)
# The local demo (`make run`) runs as production does: DEBUG off, so people see socmon's own 404 and 500 pages
# and static files come from WhiteNoise, but on http://127.0.0.1 with the built-in demo keys.
DEMO = env_bool("SOCMON_DEMO", False)
LOCAL = DEBUG or DEMO
SECRET_KEY = os.environ.get("SOCMON_SECRET_KEY", "")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("Set SOCMON_SECRET_KEY (or SOCMON_DEMO=1 for a local demo).")
    SECRET_KEY = "socmon-insecure-local-demo-key-never-use-in-production-0123456789"
elif not LOCAL and weak_key(SECRET_KEY, min_length=50):
    raise ImproperlyConfigured(
        "SOCMON_SECRET_KEY is too weak: use at least 50 random characters, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.")
# TOTP secrets and recovery-code seeds are encrypted with this (socmon.accounts.adapter.MFAAdapter).
# Changing it makes every authenticator app unreadable: people then set theirs up again.
MFA_ENCRYPTION_KEY = os.environ.get("SOCMON_MFA_KEY", "")
if not MFA_ENCRYPTION_KEY:
    if not LOCAL:
        raise ImproperlyConfigured("Set SOCMON_MFA_KEY (the key that encrypts authenticator secrets).")
    MFA_ENCRYPTION_KEY = "mfa:" + SECRET_KEY
elif not LOCAL and weak_key(MFA_ENCRYPTION_KEY, min_length=32):
    raise ImproperlyConfigured(
        "SOCMON_MFA_KEY is too weak: use at least 32 random characters, for example the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`.")
ALLOWED_HOSTS = [h for h in os.environ.get("SOCMON_ALLOWED_HOSTS", "").split(",") if h]
if LOCAL:
    ALLOWED_HOSTS += ["127.0.0.1", "localhost", "testserver"]
elif not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Set SOCMON_ALLOWED_HOSTS to the host names socmon is served under.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "treebeard",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "socmon.lib",
    "socmon.audit",
    "socmon.accounts",
    "socmon.orgs",
    "socmon.catalogue",
    "socmon.clients",
    "socmon.cases",
    "socmon.visits",
    "socmon.surveys",
    "socmon.activities",
    "socmon.feedback",
    "socmon.indicators",
    "socmon.programmes",
    "socmon.dashboards",
    "socmon.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files, answered before anything below runs: compressed, and cached for a year under hashed names.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # no-store and a Permissions-Policy on every response that does not set its own.
    "socmon.lib.headers.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The idle timeout slides with use; the session row is written at most once a minute.
    "socmon.accounts.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "socmon.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "socmon.accounts.middleware.ExpiredSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After a temporary password from an administrator, every page sends the person to change it first.
    "socmon.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Last, so that a locked-out attempt is answered after everything else has run.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "socmon.urls"
WSGI_APPLICATION = "socmon.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "socmon.accounts.context_processors.navigation",
            ],
        },
    },
]
# Django forms render as GOV.UK Frontend markup (labels, hints, error messages).
FORM_RENDERER = "socmon.lib.forms.GovukFormRenderer"

# --- Database -------------------------------------------------------------------------
SQLITE_PATH = Path(os.environ.get("SOCMON_SQLITE_PATH", BASE_DIR / "var" / "socmon.sqlite3"))
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # Pages read one page of a list off an index: starting parallel workers costs them more (12 ms vs
        # 2 ms for a region's case list at 700,000 clients) than it saves. Large aggregates still go parallel.
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c parallel_setup_cost=10000"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # WAL lets readers run beside a writer; IMMEDIATE takes the write lock at BEGIN
                # so concurrent writers queue instead of failing half-way.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not shared-cache memory: race tests need real concurrent connections that wait for
            # the write lock (pytest-django suffixes the name per xdist worker).
            "TEST": {"NAME": os.environ.get("SOCMON_TEST_SQLITE_PATH",
                                            str(SQLITE_PATH.with_name("test-socmon.sqlite3")))},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Login rate limits and the rating-code throttle count in the cache: shared across processes in production.
if os.environ.get("SOCMON_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": os.environ["SOCMON_REDIS_URL"]}}

# --- Accounts and login security ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "socmon.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "socmon"
MFA_ADAPTER = "socmon.accounts.adapter.MFAAdapter"
ACCOUNT_FORMS = {
    "login": "socmon.accounts.forms.LoginForm",
    "reauthenticate": "socmon.accounts.forms.ReauthenticateForm",
    "change_password": "socmon.accounts.forms.ChangePasswordForm",
}
MFA_FORMS = {
    "authenticate": "socmon.accounts.forms.AuthenticateForm",
    "reauthenticate": "socmon.accounts.forms.ReauthenticateCodeForm",
    "activate_totp": "socmon.accounts.forms.ActivateTOTPForm",
}

AXES_FAILURE_LIMIT = env_int("SOCMON_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SOCMON_LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Lock by account, not by address: a whole district office often shares one public IP address.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_USERNAME_CALLABLE = "socmon.accounts.adapter.axes_username"
AXES_LOCKOUT_CALLABLE = "socmon.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Sessions end after this many minutes without a request.
SESSION_COOKIE_AGE = env_int("SOCMON_SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = False  # socmon.accounts.middleware.SlidingSessionMiddleware: at most once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- Security headers -----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not LOCAL:
    SECURE_SSL_REDIRECT = env_bool("SOCMON_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SOCMON_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, "'wasm-unsafe-eval'"],  # the QR reader's WebAssembly (visits check-in)
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Visits --------------------------------------------------------------------------
# How long after check-out the client may rate the visit.
SOCMON_RATING_WINDOW_MINUTES = env_int("SOCMON_RATING_WINDOW_MINUTES", 120)
# Wrong typed rating codes accepted from everyone together in 15 minutes before typed codes wait (scanned
# codes never wait). A whole country mistypes far fewer; raise it only with SOCMON_REDIS_URL's shared count.
SOCMON_RATING_GUESS_BUDGET = env_int("SOCMON_RATING_GUESS_BUDGET", 200)
# Feedback: working days (Mon–Fri, public holidays not counted yet) to answer; urgent categories
# sooner; working days an escalated feedback waits at each level before it moves up again; feedback
# forms accepted from one address per hour.
SOCMON_FEEDBACK_ANSWER_DAYS = env_int("SOCMON_FEEDBACK_ANSWER_DAYS", 10)
SOCMON_FEEDBACK_URGENT_DAYS = env_int("SOCMON_FEEDBACK_URGENT_DAYS", 3)
SOCMON_FEEDBACK_ESCALATION_DAYS = env_int("SOCMON_FEEDBACK_ESCALATION_DAYS", 5)
SOCMON_FEEDBACK_PER_ADDRESS = env_int("SOCMON_FEEDBACK_PER_ADDRESS", 5)

# --- Cases ---------------------------------------------------------------------------
# Referral response deadlines: urgent kinds (violence, cruel treatment, child neglect) in hours.
SOCMON_REFERRAL_URGENT_HOURS = env_int("SOCMON_REFERRAL_URGENT_HOURS", 24)
SOCMON_REFERRAL_STANDARD_DAYS = env_int("SOCMON_REFERRAL_STANDARD_DAYS", 10)

# --- Indicators ----------------------------------------------------------------------
# Values one indicator may store per org unit and period: the total plus one per member of each breakdown it
# declares (sex, age group, client category; never crossed). A custom indicator past it is refused, with why.
SOCMON_INDICATOR_MAX_CELLS = env_int("SOCMON_INDICATOR_MAX_CELLS", 40)
if SOCMON_INDICATOR_MAX_CELLS < 1:
    raise ImproperlyConfigured("SOCMON_INDICATOR_MAX_CELLS must be at least 1 (the total).")

# --- Languages ------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ru", "Русский"),
    ("az", "Azərbaycan dili"),
    ("kk", "Қазақ тілі"),
    ("ro", "Română"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django ships no Kazakh formats module; ours lives here.
FORMAT_MODULE_PATH = ["socmon.formats"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("SOCMON_TIME_ZONE", "Asia/Almaty")

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SOCMON_STATIC_ROOT", BASE_DIR / "var" / "static"))
# static/build holds our compiled theme, static/vendor the npm packages copied at set-up.
STATICFILES_DIRS = [BASE_DIR / "static" / "build", ("vendor", BASE_DIR / "static" / "vendor"),
                    ("src", BASE_DIR / "static" / "src" / "js")]
# Production and the demo serve what `manage.py collectstatic` wrote to STATIC_ROOT: hashed names (cached for a
# year, immutable) with gzip and Brotli copies beside them; a page refuses to render without that manifest.
# SOCMON_DEBUG=1 (tests, direct runs) reads the source folders as they are: no collectstatic to forget, and
# no stale copy in var/static can make a test pass or fail.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "socmon.lib.staticfiles.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploaded files (activity photos): stored under MEDIA_ROOT and never served from a public URL; a view that
# checks access streams each one (socmon.activities.views.photo).
MEDIA_ROOT = Path(os.environ.get("SOCMON_MEDIA_ROOT", BASE_DIR / "var" / "media"))
SOCMON_PHOTO_MAX_BYTES = int(os.environ.get("SOCMON_PHOTO_MAX_BYTES", 5 * 1024 * 1024))
SOCMON_PHOTO_MAX_PIXELS = 4000  # the longer side

# No form of socmon sends more than a few kilobytes; a larger body is refused (400) before it is parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "axes": {"handlers": ["console"], "level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR"},
    },
}
