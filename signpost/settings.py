"""Signpost settings, read from the environment (see README "Configuration")."""

from __future__ import annotations

import dj_database_url
import dj_email_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from signpost.config import (
    BASE_DIR,
    VAR_DIR,
    env_bool,
    env_hours_by_band,
    env_int,
    env_list,
    env_mode,
    env_secret,
    env_str,
)

SIGNPOST_ENV = env_mode()
PRODUCTION = SIGNPOST_ENV == "production"
TESTING = SIGNPOST_ENV == "test"

DEBUG = env_bool("DEBUG", default=SIGNPOST_ENV == "development")
SECRET_KEY = env_secret("SECRET_KEY", mode=SIGNPOST_ENV)
# Personal data keys: a comma-separated list of Fernet keys; the first encrypts, all decrypt.
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEYS", []) or [
    env_secret("FIELD_ENCRYPTION_KEYS", mode=SIGNPOST_ENV)
]
BLIND_INDEX_KEY = env_secret("BLIND_INDEX_KEY", mode=SIGNPOST_ENV)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies in front of the app append to X-Forwarded-For; 0 trusts none.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 0)
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "django_htmx",
    "csp",
    "signpost.core",
    "signpost.public",
    "signpost.referrals",
    "signpost.cases",
    "signpost.adverts",
    "signpost.outreach",
    "signpost.intel",
    "signpost.insights",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "signpost.core.middleware.NoStoreMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "signpost.core.csrf.SameOriginFetchMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "signpost.core.middleware.SessionTimeoutMiddleware",
    "signpost.core.middleware.StaffLanguageMiddleware",
    "signpost.core.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
]

if TESTING:
    INSTALLED_APPS.append("signpost.testing")

ROOT_URLCONF = "signpost.urls"
WSGI_APPLICATION = "signpost.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "signpost" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "signpost.core.context_processors.signpost",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'signpost.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes; IMMEDIATE takes the
    # write lock at the start of a transaction so concurrent writers wait instead of failing.
    # A new database gets 16 KiB pages (page_size does nothing to an existing one, and must come
    # before WAL): an advert import writes a quarter as many log frames, and its writing process
    # spent 7% less CPU on 200,000 adverts (bench/bench_adverts.py).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            " PRAGMA foreign_keys=ON;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME")}
else:
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c timezone=UTC"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = (
    ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if TESTING
    else [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
)
# OWASP ASVS v4 2.1: length over composition, common and breached-style passwords refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "signpost.core.passwords.MaximumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "core:sign_in"
LOGIN_REDIRECT_URL = "core:home"

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
REAUTH_MAX_AGE = env_int("REAUTH_MAX_AGE", 5 * 60)

# Sign-in lockout (django-axes): five failures for one account from one address lock it for 15
# minutes; twenty failures from one address lock that address out.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "signpost.core.client.axes_client_address"
AXES_LOCKOUT_CALLABLE = "signpost.core.views.auth.locked_out"
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
SIGN_IN_ADDRESS_RATE = env_str("SIGN_IN_ADDRESS_RATE") or "30/15m"
# Anonymous forms (self-referral): per client address.
PUBLIC_FORM_RATE = env_str("PUBLIC_FORM_RATE") or "10/h"

OTP_TOTP_ISSUER = "Signpost"
OTP_TOTP_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "en"
# Public pages: English, Romanian and languages common among people referred in the UK.
LANGUAGES = [
    ("en", _("English")),
    ("ro", _("Romanian")),
    ("sq", _("Albanian")),
    ("pl", _("Polish")),
    ("vi", _("Vietnamese")),
]
STAFF_LANGUAGES = ["en", "ro"]
LOCALE_PATHS = [BASE_DIR / "signpost" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "signpost" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = not PRODUCTION

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "signpost_cache",
    }
}
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

_email = dj_email_url.parse(
    env_str("EMAIL_URL") or ("smtp://localhost:25" if PRODUCTION else "console://")
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Signpost <signpost@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security headers. Every page: no referrer, no framing, a strict CSP without inline code.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "manifest-src": [SELF],
    }
}
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_FAILURE_VIEW = "signpost.core.views.errors.csrf_failure"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"] if TESTING else []
RATELIMIT_VIEW = "signpost.core.views.errors.rate_limited"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        # Request logs carry URLs and addresses; Signpost keeps data out of URLs, but the
        # request logger at WARNING would still print paths of every 404.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "ERROR" if TESTING else "INFO"},
        "axes": {"level": "ERROR"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Triage. Response targets per risk band in hours: to the first action, and to a case opened.
RESPONSE_TARGETS_HOURS = env_hours_by_band(
    "RESPONSE_TARGETS_HOURS",
    {"urgent": (1, 24), "high": (24, 72), "standard": (72, 240)},
)
# Risk score from which a referral is "high" (danger now and possible children are always urgent).
RISK_HIGH_THRESHOLD = env_int("RISK_HIGH_THRESHOLD", 8)
# A handler's hold on a referral lapses after this long without a decision, so that a referral
# is never stuck behind someone who went home.
REFERRAL_LOCK_MINUTES = env_int("REFERRAL_LOCK_MINUTES", 30)
# Region (slug) of self-referrals that name no known area; empty: the first region.
SELF_REFERRAL_DEFAULT_REGION = env_str("SELF_REFERRAL_DEFAULT_REGION") or ""

# Advert imports: the largest upload accepted, and processes analysing a large import.
ADVERTS_MAX_UPLOAD_BYTES = env_int("ADVERTS_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
ADVERTS_IMPORT_WORKERS = env_int("ADVERTS_IMPORT_WORKERS", 2)
# Above this many records in view, the network page lists the largest networks from the stored
# snapshot (network_snapshot_refresh) instead of building the region's graph live.
INTEL_LIVE_GRAPH_LIMIT = env_int("INTEL_LIVE_GRAPH_LIMIT", 200_000)

# Map tiles for staff maps (outreach points, insights). Empty: no tiles, no third-party request;
# the maps' tables are always shown.
MAP_TILE_URL = env_str("MAP_TILE_URL") or ""
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION") or ""

# Where "Leave this site" takes a visitor: a neutral, busy site.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL") or "https://www.bbc.co.uk/weather"
