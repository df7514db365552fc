"""The Fingertips "recent trend" marker over the latest five points of a series.

Fingertips (the UK public-health data platform) marks each indicator series as increasing,
decreasing, showing no significant change, or not calculable, from its five most recent points:

* proportions (numerator and denominator known): the chi-squared test for trend (Cochran–Armitage,
  time points 1…5 as scores), with the direction from a regression of logit(count/denominator) on time;
* other values with 95% confidence limits: weighted least squares of the value on time, weights
  ``1/SE²`` with ``SE = (upper95 − lower95) / 3.92`` (:data:`TREND_SE_DIVISOR`, Fingertips' own
  constant, not 2 × 1.959964), ``χ² = (slope / SE(slope))²``.

A trend is significant when χ² exceeds the 99.8% point of χ²(1) (9.5495) *and* the slope keeps its
sign when each of the five points is left out in turn. See ``docs/methods.md`` for the judgement calls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2 as chi2_dist

from ._common import as_float_array

__all__ = [
    "TREND_CRITICAL_CHI2",
    "TREND_POINTS",
    "TREND_MARKERS",
    "TREND_SE_DIVISOR",
    "TrendMarker",
    "trend_marker",
]

#: Number of most recent points the test uses.
TREND_POINTS = 5
#: The 99.8% point of the chi-squared distribution with one degree of freedom (9.5495...).
TREND_CRITICAL_CHI2 = float(chi2_dist.ppf(0.998, 1))
#: The possible markers.
TREND_MARKERS: tuple[str, ...] = ("increasing", "decreasing", "no significant change", "cannot be calculated")

#: The methods, as :attr:`TrendMarker.method` names them.
PROPORTION_METHOD = "chi-squared test for trend in proportions"
VALUE_METHOD = "weighted least squares of the value on time"

#: The width of a 95% interval is this many standard errors. Fingertips derives a point's standard
#: error from its 95% interval as (upper95 − lower95) / 3.92: 3.92 is 2 × 1.96 rounded, written as a
#: literal in Fingertips' TrendMarkerCalculator. Using it (not 2 × 1.959964 = 3.919928) reproduces
#: Fingertips' published chi-squared exactly (46.77, not 46.76). The per-series test and the vectorised
#: kernels (``stats/kernels.py``) both divide by it, so it is changed here and only here.
TREND_SE_DIVISOR = 3.92
# Row 0 keeps all five points; row k (1..5) leaves point k out.
_KEEP = np.vstack([np.ones(TREND_POINTS), 1.0 - np.eye(TREND_POINTS)])
_T = np.arange(1.0, TREND_POINTS + 1.0)
_setattr = object.__setattr__


@dataclass(frozen=True, init=False)
class TrendMarker:
    """Result of :func:`trend_marker`.

    ``marker`` is one of :data:`TREND_MARKERS`; ``chi2`` the test statistic and ``slope`` the slope over
    the five points (change in log-odds per period for proportions, in value units per period
    otherwise), both NaN when not calculated; ``method`` names the test used ("" when none);
    ``periods`` are the periods used; ``reason`` explains the marker in words.
    """

    marker: str
    chi2: float
    slope: float
    reason: str
    method: str = ""
    periods: tuple[Any, ...] = ()

    def __init__(
        self, marker: str, chi2: float, slope: float, reason: str, method: str = "", periods: tuple[Any, ...] = ()
    ) -> None:
        # frozen: each field written by object.__setattr__, into the instance's inline values (no
        # dictionary made per instance: thousands are made at once and kept with the judgements)
        _setattr(self, "marker", marker)
        _setattr(self, "chi2", chi2)
        _setattr(self, "slope", slope)
        _setattr(self, "reason", reason)
        _setattr(self, "method", method)
        _setattr(self, "periods", periods)


def _cannot(reason: str, periods: tuple[Any, ...] = (), method: str = "") -> TrendMarker:
    return TrendMarker("cannot be calculated", float("nan"), float("nan"), reason, method, periods)


def _wls_slopes(
    y: NDArray[np.float64], w: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Weighted least-squares slopes of ``y`` on t = 1..5 for all points and for each point left out.

    Returns the six slopes and the six slope variances (the variance assumes weights are 1/variance).
    """
    ww = _KEEP * w
    s1 = ww.sum(axis=1)
    st = ww @ _T
    sy = ww @ y
    sty = ww @ (_T * y)
    stt = ww @ (_T * _T)
    det = s1 * stt - st * st
    return (s1 * sty - st * sy) / det, s1 / det


def _verdict(chi2: float, slopes: NDArray[np.float64]) -> tuple[str, str]:
    steady = bool(np.all(slopes > 0) or np.all(slopes < 0))
    return _verdict_words(chi2, chi2 > TREND_CRITICAL_CHI2, steady, bool(slopes[0] > 0))


_CRITICAL_TEXT = f"{TREND_CRITICAL_CHI2:.4f}"


def _verdict_words(chi2: float, above: bool, steady: bool, rising: bool) -> tuple[str, str]:
    """The marker and its reason: ``above`` the critical value, the slope ``steady`` in sign when each
    point is left out, and ``rising`` (the slope over all five points is positive)."""
    stat = f"chi-squared {chi2:.4g} {'>' if above else '<='} {_CRITICAL_TEXT}"
    if above and steady:
        marker = "increasing" if rising else "decreasing"
        return marker, f"{stat} and the slope keeps its sign when each point is left out: {marker}"
    if above:
        return "no significant change", f"{stat} but the slope changes sign when a point is left out"
    return "no significant change", f"{stat} (99.8% significance not reached)"


def _proportion_trend(
    r: NDArray[np.float64], n: NDArray[np.float64], periods: tuple[Any, ...]
) -> TrendMarker:
    method = PROPORTION_METHOD
    if not (np.all(np.isfinite(r)) and np.all(np.isfinite(n))):
        return _cannot("missing count or denominator among the latest 5 points", periods, method)
    if np.any(n <= 0) or np.any(r < 0) or np.any(r > n):
        return _cannot(
            "a count is negative or exceeds its denominator, or a denominator is not positive",
            periods,
            method,
        )
    big_r, big_n = r.sum(), n.sum()
    if big_r == 0 or big_r == big_n:
        which = "0" if big_r == 0 else "equal to its denominator"
        return TrendMarker(
            "no significant change",
            float("nan"),
            0.0,
            f"every count is {which}: the proportion did not change",
            method,
            periods,
        )
    snt = n @ _T
    numerator = big_n * (big_n * (r @ _T) - big_r * snt) ** 2
    denominator = big_r * (big_n - big_r) * (big_n * (n @ (_T * _T)) - snt**2)
    chi2 = float(numerator / denominator)
    if np.any(r == 0) or np.any(r == n):
        # a 0% or 100% point has no logit: use the empirical logit (add 0.5 to both cells) throughout
        a, b = r + 0.5, n - r + 0.5
        y, w = np.log(a / b), 1.0 / (1.0 / a + 1.0 / b)
    else:
        y, w = np.log(r / (n - r)), r * (n - r) / n
    slopes, _ = _wls_slopes(y, w)
    marker, reason = _verdict(chi2, slopes)
    return TrendMarker(marker, chi2, float(slopes[0]), reason, method, periods)


def _value_trend(
    v: NDArray[np.float64], lo: NDArray[np.float64], hi: NDArray[np.float64], periods: tuple[Any, ...]
) -> TrendMarker:
    method = VALUE_METHOD
    if not (np.all(np.isfinite(v)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        return _cannot("missing value or 95% limit among the latest 5 points", periods, method)
    if np.any(hi <= lo):
        return _cannot("a 95% interval has zero or negative width, so it gives no weight", periods, method)
    se = (hi - lo) / TREND_SE_DIVISOR
    slopes, variances = _wls_slopes(v, 1.0 / se**2)
    chi2 = float(slopes[0] ** 2 / variances[0])
    marker, reason = _verdict(chi2, slopes)
    return TrendMarker(marker, chi2, float(slopes[0]), reason, method, periods)


def _column(name: str, x: ArrayLike | None, length: int) -> NDArray[np.float64] | None:
    if x is None:
        return None
    a = np.atleast_1d(as_float_array(x))
    if a.ndim != 1 or a.shape[0] != length:
        raise ValueError(f"{name} must have one entry per period ({length}), got shape {a.shape}")
    return a


def trend_marker(
    periods: Sequence[Any],
    *,
    counts: ArrayLike | None = None,
    denominators: ArrayLike | None = None,
    values: ArrayLike | None = None,
    lower95: ArrayLike | None = None,
    upper95: ArrayLike | None = None,
) -> TrendMarker:
    """The Fingertips recent-trend marker of a series over its latest five points.

    ``periods`` label the points in chronological order (the order given is used, not re-sorted);
    each other argument has one entry per period. With ``counts`` and ``denominators`` the
    proportion method is used (even if values are also given); otherwise ``values`` with
    ``lower95``/``upper95``. The marker is "cannot be calculated" (with the reason) when there are
    fewer than five points, a period is repeated, or any of the latest five lacks what its method needs.

    >>> years = [2014, 2015, 2016, 2017, 2018]
    >>> t = trend_marker(years, counts=[994, 1023, 1199, 1332, 1367],
    ...                  denominators=[40299, 41527, 42811, 44064, 44701])
    >>> t.marker, round(t.chi2, 1)
    ('increasing', 47.9)
    >>> t = trend_marker(years, values=[24.67, 24.6, 28, 30.2, 30.6],
    ...                  lower95=[23.16, 23.15, 26.44, 28.63, 28.98], upper95=[26.25, 26.19, 29.64, 31.9, 32.25])
    >>> t.marker, round(t.chi2, 2)
    ('increasing', 46.77)
    >>> trend_marker(years[:4], values=[1, 2, 3, 4], lower95=[0, 1, 2, 3], upper95=[2, 3, 4, 5]).reason
    'too few points: 4 given, 5 needed'
    """
    labels = tuple(periods)
    size = len(labels)
    r = _column("counts", counts, size)
    n = _column("denominators", denominators, size)
    v = _column("values", values, size)
    lo = _column("lower95", lower95, size)
    hi = _column("upper95", upper95, size)

    duplicates = [p for p, times in Counter(labels).items() if times > 1]
    if duplicates:
        return _cannot(f"duplicate periods: {', '.join(str(p) for p in duplicates)}")
    if size < TREND_POINTS:
        return _cannot(f"too few points: {size} given, {TREND_POINTS} needed")

    latest = slice(size - TREND_POINTS, size)
    used = labels[latest]
    if r is not None and n is not None:
        return _proportion_trend(r[latest], n[latest], used)
    if v is not None and lo is not None and hi is not None:
        return _value_trend(v[latest], lo[latest], hi[latest], used)
    return _cannot("needs counts and denominators, or values with lower95 and upper95", used)
