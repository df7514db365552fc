"""Report builds: asked for by a request, queued once, built by a worker, served by every app server.

A report (the HTML or PDF of one outcome and period) takes seconds to build (a PDF 6–30 s), too long
to hold a request. :func:`request` answers at once with one of

* :class:`Ready`: the file (from this server's disk cache, or from the database, where the worker
  that built it left it, so any app server on any machine can serve it);
* :class:`Pending`: a build is queued or running (the page says so and looks again);
* :class:`Failed`: the last build failed, with the reason (:func:`retry` queues it again).

However many people ask at once, a report has one :class:`~outcomes_web.reports.models.ReportBuild`
row (its ``key`` is unique) and so one build. The build runs as a task of Django's tasks API
(django-tasks; ``settings.TASKS``): in production the database backend, run by ``outcomes worker``
(or the worker that ``outcomes serve`` starts); in tests the immediate backend, which builds at once.
"""

from __future__ import annotations

import datetime
import logging
import threading
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from outcomes_web import adapter
from outcomes_web.reports.models import ReportBuild

log = logging.getLogger("outcomes_web.reports")
S = ReportBuild.Status

#: A build still "running" after this long has lost its worker (restarted, killed): it is failed,
#: so it can be retried. Builds take well under a minute.
RUNNING_TOO_LONG = datetime.timedelta(minutes=10)
#: A build still queued after this long means no worker is taking builds: the page says so.
QUEUED_TOO_LONG = datetime.timedelta(minutes=2)


@dataclass(frozen=True)
class Ready:
    content: bytes
    cached: bool  # built before this request


@dataclass(frozen=True)
class Pending:
    build: ReportBuild

    @property
    def waiting_long(self) -> bool:
        return self.build.status == S.QUEUED and timezone.now() - self.build.requested_on > QUEUED_TOO_LONG


@dataclass(frozen=True)
class Failed:
    build: ReportBuild


Outcome = Ready | Pending | Failed


def request(loaded: adapter.Loaded, fmt: str) -> Outcome:
    """The report of ``loaded`` as ``fmt``, or where its build stands (queuing one if there is none)."""
    path = adapter.report_cache_path(loaded, fmt)
    if path.exists():
        return Ready(path.read_bytes(), cached=True)
    with transaction.atomic(using=_db()):
        build, created = ReportBuild.objects.get_or_create(key=path.name,
                                                           defaults={"snapshot": loaded.snapshot, "fmt": fmt})
        if created:
            _enqueue(build)
    build.refresh_from_db()
    if build.status == S.DONE and build.content is not None:
        content = bytes(build.content)
        _keep_on_disk(path, content)
        return Ready(content, cached=not created)
    if build.status == S.RUNNING and build.started_on and timezone.now() - build.started_on > RUNNING_TOO_LONG:
        ReportBuild.objects.filter(pk=build.pk, status=S.RUNNING).update(
            status=S.FAILED, finished_on=timezone.now(),
            error="the build stopped without finishing (its worker was probably restarted)")
        build.refresh_from_db()
    if build.status == S.FAILED:
        return Failed(build)
    return Pending(build)


def retry(loaded: adapter.Loaded, fmt: str) -> bool:
    """Queue a failed build again (once, however many people press the button). True if queued."""
    key = adapter.report_cache_path(loaded, fmt).name
    with transaction.atomic(using=_db()):
        requeued = ReportBuild.objects.filter(key=key, status=S.FAILED).update(
            status=S.QUEUED, error="", requested_on=timezone.now(), started_on=None, finished_on=None, task_id="")
        if requeued:
            _enqueue(ReportBuild.objects.get(key=key))
    return bool(requeued)


def build_now(loaded: adapter.Loaded, fmt: str) -> Outcome:
    """Build in this process, now (``outcomes import --warm-reports``), and keep it for every server."""
    path = adapter.report_cache_path(loaded, fmt)
    build, _ = ReportBuild.objects.get_or_create(key=path.name, defaults={"snapshot": loaded.snapshot, "fmt": fmt})
    if build.status != S.DONE:
        ReportBuild.objects.filter(pk=build.pk).update(status=S.QUEUED)
        build_report.call(build.pk)
    return request(loaded, fmt)


def _db() -> str:
    from django.db import router

    return router.db_for_write(ReportBuild)


def _enqueue(build: ReportBuild) -> None:
    result = build_report.enqueue(build.pk)
    ReportBuild.objects.filter(pk=build.pk, task_id="").update(task_id=str(result.id)[:64])


def _keep_on_disk(path: Any, content: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + f".{threading.get_ident()}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    except OSError:  # a read-only or full disk: serve from the database
        log.warning("Could not keep %s in the report cache", path, exc_info=True)


@task()
def build_report(build_id: int) -> str:
    """Build one report (a worker runs this). Returns the outcome: done, failed or skipped."""
    claimed = ReportBuild.objects.filter(pk=build_id, status=S.QUEUED).update(
        status=S.RUNNING, started_on=timezone.now())
    if not claimed:  # already built, or being built by another worker
        return "skipped"
    build = ReportBuild.objects.select_related("snapshot").get(pk=build_id)
    ReportBuild.objects.filter(pk=build_id).update(attempts=build.attempts + 1)
    try:
        loaded = adapter.load_outcome(build.snapshot)
        content, _ = adapter.render_report(loaded, build.fmt)
    except (SystemExit, KeyboardInterrupt):  # the worker is being stopped: leave the build to the next one
        ReportBuild.objects.filter(pk=build_id).update(status=S.QUEUED, started_on=None, task_id="")
        _enqueue(build)
        raise
    except adapter.ReportUnavailable as exc:
        error = str(exc)
    except Exception as exc:  # noqa: BLE001 - recorded for the page and logged with its traceback
        log.exception("Building report %s failed", build.key)
        error = f"the report could not be built ({type(exc).__name__}: {exc})"
    else:
        ReportBuild.objects.filter(pk=build_id).update(status=S.DONE, content=content, error="",
                                                       finished_on=timezone.now())
        return "done"
    ReportBuild.objects.filter(pk=build_id).update(status=S.FAILED, error=error, finished_on=timezone.now())
    return "failed"
