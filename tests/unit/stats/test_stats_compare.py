"""Benchmark comparison: each judgement, the 99.8% level, the reason text and the vectorised form."""

from __future__ import annotations

import numpy as np
import pytest

from outcomes.stats import JUDGEMENTS, compare_with_benchmark, compare_with_benchmark_array
from outcomes.stats.compare import BETTER, NOT_COMPARED, SIMILAR, WORSE


@pytest.mark.parametrize(
    ("lower", "upper", "polarity", "judgement"),
    [
        (11.0, 13.0, "higher-is-better", "better"),
        (11.0, 13.0, "lower-is-better", "worse"),
        (11.0, 13.0, "no-judgement", "higher"),
        (7.0, 9.0, "higher-is-better", "worse"),
        (7.0, 9.0, "lower-is-better", "better"),
        (7.0, 9.0, "no-judgement", "lower"),
        (9.0, 11.0, "higher-is-better", "similar"),
        (9.0, 11.0, "no-judgement", "similar"),
    ],
)
def test_judgements(lower: float, upper: float, polarity: str, judgement: str) -> None:
    result = compare_with_benchmark(
        (lower + upper) / 2, 10.0, lower95=lower, upper95=upper, polarity=polarity
    )
    assert result.judgement == judgement
    assert result.level == (None if judgement == "similar" else 0.95)


@pytest.mark.parametrize(("lower", "upper"), [(10.0, 12.0), (8.0, 10.0)])
def test_benchmark_on_a_limit_is_similar(lower: float, upper: float) -> None:
    result = compare_with_benchmark(11.0, 10.0, lower95=lower, upper95=upper, polarity="higher-is-better")
    assert result.judgement == "similar"


def test_level_says_whether_the_difference_holds_at_998() -> None:
    strong = compare_with_benchmark(
        15.0, 10.0, lower95=13.0, upper95=17.0, lower998=11.0, upper998=19.0, polarity="lower-is-better"
    )
    weak = compare_with_benchmark(
        15.0, 10.0, lower95=13.0, upper95=17.0, lower998=9.0, upper998=21.0, polarity="lower-is-better"
    )
    assert (strong.judgement, strong.level) == ("worse", 0.998)
    assert (weak.judgement, weak.level) == ("worse", 0.95)
    assert "99.8%" in strong.reason and "holds at 99.8%" in strong.reason
    assert "95% only" in weak.reason


@pytest.mark.parametrize("missing", ["value", "benchmark", "lower95", "upper95"])
def test_missing_inputs_are_not_compared(missing: str) -> None:
    kwargs = {"value": 12.0, "benchmark": 10.0, "lower95": 11.0, "upper95": 13.0}
    kwargs[missing] = float("nan")
    result = compare_with_benchmark(
        kwargs["value"],
        kwargs["benchmark"],
        lower95=kwargs["lower95"],
        upper95=kwargs["upper95"],
        polarity="higher-is-better",
    )
    assert result.judgement == "not compared" and result.level is None
    assert missing in result.reason


def test_missing_998_limits_still_compare_at_95() -> None:
    result = compare_with_benchmark(
        12.0, 10.0, lower95=11.0, upper95=13.0, lower998=np.nan, upper998=np.nan, polarity="higher-is-better"
    )
    assert (result.judgement, result.level) == ("better", 0.95)


def test_reason_states_the_numbers() -> None:
    result = compare_with_benchmark(12.5, 10.0, lower95=11.25, upper95=13.75, polarity="higher-is-better")
    for number in ("12.5", "10", "11.25", "13.75"):
        assert number in result.reason
    assert (
        "similar"
        in compare_with_benchmark(10.5, 10.0, lower95=9.0, upper95=12.0, polarity="no-judgement").reason
    )


def test_unknown_polarity_is_an_error() -> None:
    with pytest.raises(ValueError, match="polarity"):
        compare_with_benchmark(1.0, 1.0, lower95=0.0, upper95=2.0, polarity="up")
    with pytest.raises(ValueError, match="polarity"):
        compare_with_benchmark_array(
            [1.0], 1.0, lower95=[0.0], upper95=[2.0], polarity=["higher-is-better", "x"]
        )


def test_array_form_matches_scalar_form_and_accepts_a_polarity_per_row() -> None:
    rng = np.random.default_rng(3)
    value = rng.normal(10, 2, 200)
    half = rng.uniform(0.2, 3, 200)
    benchmark = rng.normal(10, 1, 200)
    value[::17] = np.nan
    polarity = rng.choice(["higher-is-better", "lower-is-better", "no-judgement"], 200)
    result = compare_with_benchmark_array(
        value,
        benchmark,
        lower95=value - half,
        upper95=value + half,
        lower998=value - 1.6 * half,
        upper998=value + 1.6 * half,
        polarity=polarity,
    )
    assert result.codes.shape == (200,) and result.codes.dtype == np.int8
    for i in range(200):
        single = compare_with_benchmark(
            value[i],
            benchmark[i],
            lower95=value[i] - half[i],
            upper95=value[i] + half[i],
            lower998=value[i] - 1.6 * half[i],
            upper998=value[i] + 1.6 * half[i],
            polarity=str(polarity[i]),
        )
        assert single.judgement == JUDGEMENTS[result.codes[i]] == result.judgements[i]
        assert (single.level is None and np.isnan(result.levels[i])) or single.level == result.levels[i]


def test_codes_and_ten_thousand_at_once() -> None:
    size = 10_000
    rng = np.random.default_rng(11)
    value = rng.normal(50, 10, size)
    result = compare_with_benchmark_array(
        value, 50.0, lower95=value - 5, upper95=value + 5, polarity="higher-is-better"
    )
    assert set(np.unique(result.codes)) <= {NOT_COMPARED, BETTER, SIMILAR, WORSE}
    assert np.all((result.codes == BETTER) == (value - 5 > 50))
    assert np.all((result.codes == WORSE) == (value + 5 < 50))
