"""Hand-worked and edge-case tests of the interval functions (the reference rows are elsewhere)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import chi2

from outcomes.stats import (
    byar_interval,
    dsr_interval,
    poisson_interval,
    proportion_interval,
    rate_interval,
    wilson_interval,
)


def test_scalar_input_gives_numpy_float_scalars() -> None:
    for result in (
        wilson_interval(3, 10),
        byar_interval(30),
        poisson_interval(3),
        proportion_interval(3, 10),
        rate_interval(3, 10),
        dsr_interval([20, 30], [100, 200], [1, 1]),
    ):
        assert all(isinstance(x, np.float64) for x in result)


def test_array_input_keeps_its_shape() -> None:
    x = np.arange(12.0).reshape(3, 4)
    lower, upper = poisson_interval(x)
    assert lower.shape == upper.shape == (3, 4)
    value, lower, upper = proportion_interval(x, 20)
    assert value.shape == lower.shape == upper.shape == (3, 4)


def test_wilson_by_hand() -> None:
    z = 1.959963984540054
    x, n = 7.0, 40.0
    root = z * np.sqrt(z * z + 4 * x * (1 - x / n))
    expected = ((2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z)))
    np.testing.assert_allclose(wilson_interval(x, n), expected, rtol=1e-12)


def test_wilson_edges() -> None:
    lower, upper = wilson_interval([0, 10], [10, 10])
    assert lower[0] == 0.0 and upper[1] == 1.0
    assert 0 < upper[0] < 1 and 0 < lower[1] < 1


@pytest.mark.parametrize(("x", "n"), [(-1, 10), (11, 10), (1, 0), (1, -5), (np.nan, 10), (1, np.nan)])
def test_wilson_impossible_inputs_are_nan(x: float, n: float) -> None:
    assert np.isnan(wilson_interval(x, n)).all()
    assert np.isnan(proportion_interval(x, n)).all()


def test_byar_lower_is_nan_where_formula_goes_negative_or_undefined() -> None:
    lower, upper = byar_interval([0, 1, 2], confidence=0.998)
    assert np.isnan(lower[0]) and np.isnan(lower[1]) and lower[2] >= 0
    assert np.all(np.isfinite(upper))
    assert np.isnan(byar_interval(-1)).all()


def test_poisson_switches_from_exact_to_byar_at_ten() -> None:
    lower, upper = poisson_interval([9, 10])
    assert lower[0] == pytest.approx(chi2.ppf(0.025, 18) / 2, rel=1e-12)
    assert upper[0] == pytest.approx(chi2.ppf(0.975, 20) / 2, rel=1e-12)
    np.testing.assert_allclose([lower[1], upper[1]], byar_interval(10), rtol=1e-12)


def test_poisson_zero_events() -> None:
    lower, upper = poisson_interval(0)
    assert lower == 0.0
    assert upper == pytest.approx(-np.log(0.025), rel=1e-9)  # exact upper limit for 0 events


def test_rate_allows_numerator_above_denominator_but_not_bad_denominators() -> None:
    value, lower, upper = rate_interval([250, 5, 5, np.nan], [220, 0, np.nan, 10], multiplier=1)
    assert value[0] == pytest.approx(250 / 220) and lower[0] < value[0] < upper[0]
    assert np.isnan(value[1:]).all() and np.isnan(lower[1:]).all() and np.isnan(upper[1:]).all()


def test_dsr_by_hand_and_below_ten() -> None:
    counts, pop, std = np.array([4.0, 6.0]), np.array([1000.0, 500.0]), np.array([600.0, 400.0])
    value, lower, upper = dsr_interval(counts, pop, std, multiplier=1)
    dsr = (4 * 0.6 + 6 * 0.8) / 1000
    var = (4 * 0.6**2 + 6 * 0.8**2) / 1000**2
    b_lower, b_upper = byar_interval(10)
    assert value == pytest.approx(dsr)
    assert lower == pytest.approx(dsr + np.sqrt(var / 10) * (b_lower - 10))
    assert upper == pytest.approx(dsr + np.sqrt(var / 10) * (b_upper - 10))
    assert np.isnan(dsr_interval([4, 5], pop, std)).all()  # total 9 < 10


def test_dsr_missing_count_is_zero_but_missing_population_is_nan() -> None:
    a = dsr_interval([np.nan, 20, 30], [100, 200, 300], [1, 1, 1])
    b = dsr_interval([0, 20, 30], [100, 200, 300], [1, 1, 1])
    np.testing.assert_allclose(a, b)
    assert np.isnan(dsr_interval([5, 20, 30], [np.nan, 200, 300], [1, 1, 1])).all()
    assert np.isnan(dsr_interval([5, 20, 30], [0, 200, 300], [1, 1, 1])).all()


def test_dsr_event_frequencies_of_one_equal_independent_events() -> None:
    counts = np.array([12.0, 30.0, 55.0])
    pop, std = np.array([1000.0, 1500.0, 900.0]), np.array([4000.0, 3500.0, 2500.0])
    np.testing.assert_allclose(
        dsr_interval(counts[None, :], pop, std, event_frequencies=[1.0]), dsr_interval(counts, pop, std)
    )


def test_dsr_rejects_bad_shapes_and_negative_counts() -> None:
    with pytest.raises(ValueError):
        dsr_interval(5, 100, 1)
    with pytest.raises(ValueError):
        dsr_interval([1, 2], [100, 100], [1, 1], event_frequencies=[1, 2])
    with pytest.raises(ValueError):
        dsr_interval([-1, 20], [100, 100], [1, 1])


@pytest.mark.parametrize("confidence", [0, 1, 95, -0.5, float("nan")])
def test_confidence_must_be_a_fraction(confidence: float) -> None:
    for call in (
        lambda: wilson_interval(1, 2, confidence=confidence),
        lambda: byar_interval(1, confidence=confidence),
        lambda: poisson_interval(1, confidence=confidence),
        lambda: rate_interval(1, 2, confidence=confidence),
        lambda: dsr_interval([10, 2], [5, 5], [1, 1], confidence=confidence),
    ):
        with pytest.raises(ValueError):
            call()


def test_vectorised_matches_elementwise() -> None:
    rng = np.random.default_rng(7)
    n = rng.integers(1, 500, size=50).astype(float)
    x = np.floor(rng.random(50) * (n + 1))
    vector = rate_interval(x, n)
    for i in range(50):
        np.testing.assert_allclose([v[i] for v in vector], rate_interval(x[i], n[i]), rtol=1e-12)
    vector = proportion_interval(x, n, confidence=0.998)
    for i in range(50):
        np.testing.assert_allclose([v[i] for v in vector], proportion_interval(x[i], n[i], confidence=0.998))


def test_hundred_thousand_rows_in_one_call() -> None:
    """Whole columns in one call (speed is shown by bench/, never asserted here): every row gets limits."""
    rng = np.random.default_rng(1)
    n = rng.integers(1, 100_000, size=100_000).astype(float)
    x = np.floor(rng.random(100_000) * n)
    for _, lower, upper in (proportion_interval(x, n), rate_interval(x, n)):
        assert lower.shape == (100_000,) and np.all(lower <= upper)
    value, lower, upper = dsr_interval(x.reshape(5_000, 20), n.reshape(5_000, 20), np.ones(20))
    assert value.shape == (5_000,)


# The formulas as the PHE technical guide writes them, with scipy's chi-squared quantile evaluated on every
# element (the implementation before the lookup table): the fast path must give the same answers.
def _reference_poisson(x: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    z = float(np.sqrt(chi2.ppf(confidence, 1)))
    alpha = 1.0 - confidence
    lower = np.full(x.shape, np.nan)
    upper = np.full(x.shape, np.nan)
    for i, c in enumerate(x):
        if not (np.isfinite(c) and c >= 0):
            continue
        if c < 10:
            lower[i] = chi2.ppf(alpha / 2, 2 * c) / 2 if c > 0 else 0.0
            upper[i] = chi2.ppf(1 - alpha / 2, 2 * c + 2) / 2
        else:
            lo = c * (1 - 1 / (9 * c) - z / (3 * np.sqrt(c))) ** 3
            lower[i] = lo if lo >= 0 else np.nan
            upper[i] = (c + 1) * (1 - 1 / (9 * (c + 1)) + z / (3 * np.sqrt(c + 1))) ** 3
    return lower, upper


@pytest.mark.parametrize("confidence", [0.95, 0.998, 0.9])
def test_table_lookup_gives_the_same_limits_as_the_quantile_on_every_count(confidence: float) -> None:
    rng = np.random.default_rng(17)
    whole = rng.integers(0, 40, size=3_000).astype(float)
    fractional = rng.random(500) * 12.0
    odd = np.array([np.nan, -1.0, -0.5, np.inf, 0.0, 9.0, 9.999, 10.0, 1e9])
    x = rng.permutation(np.concatenate([whole, fractional, odd]))
    expected_lower, expected_upper = _reference_poisson(x, confidence)
    lower, upper = poisson_interval(x, confidence=confidence)
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-12, atol=0, equal_nan=True)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-12, atol=0, equal_nan=True)
    n = rng.integers(1, 10_000, size=x.size).astype(float)
    value, rate_lower, rate_upper = rate_interval(x, n, multiplier=1_000, confidence=confidence)
    np.testing.assert_allclose(rate_lower, expected_lower / n * 1_000, rtol=1e-12, equal_nan=True)
    np.testing.assert_allclose(rate_upper, expected_upper / n * 1_000, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("confidence", [0.95, 0.998])
def test_wilson_on_random_inputs_matches_the_formula(confidence: float) -> None:
    rng = np.random.default_rng(3)
    n = rng.integers(1, 100_000, size=5_000).astype(float)
    x = np.floor(rng.random(5_000) * (n + 1))
    z = float(np.sqrt(chi2.ppf(confidence, 1)))
    root = z * np.sqrt(z * z + 4 * x * (1 - x / n))
    expected_lower = np.clip((2 * x + z * z - root) / (2 * (n + z * z)), 0, 1)
    expected_upper = np.clip((2 * x + z * z + root) / (2 * (n + z * z)), 0, 1)
    value, lower, upper = proportion_interval(x, n, multiplier=1, confidence=confidence)
    np.testing.assert_allclose(lower, expected_lower, rtol=1e-12)
    np.testing.assert_allclose(upper, expected_upper, rtol=1e-12)
    np.testing.assert_allclose(value, x / n, rtol=1e-15)
