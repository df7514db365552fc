"""Column-wise steps of the trend path (private), done for many series in one numpy pass each: the
decimals of the recent-trend windows' latest values, and the latest 95% limits of many series read
from the shared arrays of :func:`~outcomes.judge.intervals.compute_intervals`."""

from __future__ import annotations

from typing import Any

import numpy as np

from outcomes.stats.kernels import float_rows

from .intervals import _CODES, SeriesIntervals
from .trend_common import decimals_of_block

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
    intervals: list[SeriesIntervals], width: int
) -> tuple[list[list[float]], list[list[float]], list[bool], list[bool]]:
    """The 95% limits of the last ``width`` observations of each series (``intervals``: windows onto one
    set of shared arrays, each at least ``width`` long), as ``intervals.lower95[rows].tolist()`` gives
    them, whether they are all finite, and whether they are all published ("given")."""
    lower, upper, _, _, sources = intervals[0]._columns
    ends = np.fromiter([iv._start + iv._size for iv in intervals], np.intp, len(intervals))
    rows = ends[:, None] + np.arange(-width, 0)
    lo, hi = lower[rows], upper[rows]
    finite: list[bool] = (np.isfinite(lo).all(axis=1) & np.isfinite(hi).all(axis=1)).tolist()  # type: ignore[assignment]
    given: list[bool] = (sources[rows] == _GIVEN).all(axis=1).tolist()  # type: ignore[assignment]
    return lo.tolist(), hi.tolist(), finite, given
