"""What every comparator judgement shares: the words, the pending interval comparison, 'not
compared', the headline comparator, the benchmark figure of a period (:func:`_benchmark`,
:func:`_exact_row`) and the warnings about it, and the number formats of their sentences.

The sentences print thousands of figures per framework, so the formats are prepared once per unit
(:func:`_unit_texts`: the prefix, suffix and fixed decimals that ``format_value``, its bare second
figure and ``format_interval`` would use), the decimals of each figure are remembered
(:func:`_decimals`) and, within one call, the printed figures (:func:`_printed`); the text is exactly
that of :mod:`.method`'s functions (a test compares them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, field, fields
from math import isfinite as _isfinite
from typing import Any, NamedTuple

from outcomes.model import Comparator, Observation, Period, Polarity, Series, Unit

from ._periods import periods_behind
from .method import (
    KNOWN_DECIMALS,
    METHODS,
    ComparatorJudgement,
    decimals_for,
    is_judged,
    method_label,
    period_phrase,
)
from .settings import JudgementSettings

_PHRASES = {
    "better": "Better than",
    "worse": "Worse than",
    "similar": "Similar to",
    "higher": "Higher than",
    "lower": "Lower than",
}
_QUARTILES = {1: "top quartile", 2: "second quartile", 3: "third quartile", 4: "bottom quartile"}


@dataclass(slots=True)
class PendingComparison:
    """An interval comparison waiting for the one vectorised call (see :func:`settle_comparisons`)."""

    slot: object
    series: Series
    comparator: Comparator
    name: str
    value: float
    benchmark: float
    period: Period | None
    lower95: float
    upper95: float
    lower998: float
    upper998: float
    source: str
    notes: list[str] = field(default_factory=list)


#: An interval comparison waiting for the one vectorised call, as the comparators of a framework gather it:
#: where its judgement goes (a series' list of judgements and the index in it), then the series,
#: comparator, name, benchmark period, interval source, and the six figures (value, benchmark, 95% and
#: 99.8% limits) in :func:`~outcomes.stats.compare_with_benchmark_array`'s order
_Waiting = tuple[
    list[Any], int, Series, Comparator, str, "Period | None", str, float, float, float, float, float, float
]


def _rag(word: str, polarity: Polarity | None, settings: JudgementSettings) -> str | None:
    return settings.rag_for(word, comparator=True) if is_judged(polarity) else None


_NO_COMPARATOR = ComparatorJudgement(
    "not compared",
    None,
    "none",
    METHODS["none"],
    "No comparator data.",
    "The series has no benchmark or group to compare with.",
)


def no_comparator() -> ComparatorJudgement:
    """The judgement of a series with no comparator (one shared, immutable object)."""
    return _NO_COMPARATOR


def _not_compared(
    comp: Comparator,
    name: str,
    reason: str,
    why: str,
    period: Period | None = None,
    value: float | None = None,
) -> ComparatorJudgement:
    return ComparatorJudgement(
        "not compared",
        None,
        "none",
        method_label("none"),
        reason,
        why,
        name=name,
        area=comp.area,
        kind=comp.kind,
        period=period,
        value=value,
    )


def headline_comparator(judgements: Sequence[ComparatorJudgement]) -> ComparatorJudgement:
    """The comparator shown in headlines: the first listed that could be compared, else the first."""
    if not judgements:
        return no_comparator()
    for j in judgements:
        if j.assessed:
            return j
    return judgements[0]



def _f(x: float | None) -> float:
    return math.nan if x is None else float(x)


def _finite(o: Observation) -> bool:
    return o.value is not None and math.isfinite(o.value)



def _bare(unit: Unit) -> Unit:
    """The unit for a second figure in a sentence: a rate's "per N" is printed once."""
    return Unit("number", decimals=unit.decimals) if unit.type == "rate" else unit


# --------------------------------------------------------------------------------------------------
# Benchmark figures

#: A benchmark figure as :func:`_benchmark` finds it: value, period, why it cannot be compared ("" when it
#: can) and warnings about it
_Benchmark = tuple[float | None, Period | None, str, tuple[str, ...]]


def _benchmark(
    series: Series, comp: Comparator, name: str, latest: Period, settings: JudgementSettings
) -> _Benchmark:
    all_rows = series.benchmark_observations.get(comp.area, ()) if comp.area else ()
    if all_rows:
        found = _exact_row(all_rows, latest)
        if found is not None:
            return found.value, found.period, "", ()
    rows = [r for r in all_rows if _finite(r)]
    if rows:  # (none is for the value's own period: _exact_row found none)
        older = [r for r in rows if r.period < latest]
        if not older:
            have = ", ".join(str(r.period) for r in rows[:3])
            return None, None, (
                f"Not compared: no {name} figure {period_phrase(latest, 'for')} or earlier "
                f"(there are figures for {have})."
            ), ()
        row = max(older, key=lambda r: r.period.sort_key)
        return _dated(row.value, row.period, name, latest, settings)
    if comp.value is not None and math.isfinite(comp.value):
        if comp.period is None:
            return comp.value, None, "", (_undated(name, comp.value, latest),)
        return _dated(comp.value, comp.period, name, latest, settings)
    return None, None, f"Not compared: the dataset has no {name} figure.", ()


def _outside(value: float, lo: float, hi: float) -> str:
    """The warning for a latest value outside the interval computed from its numerator and denominator."""
    return (
        f"The latest value {value:g} lies outside the interval computed from its numerator and "
        f"denominator ({lo:.4g}–{hi:.4g}): check them."
    )


def _undated(name: str, value: float, latest: Period) -> str:
    """The warning for a comparator's single figure without a period (taken to be the value's)."""
    return f"The {name} figure {value:g} has no period; it is taken to be {period_phrase(latest, 'for')}."


def _exact_row(rows: Sequence[Observation], period: Period) -> Observation | None:
    """The first row for ``period`` with a finite value, found in one pass (a differing end rules a
    period out without comparing the rest)."""
    end = period.end
    for r in rows:
        p = r.period
        if p is period or (p.end == end and p == period):
            v = r.value
            if v is not None and _isfinite(v):
                return r
    return None


def _dated(
    value: float | None, period: Period, name: str, latest: Period, settings: JudgementSettings
) -> _Benchmark:
    if period == latest:
        return value, period, "", ()
    if period.end < latest.end and not period.contains(latest):
        behind = periods_behind(period, latest)
        if behind > settings.stale_after_periods:
            return value, period, (
                f"Not compared: the newest {name} figure is {period_phrase(period, 'for')}, "
                f"{behind} periods older than the "
                f"value's {latest} (more than the {settings.stale_after_periods} allowed by "
                "stale_after_periods)."
            ), ()
        return value, period, "", (
            f"The {name} benchmark is {period_phrase(period, 'for')}, older than the value's {latest}.",
        )
    if period.start > latest.end:
        return value, period, "", (
            f"The {name} benchmark is {period_phrase(period, 'for')}, later than the value's {latest}.",
        )
    return value, period, "", (
        f"The {name} benchmark is {period_phrase(period, 'for')}, not exactly the value's {latest}.",
    )


# --------------------------------------------------------------------------------------------------
# Number formats of the sentences, prepared once per unit


class _UnitTexts(NamedTuple):
    """How a unit prints a figure: ``{prefix}{number}{suffix}`` with ``decimals`` when the unit fixes
    them; ``bare_*`` for a second figure (a rate's "per N" is printed once); ``interval_suffix`` after
    an interval."""

    decimals: int | None
    prefix: str
    suffix: str
    bare_prefix: str
    bare_suffix: str
    interval_suffix: str


#: prepared formats by the unit object's id (a unit is immutable; the entry keeps it alive, so its id
#: is not reused while the entry stands): a lookup without hashing the unit's fields
_UNIT_TEXTS: dict[int, tuple[Unit, _UnitTexts]] = {}


def _unit_texts(unit: Unit) -> _UnitTexts:
    """The prepared formats of ``unit`` (as ``format_value``, ``_bare`` and ``format_interval`` print).

    >>> _unit_texts(Unit("rate", per=10_000))
    _UnitTexts(decimals=None, prefix='', suffix=' per 10,000', bare_prefix='', bare_suffix='', interval_suffix='')
    """
    entry = _UNIT_TEXTS.get(id(unit))
    if entry is not None and entry[0] is unit:
        return entry[1]
    prefix, suffix = "", ""
    if unit.type == "percentage":
        suffix = "%"
    elif unit.type == "currency":
        prefix = unit.currency
    elif unit.type == "rate" and unit.per:
        suffix = f" per {unit.per:,}"
    bare = unit.type == "rate"
    texts = _UnitTexts(
        unit.decimals,
        prefix,
        suffix,
        "" if bare else prefix,
        "" if bare else suffix,
        "%" if unit.type == "percentage" else "",
    )
    if len(_UNIT_TEXTS) > 65_536:  # a loaded dataset may give each series its own Unit
        _UNIT_TEXTS.clear()
    _UNIT_TEXTS[id(unit)] = (unit, texts)
    return texts


def _figure(value: float | None, decimals: int, prefix: str, suffix: str) -> str:
    """``format_value``'s text for a figure, given the unit's prepared prefix and suffix."""
    if value is None or not -math.inf < value < math.inf:  # None, NaN or infinite
        return "no value"
    return f"{prefix}{_number(value, decimals)}{suffix}"


#: printf formats of a number without thousands separators, by decimals
_PLAIN = {d: f"%.{d}f" for d in range(10)}


def _printed() -> dict[int, dict[float, str]]:
    """An empty store of printed figures for one call, by decimals (each of :data:`_PLAIN`'s), then by
    value: a framework's sentences print the same figures again and again (a benchmark, a share with
    one decimal), and looking a text up is quicker than printing it. Zero is never kept (-0.0 would
    find 0.0's text), nor is NaN (it never finds itself)."""
    return {d: {} for d in _PLAIN}


def _number(value: float, decimals: int) -> str:
    """``f"{value:,.{decimals}f}"``: a figure that cannot reach 1,000 has no separator to place, and
    the printf form, which rounds the same way, is quicker.

    >>> _number(998.96, 1), _number(999.96, 1), _number(-12.345, 2), _number(1234.5, 0)
    ('999.0', '1,000.0', '-12.35', '1,234')
    """
    if -999.0 < value < 999.0:
        spec = _PLAIN.get(decimals)
        if spec is not None:
            return spec % value
    return f"{value:,.{decimals}f}"


def _decimals(a: float | None, b: float | None) -> int:
    """``decimals_for(a, b)``, reading each figure's decimals from ``decimals_for``'s own cache first."""
    da = KNOWN_DECIMALS.get(a)  # type: ignore[arg-type]
    if da is None:
        da = decimals_for(a)  # which remembers it
    db = KNOWN_DECIMALS.get(b)  # type: ignore[arg-type]
    if db is None:
        db = decimals_for(b)
    return da if da >= db else db


# --------------------------------------------------------------------------------------------------
# Building a judgement


#: ComparatorJudgement's fields, in order, as :func:`_judgement` fills them
_FIELDS = (
    "word", "rag", "method", "method_label", "reason", "why", "values", "name", "area", "kind", "period",
    "value", "home_value", "level", "rank", "of", "quartile", "median", "rank_lower", "rank_upper",
)


def _plain_frozen_fields(cls: type) -> bool:
    """Whether ``cls`` is still a frozen dataclass with exactly :data:`_FIELDS` (every one set by its
    ``__init__``, ``values`` the only one with a factory), a ``__dict__`` and no ``__post_init__``:
    then filling its ``__dict__`` makes the very object its ``__init__`` would."""
    found = fields(cls)
    return (
        tuple(f.name for f in found) == _FIELDS
        and all(f.init for f in found)
        and all(f.default_factory is MISSING for f in found if f.name != "values")
        and cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
        and not hasattr(cls, "__post_init__")
        and "__slots__" not in cls.__dict__
    )


_new = object.__new__
#: the descriptor of an instance's ``__dict__`` (the one ``object.__setattr__(j, "__dict__", d)`` finds by
#: name; its setter is called directly)
_DICT = next((c.__dict__["__dict__"] for c in ComparatorJudgement.__mro__ if "__dict__" in c.__dict__), None)
_QUICK = _plain_frozen_fields(ComparatorJudgement) and _DICT is not None
_set_dict = _DICT.__set__ if _DICT is not None else None
#: every field None: the fields of a judgement are this, copied (one allocation of the right size), then filled
_TEMPLATE = dict.fromkeys(_FIELDS)


def _judgement(
    word: str,
    rag: str | None,
    method: str,
    method_label: str,
    reason: str,
    why: str,
    values: dict[str, Any],
    name: str | None,
    area: str,
    kind: str,
    period: Period | None,
    value: float | None,
    home_value: float | None,
    level: float | None = None,
) -> ComparatorJudgement:
    """``ComparatorJudgement(...)`` with these fields (the group fields None), built in one step: the
    frozen dataclass's ``__init__`` sets its twenty fields one ``object.__setattr__`` at a time, which
    costs more than the sentence; this fills the instance's ``__dict__`` at once, copied from a template
    (the same object: equal, same hash, same fields in the same order). Falls back to the constructor
    if the class ever stops being a plain frozen dataclass with these fields. A group's judgement sets
    its rank fields on the returned dict with :func:`_group_judgement`."""
    if not _QUICK:
        return ComparatorJudgement(
            word, rag, method, method_label, reason, why, values, name=name, area=area, kind=kind,
            period=period, value=value, home_value=home_value, level=level,
        )
    judgement = _new(ComparatorJudgement)
    fields = _TEMPLATE.copy()
    fields["word"] = word
    fields["rag"] = rag
    fields["method"] = method
    fields["method_label"] = method_label
    fields["reason"] = reason
    fields["why"] = why
    fields["values"] = values
    fields["name"] = name
    fields["area"] = area
    fields["kind"] = kind
    fields["period"] = period
    fields["value"] = value
    fields["home_value"] = home_value
    fields["level"] = level
    _set_dict(judgement, fields)  # type: ignore[misc]
    return judgement


def _group_judgement(
    word: str,
    rag: str | None,
    method: str,
    method_label: str,
    reason: str,
    why: str,
    values: dict[str, Any],
    name: str | None,
    area: str,
    period: Period | None,
    median: float,
    home_value: float,
    rank: int,
    of: int,
    quartile: int,
    rank_lower: int | None,
    rank_upper: int | None,
) -> ComparatorJudgement:
    """A group's judgement (kind ``group``, its value the median), built as :func:`_judgement` builds one."""
    if not _QUICK:
        return ComparatorJudgement(
            word, rag, method, method_label, reason, why, values, name=name, area=area, kind="group",
            period=period, value=median, home_value=home_value, rank=rank, of=of, quartile=quartile,
            median=median, rank_lower=rank_lower, rank_upper=rank_upper,
        )
    judgement = _judgement(
        word, rag, method, method_label, reason, why, values, name, area, "group", period, median, home_value
    )
    fields = judgement.__dict__
    fields["rank"] = rank
    fields["of"] = of
    fields["quartile"] = quartile
    fields["median"] = median
    fields["rank_lower"] = rank_lower
    fields["rank_upper"] = rank_upper
    return judgement
