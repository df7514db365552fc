"""Property tests (hypothesis) for the public-health methods: intervals contain their estimate and
widen with confidence; funnels contain their baseline and narrow as the denominator grows."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.stats import (
    funnel_limits,
    isr_interval,
    life_expectancy,
    mean_interval,
    quantile_groups,
    smr_interval,
)

BANDS = 5
counts = st.lists(st.integers(min_value=0, max_value=500), min_size=BANDS, max_size=BANDS)
populations = st.lists(st.integers(min_value=1, max_value=100_000), min_size=BANDS, max_size=BANDS)


@given(counts, populations, counts, populations, st.floats(0.5, 0.99))
def test_smr_and_isr_intervals_contain_the_value_and_widen(
    x: list[int], n: list[int], ref_x: list[int], ref_n: list[int], confidence: float
) -> None:
    value, lower, upper = smr_interval(x, n, ref_x, ref_n, confidence=confidence)
    if not np.isfinite(value):
        assert sum(ref_x) == 0  # only with no expected events is there nothing to compare with
        return
    wide_lower, wide_upper = smr_interval(x, n, ref_x, ref_n, confidence=0.999)[1:]
    assert wide_lower <= lower + 1e-12 and lower <= value + 1e-12 and value <= upper + 1e-12
    assert upper <= wide_upper + 1e-12
    rate, rate_lower, rate_upper = isr_interval(x, n, ref_x, ref_n, confidence=confidence)
    assert rate_lower <= rate + 1e-9 <= rate_upper + 2e-9


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=40), st.floats(0.5, 0.99))
def test_mean_interval_contains_the_mean_and_widens(values: list[float], confidence: float) -> None:
    mean, lower, upper = mean_interval(values, confidence=confidence)
    _, wide_lower, wide_upper = mean_interval(values, confidence=0.999)
    tolerance = 1e-9 * (1 + abs(mean))
    assert wide_lower <= lower + tolerance and lower <= mean + tolerance and mean <= upper + tolerance
    assert upper <= wide_upper + tolerance


@settings(max_examples=50)
@given(st.integers(300, 20_000), st.floats(0.0005, 0.2))
def test_life_expectancy_interval_contains_the_value(band_population: int, scale: float) -> None:
    rates = np.array(
        [
            0.004,
            0.0002,
            0.0001,
            0.0001,
            0.0003,
            0.0004,
            0.0005,
            0.0006,
            0.0009,
            0.0013,
            0.002,
            0.003,
            0.005,
            0.008,
            0.013,
            0.022,
            0.037,
            0.065,
            0.11,
            0.2,
        ]
    )
    pops = np.full(20, float(band_population))
    deaths = np.maximum(np.round(pops * rates * scale / 0.05), 1)
    value, lower, upper = life_expectancy(pops, deaths)
    shown = np.isfinite(value)
    assert np.all(lower[shown] <= value[shown]) and np.all(value[shown] <= upper[shown])
    assert np.all(np.diff(value[1:][np.isfinite(value[1:])]) < 0)  # fewer years left at older ages


@given(st.sampled_from(["proportion", "rate", "ratio"]), st.floats(1, 1e6), st.floats(0.01, 0.99))
def test_funnel_contains_its_baseline_and_the_998_limits_are_outside_the_95(
    statistic: str, denominator: float, share: float
) -> None:
    multiplier = 100 if statistic != "rate" else 100_000
    baseline = share * multiplier
    funnel = funnel_limits(
        [denominator, denominator * 4], statistic=statistic, baseline=baseline, multiplier=multiplier
    )
    slack = 1e-9 * multiplier
    assert np.all(funnel.lower998 <= funnel.lower95 + slack) and np.all(funnel.lower95 <= baseline + slack)
    assert np.all(baseline <= funnel.upper95 + slack) and np.all(funnel.upper95 <= funnel.upper998 + slack)
    # a bigger denominator never widens the funnel
    assert funnel.lower95[1] >= funnel.lower95[0] - slack and funnel.upper95[1] <= funnel.upper95[0] + slack


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=60), st.integers(1, 12))
def test_quantiles_are_monotonic_in_the_value(values: list[float], groups: int) -> None:
    got = quantile_groups(values, groups=groups)
    if len(values) < groups:
        assert np.isnan(got).all()
        return
    order = np.argsort(values, kind="stable")
    assert np.all(np.diff(got[order]) >= 0) and got.min() >= 1 and got.max() <= groups
    inverted = quantile_groups(values, groups=groups, invert=True)
    assert np.all(np.diff(inverted[order]) <= 0)
