"""The decimals of the recent-trend windows' latest values, worked out for all windows in numpy passes
(``_trend_columns.window_decimals``), are those of :func:`decimals_for` on each window's values, or None where a
value is a whole number of 10^12 or more (left to ``decimals_for``, which works it out exactly)."""

from __future__ import annotations

import random

from outcomes.judge import _trend_columns
from outcomes.judge.method import decimals_for


def _windows(rows: list[list[float]]) -> list[list[float]]:
    """Each window's latest (up to) five values, as the trend path hands them over."""
    return [row[-5:] for row in rows]


def _expected(row: list[float]) -> int | None:
    latest = row[-5:]
    return decimals_for(*latest) if min(latest) > -1e12 and max(latest) < 1e12 else None


def _random_value(rng: random.Random) -> float:
    pick = rng.random()
    if pick < 0.3:
        return float(rng.randint(-5000, 5000))
    if pick < 0.5:
        return rng.randint(0, 10**6)  # an int, as a CSV might give
    if pick < 0.6:
        return rng.choice([1e12, -1e12, 999_999_999_999.5, 10**13 + 1, -(10**15), 0.0005, 2.675, 0.0])
    return round(rng.uniform(-1000, 1000), rng.randint(0, 5))


def test_random_windows_of_one_and_of_several_lengths() -> None:
    rng = random.Random(17)
    for lengths in ([5], [2, 3, 4, 5, 7, 9]):
        rows = [[_random_value(rng) for _ in range(rng.choice(lengths))] for _ in range(3000)]
        assert _trend_columns.window_decimals(_windows(rows)) == [_expected(r) for r in rows]


def test_edge_values() -> None:
    rows = [
        [59.4, 53.0, 50.25, 48.0, 47.125],  # 3 decimals
        [3553, 3766, 4000, 4100, 4200],  # whole numbers
        [1e12, 1.5, 2.5, 3.5, 4.5],  # a whole number of 10^12: left to decimals_for
        [-1e12, 1.5, 2.5, 3.5, 4.5],
        [999_999_999_999.5, 1, 2, 3, 4],  # just under: worked out here
        [0.0004, 0.0005, 0.0015, 0.0025, 1.0],  # halves round to even, as round() does
        [1.0, 2.0],
    ]
    found = _trend_columns.window_decimals(_windows(rows))
    assert found == [_expected(r) for r in rows]
    assert found[0] == 3 and found[1] == 0 and found[2] is None and found[3] is None and found[4] == 1
