"""Django settings for the Outcomes Tracker, read from the environment.

Every variable read here is listed in :data:`ENVIRONMENT` and documented in ``docs/settings.md``
("## Web settings"); a test fails if one is missing from the document.

SQLite in ``OUTCOMES_DATA_DIR`` by default; PostgreSQL (or any database ``dj-database-url``
understands) when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

# name -> (default, one-line description); docs/settings.md documents each in full.
ENVIRONMENT: dict[str, tuple[str, str]] = {
    "DATABASE_URL": ("sqlite:///$OUTCOMES_DATA_DIR/outcomes.sqlite3", "Where the store lives."),
    "SECRET_KEY": ("(none; a fixed insecure key when DEBUG is on)", "Django's signing key."),
    "DEBUG": ("false", "Show tracebacks; never in production."),
    "ALLOWED_HOSTS": ("127.0.0.1,localhost,[::1]", "Host names the site answers to."),
    "CSRF_TRUSTED_ORIGINS": ("(empty)", "Origins trusted for form posts behind a proxy."),
    "OUTCOMES_DATA_DIR": ("./var", "Folder for the default SQLite file and the report cache."),
    "OUTCOMES_SECURE": ("false", "HTTPS hardening: redirect, HSTS, secure cookies."),
    "OUTCOMES_PROXY_SSL_HEADER": ("false", "Trust X-Forwarded-Proto from a reverse proxy."),
    "OUTCOMES_CONN_MAX_AGE": ("60", "Seconds a database connection is reused."),
    "OUTCOMES_API_PAGE_SIZE": ("20", "Default page size of the JSON API lists."),
    "OUTCOMES_LOG_LEVEL": ("INFO", "Log level of the web app."),
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_flag(name: str, default: bool = False) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error, not a guess."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


DEBUG = env_flag("DEBUG")

DATA_DIR = Path(os.environ.get("OUTCOMES_DATA_DIR") or "var").expanduser().resolve()
REPORT_CACHE_DIR = DATA_DIR / "cache" / "reports"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-outcomes-tracker-development-only"  # noqa: S105 - DEBUG only
# With no SECRET_KEY and DEBUG off, Django refuses anything that signs (and `check --deploy` says so);
# the public pages sign nothing.

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "outcomes_web.store",
    "outcomes_web.tracker",
    "outcomes_web.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "outcomes_web.urls"
WSGI_APPLICATION = "outcomes_web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "outcomes_web.tracker.context.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'outcomes.sqlite3'}",
        conn_max_age=env_int("OUTCOMES_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite cannot create the folder of its file
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Persistent connections buy nothing on SQLite; WAL lets readers and the importer overlap.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "outcomes_web.storage.StaticStorage"},
}
# Without `collectstatic` (the demo, tests) files are served from the apps with their plain names;
# after it, with hashed names and a year's caching.
WHITENOISE_USE_FINDERS = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if env_flag("OUTCOMES_SECURE"):
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
if env_flag("OUTCOMES_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

API_PAGE_SIZE = env_int("OUTCOMES_API_PAGE_SIZE", 20)
API_MAX_PAGE_SIZE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "outcomes_web": {"handlers": ["console"], "level": os.environ.get("OUTCOMES_LOG_LEVEL", "INFO")},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
