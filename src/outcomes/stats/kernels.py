"""Vectorised kernels: the per-series statistics run over many series at once.

The bulk engine (``outcomes bulk``) judges a national file of a million series. Calling
:func:`~outcomes.stats.trend.trend_marker` once per series costs about 0.1 ms of Python each; these
kernels do the same arithmetic on whole columns. Rows are sorted by series (and period); a series is a
*segment* of consecutive rows, located by its start index, and segment-wise sums
(``np.add.reduceat``) and fixed-width windows of the latest five points replace the Python loop.

The methods are exactly those of the per-series functions (same constants, same formulas, same
"cannot be calculated" rules), so a test can compare the two paths series by series:

* :func:`trend_markers` — the Fingertips recent-trend test of :func:`~outcomes.stats.trend.trend_marker`
  for many five-point windows at once (``TREND_SE_DIVISOR`` is shared with the per-series code);
* :func:`segment_starts`, :func:`segment_windows` — find the series and their latest points;
* :func:`group_ranks`, :func:`group_quartiles` — the rank and quartile of each area within its group.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .trend import (
    PROPORTION_METHOD,
    TREND_CRITICAL_CHI2,
    TREND_MARKERS,
    TREND_POINTS,
    TREND_SE_DIVISOR,
    VALUE_METHOD,
    TrendMarker,
    _verdict_words,
    trend_marker,
)

__all__ = [
    "CANNOT",
    "DECREASING",
    "INCREASING",
    "NO_CHANGE",
    "group_quartiles",
    "group_ranks",
    "segment_starts",
    "segment_windows",
    "TrendWindow",
    "trend_marker_objects",
    "trend_markers",
]

#: Codes returned by :func:`trend_markers`, indices into :data:`~outcomes.stats.trend.TREND_MARKERS`.
INCREASING, DECREASING, NO_CHANGE, CANNOT = range(4)
assert TREND_MARKERS[INCREASING] == "increasing" and TREND_MARKERS[CANNOT] == "cannot be calculated"

_T = np.arange(1.0, TREND_POINTS + 1.0)

Float = NDArray[np.float64]


def segment_starts(*keys: NDArray[np.integer]) -> NDArray[np.intp]:
    """Start index of each run of equal keys in rows sorted by those keys.

    >>> segment_starts(np.array([0, 0, 1, 1, 1, 2]), np.array([5, 5, 5, 6, 6, 6])).tolist()
    [0, 2, 3, 5]
    """
    size = len(keys[0])
    if size == 0:
        return np.zeros(0, dtype=np.intp)
    change = np.zeros(size, dtype=bool)
    change[0] = True
    for key in keys:
        change[1:] |= key[1:] != key[:-1]
    return np.flatnonzero(change)


def segment_windows(
    starts: NDArray[np.intp], size: int, width: int = TREND_POINTS
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """The last row, the length, and the row indices of the latest ``width`` points of each segment.

    Returns ``(last, lengths, window)`` where ``window`` has shape ``(segments, width)``; where a
    segment is shorter than ``width`` its window is clipped to its first row (check ``lengths``).

    >>> last, lengths, window = segment_windows(np.array([0, 2]), 9, width=3)
    >>> last.tolist(), lengths.tolist(), window.tolist()
    ([1, 8], [2, 7], [[0, 0, 1], [6, 7, 8]])
    """
    ends = np.append(starts[1:], size)
    last = ends - 1
    lengths = ends - starts
    window = last[:, None] - (width - 1) + np.arange(width)
    window = np.maximum(window, starts[:, None])
    return last, lengths, window


def _wls(y: Float, w: Float) -> tuple[Float, Float]:
    """Slopes of ``y`` on t = 1..5, weights ``w`` (rows = series): all points, then each point left out.

    Returns ``(slopes, variance)``: ``slopes`` has shape ``(series, 6)`` (column 0 keeps all five points,
    column k leaves point k out) and ``variance`` is the variance of the full slope (weights are
    1/variance), as :func:`outcomes.stats.trend._wls_slopes` computes them.
    """
    wt = w * _T
    parts = (w, wt, w * y, wt * y, wt * _T)
    full = [p.sum(axis=1) for p in parts]
    slopes = np.empty((w.shape[0], TREND_POINTS + 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        s1, st, sy, sty, stt = full
        det = s1 * stt - st * st
        slopes[:, 0] = (s1 * sty - st * sy) / det
        variance = s1 / det
        for k in range(TREND_POINTS):
            s1, st, sy, sty, stt = (f - p[:, k] for f, p in zip(full, parts, strict=True))
            slopes[:, k + 1] = (s1 * sty - st * sy) / (s1 * stt - st * st)
    return slopes, variance


def _verdicts(chi2: Float, slopes: Float) -> NDArray[np.int8]:
    steady = np.all(slopes > 0, axis=1) | np.all(slopes < 0, axis=1)
    significant = (chi2 > TREND_CRITICAL_CHI2) & steady
    return np.where(significant, np.where(slopes[:, 0] > 0, INCREASING, DECREASING), NO_CHANGE).astype(
        np.int8
    )


def trend_markers(
    *,
    counts: Float,
    denominators: Float,
    values: Float,
    lower95: Float,
    upper95: Float,
    proportion: NDArray[np.bool_],
) -> tuple[NDArray[np.int8], Float, Float]:
    """The recent-trend marker of many five-point windows: ``(codes, chi2, slope)``.

    Every input but ``proportion`` has shape ``(series, 5)``, the latest five points of each series in
    period order. Where ``proportion`` is true the chi-squared test for trend in proportions is used
    (counts and denominators), elsewhere weighted least squares of the value (with its 95% limits):
    the two methods of :func:`~outcomes.stats.trend.trend_marker`, with the same rules for
    "cannot be calculated" (missing inputs, impossible counts, zero-width intervals). ``codes`` index
    :data:`~outcomes.stats.trend.TREND_MARKERS`; ``chi2`` and ``slope`` are NaN where not calculated.

    >>> codes, chi2, _ = trend_markers(
    ...     counts=np.array([[994, 1023, 1199, 1332, 1367.]]),
    ...     denominators=np.array([[40299, 41527, 42811, 44064, 44701.]]),
    ...     values=np.full((1, 5), np.nan), lower95=np.full((1, 5), np.nan), upper95=np.full((1, 5), np.nan),
    ...     proportion=np.array([True]))
    >>> TREND_MARKERS[codes[0]], round(float(chi2[0]), 1)
    ('increasing', 47.9)
    """
    codes, chi2, slopes = _trend_markers(counts, denominators, values, lower95, upper95, proportion)
    return codes, chi2, slopes[:, 0]


def _trend_markers(
    counts: Float,
    denominators: Float,
    values: Float,
    lower95: Float,
    upper95: Float,
    proportion: NDArray[np.bool_],
) -> tuple[NDArray[np.int8], Float, Float]:
    """:func:`trend_markers` with all six slopes (all points, then each left out) per series."""
    size = proportion.shape[0]
    codes = np.full(size, CANNOT, dtype=np.int8)
    chi2 = np.full(size, np.nan)
    slope = np.full((size, TREND_POINTS + 1), np.nan)

    # proportions: the chi-squared test for trend, direction from the (empirical) logit regression
    rows = np.flatnonzero(proportion)
    if rows.size:
        r, n = counts[rows], denominators[rows]
        ok = np.all(np.isfinite(r) & np.isfinite(n), axis=1)
        with np.errstate(invalid="ignore"):
            ok &= ~np.any((n <= 0) | (r < 0) | (r > n), axis=1)
        r, n, rows = r[ok], n[ok], rows[ok]
        big_r, big_n = r.sum(axis=1), n.sum(axis=1)
        flat = (big_r == 0) | (big_r == big_n)
        codes[rows[flat]] = NO_CHANGE
        slope[rows[flat]] = 0.0  # a flat proportion: marked, though no test was run
        keep = ~flat
        r, n, rows, big_r, big_n = r[keep], n[keep], rows[keep], big_r[keep], big_n[keep]
        snt = n @ _T
        numerator = big_n * (big_n * (r @ _T) - big_r * snt) ** 2
        denominator = big_r * (big_n - big_r) * (big_n * (n @ (_T * _T)) - snt**2)
        stat = numerator / denominator
        edge = np.any((r == 0) | (r == n), axis=1, keepdims=True)
        a, b = r + 0.5, n - r + 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            y = np.where(edge, np.log(a / b), np.log(r / (n - r)))
            w = np.where(edge, 1.0 / (1.0 / a + 1.0 / b), r * (n - r) / n)
        slopes, _ = _wls(y, w)
        codes[rows] = _verdicts(stat, slopes)
        chi2[rows] = stat
        slope[rows] = slopes

    # other values: weighted least squares with weights 1/SE², SE from the 95% interval
    rows = np.flatnonzero(~proportion)
    if rows.size:
        v, lo, hi = values[rows], lower95[rows], upper95[rows]
        ok = np.all(np.isfinite(v) & np.isfinite(lo) & np.isfinite(hi), axis=1) & ~np.any(hi <= lo, axis=1)
        v, lo, hi, rows = v[ok], lo[ok], hi[ok], rows[ok]
        se = (hi - lo) / TREND_SE_DIVISOR
        slopes, variance = _wls(v, 1.0 / se**2)
        stat = slopes[:, 0] ** 2 / variance
        codes[rows] = _verdicts(stat, slopes)
        chi2[rows] = stat
        slope[rows] = slopes
    return codes, chi2, slope


def float_rows(rows: Sequence[Sequence[Any]], width: int) -> NDArray[np.float64]:
    """``np.array(rows, dtype=np.float64)`` for rows that each hold ``width`` numbers, read in one flat pass
    (numpy reads a list of short lists row by row, several times slower). Rows of other lengths, or with
    ``None`` among their numbers (read as NaN), go through ``np.array`` itself.

    >>> float_rows([[1, 2.5], [3, None]], 2).tolist()
    [[1.0, 2.5], [3.0, nan]]
    """
    n = len(rows)
    if n and min(map(len, rows)) == max(map(len, rows)) == width:
        try:
            return np.fromiter(chain.from_iterable(rows), np.float64, n * width).reshape(n, width)
        except TypeError:  # a None among them
            pass
    return np.array(rows, dtype=np.float64)


@dataclass(frozen=True, init=False)
class TrendWindow:
    """The inputs of one :func:`~outcomes.stats.trend.trend_marker` call (``None`` where not given)."""

    periods: tuple[Any, ...]
    counts: Sequence[float] | None = None
    denominators: Sequence[float] | None = None
    values: Sequence[float] | None = None
    lower95: Sequence[float] | None = None
    upper95: Sequence[float] | None = None

    def __init__(
        self,
        periods: tuple[Any, ...],
        counts: Sequence[float] | None = None,
        denominators: Sequence[float] | None = None,
        values: Sequence[float] | None = None,
        lower95: Sequence[float] | None = None,
        upper95: Sequence[float] | None = None,
    ) -> None:
        # frozen: the fields are written once, straight into the instance (one made per series)
        self.__dict__.update(
            periods=periods, counts=counts, denominators=denominators, values=values, lower95=lower95,
            upper95=upper95,
        )

    def marker(self) -> TrendMarker:
        """The per-series answer."""
        return trend_marker(
            self.periods,
            counts=self.counts,
            denominators=self.denominators,
            values=self.values,
            lower95=self.lower95,
            upper95=self.upper95,
        )


def trend_marker_objects(windows: Sequence[TrendWindow]) -> list[TrendMarker]:
    """:func:`~outcomes.stats.trend.trend_marker` for many series, the arithmetic done in one kernel call.

    Windows of exactly five distinct periods go through :func:`trend_markers`; the result is built
    with the per-series verdict and its reason. Anything else (too few points, repeated periods, a
    marker that cannot be calculated, a proportion that never moved) is answered by ``trend_marker``
    itself, so every reason is worded exactly as the per-series function words it.

    >>> years = (2014, 2015, 2016, 2017, 2018)
    >>> [m.marker for m in trend_marker_objects([
    ...     TrendWindow(years, counts=[994, 1023, 1199, 1332, 1367], denominators=[40299, 41527, 42811, 44064, 44701]),
    ...     TrendWindow(years[:4], values=[1, 2, 3, 4], lower95=[0, 1, 2, 3], upper95=[2, 3, 4, 5])])]
    ['increasing', 'cannot be calculated']
    """
    results: list[TrendMarker | None] = [None] * len(windows)
    batch: list[int] = []
    # whether a window's periods are distinct, by the identity of its tuple of periods (windows often
    # share one; every tuple stays alive during the call, so an identity names one tuple)
    distinct: dict[int, bool] = {}
    flags: list[bool] = []  # whether each batched window is tested by its counts (else by its values)
    # each batched window's inputs, read once here: counts and denominators, or values and limits
    by_counts_rows: tuple[list[Any], list[Any]] = ([], [])
    by_values_rows: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
    for i, w in enumerate(windows):
        counts, denominators = w.counts, w.denominators
        if counts is not None and denominators is not None:
            by_counts = True
        elif w.values is not None and w.lower95 is not None and w.upper95 is not None:
            by_counts = False
        else:
            results[i] = w.marker()
            continue
        periods = w.periods
        if len(periods) == TREND_POINTS:
            key = id(periods)
            apart = distinct.get(key)
            if apart is None:
                apart = distinct[key] = len(set(periods)) == TREND_POINTS
        else:
            apart = False
        if apart:
            batch.append(i)
            flags.append(by_counts)
            if by_counts:
                by_counts_rows[0].append(counts)
                by_counts_rows[1].append(denominators)
            else:
                by_values_rows[0].append(w.values)
                by_values_rows[1].append(w.lower95)
                by_values_rows[2].append(w.upper95)
        else:
            results[i] = w.marker()
    if batch:
        size = len(batch)
        proportion = np.array(flags, dtype=bool)
        arrays = {name: np.full((size, TREND_POINTS), np.nan) for name in ("r", "n", "v", "lo", "hi")}
        for mask, names, read in ((proportion, ("r", "n"), by_counts_rows), (~proportion, ("v", "lo", "hi"), by_values_rows)):
            if read[0]:
                rows = np.flatnonzero(mask)
                for name, given in zip(names, read, strict=True):
                    arrays[name][rows] = float_rows(given, TREND_POINTS)
        codes, chi2, slopes = _trend_markers(
            arrays["r"], arrays["n"], arrays["v"], arrays["lo"], arrays["hi"], proportion
        )
        fallback = (codes == CANNOT) | ~np.isfinite(chi2)
        # _verdict's tests, for every row at once
        with np.errstate(invalid="ignore"):
            above = chi2 > TREND_CRITICAL_CHI2
            steady = np.all(slopes > 0, axis=1) | np.all(slopes < 0, axis=1)
            rising = slopes[:, 0] > 0
        new, write = object.__new__, object.__setattr__
        for i, again, stat, slope, up, keeps, rises, by_counts in zip(
            batch,
            fallback.tolist(),
            chi2.tolist(),
            slopes[:, 0].tolist(),
            above.tolist(),
            steady.tolist(),
            rising.tolist(),
            proportion.tolist(),
            strict=True,
        ):
            if again:
                results[i] = windows[i].marker()
                continue
            word, reason = _verdict_words(stat, up, keeps, rises)
            # TrendMarker(word, stat, slope, reason, method, periods) without its __init__ frame
            marker = results[i] = new(TrendMarker)
            write(marker, "marker", word)
            write(marker, "chi2", stat)
            write(marker, "slope", slope)
            write(marker, "reason", reason)
            write(marker, "method", PROPORTION_METHOD if by_counts else VALUE_METHOD)
            write(marker, "periods", tuple(windows[i].periods))
    return [m for m in results if m is not None]


def group_ranks(
    groups: NDArray[np.integer], values: Float, *, descending: NDArray[np.bool_]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Rank of each value within its group (1 = first) and the number of ranked values in the group.

    ``descending`` (per row) puts the highest first. Ties share the best rank (1, 1, 3); a missing value
    has rank 0 and is not counted, but still learns its group's size.

    >>> ranks, sizes = group_ranks(np.array([0, 0, 0, 1, 1]), np.array([3.0, 5.0, 3.0, np.nan, 2.0]),
    ...                            descending=np.ones(5, dtype=bool))
    >>> ranks.tolist(), sizes.tolist()
    ([2, 1, 2, 0, 1], [3, 3, 3, 1, 1])
    """
    ranks = np.zeros(values.shape[0], dtype=np.int64)
    valued = np.flatnonzero(np.isfinite(values))
    if valued.size == 0:
        return ranks, np.zeros(values.shape[0], dtype=np.int64)
    g = groups[valued]
    key = np.where(descending[valued], -values[valued], values[valued]) + 0.0  # + 0.0: no −0
    order = np.lexsort((key, g))
    g_sorted, k_sorted = g[order], key[order]
    starts = segment_starts(g_sorted)
    lengths = np.diff(np.append(starts, valued.size))
    ties = segment_starts(g_sorted, k_sorted)  # type: ignore[arg-type]
    first_of_tie = np.repeat(ties, np.diff(np.append(ties, valued.size)))
    ranks[valued[order]] = first_of_tie - np.repeat(starts, lengths) + 1
    unique_groups = g_sorted[starts]
    where = np.minimum(np.searchsorted(unique_groups, groups), unique_groups.size - 1)
    sizes = np.where(unique_groups[where] == groups, lengths[where], 0).astype(np.int64)
    return ranks, sizes


def group_quartiles(rank: NDArray[np.int64], of: NDArray[np.int64]) -> NDArray[np.int8]:
    """Vectorised :func:`outcomes.judge.comparator.group_quartile` (1 = best quarter); 0 where unranked.

    >>> group_quartiles(np.arange(1, 6), np.full(5, 5)).tolist()
    [1, 2, 2, 3, 4]
    """
    first = (4 * rank <= of) | (rank == 1)
    last = (4 * (of + 1 - rank) <= of) | (rank == of)
    middle = np.where(2 * rank <= of + 1, 2, 3)
    quartile = np.where(first, 1, np.where(last, 4, middle)).astype(np.int8)
    return np.where(rank > 0, quartile, 0).astype(np.int8)
