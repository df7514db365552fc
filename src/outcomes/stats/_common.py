"""Small helpers shared by the statistics modules (private)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

#: The value returned by the public functions: a numpy float scalar for scalar input, otherwise an array.
FloatResult = Any


_Z: dict[float, float] = {}


def z_value(confidence: float) -> float:
    """Two-sided normal quantile for ``confidence`` (``norm.ppf(0.5 + confidence / 2)``).

    Remembered per confidence level (at most 64 of them: the quantile never changes): judging a
    framework asks for the same one or two levels again and again, and scipy's ``norm.ppf`` costs
    more than the interval of a small group. A confidence that is not strictly between 0 and 1 is
    never remembered, so it is refused every time it is asked.

    >>> round(z_value(0.95), 6), round(z_value(0.998), 6)
    (1.959964, 3.090232)
    >>> z_value(0.95) == float(norm.ppf(0.975))
    True
    """
    try:
        return _Z[confidence]
    except (KeyError, TypeError):  # not yet asked, or not a number (check_confidence explains)
        pass
    check_confidence(confidence)
    z = float(norm.ppf(0.5 + confidence / 2.0))
    if len(_Z) < 64:
        _Z[confidence] = z
    return z


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
