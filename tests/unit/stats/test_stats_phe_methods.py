"""The public-health methods against the PHEindicatormethods package's published test values.

The cases are transcribed into ``tests/data/phe-methods`` (see the README there for the source,
commit and licence of each file). Where the package keeps its expected values only in Excel
workbooks (means, ISR/SMR, quantiles, SII), the tests check the methods against independent
calculations instead, said test by test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as scipy_stats

from outcomes.stats import (
    funnel_limits,
    isr_interval,
    life_expectancy,
    mean_interval,
    poisson_interval,
    quantile_groups,
    slope_index_of_inequality,
    smr_interval,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "phe-methods"


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _column(rows: list[dict[str, str]], name: str) -> np.ndarray:
    return np.array([float(row[name]) for row in rows])


# --- life expectancy -------------------------------------------------------------------------------


def test_life_expectancy_reproduces_the_package_to_four_decimals() -> None:
    """testLifeExpectancy.R compares ``round(x, 4)`` with its ``answer1`` for all 20 ages."""
    rows = _read("life_expectancy.csv")
    value, lower, upper = life_expectancy(_column(rows, "pops"), _column(rows, "deaths"))
    for got, column in ((value, "value"), (lower, "lowercl"), (upper, "uppercl")):
        np.testing.assert_array_equal(np.round(got, 4), np.round(_column(rows, column), 4), err_msg=column)


def test_life_expectancy_is_vectorised_over_areas() -> None:
    rows = _read("life_expectancy.csv")
    pops, deaths = _column(rows, "pops"), _column(rows, "deaths")
    value, _, _ = life_expectancy(np.vstack([pops, pops * 0 + 10]), np.vstack([deaths, deaths * 0 + 1]))
    assert value.shape == (2, 20)
    assert round(float(value[0, 0]), 4) == round(80.16960813, 4)
    assert np.all(np.isnan(value[1]))  # total population 200: at most 5,000, suppressed


@pytest.mark.parametrize(
    "case", ["negative_deaths", "zero_population", "deaths_above_population", "low_total_population"]
)
def test_life_expectancy_suppresses_as_the_guide_says(case: str) -> None:
    rows = [row for row in _read("life_expectancy_suppressed.csv") if row["case"] == case]
    assert len(rows) == 20
    value, lower, upper = life_expectancy(_column(rows, "pop"), _column(rows, "deaths"))
    assert np.all(np.isnan(value)) and np.all(np.isnan(lower)) and np.all(np.isnan(upper))


def test_life_expectancy_suppresses_a_value_whose_interval_is_wider_than_20_years() -> None:
    # A population just over 5,000 with few deaths: the old ages have very wide intervals.
    pops = np.full(20, 260.0)
    deaths = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 8, 10, 12], dtype=float)
    value, lower, upper = life_expectancy(pops, deaths)
    wide = (upper - lower) > 20  # the 95% interval is wider than 20 years
    assert wide.any(), "the case must contain a wide interval"
    assert np.all(np.isnan(value[wide])) and np.all(np.isfinite(lower[wide]))
    assert np.all(np.isfinite(value[~wide]))


def test_life_expectancy_needs_the_twenty_bands() -> None:
    with pytest.raises(ValueError, match="20 standard age bands"):
        life_expectancy(np.ones(19) * 1000, np.ones(19))


# --- funnel limits ---------------------------------------------------------------------------------


def test_proportion_funnel_reproduces_the_package_to_its_printed_six_decimals() -> None:
    """The file prints six decimals (cut, not rounded) and so does its baseline: within 1e-6."""
    rows = _read("funnel_proportion.csv")
    funnel = funnel_limits(_column(rows, "Population"), statistic="proportion", baseline=80.642448)
    for got, column in (
        (funnel.lower95, "Lower2s0025limit"),
        (funnel.upper95, "Upper2s0025limit"),
        (funnel.lower998, "Lower3s0001limit"),
        (funnel.upper998, "Upper3s0001limit"),
    ):
        np.testing.assert_allclose(got, _column(rows, column), atol=1e-6, rtol=0, err_msg=column)


def _assert_on_the_package_curve(limit_at, denominators, observed, rate, desired, what) -> None:
    """Our limits at the package's points, allowing for the error the package's points carry.

    ``poisson_funnel`` finds the mean ``λ`` behind each point by bisection on ``v`` in (0, 1) with
    ``λ = (1 + O)v/(1 − v)``, stopping once its step is below 1e-7; so its ``λ`` (and the
    denominator ``λ/rate`` printed beside the limit) is off by up to ``δλ = 1e-7 (1 + O)/(1 − v)²``.
    Its limit is ``O/denominator`` at that shifted denominator, so it sits on the curve
    ``O/n``, not on the funnel. Ours are solved to 1e-12; at the package's denominator they may
    differ from its limit by up to (the funnel's slope + the slope of ``O/n``) times the shift:
    twice that, plus the ten significant figures the file prints, is allowed.
    """
    mean = denominators * rate
    v = mean / (mean + 1 + observed)
    shift = 1e-7 * (1 + observed) / (1 - v) ** 2 / rate
    h = 1e-4 * denominators
    slope = (limit_at(denominators + h) - limit_at(denominators - h)) / (2 * h)
    allowed = 2 * (np.abs(slope) + np.abs(desired) / denominators) * shift + 1e-9 * np.abs(desired)
    actual = limit_at(denominators)
    excess = np.abs(actual - desired) - allowed
    assert np.all(excess <= 0), (
        f"{what}: off by {np.abs(actual - desired)[excess.argmax()]:.3g} at {excess.argmax()}"
    )


def test_ratio_funnel_reproduces_the_package() -> None:
    """Each row gives four (expected events, limit) points on the ISR scale (100 = reference)."""
    rows = _read("funnel_ratio.csv")
    for side, pick in (
        ("lower_2s", "lower95"),
        ("upper_2s", "upper95"),
        ("lower_3s", "lower998"),
        ("upper_3s", "upper998"),
    ):
        expected_events = _column(rows, f"{side}_exp_events")
        observed = _column(rows, "Observed_events")

        def isr(n: np.ndarray, pick: str = pick) -> np.ndarray:
            return np.asarray(
                getattr(funnel_limits(n, statistic="ratio", baseline=100, multiplier=100), pick)
            )

        def ratio(n: np.ndarray, pick: str = pick) -> np.ndarray:
            return np.asarray(getattr(funnel_limits(n, statistic="ratio", baseline=1, multiplier=1), pick))

        _assert_on_the_package_curve(isr, expected_events, observed, 1.0, _column(rows, f"{side}_isr"), side)
        # the package's "count" ratio is the same limit as a plain ratio, minus 1
        desired = _column(rows, f"{side}_count") + 1
        _assert_on_the_package_curve(ratio, expected_events, observed, 1.0, desired, side)


@pytest.mark.parametrize(
    ("name", "baseline"), [("funnel_rate.csv", 116.1720835), ("funnel_rate_crude.csv", 114.8591735)]
)
def test_rate_funnel_reproduces_the_package(name: str, baseline: float) -> None:
    """A DSR funnel and a crude-rate funnel over three years of data: the population at each point
    is 3 × the 1-year one."""
    rows = _read(name)
    assert {float(r["baseline"]) for r in rows} == {baseline}
    for side, pick in (
        ("lower_2s", "lower95"),
        ("upper_2s", "upper95"),
        ("lower_3s", "lower998"),
        ("upper_3s", "upper998"),
    ):
        population = 3 * _column(rows, f"{side}_population_1_year")

        def rate(n: np.ndarray, pick: str = pick) -> np.ndarray:
            funnel = funnel_limits(n, statistic="rate", baseline=baseline, multiplier=100_000)
            return np.asarray(getattr(funnel, pick))

        desired = _column(rows, f"{side}_limit")
        _assert_on_the_package_curve(
            rate, population, _column(rows, "Events"), baseline / 100_000, desired, side
        )


def test_funnel_rejects_an_unknown_statistic() -> None:
    with pytest.raises(ValueError, match="proportion, rate, ratio"):
        funnel_limits([10], statistic="dsr", baseline=1)


def test_funnel_gives_nan_for_a_missing_denominator() -> None:
    funnel = funnel_limits([np.nan, 0, 100], statistic="rate", baseline=50, multiplier=1000)
    assert np.isnan(funnel.lower95[:2]).all() and np.isfinite(funnel.upper998[2])


# --- means -----------------------------------------------------------------------------------------


def test_mean_interval_is_students_t_as_scipy_computes_it() -> None:
    values = np.array([11.2, 9.8, 14.1, 12.0, 10.4, 13.3, 8.9])
    for confidence in (0.95, 0.998):
        mean, lower, upper = mean_interval(values, confidence=confidence)
        expected = scipy_stats.t.interval(
            confidence, len(values) - 1, loc=values.mean(), scale=scipy_stats.sem(values)
        )
        np.testing.assert_allclose([mean, lower, upper], [values.mean(), *expected], rtol=1e-12)


def test_mean_interval_leaves_out_missing_values_and_needs_two() -> None:
    mean, lower, upper = mean_interval([[1.0, np.nan, 3.0], [5.0, np.nan, np.nan]])
    assert mean.tolist() == [2.0, 5.0]
    assert np.isfinite(lower[0]) and np.isnan(lower[1]) and np.isnan(upper[1])


# --- ISR and SMR -----------------------------------------------------------------------------------

# The reference counts and populations of the package's ISR tests (testISRates.R and R/isr_sheet.csv, 19 bands).
REF_COUNTS = [
    10303,
    2824,
    3615,
    3615,
    3641,
    3490,
    3789,
    3213,
    3031,
    2771,
    3089,
    3490,
    3595,
    4745,
    5514,
    7125,
    5694,
    6210,
    5757,
]
REF_POPS = [
    50520,
    57173,
    60213,
    54659,
    44345,
    50128,
    62163,
    67423,
    62899,
    55463,
    60479,
    49974,
    44140,
    40888,
    37239,
    30819,
    18136,
    15325,
    13918,
]


def test_expected_events_reproduce_the_package_isr_sheet() -> None:
    """R/isr_sheet.csv prints each band's reference rate ``li`` and expected events ``Ei``: the SMR
    must be ``ΣO / ΣEi``, and with one band at a time each band's ``Ei`` must come back."""
    rows = _read("isr_sheet.csv")
    obs, pop = _column(rows, "obs"), _column(rows, "pop")
    ref_count, ref_pop, band_expected = (
        _column(rows, "refcount"),
        _column(rows, "refpop"),
        _column(rows, "Ei"),
    )
    np.testing.assert_allclose(ref_count / ref_pop, _column(rows, "li"), rtol=1e-8)
    value, _, _ = smr_interval(obs, pop, ref_count, ref_pop)
    assert float(value) == pytest.approx(obs.sum() / band_expected.sum(), rel=1e-8)
    for i in range(len(rows)):
        one, _, _ = smr_interval(obs[i : i + 1], pop[i : i + 1], ref_count[i : i + 1], ref_pop[i : i + 1])
        assert obs[i] / float(one) == pytest.approx(band_expected[i], rel=1e-8)


def test_smr_is_observed_over_expected_with_the_poisson_limits_of_the_observed() -> None:
    """Worked by hand: E = Σ Xᵢ/Nᵢ·nᵢ; limits are the count's Poisson limits over E."""
    pops = np.array(REF_POPS) / 10
    counts = np.arange(19.0)
    expected = float(np.sum(np.array(REF_COUNTS) / np.array(REF_POPS) * pops))
    value, lower, upper = smr_interval(counts, pops, REF_COUNTS, REF_POPS, reference_value=100)
    count_lower, count_upper = poisson_interval(counts.sum())
    np.testing.assert_allclose(
        [value, lower, upper], np.array([counts.sum(), count_lower, count_upper]) / expected * 100
    )


def test_smr_switches_from_exact_to_byars_at_ten_events() -> None:
    pops = np.array(REF_POPS) / 10
    for observed, exact in ((9, True), (10, False)):
        _, lower, upper = smr_interval(None, pops, REF_COUNTS, REF_POPS, observed=observed)
        expected = float(np.sum(np.array(REF_COUNTS) / np.array(REF_POPS) * pops))
        if exact:
            limits = (
                scipy_stats.chi2.ppf([0.025], 2 * observed)[0] / 2,
                scipy_stats.chi2.ppf(0.975, 2 * observed + 2) / 2,
            )
        else:
            z = scipy_stats.norm.ppf(0.975)
            limits = (
                observed * (1 - 1 / (9 * observed) - z / (3 * np.sqrt(observed))) ** 3,
                (observed + 1) * (1 - 1 / (9 * (observed + 1)) + z / (3 * np.sqrt(observed + 1))) ** 3,
            )
        np.testing.assert_allclose([lower, upper], np.array(limits) / expected, rtol=1e-12)


def test_isr_is_the_smr_times_the_reference_rate() -> None:
    pops = np.array(REF_POPS) / 7
    counts = np.linspace(3, 40, 19).round()
    ratio = np.array(smr_interval(counts, pops, REF_COUNTS, REF_POPS))
    rate = np.array(isr_interval(counts, pops, REF_COUNTS, REF_POPS, multiplier=1000))
    np.testing.assert_allclose(rate, ratio * sum(REF_COUNTS) / sum(REF_POPS) * 1000)


def test_isr_handles_missing_inputs_as_the_package() -> None:
    """Missing counts and populations count as 0; a missing reference count as 0 in E and in the rate."""
    pops = np.array(REF_POPS, dtype=float) / 10
    counts = np.arange(19.0)
    with_gaps = counts.copy()
    with_gaps[4] = np.nan
    pops_gap = pops.copy()
    pops_gap[7] = np.nan
    got = isr_interval(with_gaps, pops_gap, REF_COUNTS, REF_POPS)
    zeroed_counts, zeroed_pops = counts.copy(), pops.copy()
    zeroed_counts[4], zeroed_pops[7] = 0, 0
    np.testing.assert_allclose(got, isr_interval(zeroed_counts, zeroed_pops, REF_COUNTS, REF_POPS))
    ref_gap = np.array(REF_COUNTS, dtype=float)
    ref_gap[2] = np.nan
    ref_zero = ref_gap.copy()
    ref_zero[2] = 0
    np.testing.assert_allclose(
        isr_interval(counts, pops, ref_gap, REF_POPS), isr_interval(counts, pops, ref_zero, REF_POPS)
    )


def test_isr_is_vectorised_over_areas() -> None:
    pops = np.array(REF_POPS) / 10
    counts = np.vstack([np.arange(19.0), np.arange(19.0) * 2])
    values, _, _ = isr_interval(counts, np.vstack([pops, pops]), REF_COUNTS, REF_POPS)
    single, _, _ = isr_interval(counts[1], pops, REF_COUNTS, REF_POPS)
    assert (
        values.shape == (2,)
        and values[1] == pytest.approx(single)
        and values[1] == pytest.approx(2 * values[0])
    )


def test_isr_rejects_negative_counts_and_mismatched_bands() -> None:
    with pytest.raises(ValueError, match="greater than or equal to zero"):
        isr_interval([-1, 2], [10, 10], [1, 1], [100, 100])
    with pytest.raises(ValueError, match="one entry per age band"):
        isr_interval([1, 2], [10, 10], [1, 1, 1], [100, 100, 100])


# --- quantiles -------------------------------------------------------------------------------------


def test_quantiles_follow_phe_quantile_with_ties_sharing_the_lowest() -> None:
    # 12 values into quartiles: N/groups = 3. Ranks with ties (min): 2.0 twice → rank 2 for both.
    values = [4.0, 2.0, 2.0, 9.0, 7.0, 1.0, 12.0, 5.0, 8.0, 11.0, 10.0, 3.0]
    got = quantile_groups(values, groups=4)
    # by hand: quantile = floor(5 - ceil((13 - rank)/3)); rank of 1.0 is 1 → floor(5 - 4) = 1
    ranks = scipy_stats.rankdata(values, method="min")
    expected = np.floor(5 - np.ceil((13 - ranks) / 3))
    assert got.tolist() == np.where(expected == 0, 1, expected).tolist()
    # sorted: 1 2 2 | 3 4 5 | 7 8 9 | 10 11 12 — three to a quartile, the tied 2s together
    assert got.tolist() == [2.0, 1.0, 1.0, 3.0, 3.0, 1.0, 4.0, 2.0, 3.0, 4.0, 4.0, 2.0]


def test_quantiles_inverted_put_the_highest_values_first() -> None:
    values = np.arange(1.0, 11.0)
    assert quantile_groups(values, groups=5, invert=True).tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_quantiles_are_missing_for_too_few_values_and_for_missing_values() -> None:
    got = quantile_groups([1.0, np.nan, 3.0, 4.0, 5.0, 6.0], groups=5, by=["a", "a", "a", "b", "b", "b"])
    assert np.isnan(got).all()
    got = quantile_groups([1.0, np.nan, 3.0, 4.0, 5.0, 6.0], groups=5)
    assert np.isnan(got[1]) and got[[0, 2, 3, 4, 5]].tolist() == [1, 2, 3, 4, 5]


# --- slope index of inequality ---------------------------------------------------------------------

# The example of phe_sii's documentation (Area1, deciles 1-10).
POPS = [7291, 7997, 6105, 7666, 5790, 6934, 5918, 5974, 7147, 7534]
VALUES = [75.9, 78.3, 83.8, 83.6, 80.5, 81.1, 81.7, 84.2, 80.6, 86.3]
LOWER = [72.7, 75.3, 80.9, 80.2, 77.1, 78.0, 79.0, 81.4, 75.8, 83.2]
UPPER = [79.1, 81.4, 86.8, 87.1, 83.8, 84.2, 84.4, 86.9, 85.4, 89.4]
SE = [1.64, 1.58, 1.51, 1.78, 1.70, 1.56, 1.37, 1.40, 2.43, 1.57]


def _weighted_fit() -> tuple[float, float, np.ndarray]:
    """SII as a population-weighted straight line over relative rank (numpy's polyfit)."""
    share = np.array(POPS) / sum(POPS)
    rank = np.cumsum(share) - share / 2
    slope, intercept = np.polyfit(rank, VALUES, 1, w=np.sqrt(share))
    return float(slope), float(intercept), rank


def test_sii_and_rii_are_the_weighted_regression() -> None:
    slope, intercept, _ = _weighted_fit()
    result = slope_index_of_inequality(range(1, 11), POPS, VALUES)
    assert result.sii == pytest.approx(slope, rel=1e-10)
    assert result.rii == pytest.approx((intercept + slope) / intercept, rel=1e-10)
    assert np.isnan(result.sii_lower)  # no limits given, no simulation


def test_sii_order_of_rows_does_not_matter() -> None:
    order = [3, 0, 9, 1, 5, 2, 8, 4, 7, 6]
    shuffled = slope_index_of_inequality(
        [i + 1 for i in order], [POPS[i] for i in order], [VALUES[i] for i in order]
    )
    assert shuffled.sii == pytest.approx(slope_index_of_inequality(range(1, 11), POPS, VALUES).sii)


def test_sii_monte_carlo_limits_match_the_analytic_normal_limits() -> None:
    """For untransformed values the SII is linear in them, so its exact distribution is normal:
    var = Σ cᵢ² seᵢ² with c the slope row of the least-squares projection. The simulated limits
    must agree within Monte-Carlo error: the standard error of a simulated 2.5% quantile is
    √(p(1 − p)/R) / φ(z)·σ; four of them are allowed."""
    result = slope_index_of_inequality(range(1, 11), POPS, VALUES, standard_errors=SE, seed=2024)
    share = np.array(POPS) / sum(POPS)
    rank = np.cumsum(share) - share / 2
    design = np.column_stack([np.sqrt(share), rank * np.sqrt(share)])
    row = np.linalg.solve(design.T @ design, design.T)[1] * np.sqrt(share)
    sigma = float(np.sqrt(np.sum(row**2 * np.array(SE) ** 2)))
    half = 1.959964 * sigma
    mc_error = np.sqrt(0.025 * 0.975 / 100_000) / scipy_stats.norm.pdf(1.959964) * sigma
    assert abs(result.sii_lower - (result.sii - half)) < 4 * mc_error
    assert abs(result.sii_upper - (result.sii + half)) < 4 * mc_error


def test_sii_limits_from_confidence_limits_equal_those_from_the_standard_error() -> None:
    """phe_sii derives se = (upper − lower)/1.96/2; the same seed gives the same draws."""
    se = (np.array(UPPER) - np.array(LOWER)) / scipy_stats.norm.ppf(0.975) / 2
    a = slope_index_of_inequality(
        range(1, 11), POPS, VALUES, lower95=LOWER, upper95=UPPER, seed=5, repetitions=5000
    )
    b = slope_index_of_inequality(range(1, 11), POPS, VALUES, standard_errors=se, seed=5, repetitions=5000)
    assert (a.sii_lower, a.sii_upper, a.rii_lower, a.rii_upper) == (
        b.sii_lower,
        b.sii_upper,
        b.rii_lower,
        b.rii_upper,
    )


def test_sii_seed_repeats_and_wider_confidence_widens() -> None:
    kwargs = {"lower95": LOWER, "upper95": UPPER, "repetitions": 20_000, "seed": 7}
    first = slope_index_of_inequality(range(1, 11), POPS, VALUES, **kwargs)
    again = slope_index_of_inequality(range(1, 11), POPS, VALUES, **kwargs)
    wider = slope_index_of_inequality(range(1, 11), POPS, VALUES, confidence=0.998, **kwargs)
    assert first == again
    assert wider.sii_lower < first.sii_lower < first.sii < first.sii_upper < wider.sii_upper
    assert wider.rii_lower < first.rii_lower < first.rii < first.rii_upper < wider.rii_upper


def test_sii_rate_values_are_simulated_on_the_log_scale() -> None:
    rates = np.array([520.0, 480, 455, 430, 410, 395, 380, 360, 350, 330])
    lower, upper = rates * 0.9, rates * 1.1
    result = slope_index_of_inequality(
        range(1, 11), POPS, rates, lower95=lower, upper95=upper, value_type="rate", seed=3, repetitions=10_000
    )
    assert result.sii < 0 and result.rii < 1
    assert result.sii_lower < result.sii < result.sii_upper


def test_sii_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="between 5 and 100 quantiles"):
        slope_index_of_inequality([1, 2, 3], [10, 10, 10], [1, 2, 3])
    with pytest.raises(ValueError, match="population above 0"):
        slope_index_of_inequality(range(1, 6), [10, 0, 10, 10, 10], [1, 2, 3, 4, 5])
    with pytest.raises(ValueError, match="repetitions"):
        slope_index_of_inequality(range(1, 6), [10] * 5, [1, 2, 3, 4, 5], repetitions=10)


# --- edge cases ------------------------------------------------------------------------------------


def test_life_expectancy_needs_a_death_at_90_and_over() -> None:
    rows = _read("life_expectancy.csv")
    deaths = _column(rows, "deaths")
    deaths[-1] = 0
    value, lower, upper = life_expectancy(_column(rows, "pops"), deaths)
    assert np.isnan(value).all() and np.isnan(lower).all() and np.isnan(upper).all()


def test_smr_with_no_observed_events_has_a_lower_limit_of_zero() -> None:
    value, lower, upper = smr_interval([0, 0], [1000, 2000], [10, 30], [10_000, 10_000])
    expected = 10 / 10_000 * 1000 + 30 / 10_000 * 2000
    assert value == 0 and lower == 0
    assert upper == pytest.approx(scipy_stats.chi2.ppf(0.975, 2) / 2 / expected)


def test_smr_without_expected_events_is_missing() -> None:
    value, lower, upper = smr_interval([3, 4], [1000, 2000], [0, 0], [10_000, 10_000])
    assert np.isnan(value) and np.isnan(lower) and np.isnan(upper)


def test_ratio_funnel_lower_limit_is_zero_while_no_count_is_significantly_low() -> None:
    # below 3.689 expected events (the exact upper limit of 0 events) no count is significantly low
    funnel = funnel_limits([1.0, 3.6, 3.7, 10.0], statistic="ratio", baseline=1, multiplier=1)
    assert funnel.lower95[:2].tolist() == [0.0, 0.0] and funnel.lower95[2] > 0 and funnel.lower95[3] > 0


def test_quantiles_of_identical_values_all_share_the_first() -> None:
    assert quantile_groups([5.0] * 12, groups=4).tolist() == [1.0] * 12
