"""Checking an upload (:func:`check_workbook`): every figure with the import's rules
(``workflow.check_return``) and the user's access, every problem with its cell, and every change
before -> after: the preview.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from outcomes_web import adapter, presentation
from outcomes_web.store import access, workflow
from outcomes_web.store import models as m
from outcomes_web.workspace.workbook.layout import (
    FIELD_COLUMN,
    FIG,
    FIGURES,
    NAR,
    NARRATIVE,
    NARRATIVE_LABELS,
)
from outcomes_web.workspace.workbook.read import CellProblem, FigureRow, NarrativeRow, ParsedWorkbook


@dataclass
class FigureChange:
    cell: str
    outcome: str
    indicator: str
    series_key: str
    series_title: str
    period: str
    before: str
    after: str
    before_note: str
    note: str
    warnings: list[str]
    needs_note: bool
    new: bool


@dataclass
class NarrativeChange:
    cell: str
    indicator_key: str
    indicator: str
    label: str
    before: str
    after: str


@dataclass
class Plan:
    """What committing writes to one return."""

    submission: m.Submission
    seen_version: int
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    narrative: dict[str, str] | None = None
    changes: int = 0


@dataclass
class Preview:
    parsed: ParsedWorkbook
    period: m.ReportingPeriod | None
    problems: list[CellProblem] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    narrative: list[NarrativeChange] = field(default_factory=list)
    unchanged: int = 0
    notices: list[CellProblem] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> int:
        return len(self.figures) + len(self.narrative)

    def grouped_problems(self) -> list[tuple[str, list[CellProblem]]]:
        """Problems by sheet (workbook-wide first, then Figures, Narrative), each in cell order."""
        order = {"": 0, "Workbook": 0, FIGURES: 1, NARRATIVE: 2}

        def cell_key(p: CellProblem) -> tuple[int, str]:
            digits = "".join(ch for ch in p.cell if ch.isdigit())
            letters = "".join(ch for ch in p.cell if ch.isalpha())
            return (int(digits) if digits else 0, letters.rjust(3))

        sheets: dict[str, list[CellProblem]] = {}
        for p in self.problems:
            sheets.setdefault(p.sheet, []).append(p)
        return [(s, sorted(ps, key=cell_key)) for s, ps in sorted(sheets.items(), key=lambda kv: order.get(kv[0], 3))]


def _number(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def _obs_text(series: Any, value: float | None, numerator: float | None, denominator: float | None,
              status: str, missing_reason: str | None = None) -> str:
    if value is None and numerator is None and denominator is None and (missing_reason or "").strip():
        return f"Nothing to report: {(missing_reason or '').strip()}"
    text = presentation.value_text(series, value) if value is not None else "(no value)"
    if numerator is not None or denominator is not None:
        text += f" ({_number(numerator) or '–'} / {_number(denominator) or '–'})"
    if status == "provisional":
        text += " provisional"
    return text


def _version_conflict(sub: m.Submission, seen: int, since: datetime.datetime | None) -> str:
    """Who changed a return after the workbook was drawn, and what they changed."""
    fresh = m.Submission.objects.select_related("modified_by").get(pk=sub.pk)
    keys = [sub.indicator_key, *m.Series.objects.filter(snapshot_id=sub.snapshot_id, indicator__key=sub.indicator_key)
            .values_list("key", flat=True)]
    events = m.AuditEvent.objects.filter(snapshot_id=sub.snapshot_id, item_key__in=keys)
    if since is not None:
        events = events.filter(at__gte=since)
    what = "; ".join(f"{e.summary or e.action} ({e.item_key}, by {e.username or 'the system'})"
                     for e in list(events.order_by("at", "id"))[:10])
    who = fresh.modified_by.get_username() if fresh.modified_by else "someone"
    when = timezone.localtime(fresh.modified_on).strftime("%d %B %Y at %H:%M")
    return (f"the return for {sub.indicator_key} was changed by {who} on {when}, after this workbook was "
            f"downloaded (version {seen}, now {fresh.version})" + (f": {what}" if what else "")
            + ". Nothing was saved: download a new workbook, which has their changes, and enter yours again.")


def check_workbook(user: Any, parsed: ParsedWorkbook, seen_versions: dict[int, int] | None = None) -> Preview:
    """Check an uploaded workbook for ``user``: every problem with its cell, and every change."""
    preview = Preview(parsed, m.ReportingPeriod.objects.filter(label=parsed.period_label).first())
    problems = preview.problems
    problems.extend(parsed.problems)
    if preview.period is None:
        problems.append(CellProblem("Workbook", "", f"{parsed.filename} is for '{parsed.period_label}', which is not "
                                    "a reporting period here: download the workbook for an open period."))
        return preview
    seen = dict(parsed.versions if seen_versions is None else seen_versions)
    subs: dict[int, m.Submission] = {}
    snapshots: dict[int, m.Snapshot] = {}

    def submission(pk: int | None) -> m.Submission | None:
        if pk is None:
            return None
        if pk not in subs:
            sub = (m.Submission.objects.select_related("snapshot__reporting_period", "snapshot__outcome")
                   .filter(pk=pk, snapshot__reporting_period=preview.period).first())
            if sub is None:
                return None
            # One instance per snapshot, so a save's new content hash is seen by the next check.
            sub.snapshot = snapshots.setdefault(sub.snapshot_id, sub.snapshot)
            subs[pk] = sub
        return subs[pk]

    plans: dict[int, Plan] = {}
    return_keys: dict[int, tuple[set[str], set[str] | None]] = {}

    def return_series(sub: m.Submission) -> tuple[set[str], set[str] | None]:
        """The return's series keys, and those ``user`` may enter (None: all), read once per return."""
        if sub.pk not in return_keys:
            return_keys[sub.pk] = (set(m.Series.objects.filter(snapshot=sub.snapshot, indicator__key=sub.indicator_key)
                                     .values_list("key", flat=True)), access.editable_series(user, sub))
        return return_keys[sub.pk]

    def plan(sub: m.Submission) -> Plan:
        if sub.pk not in plans:
            plans[sub.pk] = Plan(sub, seen.get(sub.pk, -1))
        return plans[sub.pk]

    rows_by_key: dict[tuple[int, str], FigureRow] = {}
    for fr in parsed.figures:
        where = f"{FIG['series']}{fr.row}"
        if not fr.given:
            if fr.fields.get("note") or fr.provisional_text.lower() in ("yes", "y"):
                preview.notices.append(CellProblem(FIGURES, f"{FIG['value']}{fr.row}",
                                                   f"no value for {fr.series_key}, so its note and provisional "
                                                   "mark are ignored."))
            continue
        sub = submission(fr.submission_pk)
        if sub is None or sub.snapshot.published or sub.snapshot.is_archived:
            problems.append(CellProblem(FIGURES, where, f"the row for '{fr.series_key}' does not belong to a return "
                                        f"open for {parsed.period_label}: download a new workbook."))
            continue
        if not access.can_edit_submission(user, sub):
            problems.append(CellProblem(FIGURES, where, f"you cannot change the return for {sub.indicator_key} "
                                        f"({fr.series_key}): it is not assigned to you, or it is with the "
                                        "performance team."))
            continue
        own, allowed = return_series(sub)
        if fr.series_key not in own:
            problems.append(CellProblem(FIGURES, where, f"'{fr.series_key}' is not a series of the return for "
                                        f"{sub.indicator_key}: download a new workbook."))
            continue
        if allowed is not None and fr.series_key not in allowed:
            problems.append(CellProblem(FIGURES, where, f"you are not the lead officer of {fr.series_key}, so you "
                                        "cannot enter its figures."))
            continue
        if (sub.pk, fr.series_key) in rows_by_key:
            first = rows_by_key[(sub.pk, fr.series_key)]
            problems.append(CellProblem(FIGURES, where, f"{fr.series_key} is already entered in row {first.row}: "
                                        "enter each series once."))
            continue
        rows_by_key[(sub.pk, fr.series_key)] = fr
        p = plan(sub)
        p.entries[fr.series_key] = fr.fields
        p.locations[fr.series_key] = f"{FIG['value']}{fr.row}"

    for p in list(plans.values()):
        _check_figures(p, parsed, rows_by_key, preview)

    for nr in parsed.narrative:
        _check_narrative(user, nr, submission, plan, preview)

    preview.plans = [p for p in plans.values() if p.changes]
    for p in preview.plans:
        sub = p.submission
        if p.submission.pk not in seen:
            problems.append(CellProblem("Workbook", "", f"the workbook does not say which version of the return for "
                                        f"{sub.indicator_key} it was drawn from: download a new workbook."))
        elif sub.version != p.seen_version:
            problems.append(CellProblem("Workbook", "", _version_conflict(sub, p.seen_version, parsed.generated)))
    return preview


def _check_figures(p: Plan, parsed: ParsedWorkbook, rows_by_key: dict[tuple[int, str], FigureRow],
                   preview: Preview) -> None:
    sub = p.submission
    result, checked = workflow.check_return(sub, p.entries, file=f"{parsed.filename} {FIGURES}",
                                            locations=p.locations)
    by_key = adapter.series_by_key(sub.snapshot)
    series_rows = {s.key: s for s in m.Series.objects.filter(snapshot=sub.snapshot, key__in=list(checked))
                   .select_related("indicator")}
    for key in p.entries:
        row = rows_by_key[(sub.pk, key)].row
        for problem in result.errors.get(key, []):
            column = FIELD_COLUMN.get(problem.field, FIG["value"])
            preview.problems.append(CellProblem(FIGURES, f"{column}{row}",
                                                _sentences(problem.message, problem.fix)))
        if key in result.errors:
            continue
        warnings = [w.message for w in result.warnings.get(key, [])]
        if key in result.needs_note:
            preview.problems.append(CellProblem(FIGURES, f"{FIG['note']}{row}",
                                                f"{_title(series_rows, key)}: {warnings[0]} Add a note in "
                                                f"{FIG['note']}{row} explaining "
                                                "the figure to save it."))
        if key not in checked:  # check_return leaves out a figure sent back as it is stored
            preview.unchanged += 1
            continue
        obs = checked[key].observation
        series = by_key[key]
        fields = adapter.observation_fields(obs)
        before = workflow.home_observation(sub.snapshot, key, obs.period)
        p.changes += 1
        srow = series_rows[key]
        preview.figures.append(FigureChange(
            cell=f"{FIG['value']}{row}", outcome=sub.snapshot.outcome_key,
            indicator=srow.indicator.numbered_title, series_key=key,
            series_title=srow.title, period=fields["period_label"],
            before="(none)" if before is None else _obs_text(series, before.value, before.numerator,
                                                             before.denominator, before.status,
                                                             before.missing_reason),
            after=_obs_text(series, obs.value, obs.numerator, obs.denominator, obs.status, obs.missing_reason),
            before_note=before.note if before is not None else "", note=obs.note, warnings=warnings,
            needs_note=key in result.needs_note, new=before is None,
        ))


def _check_narrative(user: Any, nr: NarrativeRow, submission: Any, plan: Any, preview: Preview) -> None:
    sub = submission(nr.submission_pk)
    where = f"{NAR['indicator_key']}{nr.row}"
    if sub is None or sub.indicator_key != nr.indicator_key:
        preview.problems.append(CellProblem(NARRATIVE, where, f"the row for '{nr.indicator_key}' does not belong to "
                                            f"a return open for {preview.parsed.period_label}: download a new "
                                            "workbook."))
        return
    current = workflow.current_narrative(sub)
    new = {k: (nr.text.get(k) or "").strip() for k in workflow.NARRATIVE_FIELDS}
    changed = [k for k in workflow.NARRATIVE_FIELDS if new[k] != workflow._clean(current.get(k))]
    if not changed:
        return
    if sub.snapshot.published or sub.snapshot.is_archived or not access.can_edit_submission(user, sub) \
            or not access.signs_off(user, sub):
        preview.problems.append(CellProblem(NARRATIVE, where, f"you cannot change the narrative of "
                                            f"{sub.indicator_key}: it is not assigned to you, or the return is "
                                            "with the performance team."))
        return
    p = plan(sub)
    if p.narrative is not None:
        preview.problems.append(CellProblem(NARRATIVE, where, f"the narrative of {sub.indicator_key} is given "
                                            "twice: write it in one row."))
        return
    p.narrative = new
    indicator = m.Indicator.objects.filter(snapshot=sub.snapshot, key=sub.indicator_key).first()
    title = indicator.numbered_title if indicator else sub.indicator_key
    for k in changed:
        p.changes += 1
        preview.narrative.append(NarrativeChange(f"{NAR[k]}{nr.row}", sub.indicator_key, title,
                                                 NARRATIVE_LABELS[k], current.get(k) or "", new[k]))


def _sentences(*parts: str) -> str:
    """Message parts as sentences, each starting with a capital letter ("120% is outside 0–100. Write ...")."""
    return " ".join(p.strip()[:1].upper() + p.strip()[1:] for p in parts if p and p.strip())


def _title(series_rows: dict[str, Any], key: str) -> str:
    """A series' title for a message ("Children in need rate per 10,000"), else its key."""
    row = series_rows.get(key)
    return row.title if row is not None else key
