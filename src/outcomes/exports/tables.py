"""The exported tables, as plain rows: observations, judgements, risks and the focus ranking.

Each :class:`ExportTable` has a name, its columns (each with a type: ``number`` or ``text``) and rows
of Python values. Writers (CSV, XLSX, JSON) only format; they decide nothing about content.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import Framework, Observation, Series

__all__ = ["OBSERVATION_EXPORT_COLUMNS", "Column", "ExportTable", "build_tables"]


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"  # text | number
    unit: str = ""  # shown in the XLSX header, e.g. "value (see unit)"
    description: str = ""


@dataclass
class ExportTable:
    name: str  # file stem and sheet name
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)


_N = "number"
OBSERVATION_EXPORT_COLUMNS = [
    Column("series", description="series id"),
    Column("area", description="ONS area code"),
    Column("period", description="the period, as docs/periods.md writes it"),
    Column("value", _N),
    Column("numerator", _N),
    Column("denominator", _N),
    Column("lower95", _N),
    Column("upper95", _N),
    Column("lower998", _N),
    Column("upper998", _N),
    Column("status"),
    Column("source"),
    Column("note"),
    Column("missing_reason", description="why there is no value (never a zero)"),
    Column("area_name"),
    Column("area_role", description="home, or benchmark for England, regions and group members"),
    Column("series_title"),
    Column("unit", description="the unit of value and its limits"),
    Column("polarity"),
    Column("period_kind"),
    Column("period_start", description="first day, ISO date"),
    Column("period_end", description="last day, ISO date"),
    Column("outcome_id"),
    Column("indicator_id"),
    Column("indicator_title"),
    Column("measure_id"),
    Column("measure_title"),
]

RISK_COLUMNS = [
    Column("id"), Column("title"), Column("score"), Column("trend"), Column("trend_as_published"),
    Column("outcome_id"), Column("indicators"), Column("indicator_titles"), Column("likelihood", _N),
    Column("impact", _N), Column("owner"), Column("focus"), Column("focus_reason"),
]


def _num(value: float | None) -> float | int | None:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else float(value)


def _series_context(fw: Framework) -> Iterator[tuple[Series, dict[str, str]]]:
    for outcome in fw.outcomes:
        for ind in outcome.indicators:
            base = {"outcome_id": outcome.id, "indicator_id": ind.id, "indicator_title": ind.title,
                    "measure_id": "", "measure_title": ""}
            for s in ind.series:
                yield s, base
            for m in ind.measures:
                for s in m.series:
                    yield s, {**base, "measure_id": m.id, "measure_title": m.title}


def _observation_row(fw: Framework, s: Series, o: Observation, role: str, ctx: dict[str, str]) -> dict[str, Any]:
    return {
        "series": s.id, "area": o.area, "period": str(o.period), "value": _num(o.value),
        "numerator": _num(o.numerator), "denominator": _num(o.denominator), "lower95": _num(o.lower95),
        "upper95": _num(o.upper95), "lower998": _num(o.lower998), "upper998": _num(o.upper998),
        "status": o.status, "source": o.source, "note": o.note, "missing_reason": o.missing_reason,
        "area_name": fw.area_name(o.area), "area_role": role, "series_title": s.title,
        "unit": s.unit.describe(), "polarity": s.polarity.value if s.polarity else "",
        "period_kind": s.period_kind.value, "period_start": o.period.start.isoformat(),
        "period_end": o.period.end.isoformat(), **ctx,
    }


def observations_table(fw: Framework) -> ExportTable:
    rows = []
    for s, ctx in _series_context(fw):
        for o in s.observations:
            rows.append(_observation_row(fw, s, o, "home", ctx))
        for area in sorted(s.benchmark_observations):
            for o in s.benchmark_observations[area]:
                rows.append(_observation_row(fw, s, o, "benchmark", ctx))
    return ExportTable("observations", "Observations", list(OBSERVATION_EXPORT_COLUMNS), rows)


def risks_table(fw: Framework) -> ExportTable:
    titles = {ind.id: ind.title for ind in fw.indicators()}
    rows = [{
        "id": r.id, "title": r.title, "score": r.score, "trend": r.trend, "trend_as_published": r.trend_as_published,
        "outcome_id": r.outcome_id, "indicators": ";".join(r.indicators),
        "indicator_titles": "; ".join(titles.get(i, i) for i in r.indicators), "likelihood": r.likelihood,
        "impact": r.impact, "owner": r.owner, "focus": r.focus.action if r.focus else "",
        "focus_reason": r.focus.reason if r.focus else "",
    } for r in fw.risks]
    return ExportTable("risks", "Corporate risks", list(RISK_COLUMNS), rows)


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested judgement records as flat columns: {'trend': {'word': ..}} → {'trend_word': ..}."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{name}_"))
        elif isinstance(value, list | tuple):
            if all(not isinstance(v, dict | list | tuple) for v in value):
                out[name] = "; ".join("" if v is None else str(v) for v in value)
            else:
                import json

                out[name] = json.dumps(value, ensure_ascii=False, default=str)
        else:
            out[name] = value
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int | float):
        return _num(float(value)) if isinstance(value, float) else value
    try:
        return _num(float(value))  # numpy scalars
    except (TypeError, ValueError):
        return str(value)


def _typed_table(name: str, title: str, records: list[dict[str, Any]]) -> ExportTable:
    names: list[str] = []
    rows = []
    for rec in records:
        flat = {k: _plain(v) for k, v in _flatten(rec).items()}
        names.extend(k for k in flat if k not in names)
        rows.append(flat)
    columns = []
    for n in names:
        present = [r.get(n) for r in rows if r.get(n) not in (None, "")]
        numeric = bool(present) and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present)
        columns.append(Column(n, _N if numeric else "text"))
    return ExportTable(name, title, columns, rows)


def judgements_table(judged: Any) -> ExportTable:
    """One row per judged series (and risk, where the engine rates them), with method and reason."""
    records = list(judged.to_rows()) if judged is not None and hasattr(judged, "to_rows") else []
    return _typed_table("judgements", "Judgements", records)


def comparators_table(judged: Any) -> ExportTable:
    """One row per series and comparator: England, the region and each group, with period, method and reason.

    A group's row also has its rank, the number of areas ranked, the quartile and the group median.
    """
    records = list(judged.comparator_rows()) if judged is not None and hasattr(judged, "comparator_rows") else []
    return _typed_table("comparators", "Comparators", records)


def focus_records(judged: Any) -> list[dict[str, Any]]:
    """The focus ranking: what the engine suggests the committee looks at first, in order."""
    if judged is None:
        return []
    focus = getattr(judged, "focus", None)
    if focus is not None and not callable(focus):
        items = list(focus if isinstance(focus, list | tuple) else getattr(focus, "items", []) or [])
        out = []
        for item in items:
            if isinstance(item, dict):
                out.append(item)
            elif hasattr(item, "to_dict"):
                out.append(item.to_dict())
            elif hasattr(item, "__dataclass_fields__"):
                import dataclasses

                out.append(dataclasses.asdict(item))
        if out:
            return out
    data = judged.to_json_dict() if hasattr(judged, "to_json_dict") else {}
    if isinstance(data.get("focus"), list):
        return [f for f in data["focus"] if isinstance(f, dict)]
    ranked = []
    for kind in ("series", "risks"):
        for item in data.get(kind) or []:
            f = item.get("focus") if isinstance(item, dict) else None
            if isinstance(f, dict) and f.get("rank") is not None:
                ranked.append({"rank": f.get("rank"), "kind": kind.rstrip("s") if kind == "risks" else "series",
                               "id": item.get("id"), "title": item.get("title", ""),
                               **{k: v for k, v in f.items() if k != "rank"}})
    return sorted(ranked, key=lambda r: r["rank"])


def focus_table(judged: Any) -> ExportTable:
    return _typed_table("focus", "Focus ranking", focus_records(judged))


def build_tables(framework: Framework, judged: Any) -> list[ExportTable]:
    """Every exported table, in sheet order."""
    tables = [observations_table(framework), judgements_table(judged)]
    if judged is not None:
        tables.append(comparators_table(judged))
    return [*tables, risks_table(framework), focus_table(judged)]
