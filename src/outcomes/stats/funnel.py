"""Funnel-plot control limits (95% and 99.8%) around a baseline, as PHEindicatormethods computes them.

For **proportions** (``calculate_funnel_limits(statistic = "proportion")``) the limits at a
denominator ``n`` around the average proportion ``p`` are the Wilson-score points at which a
proportion would just be significantly different from ``p`` (the package's ``sigma_adjustment``),
with ``z = Φ⁻¹(0.975)`` for the 95% limits and ``z = Φ⁻¹(0.999)`` for the 99.8% limits, cut to
``[0, multiplier]``::

    A = p(n/z² + 1),  B = 1/z² + 1/n
    D = √((8A)² − 64B·p(n(p(n/z² + 2) − 1) + z²(p − 1)))
    limit = (A ∓ D/8) / B / n × multiplier

For **rates** and **ratios** the limits are exact Poisson at every size. With ``μ = n·baseline /
multiplier`` the expected events at the denominator ``n`` (the population for a rate, the expected
events for a ratio), the upper limit is ``O/n × multiplier`` where ``O`` is the (continuous) count
whose exact lower confidence limit is ``μ`` (``P(O, μ) = α/2``, with ``P`` the regularised lower
incomplete gamma function), and the lower limit is ``O/n × multiplier`` where the exact upper limit
of ``O`` is ``μ`` (``P(O + 1, μ) = 1 − α/2``; 0 where no such ``O ≥ 0`` exists). This is what the
package's ``poisson_funnel`` finds by bisection for whole counts; here it is solved for any
denominator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammainc
from scipy.stats import norm

from ._common import as_float_array, out

__all__ = ["FUNNEL_STATISTICS", "Funnel", "funnel_limit_arrays", "funnel_limits"]

FUNNEL_STATISTICS = ("proportion", "rate", "ratio")
#: One-sided tail probabilities of the two pairs of limits (95% and 99.8% two-sided).
_TAILS = {"95": 0.025, "998": 0.001}


@dataclass(frozen=True)
class Funnel:
    """Control limits at each denominator, on the output scale (the baseline's scale)."""

    denominators: Any
    baseline: float
    lower95: Any
    upper95: Any
    lower998: Any
    upper998: Any


def _proportion_limits(n: NDArray[np.float64], p: float, tail: float, multiplier: float) -> tuple[Any, Any]:
    z2 = float(norm.ppf(1.0 - tail)) ** 2
    with np.errstate(divide="ignore", invalid="ignore"):
        first = p * (n / z2 + 1.0)
        last = 1.0 / z2 + 1.0 / n
        root = np.sqrt(
            (-8.0 * first) ** 2 - 64.0 * last * p * (n * (p * (n / z2 + 2.0) - 1.0) + z2 * (p - 1.0))
        )
        lower = (first - root / 8.0) / last / n * multiplier
        upper = (first + root / 8.0) / last / n * multiplier
    return np.clip(lower, 0.0, multiplier), np.clip(upper, 0.0, multiplier)


def _solve_count(mu: NDArray[np.float64], target: float, shift: float) -> NDArray[np.float64]:
    """The count ``O ≥ 0`` with ``P(O + shift, μ) = target`` (P falls as O rises).

    A safeguarded secant search: it starts from the normal approximation (``μ = a + z·√a``), keeps a
    bracket ``[low, high]`` around the root, and bisects whenever a secant step would leave it. Each
    count stops when its own step (or bracket) is below 1e-12 of its size, so that the answer for
    one denominator does not depend on which other denominators are solved with it.
    """
    low = np.zeros_like(mu)
    high = mu + 20.0 * np.sqrt(mu) + 50.0
    z = float(norm.ppf(target))
    root = (-z + np.sqrt(z * z + 4.0 * mu)) / 2.0
    x1 = np.clip(root * root - shift, 0.0, high)
    x0 = np.clip(x1 * 1.001 + 1e-3, 0.0, high)

    def f(a: NDArray[np.float64], m: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(gammainc(a + shift, m) - target)

    f0, f1 = f(x0, mu), f(x1, mu)
    for x, fx in ((x0, f0), (x1, f1)):
        low = np.where(fx > 0, np.maximum(low, x), low)
        high = np.where(fx <= 0, np.minimum(high, x), high)
    result = np.full(mu.shape, np.nan)
    active = np.arange(mu.size)
    for _ in range(200):
        if active.size == 0:
            break
        a0, a1, g0, g1 = x0[active], x1[active], f0[active], f1[active]
        lo, hi, m = low[active], high[active], mu[active]
        with np.errstate(divide="ignore", invalid="ignore"):
            step = a1 - g1 * (a1 - a0) / (g1 - g0)
        inside = np.isfinite(step) & (step > lo) & (step < hi)
        a2 = np.where(inside, step, (lo + hi) / 2.0)
        g2 = f(a2, m)
        lo = np.where(g2 > 0, a2, lo)
        hi = np.where(g2 <= 0, a2, hi)
        scale = np.maximum(a2, 1.0)
        finished = (np.abs(a2 - a1) <= 1e-13 * scale) | (hi - lo <= 1e-12 * scale) | (g2 == 0)
        result[active[finished]] = a2[finished]
        x0[active], x1[active], f0[active], f1[active] = a1, a2, g1, g2
        low[active], high[active] = lo, hi
        active = active[~finished]
    if active.size:  # not reached in practice; the bracket's middle is within the last step
        result[active] = (low[active] + high[active]) / 2.0
    return result


def _poisson_limits(n: NDArray[np.float64], rate: float, tail: float, multiplier: float) -> tuple[Any, Any]:
    mu = n * rate
    with np.errstate(divide="ignore", invalid="ignore"):
        upper_count = _solve_count(mu, tail, 0.0)
        # lower: the count whose exact upper limit is μ; none (limit 0) while P(1, μ) < 1 − tail
        lower_count = np.where(gammainc(1.0, mu) < 1.0 - tail, 0.0, _solve_count(mu, 1.0 - tail, 1.0))
        return lower_count / n * multiplier, upper_count / n * multiplier


def funnel_limits(
    denominators: ArrayLike, *, statistic: str, baseline: float, multiplier: float = 100
) -> Funnel:
    """95% and 99.8% funnel-plot control limits at each denominator.

    ``statistic`` is ``"proportion"`` (denominator: the population; limits by the Wilson score
    method), ``"rate"`` (denominator: the population, or person-years over all the years the
    rate covers) or ``"ratio"`` (denominator: the expected events of an indirectly standardised
    ratio); rates and ratios have exact Poisson limits. ``baseline`` is the average the funnel is
    drawn around, on the output scale: a percentage for proportions with ``multiplier=100``, a
    rate per ``multiplier``, or a ratio times ``multiplier`` (``baseline=100, multiplier=100`` for
    an SMR where 100 is the reference). Non-positive or missing denominators give NaN.

    >>> f = funnel_limits([50, 1000], statistic="proportion", baseline=80.642448)
    >>> [round(float(v), 4) for v in f.lower95], [round(float(v), 4) for v in f.upper998]
    ([69.691, 78.1936], [97.9093, 84.5034])
    >>> f = funnel_limits([100.0], statistic="ratio", baseline=100, multiplier=100)
    >>> round(float(f.lower95[0]), 2), round(float(f.upper95[0]), 2)
    (80.39, 120.56)
    """
    if statistic not in FUNNEL_STATISTICS:
        raise ValueError(f"statistic must be one of {', '.join(FUNNEL_STATISTICS)}; got {statistic!r}")
    if not np.isfinite(baseline) or baseline < 0 or not multiplier > 0:
        raise ValueError("baseline must be a number of at least 0 and multiplier a positive number")
    if statistic == "proportion" and not baseline <= multiplier:
        raise ValueError(f"a proportion's baseline must be between 0 and the multiplier ({multiplier})")
    raw = as_float_array(denominators)
    limits = funnel_limit_arrays(
        raw, statistic=statistic, baselines=np.full(raw.shape, float(baseline)), multiplier=multiplier
    )
    return Funnel(
        denominators=out(raw), baseline=float(baseline), **{k: out(v.reshape(raw.shape)) for k, v in limits.items()}
    )


def funnel_limit_arrays(
    denominators: ArrayLike, *, statistic: str, baselines: ArrayLike, multiplier: float = 100
) -> dict[str, NDArray[np.float64]]:
    """:func:`funnel_limits` with one baseline per denominator (e.g. each row's England value).

    Returns arrays ``lower95``, ``upper95``, ``lower998``, ``upper998``; NaN where the denominator
    is not positive or the baseline is missing, negative, or (for a proportion) above the
    multiplier.

    >>> f = funnel_limit_arrays([50, 50], statistic="proportion", baselines=[80.642448, float("nan")])
    >>> [round(float(v), 4) for v in f["lower95"][:1]], bool(np.isnan(f["lower95"][1]))
    ([69.691], True)
    """
    if statistic not in FUNNEL_STATISTICS:
        raise ValueError(f"statistic must be one of {', '.join(FUNNEL_STATISTICS)}; got {statistic!r}")
    if not multiplier > 0:
        raise ValueError("multiplier must be a positive number")
    raw = np.atleast_1d(as_float_array(denominators))
    base = np.broadcast_to(np.atleast_1d(as_float_array(baselines)), raw.shape)
    valid = np.isfinite(raw) & (raw > 0) & np.isfinite(base) & (base >= 0)
    if statistic == "proportion":
        valid &= base <= multiplier
    n = np.where(valid, raw, 1.0)
    average = np.where(valid, base, 0.0) / multiplier
    limits: dict[str, NDArray[np.float64]] = {}
    for name, tail in _TAILS.items():
        if statistic == "proportion":
            lower, upper = _proportion_limits(n, average, tail, multiplier)  # type: ignore[arg-type]
        else:
            lower, upper = _poisson_limits(n, average, tail, multiplier)  # type: ignore[arg-type]
        limits[f"lower{name}"] = np.where(valid, lower, np.nan)
        limits[f"upper{name}"] = np.where(valid, upper, np.nan)
    return limits
