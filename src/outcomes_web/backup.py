"""``outcomes backup FILE`` and ``outcomes restore FILE``: the whole tracker database in one file.

* **SQLite**: SQLite's online backup API (:meth:`sqlite3.Connection.backup`), a consistent copy even
  while the site is serving and saving; the backup is itself a SQLite database file. Restoring copies
  it back with the same API in a single step, which SQLite applies as one transaction.
* **PostgreSQL**: PostgreSQL's own tools in their custom format, ``pg_dump --format=custom`` and
  ``pg_restore --single-transaction``, so a failed restore changes nothing. The client tools
  (``pg_dump``, ``pg_restore``; Debian package ``postgresql-client``) must be installed, of the
  server's major version or newer.

A backup is written to a temporary file beside ``FILE`` and renamed when complete, so ``FILE`` is
never half-written. A restore refuses a database that already holds data unless ``force`` is given,
and checks the file before touching the database.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
# Tables whose rows `migrate` creates by itself: a database holding only these is empty.
BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission", "sqlite_sequence"}
# A table every tracker database has: a file without it is not a backup of the tracker.
MARKER_TABLE = "store_snapshot"


class BackupError(Exception):
    """A backup or restore that cannot be done, with what to do about it."""


@dataclass(frozen=True)
class Done:
    path: Path
    size: int
    engine: str


def _engine(alias: str) -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith(("postgresql", "postgis")):
        return "postgresql"
    raise BackupError(f"Backups are made for SQLite and PostgreSQL only, not {engine}.")


def _tmp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


# --------------------------------------------------------------------------------------------- backup
def backup(target: str | Path, *, alias: str = "default") -> Done:
    """Write the whole database of ``alias`` to ``target`` (replaced only when the copy is complete)."""
    path = Path(target).expanduser()
    if path.is_dir():
        raise BackupError(f"{path} is a folder: give a file name, for example {path / 'outcomes.backup'}.")
    if not path.parent.is_dir():
        raise BackupError(f"The folder {path.parent} does not exist: create it first, or choose another place.")
    engine = _engine(alias)
    tmp = _tmp_beside(path)
    try:
        if engine == "sqlite":
            _sqlite_backup(alias, tmp)
        else:
            _pg_run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"], alias)
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return Done(path, path.stat().st_size, engine)


def _sqlite_backup(alias: str, tmp: Path) -> None:
    name = connections[alias].settings_dict["NAME"]
    if not Path(name).exists():
        raise BackupError(f"There is no database at {name} to back up yet.")
    source = sqlite3.connect(name)
    dest = sqlite3.connect(tmp)
    try:
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()
        source.close()


# -------------------------------------------------------------------------------------------- restore
def has_data(alias: str = "default") -> bool:
    """Whether the database holds anything beyond what ``migrate`` creates by itself."""
    conn = connections[alias]
    tables = set(conn.introspection.table_names()) - BOOKKEEPING
    with conn.cursor() as cursor:
        for table in sorted(tables):
            cursor.execute(f"SELECT 1 FROM {conn.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - names from the db
            if cursor.fetchone():
                return True
    return False


def restore(source: str | Path, *, alias: str = "default", force: bool = False) -> Done:
    """Replace the database of ``alias`` with the backup in ``source``: all of it, or nothing."""
    path = Path(source).expanduser()
    if not path.is_file():
        raise BackupError(f"{path}: no such file. Give the file that `outcomes backup` wrote.")
    engine = _engine(alias)
    with path.open("rb") as fh:
        head = fh.read(16)
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise BackupError(f"{path} is not a backup made by `outcomes backup` (neither a SQLite database nor a "
                          "PostgreSQL custom-format dump). Nothing was changed.")
    if kind != engine:
        raise BackupError(f"{path} is a {_NAMES[kind]} backup but this site's database is {_NAMES[engine]}: restore "
                          f"it into a {_NAMES[kind]} database (set DATABASE_URL), or export and import a dataset "
                          "folder to move between the two. Nothing was changed.")
    if engine == "sqlite":
        _sqlite_check(path)
    else:
        _pg_run("pg_restore", ["--list", str(path)], alias, quiet=True)
    if not force and has_data(alias):
        raise BackupError(f"The database {_label(alias)} already holds data. Restoring would replace all of it "
                          f"with {path.name}; run again with --force if that is what you want. Nothing was changed.")
    connections[alias].close()
    if engine == "sqlite":
        _sqlite_restore(alias, path)
    else:
        _pg_run("pg_restore", ["--single-transaction", "--exit-on-error", "--clean", "--if-exists", "--no-owner",
                               "--no-privileges", f"--dbname={_pg_dbname(alias)}", str(path)], alias)
    connections[alias].close()
    return Done(path, path.stat().st_size, engine)


_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _sqlite_check(path: Path) -> None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path} cannot be read as a SQLite database ({exc}). Nothing was changed.") from None
    if ok != "ok":
        raise BackupError(f"{path} is damaged (SQLite says: {ok}). Nothing was changed.")
    if MARKER_TABLE not in tables:
        raise BackupError(f"{path} is a SQLite database but not a backup of the tracker (it has no "
                          f"{MARKER_TABLE} table). Nothing was changed.")


def _sqlite_restore(alias: str, path: Path) -> None:
    name = connections[alias].settings_dict["NAME"]
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    dest = sqlite3.connect(name, timeout=30)
    try:
        # pages=-1 (the default): the whole database in one step, which SQLite commits as one
        # transaction on the destination, so readers see the old database or the new one, never a mix.
        source.backup(dest)
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        dest.close()
        source.close()


# ------------------------------------------------------------------------------------------ PostgreSQL
def _pg_dbname(alias: str) -> str:
    return str(connections[alias].settings_dict["NAME"])


def _label(alias: str) -> str:
    db = connections[alias].settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return str(db["NAME"])
    return f"'{db['NAME']}'"


def _pg_env(alias: str) -> dict[str, str]:
    db: dict[str, Any] = connections[alias].settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _pg_run(tool: str, args: list[str], alias: str, *, quiet: bool = False) -> None:
    exe = shutil.which(tool)
    if exe is None:
        raise BackupError(f"{tool} is not installed: PostgreSQL backups use PostgreSQL's own client tools. Install "
                          "them (Debian/Ubuntu: apt-get install postgresql-client; the same major version as the "
                          "server or newer) and run the command again. Nothing was changed.")
    done = subprocess.run([exe, *args], env=_pg_env(alias), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        shown = "\n  ".join(detail[-8:]) or f"exit status {done.returncode}"
        verb = "check the backup file" if quiet else ("restore" if tool == "pg_restore" else "back up")
        raise BackupError(f"{tool} could not {verb}; nothing was changed. It said:\n  {shown}")
