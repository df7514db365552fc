"""The usual trend sentences are written from printf templates made once per kind of sentence (the SPC
reason, the recent-trend reason, a move between two figures: ``_TEMPLATES`` in ``trend_spc``,
``trend_recent`` and ``trend_change``); with the templates off every sentence is written out by the
reference code. Every output is the same either way, on synthetic frameworks, on edge cases, and on
figures either side of the ±999 bound (where the templates give way), scaled down to fractions, negative,
in units whose text holds a "%"."""

from __future__ import annotations

import copy
import dataclasses
import importlib.util
from pathlib import Path

import pytest

from outcomes.judge import judge_framework, judge_series, trend_change, trend_recent, trend_spc
from outcomes.model import Framework, Observation, Period, PeriodKind, Polarity, Series, Unit

# the frameworks of the batched-judging tests (synthetic, shared runs, edge cases), and their outputs
_spec = importlib.util.spec_from_file_location("_batched", Path(__file__).with_name("test_judge_batched.py"))
assert _spec is not None and _spec.loader is not None
_batched = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_batched)
_edge_framework, _every_output = _batched._edge_framework, _batched._every_output
_shared_shapes_framework, make_framework = _batched._shared_shapes_framework, _batched.make_framework

_MODULES = (trend_spc, trend_recent, trend_change)


def _scaled(framework: Framework, factor: float, unit: Unit | None = None) -> Framework:
    """The framework with every value (and its counts, limits and target) times ``factor``, each series in
    ``unit`` when given."""
    scaled = copy.deepcopy(framework)

    def times(x: float | None) -> float | None:
        return None if x is None else x * factor

    for s in scaled.all_series():
        s.observations = [
            dataclasses.replace(
                o, value=times(o.value), lower95=times(o.lower95), upper95=times(o.upper95),
                lower998=times(o.lower998), upper998=times(o.upper998),
            )
            for o in s.observations
        ]
        if s.target is not None:
            s.target = dataclasses.replace(s.target, value=times(s.target.value))
        if unit is not None:
            s.unit = unit
    return scaled


@pytest.mark.parametrize(
    ("framework", "settings"),
    [
        (make_framework(1_000, seed=6), None),
        (make_framework(600, seed=7), {"compare_with": "same-period-last-year", "tolerance": 0.05}),
        (_shared_shapes_framework(900, seed=3), None),
        (_edge_framework(900, seed=9), None),
        (_edge_framework(600, seed=10), {"trend_min_points": 7, "spc_min_points": 30}),
        (_scaled(make_framework(400, seed=12), 4.1), None),  # figures either side of 999
        (_scaled(make_framework(400, seed=13), -2.5), None),  # negative, some below -999
        (_scaled(_edge_framework(400, seed=14), 0.0137), None),  # fractions: more decimals
        (_scaled(make_framework(300, seed=15), 1.0, Unit("currency", currency="%£")), None),
        (_scaled(_edge_framework(300, seed=16), 1.0, Unit("rate", per=100_000, decimals=2)), None),
        (_scaled(make_framework(300, seed=17), 9.99), None),
    ],
    ids=[
        "synthetic", "same-period", "shared", "edge", "edge-settings", "around-999", "negative", "fractions",
        "percent-sign-in-unit", "fixed-decimals-rate", "thousands",
    ],
)
def test_the_templates_write_what_the_reference_writes(framework, settings, monkeypatch):
    templated = judge_framework(framework, settings=settings)
    for module in _MODULES:
        monkeypatch.setattr(module, "_TEMPLATES", False)
    reference = judge_framework(framework, settings=settings)
    assert _every_output(templated) == _every_output(reference)


def test_the_templates_are_used_for_the_usual_series():
    framework = make_framework(300, seed=6)
    judge_framework(framework)
    # one template per kind of move, far fewer than the sentences
    assert 0 < len(trend_change._MADE) < 300
    calls = {"spc": 0, "recent": 0, "move": 0}

    def counting(name, function):
        def counted(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return counted

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trend_spc, "_spc_judgement_plain", counting("spc", trend_spc._spc_judgement_plain))
        patch.setattr(trend_recent, "_recent_trend_words_plain", counting("recent", trend_recent._recent_trend_words_plain))
        patch.setattr(trend_change, "_describe_move", counting("move", trend_change._describe_move))
        judged = judge_framework(framework)
    methods = [sj.trend.method for sj in judged.series]
    # every SPC and recent-trend sentence of the synthetic framework came from a template, and most moves
    assert calls["spc"] == 0 and calls["recent"] == 0 and methods.count("spc-xmr") > 50
    assert calls["move"] < methods.count("previous-vs-latest") + methods.count("none")


def test_a_judgement_made_in_one_step_is_the_one_the_class_makes():
    import pickle

    from outcomes.judge.method import Judgement, judgement

    args = ("worsening", "R", "previous-vs-latest", "label", "reason", "why")
    for values in ({}, {"latest": 1.5, "periods": ["2016-17"]}):
        made, called = judgement(*args, values), Judgement(*args, values)
        assert type(made) is Judgement and made == called and repr(made) == repr(called)
        assert vars(made) == vars(called) and list(vars(made)) == list(vars(called))
        assert pickle.dumps(made) == pickle.dumps(called) and pickle.loads(pickle.dumps(made)) == called
        assert dataclasses.asdict(made) == dataclasses.asdict(called)
        assert dataclasses.replace(made, word="similar") == Judgement("similar", *args[1:], values)
        assert made.values is values and made.assessed
        with pytest.raises(dataclasses.FrozenInstanceError):
            made.word = "similar"  # type: ignore[misc]


@pytest.mark.parametrize("polarity", [Polarity.HIGHER_IS_BETTER, None])
@pytest.mark.parametrize("unit", [Unit("count"), Unit("percentage"), Unit("rate", per=1_000), Unit("currency")])
def test_moves_at_the_edges_are_written_as_the_reference_writes_them(unit, polarity, monkeypatch):
    """Two-point series (previous vs latest, or described without a polarity) whose figures sit at the
    templates' bounds: either side of ±999, zero, tiny (a relative change that overflows), equal."""
    pairs = [
        (998.9, 998.95), (-998.9, 998.9), (999.0, 5.0), (5.0, 999.04), (0.0, 5.0), (5e-324, 3.0), (1e-310, -2.5),
        (2.0, 2.0), (0.001, 0.0015), (-3.25, -3.5), (12, 13), (0.1, 1e-9),
    ]
    periods = [Period.parse("2016-17"), Period.parse("2017-18")]
    series = [
        Series(f"s{i}", f"S{i}", unit, polarity, PeriodKind.FINANCIAL_YEAR, observations=[
            Observation(f"s{i}", "E1", period, value) for period, value in zip(periods, pair, strict=True)
        ])
        for i, pair in enumerate(pairs)
    ]

    def words() -> list[tuple[str, str, str, str]]:
        out = []
        for s in series:
            j = judge_series(s).trend
            out.append((j.word, j.reason, j.why, j.method_label))
        return out

    templated = words()
    for module in _MODULES:
        monkeypatch.setattr(module, "_TEMPLATES", False)
    assert templated == words()
