"""Settling interval comparisons (``interval-vs-benchmark``): every pending comparison of a framework
judged in one vectorised ``compare_with_benchmark_array`` call, then worded."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from outcomes.stats import compare_with_benchmark_array

from .comparator_common import (
    _PHRASES,
    PendingComparison,
    _bare,
    _not_compared,
    _rag,
)
from .intervals import INTERVAL_SOURCES
from .method import (
    ComparatorJudgement,
    decimals_for,
    format_interval,
    format_value,
    is_judged,
    method_label,
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
    polarity = np.array(
        [str(p.series.polarity) if is_judged(p.series.polarity) else "no-judgement" for p in pending],
        dtype=object,
    )
    result = compare_with_benchmark_array(
        np.fromiter((p.value for p in pending), np.float64, len(pending)),
        np.fromiter((p.benchmark for p in pending), np.float64, len(pending)),
        lower95=np.fromiter((p.lower95 for p in pending), np.float64, len(pending)),
        upper95=np.fromiter((p.upper95 for p in pending), np.float64, len(pending)),
        lower998=np.fromiter((p.lower998 for p in pending), np.float64, len(pending)),
        upper998=np.fromiter((p.upper998 for p in pending), np.float64, len(pending)),
        polarity=polarity,
    )
    words = result.judgements.tolist()
    levels = result.levels.tolist()
    return [_interval_judgement(p, w, lv, settings) for p, w, lv in zip(pending, words, levels, strict=True)]


def _interval_judgement(
    p: PendingComparison, word: str, level: float, settings: JudgementSettings
) -> ComparatorJudgement:
    unit = p.series.unit
    polarity = p.series.polarity
    comp = p.comparator
    method = "interval-vs-benchmark"
    if word == "not compared":  # cannot happen with finite inputs; kept for safety
        return _not_compared(
            comp,
            p.name,
            "Not compared: the value, benchmark or interval is missing.",
            "",
            p.period,
            p.benchmark,
        )
    d = decimals_for(p.value, p.benchmark)
    interval = format_interval(unit, p.lower95, p.upper95, max(d, 1))
    head = (
        f"{_PHRASES[word]} {p.name}: {format_value(unit, p.value, d)} against "
        f"{format_value(_bare(unit), p.benchmark, d)}"
    )
    has998 = math.isfinite(p.lower998) and math.isfinite(p.upper998)
    if word == "similar":
        reason = f"{head}; the 95% interval {interval} includes it."
        level_out = None
    else:
        reason = f"{head}; the 95% interval {interval} excludes it"
        if has998:
            interval998 = format_interval(unit, p.lower998, p.upper998, max(d, 1))
            if level == 0.998:
                reason += f", and so does the 99.8% interval {interval998}."
            else:
                reason += (
                    f" (the 99.8% interval {interval998} includes it, so the difference holds at 95% only)."
                )
        else:
            reason += "."
        level_out = level if math.isfinite(level) else None
    if not is_judged(polarity):
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    why = (
        f"The latest value has a 95% confidence interval ({INTERVAL_SOURCES.get(p.source, p.source)}), "
        "so the "
        "benchmark is judged against it, as Fingertips does: inside the interval is similar."
    )
    values = {
        "value": p.value,
        "benchmark": p.benchmark,
        "lower95": p.lower95,
        "upper95": p.upper95,
        "lower998": p.lower998 if has998 else None,
        "upper998": p.upper998 if has998 else None,
        "interval_source": p.source,
    }
    return ComparatorJudgement(
        word,
        _rag(word, polarity, settings),
        method,
        method_label(method),
        reason,
        why,
        values,
        name=p.name,
        area=comp.area,
        kind=comp.kind,
        period=p.period,
        value=p.benchmark,
        home_value=p.value,
        level=level_out,
    )
