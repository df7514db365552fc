"""What a judgement keeps (ADR 0018, "Third round"): shared empty lists and windows stay empty,
and the engine's short cuts give what the general code gives.

* every series without comparators or warnings shares one empty list (``engine._NONE``): judging,
  the JSON and CSV records, the comparator rows, the report's view and pickling must leave it empty;
* a series without comparators gets no comparator judgements and the shared headline, as
  ``plan_comparators`` (the per-series route) would give it;
* the comparators found by judging a framework (the latest usable value looked for from the end)
  are those planned from the last finite value, for every ending (a number, None, NaN, ±inf);
* a series without limits shares an empty interval window that answers as its own would;
* ``Judgement``'s written-out ``__init__`` makes the frozen dataclass the generated one made;
* the polarity lookups answer as the comparisons they replace.
"""

from __future__ import annotations

import math
import pickle
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import outcomes.judge.engine as engine
from outcomes.judge import judge_framework, judge_series
from outcomes.judge.comparator import no_comparator, plan_comparators
from outcomes.judge.intervals import compute_intervals
from outcomes.judge.settings import JudgementSettings
from outcomes.model import Comparator, Observation, Period, PeriodKind, Polarity, Series, Unit

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))
from synthetic import make_framework  # noqa: E402


def _latest_index(series: Series) -> int | None:
    """The last observation with a finite value, found the plain way."""
    found = [i for i, o in enumerate(series.observations) if o.value is not None and math.isfinite(o.value)]
    return found[-1] if found else None


def _uses_and_keeps_empty(judged: Any) -> None:
    shared = engine._NONE
    assert shared == []
    assert any(sj.warnings is shared for sj in judged.series)
    assert any(sj.comparators is shared for sj in judged.series)
    judged.to_json_dict()
    judged.to_rows()
    judged.comparator_rows()
    judged.rerank()
    copy = pickle.loads(pickle.dumps(judged))
    assert [sj.to_json_dict() for sj in copy.series] == [sj.to_json_dict() for sj in judged.series]
    assert shared == []


def test_the_shared_empty_list_stays_empty_through_exports_and_pickling() -> None:
    _uses_and_keeps_empty(judge_framework(make_framework(300, seed=3)))


def test_the_shared_empty_list_stays_empty_through_the_report(example: Any) -> None:
    from outcomes.judge.quality import run_checks
    from outcomes.report import render_html

    findings = run_checks(example)
    judged = judge_framework(example, quality_findings=findings)
    assert render_html(example, judged=judged, findings=findings)
    _uses_and_keeps_empty(judged)


def test_a_series_without_comparators_plans_nothing() -> None:
    settings = JudgementSettings()
    for s in make_framework(200, seed=5).all_series():
        if s.comparators:
            continue
        (iv,) = compute_intervals([s])
        assert plan_comparators(s, _latest_index(s), iv, settings, area_names={}, slot=0) == ([], [])
        sj = judge_series(s)
        assert sj.comparators == [] and sj.comparator == no_comparator()


_ENDINGS = (12.0, None, math.nan, math.inf, -math.inf, 0.0, -0.0)


@pytest.mark.parametrize("last", _ENDINGS)
@pytest.mark.parametrize("before", _ENDINGS)
def test_the_latest_value_is_found_as_latest_index_finds_it(last: float | None, before: float | None) -> None:
    years = [Period.financial_year(2015 + i) for i in range(4)]
    values = [10.0, 11.0, before, last]
    bench = Comparator(name="England", area="E92000001", value=10.5)
    s = Series("s", "S", Unit("number"), Polarity.HIGHER_IS_BETTER, PeriodKind.FINANCIAL_YEAR,
               observations=[Observation("s", "E1", p, v) for p, v in zip(years, values, strict=True)],
               comparators=[bench])
    index = _latest_index(s)
    (iv,) = compute_intervals([s])
    plans, warnings = plan_comparators(s, index, iv, JudgementSettings(), area_names={}, slot=0)
    sj = judge_series(s)
    assert sj.comparators == plans
    assert sj.warnings[len(sj.warnings) - len(warnings):] == warnings


def test_random_series_latest_index() -> None:
    rng = np.random.default_rng(17)
    years = [Period.financial_year(2010 + i) for i in range(6)]
    choices = (None, math.nan, math.inf, 1.5, 2.0)
    for _ in range(200):
        values = [choices[int(k)] for k in rng.integers(0, len(choices), 6)]
        s = Series("s", "S", Unit("number"), Polarity.LOWER_IS_BETTER, PeriodKind.FINANCIAL_YEAR,
                   observations=[Observation("s", "E1", p, v) for p, v in zip(years, values, strict=True)],
                   comparators=[Comparator(name="England", area="E92000001", value=1.8)])
        (iv,) = compute_intervals([s])
        plans, _ = plan_comparators(s, _latest_index(s), iv, JudgementSettings(), area_names={}, slot=0)
        assert judge_series(s).comparators == plans


def _mixed_series(rng: np.random.Generator, k: int) -> Series:
    units = (Unit("number"), Unit("percentage"), Unit("rate", per=1000), Unit("count"))
    unit = units[k % len(units)]
    n = int(rng.integers(0, 6))
    observations = []
    for i in range(n):
        value = float(rng.integers(-3, 50)) if rng.random() > 0.2 else None
        counts = rng.random() > 0.5
        published = rng.random() > 0.85
        observations.append(Observation(
            f"s{k}", "E1", Period.financial_year(2010 + i), value,
            numerator=float(rng.integers(0, 40)) if counts else None,
            denominator=float(rng.integers(40, 400)) if counts else None,
            lower95=(value or 0) - 1 if published else None, upper95=(value or 0) + 1 if published else None,
        ))
    return Series(f"s{k}", "S", unit, Polarity.HIGHER_IS_BETTER, PeriodKind.FINANCIAL_YEAR, observations=observations)


def test_a_series_without_limits_shares_an_empty_window_that_answers_as_its_own_would() -> None:
    rng = np.random.default_rng(2026)
    series = [_mixed_series(rng, k) for k in range(400)]
    together = compute_intervals(series)
    shared = 0
    for s, iv in zip(series, together, strict=True):
        (alone,) = compute_intervals([s])  # (a window of its own whenever it has a limit)
        n = len(s.observations)
        has_any = bool(alone.sources.any())
        if not has_any:
            shared += sum(other is iv for other in together) > 1
            assert not iv.points(s) and all(not iv.has(i) for i in range(n))
        for name in ("lower95", "upper95", "lower998", "upper998", "sources"):
            assert np.array_equal(getattr(iv, name), getattr(alone, name), equal_nan=True), name
            assert getattr(iv, name).dtype == getattr(alone, name).dtype
        for i in [*range(n), *range(-n, 0)]:
            assert iv.has(i) == alone.has(i) and iv.source(i) == alone.source(i)
            assert np.array_equal(iv.limits(i), alone.limits(i), equal_nan=True)
        assert iv.points(s) == alone.points(s)
        for outside in (n, -n - 1):
            with pytest.raises(IndexError):
                iv.has(outside)
    assert shared > 50  # the random mix has many series without limits, and they share


def test_the_engine_lists_a_framework_s_series_in_framework_order(example: Any) -> None:
    for framework in (example, make_framework(120, seed=1)):
        assert engine._all_series(framework) == list(framework.all_series())
        assert all(a is b for a, b in zip(engine._all_series(framework), framework.all_series(), strict=True))


def test_a_judgement_is_the_frozen_dataclass_it_was() -> None:
    import copy
    import dataclasses

    from outcomes.judge.method import ComparatorJudgement, Judgement

    # the class as the dataclass decorator writes it (the generated __init__), for comparison
    plain = dataclasses.make_dataclass(
        "Judgement", [(f.name, f.type, f) for f in dataclasses.fields(Judgement)], frozen=True
    )
    args = ("worsening", "R", "previous-vs-latest", "label", "reason", "why")
    for given in ((), ({"latest": 1.5},), (None,)):
        ours, theirs = Judgement(*args, *given), plain(*args, *given)
        assert dataclasses.asdict(ours) == dataclasses.asdict(theirs) and repr(ours) == repr(theirs)
        assert list(vars(ours)) == list(vars(theirs))  # (the same fields, in the same order)
        assert pickle.loads(pickle.dumps(ours)) == ours == copy.deepcopy(ours)
        assert dataclasses.replace(ours, word="similar") == Judgement("similar", *args[1:], *given)
        with pytest.raises(dataclasses.FrozenInstanceError):
            ours.word = "similar"  # type: ignore[misc]
    assert Judgement(*args).values == {} and Judgement(*args).values is not Judgement(*args).values
    assert Judgement(*args, values={"a": 1}) == Judgement(*args, {"a": 1})
    comparator = ComparatorJudgement(*args, name="England")
    assert comparator.values == {} and comparator.name == "England" and comparator.assessed


@pytest.mark.parametrize("polarity", [*Polarity, *(str(p) for p in Polarity), None, "", "Higher-is-better", "up"])
def test_polarity_words_found_by_lookup_are_those_of_comparing_one_by_one(polarity: Any) -> None:
    from outcomes.judge.method import is_judged, polarity_text

    assert is_judged(polarity) == (polarity == Polarity.HIGHER_IS_BETTER or polarity == Polarity.LOWER_IS_BETTER)
    if polarity == Polarity.HIGHER_IS_BETTER:
        expected = "higher is better"
    elif polarity == Polarity.LOWER_IS_BETTER:
        expected = "lower is better"
    elif polarity == Polarity.NO_JUDGEMENT:
        expected = "the polarity is 'no judgement', so neither direction is better"
    else:
        expected = "no polarity is declared, so neither direction is taken as better"
    assert polarity_text(polarity) == expected


def test_the_engine_unpacks_trend_parts_in_their_field_order() -> None:
    from outcomes.judge.trend import TrendParts, TrendResult

    # engine._judge_many unpacks each TrendParts positionally in this order
    order = ("judgement", "previous", "latest", "current_run", "current_direction", "spc", "spc_periods",
             "marker", "warnings")
    assert TrendParts._fields == order
    assert tuple(TrendResult.__dataclass_fields__) == order
