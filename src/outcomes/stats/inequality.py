"""Quantile groups and the slope and relative indices of inequality (SII, RII).

``quantile_groups`` assigns each value its quantile within its group exactly as
PHEindicatormethods ``phe_quantile`` does. ``slope_index_of_inequality`` is the SII and RII of
``phe_sii`` (Low & Low 2004) with the package's Monte-Carlo confidence limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm, rankdata

from ._common import as_float_array, check_confidence

__all__ = ["SII", "SII_VALUE_TYPES", "quantile_groups", "slope_index_of_inequality"]

#: How the values are transformed before simulation: none, log (rates) or logit (proportions 0–1).
SII_VALUE_TYPES = ("normal", "rate", "proportion")


def _quantiles_of(values: NDArray[np.float64], groups: int, invert: bool) -> NDArray[np.float64]:
    present = np.isfinite(values)
    count = int(present.sum())
    result = np.full(values.shape, np.nan)
    if count < groups or count == 0:
        return result
    v = values[present]
    adjusted = v.max() - v if invert else v
    rank = rankdata(adjusted, method="min")
    quantile = np.floor((groups + 1) - np.ceil(((count + 1) - rank) / (count / groups)))
    result[present] = np.where(quantile == 0, 1.0, quantile)
    return result


def quantile_groups(
    values: ArrayLike, *, groups: int = 10, invert: bool = False, by: ArrayLike | None = None
) -> NDArray[np.float64]:
    """The quantile (1 = first) of each value among the values of its group, as ``phe_quantile``.

    With ``N`` values present in the group and ``r`` a value's rank (ties share the lowest rank),
    the quantile is ``floor((groups + 1) − ceil((N + 1 − r) / (N / groups)))``, and 1 where that
    gives 0. With ``invert=True`` the ranks run from the highest value (quantile 1 holds the highest
    values). Missing values (NaN) get NaN and are not counted; a group with fewer values than
    ``groups`` gets NaN throughout (too few to divide). ``by`` gives each value's group label
    (e.g. its region); without it all values are one group. Returns floats (NaN for missing).

    >>> quantile_groups([5, 1, 3, 3, 9, 7, 2, 8, 4, 6], groups=5).tolist()
    [3.0, 1.0, 2.0, 2.0, 5.0, 4.0, 1.0, 5.0, 3.0, 4.0]
    >>> quantile_groups([5, 1, 3, float("nan")], groups=4).tolist()
    [nan, nan, nan, nan]
    >>> quantile_groups([1, 2, 3, 4], groups=2, invert=True, by=["a", "a", "b", "b"]).tolist()
    [2.0, 1.0, 2.0, 1.0]
    """
    if not isinstance(groups, (int, np.integer)) or groups < 1:
        raise ValueError(f"groups must be a whole number of at least 1, got {groups!r}")
    x = as_float_array(values)
    if x.ndim != 1:
        raise ValueError("values must be one-dimensional")
    if by is None:
        return _quantiles_of(x, int(groups), invert)
    labels = np.asarray(by)
    if labels.shape != x.shape:
        raise ValueError(f"by must give one group label per value ({x.shape[0]}), got {labels.shape}")
    return _grouped_quantiles(x, np.unique(labels, return_inverse=True)[1].ravel(), int(groups), invert)


def _grouped_quantiles(
    x: NDArray[np.float64], code: NDArray[np.intp], groups: int, invert: bool
) -> NDArray[np.float64]:
    """:func:`_quantiles_of` for every group at once (``code`` numbers each value's group)."""
    result = np.full(x.shape, np.nan)
    present = np.flatnonzero(np.isfinite(x))
    if present.size == 0:
        return result
    g = code[present]
    size = int(g.max()) + 1
    v = x[present]
    if invert:  # the package's max − value, per group
        top = np.full(size, -np.inf)
        np.maximum.at(top, g, v)
        v = top[g] - v
    count = np.bincount(g, minlength=size)
    order = np.lexsort((v, g))
    sg, sv = g[order], v[order]
    position = np.arange(order.size)
    group_start = np.flatnonzero(np.r_[True, sg[1:] != sg[:-1]])
    first_of_group = np.repeat(group_start, np.diff(np.r_[group_start, order.size]))
    run_start = np.maximum.accumulate(np.where(np.r_[True, (sg[1:] != sg[:-1]) | (sv[1:] != sv[:-1])], position, 0))
    rank = (run_start - first_of_group + 1).astype(np.float64)  # ties share the lowest rank
    n = count[sg].astype(np.float64)
    quantile = np.floor((groups + 1) - np.ceil(((n + 1) - rank) / (n / groups)))
    quantile = np.where(quantile == 0, 1.0, quantile)
    quantile[n < groups] = np.nan
    result[present[order]] = quantile
    return result


@dataclass(frozen=True)
class SII:
    """Slope and relative index of inequality with Monte-Carlo confidence limits.

    ``sii`` is the difference between the fitted values at the top (relative rank 1) and the
    bottom (0) of the social scale, in the value's units; ``rii`` is their ratio (fitted value at
    1 over fitted value at 0). The limits are NaN when no confidence limits were given.
    """

    sii: float
    rii: float
    sii_lower: float
    sii_upper: float
    rii_lower: float
    rii_upper: float
    confidence: float
    repetitions: int


def _transform(x: NDArray[np.float64], value_type: str) -> NDArray[np.float64]:
    if value_type == "rate":
        return np.log(x)
    if value_type == "proportion":
        return np.log(x / (1.0 - x))
    return x


def _untransform(y: NDArray[np.float64], value_type: str) -> NDArray[np.float64]:
    if value_type == "rate":
        return np.exp(y)
    if value_type == "proportion":
        return np.exp(y) / (1.0 + np.exp(y))
    return y


def slope_index_of_inequality(
    quantiles: ArrayLike,
    populations: ArrayLike,
    values: ArrayLike,
    *,
    lower95: ArrayLike | None = None,
    upper95: ArrayLike | None = None,
    confidence: float = 0.95,
    repetitions: int = 100_000,
    seed: int | None = None,
    value_type: str = "normal",
    standard_errors: ArrayLike | None = None,
) -> SII:
    """Slope index of inequality (SII) and relative index (RII) across ordered quantiles.

    ``quantiles`` labels each row (e.g. deprivation decile 1 = most deprived … 10 = least); rows are
    put in ascending quantile order. Each quantile's relative rank ``b`` is the midpoint of its
    share ``a`` of the total population in the cumulative distribution. The line
    ``y·√a = β₀√a + β₁·b√a`` is fitted by least squares (no intercept term); ``SII = β₁`` and
    ``RII = (β₀ + β₁)/β₀``. For the limits each quantile's value is drawn ``repetitions`` times
    from a normal distribution with its standard error (from ``standard_errors``, or
    ``(upper95 − lower95) / (2 × 1.96)``, after a log transform for ``value_type="rate"`` or a logit
    for ``"proportion"``), the regression is refitted on each draw, and the limits are the
    ``round(repetitions × α/2)``-th and ``round(repetitions × (1 − α/2))``-th sorted results, as
    ``phe_sii`` does. ``seed`` makes the draws repeatable. Between 5 and 100 quantiles, every
    population above 0; a missing value is an error (the package drops such an area).

    >>> deciles = list(range(1, 11))
    >>> pops = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
    >>> values = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
    >>> lower = [72.7, 75.3, 80.9, 80.2, 77.1, 78.0, 79.0, 81.4, 75.8, 83.2]
    >>> upper = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4]
    >>> r = slope_index_of_inequality(deciles, pops, values, lower95=lower, upper95=upper, seed=1, repetitions=10_000)
    >>> round(r.sii, 3), round(r.rii, 4), r.sii_lower < r.sii < r.sii_upper
    (7.0, 1.0897, True)
    """
    check_confidence(confidence)
    if value_type not in SII_VALUE_TYPES:
        raise ValueError(f"value_type must be one of {', '.join(SII_VALUE_TYPES)}; got {value_type!r}")
    if int(repetitions) < 1000:
        raise ValueError("repetitions must be 1,000 or more")
    q = np.asarray(quantiles)
    pop = as_float_array(populations)
    val = as_float_array(values)
    if not (q.ndim == pop.ndim == val.ndim == 1 and q.shape == pop.shape == val.shape):
        raise ValueError("quantiles, populations and values must be one-dimensional and of the same length")
    if len(np.unique(q)) != q.shape[0]:
        raise ValueError("each quantile must appear once")
    if not 5 <= q.shape[0] <= 100:
        raise ValueError(f"the SII needs between 5 and 100 quantiles, got {q.shape[0]}")
    if np.any(~np.isfinite(pop) | (pop <= 0)):
        raise ValueError("every quantile needs a population above 0")
    if np.any(~np.isfinite(val)):
        raise ValueError("every quantile needs a value")
    if value_type == "proportion" and np.any((val <= 0) | (val >= 1)):
        raise ValueError("proportions must be given as fractions strictly between 0 and 1")
    order = np.argsort(q, kind="stable")
    pop, val = pop[order], val[order]
    share = pop / pop.sum()
    rank = np.cumsum(share) - share / 2.0
    sqrt_a = np.sqrt(share)
    design = np.column_stack([sqrt_a, rank * sqrt_a])
    # least-squares projection (XᵀX)⁻¹Xᵀ, applied to √a·y for the fit and for every draw
    projection = np.linalg.solve(design.T @ design, design.T)
    intercept, slope = projection @ (sqrt_a * val)
    sii = float(slope)
    rii = float((intercept + slope) / intercept)

    se = _standard_errors(order, value_type, lower95, upper95, standard_errors)
    if se is None:
        nan = float("nan")
        return SII(sii, rii, nan, nan, nan, nan, float(confidence), int(repetitions))
    rng = np.random.default_rng(seed)
    draws = rng.normal(_transform(val, value_type), se, size=(int(repetitions), val.shape[0]))
    fitted = (_untransform(draws, value_type) * sqrt_a) @ projection.T
    sims_sii = np.sort(fitted[:, 1])
    sims_rii = np.sort((fitted[:, 0] + fitted[:, 1]) / fitted[:, 0])
    upper_tail = confidence + (1.0 - confidence) / 2.0
    low_at = max(int(round(repetitions * (1.0 - upper_tail))), 1) - 1
    high_at = min(int(round(repetitions * upper_tail)), int(repetitions)) - 1
    return SII(
        sii=sii,
        rii=rii,
        sii_lower=float(sims_sii[low_at]),
        sii_upper=float(sims_sii[high_at]),
        rii_lower=float(sims_rii[low_at]),
        rii_upper=float(sims_rii[high_at]),
        confidence=float(confidence),
        repetitions=int(repetitions),
    )


def _standard_errors(
    order: NDArray[np.intp],
    value_type: str,
    lower95: ArrayLike | None,
    upper95: ArrayLike | None,
    standard_errors: ArrayLike | None,
) -> Any:
    if standard_errors is not None:
        se = as_float_array(standard_errors)[order]
    elif lower95 is not None and upper95 is not None:
        lower = _transform(as_float_array(lower95)[order], value_type)
        upper = _transform(as_float_array(upper95)[order], value_type)
        se = (upper - lower) / float(norm.ppf(0.975)) / 2.0
    else:
        return None
    if np.any(~np.isfinite(se) | (se < 0)):
        raise ValueError(
            "every quantile needs confidence limits (or a standard error) that are present and ordered"
        )
    return se
