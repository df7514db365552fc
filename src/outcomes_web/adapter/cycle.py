"""The quarterly cycle's entry points: the workspace (``outcomes_web.store.workflow`` and the
workspace views) reaches the library through these."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from outcomes.model import (
    Observation,
    Period,
    PeriodError,
    PeriodKind,
    PublishedJudgement,
    PublishedSummary,
    Series,
)
from outcomes_web.adapter.errors import BadPeriod
from outcomes_web.adapter.loading import Judged, judge, load_outcome
from outcomes_web.adapter.mapping import (
    RowWriter,
    cached_period,
    content_hash,
    period_fields,
    reporting_period_row,
    snapshot_facts,
    snapshot_framework,
)
from outcomes_web.adapter.reports import series_value
from outcomes_web.store import models as m


# ==================================================================================== the cycle
# The workspace (outcomes_web.store.workflow) reaches the library through these.
def sanitised_markdown(text: str) -> str:
    """Officers' Markdown as safe HTML (markdown-it, then nh3's allow-list), as the reports render it."""
    from outcomes.report.text import markdown_html

    return markdown_html(text or "")


def parse_period(text: str, kind: str | None = None) -> Period:
    """A period from its label (of the given kind, or any), or :class:`BadPeriod` with the reason."""
    try:
        return Period.parse(text.strip(), kind=PeriodKind(kind) if kind else None)
    except (PeriodError, ValueError, TypeError) as exc:
        raise BadPeriod(str(exc)) from None


def period_label(kind: str, start: datetime.date, end: datetime.date) -> str:
    return str(cached_period(kind, start, end))


def series_by_key(snapshot: m.Snapshot) -> dict[str, Series]:
    """The snapshot's series as the library sees them (from the process cache)."""
    return load_outcome(snapshot).framework.series_by_id()


def default_entry_period(snapshot: m.Snapshot, series: Series) -> Period | None:
    """The period a form or workbook offers for ``series`` in the snapshot's reporting period
    (``outcomes.judge.entry.entry_period``: at the series' own pace, so a yearly snapshot at 31 March
    is next due the following March)."""
    from outcomes.judge.entry import entry_period

    return entry_period(series, load_outcome(snapshot).period)


def entry_is_due(snapshot: m.Snapshot, period: Period | None) -> bool:
    """Whether ``period`` has ended by the end of the snapshot's reporting period."""
    from outcomes.judge.entry import entry_is_due as due

    return due(period, load_outcome(snapshot).period)


def check_entry(snapshot: m.Snapshot, series_key: str, fields: dict[str, str], *, file: str = "entry form",
                location: str = "") -> Any:
    """Check one figure (``outcomes.judge.entry``): an EntryCheck with errors, warnings and the observation."""
    from outcomes.judge.entry import check_series_entry

    loaded = load_outcome(snapshot)
    series = loaded.framework.series_by_id()[series_key]
    return check_series_entry(series, fields, home=loaded.framework.home_area.code, file=file,
                              location=location, reporting=loaded.period)


def observation_fields(obs: Observation) -> dict[str, Any]:
    """An observation's values as the store's Observation row holds them (period fields included)."""
    return {
        "value": obs.value, "numerator": obs.numerator, "denominator": obs.denominator, "status": obs.status,
        "note": obs.note, "missing_reason": obs.missing_reason, **period_fields(obs.period),
    }


def refresh_content_hash(snapshot: m.Snapshot) -> m.Snapshot:
    """Recompute a draft's content hash after its rows changed (the pages' and reports' cache key)."""
    alias = snapshot._state.db or "default"
    fw = snapshot_framework([snapshot], using=alias)
    snapshot.content_hash = content_hash(fw)
    m.Snapshot.objects.using(alias).filter(pk=snapshot.pk).update(content_hash=snapshot.content_hash)
    return snapshot


def copy_to_draft(source: m.Snapshot, *, period: str | None = None, user: Any = None,
                  reason: str = "") -> m.Snapshot:
    """A draft snapshot copied from ``source``: for a new reporting period (``period``), or, without
    one, a revision of the published ``source`` for its own period (revision + 1, ``supersedes`` it).

    For a new period what the previous report printed (its trend words and figures, its executive
    summary) is dropped: the new report has not said anything yet.
    """
    alias = source._state.db or "default"
    fw = snapshot_framework([source], using=alias)
    if period is not None:
        current = fw.reporting_period
        new_period = Period.parse(period, kind=current.kind)
        for s in fw.all_series():
            s.published = PublishedJudgement()
        for o in fw.outcomes:
            o.published_summary = PublishedSummary()
        fw = replace(fw, reporting_period=new_period,
                     report=replace(fw.report, status="draft", published="", data_date=""))
    with transaction.atomic(using=alias):
        rp = reporting_period_row(fw.reporting_period, alias)
        record = m.ImportRecord.objects.using(alias).create(
            source=(f"Opened {fw.reporting_period} from {source.reporting_period.label} revision {source.revision}"
                    if period is not None else f"Revision of {source.reporting_period.label} r{source.revision}"),
            source_format="workspace", organisation=fw.organisation, reporting_period=rp,
            raw_framework={}, content_hash=content_hash(fw), created_by=user, modified_by=user,
        )
        snapshot = m.Snapshot.objects.using(alias).create(
            outcome_key=source.outcome_key, reporting_period=rp, import_record=record, position=source.position,
            published=False, revision=1 if period is not None else source.revision + 1,
            supersedes=None if period is not None else source, revision_reason=reason,
            content_hash=content_hash(fw), **snapshot_facts(fw), created_by=user, modified_by=user,
        )
        RowWriter(snapshot, alias, user).write(fw)
    return snapshot


# === framework management
# The workspace's framework pages (outcomes_web.workspace.framework_views) check what they save
# against the library's own vocabularies, so a form accepts exactly what a dataset may hold.
def framework_vocabulary() -> dict[str, tuple[str, ...]]:
    """Unit types, polarities, period kinds, risk scores and risk trends, as the library reads them."""
    from outcomes.model import UNIT_TYPES
    from outcomes.sources.build import PERIOD_KINDS, POLARITIES, RISK_SCORES, RISK_TRENDS

    return {"unit_types": tuple(UNIT_TYPES), "polarities": tuple(POLARITIES), "period_kinds": tuple(PERIOD_KINDS),
            "risk_scores": tuple(RISK_SCORES), "risk_trends": tuple(dict.fromkeys(RISK_TRENDS.values()))}


def valid_item_id(text: str) -> bool:
    """An id a dataset may use for an indicator, measure, series or risk (the library's own rule)."""
    from outcomes.sources.build import is_valid_id

    return is_valid_id(text)
# === end of framework management


@dataclass(frozen=True)
class FigureChange:
    series_id: str
    series_title: str
    period: str
    before: str
    after: str


def revision_changes(old: m.Snapshot, new: m.Snapshot) -> list[FigureChange]:
    """The home-area figures a revision changed, added or removed compared with the one it superseded."""
    before = load_outcome(old).framework.series_by_id()
    after = load_outcome(new).framework.series_by_id()
    out: list[FigureChange] = []
    for key, series in after.items():
        was = {o.period: o for o in before[key].observations} if key in before else {}
        now = {o.period: o for o in series.observations}
        for period in sorted(set(was) | set(now)):
            a, b = was.get(period), now.get(period)
            va = None if a is None else (a.value, a.status)
            vb = None if b is None else (b.value, b.status)
            if va != vb:
                out.append(FigureChange(key, series.title, str(period), _figure_text(series, a), _figure_text(series, b)))
    return out


def _figure_text(series: Series, obs: Observation | None) -> str:
    if obs is None:
        return "(none)"
    return series_value(series, obs.value) + (" (provisional)" if obs.is_provisional else "")


def judge_without(snapshot: m.Snapshot, figures: dict[str, tuple[Period, Observation | None]]) -> Judged:
    """The snapshot judged as it was before this cycle's figures: for each series key in ``figures``,
    its observation for the period put back to the given one (None: removed). The reviewer compares
    this with the draft's own judgements to see what the new figures changed."""
    import copy

    fw = copy.deepcopy(load_outcome(snapshot).framework)
    by_id = fw.series_by_id()
    for key, (period, old) in figures.items():
        series = by_id.get(key)
        if series is None:
            continue
        kept = [o for o in series.observations if o.period != period]
        series.observations = sorted(kept + ([old] if old is not None else []), key=lambda o: o.period)
    return judge(fw)


def observation_from_row(row: m.Observation | dict[str, Any], series_key: str, area: str) -> Observation:
    """A library observation from the store's fields (a row, or an audit record's before/after)."""
    get = row.get if isinstance(row, dict) else (lambda k, d=None: getattr(row, k, d))
    period = cached_period(get("period_kind"), _as_day(get("period_start")), _as_day(get("period_end")))
    return Observation(series_key, area, period, get("value"), numerator=get("numerator"),
                       denominator=get("denominator"), status=get("status") or "final", note=get("note") or "",
                       missing_reason=get("missing_reason") or "")


def _as_day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
