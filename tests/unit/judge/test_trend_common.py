"""The trend sentences' cheap number printing gives exactly the text of the shared helpers in
``judge/method.py``: decimals_of / decimals_of_rows as decimals_for, fmt as format_value, in_period as
period_phrase, on random and awkward values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.judge.method import decimals_for, format_value, period_phrase
from outcomes.judge.trend_common import decimals_of, decimals_of_rows, fmt, in_period, unit_affixes
from outcomes.model import Period, Unit

AWKWARD = [1e12, 1e15 + 2, 2.0**60, -3.5, 0.0125, 0.0015, 0.0025, 0.0005, 1e300, math.inf, -math.inf,
           math.nan, -0.0, 5e-324, 2.675, 1.005, 999.9995, 12.5, 3553.0, 7.3]


def _rows(n: int, seed: int) -> list[list[float]]:
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n):
        size = int(rng.integers(0, 30))
        kind = k % 5
        if kind == 0:
            v = rng.normal(0, 1000, size)
        elif kind == 1:
            v = np.round(rng.normal(0, 100, size), int(rng.integers(0, 5)))
        elif kind == 2:
            v = rng.integers(-1000, 1000, size) * 0.0005
        elif kind == 3:
            v = rng.choice(AWKWARD, size)
        else:
            v = rng.normal(50, 5, size).round(1) + rng.choice([0, 0.05, 0.005, 0.0005], size)
        rows.append([float(x) for x in v])
    return rows


def test_decimals_of_rows_is_decimals_for_row_by_row():
    rows = _rows(6_000, seed=3)
    expected = [decimals_for(*row) for row in rows]
    assert decimals_of_rows(rows) == expected
    assert set(expected) == {0, 1, 2, 3}  # every answer was reached


def test_decimals_of_is_decimals_for_with_none_and_repeats():
    rows = _rows(2_000, seed=4)
    for row in rows:
        with_none = [*row, None, *row[:3]]
        assert decimals_of(with_none) == decimals_for(*with_none)
        assert decimals_of(row) == decimals_for(*row)  # again, now from the remembered answers


@pytest.mark.parametrize(
    "unit",
    [Unit("percentage"), Unit("rate", per=10_000), Unit("rate"), Unit("count"), Unit("currency"),
     Unit("currency", currency="€", decimals=2), Unit("percentage", decimals=1), Unit("ratio")],
    ids=str,
)
def test_fmt_is_format_value(unit):
    affixes = unit_affixes(unit)
    for value in [*AWKWARD, None, 0.0, 123456.789, -42.25]:
        for d in (None, 0, 1, 2, 3):
            assert fmt(affixes, value, d) == format_value(unit, value, d)


@pytest.mark.parametrize(
    "text", ["2016-17", "Q4 2017-18", "March 2018", "2018-03-31", "12 months to March 2017", "2019",
             "AY 2016/17"]
)
def test_in_period_is_period_phrase(text):
    period = Period.parse(text)
    assert in_period(period) == period_phrase(period)


def test_recent_trend_sentences_print_huge_whole_numbers_as_decimals_for_does():
    """judge_trends works out the decimals of the recent-trend windows in one numpy pass, except for
    values of 10^12 or more: a Python int that large is whole to decimals_for (exact arithmetic),
    while as a float times 1000 it is not. Judged together with ordinary series, such a window still
    prints its numbers with decimals_for's answer (none)."""
    from outcomes.judge.settings import JudgementSettings
    from outcomes.judge.trend import judge_trends
    from outcomes.model import Observation, PeriodKind, Polarity, Series

    def annual(code: str, values: list[float]) -> Series:
        years = [Period.parse(f"{y}-{(y + 1) % 100:02d}") for y in range(2014, 2014 + len(values))]
        obs = [
            Observation(code, "E1", p, v, lower95=v - abs(v) * 0.01 - 1, upper95=v + abs(v) * 0.01 + 1)
            for p, v in zip(years, values, strict=True)
        ]
        return Series(code, code, Unit("count"), Polarity.HIGHER_IS_BETTER, PeriodKind.FINANCIAL_YEAR,
                      observations=obs)

    huge = [3 * 10**15 + k for k in (1, 7, 3, 9, 11)]
    assert decimals_for(*huge) == 0 and decimals_of_rows([[float(v) for v in huge]]) != [0]
    series = [annual("plain", [10.25, 11.5, 12.0, 13.75, 15.0]), annual("huge", huge)]
    from outcomes.judge.intervals import compute_intervals

    found = judge_trends(series, settings=JudgementSettings(), intervals=compute_intervals(series))
    assert [t.judgement.method for t in found] == ["fingertips-trend", "fingertips-trend"]
    assert "3,000,000,000,000,001 in 2014-15 to 3,000,000,000,000,011 in 2018-19" in found[1].judgement.reason
    assert "10.25 in 2014-15 to 15.00 in 2018-19" in found[0].judgement.reason


def test_looked_up_format_specs_print_as_the_nested_ones():
    """The sentences look their format specs up (GROUPED, PLAIN) instead of building them in a nested
    f-string field: the same text for every number of decimals, those beyond the table included."""
    from outcomes.judge.trend_common import GROUPED, PLAIN

    values = [0.0, -0.0, 0.5, 1.25, 2.5, -1234.5678, 1e15 + 0.3, 123456789.987654321, 7, -3, 1e-7]
    for d in [*range(0, 20), 25]:
        for x in values:
            assert f"{x:{GROUPED[d]}}" == f"{x:,.{d}f}"
            assert f"{x:{PLAIN[d]}}" == f"{x:.{d}f}"
    with pytest.raises(ValueError):
        f"{1.5:{GROUPED[-1]}}"  # a spec that cannot be is refused as the nested field refuses it
