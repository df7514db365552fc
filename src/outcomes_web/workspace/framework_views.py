"""Framework management: the performance team edits the framework of the current draft snapshots.

What can be changed, per draft snapshot (one outcome for one reporting period):

* the outcome's title and introduction;
* population indicators (number, title, section, lead officer), performance measures (title, lead
  officer), series (titles, unit, polarity, definition, source, target, comparators) and risks
  (title, score, trend, owner, likelihood, impact, linked indicators);
* new indicators, measures, series and risks, with ids unique in the snapshot;
* archiving (never deleting) an indicator, a measure or a risk, with the reason.

Published snapshots are frozen: a correction starts a revision (a new draft) from the snapshot page.
Every save checks the form here (Django forms, with the library's vocabularies from the adapter) and
hands the cleaned data to :mod:`outcomes_web.store.framework`, which refuses a stale form
(:mod:`outcomes_web.store.concurrency`: the page then shows both versions, status 409), writes the
rows and the audit record in one transaction, and refreshes the snapshot's content hash so the pages
and reports are rebuilt. This module holds the thin views only (the forms are in :mod:`outcomes_web.workspace.framework_forms`);
it writes nothing itself.
See ``docs/framework-admin.md``.
"""

from __future__ import annotations

from collections.abc import Container
from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from outcomes_web import adapter
from outcomes_web.store import framework as service
from outcomes_web.store import models as m
from outcomes_web.store.concurrency import Conflict, parse_version
from outcomes_web.store.framework import EDITORS, Frozen
from outcomes_web.workspace.common import manager_required
from outcomes_web.workspace.framework_forms import (
    KIND_LABELS,
    ArchiveForm,
    ComparatorFormSet,
    FirstSeriesForm,
    IndicatorForm,
    MeasureForm,
    NewIndicatorForm,
    NewMeasureForm,
    NewRiskForm,
    NewSeriesForm,
    OutcomeForm,
    RiskForm,
    SeriesForm,
)


def _draft_or_refusal(request: HttpRequest, pk: int) -> m.Snapshot | HttpResponse:
    """The current draft snapshot ``pk``, or the page saying why it cannot be changed."""
    snap = m.Snapshot.objects.select_related("reporting_period").filter(pk=pk).first()
    if snap is None:
        raise Http404("No such snapshot.")
    if snap.is_archived:
        return _refuse(request, snap, "This snapshot is archived: it is kept for the record and cannot be "
                                      "changed. Change the current draft instead.")
    if snap.published:
        return _refuse(request, snap, "This snapshot is published, so its framework is frozen. To change it, "
                                      "start a revision from the snapshot page and edit the revision.")
    return snap


def _draft_and_editor(request: HttpRequest, pk: int, kind: str, kinds: Container[str],
                      unknown: str) -> tuple[m.Snapshot, service.Editor] | HttpResponse:
    """The draft ``pk`` and the editor of ``kind``, or the page saying why the draft cannot be changed;
    a ``kind`` not in ``kinds`` (the ones the view takes) is "not found", saying ``unknown``."""
    if kind not in kinds:
        raise Http404(unknown)
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    return snap, EDITORS[kind]


def _refuse(request: HttpRequest, snap: m.Snapshot, message: str) -> HttpResponse:
    return render(request, "workspace/framework_frozen.html", {"snap": snap, "message": message}, status=403)


def _row_or_404(model: type[Any], snap: m.Snapshot, key: str) -> Any:
    row = model._default_manager.filter(snapshot=snap, key=key).first()
    if row is None:
        raise Http404(f"No {model._meta.verbose_name} '{key}' in this snapshot.")
    return row


def _archived_message(row: Any, what: str) -> str | None:
    holders = [] if isinstance(row, m.Series) else [(what, row)]  # a series is not archived on its own
    if isinstance(row, m.Measure | m.Series):
        holders.append(("population indicator", row.indicator))
    if isinstance(row, m.Series) and row.measure is not None:
        holders.append(("performance measure", row.measure))
    for name, h in holders:
        if h.archived_on is not None:
            return f"This {name} is archived: it is kept for the record and cannot be changed."
    return None


def _errors(*forms_: Any) -> list[dict[str, str]]:
    """Every form's errors for the error summary, each linking to its field."""
    out: list[dict[str, str]] = []
    for form in forms_:
        if form is None:
            continue
        if isinstance(form, forms.BaseFormSet):
            for text in form.non_form_errors():
                out.append({"href": "", "text": str(text)})
            for i, sub in enumerate(form.forms):
                for item in _errors(sub):
                    out.append({**item, "text": f"Comparator {i + 1}: {item['text']}"})
            continue
        for name, errs in form.errors.items():
            href = f"#{form[name].auto_id}" if name in form.fields else ""
            label = (form.fields[name].label or name.replace("_", " ").capitalize()) if name in form.fields else ""
            for e in errs:
                out.append({"href": href, "text": f"{label}: {e}" if label else str(e)})
    return out


def _show(value: Any) -> str:
    """A value as the conflict table shows it."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) or "(none)"
    if hasattr(value, "get_username"):
        return value.get_full_name() or value.get_username()
    return str(value)


FROZEN_NOW = ("This snapshot was published (or archived) while you were editing, so its framework is now "
              "frozen and nothing was saved. To change it, start a revision from the snapshot page.")


def _conflict_rows(form: Any, saved: dict[str, Any]) -> list[dict[str, Any]]:
    """Field by field: what this person tried to save and what is saved now."""
    rows = []
    for name, field in form.fields.items():
        if name not in saved:
            continue
        yours = _show(form.cleaned_data.get(name))
        theirs = _show(saved.get(name))
        rows.append({"label": field.label or name.replace("_", " ").capitalize(), "yours": yours,
                     "theirs": theirs, "differs": yours != theirs})
    return rows


def _finish(request: HttpRequest, snap: m.Snapshot, message: str) -> HttpResponse:
    adapter.clear_cache()
    messages.success(request, message)
    return redirect(f"{reverse('workspace:framework')}#snapshot-{snap.pk}")


def _edit(request: HttpRequest, snap: m.Snapshot, row: Any, editor: service.Editor, form_class: type[Any],
          *, key: str, form_kwargs: dict[str, Any] | None = None, comparators: bool = False) -> HttpResponse:
    """Show and save the form of one existing item (see the module docstring for what a save does)."""
    kwargs = {"snapshot": snap, **(form_kwargs or {})} if form_class is not OutcomeForm else {}
    conflict: dict[str, Any] | None = None
    status = 200
    formset = None
    version = row.version
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if comparators:
            formset = ComparatorFormSet(request.POST, prefix="comparators", auto_id="%s")
        seen = parse_version(request.POST.get("version"))
        version = seen
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                rows = [form.cleaned_data for form in formset.forms] if formset is not None else None
                service.update_item(request.user, snap, editor.item_type, row, seen, form.cleaned_data, rows)
            except Frozen:
                return _refuse(request, snap, FROZEN_NOW)
            except Conflict as exc:
                current = exc.current
                conflict = {"rows": _conflict_rows(form, editor.initial(snap, current)), "by": current.modified_by,
                            "on": current.modified_on}
                version = current.version  # saving again now overwrites, knowingly
                status = 409
            else:
                return _finish(request, snap, f"Saved the {editor.noun} '{key}'.")
        else:
            status = 400
    else:
        form = form_class(initial=editor.initial(snap, row), **kwargs)
        if comparators:
            formset = ComparatorFormSet(prefix="comparators", auto_id="%s", initial=service.comparators(row))
    return _page(request, snap, form, status=status, heading=f"Edit the {editor.noun}", key=key,
                 formset=formset, version=version, conflict=conflict, item_type=editor.item_type, row=row)


def _page(request: HttpRequest, snap: m.Snapshot, form: Any, *, status: int, heading: str, key: str = "",
          formset: Any = None, version: int | None = None, conflict: dict[str, Any] | None = None,
          item_type: str = "", row: Any = None, fixed: list[tuple[str, str]] | None = None,
          first: Any = None) -> HttpResponse:
    fixed = list(fixed or [])
    if isinstance(row, m.Series):
        fixed += [("Id", row.key), ("Period of the figures", KIND_LABELS.get(row.period_kind, row.period_kind)),
                  ("Belongs to", f"Measure: {row.measure.title}" if row.measure else f"Indicator: {row.indicator.title}")]
    elif row is not None and key and item_type != "outcome":
        fixed.insert(0, ("Id", key))
    if isinstance(row, m.Measure):
        fixed.append(("Population indicator", row.indicator.numbered_title))
    return render(request, "workspace/framework_form.html", {
        "snap": snap, "form": form, "formset": formset, "version": version, "conflict": conflict,
        "errors": [] if conflict else _errors(form, formset, first), "first": first, "heading": heading,
        "key": key,
        "item_type": item_type, "row": row, "fixed": fixed,
        "archivable": item_type in ("indicator", "measure", "risk") and row is not None,
    }, status=status)


# =========================================================================================== pages
@manager_required
def framework(request: HttpRequest) -> HttpResponse:
    """The draft snapshots with their framework, and the published ones (frozen: revise them)."""
    snaps = list(m.Snapshot.objects.current().filter(published=False).select_related("reporting_period", "outcome")
                 .order_by("reporting_period__end", "position", "id"))

    def by_snapshot(model: type[Any], *related: str) -> dict[int, list[Any]]:
        """Every draft's rows of ``model`` in one query, in position order, by snapshot."""
        rows: dict[int, list[Any]] = {snap.pk: [] for snap in snaps}
        for row in model.objects.filter(snapshot__in=snaps).order_by("position").prefetch_related(*related):
            rows[row.snapshot_id].append(row)
        return rows

    indicators, measures, series = by_snapshot(m.Indicator), by_snapshot(m.Measure), by_snapshot(m.Series)
    risks = by_snapshot(m.Risk, "links")
    leads: dict[str, dict[tuple[str, str], Any]] = {snap.outcome_key: {} for snap in snaps}
    for a in m.Assignment.objects.filter(outcome_key__in=leads).select_related("user"):
        leads[a.outcome_key][(a.item_kind, a.item_key)] = a.user
    drafts = []
    for snap in snaps:
        lead = leads[snap.outcome_key]
        rows = []
        for ind in indicators[snap.pk]:
            own = [s for s in series[snap.pk] if s.indicator_id == ind.pk and s.measure_id is None]
            meas = [{"row": x, "lead": lead.get(("measure", x.key)),
                     "series": [s for s in series[snap.pk] if s.measure_id == x.pk]}
                    for x in measures[snap.pk] if x.indicator_id == ind.pk]
            rows.append({"row": ind, "lead": lead.get(("indicator", ind.key)), "series": own, "measures": meas})
        drafts.append({"snap": snap, "indicators": rows, "risks": risks[snap.pk]})
    published = (m.Snapshot.objects.public().select_related("reporting_period", "outcome")
                 .order_by("-reporting_period__end", "position"))
    return render(request, "workspace/framework_list.html", {"drafts": drafts, "published": published})


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    row = m.Outcome.objects.get(snapshot=snap)
    return _edit(request, snap, row, EDITORS["outcome"], OutcomeForm, key=snap.outcome_key)


def _edit_item(request: HttpRequest, pk: int, key: str, kind: str, model: type[Any], form_class: type[Any],
               **options: Any) -> HttpResponse:
    snap = _draft_or_refusal(request, pk)
    if isinstance(snap, HttpResponse):
        return snap
    row = _row_or_404(model, snap, key)
    refusal = _archived_message(row, EDITORS[kind].noun)
    if refusal:
        return _refuse(request, snap, refusal)
    if isinstance(row, m.Series):
        options.setdefault("form_kwargs", {})["period_kind"] = row.period_kind
    return _edit(request, snap, row, EDITORS[kind], form_class, key=key, **options)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_indicator(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "indicator", m.Indicator, IndicatorForm)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_measure(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "measure", m.Measure, MeasureForm)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_series(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "series", m.Series, SeriesForm, comparators=True)


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_risk(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    return _edit_item(request, pk, key, "risk", m.Risk, RiskForm)


# ------------------------------------------------------------------------------------------ adding
NEW_FORMS: dict[str, type[Any]] = {"indicator": NewIndicatorForm, "measure": NewMeasureForm,
                                   "series": NewSeriesForm, "risk": NewRiskForm}


def _valid_holder(form: Any, snap: m.Snapshot, kind: str) -> bool:
    """A new measure's indicator, or a new series' holder, must be a live item of this snapshot."""
    if kind == "measure":
        ok = m.Indicator.objects.filter(snapshot=snap, key=form.cleaned_data["indicator"],
                                        archived_on__isnull=True).exists()
        if not ok:
            form.add_error("indicator", "Choose one of this outcome's population indicators.")
        return ok
    if kind == "series":
        holder_kind, _, holder_key = str(form.cleaned_data["holder"]).partition(":")
        model: type[Any] = m.Measure if holder_kind == "measure" else m.Indicator
        ok = holder_kind in ("indicator", "measure") and model.objects.filter(
            snapshot=snap, key=holder_key, archived_on__isnull=True).exists()
        if not ok:
            form.add_error("holder", "Choose one of this outcome's indicators or measures.")
        return ok
    return True


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_item(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a population indicator, performance measure, series or risk to a draft."""
    found = _draft_and_editor(request, pk, kind, NEW_FORMS, "Unknown kind of item.")
    if isinstance(found, HttpResponse):
        return found
    snap, editor = found
    form_class = NEW_FORMS[kind]
    status = 200
    first: FirstSeriesForm | None = None
    if request.method == "POST":
        form = form_class(request.POST, snapshot=snap)
        if kind in ("indicator", "measure"):
            first = FirstSeriesForm(request.POST, snapshot=snap, prefix="series")
        valid = form.is_valid() & (first is None or first.is_valid())  # both, to show every error at once
        if valid and _valid_holder(form, snap, kind):
            try:
                row = service.create_item(request.user, snap, kind, form.cleaned_data,
                                          first.cleaned_data if first is not None else None)
            except Frozen:
                return _refuse(request, snap, FROZEN_NOW)
            except IntegrityError:  # someone added the same id a moment ago
                form.add_error("key", f"Someone has just added a {editor.noun} with the id "
                                      f"'{form.cleaned_data['key']}': choose another id.")
            else:
                return _finish(request, snap, f"Added the {editor.noun} '{row.key}'.")
        status = 400
    else:
        if kind in ("indicator", "measure"):
            first = FirstSeriesForm(snapshot=snap, prefix="series")
        initial: dict[str, Any] = {}
        holder = request.GET.get("holder", "")
        if kind == "measure" and holder:
            initial["indicator"] = holder
        elif kind == "series" and holder:
            initial["holder"] = holder
        form = form_class(initial=initial, snapshot=snap)
    return _page(request, snap, form, status=status, heading=f"Add a {editor.noun}", item_type=kind,
                 first=first)


# ----------------------------------------------------------------------------------------- archive
ARCHIVABLE = service.ARCHIVABLE


@manager_required
@require_http_methods(["GET", "HEAD", "POST"])
def archive(request: HttpRequest, pk: int, kind: str, key: str) -> HttpResponse:
    """Archive (never delete) an indicator, measure or risk, saying why; it leaves the framework."""
    found = _draft_and_editor(request, pk, kind, ARCHIVABLE, "Only indicators, measures and risks are archived.")
    if isinstance(found, HttpResponse):
        return found
    snap, editor = found
    row = _row_or_404(ARCHIVABLE[kind], snap, key)
    if row.is_archived:
        return _refuse(request, snap, f"This {editor.noun} is already archived.")
    status = 200
    conflict = None
    version = row.version
    if request.method == "POST":
        form = ArchiveForm(request.POST)
        seen = parse_version(request.POST.get("version"))
        version = seen
        if form.is_valid():
            try:
                service.archive_item(request.user, snap, kind, row, seen, form.cleaned_data["reason"])
            except Frozen:
                return _refuse(request, snap, FROZEN_NOW)
            except Conflict as exc:
                current = exc.current
                conflict = {"by": current.modified_by, "on": current.modified_on}
                version = current.version
                status = 409
            else:
                return _finish(request, snap, f"Archived the {editor.noun} '{key}'.")
        else:
            status = 400
    else:
        form = ArchiveForm()
    return render(request, "workspace/framework_archive.html", {
        "snap": snap, "row": row, "kind": kind, "noun": editor.noun, "form": form, "version": version,
        "conflict": conflict, "errors": [] if conflict else _errors(form),
    }, status=status)
