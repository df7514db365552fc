"""Report builds run outside the request, on the database task queue (django-tasks' database backend):
a request for a report not yet built answers at once with a page saying it is being prepared (which
looks again by itself, with no script), duplicate requests queue one build, a worker (run here once,
in-process) builds it and every later request gets the file; a failed build says why and can be
retried, once however many times the button is pressed. On a real SQLite file and on PostgreSQL.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.test import Client
from tests.web import livedb
from tests.web.conftest import PRODUCTION_TASKS

import outcomes.report

URL = "/outcomes/safe/report.{fmt}"


@pytest.fixture
def queue(settings, tmp_path, django_db_blocker, monkeypatch):  # type: ignore[no-untyped-def]
    """The production task backend, a fresh report cache, and a live database per kind."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.TASKS = PRODUCTION_TASKS
    settings.REPORT_CACHE_DIR = tmp_path / "reports"
    with django_db_blocker.unblock():
        yield


def run_worker_once() -> None:
    """What `outcomes worker` does, until the queue is empty (django-tasks-db's worker, batch mode)."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="test-worker", excluded_queue_names=[]).run()


def queued() -> tuple[int, int]:
    from django_tasks_db.models import DBTaskResult

    from outcomes_web.reports.models import ReportBuild

    return ReportBuild.objects.count(), DBTaskResult.objects.count()


def fake_pdf(monkeypatch: pytest.MonkeyPatch, *, fail: bool = False) -> list[str]:
    calls: list[str] = []

    def render_pdf(framework: Any, **kwargs: Any) -> bytes:
        calls.append(str(kwargs.get("period")))
        if fail:
            raise RuntimeError("the PDF engine ran out of memory")
        return b"%PDF-1.7 built by the worker"

    monkeypatch.setattr(outcomes.report, "render_pdf", render_pdf, raising=False)
    return calls


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_a_report_not_yet_built_is_prepared_by_a_worker_while_the_page_says_so(kind, queue, tmp_path, monkeypatch):
    calls = fake_pdf(monkeypatch)
    with livedb.live_database(kind, tmp_path, name="builds") as (alias, _url), livedb.using(alias):
        client = Client()
        first = client.get(URL.format(fmt="pdf"))
        assert first.status_code == 202
        html = first.content.decode()
        assert "The report is being prepared" in html and 'role="status"' in html
        # it looks again by itself through a script file (no timed meta refresh, which fails WCAG 2.2.1
        # checks; no inline script, which the Content-Security-Policy forbids)
        refresh = re.search(r'data-refresh-url="([^"]+)" data-refresh-seconds="(\d+)"', html)
        assert refresh and refresh.group(1) == "/outcomes/safe/report.pdf?wait=1", html
        assert re.search(r'<script src="/static/tracker/report-wait[.\w]*\.js" defer></script>', html), html
        assert "http-equiv" not in html and not re.search(r"<script>|<script [^>]*>[^<]", html)
        assert first["Cache-Control"] == "no-store" and first["Retry-After"] == refresh.group(2)
        assert calls == [], "the request built the report itself"
        # the visitor can stop the automatic looking again (WCAG 2.2.1), and look again by hand
        stop = re.search(r'<a href="([^"]+)">Stop looking again by itself</a>', html)
        assert stop and stop.group(1) == "/outcomes/safe/report.pdf?wait=1&amp;refresh=off"
        manual = client.get(stop.group(1).replace("&amp;", "&")).content.decode()
        assert "data-refresh-url" not in manual and "will not look again by itself" in manual, manual[manual.find("<main"):]
        assert '<a href="/outcomes/safe/report.pdf?wait=1&amp;refresh=off">Look again now</a>' in manual
        # more requests while it waits: still one build queued
        for _ in range(3):
            assert client.get(URL.format(fmt="pdf")).status_code == 202
        assert client.get(URL.format(fmt="pdf") + "?wait=1").status_code == 202
        assert queued() == (1, 1)

        run_worker_once()
        assert calls == ["Q4 2017-18"]
        # the waiting page, looking again, now offers the download (a PDF is a download: no loop)
        ready = client.get(URL.format(fmt="pdf") + "?wait=1")
        assert ready.status_code == 200 and "The report is ready" in ready.content.decode()
        assert 'href="/outcomes/safe/report.pdf"' in ready.content.decode()
        assert "data-refresh-url" not in ready.content.decode()
        pdf = client.get(URL.format(fmt="pdf"))
        assert pdf.status_code == 200 and pdf.content == b"%PDF-1.7 built by the worker"
        assert pdf["Content-Type"] == "application/pdf" and pdf["X-Report-Cache"] == "hit"
        # another app server (no disk cache of its own) serves the same file from the database
        for f in (tmp_path / "reports").iterdir():
            f.unlink()
        again = client.get(URL.format(fmt="pdf"))
        assert again.status_code == 200 and again.content == b"%PDF-1.7 built by the worker"
        assert calls == ["Q4 2017-18"] and queued() == (1, 1)

        # the real HTML renderer, through the worker; the waiting page then goes to the report itself
        assert client.get(URL.format(fmt="html")).status_code == 202
        run_worker_once()
        ready = client.get(URL.format(fmt="html") + "?wait=1")
        assert ready.status_code == 302 and ready["Location"] == "/outcomes/safe/report.html"
        report = client.get(ready["Location"])
        assert report.status_code == 200 and report.content.startswith(b"<!DOCTYPE html>")
        assert b"Safe" in report.content


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_a_failed_build_says_why_and_can_be_retried_once(kind, queue, tmp_path, monkeypatch):
    from outcomes_web.reports.models import ReportBuild

    fake_pdf(monkeypatch, fail=True)
    with livedb.live_database(kind, tmp_path, name="fails") as (alias, _url), livedb.using(alias):
        client = Client(enforce_csrf_checks=True)
        assert client.get(URL.format(fmt="pdf")).status_code == 202
        run_worker_once()
        failed = client.get(URL.format(fmt="pdf") + "?wait=1")
        html = failed.content.decode()
        assert failed.status_code == 503
        assert "The report could not be built" in html and 'role="alert"' in html
        assert "RuntimeError: the PDF engine ran out of memory" in html
        assert "data-refresh-url" not in html, "a failed build must not keep refreshing"
        form = re.search(r'<form method="post" action="([^"]+)">', html)
        assert form and form.group(1) == "/outcomes/safe/report.pdf/retry"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert token
        # without the CSRF token: refused
        assert client.post(form.group(1)).status_code == 403
        # pressed twice: one new build
        for _ in range(2):
            r = client.post(form.group(1), {"csrfmiddlewaretoken": token.group(1)})
            assert r.status_code == 302 and r["Location"] == "/outcomes/safe/report.pdf?wait=1"
        assert queued() == (1, 2)
        assert ReportBuild.objects.get().status == "queued"
        assert client.get(r["Location"]).status_code == 202
        calls = fake_pdf(monkeypatch)  # mended
        run_worker_once()
        assert calls == ["Q4 2017-18"]
        assert client.get(URL.format(fmt="pdf")).content == b"%PDF-1.7 built by the worker"
        assert ReportBuild.objects.get().attempts == 2


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_simultaneous_first_requests_queue_one_build(kind, queue, tmp_path, monkeypatch):
    from django.db import connections

    fake_pdf(monkeypatch)
    with livedb.live_database(kind, tmp_path, name="dupes") as (alias, _url):
        barrier = threading.Barrier(8)
        codes: list[Any] = []

        def ask() -> None:
            with livedb.using(alias):
                try:
                    barrier.wait(timeout=30)
                    codes.append(Client().get(URL.format(fmt="pdf")).status_code)
                except BaseException as exc:  # noqa: BLE001 - asserted below
                    codes.append(exc)
                finally:
                    connections.close_all()

        threads = [threading.Thread(target=ask) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert codes == [202] * 8
        with livedb.using(alias):
            assert queued() == (1, 1)


def test_a_build_whose_worker_died_is_reported_failed_and_can_be_retried(queue, tmp_path, monkeypatch):
    import datetime

    from django.utils import timezone

    from outcomes_web.reports.models import ReportBuild

    fake_pdf(monkeypatch)
    with livedb.live_database("sqlite", tmp_path, name="died") as (alias, _url), livedb.using(alias):
        client = Client()
        assert client.get(URL.format(fmt="pdf")).status_code == 202
        ReportBuild.objects.update(status="running", started_on=timezone.now() - datetime.timedelta(hours=1))
        r = client.get(URL.format(fmt="pdf"))
        assert r.status_code == 503 and "stopped without finishing" in r.content.decode()


def test_a_build_interrupted_by_stopping_its_worker_is_queued_again(queue, tmp_path, monkeypatch):
    """Ctrl+C (twice) or a forced stop ends the task with SystemExit: the build goes back on the queue
    for the next worker, rather than staying 'being built' until it is given up."""
    from outcomes_web.reports.models import ReportBuild

    calls: list[int] = []

    def render_pdf(framework: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 1:
            raise SystemExit(1)  # what the worker's signal handler raises inside the running task
        return b"%PDF-1.7 second attempt"

    monkeypatch.setattr(outcomes.report, "render_pdf", render_pdf, raising=False)
    with livedb.live_database("sqlite", tmp_path, name="stopped") as (alias, _url), livedb.using(alias):
        client = Client()
        assert client.get(URL.format(fmt="pdf")).status_code == 202
        run_worker_once()  # the interrupted task, then the one it queued again
        assert len(calls) == 2
        assert ReportBuild.objects.get().status == "done" and queued() == (1, 2)
        assert client.get(URL.format(fmt="pdf")).content == b"%PDF-1.7 second attempt"
