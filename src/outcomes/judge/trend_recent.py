"""The recent-trend test judgement (``fingertips-trend``): the Fingertips test over the latest five
annual points, with counts and denominators or 95% limits."""

from __future__ import annotations

import math
from collections.abc import Generator

from outcomes.model import Observation, Polarity, Series
from outcomes.stats import TREND_CRITICAL_CHI2, TrendMarker
from outcomes.stats.kernels import TrendWindow

from .intervals import SeriesIntervals
from .method import (
    Judgement,
    decimals_for,
    format_value,
    method_label,
    period_phrase,
    polarity_text,
)
from .settings import JudgementSettings
from .trend_common import _f

# --------------------------------------------------------------------------------------------------
# The recent-trend test


def _trend_test(
    series: Series, annual: list[Observation], intervals: SeriesIntervals | None, settings: JudgementSettings
) -> Generator[TrendWindow, TrendMarker, tuple[Judgement | None, TrendMarker | None, str]]:
    """The recent-trend judgement, or (None, marker, why not) when the test does not apply.

    A generator: it yields the window of the recent-trend test and receives its marker (so that many
    series' markers can be computed in one vectorised call, see :func:`judge_trends`).
    """
    n = len(annual)
    if n < settings.trend_min_points:
        bare = (
            "" if _has_counts_or_limits(series, annual, intervals) else " without counts or confidence limits"
        )
        return (
            None,
            None,
            f"only {n} annual points{bare}: the recent-trend test needs {settings.trend_min_points}",
        )
    latest5 = annual[-5:]
    periods = [o.period for o in latest5]
    with_counts = all(o.numerator is not None and o.denominator is not None for o in latest5)
    marker: TrendMarker | None = None
    basis = ""
    if series.unit.type == "percentage" and with_counts:
        marker = yield TrendWindow(
            tuple(periods),
            counts=[_f(o.numerator) for o in latest5],
            denominators=[_f(o.denominator) for o in latest5],
        )
        basis = "counts and denominators"
    elif intervals is not None:
        index = {id(o): i for i, o in enumerate(series.observations)}
        rows = [index[id(o)] for o in latest5]
        if all(intervals.has(i) for i in rows):
            marker = yield TrendWindow(
                tuple(periods),
                values=[_f(o.value) for o in latest5],
                lower95=[float(intervals.lower95[i]) for i in rows],
                upper95=[float(intervals.upper95[i]) for i in rows],
            )
            given = all(intervals.source(i) == "given" for i in rows)
            basis = "published 95% confidence limits" if given else "95% confidence limits"
    if marker is None:
        return (
            None,
            None,
            (
                f"{n} annual points without counts and denominators or confidence limits for the latest 5: "
                "the recent-trend test needs them"
            ),
        )
    if marker.marker == "cannot be calculated":
        return None, marker, f"the recent-trend test could not be calculated ({marker.reason})"

    return _recent_trend_words(series, n, latest5, marker, basis, settings), marker, ""


def _recent_trend_words(
    series: Series,
    n: int,
    latest5: list[Observation],
    marker: TrendMarker,
    basis: str,
    settings: JudgementSettings,
) -> Judgement:
    """The judgement and its sentences once the recent-trend marker is known."""
    periods = [o.period for o in latest5]
    unit = series.unit
    d = decimals_for(*(o.value for o in latest5))
    first, last = latest5[0], latest5[-1]
    window = (
        f"the latest 5 points, {format_value(unit, first.value, d)} {period_phrase(first.period)} to "
        f"{format_value(unit, last.value, d)} {period_phrase(last.period)}"
    )
    if marker.marker in ("increasing", "decreasing"):
        good = (marker.marker == "increasing") == (series.polarity == Polarity.HIGHER_IS_BETTER)
        word = "improving" if good else "worsening"
        change = "increase" if marker.marker == "increasing" else "decrease"
        reason = (
            f"{word.capitalize()}: the recent-trend test over {window}, finds a significant {change} "
            f"(chi-squared {marker.chi2:.1f} above {TREND_CRITICAL_CHI2:.2f}, "
            "and the slope keeps its sign when "
            f"each point is left out); {polarity_text(series.polarity)}."
        )
    else:
        word = "similar"
        detail = marker.reason
        if math.isfinite(marker.chi2) and marker.chi2 <= TREND_CRITICAL_CHI2:
            detail = f"chi-squared {marker.chi2:.1f}, not above {TREND_CRITICAL_CHI2:.2f}"
        reason = f"Similar: the recent-trend test over {window}, finds no significant change ({detail})."
    why = (
        f"{n} annual points with {basis} (at least {settings.trend_min_points} needed): the Fingertips "
        f"recent-trend test is used ({marker.method})."
    )
    values = {
        "marker": marker.marker,
        "chi2": marker.chi2,
        "slope": marker.slope,
        "periods": [str(p) for p in periods],
    }
    method = "fingertips-trend"
    return Judgement(word, settings.rag_for(word), method, method_label(method), reason, why, values)


def _has_counts_or_limits(
    series: Series, points: list[Observation], intervals: SeriesIntervals | None
) -> bool:
    if all(o.numerator is not None and o.denominator is not None for o in points):
        return True
    if intervals is None:
        return False
    index = {id(o): i for i, o in enumerate(series.observations)}
    return all(intervals.has(index[id(o)]) for o in points)
