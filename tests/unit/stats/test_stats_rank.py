"""The 95% interval of a rank (outcomes.stats.rank), checked against exact two-area probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from outcomes.stats.rank import RankInterval, rank_interval

Z = 1.959963984540054


def _two_areas(difference: float, half_width: float) -> tuple[list[float], list[float], list[float]]:
    values = [difference, 0.0]
    return values, [v - half_width for v in values], [v + half_width for v in values]


@pytest.mark.parametrize("difference", [0.5, 1.0, 1.5, 2.0, 3.0])
def test_two_areas_match_the_exact_probability(difference):
    """With symmetric intervals the difference of two areas is normal with sd √2·s, s = half-width / z:
    P(home 2nd) = Φ(−d / (√2 s)). The upper limit of the rank is 2 exactly when that exceeds 2.5%."""
    half = 1.0
    values, lower, upper = _two_areas(difference, half)
    p_second = norm.cdf(-difference / (np.sqrt(2) * half / Z))
    r = rank_interval(values, lower, upper)
    assert r.rank == 1 and r.lower == 1
    if abs(p_second - 0.025) > 0.005:  # away from the boundary, where simulation error could decide
        assert r.upper == (2 if p_second > 0.025 else 1), p_second


def test_the_interval_always_contains_the_rank_and_is_reproducible():
    rng = np.random.default_rng(7)
    for _ in range(30):
        n = int(rng.integers(3, 15))
        values = rng.normal(50, 10, n)
        half = rng.uniform(0.5, 15, n)
        home = int(rng.integers(0, n))
        r = rank_interval(values, values - half, values + half, home=home)
        assert 1 <= r.lower <= r.rank <= r.upper <= n
        assert r == rank_interval(values, values - half, values + half, home=home)  # fixed seed


def test_narrow_intervals_pin_the_rank_and_wide_ones_spread_it():
    values = np.arange(11.0)[::-1] * 10  # home (index 3) is 4th of 11
    narrow = rank_interval(values, values - 0.1, values + 0.1, home=3)
    assert (narrow.rank, narrow.lower, narrow.upper) == (4, 4, 4)
    wide = rank_interval(values, values - 40, values + 40, home=3)
    assert wide.rank == 4 and wide.lower <= 2 and wide.upper >= 6
    assert wide.text().startswith("4th of 11 (could be ")


def test_flipping_polarity_mirrors_the_interval():
    values = np.array([5.0, 3.0, 9.0, 7.0, 1.0, 6.0])
    half = np.array([2.0, 1.0, 3.0, 2.5, 1.0, 2.0])
    up = rank_interval(values, values - half, values + half, home=0)
    down = rank_interval(values, values - half, values + half, home=0, higher_is_better=False)
    n = len(values)
    assert down.rank == n + 1 - up.rank
    assert abs(down.lower - (n + 1 - up.upper)) <= 1 and abs(down.upper - (n + 1 - up.lower)) <= 1


def test_asymmetric_intervals_keep_their_shape():
    """A value whose interval reaches far above it can rise above a neighbour but hardly fall below one."""
    values = [10.0, 12.0, 8.0]
    r = rank_interval(values, [9.9, 11.9, 7.9], [14.0, 12.1, 8.1])
    assert (r.rank, r.lower, r.upper) == (2, 1, 2)


def test_text_and_bad_input():
    assert RankInterval(4, 11, 2, 7).text() == "4th of 11 (could be 2nd–7th)"
    with pytest.raises(ValueError, match="within its 95% limits"):
        rank_interval([1.0, 2.0], [1.5, 1.0], [2.0, 3.0])
    with pytest.raises(ValueError, match="finite"):
        rank_interval([1.0, float("nan")], [0.0, 0.0], [2.0, 3.0])
    with pytest.raises(ValueError, match="at least two"):
        rank_interval([1.0], [0.0], [2.0])


def _fresh_draws_reference(values, lower, upper, home, higher_is_better, draws=10_000, seed=20180701):
    """The documented simulation with a freshly seeded generator every call (what rank_interval did
    before its draws were shared between calls of the same group size)."""
    v, lo, hi = (np.asarray(x, dtype=float) for x in (values, lower, upper))
    sign = 1.0 if higher_is_better else -1.0
    z = np.random.default_rng(seed).standard_normal((draws, v.size))
    spread = np.where(z >= 0, (hi - v) / Z, (v - lo) / Z)
    simulated = sign * (v + z * spread)
    others = np.delete(simulated, home, axis=1)
    ranks = 1 + np.sum(others > simulated[:, [home]], axis=1)
    lower_rank, upper_rank = np.quantile(ranks, [0.025, 0.975], method="inverted_cdf")
    return int(lower_rank), int(upper_rank)


def test_shared_draws_give_the_fresh_generators_interval():
    """Groups of different sizes, interleaved and repeated (the shared draws are reused), give exactly
    the interval of a generator seeded afresh for each call; the shared draws cannot be altered."""
    rng = np.random.default_rng(13)
    for _ in range(3):
        for n in (2, 11, 5, 11, 3, 2, 25):
            values = rng.normal(50, 10, n)
            lower, upper = values - rng.uniform(0.5, 15, n), values + rng.uniform(0.5, 15, n)
            home = int(rng.integers(0, n))
            better = bool(rng.integers(0, 2))
            r = rank_interval(values, lower, upper, home=home, higher_is_better=better)
            assert (r.lower, r.upper) == _fresh_draws_reference(values, lower, upper, home, better)
    r = rank_interval([10.0, 9.0, 8.0], [9.0, 8.0, 7.0], [11.0, 10.0, 9.0], draws=500, seed=1)
    assert (r.lower, r.upper) == _fresh_draws_reference(
        [10.0, 9.0, 8.0], [9.0, 8.0, 7.0], [11.0, 10.0, 9.0], 0, True, draws=500, seed=1
    )
    from outcomes.stats.rank import _standard_normals

    z, positive = _standard_normals(20180701, 10_000, 11)
    assert np.array_equal(z.T, np.random.default_rng(20180701).standard_normal((10_000, 11)))
    with pytest.raises(ValueError):
        z[0, 0] = 1.0
    with pytest.raises(ValueError):
        positive[0, 0] = False


def test_rank_percentiles_are_numpys_inverted_cdf_quantiles():
    """The 2.5th and 97.5th percentiles read from running counts are np.quantile's (inverted_cdf) on
    every kind of spread of ranks: one rank only, two, all, skewed, for many numbers of draws."""
    from outcomes.stats.rank import _rank_percentiles

    rng = np.random.default_rng(17)
    for draws in (1, 2, 3, 39, 40, 41, 199, 200, 1_000, 9_999, 10_000, 10_001):
        for areas in (2, 3, 11, 30):
            for shape in ("one", "two", "uniform", "skewed"):
                if shape == "one":
                    ranks = np.full(draws, int(rng.integers(1, areas + 1)))
                elif shape == "two":
                    ranks = rng.choice([1, areas], draws, p=[0.97, 0.03])
                elif shape == "uniform":
                    ranks = rng.integers(1, areas + 1, draws)
                else:
                    ranks = np.minimum(1 + rng.geometric(0.6, draws), areas)
                ranks = ranks.astype(np.int64)
                expected = np.quantile(ranks, [0.025, 0.975], method="inverted_cdf")
                assert _rank_percentiles(ranks, areas) == (int(expected[0]), int(expected[1])), (draws, areas, shape)
