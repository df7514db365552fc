"""What every comparator judgement shares: the words, the pending interval comparison, 'not
compared', the headline comparator, and the number formats of their sentences.

The sentences print thousands of figures per framework, so the formats are prepared once per unit
(:func:`_unit_texts`: the prefix, suffix and fixed decimals that ``format_value``, its bare second
figure and ``format_interval`` would use) and the decimals of each figure are remembered
(:func:`_decimals`); the text is exactly that of :mod:`.method`'s functions (a test compares them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from outcomes.model import Comparator, Observation, Period, Polarity, Series, Unit

from .method import (
    METHODS,
    ComparatorJudgement,
    decimals_for,
    is_judged,
    method_label,
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
    return next((j for j in judgements if j.assessed), judgements[0])



def _f(x: float | None) -> float:
    return math.nan if x is None else float(x)


def _finite(o: Observation) -> bool:
    return o.value is not None and math.isfinite(o.value)



def _bare(unit: Unit) -> Unit:
    """The unit for a second figure in a sentence: a rate's "per N" is printed once."""
    return Unit("number", decimals=unit.decimals) if unit.type == "rate" else unit


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
    if len(_UNIT_TEXTS) > 4096:
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


_DECIMALS: dict[float, int] = {}


def _decimals(a: float | None, b: float | None) -> int:
    """``decimals_for(a, b)``, remembering each figure's decimals (published figures repeat)."""
    da = _DECIMALS.get(a)  # type: ignore[arg-type]
    if da is None:
        da = _remember_decimals(a)
    db = _DECIMALS.get(b)  # type: ignore[arg-type]
    if db is None:
        db = _remember_decimals(b)
    return da if da >= db else db


def _remember_decimals(value: float | None) -> int:
    d = decimals_for(value)
    if value is not None and value == value:
        if len(_DECIMALS) > 65_536:
            _DECIMALS.clear()
        _DECIMALS[value] = d
    return d
