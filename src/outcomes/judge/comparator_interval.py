"""Interval comparisons (``interval-vs-benchmark``): judged by ``compare_with_benchmark_array``'s rule,
then worded (:func:`_worded`: each sentence filled in one f-string from the unit's prepared formats,
the RAG letters looked up once per word). The comparisons the general planner gathers are settled in
one vectorised call (:func:`_settle`); ``judge_comparators`` judges the usual series' one comparison
where it finds it, by the rule's scalar form (:func:`_interval_code`, tested against the vectorised
call)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import chain
from math import isfinite as _isfinite
from operator import itemgetter

import numpy as np

from outcomes.model import Comparator, Period, Polarity, Series
from outcomes.stats import compare_with_benchmark_array
from outcomes.stats.compare import BETTER, HIGHER, JUDGEMENTS, LOWER, NOT_COMPARED, SIMILAR, WORSE

from .comparator_common import (
    _PHRASES,
    _PLAIN,
    PendingComparison,
    _judgement,
    _not_compared,
    _number,
    _printed,
    _unit_texts,
    _Waiting,
)
from .intervals import INTERVAL_SOURCES
from .method import (
    KNOWN_DECIMALS,
    METHODS,
    ComparatorJudgement,
    decimals_for,
    polarity_text,
)
from .settings import JudgementSettings

# --------------------------------------------------------------------------------------------------
# Settling: every interval comparison of a framework in one vectorised call


def settle_comparisons(
    pending: Sequence[PendingComparison], settings: JudgementSettings
) -> list[ComparatorJudgement]:
    """Judge every pending interval comparison with one ``compare_with_benchmark_array`` call."""
    return _settle(
        [
            (_NOWHERE, 0, p.series, p.comparator, p.name, p.period, p.source,
             p.value, p.benchmark, p.lower95, p.upper95, p.lower998, p.upper998)  # fmt: skip
            for p in pending
        ],
        settings,
    )


_NOWHERE: list[object] = []
_FIGURES = itemgetter(7, 8, 9, 10, 11, 12)  # value, benchmark and the four limits of a _Waiting
#: the polarity as ``compare_with_benchmark_array`` takes it ("no-judgement" for any other)
_POLARITY_TEXT: dict[object, str] = {p: str(p) for p in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)}


def _settle(
    pending: Sequence[_Waiting],
    settings: JudgementSettings,
    printed: dict[int, dict[float, str]] | None = None,
) -> list[ComparatorJudgement]:
    """The judgements of the gathered interval comparisons, in order, from one vectorised call; each
    sentence then filled in one loop, its figures printed with the unit's prepared formats (``_figure``
    and ``_number`` inlined: a figure that cannot reach 1,000 has no thousands separator to place)."""
    if not pending:
        return []
    polarity_text_of = _POLARITY_TEXT.get
    polarity = np.array([polarity_text_of(p[2].polarity, "no-judgement") for p in pending], dtype=object)
    # the six figures of every comparison in one flat array (no tuple of tuples for numpy to inspect)
    columns = np.fromiter(chain.from_iterable(map(_FIGURES, pending)), np.float64, 6 * len(pending))
    columns = columns.reshape(len(pending), 6).T
    result = compare_with_benchmark_array(
        columns[0],
        columns[1],
        lower95=columns[2],
        upper95=columns[3],
        lower998=columns[4],
        upper998=columns[5],
        polarity=polarity,
    )
    rags = {word: settings.rag_for(word, comparator=True) for word in _PHRASES}
    if printed is None:
        printed = _printed()
    return [
        _worded(
            series, comp, name, period, source, value, benchmark, lower95, upper95, lower998, upper998,
            code, level, rags, printed,
        )
        for (_, _, series, comp, name, period, source, value, benchmark, lower95, upper95, lower998, upper998),
        code, level in zip(pending, result.codes.tolist(), result.levels.tolist(), strict=True)
    ]  # fmt: skip


def _interval_code(
    value: float,
    benchmark: float,
    lower95: float,
    upper95: float,
    lower998: float,
    upper998: float,
    polarity: object,
) -> tuple[int, float]:
    """One comparison's code and level, by the rule of ``compare_with_benchmark_array`` (its scalar
    form, for the usual series judged one at a time: a test compares the two on random and edge-case
    figures). The level is NaN where there is no difference."""
    if not (_isfinite(value) and _isfinite(benchmark) and _isfinite(lower95) and _isfinite(upper95)):
        return NOT_COMPARED, _NAN
    if lower95 > benchmark:
        direction = 1
    elif upper95 < benchmark:
        direction = -1
    else:
        return SIMILAR, _NAN
    up, down = _CODES.get(polarity, _UNJUDGED)
    # (a NaN 99.8% limit compares false both ways: no direction, so the difference holds at 95% only)
    held = 1 if lower998 > benchmark else -1 if upper998 < benchmark else 0
    return (up if direction > 0 else down), (0.998 if held == direction else 0.95)


_NAN = float("nan")
#: the codes of a difference above and below the benchmark, by polarity (as compare_with_benchmark_array)
_CODES: dict[object, tuple[int, int]] = {
    Polarity.HIGHER_IS_BETTER: (BETTER, WORSE),
    Polarity.LOWER_IS_BETTER: (WORSE, BETTER),
}
_UNJUDGED = (HIGHER, LOWER)


def _worded(
    series: Series,
    comp: Comparator,
    name: str,
    period: Period | None,
    source: str,
    value: float,
    benchmark: float,
    lower95: float,
    upper95: float,
    lower998: float,
    upper998: float,
    code: int,
    level: float,
    rags: Mapping[str, str | None],
    printed: dict[int, dict[float, str]],
) -> ComparatorJudgement:
    """An interval comparison's judgement from its code and level: the sentence filled in one f-string,
    its figures printed with the unit's prepared formats (``_figure`` and ``_number`` inlined: a figure
    that cannot reach 1,000 has no thousands separator to place)."""
    if code == NOT_COMPARED:  # cannot happen with finite inputs; kept for safety
        return _not_compared(
            comp, name, "Not compared: the value, benchmark or interval is missing.", "", period, benchmark
        )
    word = JUDGEMENTS[code]
    texts = _unit_texts(series.unit)
    d = texts.decimals
    if d is None:  # _decimals(value, benchmark), from decimals_for's cache when it knows them
        d = _KNOWN.get(value)
        if d is None:
            d = decimals_for(value)
        db = _KNOWN.get(benchmark)
        if db is None:
            db = decimals_for(benchmark)
        if db > d:
            d = db
        di = d if d > 1 else 1
    else:
        di = d
    spec = _PLAIN.get(d)
    if spec is not None and -999.0 < value < 999.0 and -999.0 < benchmark < 999.0:
        # printf, each figure's text remembered for the call (figures repeat; see _printed)
        seen = printed[d]
        shown = seen.get(value)
        if shown is None:
            shown = spec % value
            if value:
                seen[value] = shown
        against = seen.get(benchmark)
        if against is None:
            against = spec % benchmark
            if benchmark:
                seen[benchmark] = against
    else:
        shown, against = _number(value, d), _number(benchmark, d)
    spec = _INTERVAL.get(di)
    if spec is not None and -999.0 < lower95 < 999.0 and -999.0 < upper95 < 999.0:
        interval = spec % (lower95, upper95, texts.interval_suffix)
    else:
        interval = f"{_number(lower95, di)}–{_number(upper95, di)}{texts.interval_suffix}"
    head = (
        f"{_PHRASES[word]} {name}: {texts.prefix}{shown}{texts.suffix} against "
        f"{texts.bare_prefix}{against}{texts.bare_suffix}"
    )
    has998 = _isfinite(lower998) and _isfinite(upper998)
    level_out: float | None
    if code == SIMILAR:
        reason = f"{head}; the 95% interval {interval} includes it."
        level_out = None
    else:
        if has998:
            if spec is not None and -999.0 < lower998 < 999.0 and -999.0 < upper998 < 999.0:
                interval998 = spec % (lower998, upper998, texts.interval_suffix)
            else:
                interval998 = f"{_number(lower998, di)}–{_number(upper998, di)}{texts.interval_suffix}"
            if level == 0.998:
                reason = (
                    f"{head}; the 95% interval {interval} excludes it, and so does the 99.8% interval "
                    f"{interval998}."
                )
            else:
                reason = (
                    f"{head}; the 95% interval {interval} excludes it (the 99.8% interval {interval998} "
                    "includes it, so the difference holds at 95% only)."
                )
        else:
            reason = f"{head}; the 95% interval {interval} excludes it."
        level_out = level if _isfinite(level) else None
    polarity_of = series.polarity
    if polarity_of in _JUDGED:
        rag = rags[word]
    else:
        rag = None
        reason += f" Not judged better or worse: {polarity_text(polarity_of)}."
    why = _WHY.get(source)
    if why is None:
        why = (
            f"The latest value has a 95% confidence interval ({INTERVAL_SOURCES.get(source, source)}), "
            "so the benchmark is judged against it, as Fingertips does: inside the interval is similar."
        )
    values = {
        "value": value,
        "benchmark": benchmark,
        "lower95": lower95,
        "upper95": upper95,
        "lower998": lower998 if has998 else None,
        "upper998": upper998 if has998 else None,
        "interval_source": source,
    }
    return _judgement(
        word, rag, _METHOD, _LABEL, reason, why, values,
        name, comp.area, comp.kind, period, benchmark, value, level_out,
    )


_KNOWN = KNOWN_DECIMALS  # decimals_for's cache: value -> the decimals it needs alone


#: printf formats of an interval whose limits cannot reach 1,000, by decimals (then the unit's suffix)
_INTERVAL = {d: f"%.{d}f–%.{d}f%s" for d in range(10)}


_JUDGED = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)
_METHOD = "interval-vs-benchmark"
_LABEL = METHODS[_METHOD]
_WHY = {
    source: (
        f"The latest value has a 95% confidence interval ({INTERVAL_SOURCES.get(source, source)}), "
        "so the benchmark is judged against it, as Fingertips does: inside the interval is similar."
    )
    for source in INTERVAL_SOURCES
}
