"""Indirectly standardised rates and ratios (ISR, SMR/SAR) with exact Poisson or Byar's limits.

As PHEindicatormethods ``calculate_ISRate`` and ``calculate_ISRatio`` and the OHID Technical Guide
define them. With ``oᵢ`` the area's count, ``nᵢ`` its population, ``Xᵢ`` the reference count and
``Nᵢ`` the reference population of age band ``i``::

    E = Σ Xᵢ/Nᵢ · nᵢ                      (expected events)
    O = Σ oᵢ                              (observed events)
    ratio = O/E × reference_value          limits = L(O)/E × reference_value
    rate  = O/E × ΣXᵢ/ΣNᵢ × multiplier     limits = L(O)/E × ΣXᵢ/ΣNᵢ × multiplier

where ``L(O)`` is the exact Poisson limit of ``O`` below 10 events and Byar's from 10. Missing
inputs are handled as the package handles them: a missing count or population counts as 0, a
missing reference count as 0 (in the expected events and in the reference rate); a missing
reference population makes the result missing. A negative count or population is an error.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._common import FloatResult, as_float_array, check_confidence, out
from .intervals import _poisson

__all__ = ["isr_interval", "smr_interval"]


def _observed_expected(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    observed: ArrayLike | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    x = as_float_array(counts)
    n = as_float_array(populations)
    ref_x = as_float_array(reference_counts)
    ref_n = as_float_array(reference_populations)
    if n.ndim == 0 or ref_x.ndim == 0 or ref_n.ndim == 0:
        raise ValueError("populations and reference data need an age-band axis (the last axis)")
    if ref_x.shape[-1] != n.shape[-1] or ref_n.shape[-1] != n.shape[-1]:
        raise ValueError(
            f"reference counts ({ref_x.shape[-1]}) and reference populations ({ref_n.shape[-1]}) "
            f"must have one entry per age band ({n.shape[-1]})"
        )
    if np.any(x < 0) or (observed is not None and np.any(as_float_array(observed) < 0)):
        raise ValueError("counts must all be greater than or equal to zero")
    if np.any(n < 0):
        raise ValueError("populations must all be greater than or equal to zero")
    ref_x0 = np.where(np.isnan(ref_x), 0.0, ref_x)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.sum(ref_x0 / ref_n * np.where(np.isnan(n), 0.0, n), axis=-1)
        reference_rate = np.sum(ref_x0, axis=-1) / np.sum(ref_n, axis=-1)
    if observed is None:
        if x.ndim == 0:
            raise ValueError("counts need an age-band axis (the last axis), or give observed totals")
        total = np.sum(np.where(np.isnan(x), 0.0, x), axis=-1)
    else:
        total = as_float_array(observed)
    return total, expected, reference_rate


def _scaled(
    total: NDArray[np.float64], expected: NDArray[np.float64], scale: NDArray[np.float64], confidence: float
) -> tuple[FloatResult, FloatResult, FloatResult]:
    lower, upper = _poisson(total, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(np.isfinite(expected) & (expected > 0), scale / expected, np.nan)
    return out(total * factor), out(lower * factor), out(upper * factor)


def smr_interval(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    *,
    reference_value: float = 1,
    confidence: float = 0.95,
    observed: ArrayLike | None = None,
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """Indirectly standardised ratio (SMR, SAR) ``O/E × reference_value`` with its limits.

    ``counts`` and ``populations`` are the area's events and population by age band (the last
    axis; a 2-D input is areas × bands and gives one result per area); ``reference_counts`` and
    ``reference_populations`` are the reference (e.g. England) by the same bands, matched by
    position. When only the area's total events are known, pass them as ``observed`` (one per
    area) and ``counts`` is ignored, as ``observed_totals`` in the package. Limits are exact
    Poisson below 10 observed events and Byar's from 10. ``reference_value=100`` gives the ratio
    on the scale where 100 is the reference.

    >>> value, lower, upper = smr_interval([5, 20, 60], [4000, 3000, 1500], [100, 400, 900], [50000, 40000, 20000])
    >>> round(float(value), 4), round(float(lower), 4), round(float(upper), 4)
    (0.8057, 0.6435, 0.9963)
    >>> value, lower, upper = smr_interval([1, 2, 3], [4000, 3000, 1500], [100, 400, 900], [50000, 40000, 20000], reference_value=100)
    >>> round(float(value), 2), round(float(lower), 2), round(float(upper), 2)
    (5.69, 2.09, 12.38)
    """
    check_confidence(confidence)
    total, expected, _ = _observed_expected(
        counts, populations, reference_counts, reference_populations, observed
    )
    return _scaled(total, expected, np.asarray(float(reference_value)), confidence)


def isr_interval(
    counts: ArrayLike,
    populations: ArrayLike,
    reference_counts: ArrayLike,
    reference_populations: ArrayLike,
    *,
    multiplier: float = 100_000,
    confidence: float = 0.95,
    observed: ArrayLike | None = None,
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """Indirectly standardised rate per ``multiplier``: the SMR times the reference crude rate.

    Arguments as :func:`smr_interval`; the value is ``O/E × ΣXᵢ/ΣNᵢ × multiplier`` and the limits
    are scaled the same way.

    >>> value, lower, upper = isr_interval([5, 20, 60], [4000, 3000, 1500], [100, 400, 900], [50000, 40000, 20000])
    >>> round(float(value), 1), round(float(lower), 1), round(float(upper), 1)
    (1025.4, 819.0, 1268.0)
    """
    check_confidence(confidence)
    total, expected, reference_rate = _observed_expected(
        counts, populations, reference_counts, reference_populations, observed
    )
    return _scaled(total, expected, reference_rate * multiplier, confidence)
