"""The quick paths of the trend sentences print exactly what the general ones print.

The sentences print a figure that cannot reach 1,000 by printf (``PRINTF``), remember a unit's
affixes by the unit object, and remember what depends only on two periods per pair of period
objects; each is compared here with the general way on edge cases and random values.
"""

from __future__ import annotations

import math
import random

import pytest

from outcomes.judge.trend_change import _describe_move
from outcomes.judge.trend_common import GROUPED, PRINTF, unit_affixes
from outcomes.model import Observation, Period, Unit

EDGES = [0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.05, 0.15, 0.0005, 0.00049, 998.94, 998.95, 998.96, 998.99,
         -998.96, -998.5, 998.5, 999.0 - 1e-9, 12.345, 1e-12, -1e-12, 123.456789]


@pytest.mark.parametrize("d", range(0, 6))
def test_printf_equals_grouped_format_below_a_thousand(d: int) -> None:
    rng = random.Random(17 + d)
    values = EDGES + [rng.uniform(-999, 999) for _ in range(3000)]
    values += [round(rng.uniform(-999, 999), rng.randint(0, 4)) for _ in range(3000)]
    checked = 0
    for v in values:
        if -999.0 < v < 999.0:
            assert PRINTF[d] % v == f"{v:{GROUPED[d]}}" == f"{v:,.{d}f}", (v, d)
            checked += 1
    assert checked > 6000
    # the bound matters: at 999.96 grouping places a separator that printf does not
    assert PRINTF[1] % 999.96 != f"{999.96:,.1f}"


def test_unit_affixes_remembered_per_unit_object_match_a_fresh_unit() -> None:
    units = [Unit("rate", per=10_000), Unit("rate", per=100_000, decimals=1), Unit("percentage"),
             Unit("currency", currency="€", decimals=2), Unit("count"), Unit("rate")]
    first = [unit_affixes(u) for u in units]
    again = [unit_affixes(u) for u in units]  # remembered
    fresh = [unit_affixes(Unit(u.type, per=u.per, currency=u.currency, decimals=u.decimals)) for u in units]
    assert first == again == fresh
    assert first[0] == (None, "", " per 10,000") and first[3] == (2, "€", "")


@pytest.mark.parametrize("unit", [Unit("rate", per=10_000), Unit("percentage"), Unit("count"),
                                  Unit("currency", decimals=0)])
def test_describe_move_with_remembered_phrases_equals_without(unit: Unit) -> None:
    rng = random.Random(5)
    before, after = Period.parse("2016-17"), Period.parse("2017-18")
    values = [0.0, 1.0, 998.96, 999.96, 1234.5, -5.0, math.nan] + [rng.uniform(0, 2000) for _ in range(200)]
    for p, v in zip(values, reversed(values), strict=True):
        prev, latest = Observation("s", "E1", before, p), Observation("s", "E1", after, v)
        plain = _describe_move(unit, prev, latest, band=0.02)
        quick = _describe_move(unit, prev, latest, band=0.02, phrases=("in 2016-17", "in 2017-18"))
        assert quick == plain
        assert "in 2016-17" in plain or "unchanged" in plain
