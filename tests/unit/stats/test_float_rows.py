"""``kernels.float_rows`` reads rows of numbers into a float64 block in one flat pass: the same array as
``np.array(rows, dtype=np.float64)`` for ints, floats, huge and tiny values, NaN, infinities and None
(read as NaN), and rows of another length than asked for are left to ``np.array`` itself."""

from __future__ import annotations

import random

import numpy as np
import pytest

from outcomes.stats.kernels import float_rows


def _value(rng: random.Random) -> object:
    pick = rng.random()
    if pick < 0.3:
        return rng.randint(-(10**6), 10**6)
    if pick < 0.35:
        return rng.choice([10**20, -(10**18), 0, True, 1e308, -0.0, 5e-324, float("inf"), float("nan")])
    if pick < 0.4:
        return None
    return rng.uniform(-1e6, 1e6)


@pytest.mark.parametrize("width", [1, 2, 5, 24])
def test_the_same_block_as_numpy_reads(width: int) -> None:
    rng = random.Random(width)
    for n in (0, 1, 3, 500):
        rows = [[_value(rng) for _ in range(width)] for _ in range(n)]
        expected = np.array(rows, dtype=np.float64)
        found = float_rows(rows, width)
        assert found.dtype == np.float64 and found.shape == expected.shape
        assert np.array_equal(found, expected, equal_nan=True)
        assert np.array_equal(np.signbit(found), np.signbit(expected))


def test_rows_of_another_length_are_not_read_flat() -> None:
    # the same total count as 2 x 5, but ragged: numpy's own error, not a wrongly cut block
    with pytest.raises(ValueError):
        float_rows([[1, 2, 3, 4], [5, 6, 7, 8, 9, 10]], 5)
    assert float_rows([[1, 2, 3], [4, 5, 6]], 5).tolist() == [[1, 2, 3], [4, 5, 6]]
