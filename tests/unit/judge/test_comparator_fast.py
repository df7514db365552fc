"""The comparators' quick paths give exactly what the general functions give.

The comparator sentences print figures from per-unit prepared formats (``_unit_texts``, ``_figure``,
``_number``) and remembered decimals (``_decimals``) instead of calling ``format_value``,
``format_interval`` and ``decimals_for`` each time; groups are ranked and their median taken in plain
Python (``group_rank``, ``group_median``) instead of numpy; a quick test (``_plainly_without_limits``)
stands in front of ``cannot_have_limits``. Each is compared here with the function it replaces, on
random and edge-case inputs.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from outcomes.judge.comparator_common import (
    _bare,
    _decimals,
    _figure,
    _number,
    _unit_texts,
)
from outcomes.judge.comparator_group import (
    _plainly_without_limits,
    _rank_and_median,
    group_median,
    group_rank,
)
from outcomes.judge.comparator_interval import _interval_code
from outcomes.judge.intervals import cannot_have_limits
from outcomes.judge.method import decimals_for, format_interval, format_value
from outcomes.model import Observation, Period, PeriodKind, Polarity, Series, Unit
from outcomes.stats import compare_with_benchmark_array

UNITS = [
    Unit("percentage"),
    Unit("percentage", decimals=2),
    Unit("rate", per=10_000),
    Unit("rate", per=100_000, decimals=1),
    Unit("rate"),
    Unit("count"),
    Unit("currency"),
    Unit("currency", currency="€", decimals=2),
    Unit("number"),
    Unit("ratio", decimals=0),
]

EDGES = [
    0.0, -0.0, 1.0, -1.0, 0.05, 0.5, 2.5, 998.9, 998.96, 998.999, 999.0, 999.4, 999.5, 999.96, -998.96,
    -999.96, 1000.0, 1234.5678, -1234.5, 12_345_678.9, 1e-9, 1e12, 1e15 + 0.5, 59.4, 53.0, 33.33, 28.7,
]


def _random_values(rng: np.random.Generator, n: int) -> list[float]:
    scale = 10.0 ** rng.integers(-3, 7, n)
    values = rng.normal(0, 1, n) * scale
    rounded = [float(round(v, int(d))) for v, d in zip(values, rng.integers(0, 4, n), strict=True)]
    return rounded + [float(v) for v in values]


@pytest.mark.parametrize("decimals", [0, 1, 2, 3, 4, 9, 12])
def test_number_is_the_thousands_format(decimals: int) -> None:
    rng = np.random.default_rng(decimals)
    for v in EDGES + _random_values(rng, 2_000) + [math.nan, math.inf, -math.inf, 5, -7, 998, 1_000]:
        assert _number(v, decimals) == f"{v:,.{decimals}f}", (v, decimals)


@pytest.mark.parametrize("unit", UNITS, ids=lambda u: f"{u.type}-{u.per}-{u.decimals}-{u.currency}")
def test_prepared_unit_formats_print_as_format_value_and_format_interval(unit: Unit) -> None:
    rng = np.random.default_rng(7)
    texts = _unit_texts(unit)
    assert _unit_texts(unit) is texts  # prepared once
    values = [*EDGES, *_random_values(rng, 500), math.nan, math.inf, -math.inf, None]
    for d in (0, 1, 2, 3):
        shown = texts.decimals if texts.decimals is not None else d
        for v in values:
            assert _figure(v, shown, texts.prefix, texts.suffix) == format_value(unit, v, d), (v, d)
            assert _figure(v, shown, texts.bare_prefix, texts.bare_suffix) == format_value(_bare(unit), v, d)
        di = texts.decimals if texts.decimals is not None else max(d, 1)
        for lo, hi in zip(values[:-1], values[1:], strict=True):
            if lo is None or hi is None:
                continue
            expected = format_interval(unit, lo, hi, max(d, 1))
            assert f"{_number(lo, di)}–{_number(hi, di)}{texts.interval_suffix}" == expected


def test_remembered_decimals_are_decimals_for() -> None:
    rng = np.random.default_rng(3)
    values: list[float | None] = [*EDGES, *_random_values(rng, 3_000), math.nan, math.inf, None, 7, 0]
    for _ in range(2):  # the second round reads the remembered answers
        for a, b in zip(values, reversed(values), strict=True):
            assert _decimals(a, b) == decimals_for(a, b), (a, b)
            assert _decimals(a, a) == decimals_for(a)


def test_group_rank_and_median_are_numpys() -> None:
    rng = np.random.default_rng(11)
    for size in range(1, 31):
        for _ in range(200):
            # few distinct values make ties; zeros of both signs included
            pool = np.array([0.0, -0.0, 1.5, 2.25, -3.0, 10.0, 10.1, 5e-324, -5e-324, 1e308, -1e308])
            figures = (
                rng.choice(pool, size) if rng.random() < 0.4 else np.round(rng.normal(50, 20, size), 1)
            ).tolist()
            value = float(rng.choice(figures)) if rng.random() < 0.5 else float(rng.normal(50, 20))
            others = np.asarray(figures, dtype=np.float64)
            assert group_rank(figures, value, lower_is_better=True) == int(np.sum(others < value)) + 1
            assert group_rank(figures, value, lower_is_better=False) == int(np.sum(others > value)) + 1
            with np.errstate(over="ignore"):  # 1e308 + 1e308: both give inf
                ours, numpys = group_median(figures), float(np.median(others))
            assert ours == numpys and math.copysign(1, ours) == math.copysign(1, numpys), (figures, ours, numpys)
            assert type(ours) is float


def _series(unit: Unit, rows: list[Observation]) -> Series:
    return Series("x", "X", unit, Polarity.LOWER_IS_BETTER, PeriodKind.FINANCIAL_YEAR, observations=rows)


def test_quick_no_limits_test_never_contradicts_cannot_have_limits() -> None:
    rng = np.random.default_rng(5)
    period = Period.financial_year(2020)
    options = [None, math.nan, 5.0, 100.0]
    for unit in UNITS:
        for _ in range(300):
            rows = [
                Observation(
                    "x", f"E{i}", period, float(rng.normal(50, 10)) if rng.random() < 0.9 else -1.0,
                    numerator=options[rng.integers(4)], denominator=options[rng.integers(4)],
                    lower95=options[rng.integers(4)], upper95=options[rng.integers(4)],
                )
                for i in range(int(rng.integers(1, 6)))
            ]
            if _plainly_without_limits(_series(unit, rows), rows):
                assert all(cannot_have_limits(unit, r) for r in rows)


def test_judgement_built_in_one_step_is_the_constructors() -> None:
    """``_judgement`` makes the object ``ComparatorJudgement(...)`` makes: equal, same hash where the
    fields hash, the same fields in the same order, the same record; the quick path is on for the
    class as it stands, and a class that is no longer a plain frozen dataclass turns it off."""
    from dataclasses import dataclass, fields

    from outcomes.judge import comparator_common
    from outcomes.judge.comparator_common import _group_judgement, _judgement, _plain_frozen_fields
    from outcomes.judge.method import ComparatorJudgement

    assert comparator_common._QUICK
    period = Period.financial_year(2020)
    cases = [
        (("better", "G", "interval-vs-benchmark", "label", "reason", "why", {"value": 1.0}, "England",
          "E92000001", "benchmark", period, 10.0, 12.0), {"level": 0.998}),
        (("similar", None, "group-rank", "label", "r", "w", {"rank": 3}, "Neighbours", "nb", "group",
          period, 5.5, 6.0), {"rank": 3, "of": 11, "quartile": 2, "median": 5.5, "rank_lower": 2,
                              "rank_upper": 7}),
        (("higher", None, "tolerance-vs-benchmark", "l", "r", "w", {}, None, "", "benchmark", None, None,
          None), {}),
    ]
    for args, extra in cases:
        names = ("name", "area", "kind", "period", "value", "home_value")
        made = ComparatorJudgement(*args[:7], **dict(zip(names, args[7:], strict=True)), **extra)
        if "rank" in extra:  # a group's: its value is the median; kind, rank and the rest set by _group_judgement
            word, rag, method, label, reason, why, values, name, area, _, period, median, home = args
            quick = _group_judgement(
                word, rag, method, label, reason, why, values, name, area, period, median, home,
                extra["rank"], extra["of"], extra["quartile"], extra["rank_lower"], extra["rank_upper"],
            )
        else:
            quick = _judgement(*args, **extra)
        assert type(quick) is ComparatorJudgement
        assert quick == made and list(vars(quick).items()) == list(vars(made).items())
        assert quick.to_dict() == made.to_dict() and quick.assessed == made.assessed
        assert quick.rank_text == made.rank_text
        with pytest.raises(AttributeError):  # still frozen
            quick.word = "worse"  # type: ignore[misc]
        assert [f.name for f in fields(quick)] == list(vars(quick))

    @dataclass(frozen=True)
    class WithCheck(ComparatorJudgement):
        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True)
    class Longer(ComparatorJudgement):
        extra: int = 0

    assert not _plain_frozen_fields(WithCheck) and not _plain_frozen_fields(Longer)


def test_rank_and_median_from_one_sort_are_group_rank_and_group_median() -> None:
    """The group comparator ranks by bisecting its sorted figures: the same rank as counting, the same
    median, with ties, signed zeros, infinities and a NaN value among random groups."""
    rng = np.random.default_rng(17)
    specials = [0.0, -0.0, math.inf, -math.inf, 1.0, 1.0, 2.5]
    for _ in range(3_000):
        size = int(rng.integers(1, 14))
        others = [float(x) for x in rng.choice([*specials, *rng.normal(0, 5, 8).round(1)], size)]
        for value in [*others[:2], float(rng.normal(0, 5)), math.nan, math.inf, -0.0]:
            for lower in (True, False):
                rank, median = _rank_and_median(others, value, lower)
                assert rank == group_rank(others, value, lower_is_better=lower), (others, value, lower)
                expected = group_median(others)
                assert median == expected or (math.isnan(median) and math.isnan(expected)), others


def test_one_interval_comparison_judged_alone_matches_the_vectorised_rule() -> None:
    """``judge_comparators`` judges the usual series' interval comparison on its own (``_interval_code``)
    instead of waiting for one ``compare_with_benchmark_array`` call: the same code and level, on random
    figures and edge cases (a benchmark on a limit, limits that leave out the value, missing or NaN
    99.8% limits, infinities, every polarity and ones that make no judgement)."""
    rng = np.random.default_rng(5)
    polarities: list[object] = [
        Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NO_JUDGEMENT, None,
        "higher-is-better", "lower-is-better",
    ]
    rows = []
    for _ in range(4_000):
        value = round(float(rng.normal(50, 20)), int(rng.integers(0, 3)))
        half = float(abs(rng.normal(0, 5)))
        lower, upper = value - half, value + half
        if rng.random() < 0.1:  # limits that leave out the value
            lower, upper = value + half, value + 2 * half
        lower998, upper998 = lower - half * 0.6, upper + half * 0.6
        roll = rng.random()
        if roll < 0.2:
            lower998 = upper998 = math.nan
        elif roll < 0.25:
            lower998 = math.nan
        benchmark = float(rng.choice([lower, upper, lower998, upper998, value, rng.normal(50, 20)]))
        if rng.random() < 0.03:
            benchmark = float(rng.choice([math.nan, math.inf, -math.inf]))
        if rng.random() < 0.02:
            lower = math.nan
        rows.append((value, benchmark, lower, upper, lower998, upper998, polarities[int(rng.integers(0, 6))]))
    text = {Polarity.HIGHER_IS_BETTER: "higher-is-better", Polarity.LOWER_IS_BETTER: "lower-is-better"}
    columns = np.array([r[:6] for r in rows], dtype=np.float64).T
    result = compare_with_benchmark_array(
        columns[0], columns[1], lower95=columns[2], upper95=columns[3], lower998=columns[4],
        upper998=columns[5], polarity=np.array([text.get(r[6], "no-judgement") for r in rows], dtype=object),
    )  # fmt: skip
    seen = set()
    for row, code, level in zip(rows, result.codes.tolist(), result.levels.tolist(), strict=True):
        got_code, got_level = _interval_code(*row)
        assert got_code == code, row
        assert got_level == level or (math.isnan(got_level) and math.isnan(level)), row
        seen.add((code, level if level == level else None))
    assert len(seen) >= 9  # every code, at both levels where there is a difference
