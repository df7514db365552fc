"""Django settings for the Outcomes Tracker, read from the environment.

Every variable read here is listed in :data:`ENVIRONMENT` and documented in ``docs/settings.md``
("## Web settings"); a test fails if one is missing from the document.

SQLite in ``OUTCOMES_DATA_DIR`` by default; PostgreSQL (or any database ``dj-database-url``
understands) when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import os
from datetime import timedelta
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
    "OUTCOMES_SQLITE_TIMEOUT": ("20", "Seconds a save waits for another save to finish (SQLite only)."),
    "OUTCOMES_API_PAGE_SIZE": ("20", "Default page size of the JSON API lists."),
    "OUTCOMES_LOG_LEVEL": ("INFO", "Log level of the web app."),
    "OUTCOMES_SESSION_HOURS": ("8", "Hours a sign-in lasts without use before it expires."),
    "OUTCOMES_LOGIN_FAILURE_LIMIT": ("5", "Failed sign-ins before a user name is locked out from one address."),
    "OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT": ("20", "Failed sign-ins from any addresses before a user name is locked out."),
    "OUTCOMES_LOGIN_COOLOFF_MINUTES": ("15", "Minutes a lockout lasts (failures while locked do not extend it)."),
    "OUTCOMES_PROXY_COUNT": ("0", "Reverse proxies in front of the site, for the client address of login throttling."),
    "OUTCOMES_SITE_URL": ("http://127.0.0.1:8000", "The site's address, for links in reminder e-mails."),
    "EMAIL_BACKEND": ("console", "How e-mail is sent: console (printed), smtp, or a Django backend path."),
    "EMAIL_HOST": ("localhost", "SMTP server."),
    "EMAIL_PORT": ("25", "SMTP port."),
    "EMAIL_HOST_USER": ("(empty)", "SMTP user name."),
    "EMAIL_HOST_PASSWORD": ("(empty)", "SMTP password."),
    "EMAIL_USE_TLS": ("false", "STARTTLS on the SMTP connection."),
    "DEFAULT_FROM_EMAIL": ("outcomes-tracker@localhost", "Sender of reminder e-mails."),
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
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "outcomes_web.store",
    "outcomes_web.reports",
    "outcomes_web.tracker",
    "outcomes_web.api",
    "outcomes_web.workspace",
]

MIDDLEWARE = [
    "outcomes_web.middleware.RequestIdMiddleware",  # first: its id is on every log line, 500s included
    "django.middleware.security.SecurityMiddleware",
    "outcomes_web.middleware.ContentSecurityPolicyMiddleware",  # before WhiteNoise: static files too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes documents
]

# --- sign-in ---------------------------------------------------------------------------------
# Argon2id first (OWASP's and Django's recommendation); the others verify older hashes and upgrade them.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn's estimate: refuses aaaaaaaaaaaa, passwordpassword, weak1weak1weak1 for weak1 (workspace/passwords.py)
    {"NAME": "outcomes_web.workspace.passwords.StrengthValidator", "OPTIONS": {"min_score": 3}},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: refuses while locked out
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:dashboard"
LOGOUT_REDIRECT_URL = "tracker:home"
# Sessions expire after OUTCOMES_SESSION_HOURS without use (each request renews them) and when the
# browser closes.
SESSION_COOKIE_AGE = env_int("OUTCOMES_SESSION_HOURS", 8) * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Two limits within the cool-off time (outcomes_web.workspace.throttle): OUTCOMES_LOGIN_FAILURE_LIMIT
# failures for one user name from one address, OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT (higher) for one
# user name from any addresses, so changing address does not give unlimited guesses. A lockout lasts
# OUTCOMES_LOGIN_COOLOFF_MINUTES from the failure that caused it: failures while locked are not
# counted, so nobody can keep an account locked by trying now and then.
AXES_FAILURE_LIMIT = env_int("OUTCOMES_LOGIN_FAILURE_LIMIT", 5)
ACCOUNT_FAILURE_LIMIT = env_int("OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("OUTCOMES_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username"]
AXES_HANDLER = "outcomes_web.workspace.throttle.ThrottleHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workspace/locked_out.html"
AXES_VERBOSE = False
# Behind reverse proxies every request comes from the proxy's address. With OUTCOMES_PROXY_COUNT=N the
# client is the N-th address from the right of X-Forwarded-For (each trusted proxy appends the one it
# saw; anything further left came from the client and is ignored); a request with fewer entries is
# counted by REMOTE_ADDR, never as "no address". See outcomes_web.workspace.throttle.client_address.
PROXY_COUNT = env_int("OUTCOMES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "outcomes_web.workspace.throttle.client_address"

# --- e-mail (reminders) ------------------------------------------------------------------------
_EMAIL_BACKENDS = {"console": "django.core.mail.backends.console.EmailBackend",
                   "smtp": "django.core.mail.backends.smtp.EmailBackend",
                   "locmem": "django.core.mail.backends.locmem.EmailBackend"}
_backend = os.environ.get("EMAIL_BACKEND", "console").strip() or "console"
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_backend, _backend)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "outcomes-tracker@localhost")
SITE_URL = os.environ.get("OUTCOMES_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024  # a data-collection workbook is well under this

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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
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
    # Persistent connections buy nothing on SQLite. Concurrent saves (docs/deploy.md, "More than one
    # server", the SQLite paragraph; ADR 0007):
    # * IMMEDIATE transactions take the write lock when they begin, so two savers queue for it rather
    #   than both reading and then one failing with "database is locked" when it tries to write;
    # * WAL lets readers carry on while one writer writes; synchronous=NORMAL is the setting SQLite
    #   recommends with WAL (a power cut may lose the last commits, never corrupts the file);
    # * the busy timeout is how long a writer waits for the lock (seconds) before giving up.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("OUTCOMES_SQLITE_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background work (report builds) ------------------------------------------------------------
# Django's tasks API (django-tasks) with its database backend: the queue is a table of the tracker's
# own database, so every app server can queue and any worker (`outcomes worker`, or the one
# `outcomes serve` starts) can build, with nothing else to run. docs/deploy.md ("Run"), ADR 0007.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    },
}

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

# Everything goes to stderr (gunicorn passes it on to its error log, systemd to the journal): request
# errors with their traceback, each line with the request's id (outcomes_web.middleware).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "outcomes_web.middleware.RequestIdFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s [request %(request_id)s] %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                             "filters": ["request_id"], "formatter": "plain"}},
    "loggers": {
        "outcomes_web": {"handlers": ["console"], "level": os.environ.get("OUTCOMES_LOG_LEVEL", "INFO")},
        "django": {"handlers": ["console"], "level": "WARNING"},  # CSRF failures, bad hosts, ...
        "django.request": {"level": "ERROR"},  # 500s with their traceback (4xx are in the access log)
        "axes": {"handlers": ["console"], "level": "WARNING"},  # sign-in lockouts
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
