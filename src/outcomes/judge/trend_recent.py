"""The recent-trend test judgement (``fingertips-trend``): the Fingertips test over the latest five
annual points, with counts and denominators or 95% limits.

In two steps, so that :func:`.trend.judge_trends` can compute the markers of many series in one
vectorised call: :func:`_trend_window` says what the test needs (a
:class:`~outcomes.stats.kernels.TrendWindow`) or why it does not apply; :func:`_recent_trend_words`
words the judgement once the marker is known.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from outcomes.model import Observation, Period, Polarity, Series, Unit
from outcomes.stats import TREND_CRITICAL_CHI2, TrendMarker
from outcomes.stats.kernels import TrendWindow

from .intervals import SeriesIntervals
from .method import (
    Judgement,
    judgement,
    method_label,
    polarity_text,
)
from .settings import JudgementSettings
from .trend_common import GROUPED, PRINTF, _f, decimals_of, in_period, unit_affixes

# --------------------------------------------------------------------------------------------------
# The recent-trend test

_isfinite = math.isfinite
_PERIOD = attrgetter("period")
_NUMERATOR = attrgetter("numerator")
_DENOMINATOR = attrgetter("denominator")
_TREND_LABEL = method_label("fingertips-trend")
_CRITICAL = f"{TREND_CRITICAL_CHI2:.2f}"
_NOT_ABOVE = f"chi-squared %.1f, not above {_CRITICAL}"


def _trend_window(
    series: Series,
    annual: list[Observation],
    rows: Sequence[int],
    intervals: SeriesIntervals | None,
    settings: JudgementSettings,
    periods: tuple[Period, ...] | None = None,
) -> tuple[TrendWindow | None, str]:
    """The window of the recent-trend test over the ``annual`` points (``rows``: their indices in
    ``series.observations``) and its basis ("counts and denominators", "95% confidence limits"...),
    or ``(None, why not)`` when the test does not apply. ``periods``: those of the latest five
    points, when the caller has them (a tuple shared by the series with the same periods)."""
    n = len(annual)
    if n < settings.trend_min_points:
        bare = _has_counts_or_limits(annual, rows, intervals)
        key = (n, bare, settings.trend_min_points)
        why_not = _TOO_FEW.get(key)
        if why_not is None:
            why_not = (
                f"only {n} annual points{'' if bare else ' without counts or confidence limits'}: "
                f"the recent-trend test needs {key[2]}"
            )
            if len(_TOO_FEW) < 1024:
                _TOO_FEW[key] = why_not
        return None, why_not
    latest5 = annual[-5:]
    if periods is None:
        periods = tuple(map(_PERIOD, latest5))
    if series.unit.type == "percentage":
        # (a comprehension reads a slotted field quicker than map; float | None, read as any)
        counts: list[Any] = [o.numerator for o in latest5]
        denominators: list[Any] = [o.denominator for o in latest5]
        if None not in counts and None not in denominators:
            # the counts as given: the kernel reads them as float64, as float() would
            return TrendWindow(periods, counts, denominators), "counts and denominators"
    if intervals is not None:
        last5 = rows[-5:]
        # the usual rows are a range: read as a slice, not as a list of indices
        index = slice(last5.start, last5.stop) if type(last5) is range and last5.step == 1 else list(last5)
        lower = intervals.lower95[index].tolist()
        upper = intervals.upper95[index].tolist()
        if all(map(_isfinite, lower)) and all(map(_isfinite, upper)):  # every limit finite
            window = TrendWindow(periods, values=[_f(o.value) for o in latest5], lower95=lower, upper95=upper)
            # every source "given": one source code for them all, and the first one's is "given"
            codes = intervals.sources[index].tolist()
            given = not codes or (codes.count(codes[0]) == len(codes) and intervals.source(last5[0]) == "given")
            return window, "published 95% confidence limits" if given else "95% confidence limits"
    return None, (
        f"{n} annual points without counts and denominators or confidence limits for the latest 5: "
        "the recent-trend test needs them"
    )


#: (annual points, whether they have counts or limits, trend_min_points) -> why the test does not apply
_TOO_FEW: dict[tuple[int, bool, int], str] = {}


def _recent_trend_words(
    series: Series,
    n: int,
    latest5: list[Observation],
    marker: TrendMarker,
    basis: str,
    settings: JudgementSettings,
    decimals: int | None = None,
    phrases: dict[Any, Any] | None = None,
    periods: tuple[Period, ...] | None = None,
) -> Judgement:
    """The judgement and its sentences once the recent-trend marker is known (``decimals``: those the
    five values need, when the caller has worked them out). ``phrases`` remembers the words of each
    tuple of window ``periods`` (those of ``latest5``), by its identity: its periods as text, and the
    first and last in a phrase ('in 2016-17'); so only for tuples that stay alive while it is used.

    The usual judgement (the window's periods and ``phrases`` given, its decimals known, both figures
    present and between -999 and 999) is written from a printf template made once per kind of sentence
    and kept in ``phrases`` for the call (:func:`_templates`); anything else, and every judgement when
    :data:`_TEMPLATES` is off, by :func:`_recent_trend_words_plain`, the reference."""
    a, b = latest5[0].value, latest5[-1].value
    if (
        periods is None or decimals is None or phrases is None or a is None or b is None
        or not (-999.0 < a < 999.0 and -999.0 < b < 999.0) or not _TEMPLATES
    ):
        return _recent_trend_words_plain(series, n, latest5, marker, basis, settings, decimals, phrases, periods)
    unit, polarity, found, method = series.unit, series.polarity, marker.marker, marker.method
    key = (id(periods), id(unit), polarity, decimals, found, n, basis, method)
    made = phrases.get(key)
    if made is None:
        made = _templates(key, periods, unit, latest5, settings, phrases)
    chi2 = marker.chi2
    if made[2] != "similar" or (_isfinite(chi2) and chi2 <= TREND_CRITICAL_CHI2):
        reason = made[0] % (a, b, chi2)
    else:  # no significant change, the chi-squared not printed: the marker's reason instead
        reason = made[1] % (a, b, marker.reason)
    values = {"marker": found, "chi2": chi2, "slope": marker.slope, "periods": made[3]}
    return judgement(made[2], made[5], "fingertips-trend", _TREND_LABEL, reason, made[4], values)


#: whether the usual recent-trend judgement is written from its template (a test turns it off to compare
#: the two ways)
_TEMPLATES = True


def _templates(
    key: tuple[int, int, object, int, str, int, str, str], periods: tuple[Period, ...], unit: Unit,
    latest5: list[Observation], settings: JudgementSettings, phrases: dict[Any, Any],
) -> _Made:
    """The entry of a kind of recent-trend sentence (``key``: the ids of the window's periods and the unit,
    the polarity, the decimals, the marker, the number of annual points, the basis and the test's method),
    made and kept in ``phrases`` for the call (whose periods, unit and settings stay the same while it
    lasts): the reason's printf template taking the first and last figures and the chi-squared, the
    template taking the marker's reason instead (no significant change, chi-squared not printed), the
    word, the periods as text, the why and the RAG letter."""
    _, _, polarity, d, found, n, basis, method = key
    known = phrases.get(id(periods))
    if known is None:
        known = phrases[id(periods)] = ([str(p) for p in periods], in_period(periods[0]), in_period(periods[-1]))
    texts, in_first, in_last = known
    fixed, prefix, suffix = unit_affixes(unit)
    number = f"{_escape(prefix)}%.{d if fixed is None else fixed}f{_escape(suffix)}"
    window = f"the latest 5 points, {number} {_escape(in_first)} to {number} {_escape(in_last)}"
    if found == "increasing" or found == "decreasing":
        increasing = found == "increasing"
        good = increasing == (polarity == Polarity.HIGHER_IS_BETTER)
        word = "improving" if good else "worsening"
        template = (
            f"{'Improving' if good else 'Worsening'}: the recent-trend test over {window}, finds a "
            f"significant {'increase' if increasing else 'decrease'} "
            f"(chi-squared %.1f above {_CRITICAL}, and the slope keeps its sign when "
            f"each point is left out); {_escape(polarity_text(polarity))}."  # type: ignore[arg-type]
        )
        other = template
    else:
        word = "similar"
        template = f"Similar: the recent-trend test over {window}, finds no significant change ({_NOT_ABOVE})."
        other = f"Similar: the recent-trend test over {window}, finds no significant change (%s)."
    why_key = (n, basis, settings.trend_min_points, method)
    why = _WHYS.get(why_key) or _why(why_key)
    made = (template, other, word, texts, why, settings.rag.get(word))
    phrases[key] = made
    return made


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def _why(key: tuple[int, str, int, str]) -> str:
    why = (
        f"{key[0]} annual points with {key[1]} (at least {key[2]} needed): the Fingertips "
        f"recent-trend test is used ({key[3]})."
    )
    if len(_WHYS) < 256:
        _WHYS[key] = why
    return why


#: a kind of recent-trend sentence (:func:`_templates`): two templates, the word, the periods as text,
#: the why, the RAG letter
_Made = tuple[str, str, str, list[str], str, str | None]


def _recent_trend_words_plain(
    series: Series,
    n: int,
    latest5: list[Observation],
    marker: TrendMarker,
    basis: str,
    settings: JudgementSettings,
    decimals: int | None = None,
    phrases: dict[int, tuple[list[str], str, str]] | None = None,
    periods: tuple[Period, ...] | None = None,
) -> Judgement:
    """The judgement and its sentences once the recent-trend marker is known (``decimals``: those the
    five values need, when the caller has worked them out). ``phrases`` remembers the words of each
    tuple of window ``periods`` (those of ``latest5``), by its identity: its periods as text, and the
    first and last in a phrase ('in 2016-17'); so only for tuples that stay alive while it is used."""
    fixed, prefix, suffix = unit_affixes(series.unit)
    d = decimals_of([o.value for o in latest5]) if decimals is None else decimals
    if fixed is not None:
        d = fixed
    first, last = latest5[0], latest5[-1]
    known = phrases.get(id(periods)) if phrases is not None and periods is not None else None
    if known is None:
        known = ([str(o.period) for o in latest5], in_period(first.period), in_period(last.period))
        if phrases is not None and periods is not None:
            phrases[id(periods)] = known
    texts, in_first, in_last = known
    a, b = first.value, last.value
    # fmt(affixes, value, d), inlined
    # (a figure that cannot reach 1,000 printed by printf: no separator to place, rounded the same way)
    spec, pf = GROUPED[d], PRINTF[d]
    a_text = (
        "no value" if a is None else f"{prefix}{pf % a}{suffix}" if -999.0 < a < 999.0
        else f"{prefix}{a:{spec}}{suffix}" if _isfinite(a) else "no value"
    )
    b_text = (
        "no value" if b is None else f"{prefix}{pf % b}{suffix}" if -999.0 < b < 999.0
        else f"{prefix}{b:{spec}}{suffix}" if _isfinite(b) else "no value"
    )
    window = f"the latest 5 points, {a_text} {in_first} to {b_text} {in_last}"
    found = marker.marker
    if found == "increasing" or found == "decreasing":
        increasing = found == "increasing"
        good = increasing == (series.polarity == Polarity.HIGHER_IS_BETTER)
        word = "improving" if good else "worsening"
        reason = (
            f"{'Improving' if good else 'Worsening'}: the recent-trend test over {window}, finds a "
            f"significant {'increase' if increasing else 'decrease'} "
            f"(chi-squared {marker.chi2:.1f} above {_CRITICAL}, "
            "and the slope keeps its sign when "
            f"each point is left out); {polarity_text(series.polarity)}."
        )
    else:
        word = "similar"
        detail = marker.reason
        if _isfinite(marker.chi2) and marker.chi2 <= TREND_CRITICAL_CHI2:
            detail = f"chi-squared {marker.chi2:.1f}, not above {_CRITICAL}"
        reason = f"Similar: the recent-trend test over {window}, finds no significant change ({detail})."
    # the why depends on four small things only: written once for each combination
    key = (n, basis, settings.trend_min_points, marker.method)
    why = _WHYS.get(key)
    if why is None:
        why = (
            f"{n} annual points with {basis} (at least {key[2]} needed): the Fingertips "
            f"recent-trend test is used ({key[3]})."
        )
        if len(_WHYS) < 256:
            _WHYS[key] = why
    values = {
        "marker": found,
        "chi2": marker.chi2,
        "slope": marker.slope,
        "periods": texts,  # one list shared by the judgements of a window's periods (nothing mutates it)
    }
    return judgement(word, settings.rag.get(word), "fingertips-trend", _TREND_LABEL, reason, why, values)  # rag_for


#: (annual points, basis, trend_min_points, the marker's method) -> the why of a recent-trend judgement
_WHYS: dict[tuple[int, str, int, str], str] = {}


def _has_counts_or_limits(
    points: list[Observation], rows: Sequence[int], intervals: SeriesIntervals | None
) -> bool:
    if None not in map(_NUMERATOR, points) and None not in map(_DENOMINATOR, points):
        return True  # every point has its count and denominator
    if intervals is None:
        return False
    return all(map(intervals.has, rows))  # (no generator; each row read where it is, no arrays cut)
