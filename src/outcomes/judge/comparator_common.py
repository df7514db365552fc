"""What every comparator judgement shares: the words, the pending interval comparison, 'not
compared', the headline comparator."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from outcomes.model import Comparator, Observation, Period, Polarity, Series, Unit

from .method import (
    METHODS,
    ComparatorJudgement,
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


@dataclass
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
