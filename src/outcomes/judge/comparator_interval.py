"""Settling interval comparisons (``interval-vs-benchmark``): every pending comparison of a framework
judged in one vectorised ``compare_with_benchmark_array`` call, then worded (each sentence filled in
one f-string from the unit's prepared formats, the RAG letters looked up once per word)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from outcomes.model import Polarity
from outcomes.stats import compare_with_benchmark_array
from outcomes.stats.compare import JUDGEMENTS

from .comparator_common import (
    _PHRASES,
    PendingComparison,
    _decimals,
    _figure,
    _judgement,
    _not_compared,
    _number,
    _rag,
    _unit_texts,
)
from .intervals import INTERVAL_SOURCES
from .method import (
    METHODS,
    ComparatorJudgement,
    polarity_text,
)
from .settings import JudgementSettings

# --------------------------------------------------------------------------------------------------
# Settling: every interval comparison of a framework in one vectorised call


def settle_comparisons(
    pending: Sequence[PendingComparison], settings: JudgementSettings
) -> list[ComparatorJudgement]:
    """Judge every pending interval comparison with one ``compare_with_benchmark_array`` call."""
    if not pending:
        return []
    judged_polarities = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)
    polarity = np.array(
        [str(pol) if (pol := p.series.polarity) in judged_polarities else "no-judgement" for p in pending],
        dtype=object,
    )
    columns = np.array(
        [(p.value, p.benchmark, p.lower95, p.upper95, p.lower998, p.upper998) for p in pending], dtype=np.float64
    ).T
    result = compare_with_benchmark_array(
        columns[0],
        columns[1],
        lower95=columns[2],
        upper95=columns[3],
        lower998=columns[4],
        upper998=columns[5],
        polarity=polarity,
    )
    words = [JUDGEMENTS[c] for c in result.codes.tolist()]
    levels = result.levels.tolist()
    rags = _Rags(settings)
    return [_interval_judgement(p, w, lv, rags) for p, w, lv in zip(pending, words, levels, strict=True)]


class _Rags:
    """The RAG letter of each comparator word, looked up once per settle (``None`` without a polarity)."""

    __slots__ = ("_letters", "_settings")

    def __init__(self, settings: JudgementSettings) -> None:
        self._settings = settings
        self._letters: dict[str, str | None] = {}

    def __call__(self, word: str, polarity: Polarity | None) -> str | None:
        if polarity not in _JUDGED:
            return None
        letter = self._letters.get(word, _UNSET)
        if letter is _UNSET:
            letter = self._letters[word] = _rag(word, polarity, self._settings)
        return letter  # type: ignore[return-value]


_JUDGED = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)
_UNSET = object()
_METHOD = "interval-vs-benchmark"
_LABEL = METHODS[_METHOD]
_WHY = {
    source: (
        f"The latest value has a 95% confidence interval ({INTERVAL_SOURCES.get(source, source)}), "
        "so the benchmark is judged against it, as Fingertips does: inside the interval is similar."
    )
    for source in INTERVAL_SOURCES
}


def _interval_judgement(p: PendingComparison, word: str, level: float, rags: _Rags) -> ComparatorJudgement:
    polarity = p.series.polarity
    comp = p.comparator
    if word == "not compared":  # cannot happen with finite inputs; kept for safety
        return _not_compared(
            comp,
            p.name,
            "Not compared: the value, benchmark or interval is missing.",
            "",
            p.period,
            p.benchmark,
        )
    texts = _unit_texts(p.series.unit)
    value, benchmark = p.value, p.benchmark
    d = _decimals(value, benchmark)
    if texts.decimals is not None:
        d = di = texts.decimals
    else:
        di = d if d > 1 else 1
    lower95, upper95, lower998, upper998 = p.lower95, p.upper95, p.lower998, p.upper998
    interval = f"{_number(lower95, di)}–{_number(upper95, di)}{texts.interval_suffix}"
    head = (
        f"{_PHRASES[word]} {p.name}: {_figure(value, d, texts.prefix, texts.suffix)} against "
        f"{_figure(benchmark, d, texts.bare_prefix, texts.bare_suffix)}"
    )
    has998 = math.isfinite(lower998) and math.isfinite(upper998)
    if word == "similar":
        reason = f"{head}; the 95% interval {interval} includes it."
        level_out = None
    else:
        if has998:
            interval998 = f"{_number(lower998, di)}–{_number(upper998, di)}{texts.interval_suffix}"
            if level == 0.998:
                reason = f"{head}; the 95% interval {interval} excludes it, and so does the 99.8% interval {interval998}."
            else:
                reason = (
                    f"{head}; the 95% interval {interval} excludes it (the 99.8% interval {interval998} includes "
                    "it, so the difference holds at 95% only)."
                )
        else:
            reason = f"{head}; the 95% interval {interval} excludes it."
        level_out = level if math.isfinite(level) else None
    if polarity not in _JUDGED:
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    source = p.source
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
        word, rags(word, polarity), _METHOD, _LABEL, reason, why, values,
        p.name, comp.area, comp.kind, p.period, benchmark, value, level=level_out,
    )
