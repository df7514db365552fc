"""View models: what each page shows, built from a loaded snapshot (domain objects + judgements).

Pure Python over the objects :mod:`outcomes_web.adapter` returns; no database, no library imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.utils.safestring import SafeString, mark_safe

from outcomes_web import adapter
from outcomes_web.adapter import Loaded, RagView, SeriesJudgementView
from outcomes_web.presentation import (
    KIND_LABEL,
    TREND_FILTERS,
    Tag,
    indicator_url,
    short_value_text,
    tag,
    value_text,
)
from outcomes_web.tracker import svg

TREND_ORDER = {"worsening": 0, "similar": 1, "improving": 2}
COMPARATOR_ORDER = {"worse": 0, "similar": 1, "better": 2, "higher": 3, "lower": 3}
COMPARATOR_FILTERS = ("better", "similar", "worse", "higher", "lower", "not compared")

def markdown(text: str) -> SafeString:
    """Officers' Markdown as clean HTML, by the reports' one sanitiser (markdown-it, then nh3's allow-list)."""
    return mark_safe(adapter.sanitised_markdown(text))  # noqa: S308 - sanitised by nh3


# ------------------------------------------------------------------------------------------ helpers
def people(officers: Iterable[Any]) -> str:
    return "; ".join(f"{o.name} ({o.role})" if o.role else o.name for o in officers)


def series_points(series: Any) -> list[tuple[str, float | None]]:
    return [(o.period.label("short"), o.value) for o in series.observations]


def sparkline(series: Any) -> SafeString:
    obs = series.observed()
    if len(obs) >= 2:
        title = (f"{series.title}: {len(obs)} values from {value_text(series, obs[0].value)} in {obs[0].period} "
                 f"to {value_text(series, obs[-1].value)} in {obs[-1].period}")
    else:
        title = f"{series.title}: too few values for a trend line"
    return mark_safe(svg.sparkline(series_points(series), title=title))  # noqa: S308 - escaped in svg


# --------------------------------------------------------------------------------------- scorecard
@dataclass
class Row:
    series_id: str
    kind: str
    number: str
    title: str
    holder_title: str
    url: str
    latest_value: str
    latest_period: str
    provisional: bool
    trend: Tag
    comparator: Tag
    current_run: str
    spark: SafeString
    focus_rank: int | None
    leads: list[str]
    position: int
    verdict: SeriesJudgementView


def scorecard_rows(loaded: Loaded, period: str = "") -> list[Row]:
    rows: list[Row] = []
    outcome = loaded.outcome
    position = 0
    for ind in outcome.indicators:
        holders: list[tuple[Any, str, Sequence[Any], Any]] = [(ind, "population_indicator", ind.series, ind)]
        holders += [(meas, "performance_measure", meas.series, meas) for meas in ind.measures]
        for holder, kind, series_list, _ in holders:
            for s in series_list:
                v = loaded.judged.series[s.id]
                latest = s.latest
                anchor = f"#series-{s.id}"
                rows.append(Row(
                    series_id=s.id, kind=kind, number=ind.number, title=s.title, holder_title=holder.title,
                    url=indicator_url(outcome.id, ind.id, period) + anchor,
                    latest_value=value_text(s, latest.value) if latest else "No data",
                    latest_period=str(latest.period) if latest else "",
                    provisional=bool(latest and latest.is_provisional),
                    trend=tag(v.trend), comparator=tag(v.comparator), current_run=v.current_run,
                    spark=sparkline(s), focus_rank=v.focus_rank, leads=[o.name for o in s.lead_officers],
                    position=position, verdict=v,
                ))
                position += 1
    return rows


SORTS = {
    "number": ("Indicator", lambda r: r.position),
    "title": ("Title", lambda r: r.title.lower()),
    "latest": ("Latest", lambda r: r.latest_period),
    "trend": ("Trend", lambda r: (TREND_ORDER.get(r.trend.word, 9), r.position)),
    "comparator": ("Comparator", lambda r: (COMPARATOR_ORDER.get(r.comparator.word, 9), r.position)),
    "focus": ("Focus", lambda r: (r.focus_rank is None, r.focus_rank or 0, r.position)),
}


@dataclass
class Scorecard:
    rows: list[Row]
    total: int
    sort: str
    order: str
    headers: list[dict[str, str]]
    filters: dict[str, str]
    officers: list[str]
    trend_options: Sequence[str] = TREND_FILTERS
    comparator_options: Sequence[str] = COMPARATOR_FILTERS
    kinds: dict[str, str] = field(default_factory=lambda: dict(KIND_LABEL))


def scorecard(loaded: Loaded, params: dict[str, str], period: str = "") -> Scorecard:
    """The rows filtered (trend, comparator, lead officer, kind) and sorted as the query string asks."""
    rows = scorecard_rows(loaded, period)
    officers = sorted({name for r in rows for name in r.leads})
    filters = {k: params.get(k, "").strip() for k in ("trend", "comparator", "officer", "kind")}
    shown = [
        r for r in rows
        if (not filters["trend"] or r.trend.word == filters["trend"])
        and (not filters["comparator"] or r.comparator.word == filters["comparator"])
        and (not filters["officer"] or filters["officer"] in r.leads)
        and (not filters["kind"] or r.kind == filters["kind"])
    ]
    sort = params.get("sort", "number")
    sort = sort if sort in SORTS else "number"
    order = "descending" if params.get("order") == "descending" else "ascending"
    shown.sort(key=SORTS[sort][1], reverse=order == "descending")
    keep = {k: v for k, v in {**filters, "period": period}.items() if v}
    headers = []
    for key, (label, _) in SORTS.items():
        active = key == sort
        next_order = "descending" if active and order == "ascending" else "ascending"
        headers.append({
            "key": key, "label": label, "aria_sort": order if active else "none",
            "href": "?" + urlencode({**keep, "sort": key, "order": next_order}),
        })
    return Scorecard(shown, len(rows), sort, order, headers, filters, officers)


# ------------------------------------------------------------------------------------------- home
# -------------------------------------------------------------------------------------- indicator
@dataclass
class ObservationRow:
    period: str
    period_dates: str
    value: str
    numerator: str
    denominator: str
    interval: str
    status: str
    note: str
    benchmarks: list[str]


@dataclass
class SeriesBlock:
    series: Any
    verdict: SeriesJudgementView
    trend: Tag
    comparator: Tag
    chart: SafeString
    rows: list[ObservationRow]
    benchmark_names: list[str]
    comparators: list[dict[str, Any]]
    published_text: str
    notes: list[str]
    heading_level: int
    unit_text: str
    polarity_text: str
    target_text: str
    findings: list[dict[str, str]] = field(default_factory=list)
    funnel: Any = None  # the report's funnel plot across the comparator group (svg and table), if any
    funnel_svg: SafeString | None = None
    inequality: str = ""  # the slope index of inequality across deprivation quantiles, in words

    @property
    def has_counts(self) -> bool:
        return any(r.numerator or r.denominator for r in self.rows)

    @property
    def has_interval(self) -> bool:
        return any(r.interval for r in self.rows)

    @property
    def columns(self) -> int:
        return 4 + len(self.benchmark_names) + (2 if self.has_counts else 0) + (1 if self.has_interval else 0)


def _interval(s: Any, o: Any) -> str:
    if o.lower95 is None or o.upper95 is None:
        return ""
    return f"{short_value_text(s, o.lower95)} to {short_value_text(s, o.upper95)}"


def series_block(loaded: Loaded, s: Any, *, heading_level: int) -> SeriesBlock:
    fw = loaded.framework
    v = loaded.judged.series[s.id]
    bench_areas = list(s.benchmark_observations)
    bench_names = [fw.area_name(a) for a in bench_areas]
    bench_by = {a: {o.period: o for o in lst} for a, lst in s.benchmark_observations.items()}
    rows = []
    notes: list[str] = []
    for o in s.observations:
        rows.append(ObservationRow(
            period=str(o.period), period_dates=o.period.label("dates"),
            value=value_text(s, o.value) if o.value is not None else (o.missing_reason or "Not available"),
            numerator=s.unit.format(o.numerator) if o.numerator is not None else "",
            denominator=s.unit.format(o.denominator) if o.denominator is not None else "",
            interval=_interval(s, o), status=o.status, note=o.note,
            benchmarks=[short_value_text(s, bench_by[a][o.period].value) if o.period in bench_by[a] else ""
                        for a in bench_areas],
        ))
        if o.note:
            notes.append(f"{o.period}: {o.note}")
        if o.value is None and o.missing_reason:
            notes.append(f"{o.period}: no value ({o.missing_reason}).")
    if s.breaks:
        notes.append("The definition or method changed from " + ", ".join(str(b) for b in s.breaks)
                     + "; earlier values are not like-for-like.")
    chart = adapter.series_charts_html(loaded, s)  # the report's own charts: wide, and narrow for phones
    comparators = [comparator_row(s, c, judged, view, fw.area_name(c.area) if c.area else "")
                   for c, judged, view in zip(s.comparators, _padded(v.comparators, len(s.comparators)),
                                              _padded(v.comparator_views, len(s.comparators)), strict=True)]
    target_text = ""
    if s.target is not None:
        target_text = value_text(s, s.target.value) + (f" by {s.target.period}" if s.target.period else "")
        target_text += f" ({s.target.note})" if s.target.note else ""
    funnel = adapter.series_funnel(loaded, s)
    return SeriesBlock(s, v, tag(v.trend), tag(v.comparator), mark_safe(chart), rows, bench_names,  # noqa: S308
                       comparators, published_text(s), notes, heading_level, s.unit.describe(),
                       POLARITY_TEXT.get(s.polarity.value if s.polarity else "", POLARITY_TEXT[""]), target_text,
                       finding_rows(loaded.judged.findings_for(s.id)), funnel=funnel,
                       funnel_svg=mark_safe(funnel.svg) if funnel is not None else None,  # noqa: S308
                       inequality=adapter.series_inequality(loaded, s))


def _padded(records: tuple[Any, ...], n: int) -> list[Any]:
    return [*records[:n], *([None] * (n - len(records[:n])))]


def comparator_row(s: Any, c: Any, judged: dict[str, Any] | None, view: RagView | None,
                   area_name: str) -> dict[str, Any]:
    """One comparator as the indicator page lists it: the figure compared with, and its judgement."""
    judged = judged or {}
    value = judged.get("value", c.value)
    period = judged.get("period") or (str(c.period) if c.period else "")
    rank = judged.get("rank_text") or ""
    judgement = tag(view) if view is not None else Tag("not compared", "", "grey", "")
    return {
        "name": c.name, "area": area_name, "kind": c.kind,
        "value": short_value_text(s, value) if value is not None else "Not given",
        "period": period or "Not given",
        "home_value": short_value_text(s, c.home_value) if c.home_value is not None else "",
        "basis": c.basis, "note": c.note, "judgement": judgement, "reason": view.reason if view else "",
        "method_label": view.method if view else "", "rank": rank,
    }


SEVERITY = {"error": ("Error", "red"), "warning": ("Warning", "amber"), "info": ("Note", "grey")}


def finding_rows(findings: Iterable[Any]) -> list[dict[str, str]]:
    """Data-quality findings as the pages list them: severity word (and colour), message, check code."""
    return [{"severity": SEVERITY.get(f.severity, (f.severity, "grey"))[0],
             "css": SEVERITY.get(f.severity, (f.severity, "grey"))[1], "message": f.message, "code": f.code}
            for f in findings]


POLARITY_TEXT = {
    "higher-is-better": "higher is better",
    "lower-is-better": "lower is better",
    "no-judgement": "neither direction is better, so the trend is described, not judged",
    "": "no polarity is declared, so the trend is described, not judged",
}


def published_text(s: Any) -> str:
    """What the published report printed about a series, in one sentence."""
    p = s.published
    parts = []
    figures = [("previous", p.previous), *(("", h) for h in p.extra), ("latest", p.latest)]
    for name, h in figures:
        if h is None:
            continue
        value = value_text(s, h.value) if h.value is not None else "no value"
        label = f"{name} ({h.label})" if name else h.label
        parts.append(f"{label} {value}" + (f" – “{h.text}”" if h.text else ""))
    text = "; ".join(parts)
    text = (text[:1].upper() + text[1:] + ".") if text else ""
    if p.trend:
        text += f" Trend: {p.trend}" + (f" ({p.trend_rag})" if p.trend_rag else "")
        text += (f", {p.trend_basis[:1].lower()}{p.trend_basis[1:]}" if p.trend_basis else "") + "."
    if p.comparator:
        text += f" Comparator: {p.comparator}" + (f" ({p.comparator_rag})" if p.comparator_rag else "") + "."
    if p.comparator_text:
        text += f" Printed as “{p.comparator_text}”."
    return text.strip()


@dataclass
class RiskRow:
    key: str
    title: str
    score: str
    trend: str
    owner: str


def indicator_page(loaded: Loaded, ind: Any) -> dict[str, Any]:
    fw = loaded.framework
    several = len(ind.series) > 1
    blocks = [series_block(loaded, s, heading_level=3 if several else 2) for s in ind.series]
    measures = [{
        "measure": meas,
        "blocks": [series_block(loaded, s, heading_level=4 if len(meas.series) > 1 else 3) for s in meas.series],
        "leads": people(meas.lead_officers),
    } for meas in ind.measures]
    narrative = ind.narrative_for(fw.reporting_period)
    risks = [RiskRow(r.id, r.title, r.score, r.trend, r.owner) for r in fw.risks_for(ind.id)]
    vfm = ind.value_for_money
    series_ids = {x.id for x in ind.series}
    own_findings = [] if ind.id in series_ids else finding_rows(loaded.judged.findings_for(ind.id))
    return {
        "indicator_findings": own_findings,
        "indicator": ind, "series_blocks": blocks, "several": several, "measures": measures,
        "narrative": [(title, markdown(text)) for title, text in narrative.blocks()] if narrative else [],
        "narrative_period": str(narrative.period) if narrative and narrative.period else "",
        "risks": risks, "vfm": vfm, "vfm_status": vfm.status.replace("-", " "), "leads": people(ind.lead_officers),
    }


# ------------------------------------------------------------------------------------ downloads
OBSERVATION_COLUMNS = ("indicator", "measure", "series", "series_title", "area", "area_name", "period", "period_kind",
                       "period_start", "period_end", "value", "numerator", "denominator", "lower95", "upper95",
                       "lower998", "upper998", "status", "source", "note", "missing_reason")
JUDGEMENT_COLUMNS = ("indicator", "measure", "series", "series_title", "latest_period", "latest_value",
                     "trend", "trend_rag", "trend_method", "trend_reason", "comparator", "comparator_rag",
                     "comparator_method", "comparator_reason", "comparators", "current_run", "focus_rank",
                     "published_trend", "published_comparator")


def _holders(ind: Any) -> list[tuple[str, Any]]:
    out = [("", s) for s in ind.series]
    for meas in ind.measures:
        out += [(meas.id, s) for s in meas.series]
    return out


def observation_records(loaded: Loaded, ind: Any) -> list[dict[str, Any]]:
    fw = loaded.framework
    rows = []
    for measure_id, s in _holders(ind):
        obs = list(s.observations) + [o for lst in s.benchmark_observations.values() for o in lst]
        for o in obs:
            rows.append({
                "indicator": ind.id, "measure": measure_id, "series": s.id, "series_title": s.title,
                "area": o.area, "area_name": fw.area_name(o.area), "period": str(o.period),
                "period_kind": o.period.kind.value, "period_start": o.period.start.isoformat(),
                "period_end": o.period.end.isoformat(), "value": o.value, "numerator": o.numerator,
                "denominator": o.denominator, "lower95": o.lower95, "upper95": o.upper95, "lower998": o.lower998,
                "upper998": o.upper998, "status": o.status, "source": o.source, "note": o.note,
                "missing_reason": o.missing_reason,
            })
    return rows


def comparators_text(records: Iterable[dict[str, Any]]) -> str:
    """Every comparator's judgement in one cell: 'England: similar (A); Neighbours: worse (R), 9th of 11 (…)'."""
    parts = []
    for r in records:
        text = f"{r.get('name') or 'Comparator'}: {r.get('judgement')}" + (f" ({r['rag']})" if r.get("rag") else "")
        if r.get("rank_text"):
            text += f", {r['rank_text']}"
        if r.get("period"):
            text += f", {r['period']}"
        parts.append(text)
    return "; ".join(parts)


def judgement_records(loaded: Loaded, ind: Any) -> list[dict[str, Any]]:
    rows = []
    for measure_id, s in _holders(ind):
        v = loaded.judged.series[s.id]
        latest = s.latest
        rows.append({
            "indicator": ind.id, "measure": measure_id, "series": s.id, "series_title": s.title,
            "latest_period": str(latest.period) if latest else "", "latest_value": latest.value if latest else None,
            "trend": v.trend.judgement, "trend_rag": v.trend.letter, "trend_method": v.trend.method_code,
            "trend_reason": v.trend.reason, "comparator": v.comparator.judgement,
            "comparator_rag": v.comparator.letter, "comparator_method": v.comparator.method_code,
            "comparator_reason": v.comparator.reason,
            "comparators": comparators_text(v.comparators),
            "current_run": v.current_run, "focus_rank": v.focus_rank,
            "published_trend": s.published.trend, "published_comparator": s.published.comparator,
        })
    return rows
