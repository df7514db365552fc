"""The workspace pages: sign-in, dashboard, periods, returns (entry, sign-off, review), drafts,
publishing and revisions, the audit log and item histories.

Every page is server-rendered and works without JavaScript. Changes go through
:mod:`outcomes_web.store.workflow`, which checks access again, writes all or nothing, records the
audit trail and refuses a stale form (the page then shows both versions).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from outcomes_web import adapter, middleware, presentation
from outcomes_web.reports import builds
from outcomes_web.store import access, audit, workflow
from outcomes_web.store import models as m
from outcomes_web.store.concurrency import Conflict, parse_version
from outcomes_web.workspace import wording
from outcomes_web.workspace.common import forbidden, internal_required, manager_required, reader_required

S = m.Submission.Status


class LoginView(auth_views.LoginView):
    template_name = "workspace/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


# ------------------------------------------------------------------------------------ dashboard
@internal_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """What needs doing: a lead officer's returns; the performance team's reviews and open periods."""
    user = request.user
    subs = list(access.submissions_for(user).order_by("snapshot__reporting_period__end", "snapshot__position", "id"))
    mine = subs if access.role(user) == access.LEAD else []  # a lead sees only the returns they lead
    return render(request, "workspace/dashboard.html", {
        "role": access.role(user), "manages": access.manages(user),
        "mine": _rows(mine),
        "to_review": _rows([s for s in subs if s.status == S.SUBMITTED]) if access.manages(user) else [],
        "open_periods": m.ReportingPeriod.objects.exclude(status=m.ReportingPeriod.Status.PUBLISHED)
        .order_by("-end") if access.reads_all_drafts(user) else [],
    })


def _rows(subs: list[m.Submission]) -> list[dict[str, Any]]:
    """Returns as the lists show them: indicator title, lead officers, period, overdue (two queries)."""
    titles = {(i.snapshot_id, i.key): i.numbered_title for i in m.Indicator.objects.filter(
        snapshot_id__in={s.snapshot_id for s in subs}, key__in={s.indicator_key for s in subs})}
    leads: dict[tuple[str, str], list[str]] = {}
    for a in m.Assignment.objects.filter(item_key__in={s.indicator_key for s in subs}).select_related("user"):
        leads.setdefault((a.outcome_key, a.item_key), []).append(a.user.get_full_name() or a.user.get_username())
    outcomes = dict(m.Outcome.objects.filter(snapshot_id__in={s.snapshot_id for s in subs})
                    .values_list("snapshot_id", "title"))
    today = datetime.date.today()
    out = []
    for sub in subs:
        rp = sub.snapshot.reporting_period
        out.append({"sub": sub, "title": titles.get((sub.snapshot_id, sub.indicator_key), sub.indicator_key),
                    "leads": ", ".join(leads.get((sub.snapshot.outcome_key, sub.indicator_key), []))
                    or "No lead officer assigned",
                    "period": rp, "outcome": outcomes.get(sub.snapshot_id, sub.snapshot.outcome_key),
                    "overdue": bool(rp.deadline and rp.deadline < today and sub.outstanding)})
    return out


def _act(request: HttpRequest, action: Callable[[], Any], *, done: str, stale: str) -> Any:
    """Run a workflow action for a POST: its result, or None with the reason as a message (a stale
    form gets ``stale``; a refusal, the workflow's own words)."""
    try:
        result = action()
    except Conflict:
        messages.error(request, stale)
        return None
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, done)
    return result


def _version(request: HttpRequest) -> int:
    return parse_version(request.POST.get("version"))


# -------------------------------------------------------------------------------------- periods
@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    """Reporting periods; the performance team opens a new one with a deadline."""
    errors: list[dict[str, str]] = []
    form = {"label": "", "deadline": ""}
    if request.method == "POST":
        if not access.manages(request.user):
            return forbidden(request, "Only the performance team can open a reporting period.")
        form = {"label": request.POST.get("label", "").strip(), "deadline": request.POST.get("deadline", "").strip()}
        deadline = None
        try:
            deadline = _parse_deadline(form["deadline"])
        except workflow.WorkflowError as exc:
            errors.append({"href": "#deadline", "text": str(exc)})
        if not form["label"]:
            errors.append({"href": "#label", "text": "Enter the period to open, for example Q1 2018-19."})
        if not errors:
            try:
                created = workflow.open_period(request.user, form["label"], deadline)
            except workflow.WorkflowError as exc:
                errors.append({"href": "#label", "text": str(exc)})
            else:
                label = created[0].reporting_period.label
                messages.success(request, f"{label} is open for returns ({len(created)} outcome"
                                          f"{'s' if len(created) != 1 else ''}).")
                return redirect("workspace:period", label=label)
    rows = []
    for rp in m.ReportingPeriod.objects.order_by("-end", "-start"):
        snaps = list(rp.snapshots.filter(archived_on__isnull=True))
        rows.append({"rp": rp, "drafts": sum(not s.published for s in snaps),
                     "published": sum(s.published for s in snaps)})
    return render(request, "workspace/periods.html", {"rows": rows, "errors": errors, "form": form,
                                                      "manages": access.manages(request.user)},
                  status=400 if errors else 200)


def _parse_deadline(text: str) -> datetime.date | None:
    if not text.strip():
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise workflow.WorkflowError("Enter the deadline as a date, for example 2018-07-31.") from None


@reader_required
@require_http_methods(["GET", "HEAD", "POST"])
def period(request: HttpRequest, label: str) -> HttpResponse:
    """One period: each outcome's draft or published snapshot and its returns; the deadline (changeable)."""
    rp = get_object_or_404(m.ReportingPeriod, label=label)
    if request.method == "POST":
        if not access.manages(request.user):
            return forbidden(request, "Only the performance team can change a deadline.")
        _act(request, lambda: workflow.set_deadline(request.user, rp, _version(request),
                                                    _parse_deadline(request.POST.get("deadline", ""))),
             done="Deadline saved.",
             stale="Someone changed this period since you opened it: check the deadline and try again.")
        return redirect("workspace:period", label=rp.label)
    snaps = []
    for snap in rp.snapshots.filter(archived_on__isnull=True).order_by("position", "-published"):
        subs = list(snap.submissions.select_related("snapshot__reporting_period"))
        snaps.append({"snap": snap, "subs": _rows(subs), "title": outcome_title(snap),
                      "accepted": sum(s.status == S.ACCEPTED for s in subs), "total": len(subs)})
    return render(request, "workspace/period.html", {"rp": rp, "snaps": snaps,
                                                     "manages": access.manages(request.user)})


# -------------------------------------------------------------------------------------- returns
def _series_rows(sub: m.Submission, editable: set[str] | None, posted: dict[str, dict[str, str]] | None,
                 result: workflow.EntryResult | None) -> list[dict[str, Any]]:
    by_key = adapter.series_by_key(sub.snapshot)
    rows = []
    for srow in m.Series.objects.filter(snapshot=sub.snapshot, indicator__key=sub.indicator_key,
                                        indicator__archived_on__isnull=True).select_related("measure"):
        if srow.measure is not None and srow.measure.archived_on is not None:
            continue
        series = by_key.get(srow.key)
        if series is None:
            continue
        recent = series.observations[-4:]
        offered = adapter.default_entry_period(sub.snapshot, series)
        due = offered if adapter.entry_is_due(sub.snapshot, offered) else None
        current = next((o for o in series.observations if o.period == offered), None)
        values = (posted or {}).get(srow.key) or _current_values(offered, current)
        rows.append({
            "key": srow.key, "title": srow.title,
            "measure": srow.measure.title if srow.measure and srow.measure.title != srow.title else "",
            "unit": series.unit, "unit_text": _sentence(series.unit.describe()),
            "unit_suffix": series.unit.label or ("people or events" if series.unit.type == "count"
                                                 else series.unit.describe()),
            "definition": series.definition, "parts": parts_in_words(series),
            "recent": [(str(o.period), presentation.value_text(series, o.value) if o.value is not None
                        else f"Nothing to report ({o.missing_reason})" if o.missing_reason else "–", o.status)
                       for o in recent],
            "due": str(due) if due else "", "values": values,
            "editable": editable is None or srow.key in editable,
            "errors": (result.errors.get(srow.key) if result else None) or [],
            "warnings": (result.warnings.get(srow.key) if result else None) or [],
            "needs_note": bool(result and srow.key in result.needs_note),
        })
    return rows


def parts_in_words(series: Any) -> dict[str, str]:
    """What the numerator and denominator are for this series, in words, from its unit and title; empty
    for a series whose value is not a ratio (a count, an amount)."""
    unit, title = series.unit, series.title
    if unit.type == "percentage":
        return {"numerator": f"The number counted in \u201c{title}\u201d: the people or cases the percentage "
                             "is of.",
                "denominator": "The whole group they are part of: everyone who could have been counted.",
                "formula": "Value = numerator ÷ denominator × 100."}
    if unit.type == "rate" and unit.per:
        return {"numerator": f"The number counted in \u201c{title}\u201d: the people or events.",
                "denominator": "The population they come from, for example the area's residents of that age.",
                "formula": f"Value = numerator ÷ denominator × {unit.per:,}."}
    return {}


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def _current_values(period: Any, obs: Any) -> dict[str, str]:
    """The form's values for the period offered: the figure already entered for it, if any."""
    if obs is None:
        return {"period": str(period or ""), "value": "", "numerator": "", "denominator": "", "status": "",
                "note": "", "missing_reason": ""}
    return {"period": str(period), "value": _number(obs.value), "numerator": _number(obs.numerator),
            "denominator": _number(obs.denominator), "status": obs.status, "note": obs.note,
            "missing_reason": obs.missing_reason}


ENTRY = ("period", "value", "numerator", "denominator", "note", "missing_reason")


def _posted_entries(request: HttpRequest, keys: list[str]) -> dict[str, dict[str, str]]:
    out = {}
    for key in keys:
        fields = {f: request.POST.get(f"e-{key}-{f}", "").strip() for f in ENTRY}
        fields["status"] = "provisional" if request.POST.get(f"e-{key}-provisional") else "final"
        out[key] = fields
    return out


_ENTRY_NAME = re.compile(r"^e-(?P<key>.+)-(?P<field>period|value|numerator|denominator|note|provisional)$")


def _not_theirs(request: HttpRequest, sub: m.Submission, keys: set[str], writes_narrative: bool) -> str:
    """Why a posted return writes to something the user does not own ('' when it does not).

    The form only has boxes for the series the user may enter (and the narrative for the indicator's
    lead), so a value for anything else is refused outright, naming the item, rather than dropped.
    """
    foreign = sorted({match["key"] for name, value in request.POST.items()
                      if isinstance(value, str) and value.strip() and (match := _ENTRY_NAME.match(name)) and match["key"] not in keys})
    if foreign:
        shown = ", ".join(foreign[:10]) + (f" and {len(foreign) - 10} more" if len(foreign) > 10 else "")
        return (f"Nothing was saved: you cannot enter figures for {shown} in this return — you are not "
                f"{'its' if len(foreign) == 1 else 'their'} lead officer, or "
                f"{'it is' if len(foreign) == 1 else 'they are'} not part of the return for {sub.indicator_key}.")
    if not writes_narrative:
        current = workflow.current_narrative(sub)
        changed = [k for k in workflow.NARRATIVE_FIELDS if f"n-{k}" in request.POST
                   and workflow._clean(request.POST[f"n-{k}"]) != workflow._clean(current.get(k))]
        if changed:
            return (f"Nothing was saved: only the lead officer of {sub.indicator_key} can change its narrative "
                    f"({', '.join(dict(NARRATIVE_LABELS)[k] for k in changed)}).")
    return ""


@internal_required
@require_http_methods(["GET", "HEAD", "POST"])
def submission(request: HttpRequest, pk: int) -> HttpResponse:
    """A return: the figures and narrative of one indicator for the period, with its review state."""
    sub = get_object_or_404(m.Submission.objects.select_related("snapshot__reporting_period"), pk=pk)
    user = request.user
    if not access.can_view_submission(user, sub):
        return forbidden(request, "This return is not assigned to you.")
    can_edit = access.can_edit_submission(user, sub)
    editable = access.editable_series(user, sub) if can_edit else set()
    writes_narrative = can_edit and access.signs_off(user, sub)  # a measure's lead enters its series only
    posted: dict[str, dict[str, str]] | None = None
    narrative = workflow.current_narrative(sub)
    result: workflow.EntryResult | None = None
    errors: list[dict[str, str]] = []
    conflict: dict[str, Any] | None = None
    status = 200
    previous = workflow.previous_narrative(sub) if writes_narrative else None
    carrying = ""
    if request.method == "POST":
        if not can_edit:
            return forbidden(request, "You cannot change this return now.")
        keys = [k for k in adapter.series_by_key(sub.snapshot) if editable is None or k in editable]
        refused = _not_theirs(request, sub, set(keys), writes_narrative)
        if refused:
            return forbidden(request, refused)
        posted = _posted_entries(request, keys)
        if writes_narrative:
            narrative = {k: request.POST.get(f"n-{k}", "") for k in workflow.NARRATIVE_FIELDS}
        seen = _version(request)
        if request.POST.get("action") == "carry" and previous is not None:
            # Copied into the form, not saved: the officer reads it, edits or confirms it, then saves.
            narrative, carrying = dict(previous[1]), previous[0]
            return _render_submission(request, sub, user, can_edit=can_edit, editable=editable,
                                      writes_narrative=writes_narrative, posted=posted, narrative=narrative,
                                      result=None, errors=[], conflict=None, status=200, previous=previous,
                                      carrying=carrying)
        try:
            result = workflow.save_return(user, sub, seen, posted, narrative if writes_narrative else None,
                                          confirm_carried=bool(request.POST.get("confirm-carried")))
        except Conflict as exc:
            conflict = _conflict(sub, exc, posted, narrative)
            sub.refresh_from_db()
            status = 409
        except workflow.WorkflowError as exc:
            errors.append({"href": "", "text": str(exc)})
            status = 400
        else:
            if result.saved:
                saved = f"Return saved ({result.changes} change{'s' if result.changes != 1 else ''})."
                if request.POST.get("action") == "submit" and access.can_sign_off(user, sub):
                    # One form, two buttons: what was typed is saved first, then signed off; a refusal
                    # keeps the figures saved and says why it was not submitted.
                    try:
                        workflow.submit(user, sub, sub.version, declaration=bool(request.POST.get("declaration")))
                    except workflow.WorkflowError as exc:
                        messages.error(request, f"{saved} It was not submitted: {exc}")
                    else:
                        messages.success(request, "Return submitted for review" + (
                            f" ({result.changes} change{'s' if result.changes != 1 else ''} saved first)."
                            if result.changes else "."))
                    return redirect("workspace:submission", pk=sub.pk)
                messages.success(request, saved)
                return redirect("workspace:submission", pk=sub.pk)
            status = 400
            titles = dict(m.Series.objects.filter(snapshot=sub.snapshot).values_list("key", "title"))
            for key, problems in result.errors.items():
                for p in problems:
                    errors.append({"href": f"#e-{key}-{p.field if p.field in ENTRY else 'value'}",
                                   "text": f"{titles.get(key, key)}: {p.message} {_sentence(p.fix)}".strip()})
            for key in sorted(result.needs_note):
                errors.append({"href": f"#e-{key}-note",
                               "text": f"{titles.get(key, key)}: {result.warnings[key][0].message} Add a note "
                                       "explaining the figure to save it."})
    return _render_submission(request, sub, user, can_edit=can_edit, editable=editable,
                              writes_narrative=writes_narrative, posted=posted, narrative=narrative, result=result,
                              errors=errors, conflict=conflict, status=status, previous=previous, carrying=carrying)


def _render_submission(request: HttpRequest, sub: m.Submission, user: Any, *, can_edit: bool,
                       editable: set[str] | None, writes_narrative: bool, posted: dict[str, dict[str, str]] | None,
                       narrative: dict[str, str], result: workflow.EntryResult | None, errors: list[dict[str, str]],
                       conflict: dict[str, Any] | None, status: int, previous: tuple[str, dict[str, str]] | None,
                       carrying: str) -> HttpResponse:
    ind = get_object_or_404(m.Indicator, snapshot=sub.snapshot, key=sub.indicator_key)
    reviewing = access.manages(user) and sub.status == S.SUBMITTED
    saved_narrative = workflow.current_narrative(sub)
    return render(request, "workspace/submission.html", {
        "sub": sub, "ind": ind, "rp": sub.snapshot.reporting_period, "can_edit": can_edit and not reviewing,
        "writes_narrative": writes_narrative, "reviewing": reviewing,
        "review": review_rows(sub) if reviewing else None,
        "outcome_title": outcome_title(sub.snapshot),
        "can_sign_off": access.can_sign_off(user, sub), "manages": access.manages(user),
        "rows": _series_rows(sub, editable, posted, result),
        "narrative_fields": [(name, label, narrative.get(name, "")) for name, label in NARRATIVE_LABELS],
        "previous": previous if previous and not any(v.strip() for v in saved_narrative.values())
        and not carrying else None,
        "carrying": carrying, "carried": workflow.carried_from(sub),
        "unanswered": workflow.unanswered(sub),
        "preview": {k: adapter.sanitised_markdown(v) for k, v in saved_narrative.items() if v.strip()},
        "errors": errors, "conflict": conflict,
        "events": wording.describe(m.AuditEvent.objects.filter(snapshot=sub.snapshot, item_key=sub.indicator_key)
                                    .select_related("user")[:20]),
    }, status=status)


def outcome_title(snap: m.Snapshot) -> str:
    """The outcome's title ("Safe"), not its key, for the workspace pages."""
    return m.Outcome.objects.filter(snapshot=snap).values_list("title", flat=True).first() or snap.outcome_key


def _outcome_title_of(outcome_key: str) -> str:
    return (m.Outcome.objects.filter(key=outcome_key).order_by("-snapshot__reporting_period__end")
            .values_list("title", flat=True).first() or outcome_key)


def review_rows(sub: m.Submission) -> list[dict[str, Any]]:
    """What the reviewer needs per series: each figure before and after this cycle's changes (from the
    audit trail), the trend and comparator judgements with and without the new figures (the draft judged
    both ways through the adapter), the warnings the figure raises and the officer's note or reason."""
    snap = sub.snapshot
    loaded = adapter.load_outcome(snap)
    by_key = loaded.framework.series_by_id()
    home = loaded.framework.home_area.code
    series_rows = list(m.Series.objects.filter(snapshot=snap, indicator__key=sub.indicator_key,
                                               indicator__archived_on__isnull=True)
                       .order_by("measure__position", "position", "id").values_list("key", "title"))
    first: dict[str, m.AuditEvent] = {}  # the first change of each series this cycle: its "before"
    latest_change: dict[str, m.AuditEvent] = {}
    for e in m.AuditEvent.objects.filter(snapshot=snap, item_type="observation",
                                         item_key__in=[k for k, _ in series_rows]).order_by("at", "id"):
        first.setdefault(e.item_key, e)
        latest_change[e.item_key] = e
    replaced: dict[str, tuple[Any, Any]] = {}
    for key, ev in first.items():
        after = latest_change[key].after or {}
        if not after.get("period_kind"):
            continue
        period = adapter.observation_from_row(after, key, home).period
        replaced[key] = (period, adapter.observation_from_row(ev.before, key, home) if ev.before else None)
    without = adapter.judge_without(snap, replaced).series if replaced else loaded.judged.series
    rows = []
    for key, title in series_rows:
        series = by_key.get(key)
        if series is None:
            continue
        verdict, old = loaded.judged.series.get(key), without.get(key)
        row: dict[str, Any] = {"key": key, "title": title, "changed": key in replaced, "period": "",
                               "before": "", "after": "", "note": "", "missing_reason": "", "warnings": [],
                               "trend": (old.trend.judgement if old else "", verdict.trend.judgement if verdict else ""),
                               "comparator": (old.comparator.judgement if old else "",
                                              verdict.comparator.judgement if verdict else "")}
        if key in replaced:
            period, before = replaced[key]
            now = series.at(period)
            row.update(period=str(period),
                       before=presentation.value_text(series, before.value) if before and before.value is not None
                       else "No figure",
                       after=presentation.value_text(series, now.value) if now and now.value is not None
                       else "No figure")
            if now is not None:
                row.update(note=now.note, missing_reason=now.missing_reason)
                if now.value is not None:
                    check = adapter.check_entry(snap, key, {
                        "period": str(period), "value": _number(now.value), "numerator": _number(now.numerator),
                        "denominator": _number(now.denominator), "status": now.status, "note": now.note})
                    row["warnings"] = [w.message for w in check.warnings]
        rows.append(row)
    return rows


NARRATIVE_LABELS = (("story", "The story behind the baseline"), ("partners", "Partners"),
                    ("actions", "What we are doing"), ("data_notes", "Notes on the data"))


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else ""


def _conflict(sub: m.Submission, exc: Conflict, posted: dict[str, dict[str, str]],
              narrative: dict[str, str]) -> dict[str, Any]:
    """Both versions, side by side: what this person tried to save and what is saved now."""
    theirs_narr = workflow.current_narrative(sub)
    rows = []
    for key, fields in posted.items():
        if not any(fields.get(f) for f in ("value", "numerator", "denominator")):
            continue
        saved = None
        try:
            period = adapter.parse_period(fields["period"], m.Series.objects.get(snapshot=sub.snapshot,
                                                                                   key=key).period_kind)
            saved = workflow.home_observation(sub.snapshot, key, period)
        except (adapter.BadPeriod, m.Series.DoesNotExist):
            pass
        rows.append({"key": key, "period": fields.get("period"), "yours": fields.get("value"),
                     "theirs": "" if saved is None or saved.value is None else f"{saved.value:g}",
                     "your_note": fields.get("note"), "their_note": saved.note if saved else ""})
    narr = [{"field": k, "yours": narrative.get(k, ""), "theirs": theirs_narr.get(k, "")}
            for k in workflow.NARRATIVE_FIELDS if narrative.get(k, "").strip() != theirs_narr.get(k, "").strip()]
    current = exc.current
    return {"rows": rows, "narrative": narr, "by": current.modified_by, "on": current.modified_on}


@internal_required
@require_POST
def submission_submit(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(m.Submission.objects.select_related("snapshot__reporting_period"), pk=pk)
    if not access.can_view_submission(request.user, sub):
        return forbidden(request, "This return is not assigned to you.")
    if not access.signs_off(request.user, sub):
        return forbidden(request, "Only the indicator's lead officer or the performance team can submit this return.")
    _act(request, lambda: workflow.submit(request.user, sub, _version(request),
                                          declaration=bool(request.POST.get("declaration"))),
         done="Return submitted for review.",
         stale="The return changed since you opened it: check it and submit again.")
    return redirect("workspace:submission", pk=sub.pk)


@manager_required
@require_POST
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    sub = get_object_or_404(m.Submission.objects.select_related("snapshot__reporting_period"), pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in ("accept", "return"):
        messages.error(request, "Choose whether to accept the return or return it for changes.")
    else:
        _act(request, lambda: workflow.review(request.user, sub, _version(request), accept=decision == "accept",
                                              comment=request.POST.get("comment", "")),
             done="Return accepted." if decision == "accept" else "Return sent back to the lead officer.",
             stale="The return changed since you opened it: check it and decide again.")
    return redirect("workspace:submission", pk=sub.pk)


# ------------------------------------------------------------------------- drafts and publishing
def _snapshot_for(pk: int) -> m.Snapshot:
    return get_object_or_404(m.Snapshot.objects.select_related("reporting_period"), pk=pk)


@reader_required
def snapshot(request: HttpRequest, pk: int) -> HttpResponse:
    """A snapshot as the performance team sees it: draft or published, with judgements and returns."""
    snap = _snapshot_for(pk)
    loaded = adapter.load_outcome(snap)
    rows = []
    for s in loaded.framework.all_series():
        v = loaded.judged.series.get(s.id)
        latest = s.latest
        rows.append({"series": s, "latest": presentation.value_text(s, latest.value) if latest else "",
                     "period": str(latest.period) if latest else "", "verdict": v,
                     "provisional": bool(latest and latest.is_provisional)})
    subs = list(snap.submissions.select_related("snapshot__reporting_period"))
    accepted = sum(s.status == S.ACCEPTED for s in subs)
    return render(request, "workspace/snapshot.html", {
        "snap": snap, "loaded": loaded, "rows": rows, "manages": access.manages(request.user),
        "subs": _rows(subs), "accepted": accepted, "total": len(subs), "can_publish": accepted == len(subs),
        "revisions": m.Snapshot.objects.filter(outcome_key=snap.outcome_key,
                                               reporting_period=snap.reporting_period).order_by("revision", "id"),
        "findings": loaded.judged.findings[:50] if loaded.judged.findings else [],
    })


@reader_required
def snapshot_report(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The report of a snapshot (a draft's, to check before publishing), built by the report worker like the
    public reports: until it is ready the answer is the "being prepared" page, which looks again by itself."""
    snap = _snapshot_for(pk)
    loaded = adapter.load_outcome(snap)
    outcome = builds.request(loaded, fmt)
    if isinstance(outcome, builds.Failed):
        return render(request, "tracker/error.html", {"title": "The report cannot be made",
                                                      "message": outcome.build.error}, status=503)
    if isinstance(outcome, builds.Pending):
        refreshing = request.GET.get("refresh") != "off"
        response = render(request, "tracker/report_pending.html", {
            "outcome": loaded.outcome, "period": snap.reporting_period.label, "fmt": fmt,
            "format_name": REPORT_NAMES[fmt], "build": outcome.build, "waiting_long": outcome.waiting_long,
            "refreshing": refreshing, "refresh_url": request.path + ("?refresh=off" if not refreshing else ""),
            "stop_url": request.path + "?refresh=off", "refresh_seconds": REPORT_REFRESH_SECONDS,
            "outcome_url": reverse("workspace:snapshot", args=[snap.pk]),
        }, status=202)
        response["Retry-After"] = str(REPORT_REFRESH_SECONDS)
        response["Cache-Control"] = "private, no-store"
        return response
    response = HttpResponse(outcome.content, content_type=adapter.REPORT_FORMATS[fmt])
    name = f"{snap.outcome_key}-{snap.reporting_period.label}-r{snap.revision}{'' if snap.published else '-draft'}"
    response["Content-Disposition"] = f'inline; filename="{name.replace(" ", "-")}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return middleware.allow_style_blocks(response) if fmt == "html" else response


#: The "being prepared" page looks again after this many seconds (as the public report pages do).
REPORT_REFRESH_SECONDS = 5
REPORT_NAMES = {"html": "web page (HTML)", "pdf": "PDF"}


@manager_required
@require_POST
def snapshot_publish(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _snapshot_for(pk)
    _act(request, lambda: workflow.publish(request.user, snap, _version(request)),
         done=f"Published {outcome_title(snap)} for {snap.reporting_period.label} (revision {snap.revision}).",
         stale="The snapshot changed since you opened it: check it and publish again.")
    return redirect("workspace:snapshot", pk=snap.pk)


@manager_required
@require_POST
def snapshot_revise(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _snapshot_for(pk)
    try:
        draft = workflow.start_revision(request.user, snap, request.POST.get("reason", ""))
    except workflow.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:snapshot", pk=snap.pk)
    messages.success(request, f"Revision {draft.revision} started: correct the returns, then publish it.")
    return redirect("workspace:snapshot", pk=draft.pk)


@manager_required
@require_POST
def snapshot_discard(request: HttpRequest, pk: int) -> HttpResponse:
    snap = _snapshot_for(pk)
    _act(request, lambda: workflow.discard_draft(request.user, snap, _version(request), request.POST.get("reason", "")),
         done=f"Draft revision {snap.revision} discarded; it is kept, archived, for the record.",
         stale="The draft changed since you opened it: check it and try again.")
    return redirect("workspace:snapshot", pk=snap.pk)


# ------------------------------------------------------------------------------- audit, history
@reader_required
def audit_log(request: HttpRequest) -> HttpResponse:
    qs = m.AuditEvent.objects.select_related("user")
    who = request.GET.get("user", "").strip()
    if who:
        qs = qs.filter(username=who)
    outcome = request.GET.get("outcome", "").strip()
    if outcome:
        qs = qs.filter(outcome_key=outcome)
    events = wording.describe(qs[:200])
    return render(request, "workspace/audit.html", {"events": events, "who": who, "outcome": outcome})


@internal_required
def history(request: HttpRequest, outcome_key: str, item_key: str) -> HttpResponse:
    """Every change of one item (an indicator's return, a series, a measure, a risk), newest first."""
    user = request.user
    if not access.reads_all_drafts(user) and (outcome_key, item_key) not in access.assigned_items(user):
        return forbidden(request, "You can see the history of the items you lead.")
    events = wording.describe(audit.history(outcome_key=outcome_key, item_key=item_key))
    return render(request, "workspace/history.html", {"events": events, "outcome_key": outcome_key,
                                                      "item_key": item_key,
                                                      "outcome_title": _outcome_title_of(outcome_key)})
