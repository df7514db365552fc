"""judge_framework judges every series together (XmR charts in one vectorised call, recent-trend markers in
another); the answers are exactly those of judging each series on its own with the per-series functions
(``stats.xmr`` and ``stats.trend_marker``): the same SPC points and limits, words, methods and sentences."""

from __future__ import annotations

import dataclasses
import math
import sys
from pathlib import Path

import numpy as np
import pytest

import outcomes.judge.trend as judge_trend_module
from outcomes.judge import judge_framework, judge_series
from outcomes.model import (
    Area,
    Comparator,
    Framework,
    Observation,
    Outcome,
    Period,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    Series,
    Target,
    Unit,
)
from outcomes.stats import xmr
from outcomes.stats.spc import XmR

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from synthetic import make_framework  # noqa: E402

_FOCUS_KEYS = ("focus_rank", "focus_score", "focus_reasons")


def _per_series_charts(values, *, improvements, targets):
    """The reference for xmr_many (lists of values) and xmr_rows (a block of rows): xmr, series by series."""
    return [xmr(v, improvement=how, target=t) for v, how, t in zip(values, improvements, targets, strict=True)]


def _same_float(a, b) -> bool:
    return (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)) or a == b


def _assert_same_chart(a: XmR | None, b: XmR | None) -> None:
    assert (a is None) == (b is None)
    if a is None or b is None:
        return
    for name in XmR.__dataclass_fields__:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y, equal_nan=True), name
        else:
            assert _same_float(x, y), name


def _quarters(n: int) -> list[Period]:
    first = Period.parse("Q1 2015-16")
    return [first.shift(i) for i in range(n)]


def _edge_series(i: int, rng: np.random.Generator) -> Series:
    """Quarterly, monthly and annual series of every awkward shape: too few points, constant, missing
    values, breaks, gaps, trends, shifts, no polarity, targets."""
    kind = (PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.FINANCIAL_YEAR)[i % 3]
    start = {PeriodKind.QUARTER: "Q1 2015-16", PeriodKind.MONTH: "April 2016", PeriodKind.FINANCIAL_YEAR: "2010-11"}
    first = Period.parse(start[kind], kind=kind)
    size = int(rng.integers(0, 30))
    periods = [first.shift(k) for k in range(size)]
    if i % 13 == 0 and size > 4:  # a gap: one period left out
        del periods[size // 2]
    shape = i % 7
    base = float(rng.uniform(5, 400))
    values = rng.normal(base, base * 0.05 + 0.5, len(periods))
    if shape == 1:
        values[:] = round(base)  # constant
    elif shape == 2:
        values[len(values) // 2 :] += base * 0.3  # a shift
    elif shape == 3:
        values = base + np.arange(len(values)) * base * 0.02  # a steady trend
    elif shape == 4:
        values = np.round(values / 10) * 10  # ties, points on the mean
    numbers: list[float | None] = [float(round(v, 1)) for v in values]
    if shape == 5:
        for k in range(len(numbers)):
            if rng.random() < 0.25:
                numbers[k] = None  # missing values
    polarity = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, Polarity.NO_JUDGEMENT, None)[i % 4]
    unit = Unit("percentage") if kind is PeriodKind.FINANCIAL_YEAR and i % 2 else Unit("count")
    obs = []
    for p, v in zip(periods, numbers, strict=True):
        counts = {}
        if unit.type == "percentage" and v is not None:
            denominator = float(rng.integers(500, 5_000))
            counts = {"numerator": float(round(denominator * min(v, 99.0) / 100)), "denominator": denominator}
        obs.append(Observation(f"e{i}", "E10000009", p, v, **counts))
    breaks = (periods[len(periods) // 3],) if i % 11 == 0 and len(periods) > 6 else ()
    target = Target(round(base)) if i % 5 == 0 else None
    comparators = [Comparator("England", "E92000001", value=float(round(base, 1)))] if i % 2 else []
    return Series(f"e{i:04d}", f"Edge {i}", unit, polarity, kind, observations=obs, breaks=breaks,
                  target=target, comparators=comparators)


def _edge_framework(n: int, seed: int) -> Framework:
    rng = np.random.default_rng(seed)
    series = [_edge_series(i, rng) for i in range(n)]
    indicator = PopulationIndicator("ind", "1", "Edge cases", "o", series=series)
    return Framework(
        organisation="Edge cases",
        home_area=Area("E10000009", "Home"),
        reporting_period=_quarters(40)[-1],
        outcomes=[Outcome("o", "Outcome", indicators=[indicator])],
        areas={"E92000001": Area("E92000001", "England")},
    )


@pytest.mark.parametrize(
    "framework",
    [make_framework(1_200, seed=3), make_framework(800, seed=11), _edge_framework(1_500, seed=5)],
    ids=["synthetic-1200", "synthetic-800", "edge-cases-1500"],
)
def test_judging_together_gives_the_per_series_answers(framework, monkeypatch):
    together = judge_framework(framework)
    # the reference: every series judged on its own, with the per-series statistics functions
    monkeypatch.setattr(judge_trend_module, "xmr_many", _per_series_charts)
    monkeypatch.setattr(judge_trend_module, "xmr_rows", _per_series_charts)
    monkeypatch.setattr(judge_trend_module, "trend_marker_objects", lambda windows: [w.marker() for w in windows])
    charts = methods = 0
    for sj in together.series:
        alone = judge_series(sj.series, settings=together.settings, area_names={
            code: area.name for code, area in framework.areas.items()})
        row, row_alone = sj.to_row(), alone.to_row()
        for key in _FOCUS_KEYS:
            row.pop(key), row_alone.pop(key)
        assert row == row_alone  # words, RAG, methods, every sentence (reason and why), warnings
        assert sj.comparator_rows() == alone.comparator_rows()
        assert sj.trend.values.keys() == alone.trend.values.keys()
        for key, value in sj.trend.values.items():
            if key in ("chi2", "slope") and sj.trend.method == "fingertips-trend":
                # the recent-trend kernel sums in another order than trend_marker's matrix products:
                # the same figures to 1e-12 relative (the sentences, which print them, are equal above)
                assert value == pytest.approx(alone.trend.values[key], rel=1e-9, nan_ok=True), key
            else:
                assert _same_float(value, alone.trend.values[key]) or value == alone.trend.values[key], key
        _assert_same_chart(sj.spc, alone.spc)
        assert sj.spc_periods == alone.spc_periods
        charts += sj.spc is not None
        methods += sj.trend.method == "spc-xmr"
    # the frameworks reach the vectorised paths: many charts, judged by SPC and drawn for description
    assert charts > 200 and methods > 100


@pytest.fixture
def collector_on():
    """The collector on at the start, whatever an earlier test in this process left (it is process-wide,
    and one pytest-xdist worker runs many tests, in no fixed order); its state put back afterwards."""
    import gc

    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


def test_the_collector_is_held_off_while_judging_and_restored_after(monkeypatch, collector_on):
    """The pause is counted across threads: it ends when the last judgement ends, not the first."""
    import gc
    import threading

    import outcomes.judge.engine as engine

    framework = make_framework(40)
    inside_a, b_done, seen = threading.Event(), threading.Event(), {}
    real_rank_focus = engine.rank_focus

    def rank_focus(*args, **kwargs):
        if threading.current_thread().name == "a":
            inside_a.set()
            assert b_done.wait(30)  # b judges from start to end while a is still judging
            seen["a after b ended"] = gc.isenabled()
        else:
            seen["b inside"] = gc.isenabled()
        return real_rank_focus(*args, **kwargs)

    monkeypatch.setattr(engine, "rank_focus", rank_focus)
    assert gc.isenabled()
    a = threading.Thread(target=judge_framework, args=(framework,), name="a")
    a.start()
    assert inside_a.wait(30)
    b = threading.Thread(target=judge_framework, args=(framework,), name="b")
    b.start()
    b.join(30)
    b_done.set()
    a.join(30)
    assert seen == {"b inside": False, "a after b ended": False}
    assert gc.isenabled()  # back on once both have ended

    gc.disable()  # a program that keeps the collector off itself: judging leaves it off
    try:
        judge_framework(framework)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_judging_made_goes_to_the_oldest_generation_at_once(collector_on):
    """When the pause ends, the objects it made are moved to the oldest generation (no young collection
    over them afterwards), unless something else keeps objects frozen: those stay frozen."""
    import gc

    framework = make_framework(200)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.collect()
    judged = judge_framework(framework)
    young, middle, _ = gc.get_count()
    assert young < 700 and middle == 0  # without the move, tens of thousands would wait in the young count
    tracked = [o for o in gc.get_objects(generation=2) if o is judged]
    assert tracked == [judged]  # the result itself is in the oldest generation, not the youngest
    assert gc.get_freeze_count() == 0  # nothing left frozen

    gc.freeze()  # a server that froze what it preloaded before forking, say
    try:
        frozen = gc.get_freeze_count()
        assert frozen > 0
        judge_framework(framework)
        # its frozen objects are left frozen (a few may have been freed meanwhile; let go, the count is 0)
        assert gc.get_freeze_count() > frozen // 2
        assert gc.isenabled()
    finally:
        gc.unfreeze()


def _own_periods(framework: Framework) -> Framework:
    """The same framework with every observation's period its own object (equal, not shared)."""
    import copy

    fresh = copy.deepcopy(framework)
    for s in fresh.all_series():
        s.observations = [
            dataclasses.replace(o, period=Period(o.period.kind, o.period.start, o.period.end, o.period.months))
            for o in s.observations
        ]
    return fresh


def _shared_shapes_framework(n: int, seed: int) -> Framework:
    """Fully valued series without breaks (the runs are worked out once per sequence of periods and
    shared): quarterly, monthly and annual, some with a gap, some mixing kinds, of every length."""
    rng = np.random.default_rng(seed)
    quarters = _quarters(30)
    months = [Period.parse("April 2016").shift(k) for k in range(30)]
    years = [Period.financial_year(2005 + k) for k in range(12)]
    series = []
    for i in range(n):
        pool = (quarters, months, years)[i % 3]
        size = int(rng.integers(1, len(pool) + 1))
        periods = list(pool[-size:])
        if i % 5 == 0 and size > 3:  # a gap
            del periods[int(rng.integers(1, size - 1))]
        if i % 7 == 0 and size > 2:  # an earlier period of another kind
            periods[0] = years[0]
        polarity = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER, None)[(i // 3) % 3]
        unit = Unit("percentage") if i % 2 else Unit("count")
        obs = []
        for p in periods:
            v = float(round(rng.uniform(10, 90), 1))
            counts = {"numerator": float(round(v * 10)), "denominator": 1000.0} if unit.type == "percentage" else {}
            obs.append(Observation(f"s{i}", "E10000009", p, v, **counts))
        series.append(Series(f"s{i:04d}", f"Shared {i}", unit, polarity, pool[0].kind, observations=obs))
    indicator = PopulationIndicator("ind", "1", "Shared periods", "o", series=series)
    return Framework(
        organisation="Shared periods",
        home_area=Area("E10000009", "Home"),
        reporting_period=quarters[-1],
        outcomes=[Outcome("o", "Outcome", indicators=[indicator])],
        areas={},
    )


@pytest.mark.parametrize(
    "framework",
    [_shared_shapes_framework(900, seed=2), _edge_framework(600, seed=8), make_framework(300, seed=4)],
    ids=["shared-shapes-900", "edge-cases-600", "synthetic-300"],
)
def test_runs_shared_between_series_give_each_series_own_answer(framework):
    """Series judged together share the work on their runs when their periods are the same objects;
    judged one by one, or with every period an object of its own (nothing shared), every output is
    the same."""
    shared = judge_framework(framework)
    own = judge_framework(_own_periods(framework))
    rows = [sj.to_row() for sj in shared.series]
    assert rows == [sj.to_row() for sj in own.series]
    assert [sj.spc_periods for sj in shared.series] == [sj.spc_periods for sj in own.series]
    for sj, row in zip(shared.series, rows, strict=True):
        alone = judge_series(sj.series, settings=shared.settings)
        for key in _FOCUS_KEYS:
            row.pop(key)
        assert row == {k: v for k, v in alone.to_row().items() if k not in _FOCUS_KEYS}
        assert sj.spc_periods == alone.spc_periods
    methods = {sj.trend.method for sj in shared.series}
    assert {"spc-xmr", "fingertips-trend", "previous-vs-latest", "none"} <= methods


def _every_output(judged) -> list:
    """Every output of a framework judgement that the trend path feeds, as text (NaN equal to NaN)."""
    out = []
    for sj in judged.series:
        chart = sj.spc
        out.append(repr((
            sj.to_row(), sj.to_json_dict(), sj.trend.values, sj.warnings, sj.current_run, sj.current_direction,
            sj.previous, sj.latest, sj.spc_periods, sj.trend_marker,
            None if chart is None else [
                v.tolist() if isinstance(v, np.ndarray) else v for v in dataclasses.astuple(chart)
            ],
        )))
    return out


def _window_framework(n: int, seed: int) -> Framework:
    """Annual series whose recent-trend window rests on 95% limits or counts: rates, counts and percentages,
    with a gap or a quarter before a shorter annual run, some limits published (all or some), some missing
    or infinite, so that the windows read from the shared limit arrays meet every case."""
    rng = np.random.default_rng(seed)
    years = [Period.financial_year(2008 + k) for k in range(12)]
    units = (Unit("rate", per=10_000), Unit("count"), Unit("percentage"), Unit("score"))
    series = []
    for i in range(n):
        unit = units[i % 4]
        size = int(rng.integers(2, 12))
        periods = years[-size:]
        if i % 5 == 0 and size > 3:  # a gap: the annual run is the points after it
            del periods[int(rng.integers(1, size - 1))]
        if i % 7 == 0:  # a quarter before the annual points
            periods = [Period.parse("Q1 2005-06"), *periods]
        obs = []
        for k, p in enumerate(periods):
            value = float(round(rng.uniform(5, 90), int(rng.integers(0, 3))))
            fields: dict[str, float | None] = {}
            if unit.type in ("rate", "percentage") and rng.random() > 0.05:
                fields = {"numerator": float(rng.integers(5, 500)), "denominator": float(rng.integers(1_000, 50_000))}
            if i % 3 == 0 or (i % 3 == 1 and k % 2):  # published limits, for every point or some
                lower = value - float(rng.uniform(0, 5))
                fields.update(lower95=lower if rng.random() > 0.05 else math.inf, upper95=value + 2.0)
            obs.append(Observation(f"w{i}", "E10000009", p, value, **fields))
        polarity = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)[i % 2]
        series.append(Series(f"w{i:04d}", f"Window {i}", unit, polarity, PeriodKind.FINANCIAL_YEAR, observations=obs))
    indicator = PopulationIndicator("ind", "1", "Windows", "o", series=series)
    return Framework(
        organisation="Windows",
        home_area=Area("E10000009", "Home"),
        reporting_period=years[-1],
        outcomes=[Outcome("o", "Outcome", indicators=[indicator])],
        areas={"E92000001": Area("E92000001", "England")},
    )


@pytest.mark.parametrize(
    ("framework", "settings"),
    [
        (_window_framework(800, seed=12), {"trend_min_points": 6}),
        (_window_framework(500, seed=13), None),
        (make_framework(1_000, seed=6), None),
        (make_framework(600, seed=7), {"compare_with": "same-period-last-year"}),
        (_shared_shapes_framework(900, seed=3), None),
        (_shared_shapes_framework(600, seed=4), {"compare_with": "same-period-last-year", "spc_min_points": 8}),
        (_edge_framework(900, seed=9), None),
        (_edge_framework(600, seed=10), {"trend_min_points": 7, "spc_min_points": 30}),
    ],
    ids=["windows-min6", "windows", "synthetic", "synthetic-same-period", "shared", "shared-same-period-spc2", "edge", "edge-settings"],
)
def test_the_quick_path_for_the_usual_series_gives_the_general_answers(framework, settings, monkeypatch):
    """_begin judges a series with every value present and no break by its quick steps; with those turned
    off every series goes through the general code: every output is the same either way."""
    quick = judge_framework(framework, settings=settings)
    monkeypatch.setattr(judge_trend_module, "_QUICK", False)
    general = judge_framework(framework, settings=settings)
    assert _every_output(quick) == _every_output(general)
    assert [i.to_dict() for i in quick.focus_items] == [i.to_dict() for i in general.focus_items]


def test_limits_of_another_length_than_the_series_are_read_as_the_general_code_reads_them(monkeypatch):
    """A caller's intervals longer than the series (compute_intervals never gives them): the quick path
    leaves the window to _trend_window, which reads the series' own rows, as the general code does."""
    from outcomes.judge.intervals import compute_intervals
    from outcomes.judge.settings import JudgementSettings
    from outcomes.judge.trend import judge_trend

    years = [Period.financial_year(2010 + k) for k in range(8)]
    rate = Unit("rate", per=10_000)
    obs = [Observation("r", "E1", p, 40.0 + k, numerator=400.0 + 10 * k, denominator=100_000.0) for k, p in enumerate(years)]
    longer = Series("r", "R", rate, Polarity.LOWER_IS_BETTER, PeriodKind.FINANCIAL_YEAR, observations=obs)
    series = Series("r", "R", rate, Polarity.LOWER_IS_BETTER, PeriodKind.FINANCIAL_YEAR, observations=obs[:6])
    (intervals,) = compute_intervals([longer])
    settings = JudgementSettings()
    quick = judge_trend(series, settings=settings, intervals=intervals)
    monkeypatch.setattr(judge_trend_module, "_QUICK", False)
    general = judge_trend(series, settings=settings, intervals=intervals)
    assert quick == general
    assert quick.judgement.method == "fingertips-trend"
    assert quick.marker is not None and quick.marker.periods == tuple(years[1:6])
