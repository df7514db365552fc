"""``outcomes backup FILE`` / ``outcomes restore FILE``: a backup restored into an empty database serves
the same pages; a restore never overwrites data without --force and never leaves a half-restored
database; bad files and missing tools get a clear message. On SQLite and PostgreSQL.

The commands run as a user runs them (a child process with DATABASE_URL), over scratch databases
(tests/web/livedb.py); the pages are then fetched from both databases with the test client.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from tests.web import livedb
from tests.web.conftest import ROOT, Cycle

PAGES = ["/", "/outcomes/safe/", "/outcomes/safe/indicators/child-protection/", "/risks/",
         "/search/?q=children", "/api/outcomes/safe/"]


def outcomes(*args: str, url: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "outcomes_launcher", *args], env=livedb.server_env(url, data_dir),
                          cwd=ROOT, capture_output=True, text=True, timeout=300)


def pages(alias: str) -> dict[str, tuple[int, bytes]]:
    from django.test import Client

    with livedb.using(alias):
        client = Client()
        return {p: (r.status_code, r.content) for p in PAGES for r in [client.get(p)]}


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_a_backup_restored_into_an_empty_database_serves_the_same_pages(kind, tmp_path, django_db_blocker,
                                                                         monkeypatch):
    from django.contrib.auth import get_user_model

    from outcomes_web.store import models as m

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    backup_file = tmp_path / "outcomes.backup"
    with django_db_blocker.unblock(), livedb.live_database(kind, tmp_path, name="source") as (src, src_url):
        with livedb.using(src):
            cycle = Cycle()  # accounts, roles and an open draft period: more than the public pages
            users = sorted(get_user_model().objects.values_list("username", "password"))
        before = pages(src)
        assert all(code == 200 for code, _ in before.values()), {p: c for p, (c, _) in before.items()}

        made = outcomes("backup", str(backup_file), url=src_url, data_dir=tmp_path / "var")
        assert made.returncode == 0, made.stderr
        assert "Backed up" in made.stdout and str(backup_file) in made.stdout
        assert backup_file.stat().st_size > 10_000
        assert not list(tmp_path.glob(".outcomes.backup.*")), "a temporary file was left behind"

        with livedb.empty_database(kind, tmp_path, name="target") as (dst, dst_url):
            done = outcomes("restore", str(backup_file), url=dst_url, data_dir=tmp_path / "var2")
            assert done.returncode == 0, done.stderr
            assert "Restored" in done.stdout
            after = pages(dst)
            for path in PAGES:
                assert after[path][0] == 200, path
                if path.startswith("/search/"):  # hits of equal standing come in the database's own order
                    assert sorted(after[path][1].splitlines()) == sorted(before[path][1].splitlines())
                else:
                    assert after[path][1] == before[path][1], f"{path} differs after the restore"
            with livedb.using(dst):
                assert sorted(get_user_model().objects.values_list("username", "password")) == users
                draft = m.Snapshot.objects.get(pk=cycle.draft.pk)
                assert not draft.published and m.Submission.objects.filter(snapshot=draft).count() == \
                    m.Submission.objects.using(src).filter(snapshot_id=cycle.draft.pk).count()
                marker = m.AuditEvent.objects.count()

            # the target now holds data: a second restore is refused without --force, and changes nothing
            again = outcomes("restore", str(backup_file), url=dst_url, data_dir=tmp_path / "var2")
            assert again.returncode == 2
            assert "already holds data" in again.stderr and "--force" in again.stderr
            assert "Traceback" not in again.stderr
            with livedb.using(dst):
                assert m.AuditEvent.objects.count() == marker
            # with --force it replaces everything with the backup (the change made since is gone)
            with livedb.using(dst):
                m.Snapshot.objects.filter(pk=cycle.draft.pk).update(report_title="Changed after the backup")
            forced = outcomes("restore", "--force", str(backup_file), url=dst_url, data_dir=tmp_path / "var2")
            assert forced.returncode == 0, forced.stderr
            with livedb.using(dst):
                assert m.Snapshot.objects.get(pk=cycle.draft.pk).report_title != "Changed after the backup"
            assert pages(dst)["/outcomes/safe/"][1] == before["/outcomes/safe/"][1]


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_a_bad_backup_file_is_refused_before_anything_changes(kind, tmp_path, django_db_blocker, monkeypatch):
    from outcomes_web.store import models as m

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock(), livedb.empty_database(kind, tmp_path, name="target") as (dst, dst_url):
        junk = tmp_path / "notes.txt"
        junk.write_text("not a backup\n")
        r = outcomes("restore", "--force", str(junk), url=dst_url, data_dir=tmp_path / "var")
        assert r.returncode == 2 and "Traceback" not in r.stderr
        assert "is not a backup made by `outcomes backup`" in r.stderr and "Nothing was changed" in r.stderr
        # a truncated backup (the copy was cut short): refused, the database untouched
        with livedb.live_database(kind, tmp_path, name="source") as (_src, src_url):
            whole = tmp_path / "whole.backup"
            assert outcomes("backup", str(whole), url=src_url, data_dir=tmp_path / "var").returncode == 0
        livedb.migrate(dst)
        livedb.load_example(dst)
        with livedb.using(dst):
            snapshots = m.Snapshot.objects.count()
        cut = tmp_path / "cut.backup"
        cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
        r = outcomes("restore", "--force", str(cut), url=dst_url, data_dir=tmp_path / "var")
        assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
        assert "nothing was changed" in r.stderr.lower()
        with livedb.using(dst):
            assert m.Snapshot.objects.count() == snapshots
        assert pages(dst)["/outcomes/safe/"][0] == 200
        # no such file
        r = outcomes("restore", str(tmp_path / "missing.backup"), url=dst_url, data_dir=tmp_path / "var")
        assert r.returncode == 2 and "no such file" in r.stderr


def test_postgresql_backups_without_the_client_tools_say_what_to_install(tmp_path, django_db_blocker,
                                                                         monkeypatch):
    """PATH without pg_dump: a clear message, not a traceback (checked without a server: the tool is
    looked for before anything connects)."""
    from django.db import connections

    from outcomes_web import backup

    monkeypatch.setenv("PATH", str(tmp_path))
    connections.settings["pg-missing"] = {**connections.settings["default"],
                                          "ENGINE": "django.db.backends.postgresql", "NAME": "nowhere"}
    try:
        with pytest.raises(backup.BackupError) as caught:
            backup.backup(tmp_path / "x.backup", alias="pg-missing")
    finally:
        del connections.settings["pg-missing"]
    assert "pg_dump is not installed" in str(caught.value) and "postgresql-client" in str(caught.value)
    assert not (tmp_path / "x.backup").exists()
