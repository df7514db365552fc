"""Column-wise steps of the trend path (private), done for many series in one numpy pass each: the
decimals of the recent-trend windows' latest values, and the recent-trend windows of many series on
their latest 95% limits, read from the shared arrays of :func:`~outcomes.judge.intervals.compute_intervals`
(with :func:`fallback`, the previous-vs-latest judgement of a series whose test does not apply)."""

from __future__ import annotations

from typing import Any

import numpy as np

from outcomes.model import Observation, Series
from outcomes.stats import TrendMarker
from outcomes.stats.kernels import TrendWindow, float_rows

from .intervals import _CODES, SeriesIntervals
from .settings import JudgementSettings
from .trend_change import SIGNIFICANCE_METHODS, _method_not_reproduced, _previous_vs_latest
from .trend_common import _f, decimals_of_block
from .trend_recent import _trend_window

_GIVEN = _CODES.index("given")  # the source code of published limits


def window_decimals(latest5: list[list[Any]]) -> list[int | None]:
    """The decimals of each window's latest (up to) five values, all present and finite, as ``decimals_of_rows``
    finds them, in a numpy pass over the windows of each length; None where one is a whole number of 10^12 or
    more (left to ``decimals_for``, which works it out exactly as an int)."""
    lengths = list(map(len, latest5))
    by_length: dict[int, list[int]] = {}
    if min(lengths) != max(lengths):  # (usually every window is five points long: one block of them all)
        for i, length in enumerate(lengths):
            by_length.setdefault(length, []).append(i)
    out: list[int | None] = [None] * len(latest5)
    for members in by_length.values() or [range(len(latest5))]:
        rows = [latest5[i] for i in members] if by_length else latest5
        block = float_rows(rows, len(rows[0]))
        small: list[bool] = np.all((block > -1e12) & (block < 1e12), axis=1).tolist()  # type: ignore[assignment]
        for i, d, ok in zip(members, decimals_of_block(block), small, strict=True):
            out[i] = d if ok else None
    return out


def latest_limits(
    intervals: list[SeriesIntervals], sizes: list[int], width: int
) -> tuple[list[list[float]], list[list[float]], list[bool], list[bool]]:
    """The 95% limits of observations ``size - width`` to ``size - 1`` of each series (``intervals``:
    windows onto one set of shared arrays; ``sizes``: the series' numbers of observations, at least
    ``width``), as ``intervals.lower95[rows].tolist()`` gives them, whether they are all finite, and
    whether they are all published ("given")."""
    lower, upper, _, _, sources = intervals[0]._columns
    ends = np.fromiter([iv._start + n for iv, n in zip(intervals, sizes, strict=True)], np.intp, len(intervals))
    rows = ends[:, None] + np.arange(-width, 0)
    lo, hi = lower[rows], upper[rows]
    finite: list[bool] = (np.isfinite(lo).all(axis=1) & np.isfinite(hi).all(axis=1)).tolist()  # type: ignore[assignment]
    given: list[bool] = (sources[rows] == _GIVEN).all(axis=1).tolist()  # type: ignore[assignment]
    return lo.tolist(), hi.tolist(), finite, given


def limited_windows(
    limited: list[tuple[Any, ...]], settings: JudgementSettings, tests: list[Any], out: list[Any]
) -> None:
    """The recent-trend windows of usual series tested on their 95% limits (not percentages), as
    :func:`.trend_recent._trend_window` makes them, with the latest limits of all of them read in one numpy
    pass per set of shared arrays and window width (:func:`latest_limits`): each added to ``tests`` (as the
    trend path's waiting tuples), or, when a limit is missing, left to ``_trend_window`` and judged by its
    fallback in its place in ``out``."""
    by: dict[tuple[int, int], list[tuple[Any, ...]]] = {}
    for entry in limited:
        # (limits of another length than the series, which compute_intervals never gives: left to
        # _trend_window, below)
        fits = entry[7]._size == len(entry[8])
        by.setdefault((id(entry[7]._columns), min(len(entry[5]), 5)) if fits else (0, 0), []).append(entry)
    wait = tests.append
    for index, s, result, latest_obs, previous_obs, annual, periods, iv, values in by.pop((0, 0), []):
        size = len(values)
        found, note = _trend_window(s, annual, range(size - len(annual), size), iv, settings, periods)
        if found is not None:
            wait((index, s, result, latest_obs, previous_obs, found, note, annual, values[-5:]))
        else:
            out[index] = fallback(s, settings, result, previous_obs, latest_obs, [note], None)
    for (_, width), group in by.items():
        for entry, lower, upper, finite, given in zip(
            group, *latest_limits([e[7] for e in group], [len(e[8]) for e in group], width), strict=True
        ):
            index, s, result, latest_obs, previous_obs, annual, periods, iv, values = entry
            latest5 = values[-width:]  # (those of annual[-5:])
            if finite:
                window = TrendWindow(periods, values=[_f(v) for v in latest5], lower95=lower, upper95=upper)
                basis = "published 95% confidence limits" if given else "95% confidence limits"
                wait((index, s, result, latest_obs, previous_obs, window, basis, annual, latest5))
                continue
            size = len(values)
            found, note = _trend_window(s, annual, range(size - len(annual), size), iv, settings, periods)
            if found is not None:  # (not so: a limit is missing)
                wait((index, s, result, latest_obs, previous_obs, found, note, annual, latest5))
            else:
                out[index] = fallback(s, settings, result, previous_obs, latest_obs, [note], None)


def fallback(
    series: Series,
    settings: JudgementSettings,
    result: tuple[Any, ...],
    previous_obs: Observation | None,
    latest_obs: Observation,
    why_not: list[str],
    marker: TrendMarker | None,
) -> tuple[Any, ...]:
    """Previous vs latest, or 'not assessed' beside a published significance test we cannot reproduce: the
    finished trend as a tuple in ``TrendParts``' order (``result``: previous, latest, run, direction and
    the warnings, to which the judgement may add)."""
    j = _previous_vs_latest(series, previous_obs, latest_obs, settings, why_not, result[4])
    if series.published.trend_method in SIGNIFICANCE_METHODS and j.assessed:
        j = _method_not_reproduced(series, j, why_not)
    previous, latest, run, direction, warnings = result
    return (j, previous, latest, run, direction, None, (), marker, tuple(warnings))
