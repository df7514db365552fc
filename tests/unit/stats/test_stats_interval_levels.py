"""Limits at several confidence levels at once (``proportion_limits``, ``rate_limits``,
``poisson_limits``) are, bit for bit, the limits of the one-level functions at each level.

The shared kernels work out once what does not depend on the level (``4x(1 − x/n)`` for Wilson,
``1 − 1/(9x)`` and ``3√x`` for Byar, the small counts for the exact Poisson table); the results
must not change by a bit, on random and edge-case inputs (missing, negative, zero, non-whole
counts below 10, a numerator above its denominator, a zero denominator).
"""

from __future__ import annotations

import numpy as np
import pytest

from outcomes.stats import poisson_interval, proportion_interval, rate_interval
from outcomes.stats.intervals import poisson_limits, proportion_limits, rate_limits

LEVELS = (0.95, 0.998, 0.8)
EDGES = [np.nan, -1.0, 0.0, 0.5, 1.0, 2.5, 9.0, 9.999, 10.0, 11.0, 1e6, np.inf]


def _counts(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.integers(0, 30, 200).astype(float), rng.uniform(0, 5000, 200), EDGES])
    n = np.concatenate([rng.integers(0, 40, 200).astype(float), rng.uniform(0, 9000, 200), EDGES[::-1]])
    return x, n


def _same(a: np.ndarray, b: np.ndarray) -> None:
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape
    assert np.array_equal(np.isnan(a), np.isnan(b))
    assert np.array_equal(a.view(np.int64)[~np.isnan(a)], b.view(np.int64)[~np.isnan(b)])  # the same bits


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_proportion_limits_are_proportion_interval_at_each_level(seed: int) -> None:
    x, n = _counts(seed)
    for (lower, upper), level in zip(proportion_limits(x, n, LEVELS), LEVELS, strict=True):
        _, one_lower, one_upper = proportion_interval(x, n, multiplier=100, confidence=level)
        _same(lower, one_lower)
        _same(upper, one_upper)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("per", [100.0, 10_000.0, 100_000.0])
def test_rate_limits_are_rate_interval_at_each_level(seed: int, per: float) -> None:
    x, n = _counts(seed)
    for (lower, upper), level in zip(rate_limits(x, n, LEVELS, multiplier=per), LEVELS, strict=True):
        _, one_lower, one_upper = rate_interval(x, n, multiplier=per, confidence=level)
        _same(lower, one_lower)
        _same(upper, one_upper)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_poisson_limits_are_poisson_interval_at_each_level(seed: int) -> None:
    x, _ = _counts(seed)
    for (lower, upper), level in zip(poisson_limits(x, LEVELS), LEVELS, strict=True):
        one_lower, one_upper = poisson_interval(x, confidence=level)
        _same(lower, one_lower)
        _same(upper, one_upper)


def test_the_limits_match_published_reference_values() -> None:
    # the figures of the one-level functions' doctests (Wilson 20 of 100; exact Poisson of 5 events,
    # Byar's of 65), which test_stats_phe_methods checks against the published methods' references
    ((lower, upper),) = proportion_limits([20], [100], (0.95,))
    assert (round(float(lower[0]), 4), round(float(upper[0]), 4)) == (13.3367, 28.8829)
    ((lower, upper),) = poisson_limits([5, 65], (0.95,))
    assert [round(float(v), 4) for v in lower] == [1.6235, 50.1632]
    assert [round(float(v), 4) for v in upper] == [11.6683, 82.8491]


def test_a_bad_confidence_is_refused_every_time() -> None:
    for _ in range(2):  # (z is remembered per level; a refused level never is)
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            poisson_limits([5.0], (0.95, 1.5))
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            proportion_limits([5.0], [10.0], (0.0,))
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            rate_limits([5.0], [10.0], (float("nan"),))
