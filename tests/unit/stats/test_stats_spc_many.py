"""xmr_many (the vectorised XmR charts judge_framework uses) gives exactly xmr's chart, series by series."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.stats import xmr, xmr_many
from outcomes.stats.spc import XmR, xmr_rows

_ARRAYS = ("values", "moving_ranges", "screened")


def assert_same_chart(a: XmR, b: XmR) -> None:
    for name in XmR.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if name in _ARRAYS:
            assert np.array_equal(x, y, equal_nan=True), name
        elif isinstance(x, float) and math.isnan(x):
            assert isinstance(y, float) and math.isnan(y), name
        else:
            assert x == y and type(x) is type(y), name


def _random_series(rng: np.random.Generator) -> list[float]:
    """A mix of the shapes that exercise every rule: noise, shifts, trends, steps, ties, constants."""
    size = int(rng.integers(1, 40))
    shape = int(rng.integers(0, 8))
    base = float(rng.uniform(-50, 500))
    if shape == 0:
        values = rng.normal(base, abs(base) * 0.05 + 1, size)
    elif shape == 1:  # a shift part-way
        values = rng.normal(base, 3, size)
        values[size // 2 :] += rng.uniform(5, 30)
    elif shape == 2:  # a trend
        values = base + np.arange(size) * rng.uniform(-3, 3) + rng.normal(0, 1, size)
    elif shape == 3:  # whole numbers with ties (runs broken by equal steps, points on the mean)
        values = rng.integers(0, 5, size).astype(float)
    elif shape == 4:  # constant: a zero moving range
        values = np.full(size, base)
    elif shape == 5:  # an outlier that the screen removes
        values = rng.normal(base, 2, size)
        if size:
            values[int(rng.integers(0, size))] += 100
    elif shape == 6:  # missing values
        values = rng.normal(base, 5, size)
        values[rng.random(size) < 0.2] = np.nan
    else:  # monotone runs
        values = np.cumsum(rng.choice([-1.0, 1.0, 2.0], size))
    return values.tolist()


def test_many_random_series_give_the_per_series_charts():
    rng = np.random.default_rng(17)
    values = [_random_series(rng) for _ in range(3_000)]
    improvements = [("increase", "decrease", "neutral")[i % 3] for i in range(len(values))]
    targets: list[float | None] = [
        None if i % 4 == 0 else float("nan") if i % 11 == 0 else float(rng.uniform(-50, 500))
        for i in range(len(values))
    ]
    charts = xmr_many(values, improvements=improvements, targets=targets)
    assert len(charts) == len(values)
    kinds = set()
    for v, how, target, chart in zip(values, improvements, targets, charts, strict=True):
        assert_same_chart(chart, xmr(v, improvement=how, target=target))
        kinds.update(chart.rules)
    # the random mix reached every special-cause rule, so every rule was compared
    assert kinds == {"", "outside_limits", "trend", "two_of_three", "shift"}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.integers(-5, 5).map(float),
                st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
                st.just(float("nan")),
            ),
            min_size=1,  # xmr of no values is an error either way
            max_size=30,
        ),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["increase", "decrease", "neutral"]),
    st.one_of(st.none(), st.floats(-10, 10, allow_nan=False)),
)
def test_any_series_gives_the_per_series_chart(values, improvement, target):
    charts = xmr_many(values, improvements=[improvement] * len(values), targets=[target] * len(values))
    for v, chart in zip(values, charts, strict=True):
        assert_same_chart(chart, xmr(v, improvement=improvement, target=target))


def test_the_lists_must_line_up():
    with pytest.raises(ValueError, match="one entry per series"):
        xmr_many([[1.0, 2.0]], improvements=[], targets=[None])
    with pytest.raises(ValueError, match="improvement must be one of"):
        xmr_many([[1.0, 2.0]], improvements=["up"], targets=[None])


def test_arrays_tuples_missing_and_infinite_values_give_the_per_series_charts():
    """Lists of plain numbers go into one array per length; anything else (numpy arrays, tuples, a None
    or an infinite value, a single value) is charted on its own: the charts are xmr's either way."""
    rng = np.random.default_rng(5)
    base = [float(x) for x in rng.normal(50, 5, 14)]
    values = [
        base,
        np.array(base),
        tuple(base),
        [*base[:-1], None],
        [*base[:-1], float("inf")],
        [7.0],
        np.array([3.0]),
        [x + 1 for x in base],
        [x * 2 for x in base],
    ]
    improvements = ["increase", "decrease", "neutral"] * 3
    targets = [None, 40.0, 60.0] * 3
    charts = xmr_many(values, improvements=improvements, targets=targets)
    assert len(charts) == len(values)
    for v, how, target, chart in zip(values, improvements, targets, charts, strict=True):
        assert_same_chart(chart, xmr(np.asarray(v, dtype=float), improvement=how, target=target))


def test_rows_of_one_array_give_the_per_series_charts():
    """xmr_rows (the runs of one length already in one array, as judge_trends gives them) charts each
    row as xmr does, rows with a missing or infinite value included; it refuses a block of one column."""
    rng = np.random.default_rng(23)
    for length in (2, 7, 14, 24):
        rows = [_random_series(rng)[:length] for _ in range(400)]
        rows = [r + [float(rng.normal(50, 5))] * (length - len(r)) for r in rows]
        rows[3][-1] = float("inf")
        rows[5][0] = float("nan")
        block = np.array(rows, dtype=np.float64)
        improvements = [("increase", "decrease", "neutral")[i % 3] for i in range(len(rows))]
        targets = [None if i % 3 else float(rng.uniform(0, 100)) for i in range(len(rows))]
        charts = xmr_rows(block, improvements=improvements, targets=targets)
        assert len(charts) == len(rows)
        for row, how, target, chart in zip(block, improvements, targets, charts, strict=True):
            assert_same_chart(chart, xmr(row, improvement=how, target=target))
    with pytest.raises(ValueError, match="at least two columns"):
        xmr_rows(np.ones((3, 1)), improvements=["increase"] * 3, targets=[None] * 3)
    with pytest.raises(ValueError, match="improvement must be one of"):
        xmr_rows(np.ones((1, 3)), improvements=["up"], targets=[None])
