"""Django settings for the Outcomes Tracker, read from the environment.

Every variable read here is registered in :data:`ENVIRONMENT` with the default the site really
uses (the readers take it from there) and its meaning; ``docs/settings.md`` ("## Web settings") is
generated from that registry by ``scripts/gen_settings_docs.py``, and a test fails if they differ.

SQLite in ``OUTCOMES_DATA_DIR`` by default; PostgreSQL (or any database ``dj-database-url``
understands) when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent

@dataclass(frozen=True)
class Setting:
    """One environment variable: the default the site really uses when it is unset (the readers below
    take it from here), what it means, and how docs/settings.md shows the default when that is not
    the value itself (``shown``)."""

    default: str
    meaning: str
    shown: str = ""

    def shown_default(self) -> str:
        return self.shown or f"`{self.default}`"


#: Every variable the site reads: the one registry of their defaults. ``docs/settings.md`` ("## Web
#: settings") is generated from it (``python scripts/gen_settings_docs.py``) and a test keeps it so.
ENVIRONMENT: dict[str, Setting] = {
    "DATABASE_URL": Setting(
        '',
        'The database, as a URL [dj-database-url](https://github.com/jazzband/dj-database-url) reads: '
        '`postgres://user:password@host:5432/outcomes` for PostgreSQL (15 or later), '
        '`sqlite:////absolute/path.sqlite3` for SQLite. Unset: SQLite in `OUTCOMES_DATA_DIR` (the '
        'folder is created; WAL journal mode).',
        shown='`sqlite:///$OUTCOMES_DATA_DIR/outcomes.sqlite3`',
    ),
    "SECRET_KEY": Setting(
        '',
        'Django\'s signing key: 50 or more random characters, kept secret (`python -c "import secrets; '
        'print(secrets.token_urlsafe(50))"`). Sign-in sessions are signed with it, so the workspace '
        'needs it (the public pages work without it, and `check --deploy` requires it). With `DEBUG` '
        'on, a fixed insecure development key is used; `outcomes serve` without one makes a random '
        'key once and keeps it in `OUTCOMES_DATA_DIR/secret_key` (readable by its owner only), so '
        'sign-ins survive a restart. Changing the key signs everyone out.',
        shown='none',
    ),
    "DEBUG": Setting(
        'false',
        "Django's debug mode: tracebacks in the browser and the development key. Never in production.",
    ),
    "ALLOWED_HOSTS": Setting(
        '127.0.0.1,localhost,[::1]',
        'Comma-separated host names the site answers to (`tracker.example.org`). Requests for other '
        'hosts get 400. `outcomes serve --host H` adds `H` when the variable is unset.',
    ),
    "CSRF_TRUSTED_ORIGINS": Setting(
        '',
        'Comma-separated origins (`https://tracker.example.org`) trusted for form posts when a proxy '
        "changes the scheme or host. The workspace's forms are POSTed with a CSRF token; behind a "
        'proxy that terminates HTTPS, list the public origin here.',
        shown='empty',
    ),
    "OUTCOMES_DATA_DIR": Setting(
        './var',
        'Folder for the default SQLite file (`outcomes.sqlite3`), the report cache (`cache/reports/`) '
        'and collected static files (`static/`). Relative paths are from the working directory.',
    ),
    "OUTCOMES_SECURE": Setting(
        'false',
        'HTTPS hardening for a site served over HTTPS: redirect HTTP to HTTPS, HSTS for a year with '
        'subdomains and the preload flag, secure session and CSRF cookies. Turn on in production '
        '(`check --deploy` asks for all of these).',
    ),
    "OUTCOMES_PROXY_SSL_HEADER": Setting(
        'false',
        'Trust `X-Forwarded-Proto: https` from the reverse proxy (nginx, a load balancer) to know a '
        'request came over HTTPS. Only turn on behind a proxy that sets (and strips) that header, or '
        'clients can spoof it.',
    ),
    "OUTCOMES_CONN_MAX_AGE": Setting(
        '60',
        'Seconds a database connection is kept for reuse between requests (PostgreSQL; ignored for '
        'SQLite, which opens per request). `0` closes after each request. Health-checked before '
        'reuse.',
    ),
    "OUTCOMES_API_PAGE_SIZE": Setting(
        '20',
        "Default items per page of the JSON API's lists (`?page_size=` overrides it, up to 100).",
    ),
    "OUTCOMES_LOG_LEVEL": Setting(
        'INFO',
        'Level of the `outcomes_web` logger (to standard error).',
    ),
    "OUTCOMES_SESSION_HOURS": Setting(
        '8',
        'A sign-in expires after this many hours without a request (each request renews it) and when '
        'the browser closes.',
    ),
    "OUTCOMES_LOGIN_FAILURE_LIMIT": Setting(
        '5',
        'Failed sign-ins for one user name **from one address** (within the cool-off time) before '
        'sign-in for that name from that address is locked '
        '([django-axes](https://django-axes.readthedocs.io/)). A correct sign-in clears the count for '
        'that address. `python -m outcomes_web axes_reset` unlocks everyone, `axes_reset_username '
        'NAME` one account.',
    ),
    "OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT": Setting(
        '20',
        'Failed sign-ins for one user name **from any addresses** before the account is locked for '
        'everyone, so changing address does not give unlimited guesses. Keep it well above '
        '`OUTCOMES_LOGIN_FAILURE_LIMIT`: anyone can lock an account for the cool-off time by reaching '
        'it.',
    ),
    "OUTCOMES_LOGIN_COOLOFF_MINUTES": Setting(
        '15',
        'How long failures are remembered and a lockout lasts, counted from the failure that caused '
        'it. Attempts while locked out are refused and not counted, so they never make a lockout '
        'longer.',
    ),
    "OUTCOMES_PROXY_COUNT": Setting(
        '0',
        'How many reverse proxies (nginx, a load balancer) stand in front of the site, each appending '
        'the address it saw to `X-Forwarded-For` (nginx: `proxy_set_header X-Forwarded-For '
        '$proxy_add_x_forwarded_for;`, as in docs/deploy.md). With `N` the client is the `N`-th '
        'address from the right of that header; what is further left came from the client and is '
        'ignored, so it cannot be forged. A request with fewer addresses than proxies is counted by '
        'the address that reached the app. Leave `0` when the site is reached directly.',
    ),
    "OUTCOMES_SQLITE_TIMEOUT": Setting(
        '20',
        'SQLite only: how many seconds a save waits for another save to finish before it gives up. '
        'Saves queue for the write lock (IMMEDIATE transactions, WAL journal), so two lead officers '
        'saving at once both succeed or the second gets the "someone else saved" page, never an error.',
    ),
    "OUTCOMES_SITE_URL": Setting(
        'http://127.0.0.1:8000',
        "The site's public address, used for links in reminder e-mails (`outcomes remind`).",
    ),
    "EMAIL_BACKEND": Setting(
        'console',
        'How reminder e-mails are sent: `console` prints them to standard output (the default: '
        'nothing leaves the machine), `smtp` sends them through `EMAIL_HOST`, `locmem` keeps them in '
        "memory (tests); or a Django e-mail backend's dotted path.",
    ),
    "EMAIL_HOST": Setting(
        'localhost',
        'SMTP server for `EMAIL_BACKEND=smtp`.',
    ),
    "EMAIL_PORT": Setting(
        '25',
        'SMTP port (587 with `EMAIL_USE_TLS`).',
    ),
    "EMAIL_HOST_USER": Setting(
        '',
        'SMTP user name, if the server needs one.',
        shown='empty',
    ),
    "EMAIL_HOST_PASSWORD": Setting(
        '',
        'SMTP password; keep it out of version control.',
        shown='empty',
    ),
    "EMAIL_USE_TLS": Setting(
        'false',
        'Use STARTTLS on the SMTP connection.',
    ),
    "DEFAULT_FROM_EMAIL": Setting(
        'outcomes-tracker@localhost',
        'The sender of reminder e-mails (`performance@council.gov.uk`).',
    ),
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _default(name: str) -> str:
    return ENVIRONMENT[name].default if name in ENVIRONMENT else ""


def env_str(name: str) -> str:
    """An environment variable, or its registered default."""
    return os.environ.get(name, _default(name))


def env_flag(name: str, default: bool | None = None) -> bool:
    """Read a yes/no environment variable; anything unrecognised is an error, not a guess."""
    raw = os.environ.get(name)
    if raw is None:
        return default if default is not None else _default(name).lower() in _TRUE
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value: use 1/0, true/false, yes/no or on/off.")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in env_str(name).split(",") if item.strip()]


def env_int(name: str, default: int | None = None) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default if default is not None else int(_default(name))
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


DEBUG = env_flag("DEBUG")

DATA_DIR = Path(os.environ.get("OUTCOMES_DATA_DIR") or _default("OUTCOMES_DATA_DIR")).expanduser().resolve()
REPORT_CACHE_DIR = DATA_DIR / "cache" / "reports"

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-outcomes-tracker-development-only"  # noqa: S105 - DEBUG only
# With no SECRET_KEY and DEBUG off, Django refuses anything that signs (and `check --deploy` says so);
# the public pages sign nothing.

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
SESSION_COOKIE_AGE = env_int("OUTCOMES_SESSION_HOURS") * 3600
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Two limits within the cool-off time (outcomes_web.workspace.throttle): OUTCOMES_LOGIN_FAILURE_LIMIT
# failures for one user name from one address, OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT (higher) for one
# user name from any addresses, so changing address does not give unlimited guesses. A lockout lasts
# OUTCOMES_LOGIN_COOLOFF_MINUTES from the failure that caused it: failures while locked are not
# counted, so nobody can keep an account locked by trying now and then.
AXES_FAILURE_LIMIT = env_int("OUTCOMES_LOGIN_FAILURE_LIMIT")
ACCOUNT_FAILURE_LIMIT = env_int("OUTCOMES_LOGIN_ACCOUNT_FAILURE_LIMIT")
AXES_COOLOFF_TIME = timedelta(minutes=env_int("OUTCOMES_LOGIN_COOLOFF_MINUTES"))
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
PROXY_COUNT = env_int("OUTCOMES_PROXY_COUNT")
AXES_CLIENT_IP_CALLABLE = "outcomes_web.workspace.throttle.client_address"

# --- e-mail (reminders) ------------------------------------------------------------------------
_EMAIL_BACKENDS = {"console": "django.core.mail.backends.console.EmailBackend",
                   "smtp": "django.core.mail.backends.smtp.EmailBackend",
                   "locmem": "django.core.mail.backends.locmem.EmailBackend"}
_backend = env_str("EMAIL_BACKEND").strip() or _default("EMAIL_BACKEND")
EMAIL_BACKEND = _EMAIL_BACKENDS.get(_backend, _backend)
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT")
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL")
SITE_URL = env_str("OUTCOMES_SITE_URL").rstrip("/")

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
        conn_max_age=env_int("OUTCOMES_CONN_MAX_AGE"),
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
        "timeout": env_int("OUTCOMES_SQLITE_TIMEOUT"),
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

API_PAGE_SIZE = env_int("OUTCOMES_API_PAGE_SIZE")
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
        "outcomes_web": {"handlers": ["console"], "level": env_str("OUTCOMES_LOG_LEVEL")},
        "django": {"handlers": ["console"], "level": "WARNING"},  # CSRF failures, bad hosts, ...
        "django.request": {"level": "ERROR"},  # 500s with their traceback (4xx are in the access log)
        "axes": {"handlers": ["console"], "level": "WARNING"},  # sign-in lockouts
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
