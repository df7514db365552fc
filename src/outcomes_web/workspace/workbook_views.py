"""The data-collection workbook pages: download, upload, preview, commit and discard.

A lead officer (or the performance team) downloads the workbook of a period, fills it in offline
and uploads it; the upload is kept as a :class:`~outcomes_web.store.models.PendingUpload` and shown
as a preview of every change, with every problem by sheet and cell; nothing is written until the
officer commits, and then every return is written in one transaction (``workbook.commit_workbook``).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import router, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from outcomes_web import adapter
from outcomes_web.store import access, audit
from outcomes_web.store import models as m
from outcomes_web.workspace import workbook
from outcomes_web.workspace.common import forbidden, internal_required

ENTERS = "Only lead officers and the performance team fill in returns workbooks."


def _enters(user: Any) -> bool:
    return access.role(user) in (access.ADMIN, access.PERFORMANCE, access.LEAD)


def _periods(user: Any) -> list[m.ReportingPeriod]:
    """Periods with a return ``user`` may change (the workbooks they can download)."""
    rps = m.ReportingPeriod.objects.filter(snapshots__published=False, snapshots__archived_on__isnull=True,
                                           snapshots__submissions__isnull=False).distinct().order_by("-end")
    return [rp for rp in rps if workbook.returns_for(user, rp)]


def _index(request: HttpRequest, errors: list[dict[str, str]] | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    return render(request, "workspace/workbook_index.html", {
        "periods": _periods(user), "errors": errors or [],
        "pending": m.PendingUpload.objects.filter(user=user, status=m.PendingUpload.Status.PREVIEW)
        .select_related("reporting_period").order_by("-created_on")[:10],
        "max_mb": workbook.MAX_BYTES // (1024 * 1024),
    }, status=status)


@internal_required
def index(request: HttpRequest) -> HttpResponse:
    if not _enters(request.user):
        return forbidden(request, ENTERS)
    return _index(request)


@internal_required
def download(request: HttpRequest, label: str) -> HttpResponse:
    user = request.user
    if not _enters(user):
        return forbidden(request, ENTERS)
    try:
        canonical = adapter.canonical_period(label)
    except adapter.BadPeriod as exc:
        return _index(request, [{"href": "", "text": f"'{label}' is not a period: {exc}"}], status=404)
    rp = m.ReportingPeriod.objects.filter(label=canonical).first()
    if rp is None:
        raise Http404(f"{canonical} is not a reporting period.")
    try:
        content = workbook.build_workbook(user, rp)
    except workbook.NothingToCollect as exc:
        return forbidden(request, str(exc))
    response = HttpResponse(content, content_type=workbook.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{workbook.filename_for(user, rp)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@internal_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _enters(user):
        return forbidden(request, ENTERS)
    if request.method in ("GET", "HEAD"):
        return _index(request)
    file = request.FILES.get("workbook")
    if file is None:
        return _index(request, [{"href": "#workbook", "text": "Choose the workbook to upload."}], status=400)
    name = (file.name or "the file").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if file.size is not None and file.size > workbook.MAX_BYTES:
        return _index(request, [{"href": "#workbook", "text": f"{name} is larger than "
                                 f"{workbook.MAX_BYTES // (1024 * 1024)} MB: it is not a returns workbook."}],
                      status=400)
    content = file.read()
    try:
        parsed = workbook.read_workbook(content, name)
    except workbook.NotAWorkbook as exc:
        return _index(request, [{"href": "#workbook", "text": str(exc)}], status=400)
    rp = m.ReportingPeriod.objects.filter(label=parsed.period_label).first()
    if rp is None:
        return _index(request, [{"href": "#workbook", "text": f"{name} is for '{parsed.period_label}', which is not "
                                 "a reporting period here: download the workbook for an open period."}], status=400)
    with transaction.atomic(using=router.db_for_write(m.PendingUpload)):
        pending = m.PendingUpload.objects.create(
            user=user, reporting_period=rp, filename=name, content=content,
            seen_versions=workbook.seen_versions_json(parsed), parsed=workbook.parsed_to_json(parsed),
            created_by=user, modified_by=user)
        audit.record(user, "upload", "workbook", name, period_label=rp.label, before=None,
                     after={"upload": pending.pk, "filename": name, "bytes": len(content)},
                     summary="Uploaded a returns workbook for preview (nothing saved yet)")
    return redirect("workspace:workbook-preview", pk=pending.pk)


def _own_upload(request: HttpRequest, pk: int) -> m.PendingUpload:
    """The upload, to the person who made it only (anyone else is told there is no such page)."""
    upload = m.PendingUpload.objects.select_related("reporting_period").filter(pk=pk).first()
    if upload is None or upload.user_id != request.user.pk:
        raise Http404("No such upload.")
    return upload


def _preview_page(request: HttpRequest, upload: m.PendingUpload, errors: list[dict[str, str]] | None = None,
                  status: int = 200) -> HttpResponse:
    preview = None
    unreadable = ""
    try:
        preview = workbook.preview_upload(request.user, upload)
    except workbook.NotAWorkbook as exc:
        unreadable = str(exc)
    groups = preview.grouped_problems() if preview is not None else []
    can_commit = (preview is not None and preview.ok and preview.changes > 0 and not errors
                  and upload.status == m.PendingUpload.Status.PREVIEW)
    return render(request, "workspace/workbook_preview.html", {
        "upload": upload, "preview": preview, "groups": groups, "unreadable": unreadable,
        "errors": errors or [], "can_commit": can_commit,
        "problem_count": sum(len(ps) for _, ps in groups),
        "is_open": upload.status == m.PendingUpload.Status.PREVIEW,
    }, status=status)


@internal_required
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    return _preview_page(request, upload)


@internal_required
@require_POST
def commit(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    if not _enters(request.user):
        return forbidden(request, ENTERS)
    try:
        written = workbook.commit_workbook(request.user, upload)
    except workbook.WorkbookRefused as exc:
        upload.refresh_from_db()
        errors = [{"href": "", "text": f"Nothing was saved: {p}"} for p in exc.problems]
        return _preview_page(request, upload, errors, status=409)
    messages.success(request, f"Saved {upload.filename}: {written} change{'s' if written != 1 else ''} "
                              f"to your returns for {upload.reporting_period.label}.")
    return redirect("workspace:dashboard")


@internal_required
@require_POST
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    upload = _own_upload(request, pk)
    with transaction.atomic(using=router.db_for_write(m.PendingUpload)):
        discarded = workbook.discard_upload(request.user, upload)
        if discarded:
            audit.record(request.user, "discard", "workbook", upload.filename,
                         period_label=upload.reporting_period.label,
                         before={"upload": upload.pk, "status": "preview"},
                         after={"upload": upload.pk, "status": "discarded"}, summary="Discarded an uploaded workbook")
    if discarded:
        messages.success(request, f"Discarded {upload.filename}: nothing was saved.")
    else:
        messages.error(request, f"{upload.filename} was already committed or discarded.")
    return redirect("workspace:workbook")
