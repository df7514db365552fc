"""A real, fully migrated scratch database for tests that need real transactions, other threads or
other processes: a SQLite file, or a fresh database on the PostgreSQL server of the run.

The session's databases are wrapped in test transactions (pytest-django) and hold the shared example;
a test that commits, races threads or restores a backup gets its own database here instead, under
its own alias, with the settings of ``outcomes_web.settings`` (SQLite's transaction mode, WAL, busy
timeout), and throws it away afterwards.

Migrating a database and storing the example takes seconds, and a dozen tests want one: so each test
process migrates (and loads) a template once per kind, and ``live_database`` hands out copies of it
(SQLite's online backup into a new file; PostgreSQL's ``CREATE DATABASE ... TEMPLATE``), each as
new as a freshly migrated one. ``empty_database`` and ``migrate`` still start from nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import secrets
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
from tests.web.conftest import ACTIVE_ALIAS, EXAMPLE, IN_CI, PG_URL

KINDS = ("sqlite", "postgresql")


def require(kind: str) -> None:
    """Skip (or, under CI, fail) a PostgreSQL case without a server."""
    if kind == "postgresql" and not PG_URL:
        message = "the PostgreSQL case needs OUTCOMES_TEST_DATABASE_URL (scripts/with-postgres.sh sets it)"
        if IN_CI:
            pytest.fail(f"CI=true: {message}.")
        pytest.skip(message)


def _pg_admin(sql: str) -> None:
    import psycopg

    params = dj_database_url.parse(PG_URL)
    with psycopg.connect(dbname=params["NAME"], host=params.get("HOST") or None, port=params.get("PORT") or None,
                         user=params.get("USER") or None, password=params.get("PASSWORD") or None,
                         autocommit=True) as conn:
        conn.execute(sql)


def _open(kind: str, folder: Path, name: str, template: str | None = None) -> tuple[str, str, dict[str, Any]]:
    """A new database under a new alias, empty or a copy of ``template`` (a SQLite file, a PostgreSQL
    database): (alias, DATABASE_URL for other processes, its settings)."""
    from django.db import connections

    require(kind)
    alias = f"live-{name}-{secrets.token_hex(3)}"
    if kind == "sqlite":
        path = folder / f"{name}.sqlite3"
        if template is not None:
            with contextlib.closing(sqlite3.connect(template)) as source, \
                    contextlib.closing(sqlite3.connect(path)) as copy:
                source.backup(copy)
        url = f"sqlite:///{path}"
        config = dict(connections.settings["default"])
        config.update({"NAME": str(path), "TEST": {"NAME": str(path)}, "CONN_MAX_AGE": 0})
    else:
        dbname = f"outcomes_{name}_{secrets.token_hex(4)}"
        _pg_admin(f'CREATE DATABASE "{dbname}"' + (f' TEMPLATE "{template}"' if template else ""))
        pg = dj_database_url.parse(PG_URL)
        url = PG_URL.rsplit("/", 1)[0] + "/" + dbname
        config = dict(connections.settings["postgresql"]) if "postgresql" in connections.settings else dict(pg)
        config.update({"NAME": dbname, "TEST": {"NAME": dbname}, "CONN_MAX_AGE": 0})
    connections.settings[alias] = config
    return alias, url, config


def _close(kind: str, alias: str, config: dict[str, Any], *, drop: bool = True) -> None:
    from django.db import connections

    with contextlib.suppress(Exception):
        connections[alias].close()
    with contextlib.suppress(Exception):
        del connections[alias]
    del connections.settings[alias]
    if kind == "postgresql" and drop:
        _pg_admin(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')


@contextlib.contextmanager
def empty_database(kind: str, folder: Path, *, name: str = "scratch") -> Iterator[tuple[str, str]]:
    """A new, empty database (nothing created in it): (alias, DATABASE_URL for other processes)."""
    alias, url, config = _open(kind, folder, name)
    try:
        yield alias, url
    finally:
        _close(kind, alias, config)


def migrate(alias: str) -> None:
    from django.core.management import call_command

    token = ACTIVE_ALIAS.set(alias)
    try:
        call_command("migrate", database=alias, interactive=False, verbosity=0)
    finally:
        ACTIVE_ALIAS.reset(token)


def load_example(alias: str, dataset: Path = EXAMPLE) -> None:
    from outcomes_web import adapter

    token = ACTIVE_ALIAS.set(alias)
    try:
        adapter.store_framework(adapter.load_dataset(dataset))
    finally:
        ACTIVE_ALIAS.reset(token)


#: (kind, with the example) -> this process's template: a SQLite file's path or a PostgreSQL database's name.
_TEMPLATES: dict[tuple[str, bool], str] = {}


def _template(kind: str, example: bool) -> str:
    """The migrated (and, with ``example``, loaded) template of this process, made on first use and
    removed when the process ends."""
    key = (kind, example)
    if key not in _TEMPLATES:
        folder = Path(tempfile.mkdtemp(prefix="outcomes-livedb-templates-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        alias, _url, config = _open(kind, folder, "template")
        try:
            migrate(alias)
            if example:
                load_example(alias)
        except BaseException:
            _close(kind, alias, config)
            raise
        _close(kind, alias, config, drop=False)  # no connection left: PostgreSQL copies only an idle template
        if kind == "postgresql":
            atexit.register(_drop_quietly, config["NAME"])
        _TEMPLATES[key] = config["NAME"]
    return _TEMPLATES[key]


def _drop_quietly(dbname: str) -> None:
    with contextlib.suppress(Exception):  # the run's server may already be gone
        _pg_admin(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


@contextlib.contextmanager
def live_database(kind: str, folder: Path, *, name: str = "live", example: bool = True
                  ) -> Iterator[tuple[str, str]]:
    """A migrated scratch database (with the bundled example unless ``example=False``): a copy of this
    process's template."""
    alias, url, config = _open(kind, folder, name, template=_template(kind, example))
    try:
        yield alias, url
    finally:
        _close(kind, alias, config)


@contextlib.contextmanager
def using(alias: str) -> Iterator[None]:
    """Send this thread's (this context's) queries to ``alias``."""
    token = ACTIVE_ALIAS.set(alias)
    try:
        yield
    finally:
        ACTIVE_ALIAS.reset(token)


def server_env(url: str, data_dir: Path, **extra: Any) -> dict[str, str]:
    """The environment of an ``outcomes``/gunicorn child process over ``url``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")}
    env.update({"DATABASE_URL": url, "OUTCOMES_DATA_DIR": str(data_dir)})
    env.update({k: str(v) for k, v in extra.items()})
    return env
