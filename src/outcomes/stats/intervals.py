"""Confidence intervals for proportions, counts, crude rates and directly standardised rates.

The methods are those the UK public-health agencies publish in the R package PHEindicatormethods and
describe in the Public Health England "Technical Guide: Confidence Intervals": Wilson score limits for
proportions, exact Poisson limits below 10 events and Byar's approximation from 10 events for counts
and crude rates, and Dobson's method for directly standardised rates.

Every function is vectorised over numpy arrays (no Python loop per element), accepts scalars and
returns numpy float scalars for scalar input. The exact Poisson limits are looked up in a table of the
ten counts 0–9 made once per confidence level (scipy's chi-squared quantile runs only for those ten,
and for the rare non-whole count below 10), so a million rows cost a few plain numpy passes. Impossible inputs (a missing value, a negative count, a
zero denominator, a numerator above its denominator for a proportion) give NaN rather than an error,
so that one bad row cannot stop a bulk calculation.

``proportion_limits``, ``rate_limits`` and ``poisson_limits`` give the limits of the first three at
several confidence levels in one call (the judging engine asks for 95% and 99.8% together): the
parts that do not depend on the level are worked out once, by the same kernels in the same order of
operations, so the limits are bit for bit those of one level at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import chi2

from ._common import FloatResult, as_float_array, check_confidence, out, z_value

__all__ = [
    "byar_interval",
    "dsr_interval",
    "poisson_interval",
    "poisson_limits",
    "proportion_interval",
    "proportion_limits",
    "rate_interval",
    "rate_limits",
    "wilson_interval",
]

#: Below this many events the exact Poisson limits are used; from it, Byar's approximation.
EXACT_POISSON_BELOW = 10
#: A directly standardised rate is not published when the total count is below this.
DSR_MINIMUM_COUNT = 10


def _wilson(x: NDArray[np.float64], n: NDArray[np.float64], z: float) -> tuple[NDArray[np.float64], ...]:
    x, n = np.broadcast_arrays(x, n)
    shape = x.shape
    ((lower, upper),) = _wilson_levels(np.ravel(x), np.ravel(n), (z,))
    return lower.reshape(shape), upper.reshape(shape)


def _wilson_levels(
    x: NDArray[np.float64], n: NDArray[np.float64], zs: Sequence[float]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Wilson limits of 1-D ``x`` over ``n`` at each ``z``: what does not depend on z is worked out once
    (the same operations in the same order as for one z alone, so the same bits)."""
    levels = []
    with np.errstate(divide="ignore", invalid="ignore"):
        # NaN compares false, so a missing numerator or denominator is invalid too
        invalid = ~((x >= 0) & (x <= n) & (n > 0) & np.isfinite(n))
        spread = x / n  # then 1 − x/n, 4x(1 − x/n): one buffer, in place
        np.subtract(1.0, spread, out=spread)
        spread *= 4.0 * x
        twice = 2.0 * x
        for z in zs:
            zz = z * z
            root = spread + zz  # z² + 4x(1 − x/n), then √…, z·√…
            np.sqrt(root, out=root)
            root *= z
            middle = twice + zz
            denominator = 2.0 * (n + zz)
            lower = np.subtract(middle, root, out=middle.copy())
            lower /= denominator
            upper = np.add(middle, root, out=middle)
            upper /= denominator
            for limit in (lower, upper):
                np.clip(limit, 0.0, 1.0, out=limit)
                limit[invalid] = np.nan
            levels.append((lower, upper))
    return levels


def wilson_interval(
    numerator: ArrayLike, denominator: ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatResult, FloatResult]:
    """Wilson score confidence limits of a proportion, as fractions between 0 and 1.

    ``(2x + z² ∓ z·√(z² + 4x(1 − x/n))) / (2(n + z²))`` with ``z = norm.ppf(0.5 + confidence/2)``.
    NaN where the numerator is missing or negative, the denominator is missing or not positive, or
    the numerator exceeds the denominator.

    >>> lower, upper = wilson_interval(65, 100)
    >>> round(float(lower), 4), round(float(upper), 4)
    (0.5525, 0.7364)
    >>> lower, upper = wilson_interval([0, 5], [10, 10], confidence=0.998)
    >>> [round(float(v), 4) for v in lower], [round(float(v), 4) for v in upper]
    ([0.0, 0.1505], [0.4885, 0.8495])
    """
    z = z_value(confidence)
    lower, upper = _wilson(as_float_array(numerator), as_float_array(denominator), z)
    return out(lower), out(upper)


def _bracket_parts(x: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``1 − 1/(9x)`` and ``3√x``: the parts of Byar's bracket that do not depend on z."""
    base = np.divide(1.0, 9.0 * x)
    np.subtract(1.0, base, out=base)
    step = np.sqrt(x)
    step *= 3.0
    return base, step


def _cube_of_bracket(
    x: NDArray[np.float64], parts: tuple[NDArray[np.float64], NDArray[np.float64]], sign: float, z: float
) -> NDArray[np.float64]:
    """``x(1 − 1/(9x) ± z/(3√x))³`` from :func:`_bracket_parts` (the cube as two products: ``**3`` is 20× slower)."""
    base, three_root = parts
    step = np.divide(z, three_root)
    bracket = base + step if sign > 0 else base - step
    cube = bracket * bracket
    cube *= bracket
    cube *= x
    return cube


def _byar(x: NDArray[np.float64], z: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    shape = np.shape(x)
    ((lower, upper),) = _byar_levels(np.ravel(x), (z,))
    return lower.reshape(shape), upper.reshape(shape)


def _byar_levels(
    x: NDArray[np.float64], zs: Sequence[float]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """Byar's limits of 1-D ``x`` at each ``z``, the parts that do not depend on z worked out once."""
    levels = []
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        above = x + 1.0
        lower_parts, upper_parts = _bracket_parts(x), _bracket_parts(above)
        invalid = ~(np.isfinite(x) & (x >= 0))
        for z in zs:
            lower = _cube_of_bracket(x, lower_parts, -1.0, z)
            upper = _cube_of_bracket(above, upper_parts, 1.0, z)
            # x = 0 gives 0 · (−inf) = NaN for the lower limit already; a negative lower limit is not one
            lower[invalid | ~(lower >= 0)] = np.nan
            upper[invalid] = np.nan
            levels.append((lower, upper))
    return levels


def byar_interval(count: ArrayLike, *, confidence: float = 0.95) -> tuple[FloatResult, FloatResult]:
    """Byar's approximation to the Poisson confidence limits of a count.

    ``lower = x(1 − 1/(9x) − z/(3√x))³`` and ``upper = (x+1)(1 − 1/(9(x+1)) + z/(3√(x+1)))³``.
    The lower limit is NaN where the formula goes negative (very small counts at high confidence)
    and at a count of 0, where it is undefined; both limits are NaN for a missing or negative count.
    This is the raw formula for every count: see :func:`poisson_interval` for the switch to exact
    limits below 10 events.

    >>> lower, upper = byar_interval(65)
    >>> round(float(lower), 4), round(float(upper), 4)
    (50.1632, 82.8491)
    >>> lower, upper = byar_interval(1, confidence=0.998)
    >>> bool(np.isnan(lower)), round(float(upper), 4)
    (True, 9.3622)
    """
    lower, upper = _byar(as_float_array(count), z_value(confidence))
    return out(lower), out(upper)


def _exact_poisson(x: NDArray[np.float64], confidence: float) -> tuple[NDArray[np.float64], ...]:
    """Exact limits ``chi2.ppf(α/2, 2x)/2`` (0 at x = 0) and ``chi2.ppf(1 − α/2, 2x + 2)/2``."""
    alpha = 1.0 - confidence
    positive = x > 0
    lower = np.where(positive, chi2.ppf(alpha / 2.0, 2.0 * np.where(positive, x, 1.0)) / 2.0, 0.0)
    upper = chi2.ppf(1.0 - alpha / 2.0, 2.0 * x + 2.0) / 2.0
    return lower, upper


@lru_cache(maxsize=32)
def _exact_table(confidence: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The exact limits of the whole counts 0..9 at ``confidence`` (computed once, then looked up)."""
    lower, upper = _exact_poisson(np.arange(float(EXACT_POISSON_BELOW)), confidence)
    lower.flags.writeable = False
    upper.flags.writeable = False
    return lower, upper


def _poisson(x: NDArray[np.float64], confidence: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Byar's limits everywhere, then exact limits (from the table) where the count is below 10."""
    shape = np.shape(x)
    ((lower, upper),) = _poisson_levels(np.ravel(x), (confidence,))
    return lower.reshape(shape), upper.reshape(shape)


def _poisson_levels(
    x: NDArray[np.float64], confidences: Sequence[float]
) -> list[tuple[NDArray[np.float64], NDArray[np.float64]]]:
    """:func:`_poisson` of 1-D ``x`` at each confidence level, finding the small counts once."""
    levels = _byar_levels(x, [z_value(c) for c in confidences])
    with np.errstate(invalid="ignore"):
        small = np.flatnonzero((x < EXACT_POISSON_BELOW) & (x >= 0))
    if small.size:
        xs = x[small]
        whole = xs.astype(np.intp)
        fraction = np.flatnonzero(whole != xs)
        for confidence, (lower, upper) in zip(confidences, levels, strict=True):
            table_lower, table_upper = _exact_table(float(confidence))
            lower[small] = table_lower[whole]
            upper[small] = table_upper[whole]
            if fraction.size:  # a count below 10 that is not a whole number: scipy for those few only
                exact_lower, exact_upper = _exact_poisson(xs[fraction], confidence)
                lower[small[fraction]] = exact_lower
                upper[small[fraction]] = exact_upper
    return levels


def poisson_interval(count: ArrayLike, *, confidence: float = 0.95) -> tuple[FloatResult, FloatResult]:
    """Confidence limits of a Poisson count: exact below 10 events, Byar's from 10.

    Exact limits are ``chi2.ppf(α/2, 2x)/2`` and ``chi2.ppf(1 − α/2, 2x + 2)/2`` (lower 0 at x = 0);
    from 10 events Byar's approximation (see :func:`byar_interval`) is used, the convention of the UK
    public-health methods. NaN for a missing or negative count.

    >>> lower, upper = poisson_interval([0, 5, 20])
    >>> [round(float(v), 4) for v in lower]
    [0.0, 1.6235, 12.2114]
    >>> [round(float(v), 4) for v in upper]
    [3.6889, 11.6683, 30.8899]
    """
    check_confidence(confidence)
    lower, upper = _poisson(as_float_array(count), confidence)
    return out(lower), out(upper)


def proportion_interval(
    numerator: ArrayLike, denominator: ArrayLike, *, multiplier: float = 100, confidence: float = 0.95
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """A proportion with its Wilson score limits, all scaled by ``multiplier`` (100 gives a percentage).

    Returns ``(value, lower, upper)``. NaN wherever :func:`wilson_interval` is NaN, and the value too.

    >>> value, lower, upper = proportion_interval(20, 100)
    >>> round(float(value), 4), round(float(lower), 4), round(float(upper), 4)
    (20.0, 13.3367, 28.8829)
    >>> value, lower, upper = proportion_interval([1, 999], [100, 3456], multiplier=1, confidence=0.998)
    >>> [round(float(v), 6) for v in lower]
    [0.000873, 0.26584]
    """
    x = as_float_array(numerator)
    n = as_float_array(denominator)
    lower, upper = _wilson(x, n, z_value(confidence))
    valid = np.isfinite(lower)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(valid, x / np.where(valid, n, 1.0), np.nan)
    return out(value * multiplier), out(lower * multiplier), out(upper * multiplier)


def rate_interval(
    count: ArrayLike, denominator: ArrayLike, *, multiplier: float = 100_000, confidence: float = 0.95
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """A crude rate per ``multiplier`` with Poisson limits (exact below 10 events, Byar's from 10).

    Returns ``(value, lower, upper)`` where ``value = count / denominator × multiplier`` and the limits
    are :func:`poisson_interval` of the count over the denominator. The count may exceed the
    denominator (events, not people). NaN for a missing or negative count or a missing or non-positive
    denominator.

    >>> value, lower, upper = rate_interval(65, 100, multiplier=100)
    >>> round(float(value), 4), round(float(lower), 4), round(float(upper), 4)
    (65.0, 50.1632, 82.8491)
    >>> value, lower, upper = rate_interval([1, 250], [100, 220])
    >>> [round(float(v), 2) for v in upper]
    [5571.64, 128631.14]
    """
    check_confidence(confidence)
    x = as_float_array(count)
    n = as_float_array(denominator)
    valid = np.isfinite(x) & (x >= 0) & np.isfinite(n) & (n > 0)
    scale = np.where(valid, multiplier / np.where(valid, n, 1.0), np.nan)
    lower, upper = _poisson(np.where(valid, x, np.nan), confidence)
    return out(x * scale), out(lower * scale), out(upper * scale)


Limits = list[tuple[NDArray[np.float64], NDArray[np.float64]]]


def proportion_limits(
    numerator: ArrayLike, denominator: ArrayLike, confidences: Sequence[float], *, multiplier: float = 100
) -> Limits:
    """The lower and upper limits of :func:`proportion_interval` at each of several confidence levels
    at once (1-D arrays, one pair per level): the same numbers, with what the levels share worked out
    once and no values.

    >>> [(round(float(lo[0]), 4), round(float(hi[0]), 4)) for lo, hi in proportion_limits([20], [100], (0.95, 0.998))]
    [(13.3367, 28.8829), (10.5192, 34.7111)]
    """
    x = np.ravel(as_float_array(numerator))
    n = np.ravel(as_float_array(denominator))
    x, n = np.broadcast_arrays(x, n)
    return [
        (lower * multiplier, upper * multiplier)
        for lower, upper in _wilson_levels(x, n, [z_value(c) for c in confidences])
    ]


def rate_limits(
    count: ArrayLike, denominator: ArrayLike, confidences: Sequence[float], *, multiplier: float = 100_000
) -> Limits:
    """The lower and upper limits of :func:`rate_interval` at each of several confidence levels at once
    (1-D arrays, one pair per level): the same numbers, the small counts and the scale found once.

    >>> [(round(float(lo[0]), 4), round(float(hi[0]), 4)) for lo, hi in rate_limits([65], [100], (0.95,), multiplier=100)]
    [(50.1632, 82.8491)]
    """
    for confidence in confidences:
        check_confidence(confidence)
    x = np.ravel(as_float_array(count))
    n = np.ravel(as_float_array(denominator))
    valid = np.isfinite(x) & (x >= 0) & np.isfinite(n) & (n > 0)
    scale = np.where(valid, multiplier / np.where(valid, n, 1.0), np.nan)
    return [
        (lower * scale, upper * scale)
        for lower, upper in _poisson_levels(np.ravel(np.where(valid, x, np.nan)), confidences)
    ]


def poisson_limits(count: ArrayLike, confidences: Sequence[float]) -> Limits:
    """:func:`poisson_interval` of a 1-D array of counts at each of several confidence levels at once.

    >>> [(float(lo[0]), round(float(hi[0]), 4)) for lo, hi in poisson_limits([0], (0.95, 0.998))]
    [(0.0, 3.6889), (0.0, 6.9078)]
    """
    for confidence in confidences:
        check_confidence(confidence)
    return _poisson_levels(np.ravel(as_float_array(count)), confidences)


def dsr_interval(
    counts: ArrayLike,
    populations: ArrayLike,
    standard_populations: ArrayLike,
    *,
    multiplier: float = 100_000,
    confidence: float = 0.95,
    event_frequencies: ArrayLike | None = None,
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """Directly standardised rate of an area over its age bands, with Dobson's confidence limits.

    ``counts``, ``populations`` and ``standard_populations`` are matched by position along the last
    axis (the age bands). A 1-D input is one area and gives scalars; a 2-D input (areas × bands)
    gives one result per area, vectorised. With ``wᵢ`` the standard population, ``nᵢ`` the local
    population and ``xᵢ`` the count of band ``i``::

        DSR = Σ(xᵢwᵢ/nᵢ) / Σwᵢ × multiplier
        var = Σ xᵢ(wᵢ/nᵢ)² / (Σwᵢ)²,   O = Σxᵢ
        limit = DSR + √(var/O) · (Byar's limit of O − O) × multiplier

    The value and both limits are NaN when the total count ``O`` is below 10. A missing count is
    taken as 0, as PHEindicatormethods does; a missing or non-positive population gives NaN.

    ``event_frequencies`` handles non-independent events (one person can have several events): then
    ``counts`` has shape ``(..., frequencies, bands)`` and holds the number of *persons* with each
    event frequency ``f`` in each band; the events are ``Σ f·persons`` and the variance becomes
    ``Σ_f f² Σᵢ persons_{f,i}(wᵢ/nᵢ)² / (Σwᵢ)²`` (PHEindicatormethods ``calculate_dsr`` with
    ``independent_events = FALSE``).

    >>> value, lower, upper = dsr_interval([12, 30, 55], [1000, 1500, 900], [4000, 3500, 2500])
    >>> round(float(value), 1), round(float(lower), 1), round(float(upper), 1)
    (2707.8, 2187.8, 3312.6)
    >>> values, _, _ = dsr_interval([[12, 30, 55], [1, 2, 3]], [1000, 1500, 900], [4000, 3500, 2500])
    >>> [round(float(v), 1) for v in values]
    [2707.8, nan]
    """
    z = z_value(confidence)
    raw = as_float_array(counts)
    x = np.where(np.isnan(raw), 0.0, raw)
    n = as_float_array(populations)
    w = as_float_array(standard_populations)
    if x.ndim == 0 or n.ndim == 0:
        raise ValueError("counts and populations need an age-band axis (the last axis)")
    pop_ok = np.all(np.isfinite(n) & (n > 0), axis=-1) & np.all(np.isfinite(w) & (w >= 0), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(np.isfinite(n) & (n > 0), w / n, np.nan)
    if event_frequencies is None:
        events = x
        squared = x * ratio**2
    else:
        f = as_float_array(event_frequencies)
        if x.ndim < 2 or f.ndim != 1 or x.shape[-2] != f.shape[0]:
            raise ValueError("with event_frequencies, counts must have shape (..., frequencies, bands)")
        events = np.sum(f[:, None] * x, axis=-2)
        squared = np.sum((f**2)[:, None] * x, axis=-2) * ratio**2
    if np.any(x < 0):
        raise ValueError("counts must not be negative")
    total_w = np.sum(np.broadcast_to(w, np.broadcast_shapes(w.shape, events.shape)), axis=-1)
    total = np.sum(events, axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        dsr = np.sum(events * ratio, axis=-1) / total_w
        var = np.sum(squared, axis=-1) / total_w**2
        spread = np.sqrt(var / total)
    ok = pop_ok & (total >= DSR_MINIMUM_COUNT) & (total_w > 0)
    byar_lower, byar_upper = _byar(np.where(ok, total, np.nan), z)
    value = np.where(ok, dsr * multiplier, np.nan)
    lower = np.where(ok, value + spread * (byar_lower - total) * multiplier, np.nan)
    upper = np.where(ok, value + spread * (byar_upper - total) * multiplier, np.nan)
    return out(value), out(lower), out(upper)
