"""Domain <-> rows: a Framework written into the store's tables (one snapshot per outcome) and read
back, losing nothing; periods as row fields and JSON; the framework of a period's snapshots."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.utils import timezone
from django.utils.text import slugify

from outcomes.model import (
    Area,
    Breakdown,
    Comparator,
    FocusOverride,
    Framework,
    Headline,
    MethodInput,
    Narrative,
    Observation,
    Officer,
    Outcome,
    PerformanceMeasure,
    Period,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    PublishedJudgement,
    PublishedSummary,
    ReportInfo,
    Risk,
    Series,
    SeriesMethod,
    Target,
    Unit,
    ValueForMoney,
)
from outcomes.sources.serialise import framework_to_raw
from outcomes_web.adapter.errors import DatasetProblems
from outcomes_web.adapter.library import DatasetFile, canonical_period, period_sort_key
from outcomes_web.store import models as m


# ====================================================================================== period maps
def period_fields(period: Period | None) -> dict[str, Any]:
    if period is None:
        return {"period_label": "", "period_kind": "", "period_start": None, "period_end": None,
                "period_months": None}
    return {"period_label": str(period), "period_kind": period.kind.value, "period_start": period.start,
            "period_end": period.end, "period_months": period.months}


@lru_cache(maxsize=4096)
def cached_period(kind: str, start: datetime.date, end: datetime.date) -> Period:
    return Period.from_dict({"kind": kind, "start": start.isoformat(), "end": end.isoformat()})


def period_from_row(row: Any) -> Period | None:
    if not row.period_kind or row.period_start is None or row.period_end is None:
        return None
    return cached_period(row.period_kind, row.period_start, row.period_end)


def _period_json(period: Period | None) -> dict[str, Any] | None:
    return period.to_dict() if period is not None else None


def _period_from_json(data: dict[str, Any] | None) -> Period | None:
    if not data:
        return None
    return cached_period(data["kind"], datetime.date.fromisoformat(data["start"]),
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


def reporting_period_row(period: Period, alias: str) -> m.ReportingPeriod:
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

    An outcome id already held by another organisation is refused (:class:`DatasetProblems`, nothing
    written): outcome ids are the tracker's addresses, and storing it would archive the other
    organisation's outcome as if this one superseded it.
    """
    if isinstance(dataset, Framework):
        dataset = DatasetFile(dataset, framework_to_raw(dataset).framework, "(in memory)", "framework")
    fw = dataset.framework
    alias = using or router.db_for_write(m.Snapshot)
    with transaction.atomic(using=alias):
        _refuse_outcomes_of_others(fw, dataset.source, alias)
        rp = reporting_period_row(fw.reporting_period, alias)
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
                content_hash=content_hash(sub), **snapshot_facts(fw), created_by=user, modified_by=user,
            )
            RowWriter(snapshot, alias, user).write(sub)
            snapshots.append(snapshot)
    from outcomes_web.adapter.loading import clear_cache  # loading reads through this module

    clear_cache()
    return StoreResult(snapshots, archived, record)


def _refuse_outcomes_of_others(fw: Framework, source: str, alias: str) -> None:
    """Raise :class:`DatasetProblems` if another organisation holds a current snapshot of one of
    ``fw``'s outcome ids (in any period, published or draft)."""
    held = (m.Snapshot.objects.using(alias)
            .filter(outcome_key__in=[o.id for o in fw.outcomes], archived_on__isnull=True)
            .exclude(organisation=fw.organisation)
            .values_list("outcome_key", "organisation").distinct().order_by("outcome_key", "organisation"))
    problems = [
        f"Outcome '{key}': this id is already used by {other or 'another organisation'} in this tracker, and "
        f"outcome ids must be unique across the organisations it holds (they are its web addresses). "
        f"Fix: give {fw.organisation or 'this organisation'}'s outcome another id in the dataset's outcomes "
        f"(the field 'id', for example '{key}-{_slug(fw.organisation)}') and import again."
        for key, other in held
    ]
    if problems:
        raise DatasetProblems(problems, source)


def _slug(text: str) -> str:
    """Django's ``slugify`` ('Somerset Council' -> 'somerset-council'), or 'other' when nothing is left."""
    return slugify(text) or "other"


def _report_key(stored: Any) -> dict[str, tuple[str, ...]]:
    """The report key words of a Snapshot row, as ``ReportInfo`` keyword arguments."""
    stored = stored if isinstance(stored, dict) else {}
    return {f"key_{name}": tuple(str(w) for w in stored[name])
            for name in ("trend", "comparator", "risk_trend") if isinstance(stored.get(name), list)}


def snapshot_facts(fw: Framework) -> dict[str, Any]:
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


class RowWriter:
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
                method_name=s.method.name if s.method else "",
                method_reference_value=s.method.reference_value if s.method else 100.0,
                method_age=s.method.age if s.method else 0, has_breakdowns=bool(s.breakdowns),
                **self._tracked(),
            )
            for s, irow, mrow, k in holders
        ])
        comparators: list[m.Comparator] = []
        statements: list[m.PublishedStatement] = []
        observations: list[m.Observation] = []
        inputs: list[m.SeriesInput] = []
        breakdowns: list[m.SeriesBreakdown] = []
        for (s, _irow, _mrow, _k), srow in zip(holders, series_rows, strict=True):
            inputs.extend(
                m.SeriesInput(
                    series=srow, position=i, area=x.area, band=x.band, count=x.count, population=x.population,
                    reference_count=x.reference_count, reference_population=x.reference_population,
                    standard_population=x.standard_population, value=x.value, origin=x.origin,
                    **period_fields(x.period),
                )
                for i, x in enumerate(s.inputs)
            )
            breakdowns.extend(
                m.SeriesBreakdown(
                    series=srow, position=i, area=b.area, category_type=b.category_type, category=b.category,
                    quantile=b.quantile, value=b.value, lower95=b.lower95, upper95=b.upper95,
                    population=b.population, standard_error=b.standard_error, origin=b.origin,
                    **period_fields(b.period),
                )
                for i, b in enumerate(s.breakdowns)
            )
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
                    note=o.note, missing_reason=o.missing_reason, origin=o.origin,
                    interval_method=o.interval_method, derived=o.derived, **period_fields(o.period),
                )
                for i, (home, o) in enumerate(rows)
            )
        m.Comparator.objects.using(db).bulk_create(comparators)
        m.Observation.objects.using(db).bulk_create(observations, batch_size=500)
        m.SeriesInput.objects.using(db).bulk_create(inputs, batch_size=500)
        m.SeriesBreakdown.objects.using(db).bulk_create(breakdowns, batch_size=500)
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
    # inputs and breakdowns only where a series has them: most frameworks have neither
    with_method = [s.pk for s in series if s.method_name]
    with_breakdowns = [s.pk for s in series if s.has_breakdowns]
    input_rows = list(q(m.SeriesInput).filter(series_id__in=with_method).order_by("position")) if with_method else []
    breakdown_rows = (list(q(m.SeriesBreakdown).filter(series_id__in=with_breakdowns).order_by("position"))
                      if with_breakdowns else [])
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
    ins = group(input_rows, "series_id")
    bds = group(breakdown_rows, "series_id")

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
            method=SeriesMethod(row.method_name, reference_value=row.method_reference_value, age=row.method_age)
            if row.method_name else None,
            inputs=[
                MethodInput(area=x.area, period=period_from_row(x), band=x.band,  # type: ignore[arg-type]
                            count=x.count, population=x.population, reference_count=x.reference_count,
                            reference_population=x.reference_population,
                            standard_population=x.standard_population, value=x.value, origin=x.origin)
                for x in ins.get(row.pk, [])
            ],
            breakdowns=[
                Breakdown(area=b.area, period=period_from_row(b), category_type=b.category_type,  # type: ignore[arg-type]
                          category=b.category, value=b.value, quantile=b.quantile, lower95=b.lower95,
                          upper95=b.upper95, population=b.population, standard_error=b.standard_error,
                          origin=b.origin)
                for b in bds.get(row.pk, [])
            ],
        )
        for o in obs.get(row.pk, []):
            ob = Observation(
                series_id=row.key, area=o.area, period=period_from_row(o),  # type: ignore[arg-type]
                value=o.value, numerator=o.numerator, denominator=o.denominator, lower95=o.lower95,
                upper95=o.upper95, lower998=o.lower998, upper998=o.upper998, status=o.status, source=o.source,
                note=o.note, missing_reason=o.missing_reason, origin=o.origin,
                interval_method=o.interval_method, derived=o.derived,
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
        reporting_period=cached_period(rp.kind, rp.start, rp.end),
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
