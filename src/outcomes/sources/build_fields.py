"""The fields of a dataset, each read and checked on its own: the vocabularies (polarities, period
kinds, risk scores and trends, published words), ids, numbers, units, periods, headlines, published
judgements, a series' method and a focus override. Each reader adds its problems, naming the file
and the path in ``framework.yaml``, and returns None for what it cannot read.

:mod:`outcomes.sources.build` puts them together; import these names from there.
"""

from __future__ import annotations

import math
import re
from typing import Any

from outcomes.model import (
    PUBLISHED_COMPARATOR_METHODS,
    PUBLISHED_TREND_METHODS,
    SERIES_METHODS,
    UNIT_TYPES,
    FocusOverride,
    Headline,
    Officer,
    Period,
    PeriodError,
    PeriodKind,
    Polarity,
    PublishedJudgement,
    SeriesMethod,
    Unit,
)
from outcomes.sources.problems import Problems
from outcomes.sources.raw import RawDataset

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
