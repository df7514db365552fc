"""trend_marker_objects (the recent-trend markers judge_framework computes in one kernel call) gives
trend_marker's answer window by window: the same marker, reason and method, and the same chi-squared
and slope to 1e-9 relative (the kernel sums in another order)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.stats import trend_marker
from outcomes.stats.kernels import TrendWindow, trend_marker_objects

YEARS = (2014, 2015, 2016, 2017, 2018)


def _window(i: int, rng: np.random.Generator) -> TrendWindow:
    shape = i % 6
    if shape == 0:  # proportions with a drift (or none): increasing, decreasing, no change
        n = rng.integers(500, 50_000, 5).astype(float)
        p = np.clip(rng.uniform(0.05, 0.9) + rng.choice([-0.02, 0.0, 0.02]) * np.arange(5), 0.0, 1.0)
        return TrendWindow(YEARS, counts=np.round(p * n).tolist(), denominators=n.tolist())
    if shape == 1:  # a zigzag: significant but the slope changes sign when a point is left out
        v = [10.0, 30.0, 10.0, 30.0, 60.0] if i % 12 == 1 else [60.0, 30.0, 10.0, 30.0, 10.0]
        return TrendWindow(YEARS, values=v, lower95=[x - 0.5 for x in v], upper95=[x + 0.5 for x in v])
    if shape == 2:  # values with limits, noisy trend
        v = (rng.uniform(10, 100) + rng.uniform(-3, 3) * np.arange(5) + rng.normal(0, 1, 5)).tolist()
        half = rng.uniform(0.5, 4, 5).tolist()
        return TrendWindow(YEARS, values=v, lower95=[a - h for a, h in zip(v, half, strict=True)],
                           upper95=[a + h for a, h in zip(v, half, strict=True)])
    if shape == 3:  # cannot be calculated: a missing count, a zero-width interval, too few points
        which = i % 3
        if which == 0:
            return TrendWindow(YEARS, counts=[1.0, 2.0, math.nan, 4.0, 5.0], denominators=[10.0] * 5)
        if which == 1:
            return TrendWindow(YEARS, values=[1.0] * 5, lower95=[1.0] * 5, upper95=[1.0] * 5)
        return TrendWindow(YEARS[:4], values=[1.0, 2.0, 3.0, 4.0], lower95=[0.0] * 4, upper95=[5.0] * 4)
    if shape == 4:  # every count zero, or a 0% point (the empirical logit)
        if i % 12 == 4:
            return TrendWindow(YEARS, counts=[0.0] * 5, denominators=[100.0] * 5)
        return TrendWindow(YEARS, counts=[0.0, 3.0, 9.0, 15.0, 30.0], denominators=[100.0] * 5)
    return TrendWindow((2014, 2014, 2015, 2016, 2017), values=[1.0] * 5, lower95=[0.0] * 5, upper95=[2.0] * 5)


def test_the_kernel_gives_the_per_series_markers():
    rng = np.random.default_rng(23)
    windows = [_window(i, rng) for i in range(1_200)]
    together = trend_marker_objects(windows)
    assert len(together) == len(windows)
    for w, got in zip(windows, together, strict=True):
        alone = trend_marker(w.periods, counts=w.counts, denominators=w.denominators, values=w.values,
                             lower95=w.lower95, upper95=w.upper95)
        assert (got.marker, got.method, got.periods) == (alone.marker, alone.method, alone.periods)
        assert got.chi2 == pytest.approx(alone.chi2, rel=1e-9, nan_ok=True)
        assert got.slope == pytest.approx(alone.slope, rel=1e-9, nan_ok=True)
        assert got.reason == alone.reason  # the chi-squared printed to 4 significant figures
    markers = {m.marker for m in together}
    assert markers == {"increasing", "decreasing", "no significant change", "cannot be calculated"}
    # every verdict sentence was compared: significant, sign changes, not significant
    assert any(m.reason.endswith("when a point is left out") for m in together)
    assert any(m.reason.endswith("(99.8% significance not reached)") for m in together)
    assert any(m.reason.endswith(": increasing") for m in together)
