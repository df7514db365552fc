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
from tests.web.html import BeautifulSoup, one, page
from tests.web.html import text as words

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


def _links(soup: BeautifulSoup) -> dict[str, str]:
    """The page's links in its main content: words to address."""
    return {words(a): str(a["href"]) for a in soup.select("main a[href]")}


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_a_report_not_yet_built_is_prepared_by_a_worker_while_the_page_says_so(kind, queue, tmp_path, monkeypatch):
    calls = fake_pdf(monkeypatch)
    with livedb.live_database(kind, tmp_path, name="builds") as (alias, _url), livedb.using(alias):
        client = Client()
        first = client.get(URL.format(fmt="pdf"))
        assert first.status_code == 202
        soup = page(first)
        status = one(soup, "main [role=status]")
        assert words(one(soup, "h1")) == "The report is being prepared"
        # it looks again by itself through a script file (no timed meta refresh, which fails WCAG 2.2.1
        # checks; no inline script, which the Content-Security-Policy forbids)
        assert status["data-refresh-url"] == "/outcomes/safe/report.pdf?wait=1"
        scripts = soup.select("script")
        assert len(scripts) == 1 and scripts[0].has_attr("defer") and not scripts[0].get_text().strip()
        assert re.fullmatch(r"/static/tracker/report-wait[.\w]*\.js", str(scripts[0]["src"])), scripts
        assert not soup.select("meta[http-equiv]")
        assert first["Cache-Control"] == "no-store" and first["Retry-After"] == status["data-refresh-seconds"]
        assert calls == [], "the request built the report itself"
        # the visitor can stop the automatic looking again (WCAG 2.2.1), and look again by hand
        stop = _links(soup)["Stop looking again by itself"]
        assert stop == "/outcomes/safe/report.pdf?wait=1&refresh=off"
        manual = page(client.get(stop))
        assert not manual.select("[data-refresh-url]") and not manual.select("script")
        assert "will not look again by itself" in words(one(manual, "main [role=status]"))
        assert _links(manual)["Look again now"] == "/outcomes/safe/report.pdf?wait=1&refresh=off"
        assert "Stop looking again by itself" not in _links(manual)
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
        assert "/outcomes/safe/report.pdf" in _links(page(ready)).values()
        assert not page(ready).select("[data-refresh-url]")
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
        soup = page(failed)
        assert failed.status_code == 503
        assert words(one(soup, "h1")) == "The report could not be built"
        assert "RuntimeError: the PDF engine ran out of memory" in words(one(soup, "main [role=alert]"))
        assert not soup.select("[data-refresh-url]"), "a failed build must not keep refreshing"
        form = one(soup, "main form[method=post]")
        assert form["action"] == "/outcomes/safe/report.pdf/retry"
        action, token = str(form["action"]), str(one(form, "input[name=csrfmiddlewaretoken]")["value"])
        assert token
        # without the CSRF token: refused
        assert client.post(action).status_code == 403
        # pressed twice: one new build
        for _ in range(2):
            r = client.post(action, {"csrfmiddlewaretoken": token})
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
