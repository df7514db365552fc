"""``judge_framework`` judges every comparator of a framework in one call
(:func:`outcomes.judge.comparator.judge_comparators`): each series' comparators planned, every
interval comparison settled together, the headline chosen. The answers are exactly those of the
per-series functions (:func:`plan_comparators`, then :func:`settle_comparisons` for what waits, then
:func:`headline_comparator`): the same judgements, sentences, values, warnings and headline, on
random series full of edge cases (missing, stale, later and undated benchmarks, groups with missing
members or too few, counts, home values on another basis, published limits, no polarity)."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest

from outcomes.judge import JudgementSettings
from outcomes.judge.comparator import (
    PendingComparison,
    headline_comparator,
    judge_comparators,
    plan_comparators,
    settle_comparisons,
)
from outcomes.judge.intervals import compute_intervals
from outcomes.model import Comparator, Observation, Period, PeriodKind, Polarity, Series, Unit

HOME = "E10000009"
ENGLAND = "E92000001"
REGION = "E12000009"
MEMBERS = tuple(f"E100000{n:02d}" for n in range(10, 22))
YEARS = [Period.financial_year(2010 + i) for i in range(8)]
QUARTERS = [Period.parse("Q1 2016-17").shift(i) for i in range(8)]
UNITS = [
    Unit("percentage"),
    Unit("percentage", decimals=2),
    Unit("rate", per=10_000),
    Unit("rate", per=100_000, decimals=1),
    Unit("count"),
    Unit("number"),
    Unit("currency"),
    Unit("ratio", decimals=0),
]
POLARITIES = [Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NO_JUDGEMENT, None]
AREA_NAMES = {ENGLAND: "England", REGION: "South West", "neighbours": "Neighbours"}


def _value(rng: np.random.Generator, unit: Unit) -> float | None:
    roll = rng.random()
    if roll < 0.04:
        return None
    if roll < 0.06:
        return math.nan
    scale = {"count": 400.0, "currency": 2_500.0, "ratio": 1.2}.get(unit.type, 40.0)
    value = float(rng.normal(scale, scale * 0.3))
    if roll < 0.10:
        return float(round(value * 1_000))  # a big whole number (thousands separators)
    return float(round(value, int(rng.integers(0, 4))))


def _row(rng: np.random.Generator, sid: str, area: str, period: Period, unit: Unit) -> Observation:
    value = _value(rng, unit)
    extra: dict[str, float] = {}
    roll = rng.random()
    if value is not None and math.isfinite(value) and value > 0:
        if roll < 0.35 and unit.type in ("percentage", "rate", "number"):
            denominator = float(rng.integers(500, 200_000))
            scale = 100.0 if unit.type == "percentage" else float(unit.per or 1)
            numerator = float(round(min(value, 99.0) / scale * denominator)) if unit.type != "number" else value
            extra = {"numerator": numerator, "denominator": denominator}
        elif roll < 0.55:
            half = abs(value) * float(rng.uniform(0.01, 0.3))
            extra = {"lower95": value - half, "upper95": value + half}
            if rng.random() < 0.5:
                extra.update(lower998=value - 1.6 * half, upper998=value + 1.6 * half)
            if rng.random() < 0.1:  # limits that leave out the value
                extra.update(lower95=value + half, upper95=value + 2 * half)
    return Observation(sid, area, period, value, **extra)


def _comparator(
    rng: np.random.Generator, sid: str, periods: list[Period], unit: Unit, rows: dict[str, list[Observation]]
) -> Comparator:
    roll = int(rng.integers(0, 10))
    name = str(rng.choice(["England", "the region", ""]))
    if roll <= 2:  # rows for some, all or none of the periods, sometimes older only, sometimes later
        area = ENGLAND if roll < 2 else REGION
        keep = [p for p in periods if rng.random() < 0.7]
        if rng.random() < 0.2:
            keep = periods[: max(1, len(periods) - int(rng.integers(1, 6)))]
        if rng.random() < 0.1:
            keep = [*keep, periods[-1].shift(1)]
        made = [_row(rng, sid, area, p, unit) for p in keep]
        if rng.random() < 0.15 and made:
            made.insert(0, Observation(sid, area, made[-1].period, math.nan))  # a NaN row before the real one
        rows[area] = rows.get(area, []) + made
        home = float(rng.normal(50, 10)) if rng.random() < 0.15 else None
        return Comparator(name, area, home_value=home, basis="per 100,000" if home is not None else "")
    if roll <= 5:  # one published figure: undated, dated (same, older, far older, later), or missing
        value = _value(rng, unit)
        choice = int(rng.integers(0, 6))
        period = [None, periods[-1], periods[0], periods[-1].shift(-7), periods[-1].shift(2), None][choice]
        if choice == 5:
            value = None
        return Comparator(name or "South West", REGION, value=value, period=period)
    if roll <= 8:  # a group, some members without figures, the home area sometimes among them
        size = int(rng.integers(1, len(MEMBERS)))
        members = tuple(rng.choice(MEMBERS, size, replace=False).tolist())
        if rng.random() < 0.3:
            members = (*members, HOME, members[0])
        for m in members:
            if m != HOME and m not in rows and rng.random() < 0.85:
                rows[m] = [_row(rng, sid, m, p, unit) for p in periods if rng.random() < 0.9]
        home = float(rng.normal(50, 10)) if rng.random() < 0.15 else None
        return Comparator(name or "Neighbours", "neighbours", kind="group", members=members, home_value=home)
    return Comparator(name, "", value=None)  # nothing to compare with


def random_series(rng: np.random.Generator, n: int) -> list[Series]:
    made: list[Series] = []
    for i in range(n):
        sid = f"s{i}"
        unit = UNITS[int(rng.integers(0, len(UNITS)))]
        quarterly = rng.random() < 0.3
        pool = QUARTERS if quarterly else YEARS
        periods = pool[int(rng.integers(0, 4)) : int(rng.integers(5, len(pool) + 1))]
        obs = [_row(rng, sid, HOME, p, unit) for p in periods]
        if rng.random() < 0.15 and obs:
            obs[-1] = Observation(sid, HOME, periods[-1], None, missing_reason="c")
        if unit.type == "number" and rng.random() < 0.5:  # a count in disguise: every value its numerator
            obs = [Observation(sid, HOME, o.period, o.value, numerator=o.value) for o in obs]
        rows: dict[str, list[Observation]] = {}
        comparators = [_comparator(rng, sid, periods, unit, rows) for _ in range(int(rng.integers(0, 4)))]
        made.append(
            Series(
                sid,
                f"Series {sid}",
                unit,
                POLARITIES[int(rng.integers(0, len(POLARITIES)))],
                PeriodKind.QUARTER if quarterly else PeriodKind.FINANCIAL_YEAR,
                observations=obs,
                comparators=comparators,
                benchmark_observations=rows,
            )
        )
    return made


def _latest_index(series: Series) -> int | None:
    for i in range(len(series.observations) - 1, -1, -1):
        v = series.observations[i].value
        if v is not None and math.isfinite(v):
            return i
    return None


def per_series(series_list: list[Series], settings: JudgementSettings):
    """The per-series route: plan each series, settle what waits, then choose each headline."""
    intervals = compute_intervals(series_list)
    planned = [
        plan_comparators(s, _latest_index(s), iv, settings, area_names=AREA_NAMES, slot=i)
        for i, (s, iv) in enumerate(zip(series_list, intervals, strict=True))
    ]
    pending = [p for plans, _ in planned for p in plans if isinstance(p, PendingComparison)]
    settled = iter(settle_comparisons(pending, settings))
    out = []
    for plans, warnings in planned:
        judgements = [next(settled) if isinstance(p, PendingComparison) else p for p in plans]
        out.append((judgements, headline_comparator(judgements), warnings))
    return out


SETTINGS = [
    JudgementSettings(),
    JudgementSettings(comparator_tolerance=0.0, stale_after_periods=1, group_min_areas=3),
    JudgementSettings(tolerance=0.1, stale_after_periods=8, group_min_areas=12),
]


@pytest.mark.parametrize("seed", range(6))
def test_judging_every_comparator_together_gives_the_per_series_answers(seed: int) -> None:
    rng = np.random.default_rng(seed)
    series_list = random_series(rng, 400)
    settings = SETTINGS[seed % len(SETTINGS)]
    expected = per_series(series_list, settings)
    compared, headlines, warnings = judge_comparators(
        series_list, compute_intervals(series_list), settings, AREA_NAMES
    )
    assert len(compared) == len(headlines) == len(warnings) == len(series_list)
    kinds = set()
    for s, (want, want_headline, want_warnings), got, headline, notes in zip(
        series_list, expected, compared, headlines, warnings, strict=True
    ):
        assert got == want, s.id
        assert [j.to_dict() for j in got] == [j.to_dict() for j in want], s.id
        assert [vars(j) for j in got] == [vars(j) for j in want], s.id  # every field, values dicts included
        assert headline == want_headline and headline.to_dict() == want_headline.to_dict(), s.id
        assert list(notes) == want_warnings, s.id
        assert type(got) is list
        kinds.update(j.method for j in got)
    # the random series reach every method (a group of 12 areas or more is rare among them)
    assert kinds >= {"none", "interval-vs-benchmark", "tolerance-vs-benchmark"}
    assert "group-rank" in kinds or settings.group_min_areas >= 12


def test_series_without_comparators_share_nothing_mutable() -> None:
    rng = np.random.default_rng(11)
    series_list = [s for s in random_series(rng, 60) if not s.comparators][:3]
    compared, headlines, _ = judge_comparators(
        series_list, compute_intervals(series_list), JudgementSettings(), AREA_NAMES
    )
    assert compared == [[], [], []]
    assert len({id(c) for c in compared}) == 3  # a list of its own for each series
    assert all(h.word == "not compared" and h.method == "none" for h in headlines)


def test_comparator_judgements_pickle_and_compare_equal() -> None:
    rng = np.random.default_rng(5)
    series_list = random_series(rng, 200)
    compared, _, _ = judge_comparators(series_list, compute_intervals(series_list), JudgementSettings(), AREA_NAMES)
    for judgements in compared:
        for j in judgements:
            again = pickle.loads(pickle.dumps(j))
            assert again == j and vars(again) == vars(j)
