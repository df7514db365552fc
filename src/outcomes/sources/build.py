"""Validate a raw dataset and build the domain model, reporting every problem at once."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from outcomes.model import (
    PUBLISHED_COMPARATOR_METHODS,
    PUBLISHED_TREND_METHODS,
    SERIES_METHODS,
    UNIT_TYPES,
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
    SeriesMethod,
    Target,
    Unit,
)
from outcomes.sources.breakdowns import read_breakdowns
from outcomes.sources.derived import derive_observations
from outcomes.sources.problems import Problems
from outcomes.sources.raw import RawDataset, Row

FORMAT = "outcomes-tracker/1"
POLARITIES = tuple(p.value for p in Polarity)
PERIOD_KINDS = tuple(k.value for k in PeriodKind)
RISK_SCORES = ("HIGH", "MEDIUM", "LOW")
RISK_TRENDS = {
    "improving": "improving",
    "improved": "improving",
    "unchanged": "unchanged",
    "same": "unchanged",
    "worsening": "worsening",
    "worsened": "worsening",
    "new": "new",
}
TREND_WORDS = {"improving", "similar", "worsening", "declining", "not assessed", ""}
COMPARATOR_WORDS = {"better", "similar", "worse", "higher", "lower", "no data", "not compared", ""}
RAG = {"R", "A", "G", ""}
_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def is_valid_id(text: str) -> bool:
    """An id usable for an outcome, indicator, measure, series or risk: letters, digits, '.', '_', '-'."""
    return _ID.fullmatch(text or "") is not None


class _Context:
    """Where we are in framework.yaml, to name it in problems."""

    def __init__(self, raw: RawDataset, problems: Problems) -> None:
        self.raw = raw
        self.problems = problems
        self.file = raw.framework_file

    def add(self, node: object, path: str, message: str, fix: str = "") -> None:
        location, field_name = self.raw.locate(node, path)
        self.problems.add(self.file, location, field_name, message, fix)


def parse_number(text: str, *, allow_percent: bool = False) -> float:
    """Read a number as people type it: '3,766', '28.9', '28.9%' (when allowed).

    >>> parse_number("3,766"), parse_number("28.9%", allow_percent=True)
    (3766.0, 28.9)
    """
    t = text.strip().replace("\u2212", "-")
    if allow_percent and t.endswith("%"):
        t = t[:-1].strip()
    if not t or not _NUMBER.match(t) or t in {"+", "-", "."}:
        raise ValueError(text)
    value = float(t.replace(",", ""))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _text(node: dict[str, Any], key: str) -> str:
    value = node.get(key)
    if value is None:
        return ""
    return str(value).strip()


def _officers(ctx: _Context, node: dict[str, Any], key: str, path: str) -> tuple[Officer, ...]:
    value = node.get(key)
    if value is None:
        return ()
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        ctx.add(node, f"{path}.{key}", "must be a list of people with 'name' and 'role'.",
                "write each as '- {name: Jo Bloggs, role: Lead Officer}'.")
        return ()
    people = []
    for i, item in enumerate(value):
        if isinstance(item, str):
            people.append(Officer(item.strip()))
        elif isinstance(item, dict) and _text(item, "name"):
            people.append(Officer(_text(item, "name"), _text(item, "role"), _text(item, "email"),
                                  _text(item, "phone")))
        else:
            ctx.add(node, f"{path}.{key}[{i}]", "each person needs a 'name'.", "add 'name: ...'.")
    return tuple(people)


def _report_key(ctx: _Context, report_node: dict[str, Any]) -> dict[str, tuple[str, ...] | None]:
    """The words the report's key defines: ``report.key: {trend: [...], comparator: [...], risk_trend: [...]}``."""
    key = report_node.get("key") if isinstance(report_node, dict) else None
    out: dict[str, tuple[str, ...] | None] = {}
    if key is None:
        return out
    if not isinstance(key, dict):
        ctx.add(report_node, "report.key", "must be a set of word lists.",
                "write e.g. 'key: {trend: [IMPROVING, UNCHANGED, WORSENING], comparator: []}'.")
        return out
    for name in ("trend", "comparator", "risk_trend"):
        if name not in key:
            continue
        words = key[name] or []
        if not isinstance(words, list) or not all(isinstance(w, str | int | float) for w in words):
            ctx.add(key, f"report.key.{name}", "must be a list of words.", "write e.g. [IMPROVING, WORSENING].")
            continue
        out[f"key_{name}"] = tuple(str(w).strip() for w in words)
    unknown = sorted(set(key) - {"trend", "comparator", "risk_trend"})
    if unknown:
        ctx.add(key, f"report.key.{unknown[0]}", f"'{unknown[0]}' is not a part of the key.",
                "use trend, comparator and risk_trend.")
    return out


def _parse_unit(ctx: _Context, node: dict[str, Any], path: str) -> Unit | None:
    value = node.get("unit")
    if value is None:
        ctx.add(node, f"{path}.unit", "the unit is missing.",
                f"add 'unit:' with one of {', '.join(UNIT_TYPES)} (a rate also needs 'per', e.g. 'rate per 10000').")
        return None
    if isinstance(value, str):
        words = value.replace(",", "").split()
        kind = words[0].lower() if words else ""
        per = None
        if kind == "rate":
            nums = [w for w in words[1:] if w.isdigit()]
            per = int(nums[0]) if nums else None
        value = {"type": kind, "per": per}
    if not isinstance(value, dict):
        ctx.add(node, f"{path}.unit", "must be text like 'percentage' or 'rate per 10000'.", "")
        return None
    kind = str(value.get("type", "")).lower()
    if kind not in UNIT_TYPES:
        ctx.add(node, f"{path}.unit", f"'{kind}' is not a unit type.", f"use one of: {', '.join(UNIT_TYPES)}.")
        return None
    per = value.get("per")
    if kind == "rate" and not per:
        ctx.add(node, f"{path}.unit", "a rate needs to say per how many people.", "write e.g. 'rate per 10000'.")
        return None
    decimals = value.get("decimals")
    return Unit(kind, per=int(per) if per else None, currency=str(value.get("currency", "£")),
                decimals=int(decimals) if decimals is not None else None)


def _parse_period(ctx: _Context, node: object, path: str, text: object, kind: PeriodKind | None) -> Period | None:
    if text is None or str(text).strip() == "":
        return None
    try:
        return Period.parse(str(text), kind=kind)
    except PeriodError as exc:
        ctx.add(node, path, str(exc), "write the period as docs/periods.md shows.")
        return None


def _headline(ctx: _Context, node: Any, path: str, kind: PeriodKind | None) -> Headline | None:
    if node is None:
        return None
    if not isinstance(node, dict):
        ctx.add(node, path, "must have 'label' and 'value'.", "write e.g. '{label: 2016-17, value: 53.8}'.")
        return None
    label = _text(node, "label")
    period = None
    if label:
        try:
            period = Period.parse(label, kind=kind)
        except PeriodError:
            try:
                period = Period.parse(label)
            except PeriodError:
                period = None  # a label as printed may be loose; checks report it
    value = _number_field(ctx, node, path, "value")
    return Headline(label=label, value=value, period=period, text=_text(node, "text"))


def _number_field(ctx: _Context, node: dict[str, Any], path: str, key: str) -> float | None:
    value = node.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        ctx.add(node, f"{path}.{key}", f"'{value}' is not a number.", "write a number.")
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return parse_number(str(value), allow_percent=True)
    except ValueError:
        ctx.add(node, f"{path}.{key}", f"'{value}' is not a number.", "write a number such as 43.1 or 3,766.")
        return None


def _published(ctx: _Context, node: dict[str, Any], path: str, kind: PeriodKind | None) -> PublishedJudgement:
    pub = node.get("published")
    if pub is None:
        return PublishedJudgement()
    if not isinstance(pub, dict):
        ctx.add(node, f"{path}.published", "must be a set of 'name: value' entries.", "")
        return PublishedJudgement()
    p = f"{path}.published"
    trend = _text(pub, "trend").lower()
    if trend not in TREND_WORDS:
        ctx.add(pub, f"{p}.trend", f"'{trend}' is not a trend word.",
                "use improving, similar, worsening (or declining as printed), or leave it out.")
    comparator = _text(pub, "comparator").lower()
    if comparator not in COMPARATOR_WORDS:
        ctx.add(pub, f"{p}.comparator", f"'{comparator}' is not a comparator word.",
                "use better, similar, worse or 'no data'.")
    for key in ("trend_rag", "comparator_rag"):
        if _text(pub, key).upper() not in RAG:
            ctx.add(pub, f"{p}.{key}", f"'{_text(pub, key)}' is not a RAG letter.", "use R, A or G.")
    for key, allowed in (("trend_method", PUBLISHED_TREND_METHODS),
                         ("comparator_method", PUBLISHED_COMPARATOR_METHODS)):
        if _text(pub, key) and _text(pub, key) not in allowed:
            ctx.add(pub, f"{p}.{key}", f"'{_text(pub, key)}' is not a method a published word can declare.",
                    f"use one of: {', '.join(allowed)}, or leave it out.")
    extra = pub.get("extra") or []
    return PublishedJudgement(
        previous=_headline(ctx, pub.get("previous"), f"{p}.previous", kind),
        latest=_headline(ctx, pub.get("latest"), f"{p}.latest", kind),
        extra=tuple(h for i, e in enumerate(extra) if (h := _headline(ctx, e, f"{p}.extra[{i}]", kind))),
        trend=trend,
        trend_rag=_text(pub, "trend_rag").upper(),
        trend_basis=_text(pub, "trend_basis"),
        comparator=comparator,
        comparator_rag=_text(pub, "comparator_rag").upper(),
        comparator_text=_text(pub, "comparator_text"),
        trend_method=_text(pub, "trend_method"),
        comparator_method=_text(pub, "comparator_method"),
    )


#: Start ages of the life-table bands, for ``method: {name: life-expectancy, age: ...}``.
_LIFE_TABLE_AGES = (0, 1, *range(5, 95, 5))


def _method(ctx: _Context, node: dict[str, Any], path: str, unit: Unit | None) -> SeriesMethod | None:
    """The series' ``method``: a name, or ``{name, reference_value, age}`` (docs/dataset-format.md)."""
    raw = node.get("method")
    if raw is None or raw == "":
        return None
    spec = raw if isinstance(raw, dict) else {"name": raw}
    name = str(spec.get("name") or "").strip().lower()
    where = f"{path}.method"
    if name not in SERIES_METHODS:
        ctx.add(node, where, f"'{name}' is not a method.", f"use one of: {', '.join(SERIES_METHODS)}.")
        return None
    unknown = set(spec) - {"name", "reference_value", "age"}
    if unknown:
        ctx.add(node, where, f"'{sorted(unknown)[0]}' is not a method option.",
                "a method takes only name, reference_value (smr) and age (life-expectancy).")
        return None
    if unit is not None:
        if name in ("dsr", "isr") and not (unit.type == "rate" and unit.per):
            ctx.add(node, f"{path}.unit", f"a {name} series must have a rate unit, not '{unit.type}'.",
                    "write the unit as 'rate per 100000' (the rate is given per that many people).")
            return None
        if name == "smr" and unit.type not in ("ratio", "number"):
            ctx.add(node, f"{path}.unit", f"an smr series must have the unit ratio, not '{unit.type}'.",
                    "write 'unit: ratio'.")
            return None
        if name == "life-expectancy" and unit.type != "number":
            ctx.add(node, f"{path}.unit", f"a life-expectancy series must have the unit number, not '{unit.type}'.",
                    "write 'unit: number' (the value is in years).")
            return None
    reference_value = 100.0
    if spec.get("reference_value") is not None:
        value = _number_field(ctx, spec, where, "reference_value")
        if value is None or value <= 0:
            ctx.add(node, f"{where}.reference_value", "the reference value must be a number above 0.",
                    "write 100 (100 = the reference, as Fingertips shows ratios) or 1.")
            return None
        reference_value = value
    age = 0
    if spec.get("age") is not None:
        text = str(spec.get("age")).strip()
        if not text.isdigit() or int(text) not in _LIFE_TABLE_AGES or name != "life-expectancy":
            ctx.add(node, f"{where}.age", f"'{text}' is not an age this method can report.",
                    "give age only with life-expectancy, as a start age of a band: 0, 1, 5, 10, ..., 90.")
            return None
        age = int(text)
    return SeriesMethod(name=name, reference_value=reference_value, age=age)


def _focus(ctx: _Context, node: dict[str, Any], path: str) -> FocusOverride | None:
    focus = node.get("focus")
    if focus is None:
        return None
    if isinstance(focus, dict) and len(focus) == 1:
        action, reason = next(iter(focus.items()))
        if action in ("pin", "suppress") and str(reason or "").strip():
            return FocusOverride(str(action), str(reason).strip())
    ctx.add(node, f"{path}.focus", "must be 'pin: <reason>' or 'suppress: <reason>'.",
            "say why, e.g. 'focus: {pin: Committee asked to follow this}'.")
    return None


class _Builder:
    def __init__(self, raw: RawDataset, problems: Problems) -> None:
        self.raw = raw
        self.problems = problems
        self.ctx = _Context(raw, problems)
        self.series: dict[str, Series] = {}
        self.indicator_ids: set[str] = set()
        self.measure_ids: set[str] = set()
        self.outcome_ids: set[str] = set()

    # -- framework.yaml ----------------------------------------------------------------------
    def _id(self, node: dict[str, Any], path: str, seen: set[str], what: str) -> str:
        ident = _text(node, "id")
        if not ident:
            self.ctx.add(node, f"{path}.id", f"this {what} has no id.",
                         "add 'id:' with a short name of letters, digits and dashes, unique in the dataset.")
        elif not _ID.match(ident):
            self.ctx.add(node, f"{path}.id", f"'{ident}' is not a usable id.",
                         "use letters, digits, dots, dashes and underscores only.")
        elif ident in seen or ident in self.series:
            self.ctx.add(node, f"{path}.id", f"the id '{ident}' is used twice.", "give each item its own id.")
        seen.add(ident)
        return ident

    def _series(self, node: dict[str, Any], path: str, *, kind: str, parent_id: str,
                default_id: str = "", default_title: str = "",
                inherited_leads: tuple[Officer, ...] = ()) -> Series | None:
        ident = _text(node, "id") or default_id
        if not ident:
            self.ctx.add(node, f"{path}.id", "this series has no id.", "add 'id:'.")
            return None
        if ident in self.series:
            self.ctx.add(node, f"{path}.id", f"the series id '{ident}' is used twice.", "give each series its own id.")
            return None
        title = _text(node, "title") or default_title
        if not title:
            self.ctx.add(node, f"{path}.title", "the title is missing.", "add 'title:'.")
        unit = _parse_unit(self.ctx, node, path)
        polarity: Polarity | None = None
        raw_pol = _text(node, "polarity").lower()
        if raw_pol:
            if raw_pol in POLARITIES:
                polarity = Polarity(raw_pol)
            else:
                self.ctx.add(node, f"{path}.polarity", f"'{raw_pol}' is not a polarity.",
                             f"use one of: {', '.join(POLARITIES)}.")
        polarity_source, polarity_confirmed = _text(node, "polarity_source"), _text(node, "polarity_confirmed")
        if (polarity_source or polarity_confirmed) and not raw_pol:
            key = "polarity_source" if polarity_source else "polarity_confirmed"
            self.ctx.add(node, f"{path}.{key}", "says where a polarity came from, but there is no polarity.",
                         "add 'polarity:' or remove it.")
        elif polarity_confirmed and not polarity_source:
            self.ctx.add(node, f"{path}.polarity_confirmed", "confirms a polarity the framework declares itself.",
                         "only a polarity taken from a source ('polarity_source:') needs confirming; remove it.")
        period_kind: PeriodKind | None = None
        raw_kind = _text(node, "period_kind")
        if not raw_kind:
            self.ctx.add(node, f"{path}.period_kind", "the kind of period is missing.",
                         f"add 'period_kind:' with one of: {', '.join(PERIOD_KINDS)}.")
        else:
            try:
                period_kind = PeriodKind(raw_kind)
            except ValueError:
                self.ctx.add(node, f"{path}.period_kind", f"'{raw_kind}' is not a kind of period.",
                             f"use one of: {', '.join(PERIOD_KINDS)}.")
        comparators = []
        for i, c in enumerate(node.get("comparators") or []):
            cpath = f"{path}.comparators[{i}]"
            if not isinstance(c, dict) or not _text(c, "name"):
                self.ctx.add(c if isinstance(c, dict) else node, cpath, "a comparator needs a 'name'.",
                             "write e.g. '{name: England, area: E92000001, value: 43.1}'.")
                continue
            ckind = _text(c, "kind") or "benchmark"
            if ckind not in ("benchmark", "group"):
                self.ctx.add(c, f"{cpath}.kind", f"'{ckind}' is not a comparator kind.", "use benchmark or group.")
            comparators.append(Comparator(
                name=_text(c, "name"), area=_text(c, "area"), kind=ckind,
                period=_parse_period(self.ctx, c, f"{cpath}.period", c.get("period"), period_kind),
                value=_number_field(self.ctx, c, cpath, "value"),
                home_value=_number_field(self.ctx, c, cpath, "home_value"),
                basis=_text(c, "basis"), members=tuple(str(m) for m in c.get("members") or ()),
                note=_text(c, "note"),
            ))
        target = None
        if node.get("target") is not None:
            t = node["target"]
            t = t if isinstance(t, dict) else {"value": t}
            value = _number_field(self.ctx, t, f"{path}.target", "value")
            if value is not None:
                target = Target(value, _parse_period(self.ctx, t, f"{path}.target.period", t.get("period"),
                                                     period_kind), _text(t, "note"))
        breaks = tuple(
            p for i, b in enumerate(node.get("breaks") or [])
            if (p := _parse_period(self.ctx, node, f"{path}.breaks[{i}]", b, period_kind))
        )
        published = _published(self.ctx, node, path, period_kind)
        focus = _focus(self.ctx, node, path)
        method = _method(self.ctx, node, path, unit)
        leads = _officers(self.ctx, node, "lead_officers", path) or inherited_leads
        if unit is None or period_kind is None:
            return None
        series = Series(
            id=ident, title=title, unit=unit, polarity=polarity, period_kind=period_kind, kind=kind,
            parent_id=parent_id, short_title=_text(node, "short_title"), comparators=comparators,
            target=target, published=published, lead_officers=leads,
            definition=_text(node, "definition"), source=_text(node, "source"), focus=focus, breaks=breaks,
            polarity_source=polarity_source, polarity_confirmed=polarity_confirmed, part_of=_text(node, "part_of"),
            method=method,
        )
        self.series[ident] = series
        return series

    def _series_list(self, node: dict[str, Any], path: str, *, kind: str, parent_id: str, title: str,
                     leads: tuple[Officer, ...]) -> list[Series]:
        items = node.get("series")
        if items is None:  # shorthand: the item is its own single series
            s = self._series(node, path, kind=kind, parent_id=parent_id, default_id=parent_id,
                             default_title=title, inherited_leads=leads)
            return [s] if s else []
        if not isinstance(items, list) or not items:
            self.ctx.add(node, f"{path}.series", "must be a list of series.", "")
            return []
        out = []
        for i, s_node in enumerate(items):
            if not isinstance(s_node, dict):
                self.ctx.add(node, f"{path}.series[{i}]", "must be a set of 'name: value' entries.", "")
                continue
            s = self._series(s_node, f"{path}.series[{i}]", kind=kind, parent_id=parent_id, inherited_leads=leads)
            if s:
                out.append(s)
        return out

    def framework(self) -> Framework | None:
        fw = self.raw.framework
        ctx = self.ctx
        if not fw:
            return None
        fmt = _text(fw, "format")
        if fmt and fmt != FORMAT:
            ctx.add(fw, "format", f"'{fmt}' is not a format this version reads.", f"use '{FORMAT}'.")
        area_node = fw.get("area")
        if not isinstance(area_node, dict) or not _text(area_node, "code"):
            ctx.add(fw, "area", "the home area is missing.",
                    "add 'area: {code: E10000009, name: Dorset}' (the ONS code of the area you report on).")
            home = Area("", "")
        else:
            home = Area(_text(area_node, "code"), _text(area_node, "name") or _text(area_node, "code"))
        period = _parse_period(ctx, fw, "reporting_period", fw.get("reporting_period"), None)
        if period is None and not fw.get("reporting_period"):
            ctx.add(fw, "reporting_period", "the reporting period is missing.",
                    "add e.g. 'reporting_period: Q4 2017-18'.")
        areas = {home.code: home} if home.code else {}
        for i, a in enumerate(fw.get("areas") or []):
            if isinstance(a, dict) and _text(a, "code"):
                areas[_text(a, "code")] = Area(_text(a, "code"), _text(a, "name") or _text(a, "code"))
            else:
                ctx.add(fw, f"areas[{i}]", "each area needs a 'code' and a 'name'.", "")
        report_node = fw.get("report") or {}
        report = ReportInfo(
            title=_text(report_node, "title") or ReportInfo.title,
            organisation=_text(fw, "organisation"),
            published=_text(report_node, "published"),
            status=_text(report_node, "status") or "draft",
            data_date=_text(report_node, "data_date"),
            **_report_key(ctx, report_node),
        )
        if report.status not in ("draft", "published"):
            ctx.add(report_node, "report.status", f"'{report.status}' is not a status.", "use draft or published.")
        outcomes = []
        raw_outcomes = fw.get("outcomes")
        if not isinstance(raw_outcomes, list) or not raw_outcomes:
            ctx.add(fw, "outcomes", "there are no outcomes.", "add 'outcomes:' with at least one outcome.")
            raw_outcomes = []
        for i, o in enumerate(raw_outcomes):
            if isinstance(o, dict):
                outcome = self._outcome(o, f"outcomes[{i}]")
                if outcome:
                    outcomes.append(outcome)
        settings = fw.get("settings") or {}
        if not isinstance(settings, dict):
            ctx.add(fw, "settings", "must be a set of 'name: value' entries.", "")
            settings = {}
        if period is None or not home.code:
            return None
        return Framework(organisation=_text(fw, "organisation"), home_area=home, reporting_period=period,
                         outcomes=outcomes, areas=areas, report=report, settings=dict(settings))

    def _outcome(self, o: dict[str, Any], path: str) -> Outcome | None:
        ident = self._id(o, path, self.outcome_ids, "outcome")
        if not _text(o, "title"):
            self.ctx.add(o, f"{path}.title", "the outcome has no title.", "add 'title:'.")
        sponsor_list = _officers(self.ctx, o, "sponsor", path)
        summary_node = o.get("published_summary") or {}
        summary = PublishedSummary(
            population_indicators=_int(self.ctx, summary_node, f"{path}.published_summary", "population_indicators"),
            performance_measures=_int(self.ctx, summary_node, f"{path}.published_summary", "performance_measures"),
            risks=_int(self.ctx, summary_node, f"{path}.published_summary", "risks"),
            focus_indicators=tuple(str(x) for x in summary_node.get("focus_indicators") or ()),
            focus_measures=tuple(str(x) for x in summary_node.get("focus_measures") or ()),
            focus_risks=tuple(str(x) for x in summary_node.get("focus_risks") or ()),
        )
        outcome = Outcome(
            id=ident, title=_text(o, "title"), sponsor=sponsor_list[0] if sponsor_list else None,
            lead_officers=_officers(self.ctx, o, "lead_officers", path),
            contacts=_officers(self.ctx, o, "contacts", path), introduction=_text(o, "introduction"),
            published_summary=summary,
        )
        for i, node in enumerate(o.get("population_indicators") or []):
            ipath = f"{path}.population_indicators[{i}]"
            if not isinstance(node, dict):
                self.ctx.add(o, ipath, "must be a set of 'name: value' entries.", "")
                continue
            ind_id = self._id(node, ipath, self.indicator_ids, "population indicator")
            title = _text(node, "title")
            if not title:
                self.ctx.add(node, f"{ipath}.title", "the indicator has no title.", "add 'title:'.")
            leads = _officers(self.ctx, node, "lead_officers", ipath)
            vfm_node = node.get("value_for_money") or {}
            from outcomes.model import ValueForMoney

            vfm = ValueForMoney(
                status=_text(vfm_node, "status") or "not-measured",
                latest=_number_field(self.ctx, vfm_node, f"{ipath}.value_for_money", "latest"),
                rank=_int(self.ctx, vfm_node, f"{ipath}.value_for_money", "rank"),
                of=_int(self.ctx, vfm_node, f"{ipath}.value_for_money", "of"),
                note=_text(vfm_node, "note"),
            )
            indicator = PopulationIndicator(
                id=ind_id, number=_text(node, "number"), title=title, outcome_id=ident, lead_officers=leads,
                value_for_money=vfm, section=_text(node, "section"), section_title=_text(node, "section_title"),
            )
            indicator.series = self._series_list(node, ipath, kind="population_indicator", parent_id=ind_id,
                                                 title=title, leads=leads)
            for j, m in enumerate(node.get("measures") or []):
                mpath = f"{ipath}.measures[{j}]"
                if not isinstance(m, dict):
                    self.ctx.add(node, mpath, "must be a set of 'name: value' entries.", "")
                    continue
                m_id = self._id(m, mpath, self.measure_ids, "performance measure")
                m_title = _text(m, "title")
                if not m_title:
                    self.ctx.add(m, f"{mpath}.title", "the measure has no title.", "add 'title:'.")
                m_leads = _officers(self.ctx, m, "lead_officers", mpath) or leads
                measure = PerformanceMeasure(id=m_id, title=m_title, indicator_id=ind_id, lead_officers=m_leads,
                                             published_trend=_text(m, "published_trend").lower())
                measure.series = self._series_list(m, mpath, kind="performance_measure", parent_id=m_id,
                                                   title=m_title, leads=m_leads)
                indicator.measures.append(measure)
            outcome.indicators.append(indicator)
        return outcome

    # -- observations.csv ----------------------------------------------------------------------
    def observations(self) -> None:
        seen: dict[tuple[str, str, Period], int] = {}
        for row in self.raw.observations:
            obs = self._observation(row)
            if obs is None:
                continue
            key = (obs.series_id, obs.area, obs.period)
            if key in seen:
                self.problems.add(row.file, row.location, "period",
                                  f"{obs.series_id} already has a value for {obs.area} in {obs.period} "
                                  f"(row {seen[key]}).", "keep one row per series, area and period.")
                continue
            seen[key] = row.number
            series = self.series[obs.series_id]
            if self.home and obs.area == self.home:
                series.observations.append(obs)
            else:
                series.benchmark_observations.setdefault(obs.area, []).append(obs)
        for s in self.series.values():
            s.observations.sort(key=lambda o: o.period)
            for lst in s.benchmark_observations.values():
                lst.sort(key=lambda o: o.period)

    home: str = ""

    def _observation(self, row: Row) -> Observation | None:
        return read_observation(row, self.series, self.home, self.problems)

    # -- risks.csv ------------------------------------------------------------------------------
    def risks(self) -> list[Risk]:
        out = []
        seen: dict[str, int] = {}
        for row in self.raw.risks:
            before = len(self.problems)
            add = self.problems.add
            rid = row.get("id")
            if not rid:
                add(row.file, row.location, "id", "the risk id is empty.", "write the id from the risk register.")
            elif rid in seen:
                add(row.file, row.location, "id", f"the risk '{rid}' is listed twice (row {seen[rid]}).",
                    "keep one row per risk.")
            seen.setdefault(rid, row.number)
            if not row.get("title"):
                add(row.file, row.location, "title", "the title is empty.", "copy it from the risk register.")
            score = row.get("score").upper()
            if score not in RISK_SCORES:
                add(row.file, row.location, "score", f"'{row.get('score')}' is not a risk score.",
                    "use HIGH, MEDIUM or LOW.")
            trend_text = row.get("trend")
            trend = RISK_TRENDS.get(trend_text.lower())
            if trend is None:
                add(row.file, row.location, "trend", f"'{trend_text}' is not a risk trend.",
                    "use IMPROVING, UNCHANGED or WORSENING.")
            outcome = row.get("outcome")
            if outcome and outcome not in self.outcome_ids:
                add(row.file, row.location, "outcome", f"'{outcome}' is not an outcome in framework.yaml.",
                    "use an outcome id or leave it empty." + _suggest(outcome, self.outcome_ids))
            links = tuple(x.strip() for x in re.split(r"[;|]", row.get("indicators")) if x.strip())
            for link in links:
                if link not in self.indicator_ids:
                    add(row.file, row.location, "indicators", f"'{link}' is not a population indicator.",
                        "separate indicator ids with ';', or leave empty for an unassigned risk."
                        + _suggest(link, self.indicator_ids))
            ints: dict[str, int | None] = {}
            for name in ("likelihood", "impact"):
                text = row.get(name)
                ints[name] = None
                if text:
                    if text.isdigit() and 1 <= int(text) <= 5:
                        ints[name] = int(text)
                    else:
                        add(row.file, row.location, name, f"'{text}' is not a score from 1 to 5.",
                            "write a whole number from 1 to 5 or leave it empty.")
            focus = None
            if row.get("focus"):
                action = row.get("focus").lower()
                if action not in ("pin", "suppress") or not row.get("focus_reason"):
                    add(row.file, row.location, "focus", "focus must be 'pin' or 'suppress' with a focus_reason.",
                        "write pin or suppress, and say why in focus_reason.")
                else:
                    focus = FocusOverride(action, row.get("focus_reason"))
            if len(self.problems) > before:
                continue
            out.append(Risk(
                id=rid, title=row.get("title"), score=score, trend=trend or "", outcome_id=outcome,
                likelihood=ints["likelihood"], impact=ints["impact"], owner=row.get("owner"), indicators=links,
                trend_as_published=trend_text, focus=focus, origin=f"{row.file} {row.location}",
            ))
        return out

    # -- narrative ------------------------------------------------------------------------------
    def narrative(self, framework: Framework) -> None:
        targets: dict[str, Callable[[Narrative], None]] = {}
        for ind in framework.indicators():
            targets[ind.id] = ind.narrative.append
        for doc in self.raw.narrative:
            if doc.subject not in targets:
                self.problems.add(doc.file, "line 2", "subject", f"'{doc.subject}' is not a population indicator.",
                                  "write the id of an indicator in framework.yaml." + _suggest(doc.subject, targets))
                continue
            period = None
            if doc.period:
                try:
                    period = Period.parse(doc.period)
                except PeriodError as exc:
                    self.problems.add(doc.file, "line 3", "period", str(exc), "")
                    continue
            targets[doc.subject](Narrative(
                subject_id=doc.subject, period=period, story=doc.sections.get("story", ""),
                partners=doc.sections.get("partners", ""), actions=doc.sections.get("actions", ""),
                data_notes=doc.sections.get("data_notes", ""), origin=doc.file,
            ))


def read_observation(row: Row, series_by_id: Mapping[str, Series], home: str,
                     problems: Problems) -> Observation | None:
    """One observations.csv row as an Observation, or None with its problems added.

    The same rules for an import, a form and a data-collection workbook (``outcomes.judge.entry``).
    """
    add = problems.add
    before = len(problems)
    sid = row.get("series")
    series = series_by_id.get(sid)
    if not sid:
        add(row.file, row.location, "series", "the series id is empty.", "write the id of a series in framework.yaml.")
    elif series is None:
        add(row.file, row.location, "series", f"'{sid}' is not a series in framework.yaml.",
            "correct the id, or add the series to framework.yaml." + _suggest(sid, series_by_id))
    area = row.get("area")
    if not area:
        add(row.file, row.location, "area", "the area is empty.",
            f"write the area code (the home area is {home or 'set in framework.yaml'}).")
    period: Period | None = None
    ptext = row.get("period")
    if not ptext:
        add(row.file, row.location, "period", "the period is empty.", "write a period such as 'Q4 2017-18'.")
    elif series is not None:
        try:
            period = Period.parse(ptext, kind=series.period_kind)
        except PeriodError as exc:
            add(row.file, row.location, "period", str(exc),
                f"series {sid} is declared as {series.period_kind.value}; write its periods that way.")
    allow_pct = series is not None and series.unit.type == "percentage"
    numbers: dict[str, float | None] = {}
    for name in ("value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998"):
        text = row.get(name)
        if not text:
            numbers[name] = None
            continue
        try:
            numbers[name] = parse_number(text, allow_percent=allow_pct)
        except ValueError:
            fix = "write a plain number (no units or text)"
            if text.strip().lower() in ("x", "c", "z", "low", "..", ":", "n/a", "-"):
                fix = f"leave '{name}' empty and put the reason in 'missing_reason' (e.g. 'suppressed')"
            add(row.file, row.location, name, f"'{text}' is not a number.", fix + ".")
    status = row.get("status").lower() or "final"
    if status not in ("final", "provisional"):
        add(row.file, row.location, "status", f"'{row.get('status')}' is not a status.",
            "write final or provisional (or leave it empty for final).")
    if numbers.get("value") is None and not row.get("missing_reason") and not row.get("value"):
        add(row.file, row.location, "value", "the value is empty and no reason is given.",
            "write the value, or say why it is missing in 'missing_reason'.")
    den = numbers.get("denominator")
    if den is not None and den <= 0:
        add(row.file, row.location, "denominator", f"the denominator {den:g} is not positive.",
            "a denominator counts people or events, so it must be above zero.")
    for lo, hi in (("lower95", "upper95"), ("lower998", "upper998")):
        lv, hv = numbers.get(lo), numbers.get(hi)
        if (lv is None) != (hv is None):
            add(row.file, row.location, lo if lv is None else hi, "only one limit of the interval is given.",
                "give both limits or neither.")
        elif lv is not None and hv is not None and lv > hv:
            add(row.file, row.location, lo, f"the lower limit {lv:g} is above the upper limit {hv:g}.",
                "swap them.")
    if len(problems) > before or series is None or period is None:
        return None
    return Observation(
        series_id=sid, area=area, period=period, value=numbers["value"], numerator=numbers["numerator"],
        denominator=numbers["denominator"], lower95=numbers["lower95"], upper95=numbers["upper95"],
        lower998=numbers["lower998"], upper998=numbers["upper998"], status=status, source=row.get("source"),
        note=row.get("note"), missing_reason=row.get("missing_reason"), origin=f"{row.file} {row.location}",
    )


def _int(ctx: _Context, node: Any, path: str, key: str) -> int | None:
    if not isinstance(node, dict):
        return None
    value = _number_field(ctx, node, path, key)
    if value is None:
        return None
    if not float(value).is_integer():
        ctx.add(node, f"{path}.{key}", f"'{value}' is not a whole number.", "write a whole number.")
        return None
    return int(value)


def _suggest(word: str, known: object) -> str:
    import difflib

    names = [str(k) for k in known]  # type: ignore[attr-defined]
    close = difflib.get_close_matches(word, names, n=1)
    return f" Did you mean '{close[0]}'?" if close else ""


def build_framework(raw: RawDataset, problems: Problems) -> Framework | None:
    """Validate ``raw`` and build the framework; every problem goes into ``problems``."""
    builder = _Builder(raw, problems)
    framework = builder.framework()
    builder.home = framework.home_area.code if framework else ""
    builder.observations()
    derive_observations(raw.inputs, builder.series, builder.home, problems)
    read_breakdowns(raw.breakdowns, builder.series, problems)
    risks = builder.risks()
    if framework is None:
        return None
    framework.risks = risks
    builder.narrative(framework)
    return framework
