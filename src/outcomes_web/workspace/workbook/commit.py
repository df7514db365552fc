"""Keeping and committing an upload: what a :class:`~outcomes_web.store.models.PendingUpload` keeps of
the workbook as read, and :func:`commit_workbook`, which writes every return with
``workflow.save_return`` in one transaction (all or nothing; refused when a return changed since
the workbook was downloaded).
"""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.db import router, transaction
from django.db.models import F
from django.utils import timezone

from outcomes_web.store import models as m
from outcomes_web.store import workflow
from outcomes_web.store.concurrency import Conflict
from outcomes_web.workspace.workbook.check import Preview, _version_conflict, check_workbook
from outcomes_web.workspace.workbook.layout import FIGURES, NotAWorkbook, WorkbookRefused
from outcomes_web.workspace.workbook.read import (
    CellProblem,
    FigureRow,
    NarrativeRow,
    ParsedWorkbook,
    read_workbook,
)


def seen_versions_json(parsed: ParsedWorkbook) -> dict[str, Any]:
    """What :class:`~outcomes_web.store.models.PendingUpload` keeps of the versions the workbook saw."""
    return {"submission_versions": {str(k): v for k, v in parsed.versions.items()},
            "generated": parsed.generated.isoformat() if parsed.generated else ""}


def stored_versions(upload: m.PendingUpload) -> dict[int, int]:
    raw = (upload.seen_versions or {}).get("submission_versions") or {}
    return {int(k): int(v) for k, v in raw.items()}


PARSED_FORMAT = 1


def parsed_to_json(parsed: ParsedWorkbook) -> dict[str, Any]:
    """What :class:`~outcomes_web.store.models.PendingUpload` keeps of the workbook as read (``parsed``)."""
    return {
        "format": PARSED_FORMAT, "filename": parsed.filename, "period_label": parsed.period_label,
        "username": parsed.username, "generated": parsed.generated.isoformat() if parsed.generated else "",
        "versions": {str(k): v for k, v in parsed.versions.items()},
        "figures": [[f.row, f.submission_pk, f.series_key, f.fields, f.provisional_text] for f in parsed.figures],
        "narrative": [[n.row, n.submission_pk, n.indicator_key, n.text] for n in parsed.narrative],
        "problems": [[p.sheet, p.cell, p.message] for p in parsed.problems],
    }


def parsed_from_json(data: dict[str, Any]) -> ParsedWorkbook | None:
    """The workbook as read on upload, or None when the upload has none kept (or another format)."""
    if not data or data.get("format") != PARSED_FORMAT:
        return None
    generated = None
    with contextlib.suppress(ValueError):
        generated = datetime.datetime.fromisoformat(data["generated"]) if data["generated"] else None
    return ParsedWorkbook(
        filename=data["filename"], period_label=data["period_label"], username=data["username"],
        generated=generated, versions={int(k): int(v) for k, v in data["versions"].items()},
        figures=[FigureRow(row, pk, key, dict(fields), provisional) for row, pk, key, fields, provisional
                 in data["figures"]],
        narrative=[NarrativeRow(row, pk, key, dict(text)) for row, pk, key, text in data["narrative"]],
        problems=[CellProblem(sheet, cell, message) for sheet, cell, message in data["problems"]],
    )


def parsed_upload(upload: m.PendingUpload) -> ParsedWorkbook:
    """The upload's workbook as read when it was uploaded; read (once) and kept if it was not."""
    parsed = parsed_from_json(upload.parsed)
    if parsed is None:
        parsed = read_workbook(bytes(upload.content), upload.filename)
        upload.parsed = parsed_to_json(parsed)
        m.PendingUpload.objects.filter(pk=upload.pk).update(parsed=upload.parsed)
    return parsed


def preview_upload(user: Any, upload: m.PendingUpload) -> Preview:
    return check_workbook(user, parsed_upload(upload), stored_versions(upload))


def commit_workbook(user: Any, upload: m.PendingUpload) -> int:
    """Write every change of a previewed upload, all or nothing; the number of changes written.

    :class:`WorkbookRefused` (nothing written) when a cell has a problem, a return changed since the
    workbook was downloaded, or the upload was already committed or discarded.
    """
    if upload.user_id != getattr(user, "pk", None):
        raise WorkbookRefused(["Only the person who uploaded a workbook can commit it."])
    try:
        preview = preview_upload(user, upload)
    except NotAWorkbook as exc:
        raise WorkbookRefused([str(exc)]) from None
    if not preview.ok:
        raise WorkbookRefused([str(p) for p in preview.problems])
    written = 0
    with transaction.atomic(using=router.db_for_write(m.PendingUpload)):  # the store's database
        done = m.PendingUpload.objects.filter(pk=upload.pk, status=m.PendingUpload.Status.PREVIEW).update(
            status=m.PendingUpload.Status.COMMITTED, modified_by=user, modified_on=timezone.now(),
            version=F("version") + 1)
        if not done:
            raise WorkbookRefused(["This upload has already been committed or discarded."])
        for p in preview.plans:
            try:
                result = workflow.save_return(user, p.submission, p.seen_version, p.entries, p.narrative,
                                              file=f"{upload.filename} {FIGURES}", locations=p.locations,
                                              action="workbook-upload")
            except Conflict:
                raise WorkbookRefused([_version_conflict(p.submission, p.seen_version,
                                                         preview.parsed.generated)]) from None
            except workflow.WorkflowError as exc:
                raise WorkbookRefused([f"{p.submission.indicator_key}: {exc}"]) from None
            if not result.saved:
                raise WorkbookRefused([f"{p.submission.indicator_key}: the figures were refused on saving; "
                                       "upload the workbook again to see why."])
            written += result.changes
    upload.refresh_from_db()
    return written


def discard_upload(user: Any, upload: m.PendingUpload) -> bool:
    return bool(m.PendingUpload.objects.filter(pk=upload.pk, user=user, status=m.PendingUpload.Status.PREVIEW)
                .update(status=m.PendingUpload.Status.DISCARDED, modified_by=user, modified_on=timezone.now(),
                        version=F("version") + 1))
