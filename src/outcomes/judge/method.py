"""Judgements and their methods: the words, the method codes, and the sentences that explain them.

A :class:`Judgement` is a word (improving/similar/worsening; better/similar/worse), a RAG letter
derived from it (``None`` when not assessed), the **method** used (a short code from
:data:`METHODS`), a **reason** sentence with the numbers, and **why** that method was chosen.

The tolerance band is the seed report's own convention, written down: the latest value is "similar"
to the one it is compared with when it is within ``tolerance`` of it, relative to that value.

Numbers in sentences are written by :func:`format_value` with the decimals of :func:`decimals_for`;
both remember what they worked out for a value (bounded; emptied by ``judge_framework`` at the start
of each framework, :func:`forget_numbers`), as do :func:`format_percent` and :func:`method_label`:
a framework writes the same few figures, bands and labels thousands of times.

>>> [classify_change(a, b, tolerance=0.02, polarity="higher-is-better") for a, b in [(87, 86), (91, 86)]]
['similar', 'worsening']
>>> [classify_change(a, b, tolerance=0.02, polarity="lower-is-better")
...  for a, b in [(937, 961), (7.6, 7.3), (567, 568)]]
['worsening', 'improving', 'similar']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import Period, PeriodKind, Polarity, Unit
from outcomes.stats.rank import RankInterval, ordinal

__all__ = [
    "COMPARATOR_WORDS",
    "METHODS",
    "TREND_WORDS",
    "ComparatorJudgement",
    "Judgement",
    "classify_change",
    "classify_difference",
    "decimals_for",
    "format_interval",
    "format_percent",
    "format_value",
    "forget_numbers",
    "is_judged",
    "judgement",
    "method_label",
    "period_phrase",
    "polarity_text",
    "remember_for_one_framework",
    "unit_text",
]

#: The trend words.
TREND_WORDS: tuple[str, ...] = ("improving", "similar", "worsening", "not assessed")
#: The comparator words (``higher``/``lower`` for a series without a polarity).
COMPARATOR_WORDS: tuple[str, ...] = ("better", "similar", "worse", "higher", "lower", "not compared")

#: Method codes and their human labels. Each is documented in ``docs/methods.md``.
METHODS: dict[str, str] = {
    "spc-xmr": "SPC: XmR chart (NHS Making Data Count)",
    "fingertips-trend": "Recent-trend test on the latest 5 points (Fingertips)",
    "previous-vs-latest": "Previous vs latest, with a tolerance band",
    "interval-vs-benchmark": "Benchmark against the 95% confidence interval (Fingertips)",
    "tolerance-vs-benchmark": "Value vs benchmark, with a tolerance band (no interval available)",
    "group-rank": "Rank and quartile within the group",
    "none": "Not assessed",
}


def method_label(method: str, *, tolerance: float | None = None, compare_with: str = "previous") -> str:
    """The human label of a method code, with its band where it has one.

    >>> method_label("previous-vs-latest", tolerance=0.02)
    'Previous vs latest, within ±2% is similar'
    >>> method_label("previous-vs-latest", tolerance=0.02, compare_with="same-period-last-year")
    'Same period last year vs latest, within ±2% is similar'
    """
    key = (method, tolerance, compare_with)
    label = _LABELS.get(key)
    if label is None:
        label = _method_label(method, tolerance, compare_with)
        if tolerance != 0 and len(_LABELS) < 10_000:  # a framework asks for the same few labels again and
            _LABELS[key] = label  # again (not a zero band: -0.0 would find 0.0's label, and prints as "-0%")
    return label


_LABELS: dict[tuple[str, float | None, str], str] = {}


def _method_label(method: str, tolerance: float | None, compare_with: str) -> str:
    if method == "previous-vs-latest" and tolerance is not None:
        first = "Same period last year" if compare_with == "same-period-last-year" else "Previous"
        return f"{first} vs latest, within ±{format_percent(tolerance * 100)} is similar"
    if method == "tolerance-vs-benchmark" and tolerance is not None:
        return f"Value vs benchmark, within ±{format_percent(tolerance * 100)} is similar (no interval)"
    return METHODS[method]


_set = object.__setattr__
#: ``values`` not given: a new empty dictionary, as the field's default factory gives
_NO_VALUES: Any = object()


@dataclass(frozen=True, init=False)
class Judgement:
    """One judgement: the word, its RAG letter, the method, the reason (with numbers) and why that method.

    ``values`` keeps the numbers behind the reason (for charts, exports and tests).
    """

    word: str
    rag: str | None
    method: str
    method_label: str
    reason: str
    why: str
    values: dict[str, Any] = field(default_factory=dict)

    def __init__(
        self,
        word: str,
        rag: str | None,
        method: str,
        method_label: str,
        reason: str,
        why: str,
        values: dict[str, Any] = _NO_VALUES,
    ) -> None:
        # the frozen dataclass's own __init__, its fields written in one step (a framework makes one per
        # series; seven object.__setattr__ calls cost more); ComparatorJudgement keeps the generated one
        _set(self, "__dict__", {
            "word": word, "rag": rag, "method": method, "method_label": method_label, "reason": reason,
            "why": why, "values": {} if values is _NO_VALUES else values,
        })

    @property
    def assessed(self) -> bool:
        """Whether a judgement was made (not "not assessed" / "not compared")."""
        return self.word not in ("not assessed", "not compared")


@dataclass(frozen=True)
class ComparatorJudgement(Judgement):
    """A judgement against one comparator, with the benchmark used.

    ``value`` is the benchmark figure (for a group, the group median), ``period`` its period,
    ``home_value`` the home figure compared with it. For a group, ``rank`` (1 = best by polarity),
    ``of`` (areas ranked, the home area included), ``quartile`` (1 = best quarter) and ``median``.
    ``level`` is 0.998 or 0.95 for a difference found by interval, ``None`` otherwise.
    """

    name: str | None = None
    area: str = ""
    kind: str = "benchmark"
    period: Period | None = None
    value: float | None = None
    home_value: float | None = None
    level: float | None = None
    rank: int | None = None
    of: int | None = None
    quartile: int | None = None
    median: float | None = None
    rank_lower: int | None = None  # the rank's 95% interval (group only), best rank first
    rank_upper: int | None = None

    @property
    def rank_text(self) -> str:
        """'4th of 11 (could be 2nd–7th)', '4th of 11' without an interval, '' when not ranked."""
        if self.rank is None or self.of is None:
            return ""
        if self.rank_lower is None or self.rank_upper is None:
            return f"{ordinal(self.rank)} of {self.of}"
        return RankInterval(self.rank, self.of, self.rank_lower, self.rank_upper).text()

    def to_dict(self) -> dict[str, Any]:
        """The comparator record of ``outcomes judge --json``, the exports and the API.

        Every record has ``name``, ``kind`` (benchmark or group), ``area``, ``period``, ``value`` (the
        benchmark figure, or a group's median), ``home_value``, ``judgement``, ``rag``, ``method``,
        ``method_label`` and ``reason``; a group's also ``rank``, ``of``, ``quartile``, ``median`` and
        ``rank_interval`` (``[best, worst]`` rank the area could plausibly hold, 95%; ``None`` when the
        figures have no confidence intervals).
        """
        record: dict[str, Any] = {
            "name": self.name,
            "kind": self.kind,
            "area": self.area or None,
            "period": str(self.period) if self.period is not None else None,
            "value": self.value,
            "home_value": self.home_value,
            "judgement": self.word,
            "rag": self.rag,
            "method": self.method,
            "method_label": self.method_label,
            "reason": self.reason,
        }
        if self.kind == "group":
            interval = [self.rank_lower, self.rank_upper] if self.rank_lower is not None else None
            record.update(rank=self.rank, of=self.of, quartile=self.quartile, median=self.median,
                          rank_interval=interval, rank_text=self.rank_text)
        return record


def judgement(
    word: str, rag: str | None, method: str, method_label: str, reason: str, why: str, values: dict[str, Any]
) -> Judgement:
    """``Judgement(word, rag, method, method_label, reason, why, values)``, the same object (equal, the
    same ``vars()``, pickled the same), made without the class call: for the trend sentences, which
    make one for every series."""
    made = _new(Judgement)
    _set(made, "__dict__", {
        "word": word, "rag": rag, "method": method, "method_label": method_label, "reason": reason,
        "why": why, "values": values,
    })
    return made


_new = object.__new__


# --------------------------------------------------------------------------------------------------
# Polarity


#: The polarities that allow a judgement (a ``Polarity`` equals and hashes as its text, so the texts
#: are found too).
_JUDGED = frozenset((Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER))
_POLARITY_TEXTS: dict[Polarity | str | None, str] = {
    Polarity.HIGHER_IS_BETTER: "higher is better",
    Polarity.LOWER_IS_BETTER: "lower is better",
    Polarity.NO_JUDGEMENT: "the polarity is 'no judgement', so neither direction is better",
}
_NO_POLARITY_TEXT = "no polarity is declared, so neither direction is taken as better"


def is_judged(polarity: Polarity | str | None) -> bool:
    """Whether a polarity allows a judgement (higher or lower is better).

    >>> is_judged(Polarity.LOWER_IS_BETTER), is_judged("higher-is-better"), is_judged("no-judgement"), is_judged(None)
    (True, True, False, False)
    """
    return polarity in _JUDGED


def polarity_text(polarity: Polarity | str | None) -> str:
    """'higher is better', 'lower is better', or why there is no judgement.

    >>> polarity_text("lower-is-better"), polarity_text(None)
    ('lower is better', 'no polarity is declared, so neither direction is taken as better')
    """
    return _POLARITY_TEXTS.get(polarity, _NO_POLARITY_TEXT)


def _good_direction(polarity: Polarity | str | None) -> int:
    if polarity == Polarity.HIGHER_IS_BETTER:
        return 1
    if polarity == Polarity.LOWER_IS_BETTER:
        return -1
    return 0


# --------------------------------------------------------------------------------------------------
# Tolerance bands


def relative_change(reference: float, value: float) -> float:
    """``(value − reference) / |reference|``; ±inf from zero to non-zero, 0 from zero to zero."""
    if reference == 0:
        return 0.0 if value == 0 else math.copysign(math.inf, value)
    return (value - reference) / abs(reference)


def classify_change(
    previous: float, latest: float, *, tolerance: float, polarity: Polarity | str | None
) -> str:
    """The trend word for a move from ``previous`` to ``latest`` with a relative tolerance band.

    "similar" when ``|latest − previous| <= tolerance × |previous|``; otherwise improving or worsening by
    polarity; "rose"/"fell" when the polarity makes no judgement (a description, not a judgement).

    >>> classify_change(100, 103, tolerance=0.02, polarity="no-judgement")
    'rose'
    >>> classify_change(0, 0, tolerance=0.02, polarity="higher-is-better")
    'similar'
    """
    change = relative_change(previous, latest)
    if abs(change) <= tolerance + 1e-12:
        return "similar"
    sign = 1 if change > 0 else -1
    good = _good_direction(polarity)
    if good == 0:
        return "rose" if sign > 0 else "fell"
    return "improving" if sign == good else "worsening"


def classify_difference(
    value: float, benchmark: float, *, tolerance: float, polarity: Polarity | str | None
) -> str:
    """The comparator word for ``value`` against ``benchmark`` with a relative tolerance band.

    >>> classify_difference(59.4, 53.0, tolerance=0.02, polarity="lower-is-better")
    'worse'
    >>> classify_difference(14.6, 14.6, tolerance=0.02, polarity="lower-is-better")
    'similar'
    >>> classify_difference(11, 10, tolerance=0.02, polarity=None)
    'higher'
    """
    change = relative_change(benchmark, value)
    if abs(change) <= tolerance + 1e-12:
        return "similar"
    sign = 1 if change > 0 else -1
    good = _good_direction(polarity)
    if good == 0:
        return "higher" if sign > 0 else "lower"
    return "better" if sign == good else "worse"


# --------------------------------------------------------------------------------------------------
# Numbers in sentences


def decimals_for(*values: float | None, cap: int = 3) -> int:
    """The decimals needed to print every value as given (at most ``cap``).

    >>> decimals_for(59.4, 53.0), decimals_for(3553, 3766), decimals_for(33.33, 28.7)
    (1, 0, 2)
    """
    if cap == 3:  # the sentences' case: each value's decimals are worked out once, then remembered
        known = KNOWN_DECIMALS
        most = 0
        for v in values:
            d = known.get(v)
            if d is None:
                d = _decimals_of(v, 3)
                if v == v and len(known) < _KNOWN_DECIMALS_KEPT:  # not NaN: NaN never finds itself again
                    known[v] = d
            if d > most:
                most = d
        return most
    return max((_decimals_of(v, cap) for v in values), default=0)


#: Decimals already worked out (``cap`` 3), by value: a framework repeats its values sentence after
#: sentence (latest, previous, benchmark, limits). Bounded, so a long-running process cannot grow it
#: without end; beyond the bound a value is simply worked out each time. The trend and comparator
#: sentences read it directly before calling :func:`decimals_for` (one call fewer per known value).
KNOWN_DECIMALS: dict[float | None, int] = {}
_KNOWN_DECIMALS_KEPT = 200_000


def _decimals_of(v: float | None, cap: int) -> int:
    """The decimals one value needs (at most ``cap``): 0 for None, NaN, ±inf and whole numbers."""
    if v is None or not math.isfinite(v):
        return 0
    if v == int(v) and abs(v) < 1e12:  # a whole number (scaled exactly): no decimals
        return 0
    scale = 10**cap
    frac = round(abs(v) * scale) % scale  # the decimals, as a whole number of 10^-cap
    if not frac:
        return 0
    digits = cap
    while frac % 10 == 0:
        frac //= 10
        digits -= 1
    return digits


def _number(value: float, decimals: int) -> str:
    return f"{value:,.{decimals}f}"


def _unit_parts(unit: Unit) -> tuple[int | None, str, str]:
    """A unit's fixed decimals (or None) and the text before and after a number, worked out once per
    unit (kept on the unit outside its fields, as ``Period`` keeps its label: a unit never changes)."""
    try:
        return unit.__dict__["_parts"]  # type: ignore[no-any-return]
    except KeyError:
        pass
    if unit.type == "percentage":
        parts: tuple[int | None, str, str] = (unit.decimals, "", "%")
    elif unit.type == "currency":
        parts = (unit.decimals, unit.currency, "")
    elif unit.type == "rate" and unit.per:
        parts = (unit.decimals, "", f" per {unit.per:,}")
    else:
        parts = (unit.decimals, "", "")
    object.__setattr__(unit, "_parts", parts)
    return parts


def format_value(unit: Unit, value: float | None, decimals: int | None = None) -> str:
    """A value with its unit, for a sentence: '59.4 per 10,000', '7.3%', '3,766', '£12.50'.

    >>> format_value(Unit("rate", per=10_000), 53, 1), format_value(Unit("percentage"), 7.3)
    ('53.0 per 10,000', '7.3%')
    """
    if value is None or not math.isfinite(value):
        return "no value"
    d, before, after = _unit_parts(unit)
    if d is None:
        d = decimals if decimals is not None else decimals_for(value)
    key = (value, d, before, after)
    text = _TEXTS.get(key)
    if text is None:
        text = f"{before}{value:,.{d}f}{after}"
        if value and len(_TEXTS) < _TEXTS_KEPT:  # (not 0: -0.0 would find 0.0's text, and prints "-0")
            _TEXTS[key] = text
    return text


def forget_numbers() -> None:
    """Empty the remembered decimals and texts of values (each framework's judging starts afresh, so
    what one judgement remembers never flatters the time of the next)."""
    KNOWN_DECIMALS.clear()
    _TEXTS.clear()
    _PERCENTS.clear()
    for remembered in _FOR_ONE_FRAMEWORK:
        remembered.clear()


#: what the sentence writers remember for one framework (their templates), emptied with the numbers
_FOR_ONE_FRAMEWORK: list[dict[Any, Any]] = []


def remember_for_one_framework(remembered: dict[Any, Any]) -> None:
    """Have :func:`forget_numbers` empty ``remembered`` too (a sentence writer's remembered templates)."""
    _FOR_ONE_FRAMEWORK.append(remembered)


#: Values already written, by value, decimals and unit text: a sentence repeats the figures of the
#: sentence before (latest, previous, benchmark). Bounded like ``KNOWN_DECIMALS``.
_TEXTS: dict[tuple[float, int, str, str], str] = {}
_TEXTS_KEPT = 200_000


def format_interval(unit: Unit, lower: float, upper: float, decimals: int | None = None) -> str:
    """An interval for a sentence: '55.1–63.9', '6.8–7.9%'.

    >>> format_interval(Unit("percentage"), 6.81, 7.86, 1)
    '6.8–7.9%'
    """
    d = unit.decimals if unit.decimals is not None else decimals
    if d is None:
        d = max(decimals_for(lower, upper), 1)
    text = f"{_number(lower, d)}–{_number(upper, d)}"
    if unit.type == "percentage":
        return f"{text}%"
    return text


def format_percent(percent: float) -> str:
    """A percentage with at most one decimal: '2%', '43.9%', '0.2%'.

    >>> format_percent(2.0), format_percent(43.8974), format_percent(0.17)
    ('2%', '43.9%', '0.2%')
    """
    text = _PERCENTS.get(percent)
    if text is not None:
        return text
    if not math.isfinite(percent):
        return "an unbounded amount"
    text = f"{percent:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    text = f"{text}%"
    if percent and len(_PERCENTS) < 10_000:  # tolerances and shares repeat: each is written once
        _PERCENTS[percent] = text  # (not 0: -0.0 finds 0.0, and prints as "-0%")
    return text


_PERCENTS: dict[float, str] = {}


def unit_text(unit: Unit) -> str:
    """The unit as text for exports: 'per 10,000', '%', 'count', '£'.

    >>> unit_text(Unit("rate", per=10_000)), unit_text(Unit("percentage")), unit_text(Unit("count"))
    ('per 10,000', '%', 'count')
    """
    return unit.label or unit.type


def period_phrase(period: Period | None, preposition: str = "in") -> str:
    """A period after a preposition: 'in 2016-17', 'in the 12 months to March 2017', 'on 31 March 2018'.

    >>> period_phrase(Period.parse("12 months to March 2017"))
    'in the 12 months to March 2017'
    >>> period_phrase(Period.parse("2018-03-31")), period_phrase(Period.parse("2018-03-31"), "for")
    ('on 31 March 2018', 'for 31 March 2018')
    """
    if period is None:
        return f"{preposition} an unstated period"
    try:  # each period's phrases are written once (kept outside its fields, as its label is)
        phrases: dict[str, str] = period.__dict__["_phrases"]
    except KeyError:
        phrases = {}
        object.__setattr__(period, "_phrases", phrases)
    text = phrases.get(preposition)
    if text is None:
        kind = period.kind
        if kind is PeriodKind.DATE and preposition == "in":
            text = "on " + str(period)
        elif kind is PeriodKind.ROLLING:
            text = f"{preposition} the {period!s}"
        else:
            text = f"{preposition} {period!s}"
        phrases[preposition] = text
    return text
