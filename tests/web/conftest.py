"""Web tests: Django configured here, the example loaded once per session, every database test run
on SQLite and (when ``OUTCOMES_TEST_DATABASE_URL`` is set) on PostgreSQL.

How the two databases work in one run: the PostgreSQL server becomes a second database alias,
``postgresql``; the ``db_alias`` fixture is parametrised over both and points a database router at
the alias for the length of a test, so views, queries and imports run unchanged against either.
Without the variable the PostgreSQL cases are skipped with the reason, except under ``CI=true``,
where they fail: CI must exercise PostgreSQL.
"""

from __future__ import annotations

import atexit
import contextvars
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = BUNDLED_EXAMPLE
SECOND = Path(__file__).resolve().parent / "data" / "prosperous-2018"
PG_URL = os.environ.get("OUTCOMES_TEST_DATABASE_URL", "").strip()
IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")

# What this module sets in the environment, as it was (put back in a pytest-xdist controller: see
# pytest_configure).
_SET_IN_ENVIRONMENT = ("DJANGO_SETTINGS_MODULE", "OUTCOMES_DATA_DIR", "DATABASE_URL", "SECRET_KEY")
_ENVIRONMENT_BEFORE = {name: os.environ.get(name) for name in _SET_IN_ENVIRONMENT}
_DATA_DIR = tempfile.mkdtemp(prefix="outcomes-web-tests-")
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
Path(_DATA_DIR, "static").mkdir()  # STATIC_ROOT, so WhiteNoise does not warn it is missing
os.environ["DJANGO_SETTINGS_MODULE"] = "outcomes_web.settings"
os.environ["OUTCOMES_DATA_DIR"] = _DATA_DIR  # the report cache and SQLite file go here, not ./var
os.environ["DATABASE_URL"] = f"sqlite:///{_DATA_DIR}/outcomes.sqlite3"  # the SQLite variant is SQLite
os.environ.setdefault("SECRET_KEY", "tests-only-not-secret-" + "x" * 40)
for _name in ("DEBUG", "OUTCOMES_SECURE", "OUTCOMES_PROXY_SSL_HEADER"):
    os.environ.pop(_name, None)

import dj_database_url  # noqa: E402
import django  # noqa: E402
from django.conf import settings  # noqa: E402

ACTIVE_ALIAS: contextvars.ContextVar[str] = contextvars.ContextVar("active_alias", default="default")


class ActiveAliasRouter:
    """Sends every query to the alias the running test chose (see ``db_alias``)."""

    def db_for_read(self, model: object, **hints: object) -> str:
        return ACTIVE_ALIAS.get()

    def db_for_write(self, model: object, **hints: object) -> str:
        return ACTIVE_ALIAS.get()

    def allow_relation(self, obj1: object, obj2: object, **hints: object) -> bool:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> None:
        return None


if PG_URL:
    settings.DATABASES["postgresql"] = dj_database_url.parse(PG_URL, conn_max_age=0)
    # Its test database: named here, so that django_db_setup can tell it has been made (pytest-xdist's
    # workers add _gw0, _gw1, ...), and made without the default alias's.
    settings.DATABASES["postgresql"]["TEST"] = {"NAME": "test_" + settings.DATABASES["postgresql"]["NAME"],
                                                "DEPENDENCIES": []}
settings.DATABASE_ROUTERS = [ActiveAliasRouter()]
# Argon2 is deliberately slow; tests that are not about hashing use a fast hasher (test_accounts
# checks the real setting and puts Argon2 back where it tests hashing).
PRODUCTION_HASHERS = list(settings.PASSWORD_HASHERS)
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PRODUCTION_HASHERS]
# Report builds run at once, in the request, so tests need no worker (tests/web/test_report_builds.py
# runs the production database backend with a worker it starts itself).
PRODUCTION_TASKS = dict(settings.TASKS)
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
django.setup()

ALIASES = {"sqlite": "default", "postgresql": "postgresql"}


def pytest_configure(config: pytest.Config) -> None:
    """In the pytest-xdist controller (``-n``; it runs no tests), put the environment back as it was.

    The controller imports this file when a path under tests/web is named, and its workers inherit
    its environment: pytest-django would then set Django up in every worker, before this file runs
    there, with the controller's data folder, shared by all. Without these variables each worker sets
    Django up here, with a folder of its own.
    """
    if getattr(config.option, "numprocesses", None) and not hasattr(config, "workerinput"):
        for name, value in _ENVIRONMENT_BEFORE.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _store_fixtures() -> None:
    """The example (Q4 2017-18 and, re-dated, Q3 2017-18), a second outcome, and a hidden draft."""
    from outcomes_web import adapter

    example = adapter.load_dataset(EXAMPLE)
    adapter.store_framework(example)
    earlier = adapter.load_dataset(EXAMPLE)
    q3 = replace(earlier.framework, reporting_period=_period("Q3 2017-18"))
    for s in q3.all_series():  # as if reported a quarter earlier: drop the last quarter's values
        s.observations = [o for o in s.observations if str(o.period) != "Q4 2017-18"]
    adapter.store_framework(q3)
    adapter.store_framework(adapter.load_dataset(SECOND))
    draft = adapter.load_dataset(SECOND)
    adapter.store_framework(replace(draft.framework, reporting_period=_period("Q1 2018-19")), publish=False)


def _period(text: str):  # type: ignore[no-untyped-def]
    from outcomes.model import Period  # tests may use the library directly

    return Period.parse(text)


def _is_test_database(alias: str) -> bool:
    """Whether ``alias`` now points at its test database (made by ``setup_databases``)."""
    from django.db import connections

    connection = connections[alias]
    return bool(connection.settings_dict["NAME"] == connection.creation._get_test_db_name())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The test databases, with the shared fixtures stored in each.

    pytest-django makes test databases only for the aliases the collected tests name: a run of files
    that never name ``postgresql`` (``databases="__all__"``) would otherwise store the fixtures in the
    server's own database, which every pytest-xdist worker shares. Such an alias gets its test
    database here (per worker: pytest-django's ``_gw0``, ``_gw1`` suffix is on every alias).
    """
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        missing = [alias for alias in ALIASES.values() if alias in settings.DATABASES and not _is_test_database(alias)]
        made = setup_databases(verbosity=0, interactive=False, aliases=missing) if missing else None
        for alias in ALIASES.values():
            if alias not in settings.DATABASES:
                continue
            connections[alias].ensure_connection()
            token = ACTIVE_ALIAS.set(alias)
            try:
                _store_fixtures()
            finally:
                ACTIVE_ALIAS.reset(token)
    yield
    if made is not None:
        with django_db_blocker.unblock():
            teardown_databases(made, verbosity=0)


@pytest.fixture(params=list(ALIASES))
def db_alias(request: pytest.FixtureRequest) -> Iterator[str]:
    """Run the test against SQLite, then PostgreSQL (skipped without a server; failed under CI)."""
    alias = ALIASES[request.param]
    if alias not in settings.DATABASES:
        message = ("the PostgreSQL variant needs OUTCOMES_TEST_DATABASE_URL "
                   "(scripts/with-postgres.sh starts a throwaway server and sets it)")
        if IN_CI:
            pytest.fail(f"CI=true: {message}.")
        pytest.skip(message)
    request.getfixturevalue("django_db_setup")
    token = ACTIVE_ALIAS.set(alias)
    try:
        yield alias
    finally:
        ACTIVE_ALIAS.reset(token)


@pytest.fixture
def second_path() -> Path:
    return SECOND


# ------------------------------------------------------------------------------ the quarterly cycle
def nothing_to_report(sub, user):  # type: ignore[no-untyped-def]
    """Store "nothing to report" with a reason for each series of ``sub`` still without a figure this
    period (a return cannot be signed off with a series unanswered), as ``user``; the keys answered."""
    from outcomes_web.store import workflow

    sub.refresh_from_db()
    entries = {key: {"period": str(period), "missing_reason": "Not yet published"}
               for key, _, period in workflow.unanswered(sub)}
    if entries:
        result = workflow.save_return(user, sub, sub.version, entries)
        assert result.saved, result.errors
    sub.refresh_from_db()
    return sorted(entries)


class Cycle:
    """Users of every role and the example's 'safe' outcome opened for Q1 2018-19 (a draft)."""

    PASSWORD = "a-long-test-password-2018"  # noqa: S105

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from outcomes_web.store import access, workflow
        from outcomes_web.store import models as m
        from outcomes_web.workspace import accounts

        User = get_user_model()

        def make(username: str, role: str | None) -> object:
            u = User.objects.create_user(username, f"{username}@example.org", self.PASSWORD,
                                         first_name=username.title())
            if role:
                accounts.set_role(u, role)
            return u

        self.admin = make("admin", access.ADMIN)
        self.perf = make("perf", access.PERFORMANCE)
        self.viewer = make("viewer", access.VIEWER)
        self.lead = make("lead", access.LEAD)  # leads child-protection
        self.other_lead = make("otherlead", access.LEAD)  # leads killed-seriously-injured
        self.norole = make("norole", None)
        accounts.assign(self.lead, "safe", "child-protection")
        accounts.assign(self.other_lead, "safe", "killed-seriously-injured")
        workflow.open_period(self.perf, "Q1 2018-19", None, outcome_keys=["safe"])
        self.draft = m.Snapshot.objects.get(outcome_key="safe", reporting_period__label="Q1 2018-19",
                                            published=False, archived_on__isnull=True)
        self.sub = m.Submission.objects.get(snapshot=self.draft, indicator_key="child-protection")
        self.other_sub = m.Submission.objects.get(snapshot=self.draft, indicator_key="killed-seriously-injured")
        self.published = m.Snapshot.objects.get(outcome_key="safe", reporting_period__label="Q4 2017-18",
                                                published=True, archived_on__isnull=True)

    def nothing_to_report(self, sub, user=None):  # type: ignore[no-untyped-def]
        return nothing_to_report(sub, user or self.perf)

    def client(self, user: object | None):  # type: ignore[no-untyped-def]
        from django.test import Client

        c = Client()
        if user is not None:
            c.force_login(user)
        return c


@pytest.fixture
def cycle(db: None) -> Cycle:
    return Cycle()
