"""The cheaper number, period and interval helpers of judging give exactly what the plain ones gave.

``decimals_for``, ``format_value``, ``format_percent`` and ``method_label`` remember what they worked
out; ``Period`` compares field by field with a shortcut for the same object; ``Observation`` is
slotted; ``compute_intervals`` reads only the columns it needs. Each is compared here with a plain
reference (the code as it was before, or the method written out observation by observation) on
random and edge-case inputs, asked more than once so that remembered answers are checked too.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import pickle
import random

import numpy as np
import pytest

import outcomes.judge.intervals as intervals_module
from outcomes.judge.intervals import _CODES, SeriesIntervals, compute_intervals
from outcomes.judge.method import decimals_for, format_percent, format_value, method_label, period_phrase
from outcomes.model import Observation, Period, PeriodKind, Polarity, Series, Unit
from outcomes.stats import poisson_interval, proportion_interval, rate_interval


def _plain_decimals(*values: float | None, cap: int = 3) -> int:
    most = 0
    scale = 10**cap
    for v in set(values):
        if v is None or not math.isfinite(v):
            continue
        if v == int(v) and abs(v) < 1e12:
            continue
        frac = round(abs(v) * scale) % scale
        if frac:
            digits = cap
            while frac % 10 == 0:
                frac //= 10
                digits -= 1
            most = max(most, digits)
    return most


def _plain_format_value(unit: Unit, value: float | None, decimals: int | None = None) -> str:
    if value is None or not math.isfinite(value):
        return "no value"
    d = unit.decimals if unit.decimals is not None else decimals
    if d is None:
        d = _plain_decimals(value)
    text = f"{value:,.{d}f}"
    if unit.type == "percentage":
        return f"{text}%"
    if unit.type == "currency":
        return f"{unit.currency}{text}"
    if unit.type == "rate" and unit.per:
        return f"{text} per {unit.per:,}"
    return text


def _plain_percent(percent: float) -> str:
    if not math.isfinite(percent):
        return "an unbounded amount"
    text = f"{percent:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return f"{text}%"


def _values(seed: int, n: int) -> list[float | None]:
    rng = random.Random(seed)
    edge: list[float | None] = [None, math.nan, math.inf, -math.inf, 0.0, -0.0, 1, 3766, 1e12, 1e13 + 0.5,
                                123456789012.25, 0.0005, 0.0015, 2.675, -7.35, 59.4, 53.0, 33.33, 28.7, 1 / 3]
    random_values = [round(rng.uniform(-1e4, 1e4), rng.randint(0, 6)) for _ in range(n)]
    return edge + random_values


def test_decimals_for_matches_the_plain_count_with_every_cap_and_on_asking_again() -> None:
    values = _values(1, 400)
    rng = random.Random(2)
    for _ in range(2):  # the second round finds the remembered answers
        for v in values:
            assert decimals_for(v) == _plain_decimals(v), v
        for _ in range(300):
            group = rng.sample(values, rng.randint(0, 4))
            for cap in (1, 2, 3, 4):
                assert decimals_for(*group, cap=cap) == _plain_decimals(*group, cap=cap), (group, cap)
            assert decimals_for(*group) == _plain_decimals(*group), group


def test_format_value_and_format_percent_match_the_plain_text() -> None:
    units = [Unit("rate", per=10_000), Unit("rate", per=100_000, decimals=1), Unit("rate"), Unit("percentage"),
             Unit("percentage", decimals=0), Unit("currency"), Unit("currency", currency="€", decimals=2),
             Unit("count"), Unit("number"), Unit("ratio", decimals=3)]
    values = _values(3, 200)
    for _ in range(2):
        for unit in units:
            fresh = Unit(unit.type, unit.per, unit.currency, unit.decimals)  # an equal unit, not yet used
            for v in values:
                for d in (None, 0, 1, 2):
                    expected = _plain_format_value(unit, v, d)
                    assert format_value(unit, v, d) == expected, (unit, v, d)
                    assert format_value(fresh, v, d) == expected
        for v in values:
            if v is not None:
                assert format_percent(v) == _plain_percent(v), v
                assert format_percent(v * 100) == _plain_percent(v * 100), v


def test_a_unit_keeps_its_equality_hash_copies_and_pickles_once_it_has_formatted() -> None:
    unit = Unit("rate", per=10_000)
    format_value(unit, 59.4)
    twin = Unit("rate", per=10_000)
    assert unit == twin and hash(unit) == hash(twin) and dataclasses.asdict(unit) == dataclasses.asdict(twin)
    assert pickle.loads(pickle.dumps(unit)) == twin and copy.deepcopy(unit) == twin
    changed = dataclasses.replace(unit, per=1_000)
    assert format_value(changed, 59.4) == "59.4 per 1,000"


def test_method_labels_are_the_same_on_asking_again_and_unknown_methods_still_fail() -> None:
    for _ in range(2):
        assert method_label("previous-vs-latest", tolerance=0.02) == "Previous vs latest, within ±2% is similar"
        assert (method_label("previous-vs-latest", tolerance=0.025, compare_with="same-period-last-year")
                == "Same period last year vs latest, within ±2.5% is similar")
        assert (method_label("tolerance-vs-benchmark", tolerance=0.05)
                == "Value vs benchmark, within ±5% is similar (no interval)")
        assert method_label("spc-xmr", tolerance=0.02) == "SPC: XmR chart (NHS Making Data Count)"
        with pytest.raises(KeyError):
            method_label("no-such-method")


_NOTATIONS = ["2016-17", "Q4 2017-18", "2018", "AY 2016/17", "March 2018", "2018-03-31", "12 months to March 2017",
              "3 months to June 2018", "Q1 2018-19", "2017-18"]


def test_period_phrases_and_labels_in_f_strings_are_unchanged() -> None:
    for text in _NOTATIONS:
        p = Period.parse(text)
        label = p.label("long")
        for prep in ("in", "for", "to", "in", "for"):  # asked again: the remembered phrase
            if p.kind is PeriodKind.DATE and prep == "in":
                expected = f"on {label}"
            elif p.kind is PeriodKind.ROLLING:
                expected = f"{prep} the {label}"
            else:
                expected = f"{prep} {label}"
            assert period_phrase(p, prep) == expected
        assert f"{p}" == label and f"{p:short}" == p.label("short") and f"{p:>30}" == format(label, ">30")
        assert p == pickle.loads(pickle.dumps(p)) and period_phrase(pickle.loads(pickle.dumps(p))) == period_phrase(p)
    assert period_phrase(None, "for") == "for an unstated period"


def test_periods_compare_as_their_fields_do() -> None:
    periods = [Period.parse(t) for t in _NOTATIONS]
    periods += [Period.parse("12 months to March 2018"), Period.parse("2017/18")]  # the same days as 2017-18
    for a in periods:
        for b in periods:
            fields_equal = (a.kind, a.start, a.end, a.months) == (b.kind, b.start, b.end, b.months)
            assert (a == b) is fields_equal and (a != b) is (not fields_equal)
            if fields_equal:
                assert hash(a) == hash(b)
        assert a == dataclasses.replace(a) and a == pickle.loads(pickle.dumps(a))
        assert a != str(a) and a != None  # noqa: E711


def test_a_slotted_observation_copies_replaces_and_pickles() -> None:
    o = Observation("x", "E1", Period.parse("2017-18"), 59.4, numerator=706, denominator=118_855, note="n")
    assert not hasattr(o, "__dict__")
    assert dataclasses.replace(o, note="") == Observation("x", "E1", Period.parse("2017-18"), 59.4, numerator=706,
                                                          denominator=118_855)
    assert pickle.loads(pickle.dumps(o)) == o and copy.copy(o) == o and copy.deepcopy(o) == o
    o.value = 60.0
    assert o.value == 60.0
    with pytest.raises(AttributeError):
        o.not_a_field = 1  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------------
# compute_intervals: every observation against the method written out for that observation alone


def _finite(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _one(unit: Unit, o: Observation) -> tuple[float, float, float, float, str]:
    nan = math.nan
    if _finite(o.lower95) and _finite(o.upper95):
        source = o.interval_method if o.interval_method in _CODES[5:] else "given"
        if _finite(o.lower998) and _finite(o.upper998):
            return o.lower95, o.upper95, o.lower998, o.upper998, source  # type: ignore[return-value]
        return o.lower95, o.upper95, nan, nan, source  # type: ignore[return-value]
    counts = _finite(o.numerator) and _finite(o.denominator)
    if unit.type == "percentage" and counts:
        num, den = np.array([o.numerator]), np.array([o.denominator])
        limits = [proportion_interval(num, den, multiplier=100, confidence=c)[1:] for c in (0.95, 0.998)]
        source = "wilson"
    elif unit.type == "rate" and unit.per and counts:
        num, den = np.array([o.numerator]), np.array([o.denominator])
        limits = [rate_interval(num, den, multiplier=float(unit.per), confidence=c)[1:] for c in (0.95, 0.998)]
        source = "poisson-rate"
    elif unit.type == "count" and _finite(o.value) and o.value >= 0:  # type: ignore[operator]
        limits = [poisson_interval(np.array([o.value]), confidence=c) for c in (0.95, 0.998)]
        source = "poisson-count"
    else:
        return nan, nan, nan, nan, ""
    (l95, u95), (l998, u998) = [(float(np.atleast_1d(a)[0]), float(np.atleast_1d(b)[0])) for a, b in limits]
    if not (math.isfinite(l95) and math.isfinite(u95)):
        return nan, nan, nan, nan, ""
    return l95, u95, l998, u998, source


def _series(rng: random.Random, index: int, unit: Unit, published: str) -> Series:
    periods = [Period.parse(f"{2010 + i}-{(11 + i) % 100:02d}") for i in range(rng.randint(0, 7))]
    observations = []
    for p in periods:
        value = rng.choice([None, math.nan, -3.0, 0.0, round(rng.uniform(0, 500), 2)])
        den = rng.choice([None, 0.0, float(rng.randint(1, 200_000))])
        num = rng.choice([None, 0.0, 3.0, float(rng.randint(0, int(den or 1)))])
        lo = hi = lo998 = hi998 = None
        method = ""
        if published != "none" and rng.random() < 0.6:
            lo, hi = rng.choice([(1.0, 2.0), (None, 2.0), (1.0, math.inf), (0.0, 0.5)])
            lo998, hi998 = rng.choice([(0.5, 2.5), (None, None), (0.5, math.nan)])
            method = rng.choice(["", "dsr", "mean", "something-else"])
        observations.append(Observation(f"s{index}", "E1", p, value, numerator=num, denominator=den, lower95=lo,
                                        upper95=hi, lower998=lo998, upper998=hi998, interval_method=method))
    return Series(f"s{index}", "S", unit, Polarity.LOWER_IS_BETTER, PeriodKind.FINANCIAL_YEAR,
                  observations=observations)


@pytest.mark.parametrize("published", ["none", "some"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_compute_intervals_matches_the_method_observation_by_observation(seed: int, published: str) -> None:
    rng = random.Random(seed)
    units = [Unit("percentage"), Unit("rate", per=10_000), Unit("rate", per=100_000), Unit("rate"), Unit("count"),
             Unit("ratio"), Unit("number")]
    series = [_series(rng, i, rng.choice(units), published) for i in range(60)]
    batched = compute_intervals(series)
    assert compute_intervals([]) == []
    for s, iv in zip(series, batched, strict=True):
        assert len(iv.sources) == len(s.observations)
        alone = compute_intervals([s])[0]
        for i, o in enumerate(s.observations):
            expected = _one(s.unit, o)
            got = (iv.lower95[i], iv.upper95[i], iv.lower998[i], iv.upper998[i])
            np.testing.assert_array_equal(got, expected[:4])  # (NaN where NaN; the limits to the bit)
            np.testing.assert_array_equal(got, (alone.lower95[i], alone.upper95[i], alone.lower998[i],
                                                alone.upper998[i]))
            assert iv.source(i) == expected[4] == alone.source(i)
            assert iv.has(i) is (expected[4] != "")


@pytest.mark.parametrize("block", [1, 5, 64])
@pytest.mark.parametrize("published", ["none", "some"])
def test_compute_intervals_in_blocks_matches_each_series_alone(
    block: int, published: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # limits computed a block of observations at a time (intervals._BLOCK, 8,192, made small here so
    # that blocks begin and end inside series) are those of each series alone, in one block
    rng = random.Random(11 + block)
    units = [Unit("count"), Unit("percentage"), Unit("rate", per=10_000), Unit("ratio")]
    series = [_series(rng, i, rng.choice(units), published) for i in range(80)]
    whole = compute_intervals(series)
    monkeypatch.setattr(intervals_module, "_BLOCK", block)
    batched = compute_intervals(series)
    assert len(batched) == len(series)
    for s, iv, one_block in zip(series, batched, whole, strict=True):
        monkeypatch.setattr(intervals_module, "_BLOCK", 8192)
        alone = compute_intervals([s])[0]
        for name in ("lower95", "upper95", "lower998", "upper998", "sources"):
            np.testing.assert_array_equal(getattr(iv, name), getattr(alone, name))
            np.testing.assert_array_equal(getattr(iv, name), getattr(one_block, name))
        for i, o in enumerate(s.observations):
            assert iv.source(i) == _one(s.unit, o)[4]


def test_zero_and_minus_zero_keep_their_own_text() -> None:
    for _ in range(2):
        assert (format_percent(0.0), format_percent(-0.0)) == ("0%", "-0%")
        assert method_label("previous-vs-latest", tolerance=0.0) == "Previous vs latest, within ±0% is similar"
        assert method_label("previous-vs-latest", tolerance=-0.0) == "Previous vs latest, within ±-0% is similar"


def test_a_series_window_reads_as_its_own_arrays_from_either_end() -> None:
    rng = random.Random(7)
    series = [_series(rng, i, Unit("percentage"), "some") for i in range(12)]
    series = [s for s in series if s.observations]
    for s, iv in zip(series, compute_intervals(series), strict=True):
        alone = compute_intervals([s])[0]
        own = SeriesIntervals(alone.lower95, alone.upper95, alone.lower998, alone.upper998, alone.sources)
        for name in ("lower95", "upper95", "lower998", "upper998", "sources"):
            np.testing.assert_array_equal(getattr(iv, name), getattr(alone, name))
        n = len(s.observations)
        for i in range(-n, n):
            assert iv.has(i) is own.has(i) and iv.source(i) == own.source(i)
            np.testing.assert_array_equal(iv.limits(i), own.limits(i))
        for outside in (n, -n - 1):
            with pytest.raises(IndexError):
                iv.has(outside)
            with pytest.raises(IndexError):
                own.limits(outside)
        assert [p.to_dict() for p in iv.points(s)] == [p.to_dict() for p in own.points(s)]
