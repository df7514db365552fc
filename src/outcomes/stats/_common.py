"""Small helpers shared by the statistics modules (private)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

#: The value returned by the public functions: a numpy float scalar for scalar input, otherwise an array.
FloatResult = Any


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for ``confidence`` (``norm.ppf(0.5 + confidence / 2)``).

    >>> round(z_value(0.95), 6), round(z_value(0.998), 6)
    (1.959964, 3.090232)
    """
    check_confidence(confidence)
    return float(norm.ppf(0.5 + confidence / 2.0))


def check_confidence(confidence: float) -> None:
    """Raise ``ValueError`` unless ``0 < confidence < 1``."""
    try:
        ok = 0.0 < float(confidence) < 1.0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(f"confidence must be a number strictly between 0 and 1, got {confidence!r}")


def as_float_array(x: ArrayLike | None) -> NDArray[np.float64]:
    """``x`` as a float64 array; ``None`` becomes NaN (a missing input)."""
    if x is None:
        return np.asarray(np.nan, dtype=np.float64)
    return np.asarray(x, dtype=np.float64)


def out(x: NDArray[np.float64]) -> FloatResult:
    """Return a 0-d array as a numpy float scalar, anything else unchanged."""
    return x[()] if x.ndim == 0 else x
