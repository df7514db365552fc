"""The one place where the web app meets the ``outcomes`` library.

Everything else in ``outcomes_web`` talks to the library through this module (a test checks no
other module imports it). It does four jobs:

* **store**: :func:`store_framework` writes a :class:`~outcomes.model.Framework` into the
  normalised tables, one :class:`~outcomes_web.store.models.Snapshot` per outcome, in one
  transaction; :func:`snapshot_framework` reads snapshots back into a Framework, losing nothing
  (``tests/web/test_round_trip.py`` proves it);
* **load**: :func:`load_outcome` gives a page the Framework of one snapshot with its judgements,
  cached in the process by the snapshot's content hash and revision (so data changes invalidate);
* **library calls**: reading datasets, parsing periods, judging, rendering reports, writing folders;
* **errors**: :class:`DatasetProblems`, :class:`ReportUnavailable` carry library failures as the
  web app's own.

Mapping (domain → table): Framework facts and ``ReportInfo`` → ``Snapshot`` columns; ``areas`` →
``Area``; ``Outcome`` (+ ``PublishedSummary``) → ``Outcome``; ``PopulationIndicator`` (+
``ValueForMoney``) → ``Indicator``; ``PerformanceMeasure`` → ``Measure``; ``Series`` (+ ``Unit``,
``Target``, ``FocusOverride``, breaks) → ``Series``; ``PublishedJudgement`` → ``PublishedStatement``
+ ``PublishedFigure`` (previous / extra / latest); ``Comparator`` → ``Comparator``; home and
benchmark ``Observation`` s → ``Observation`` (``is_home``); ``Narrative`` → ``Narrative``; ``Risk``
→ ``Risk`` + ``RiskLink``; every ``Officer`` tuple → ``Officer`` rows (relation + position).
A Period is stored as canonical label + kind + start/end + months (``PeriodFields``) or, inside
JSON columns, as ``Period.to_dict()``.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.utils import timezone

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes.model import (
    Area,
    Comparator,
    FocusOverride,
    Framework,
    Headline,
    Narrative,
    Observation,
    Officer,
    Outcome,
    PerformanceMeasure,
    Period,
    PeriodError,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    PublishedJudgement,
    PublishedSummary,
    ReportInfo,
    Risk,
    Series,
    Target,
    Unit,
    ValueForMoney,
)
from outcomes.report.focus import FOCUS_RANKING_SENTENCE, focus_numbers
from outcomes.sources import DatasetError, collecting, read_raw
from outcomes.sources.build import build_framework
from outcomes.sources.serialise import framework_to_raw, write_dataset
from outcomes.sources.spreadsheet import FORMULA_START, WorkbookLimits, WorkbookRefused, cell_text
from outcomes.sources.spreadsheet import check_workbook as _check_workbook
from outcomes.sources.spreadsheet import neutralise_cell as _neutralise_cell
from outcomes.sources.spreadsheet import unescape_formula as _unescape_formula
from outcomes_web.store import models as m

log = logging.getLogger("outcomes_web.adapter")

#: The bundled example dataset (the seed report, Dorset "Safe", July 2018), as ``outcomes demo`` uses it.
EXAMPLE = BUNDLED_EXAMPLE  # shipped in the wheel (outcomes.data)

__all__ = [
    "FOCUS_RANKING_SENTENCE",
    "FORMULA_START",
    "cell_text",
    "DatasetProblems",
    "Loaded",
    "WorkbookLimits",
    "WorkbookRefused",
    "ReportUnavailable",
    "Verdict",
    "SeriesVerdict",
    "canonical_period",
    "check_workbook",
    "clear_cache",
    "framework_for_export",
    "load_dataset",
    "load_outcome",
    "neutralise_cell",
    "period_sort_key",
    "render_report",
    "snapshot_framework",
    "store_framework",
    "unescape_formula",
    "write_dataset_folder",
]


# ============================================================================================ errors
class DatasetProblems(Exception):
    """A dataset cannot be used; ``problems`` are the library's messages, one per problem kept (the
    first of each kind); ``total`` counts every problem and ``lines`` is what to print (the problems
    kept, then a count by kind when some were not kept)."""

    def __init__(self, problems: list[str], source: str = "", *, total: int | None = None,
                 lines: list[str] | None = None) -> None:
        self.problems = problems
        self.source = source
        self.total = len(problems) if total is None else total
        self.lines = lines if lines is not None else [f"  - {p}" for p in problems]
        super().__init__(f"{self.total} problem(s) in {source or 'the dataset'}")


class ReportUnavailable(Exception):
    """The report renderer (``outcomes.report``) is not installed or cannot render this report."""


class BadPeriod(ValueError):
    """A period given in a URL or option could not be read; the message says how to write it."""


# ================================================================================ library wrappers
@dataclass(frozen=True)
class DatasetFile:
    framework: Framework
    raw_framework: dict[str, Any]
    source: str
    source_format: str


def load_dataset(path: str | Path, *, problems_file: str | Path | None = None) -> DatasetFile:
    """Read and validate a dataset folder or workbook; :class:`DatasetProblems` lists every problem
    (each one also written to ``problems_file`` when given)."""
    try:
        with collecting(problems_file) as problems:
            raw = read_raw(path, problems)
            framework = build_framework(raw, problems) if raw is not None else None
            problems.raise_if_any(source=str(path))
    except DatasetError as exc:
        raise DatasetProblems([str(p) for p in exc.problems], str(path), total=exc.total,
                              lines=exc.lines()) from None
    assert raw is not None and framework is not None
    source_format = "folder" if Path(path).is_dir() else "workbook"
    return DatasetFile(framework, raw.framework, str(Path(path).resolve()), source_format)


def write_dataset_folder(framework: Framework, path: str | Path) -> None:
    """Write ``framework`` as a dataset folder (atomically, by the library's writer)."""
    write_dataset(framework, Path(path))


def canonical_period(text: str) -> str:
    """The canonical label of a period written any accepted way: 'Q4 17-18' -> 'Q4 2017-18'."""
    try:
        return str(Period.parse(text.strip()))
    except PeriodError as exc:
        raise BadPeriod(str(exc)) from None
    except TypeError as exc:
        raise BadPeriod(str(exc)) from None


def period_sort_key(label: str) -> tuple[datetime.date, datetime.date, int]:
    return Period.parse(label).sort_key


def neutralise_cell(value: object) -> object:
    """Stop a spreadsheet running text as a formula (CSV injection), as the library's exports do."""
    return _neutralise_cell(value)


def unescape_formula(text: str) -> str:
    """The text :func:`neutralise_cell` was given (its apostrophe taken off again)."""
    return _unescape_formula(text)


def check_workbook(content: bytes, *, name: str, limits: WorkbookLimits) -> None:
    """The library's checks on a workbook before it is parsed (:class:`WorkbookRefused` says why not):
    encryption, zip bombs, macros, and the cell budget (declared dimension, then counted)."""
    _check_workbook(content, name=name, limits=limits)


def library_version() -> str:
    try:
        from importlib.metadata import version

        return version("outcomes-tracker")
    except Exception:  # pragma: no cover - not installed as a distribution
        return "0"


# ====================================================================================== period maps
def period_fields(period: Period | None) -> dict[str, Any]:
    if period is None:
        return {"period_label": "", "period_kind": "", "period_start": None, "period_end": None,
                "period_months": None}
    return {"period_label": str(period), "period_kind": period.kind.value, "period_start": period.start,
            "period_end": period.end, "period_months": period.months}


@lru_cache(maxsize=4096)
def _period(kind: str, start: datetime.date, end: datetime.date) -> Period:
    return Period.from_dict({"kind": kind, "start": start.isoformat(), "end": end.isoformat()})


def period_from_row(row: Any) -> Period | None:
    if not row.period_kind or row.period_start is None or row.period_end is None:
        return None
    return _period(row.period_kind, row.period_start, row.period_end)


def _period_json(period: Period | None) -> dict[str, Any] | None:
    return period.to_dict() if period is not None else None


def _period_from_json(data: dict[str, Any] | None) -> Period | None:
    if not data:
        return None
    return _period(data["kind"], datetime.date.fromisoformat(data["start"]),
                   datetime.date.fromisoformat(data["end"]))


# ==================================================================================== domain -> rows
def _sub_framework(fw: Framework, outcome: Outcome) -> Framework:
    """The framework holding one outcome and the risks that belong to it."""
    return replace(fw, outcomes=[outcome], risks=_risks_of(fw, outcome))


def _risks_of(fw: Framework, outcome: Outcome) -> list[Risk]:
    """A risk belongs to the outcome it names; a risk naming none, to every outcome holding one of its
    indicators (or, unlinked, to every outcome). Export gathers them back by id, in register order."""
    own = {ind.id for ind in outcome.indicators}
    out = []
    for r in fw.risks:
        if r.outcome_id == outcome.id or (not r.outcome_id and (not r.indicators or own & set(r.indicators))):
            out.append(r)
    return out


def content_hash(fw: Framework) -> str:
    """A stable hash of everything a framework holds (its serialised dataset form)."""
    raw = framework_to_raw(fw)
    payload = {
        "framework": raw.framework,
        "observations": [r.values for r in raw.observations],
        "risks": [r.values for r in raw.risks],
        "narrative": [[d.subject, d.period, d.sections] for d in raw.narrative],
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reporting_period(period: Period, alias: str) -> m.ReportingPeriod:
    rp, _ = m.ReportingPeriod.objects.using(alias).get_or_create(
        label=str(period),
        defaults={"kind": period.kind.value, "start": period.start, "end": period.end, "months": period.months},
    )
    return rp


def _json_safe(data: Any) -> Any:
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


@dataclass
class StoreResult:
    snapshots: list[m.Snapshot]
    archived: list[m.Snapshot]
    import_record: m.ImportRecord


def store_framework(
    dataset: DatasetFile | Framework,
    *,
    publish: bool = True,
    user: Any = None,
    using: str | None = None,
) -> StoreResult:
    """Write a framework into the store, all or nothing: one snapshot per outcome.

    A current snapshot for the same outcome and reporting period is archived (never deleted) and
    the new one ``supersedes`` it with the next revision number.
    """
    if isinstance(dataset, Framework):
        dataset = DatasetFile(dataset, framework_to_raw(dataset).framework, "(in memory)", "framework")
    fw = dataset.framework
    alias = using or router.db_for_write(m.Snapshot)
    with transaction.atomic(using=alias):
        rp = _reporting_period(fw.reporting_period, alias)
        record = m.ImportRecord.objects.using(alias).create(
            source=dataset.source, source_format=dataset.source_format, organisation=fw.organisation,
            reporting_period=rp, raw_framework=_json_safe(dataset.raw_framework),
            content_hash=content_hash(fw), created_by=user, modified_by=user,
        )
        snapshots, archived = [], []
        now = timezone.now()
        for position, outcome in enumerate(fw.outcomes):
            sub = _sub_framework(fw, outcome)
            previous = (m.Snapshot.objects.using(alias).select_for_update()
                        .filter(outcome_key=outcome.id, reporting_period=rp, published=publish,
                                archived_on__isnull=True).first())
            if previous is not None:
                previous.archived_on = now
                previous.archived_by = user
                previous.archived_reason = f"Superseded by import {record.pk} of {dataset.source}."
                previous.save(using=alias)
                archived.append(previous)
            snapshot = m.Snapshot.objects.using(alias).create(
                outcome_key=outcome.id, reporting_period=rp, import_record=record, position=position,
                published=publish, published_on=now if publish else None,
                revision=(previous.revision + 1) if previous else 1, supersedes=previous,
                content_hash=content_hash(sub), **_snapshot_facts(fw), created_by=user, modified_by=user,
            )
            _Writer(snapshot, alias, user).write(sub)
            snapshots.append(snapshot)
    clear_cache()
    return StoreResult(snapshots, archived, record)


def _report_key(stored: Any) -> dict[str, tuple[str, ...]]:
    """The report key words of a Snapshot row, as ``ReportInfo`` keyword arguments."""
    stored = stored if isinstance(stored, dict) else {}
    return {f"key_{name}": tuple(str(w) for w in stored[name])
            for name in ("trend", "comparator", "risk_trend") if isinstance(stored.get(name), list)}


def _snapshot_facts(fw: Framework) -> dict[str, Any]:
    """The framework facts a Snapshot row keeps (organisation, home area, report details, settings)."""
    return {
        "organisation": fw.organisation, "home_area_code": fw.home_area.code, "home_area_name": fw.home_area.name,
        "report_title": fw.report.title, "report_organisation": fw.report.organisation,
        "report_published": fw.report.published, "report_status": fw.report.status,
        "report_data_date": fw.report.data_date, "settings": _json_safe(dict(fw.settings)),
        "report_key": {name: list(words) for name, words in (("trend", fw.report.key_trend),
                                                             ("comparator", fw.report.key_comparator),
                                                             ("risk_trend", fw.report.key_risk_trend))
                       if words is not None},
    }


class _Writer:
    """Writes one outcome's framework below a snapshot with a bulk insert per table."""

    def __init__(self, snapshot: m.Snapshot, alias: str, user: Any) -> None:
        self.snapshot = snapshot
        self.alias = alias
        self.user = user
        self.officers: list[m.Officer] = []

    def _tracked(self) -> dict[str, Any]:
        return {"created_by": self.user, "modified_by": self.user}

    def _people(self, people: Iterable[Officer], relation: str, **holder: Any) -> None:
        for i, p in enumerate(people):
            self.officers.append(m.Officer(snapshot=self.snapshot, relation=relation, position=i, name=p.name,
                                           role=p.role, email=p.email, phone=p.phone, **holder))

    def write(self, fw: Framework) -> None:
        db = self.alias
        snap = self.snapshot
        (outcome,) = fw.outcomes
        areas = [fw.home_area, *[a for code, a in fw.areas.items() if code != fw.home_area.code]]
        m.Area.objects.using(db).bulk_create(
            [m.Area(snapshot=snap, position=i, code=a.code, name=a.name) for i, a in enumerate(areas) if a.code]
        )
        ps = outcome.published_summary
        orow = m.Outcome.objects.using(db).create(
            snapshot=snap, key=outcome.id, title=outcome.title, introduction=outcome.introduction,
            summary_population_indicators=ps.population_indicators,
            summary_performance_measures=ps.performance_measures, summary_risks=ps.risks,
            summary_focus_indicators=list(ps.focus_indicators), summary_focus_measures=list(ps.focus_measures),
            summary_focus_risks=list(ps.focus_risks), **self._tracked(),
        )
        if outcome.sponsor:
            self._people([outcome.sponsor], "sponsor", outcome=orow)
        self._people(outcome.lead_officers, "lead", outcome=orow)
        self._people(outcome.contacts, "contact", outcome=orow)

        ind_rows = m.Indicator.objects.using(db).bulk_create([
            m.Indicator(
                snapshot=snap, outcome=orow, position=i, key=ind.id, number=ind.number, title=ind.title,
                section=ind.section, section_title=ind.section_title, vfm_status=ind.value_for_money.status,
                vfm_latest=ind.value_for_money.latest, vfm_rank=ind.value_for_money.rank,
                vfm_of=ind.value_for_money.of, vfm_note=ind.value_for_money.note, **self._tracked(),
            )
            for i, ind in enumerate(outcome.indicators)
        ])
        measure_objs: list[tuple[m.Measure, PerformanceMeasure]] = []
        narrative: list[m.Narrative] = []
        for ind, irow in zip(outcome.indicators, ind_rows, strict=True):
            self._people(ind.lead_officers, "lead", indicator=irow)
            for j, meas in enumerate(ind.measures):
                measure_objs.append((m.Measure(snapshot=snap, indicator=irow, position=j, key=meas.id,
                                               title=meas.title, published_trend=meas.published_trend,
                                               **self._tracked()), meas))
            for j, n in enumerate(ind.narrative):
                narrative.append(m.Narrative(indicator=irow, position=j, story=n.story, partners=n.partners,
                                             actions=n.actions, data_notes=n.data_notes, origin=n.origin,
                                             **period_fields(n.period), **self._tracked()))
        m.Measure.objects.using(db).bulk_create([row for row, _ in measure_objs])
        m.Narrative.objects.using(db).bulk_create(narrative)
        for row, meas in measure_objs:
            self._people(meas.lead_officers, "lead", measure=row)

        holders: list[tuple[Series, m.Indicator, m.Measure | None, int]] = []
        for ind, irow in zip(outcome.indicators, ind_rows, strict=True):
            holders.extend((s, irow, None, k) for k, s in enumerate(ind.series))
        for row, meas in measure_objs:
            holders.extend((s, row.indicator, row, k) for k, s in enumerate(meas.series))
        series_rows = m.Series.objects.using(db).bulk_create([
            m.Series(
                snapshot=snap, indicator=irow, measure=mrow, position=k, key=s.id, kind=s.kind, title=s.title,
                short_title=s.short_title, unit_type=s.unit.type, unit_per=s.unit.per,
                unit_currency=s.unit.currency, unit_decimals=s.unit.decimals,
                polarity=s.polarity.value if s.polarity is not None else "", period_kind=s.period_kind.value,
                definition=s.definition, source=s.source, breaks=[b.to_dict() for b in s.breaks],
                has_target=s.target is not None, target_value=s.target.value if s.target else None,
                target_period=_period_json(s.target.period) if s.target else None,
                target_note=s.target.note if s.target else "",
                focus_action=s.focus.action if s.focus else "", focus_reason=s.focus.reason if s.focus else "",
                polarity_source=s.polarity_source, polarity_confirmed=s.polarity_confirmed, part_of=s.part_of,
                **self._tracked(),
            )
            for s, irow, mrow, k in holders
        ])
        comparators: list[m.Comparator] = []
        statements: list[m.PublishedStatement] = []
        observations: list[m.Observation] = []
        for (s, _irow, _mrow, _k), srow in zip(holders, series_rows, strict=True):
            self._people(s.lead_officers, "lead", series=srow)
            comparators.extend(
                m.Comparator(series=srow, position=i, name=c.name, area=c.area, kind=c.kind,
                             period=_period_json(c.period), value=c.value, home_value=c.home_value, basis=c.basis,
                             members=list(c.members), note=c.note)
                for i, c in enumerate(s.comparators)
            )
            p = s.published
            statements.append(m.PublishedStatement(
                series=srow, trend=p.trend, trend_rag=p.trend_rag, trend_basis=p.trend_basis,
                comparator=p.comparator, comparator_rag=p.comparator_rag, comparator_text=p.comparator_text,
                trend_method=p.trend_method, comparator_method=p.comparator_method,
            ))
            rows = [(True, o) for o in s.observations]
            for lst in s.benchmark_observations.values():
                rows.extend((False, o) for o in lst)
            observations.extend(
                m.Observation(
                    series=srow, position=i, area=o.area, is_home=home,
                    value=o.value, numerator=o.numerator, denominator=o.denominator, lower95=o.lower95,
                    upper95=o.upper95, lower998=o.lower998, upper998=o.upper998, status=o.status, source=o.source,
                    note=o.note, missing_reason=o.missing_reason, origin=o.origin, **period_fields(o.period),
                )
                for i, (home, o) in enumerate(rows)
            )
        m.Comparator.objects.using(db).bulk_create(comparators)
        m.Observation.objects.using(db).bulk_create(observations, batch_size=500)
        statement_rows = m.PublishedStatement.objects.using(db).bulk_create(statements)
        figures = []
        for (s, *_), st in zip(holders, statement_rows, strict=True):
            p = s.published
            named = [("previous", p.previous), *(("extra", h) for h in p.extra), ("latest", p.latest)]
            for i, (role, h) in enumerate(x for x in named if x[1] is not None):
                assert h is not None
                figures.append(m.PublishedFigure(statement=st, role=role, position=i, label=h.label, value=h.value,
                                                 text=h.text, **period_fields(h.period)))
        m.PublishedFigure.objects.using(db).bulk_create(figures)

        by_key = {row.key: row for row in ind_rows}
        risk_rows = m.Risk.objects.using(db).bulk_create([
            m.Risk(snapshot=snap, position=i, key=r.id, title=r.title, score=r.score, trend=r.trend,
                   trend_as_published=r.trend_as_published, outcome_key=r.outcome_id, likelihood=r.likelihood,
                   impact=r.impact, owner=r.owner, focus_action=r.focus.action if r.focus else "",
                   focus_reason=r.focus.reason if r.focus else "", origin=r.origin, **self._tracked())
            for i, r in enumerate(fw.risks)
        ])
        m.RiskLink.objects.using(db).bulk_create([
            m.RiskLink(risk=row, position=j, indicator_key=key, indicator=by_key.get(key))
            for r, row in zip(fw.risks, risk_rows, strict=True)
            for j, key in enumerate(r.indicators)
        ])
        m.Officer.objects.using(db).bulk_create(self.officers)


# ==================================================================================== rows -> domain
def _people(rows: Iterable[m.Officer]) -> tuple[Officer, ...]:
    return tuple(Officer(r.name, r.role, r.email, r.phone) for r in sorted(rows, key=lambda r: r.position))


def _focus(action: str, reason: str) -> FocusOverride | None:
    return FocusOverride(action, reason) if action else None


def _headline(row: m.PublishedFigure) -> Headline:
    return Headline(label=row.label, value=row.value, period=period_from_row(row), text=row.text)


def snapshot_framework(snapshots: list[m.Snapshot], *, using: str | None = None) -> Framework:
    """Rebuild the Framework of one or more snapshots from the tables, in a fixed number of queries.

    Several snapshots (outcomes of one reporting period) make one framework: its facts come from
    the first; a risk held by more than one snapshot appears once.
    """
    if not snapshots:
        raise ValueError("No snapshot to rebuild.")
    alias = using or snapshots[0]._state.db or "default"
    ids = [s.pk for s in snapshots]
    first = snapshots[0]

    def q(model: Any) -> Any:
        return model.objects.using(alias)

    areas = list(q(m.Area).filter(snapshot_id__in=ids).order_by("snapshot_id", "position"))
    outcomes = {o.snapshot_id: o for o in q(m.Outcome).filter(snapshot_id__in=ids)}
    # Archived indicators, measures and risks stay in the tables for the record, not in the framework.
    indicators = list(q(m.Indicator).filter(snapshot_id__in=ids, archived_on__isnull=True).order_by("position"))
    measures = list(q(m.Measure).filter(snapshot_id__in=ids, archived_on__isnull=True,
                                        indicator__archived_on__isnull=True).order_by("position"))
    live = {i.pk for i in indicators}, {x.pk for x in measures}
    series = [s for s in q(m.Series).filter(snapshot_id__in=ids).select_related("statement").order_by("position")
              if s.indicator_id in live[0] and (s.measure_id is None or s.measure_id in live[1])]
    figures = list(q(m.PublishedFigure).filter(statement__series__snapshot_id__in=ids).order_by("position"))
    comparators = list(q(m.Comparator).filter(series__snapshot_id__in=ids).order_by("position"))
    observations = list(q(m.Observation).filter(series__snapshot_id__in=ids).order_by("position"))
    narrative = list(q(m.Narrative).filter(indicator__snapshot_id__in=ids).order_by("position"))
    risks = list(q(m.Risk).filter(snapshot_id__in=ids, archived_on__isnull=True).order_by("snapshot_id", "position"))
    links = list(q(m.RiskLink).filter(risk__snapshot_id__in=ids).order_by("position"))
    officers = list(q(m.Officer).filter(snapshot_id__in=ids).order_by("position"))

    def group(rows: Iterable[Any], attr: str) -> dict[Any, list[Any]]:
        out: dict[Any, list[Any]] = {}
        for r in rows:
            out.setdefault(getattr(r, attr), []).append(r)
        return out

    people: dict[tuple[str, int, str], list[m.Officer]] = {}
    for o in officers:
        for holder in ("outcome_id", "indicator_id", "measure_id", "series_id"):
            if getattr(o, holder) is not None:
                people.setdefault((holder, getattr(o, holder), o.relation), []).append(o)

    def leads(holder: str, pk: int, relation: str = "lead") -> tuple[Officer, ...]:
        return _people(people.get((holder, pk, relation), ()))

    figs = group(figures, "statement_id")
    comps = group(comparators, "series_id")
    obs = group(observations, "series_id")

    def build_series(row: m.Series) -> Series:
        kind = PeriodKind(row.period_kind)
        st = getattr(row, "statement", None)
        published = PublishedJudgement()
        if st is not None:
            f = figs.get(st.pk, [])
            published = PublishedJudgement(
                previous=next((_headline(x) for x in f if x.role == "previous"), None),
                latest=next((_headline(x) for x in f if x.role == "latest"), None),
                extra=tuple(_headline(x) for x in f if x.role == "extra"),
                trend=st.trend, trend_rag=st.trend_rag, trend_basis=st.trend_basis, comparator=st.comparator,
                comparator_rag=st.comparator_rag, comparator_text=st.comparator_text,
                trend_method=st.trend_method, comparator_method=st.comparator_method,
            )
        s = Series(
            id=row.key, title=row.title,
            unit=Unit(row.unit_type, per=row.unit_per, currency=row.unit_currency, decimals=row.unit_decimals),
            polarity=Polarity(row.polarity) if row.polarity else None, period_kind=kind, kind=row.kind,
            parent_id=row.measure.key if row.measure is not None else row.indicator.key, short_title=row.short_title,
            comparators=[
                Comparator(name=c.name, area=c.area, kind=c.kind, period=_period_from_json(c.period), value=c.value,
                           home_value=c.home_value, basis=c.basis, members=tuple(c.members), note=c.note)
                for c in comps.get(row.pk, [])
            ],
            target=Target(row.target_value, _period_from_json(row.target_period), row.target_note)
            if row.has_target and row.target_value is not None else None,
            published=published, lead_officers=leads("series_id", row.pk), definition=row.definition,
            source=row.source, focus=_focus(row.focus_action, row.focus_reason),
            breaks=tuple(p for b in row.breaks if (p := _period_from_json(b)) is not None),
            polarity_source=row.polarity_source, polarity_confirmed=row.polarity_confirmed, part_of=row.part_of,
        )
        for o in obs.get(row.pk, []):
            ob = Observation(
                series_id=row.key, area=o.area, period=period_from_row(o),  # type: ignore[arg-type]
                value=o.value, numerator=o.numerator, denominator=o.denominator, lower95=o.lower95,
                upper95=o.upper95, lower998=o.lower998, upper998=o.upper998, status=o.status, source=o.source,
                note=o.note, missing_reason=o.missing_reason, origin=o.origin,
            )
            if o.is_home:
                s.observations.append(ob)
            else:
                s.benchmark_observations.setdefault(o.area, []).append(ob)
        s.observations.sort(key=lambda x: x.period)
        for lst in s.benchmark_observations.values():
            lst.sort(key=lambda x: x.period)
        return s

    ind_by_pk = {i.pk: i for i in indicators}
    meas_by_pk = {x.pk: x for x in measures}
    for srow in series:  # attach holders without a query per row
        srow.indicator = ind_by_pk[srow.indicator_id]
        if srow.measure_id:
            srow.measure = meas_by_pk[srow.measure_id]
    series_of_ind = group([s for s in series if s.measure_id is None], "indicator_id")
    series_of_meas = group([s for s in series if s.measure_id is not None], "measure_id")
    meas_of_ind = group(measures, "indicator_id")
    narr_of_ind = group(narrative, "indicator_id")
    ind_of_outcome = group(indicators, "outcome_id")

    out_outcomes = []
    for snap in snapshots:
        orow = outcomes[snap.pk]
        sponsors = leads("outcome_id", orow.pk, "sponsor")
        outcome = Outcome(
            id=orow.key, title=orow.title, sponsor=sponsors[0] if sponsors else None,
            lead_officers=leads("outcome_id", orow.pk), contacts=leads("outcome_id", orow.pk, "contact"),
            introduction=orow.introduction,
            published_summary=PublishedSummary(
                population_indicators=orow.summary_population_indicators,
                performance_measures=orow.summary_performance_measures, risks=orow.summary_risks,
                focus_indicators=tuple(orow.summary_focus_indicators),
                focus_measures=tuple(orow.summary_focus_measures), focus_risks=tuple(orow.summary_focus_risks),
            ),
        )
        for irow in ind_of_outcome.get(orow.pk, []):
            ind = PopulationIndicator(
                id=irow.key, number=irow.number, title=irow.title, outcome_id=orow.key,
                lead_officers=leads("indicator_id", irow.pk),
                value_for_money=ValueForMoney(status=irow.vfm_status, latest=irow.vfm_latest, rank=irow.vfm_rank,
                                              of=irow.vfm_of, note=irow.vfm_note),
                section=irow.section, section_title=irow.section_title,
                series=[build_series(s) for s in series_of_ind.get(irow.pk, [])],
            )
            for mrow in meas_of_ind.get(irow.pk, []):
                ind.measures.append(PerformanceMeasure(
                    id=mrow.key, title=mrow.title, indicator_id=irow.key,
                    lead_officers=leads("measure_id", mrow.pk), published_trend=mrow.published_trend,
                    series=[build_series(s) for s in series_of_meas.get(mrow.pk, [])],
                ))
            ind.narrative = [
                Narrative(subject_id=irow.key, period=period_from_row(n), story=n.story, partners=n.partners,
                          actions=n.actions, data_notes=n.data_notes, origin=n.origin)
                for n in narr_of_ind.get(irow.pk, [])
            ]
            outcome.indicators.append(ind)
        out_outcomes.append(outcome)

    links_of = group(links, "risk_id")
    out_risks: list[Risk] = []
    seen: set[str] = set()
    for r in risks:
        if r.key in seen:
            continue
        seen.add(r.key)
        out_risks.append(Risk(
            id=r.key, title=r.title, score=r.score, trend=r.trend, outcome_id=r.outcome_key,
            likelihood=r.likelihood, impact=r.impact, owner=r.owner,
            indicators=tuple(x.indicator_key for x in links_of.get(r.pk, [])),
            trend_as_published=r.trend_as_published, focus=_focus(r.focus_action, r.focus_reason), origin=r.origin,
        ))

    home = Area(first.home_area_code, first.home_area_name)
    area_map: dict[str, Area] = {}
    for a in areas:
        area_map.setdefault(a.code, Area(a.code, a.name))
    rp = first.reporting_period
    return Framework(
        organisation=first.organisation, home_area=home,
        reporting_period=_period(rp.kind, rp.start, rp.end),
        outcomes=out_outcomes, risks=out_risks, areas=area_map,
        report=ReportInfo(title=first.report_title, organisation=first.report_organisation,
                          published=first.report_published, status=first.report_status,
                          data_date=first.report_data_date, **_report_key(first.report_key)),
        settings=dict(first.settings or {}),
    )


def framework_for_export(*, outcome_key: str | None = None, period: str | None = None,
                         using: str | None = None) -> Framework:
    """The framework of the current snapshots of one reporting period (default: the latest), for export.

    Raises LookupError with a message naming what is there when nothing matches.
    """
    alias = using or router.db_for_read(m.Snapshot)
    current = m.Snapshot.objects.using(alias).current().select_related("reporting_period")
    if not current.exists():
        raise LookupError("The database holds no data: import a dataset first.")
    if period:
        label = canonical_period(period)
        chosen = current.filter(reporting_period__label=label)
        if not chosen.exists():
            labels = sorted({s.reporting_period.label for s in current}, key=period_sort_key)
            raise LookupError(f"No outcome is stored for {label}; the periods stored are: {', '.join(labels)}.")
    else:
        latest = current.order_by("-reporting_period__end", "-reporting_period__start").first()
        assert latest is not None
        chosen = current.filter(reporting_period=latest.reporting_period)
    if outcome_key:
        keys = sorted({s.outcome_key for s in chosen})
        chosen = chosen.filter(outcome_key=outcome_key)
        if not chosen.exists():
            raise LookupError(f"'{outcome_key}' is not an outcome stored for that period; the outcomes are: "
                              f"{', '.join(keys)}.")
    snaps = sorted(chosen, key=lambda s: (s.import_record_id or 0, s.position, s.pk))
    return snapshot_framework(snaps, using=alias)


# ===================================================================================== judgements
@dataclass(frozen=True)
class Verdict:
    """A judgement as the pages show it: word, RAG letter, method and reason."""

    word: str
    rag: str = ""
    method: str = ""
    reason: str = ""
    method_label: str = ""
    why: str = ""

    @property
    def assessed(self) -> bool:
        return self.word not in ("", "not assessed", "not compared")


@dataclass(frozen=True)
class SeriesVerdict:
    trend: Verdict
    comparator: Verdict
    current_run: str = ""
    focus_rank: int | None = None
    focus_reason: str = ""
    spc: str = ""
    #: every comparator judgement (benchmarks and groups), as ``ComparatorJudgement.to_dict`` records
    comparators: tuple[dict[str, Any], ...] = ()


def _verdict(j: Any) -> Verdict:
    if j is None:
        return Verdict("not assessed", reason="No judgement was made.")
    word = str(getattr(j, "word", "") or getattr(j, "judgement", "") or "not assessed")
    rag = getattr(j, "rag", "") or ""
    method = str(getattr(j, "method", "") or "")
    return Verdict(word=word, rag=str(getattr(rag, "value", rag) or ""), method=method,
                   reason=str(getattr(j, "reason", "") or ""),
                   method_label=str(getattr(j, "method_label", "") or method), why=str(getattr(j, "why", "") or ""))


@dataclass
class Judged:
    """The judgements of one framework, by series id, plus risk focus ranks."""

    series: dict[str, SeriesVerdict] = field(default_factory=dict)
    risk_focus: dict[str, int] = field(default_factory=dict)
    raw: Any = None  # the library's FrameworkJudgement, for the report renderer and JSON
    findings: list[Any] = field(default_factory=list)  # data-quality findings (outcomes.judge.quality)

    def findings_for(self, subject_id: str) -> list[Any]:
        return [f for f in self.findings if f.subject_id == subject_id]


def judge(fw: Framework) -> Judged:
    """Judge a framework with ``outcomes.judge`` (and run its data-quality checks)."""
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks

    findings = run_checks(fw)
    result = judge_framework(fw, quality_findings=findings)
    numbers = focus_numbers(result)  # the report's one focus numbering: series 1..N, risks R1..RK
    out: dict[str, SeriesVerdict] = {}
    for sj in result.series:
        focus = getattr(sj, "focus", None)
        rank = numbers.of_series(sj.series.id)
        out[sj.series.id] = SeriesVerdict(
            trend=_verdict(sj.trend), comparator=_verdict(sj.comparator),
            current_run=_run_text(sj), focus_rank=rank,
            focus_reason=" ".join(focus.reasons) if focus is not None and rank is not None else "",
            spc=_spc_text(sj),
            comparators=tuple(j.to_dict() for j in getattr(sj, "comparators", ())),
        )
    for s in fw.all_series():
        out.setdefault(s.id, SeriesVerdict(_verdict(None), _verdict(None)))
    risk_focus = dict(numbers.risks)
    return Judged(out, risk_focus, result, findings)


def _run_text(sj: Any) -> str:
    """'Rising for 3 periods in a row' from the engine's current run, or ''."""
    n, direction = getattr(sj, "current_run", 0), getattr(sj, "current_direction", None)
    if not n or not direction:
        return ""
    word = "Rising" if direction == "up" else "Falling"
    return f"{word} for {n} period{'s' if n != 1 else ''} in a row"


_SPC_WORDS = {
    "common_cause": "common cause variation (no signal)",
    "special_cause_improving_high": "special cause: improvement (high)",
    "special_cause_improving_low": "special cause: improvement (low)",
    "special_cause_concerning_high": "special cause: concern (high)",
    "special_cause_concerning_low": "special cause: concern (low)",
    "special_cause_neutral_high": "special cause: high (neither direction is better)",
    "special_cause_neutral_low": "special cause: low (neither direction is better)",
}


def _spc_text(sj: Any) -> str:
    """A sentence about the XmR chart, when the engine drew one."""
    x = getattr(sj, "spc", None)
    if x is None:
        return ""
    unit = sj.series.unit
    text = (f"XmR chart over {x.points_used} points{' (trial limits)' if x.trial_limits else ''}: "
            f"mean {unit.format(x.mean)}, process limits {unit.format(x.lower_limit)} to {unit.format(x.upper_limit)}.")
    latest = next((t for t in reversed(x.point_types) if t), "")
    if latest:
        text += f" Latest point: {_SPC_WORDS.get(latest, latest.replace('_', ' '))}."
    return text


def judged_json(loaded: Loaded) -> dict[str, Any]:
    """The library's JSON form of the judgements."""
    raw = loaded.judged.raw
    if raw is None or not hasattr(raw, "to_json_dict"):
        return {}
    return raw.to_json_dict()


# ========================================================================================== loading
@dataclass
class Loaded:
    """One snapshot's framework and judgements, ready for the pages.

    ``memo`` lives as long as the cache entry: pages keep view-models and rendered HTML there, so
    they too are rebuilt only when the snapshot's data changes.
    """

    snapshot: m.Snapshot
    framework: Framework
    judged: Judged
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        return self.framework.outcomes[0]

    @property
    def period(self) -> Period:
        return self.framework.reporting_period


_CACHE: OrderedDict[tuple[Any, ...], tuple[Framework, Judged, dict[Any, Any]]] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def load_outcome(snapshot: m.Snapshot) -> Loaded:
    """The framework and judgements of ``snapshot``, from the process cache when its data is unchanged."""
    alias = snapshot._state.db or "default"
    key = (alias, snapshot.pk, snapshot.revision, snapshot.content_hash)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is None:
        fw = snapshot_framework([snapshot], using=alias)
        hit = (fw, judge(fw), {})
        with _LOCK:
            _CACHE[key] = hit
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return Loaded(snapshot, hit[0], hit[1], hit[2])


def warm_imports() -> None:
    """Import the library's heavy modules (numpy, scipy, the charts) now, not in the first request."""
    import outcomes.judge
    import outcomes.judge.quality
    import outcomes.report.charts  # noqa: F401


# ========================================================================================== reports
REPORT_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def report_cache_path(loaded: Loaded, fmt: str) -> Path:
    snap = loaded.snapshot
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"{snap.outcome_key}-{loaded.period}").strip("-")
    name = f"{slug}-r{snap.revision}-{snap.content_hash[:16]}-v{library_version()}.{fmt}"
    return Path(settings.REPORT_CACHE_DIR) / name


def render_report(loaded: Loaded, fmt: str) -> tuple[bytes, bool]:
    """The report of one outcome and period as ``fmt`` (html or pdf): (content, came from the cache).

    Built by ``outcomes.report`` and kept on disk under ``OUTCOMES_DATA_DIR/cache/reports``, named by
    the snapshot's content hash and revision and the library version, so it is rebuilt when the data
    (or the renderer) changes.
    """
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}.")
    path = report_cache_path(loaded, fmt)
    if path.exists():
        return path.read_bytes(), True
    from outcomes.report import ReportError, render_html, render_pdf

    fn = render_html if fmt == "html" else render_pdf
    kwargs: dict[str, Any] = {"outcome_id": loaded.outcome.id, "period": loaded.period}
    if loaded.judged.raw is not None:
        kwargs["judged"] = loaded.judged.raw
        kwargs["findings"] = loaded.judged.findings
    try:
        content = fn(loaded.framework, **kwargs)
    except ReportError as exc:
        raise ReportUnavailable(str(exc)) from exc
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data, False


# =========================================================================================== charts
def _month_x(period: Period) -> float:
    end = period.end
    return end.year * 12 + end.month - 1 + end.day / 31


def series_funnel(loaded: Loaded, series: Series) -> Any | None:
    """The report's funnel plot of a series' latest period across its comparator group, or ``None``.

    A chart object with ``.svg`` (``<title>`` and ``<desc>`` inside) and ``.table`` (the figures:
    each area, its denominator, value, limits and where it lies), drawn by the report's one chart
    renderer; ``None`` when the group lacks the figures or the report module is not installed.
    """
    try:
        from outcomes.report.view import funnel_for
    except ImportError:
        return None
    return funnel_for(loaded.framework, series)


def series_chart(loaded: Loaded, series: Series) -> str | None:
    """The report's line chart of a series (SVG with ``<title>`` and ``<desc>``), as the report draws it:
    comparators dashed and named, confidence intervals, SPC limits and special-cause points, target.

    ``None`` when the report's chart module is not installed (the page then draws its own).
    """
    try:
        from outcomes.report.charts import ChartPoint, LineChartInput, Reference, SpcLimits, line_chart
    except ImportError:
        return None
    import math

    raw = loaded.judged.raw
    sj = raw.by_series_id.get(series.id) if raw is not None else None
    intervals = {ip.period: ip for ip in (sj.intervals if sj is not None else [])}
    special: dict[Period, str] = {}
    spc = None
    if sj is not None and sj.spc is not None:
        x = sj.spc
        if all(math.isfinite(v) for v in (x.mean, x.lower_limit, x.upper_limit)):
            spc = SpcLimits(float(x.mean), float(x.lower_limit), float(x.upper_limit), bool(x.trial_limits))
        for p, t in zip(sj.spc_periods, x.point_types, strict=False):
            if t.startswith("special_cause_improving"):
                special[p] = "improvement"
            elif t.startswith("special_cause_concerning"):
                special[p] = "concern"
            elif t.startswith("special_cause_neutral"):
                special[p] = "neutral"
    points = []
    previous: Observation | None = None
    for o in series.observations:
        ip = intervals.get(o.period)
        joined = previous is None or previous.period.steps_between(o.period) == 1 or (
            o.period.kind is PeriodKind.ROLLING and previous.period.end.year + 1 == o.period.end.year
            and previous.period.end.month == o.period.end.month)
        points.append(ChartPoint(
            label=o.period.label("short"), long_label=str(o.period), x=_month_x(o.period), value=o.value,
            lower=getattr(ip, "lower95", None) if ip is not None else o.lower95,
            upper=getattr(ip, "upper95", None) if ip is not None else o.upper95,
            provisional=o.is_provisional, special=special.get(o.period, ""), joined=joined,
        ))
        previous = o
    fw = loaded.framework
    references = []
    for c in series.comparators:
        rows = [o for o in series.benchmark_observations.get(c.area, []) if o.value is not None]
        name = c.name or fw.area_name(c.area)
        if rows:
            references.append(Reference(name, points=tuple(
                (_month_x(o.period), float(o.value), str(o.period)) for o in rows if o.value is not None)))
        elif c.value is not None and c.home_value is None:
            references.append(Reference(name, value=c.value, period_label=str(c.period) if c.period else ""))
    if series.target is not None:
        references.append(Reference("Target", value=series.target.value, kind="target",
                                    period_label=str(series.target.period) if series.target.period else ""))
    home = fw.home_area.name or fw.home_area.code
    slug = "".join(ch if ch.isalnum() else "-" for ch in series.id)
    chart = line_chart(LineChartInput(
        id=f"chart-{slug}",
        title=f"{series.title}: {home}" + (f" and {', '.join(r.name for r in references)}" if references else ""),
        unit=series.unit, points=tuple(points), home_name=home, references=tuple(references), spc=spc,
        breaks=tuple(_month_x(b) - 0.5 for b in series.breaks),
    ))
    return chart.svg


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
    return str(_period(kind, start, end))


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
        rp = _reporting_period(fw.reporting_period, alias)
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
            content_hash=content_hash(fw), **_snapshot_facts(fw), created_by=user, modified_by=user,
        )
        _Writer(snapshot, alias, user).write(fw)
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
    return series.unit.format(obs.value) + (" (provisional)" if obs.is_provisional else "")


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
    period = _period(get("period_kind"), _as_day(get("period_start")), _as_day(get("period_end")))
    return Observation(series_key, area, period, get("value"), numerator=get("numerator"),
                       denominator=get("denominator"), status=get("status") or "final", note=get("note") or "",
                       missing_reason=get("missing_reason") or "")


def _as_day(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
