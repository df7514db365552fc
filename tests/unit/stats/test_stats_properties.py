"""Property tests (hypothesis) for the statistics package."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.stats import (
    byar_interval,
    compare_with_benchmark,
    compare_with_benchmark_array,
    dsr_interval,
    poisson_interval,
    proportion_interval,
    rate_interval,
    trend_marker,
    wilson_interval,
    xmr,
)

SWAP = {"better": "worse", "worse": "better"}
confidences = st.floats(min_value=0.5, max_value=0.9999)
denominators = st.integers(min_value=1, max_value=10**7)
finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


@st.composite
def proportions(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(denominators)
    return draw(st.integers(min_value=0, max_value=n)), n


@given(proportions(), confidences)
def test_wilson_contains_the_proportion(xn: tuple[int, int], confidence: float) -> None:
    x, n = xn
    lower, upper = wilson_interval(x, n, confidence=confidence)
    assert 0.0 <= lower <= x / n + 1e-12 and x / n - 1e-12 <= upper <= 1.0
    value, lower, upper = proportion_interval(x, n, multiplier=100, confidence=confidence)
    assert lower <= value + 1e-9 and value - 1e-9 <= upper


@given(st.integers(min_value=0, max_value=10**7), denominators, confidences)
def test_rate_and_poisson_contain_the_estimate(count: int, n: int, confidence: float) -> None:
    lower, upper = poisson_interval(count, confidence=confidence)
    assert lower <= count <= upper
    value, lower, upper = rate_interval(count, n, confidence=confidence)
    assert lower <= value * (1 + 1e-12) and value <= upper


@given(st.integers(min_value=1, max_value=10**7), confidences)
def test_byar_contains_the_count_where_defined(count: int, confidence: float) -> None:
    lower, upper = byar_interval(count, confidence=confidence)
    assert np.isnan(lower) or lower <= count
    assert count <= upper


@given(
    st.lists(
        st.tuples(st.integers(0, 500), st.integers(1, 10**5), st.integers(1, 10**4)), min_size=1, max_size=20
    ),
    confidences,
)
def test_dsr_contains_its_value(bands: list[tuple[int, int, int]], confidence: float) -> None:
    counts, pops, std = (np.array(c, dtype=float) for c in zip(*bands, strict=True))
    value, lower, upper = dsr_interval(counts, pops, std, confidence=confidence)
    if counts.sum() < 10:
        assert np.isnan(value) and np.isnan(lower) and np.isnan(upper)
    else:
        assert lower <= value * (1 + 1e-12) and value <= upper * (1 + 1e-12)


@given(proportions(), st.integers(0, 10**6), denominators, confidences, confidences)
def test_intervals_widen_with_confidence(
    xn: tuple[int, int], count: int, n: int, c1: float, c2: float
) -> None:
    low, high = sorted((c1, c2))
    x, m = xn
    pairs = [
        (wilson_interval(x, m, confidence=low), wilson_interval(x, m, confidence=high)),
        (poisson_interval(count, confidence=low), poisson_interval(count, confidence=high)),
        (rate_interval(count, n, confidence=low)[1:], rate_interval(count, n, confidence=high)[1:]),
        (proportion_interval(x, m, confidence=low)[1:], proportion_interval(x, m, confidence=high)[1:]),
    ]
    if count > 0:
        pairs.append((byar_interval(count, confidence=low), byar_interval(count, confidence=high)))
    for (lower_a, upper_a), (lower_b, upper_b) in pairs:
        assert np.isnan(lower_b) or lower_b <= lower_a * (1 + 1e-12) + 1e-12
        assert upper_b * (1 + 1e-12) >= upper_a


@given(finite, finite, st.floats(0, 1e4), st.floats(0, 1e4), st.floats(1, 3), st.sampled_from([True, False]))
def test_flipping_polarity_mirrors_the_comparison(
    value: float, benchmark: float, below: float, above: float, stretch: float, with_998: bool
) -> None:
    limits = {"lower95": value - below, "upper95": value + above}
    if with_998:
        limits |= {"lower998": value - stretch * below, "upper998": value + stretch * above}
    hib = compare_with_benchmark(value, benchmark, polarity="higher-is-better", **limits)
    lib = compare_with_benchmark(value, benchmark, polarity="lower-is-better", **limits)
    neutral = compare_with_benchmark(value, benchmark, polarity="no-judgement", **limits)
    assert lib.judgement == SWAP.get(hib.judgement, hib.judgement)
    assert hib.level == lib.level == neutral.level
    assert neutral.judgement == {"better": "higher", "worse": "lower"}.get(hib.judgement, hib.judgement)
    array = compare_with_benchmark_array(value, benchmark, polarity="lower-is-better", **limits)
    assert array.judgements.item() == lib.judgement


@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=2, max_size=60), st.booleans())
def test_xmr_limits_are_symmetric_about_the_mean(values: list[float], screen: bool) -> None:
    chart = xmr(values, screen_outliers=screen)
    scale = max(1.0, abs(chart.mean), chart.mean_moving_range)
    assert abs((chart.upper_limit - chart.mean) - (chart.mean - chart.lower_limit)) <= 1e-9 * scale
    assert chart.lower_limit <= chart.mean <= chart.upper_limit
    assert len(chart.point_types) == len(values) == len(chart.rules)


@given(st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=40), st.booleans())
def test_xmr_mirror_swaps_improvement_and_concern(values: list[float], screen: bool) -> None:
    up = xmr(values, improvement="increase", screen_outliers=screen)
    down = xmr([-v for v in values], improvement="decrease", screen_outliers=screen)
    assert up.point_types == down.point_types
    assert up.rules == down.rules


@st.composite
def proportion_series(draw: st.DrawFn) -> tuple[list[int], list[int]]:
    size = draw(st.integers(5, 8))
    denoms = draw(st.lists(st.integers(20, 100_000), min_size=size, max_size=size))
    counts = [draw(st.integers(0, d)) for d in denoms]
    return counts, denoms


@settings(max_examples=200)
@given(proportion_series())
def test_trend_mirrors_for_proportions(series: tuple[list[int], list[int]]) -> None:
    counts, denoms = series
    periods = list(range(len(counts)))
    t = trend_marker(periods, counts=counts, denominators=denoms)
    mirror = trend_marker(
        periods, counts=[d - c for c, d in zip(counts, denoms, strict=True)], denominators=denoms
    )
    flip = {"increasing": "decreasing", "decreasing": "increasing"}
    assert mirror.marker == flip.get(t.marker, t.marker)
    if np.isfinite(t.chi2):
        assert np.isclose(mirror.chi2, t.chi2, rtol=1e-9)


@st.composite
def value_series(draw: st.DrawFn) -> tuple[list[float], list[float], list[float]]:
    size = draw(st.integers(5, 8))
    values = draw(st.lists(st.floats(-1e4, 1e4, allow_nan=False), min_size=size, max_size=size))
    halves = draw(st.lists(st.floats(0.01, 1e3), min_size=size, max_size=size))
    return (
        values,
        [v - h for v, h in zip(values, halves, strict=True)],
        [v + h for v, h in zip(values, halves, strict=True)],
    )


@settings(max_examples=200)
@given(value_series())
def test_trend_mirrors_for_values(series: tuple[list[float], list[float], list[float]]) -> None:
    values, lower, upper = series
    periods = [f"p{i}" for i in range(len(values))]
    t = trend_marker(periods, values=values, lower95=lower, upper95=upper)
    mirror = trend_marker(
        periods, values=[-v for v in values], lower95=[-u for u in upper], upper95=[-lo for lo in lower]
    )
    flip = {"increasing": "decreasing", "decreasing": "increasing"}
    assert mirror.marker == flip.get(t.marker, t.marker)
    assert np.isclose(mirror.chi2, t.chi2, rtol=1e-9)
