"""Turn a framework back into its raw dataset form (the inverse of :mod:`outcomes.sources.build`)."""

from __future__ import annotations

from typing import Any

from outcomes.model import (
    Breakdown,
    Comparator,
    Framework,
    Headline,
    MethodInput,
    Observation,
    Officer,
    PublishedJudgement,
    Risk,
    Series,
    Unit,
)
from outcomes.sources.build import FORMAT
from outcomes.sources.raw import NarrativeDoc, RawDataset, Row


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _yaml_num(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else float(value)


def _officers(people: tuple[Officer, ...]) -> list[dict[str, str]]:
    return [{k: v for k, v in (("name", p.name), ("role", p.role), ("email", p.email), ("phone", p.phone)) if v}
            for p in people]


def _unit(unit: Unit) -> Any:
    out: dict[str, Any] = {"type": unit.type}
    if unit.per:
        out["per"] = unit.per
    if unit.type == "currency" and unit.currency != "£":
        out["currency"] = unit.currency
    if unit.decimals is not None:
        out["decimals"] = unit.decimals
    return out if len(out) > 1 else unit.type


def _headline(h: Headline) -> dict[str, Any]:
    out: dict[str, Any] = {"label": h.label, "value": _yaml_num(h.value)}
    if h.text:
        out["text"] = h.text
    return out


def _published(p: PublishedJudgement) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if p.previous:
        out["previous"] = _headline(p.previous)
    if p.extra:
        out["extra"] = [_headline(h) for h in p.extra]
    if p.latest:
        out["latest"] = _headline(p.latest)
    for key in ("trend", "trend_rag", "trend_basis", "trend_method", "comparator", "comparator_rag",
                "comparator_text", "comparator_method"):
        if getattr(p, key):
            out[key] = getattr(p, key)
    return out


def _comparator(c: Comparator) -> dict[str, Any]:
    out: dict[str, Any] = {"name": c.name}
    if c.area:
        out["area"] = c.area
    if c.kind != "benchmark":
        out["kind"] = c.kind
    if c.period is not None:
        out["period"] = str(c.period)
    for key in ("value", "home_value"):
        if getattr(c, key) is not None:
            out[key] = _yaml_num(getattr(c, key))
    if c.basis:
        out["basis"] = c.basis
    if c.members:
        out["members"] = list(c.members)
    if c.note:
        out["note"] = c.note
    return out


def series_fields(s: Series, *, inherited_leads: tuple[Officer, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "title": s.title}
    if s.short_title:
        out["short_title"] = s.short_title
    out["unit"] = _unit(s.unit)
    if s.polarity is not None:
        out["polarity"] = s.polarity.value
        if s.polarity_source:
            out["polarity_source"] = s.polarity_source
        if s.polarity_confirmed:
            out["polarity_confirmed"] = s.polarity_confirmed
    if s.part_of:
        out["part_of"] = s.part_of
    out["period_kind"] = s.period_kind.value
    if s.definition:
        out["definition"] = s.definition
    if s.source:
        out["source"] = s.source
    if s.lead_officers and s.lead_officers != inherited_leads:
        out["lead_officers"] = _officers(s.lead_officers)
    if s.breaks:
        out["breaks"] = [str(b) for b in s.breaks]
    if s.method:
        extra: dict[str, Any] = {}
        if s.method.reference_value != 100.0:
            extra["reference_value"] = _yaml_num(s.method.reference_value)
        if s.method.age:
            extra["age"] = s.method.age
        out["method"] = {"name": s.method.name, **extra} if extra else s.method.name
    if s.comparators:
        out["comparators"] = [_comparator(c) for c in s.comparators]
    if s.target:
        target: dict[str, Any] = {"value": _yaml_num(s.target.value)}
        if s.target.period:
            target["period"] = str(s.target.period)
        if s.target.note:
            target["note"] = s.target.note
        out["target"] = target
    if s.focus:
        out["focus"] = {s.focus.action: s.focus.reason}
    published = _published(s.published)
    if published:
        out["published"] = published
    return out


def _series_block(holder_id: str, series: list[Series], leads: tuple[Officer, ...]) -> dict[str, Any]:
    if len(series) == 1 and series[0].id == holder_id:
        fields = series_fields(series[0], inherited_leads=leads)
        fields.pop("id")
        fields.pop("title")
        return fields
    return {"series": [series_fields(s, inherited_leads=leads) for s in series]}


def observation_row(o: Observation) -> dict[str, str]:
    return {
        "series": o.series_id,
        "area": o.area,
        "period": str(o.period),
        "value": _num(o.value),
        "numerator": _num(o.numerator),
        "denominator": _num(o.denominator),
        "lower95": _num(o.lower95),
        "upper95": _num(o.upper95),
        "lower998": _num(o.lower998),
        "upper998": _num(o.upper998),
        "status": o.status,
        "source": o.source,
        "note": o.note,
        "missing_reason": o.missing_reason,
    }


def input_row(series_id: str, x: MethodInput) -> dict[str, str]:
    return {
        "series": series_id,
        "area": x.area,
        "period": str(x.period),
        "band": x.band,
        "count": _num(x.count),
        "population": _num(x.population),
        "reference_count": _num(x.reference_count),
        "reference_population": _num(x.reference_population),
        "standard_population": _num(x.standard_population),
        "value": _num(x.value),
    }


def breakdown_row(series_id: str, b: Breakdown) -> dict[str, str]:
    return {
        "series": series_id,
        "area": b.area,
        "period": str(b.period),
        "category_type": b.category_type,
        "category": b.category,
        "quantile": str(b.quantile) if b.quantile is not None else "",
        "value": _num(b.value),
        "lower95": _num(b.lower95),
        "upper95": _num(b.upper95),
        "standard_error": _num(b.standard_error),
        "population": _num(b.population),
    }


def risk_row(r: Risk) -> dict[str, str]:
    return {
        "id": r.id,
        "title": r.title,
        "score": r.score,
        "trend": r.trend_as_published or r.trend.upper(),
        "outcome": r.outcome_id,
        "indicators": ";".join(r.indicators),
        "likelihood": str(r.likelihood or ""),
        "impact": str(r.impact or ""),
        "owner": r.owner,
        "focus": r.focus.action if r.focus else "",
        "focus_reason": r.focus.reason if r.focus else "",
    }


def framework_to_raw(fw: Framework) -> RawDataset:
    """The raw dataset that would load back into ``fw``."""
    data: dict[str, Any] = {"format": FORMAT, "organisation": fw.organisation,
                            "area": {"code": fw.home_area.code, "name": fw.home_area.name},
                            "reporting_period": str(fw.reporting_period)}
    report = {"title": fw.report.title, "published": fw.report.published, "status": fw.report.status,
              "data_date": fw.report.data_date}
    data["report"] = {k: v for k, v in report.items() if v}
    report_key = {name: list(words) for name, words in (("trend", fw.report.key_trend),
                                                        ("comparator", fw.report.key_comparator),
                                                        ("risk_trend", fw.report.key_risk_trend)) if words is not None}
    if report_key:
        data["report"]["key"] = report_key
    others = [{"code": a.code, "name": a.name} for code, a in fw.areas.items() if code != fw.home_area.code]
    if others:
        data["areas"] = others
    if fw.settings:
        data["settings"] = dict(fw.settings)
    outcomes = []
    observations: list[Observation] = []
    breakdowns: list[tuple[str, Breakdown]] = []
    inputs: list[tuple[str, MethodInput]] = []
    narrative: list[NarrativeDoc] = []
    for o in fw.outcomes:
        node: dict[str, Any] = {"id": o.id, "title": o.title}
        if o.sponsor:
            node["sponsor"] = _officers((o.sponsor,))[0]
        if o.lead_officers:
            node["lead_officers"] = _officers(o.lead_officers)
        if o.contacts:
            node["contacts"] = _officers(o.contacts)
        if o.introduction:
            node["introduction"] = o.introduction
        ps = o.published_summary
        summary: dict[str, Any] = {}
        for key in ("population_indicators", "performance_measures", "risks"):
            if getattr(ps, key) is not None:
                summary[key] = getattr(ps, key)
        for key in ("focus_indicators", "focus_measures", "focus_risks"):
            if getattr(ps, key):
                summary[key] = list(getattr(ps, key))
        if summary:
            node["published_summary"] = summary
        indicators = []
        for ind in o.indicators:
            inode: dict[str, Any] = {"id": ind.id, "number": ind.number, "title": ind.title}
            if ind.section:
                inode["section"] = ind.section
            if ind.section_title:
                inode["section_title"] = ind.section_title
            if ind.lead_officers:
                inode["lead_officers"] = _officers(ind.lead_officers)
            inode.update(_series_block(ind.id, ind.series, ind.lead_officers))
            vfm = ind.value_for_money
            vnode: dict[str, Any] = {"status": vfm.status}
            for key in ("latest", "rank", "of"):
                if getattr(vfm, key) is not None:
                    vnode[key] = _yaml_num(getattr(vfm, key))
            if vfm.note:
                vnode["note"] = vfm.note
            inode["value_for_money"] = vnode
            measures = []
            for m in ind.measures:
                mnode: dict[str, Any] = {"id": m.id, "title": m.title}
                if m.lead_officers and m.lead_officers != ind.lead_officers:
                    mnode["lead_officers"] = _officers(m.lead_officers)
                if m.published_trend:
                    mnode["published_trend"] = m.published_trend
                mnode.update(_series_block(m.id, m.series, m.lead_officers))
                measures.append(mnode)
            if measures:
                inode["measures"] = measures
            indicators.append(inode)
            for n in ind.narrative:
                narrative.append(NarrativeDoc(
                    subject=ind.id, period=str(n.period) if n.period else "",
                    sections={"story": n.story, "partners": n.partners, "actions": n.actions,
                              "data_notes": n.data_notes},
                    file=n.origin or f"narrative/{ind.id}.md",
                ))
        node["population_indicators"] = indicators
        outcomes.append(node)
        for s in o.all_series():
            # an observation computed from inputs is written as its inputs (inputs.csv), not as a figure
            observations.extend(ob for ob in s.observations if not ob.derived)
            for lst in s.benchmark_observations.values():
                observations.extend(ob for ob in lst if not ob.derived)
            breakdowns.extend((s.id, b) for b in s.breakdowns)
            inputs.extend((s.id, i) for i in s.inputs)
    data["outcomes"] = outcomes
    return RawDataset(
        framework=data,
        framework_file="framework.yaml",
        observations=[Row(observation_row(ob), "observations.csv", i) for i, ob in enumerate(observations, 2)],
        risks=[Row(risk_row(r), "risks.csv", i) for i, r in enumerate(fw.risks, 2)],
        narrative=narrative,
        breakdowns=[Row(breakdown_row(sid, b), "breakdowns.csv", i) for i, (sid, b) in enumerate(breakdowns, 2)],
        inputs=[Row(input_row(sid, x), "inputs.csv", i) for i, (sid, x) in enumerate(inputs, 2)],
    )


def write_dataset(fw: Framework, path: Any) -> None:
    """Write ``fw`` as a dataset folder (atomically)."""
    from pathlib import Path

    from outcomes.sources.folder import write_folder

    write_folder(framework_to_raw(fw), Path(path))
