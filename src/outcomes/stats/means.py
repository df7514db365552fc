"""The mean of a set of values with Student's t confidence limits (PHEindicatormethods ``phe_mean``).

The limits are ``mean ± t(1 − α/2; n − 1) · s/√n`` with ``s`` the sample standard deviation
(denominator ``n − 1``). Missing values (NaN) are left out, as the package does with ``na.rm``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import t as student_t

from ._common import FloatResult, as_float_array, check_confidence, out

__all__ = ["mean_interval"]


def mean_interval(
    values: ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """Mean of ``values`` with Student's t confidence limits: ``(mean, lower, upper)``.

    ``values`` is one set of values (1-D, giving scalars) or one set per row (2-D, the values along
    the last axis, giving one result per row). NaN values are ignored; with fewer than two values
    the limits are NaN (one value has no spread), with none the mean is NaN too.

    >>> mean, lower, upper = mean_interval([20, 30, 40, 25, 35])
    >>> round(float(mean), 4), round(float(lower), 4), round(float(upper), 4)
    (30.0, 20.1838, 39.8162)
    >>> means, _, _ = mean_interval([[1, 2, 3], [4, float("nan"), 6]], confidence=0.998)
    >>> [float(m) for m in means]
    [2.0, 5.0]
    """
    check_confidence(confidence)
    x = as_float_array(values)
    if x.ndim == 0:
        x = x.reshape(1)
    present = np.isfinite(x)
    n = present.sum(axis=-1)
    total = np.where(present, x, 0.0).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, total / n, np.nan)
        squares = np.where(present, (x - mean[..., None]) ** 2, 0.0).sum(axis=-1)
        sd = np.sqrt(squares / (n - 1))
        half = student_t.ppf(0.5 + confidence / 2.0, np.where(n > 1, n - 1, 1)) * sd / np.sqrt(n)
    half = np.where(n > 1, half, np.nan)
    return out(np.asarray(mean)), out(np.asarray(mean - half)), out(np.asarray(mean + half))
