"""More than one app server over one database: two ``outcomes serve`` processes (each gunicorn plus its
report worker) on different ports, with separate data folders (no shared disk), over one SQLite file
and over one PostgreSQL database. A publish through one is served by the other at once, though the
other has just served (and cached) the pages as they were; a report asked for through both is built
once, by whichever worker takes it, and served by both.

The in-process caches this exercises: the judged-framework cache and the rendered-page memo
(``adapter.load_outcome``: keyed by the snapshot row's id, revision and content hash, read from the
database on every request), the public snapshot lists (queried per request), and the report cache
(on disk per server, named by revision and content hash; the finished file in the database).
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from tests.processes import OWN_GROUP, stop
from tests.web import livedb
from tests.web.conftest import ROOT, Cycle
from tests.web.html import Doctype, parse
from tests.web.test_serve import _free_port

PERIOD = "Q1 2018-19"
PASSWORD = "two-servers-test-password-2018"  # noqa: S105


class Browser:
    """A cookie-keeping HTTP client for one server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, str]:
        try:
            with self.opener.open(self.base + path, timeout=30) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.base + path, data=body), timeout=60) as r:
                return r.status, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def sign_in(self, username: str, password: str) -> None:
        status, _ = self.get("/accounts/login/")
        assert status == 200
        status, html = self.post("/accounts/login/", {"username": username, "password": password})
        assert status == 200 and "Sign out" in html, html[:2000]


@contextmanager
def server(url: str, data_dir: Path) -> Iterator[str]:
    port = _free_port()
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "outcomes_launcher", "serve", "--port", str(port), "--workers", "1", "--threads", "4"],
            env=livedb.server_env(url, data_dir), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, **OWN_GROUP)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    with urllib.request.urlopen(base + "/", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.3)
            yield base
        finally:
            stop(process)  # with its gunicorn worker and its report worker


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_a_publish_through_one_server_is_served_by_the_other_at_once(kind, tmp_path, django_db_blocker,
                                                                     monkeypatch):
    from django.contrib.auth.hashers import make_password
    from django_tasks_db.models import DBTaskResult

    from outcomes_web.reports.models import ReportBuild
    from outcomes_web.store import models as m

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with django_db_blocker.unblock(), livedb.live_database(kind, tmp_path, name="shared") as (alias, url):
        with livedb.using(alias):
            cycle = Cycle()  # opens Q1 2018-19 as a draft, with a performance-team account
            m.Submission.objects.filter(snapshot=cycle.draft).update(status=m.Submission.Status.ACCEPTED)
            # the servers hash with Argon2 (the tests' fast hasher is not theirs)
            type(cycle.perf).objects.filter(pk=cycle.perf.pk).update(password=make_password(PASSWORD, hasher="argon2"))
            draft = m.Snapshot.objects.get(pk=cycle.draft.pk)
        with ExitStack() as stack:
            a = Browser(stack.enter_context(server(url, tmp_path / "server-a")))
            b = Browser(stack.enter_context(server(url, tmp_path / "server-b")))
            quarter = "/outcomes/safe/?period=" + urllib.parse.quote_plus(PERIOD)
            # B serves (and caches) the published state: the draft quarter is not public
            assert b.get(quarter)[0] == 404
            status, scorecard_before = b.get("/outcomes/safe/")
            assert status == 200 and "Q4 2017-18" in scorecard_before
            assert PERIOD not in b.get("/")[1]

            a.sign_in("perf", PASSWORD)
            status, _ = a.post(f"/manage/snapshots/{draft.pk}/publish/", {"version": str(draft.version)})
            assert status == 200
            with livedb.using(alias):
                assert m.Snapshot.objects.get(pk=draft.pk).published

            # at once, through B: the quarter, the latest scorecard, the home page
            status, page = b.get(quarter)
            assert status == 200 and PERIOD in page
            status, scorecard_after = b.get("/outcomes/safe/")
            assert status == 200 and scorecard_after != scorecard_before and PERIOD in scorecard_after
            assert PERIOD in b.get("/")[1]

            # the quarter's report, asked for through both: one build, by one of the two workers
            report = "/outcomes/safe/report.html?period=" + urllib.parse.quote_plus(PERIOD)
            assert b.get(report)[0] == 202
            assert a.get(report)[0] == 202
            bodies = {}
            deadline = time.monotonic() + 240
            for name, who in (("b", b), ("a", a)):
                while True:
                    status, body = who.get(report)
                    if status != 202 or time.monotonic() > deadline:
                        break
                    time.sleep(1)
                assert status == 200 and isinstance(parse(body).contents[0], Doctype), body[:500]
                bodies[name] = body
            assert bodies["a"] == bodies["b"]
            assert re.search(r"Q1 2018-19|2018-19", bodies["a"])
            with livedb.using(alias):
                assert ReportBuild.objects.count() == 1 and ReportBuild.objects.get().status == "done"
                assert DBTaskResult.objects.count() == 1
                assert DBTaskResult.objects.get().status == "SUCCESSFUL"
