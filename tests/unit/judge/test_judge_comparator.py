"""Comparator judgements: interval vs benchmark, tolerance band, groups, stale benchmarks, polarity flips."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.judge import JudgementSettings, classify_difference, judge_series
from outcomes.model import Comparator, Observation, Period, PeriodKind, Polarity, Series, Unit

LOWER, HIGHER = Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER
HOME, ENGLAND, SOUTH_WEST = "E10000009", "E92000001", "E12000009"
RATE = Unit("rate", per=10_000)


def make_series(
    rows,
    *,
    unit=RATE,
    polarity=LOWER,
    comparators=(),
    benchmarks=None,
    kind=PeriodKind.FINANCIAL_YEAR,
):
    """``rows``: (period, value[, numerator, denominator[, lower95, upper95]]) for the home area."""
    obs = []
    for row in rows:
        period, value, *rest = row
        extra = dict(zip(("numerator", "denominator", "lower95", "upper95"), rest, strict=False))
        obs.append(Observation("s", HOME, Period.parse(period, kind=kind), value, **extra))
    bench = {
        area: [Observation("s", area, Period.parse(p, kind=kind), v) for p, v in values]
        for area, values in (benchmarks or {}).items()
    }
    return Series(
        "s",
        "A series",
        unit,
        polarity,
        kind,
        observations=obs,
        comparators=list(comparators),
        benchmark_observations=bench,
    )


def comparator(series, **options):
    return judge_series(series, settings=JudgementSettings(**options)).comparator


# --------------------------------------------------------------------------------------- intervals


def test_interval_path_with_an_interval_computed_from_numerator_and_denominator():
    s = make_series(
        [("2016-17", 63.0), ("2017-18", 59.4, 706, 118_855)],
        comparators=[Comparator("South West", SOUTH_WEST, value=53.0, period=Period.parse("2017-18"))],
    )
    j = comparator(s)
    assert (j.word, j.rag, j.method) == ("worse", "R", "interval-vs-benchmark")
    assert j.reason.startswith(
        "Worse than South West: 59.4 per 10,000 against 53.0; the 95% interval 55.1–63.9 excludes it"
    )
    assert "99.8% interval" in j.reason
    assert "Poisson" in j.why and "Fingertips" in j.why
    assert (j.name, str(j.period), j.value, j.home_value) == ("South West", "2017-18", 53.0, 59.4)
    assert j.values["lower95"] == pytest.approx(55.1, abs=0.05)


def test_interval_path_similar_when_the_benchmark_is_inside():
    s = make_series(
        [("2017-18", 59.4, 706, 118_855)], comparators=[Comparator("England", ENGLAND, value=58.0)]
    )
    j = comparator(s)
    assert (j.word, j.rag, j.level) == ("similar", "A", None)
    assert "the 95% interval 55.1–63.9 includes it" in j.reason


def test_difference_at_998_is_reported():
    s = make_series(
        [("2017-18", 59.4, 706, 118_855)], comparators=[Comparator("England", ENGLAND, value=43.1)]
    )
    j = comparator(s)
    assert (j.word, j.level) == ("worse", 0.998)
    assert "and so does the 99.8% interval" in j.reason


def test_published_limits_are_used_as_given():
    s = make_series(
        [("2017-18", 7.3, None, None, 6.9, 7.7)],
        unit=Unit("percentage"),
        comparators=[Comparator("South West", SOUTH_WEST, value=7.9)],
    )
    j = comparator(s)
    assert (j.word, j.method) == ("better", "interval-vs-benchmark")
    assert "published limits" in j.why and "6.9–7.7%" in j.reason


def test_percentages_use_wilson_limits():
    s = make_series(
        [("2017-18", 20.0, 200, 1000)],
        unit=Unit("percentage"),
        polarity=HIGHER,
        comparators=[Comparator("England", ENGLAND, value=25.0)],
    )
    j = comparator(s)
    assert (j.word, j.method) == ("worse", "interval-vs-benchmark") and "Wilson" in j.why


# ---------------------------------------------------------------------------------------- tolerance


def test_without_an_interval_the_tolerance_band_is_used_and_says_so():
    s = make_series([("2017-18", 59.4)], comparators=[Comparator("South West", SOUTH_WEST, value=53.0)])
    j = comparator(s)
    assert (j.word, j.rag, j.method) == ("worse", "R", "tolerance-vs-benchmark")
    assert j.reason == (
        "Worse than South West: 59.4 per 10,000 against 53.0, 12.1% higher, beyond the 2% tolerance band; "
        "no confidence interval was available."
    )
    assert "no numerator and denominator" in j.why


def test_tolerance_comparison_similar_within_the_band():
    s = make_series(
        [("AY 2016/17", 14.6)],
        unit=Unit("percentage"),
        kind=PeriodKind.ACADEMIC_YEAR,
        comparators=[Comparator("South West", SOUTH_WEST, value=14.6)],
    )
    assert (comparator(s).word, comparator(s).rag) == ("similar", "A")
    s.comparators[0].value = 14.8  # 1.4% below
    assert comparator(s).word == "similar"
    assert comparator(s, comparator_tolerance=0.01).word == "better"


def test_home_value_on_the_comparators_basis():
    s = make_series(
        [("2016-17", 3553), ("2017-18", 3766)],
        unit=Unit("count"),
        comparators=[
            Comparator("England", ENGLAND, value=704, home_value=928, basis="per 100,000 population")
        ],
    )
    j = comparator(s)
    assert (j.word, j.method) == ("worse", "tolerance-vs-benchmark")
    assert "928 per 100,000 population against 704" in j.reason
    assert "comparator's basis" in j.why


def test_no_polarity_gives_higher_or_lower_without_colour():
    s = make_series(
        [("2017-18", 59.4)],
        polarity=Polarity.NO_JUDGEMENT,
        comparators=[Comparator("England", ENGLAND, value=53.0)],
    )
    j = comparator(s)
    assert (j.word, j.rag) == ("higher", None)
    assert "Not judged better or worse" in j.reason


# ---------------------------------------------------------------------------------- benchmark rows


def test_benchmark_rows_for_the_same_period_are_preferred():
    s = make_series(
        [("2016-17", 13.9), ("2017-18", 14.6)],
        unit=Unit("percentage"),
        comparators=[Comparator("England", ENGLAND, value=99.0)],
        benchmarks={ENGLAND: [("2016-17", 13.1), ("2017-18", 13.5)]},
    )
    judged = judge_series(s)
    j = judged.comparator
    assert (j.value, str(j.period), j.word) == (13.5, "2017-18", "worse")
    assert not judged.warnings


def test_stale_benchmark_is_used_with_a_warning():
    s = make_series(
        [("2016-17", 13.9), ("2017-18", 14.6)],
        unit=Unit("percentage"),
        comparators=[Comparator("England", ENGLAND)],
        benchmarks={ENGLAND: [("2015-16", 13.0), ("2016-17", 13.1)]},
    )
    judged = judge_series(s)
    assert (judged.comparator.value, str(judged.comparator.period)) == (13.1, "2016-17")
    assert "The England benchmark is for 2016-17, older than the value's 2017-18." in judged.warnings


def test_too_stale_a_benchmark_is_not_compared():
    s = make_series(
        [("2017-18", 14.6)],
        unit=Unit("percentage"),
        comparators=[Comparator("England", ENGLAND)],
        benchmarks={ENGLAND: [("2014-15", 13.0)]},
    )
    j = comparator(s)
    assert (j.word, j.rag, j.method) == ("not compared", None, "none")
    assert "3 periods older than the value's 2017-18" in j.reason
    assert comparator(s, stale_after_periods=3).word == "worse"


def test_a_single_figure_with_an_old_period_is_stale_too():
    s = make_series(
        [("2017-18", 59.4)],
        comparators=[Comparator("England", ENGLAND, value=43.1, period=Period.parse("2016-17"))],
    )
    judged = judge_series(s)
    assert judged.comparator.word == "worse"
    assert any("older than the value's 2017-18" in w for w in judged.warnings)


def test_an_undated_figure_is_assumed_current_with_a_warning():
    judged = judge_series(
        make_series([("2017-18", 32.8)], comparators=[Comparator("England", ENGLAND, value=43.1)])
    )
    assert judged.comparator.word == "better"
    assert "The England figure 43.1 has no period; it is taken to be for 2017-18." in judged.warnings


def test_no_comparator_is_not_compared():
    judged = judge_series(make_series([("2017-18", 32.8)]))
    j = judged.comparator
    assert (j.word, j.rag, j.method, j.reason, j.name) == (
        "not compared",
        None,
        "none",
        "No comparator data.",
        None,
    )
    assert judged.comparators == []


def test_several_comparators_headline_is_the_first_compared():
    s = make_series(
        [("2017-18", 14.6)],
        unit=Unit("percentage"),
        comparators=[Comparator("South West", SOUTH_WEST), Comparator("England", ENGLAND, value=13.5)],
    )
    judged = judge_series(s)
    assert [c.word for c in judged.comparators] == ["not compared", "worse"]
    assert judged.comparator.name == "England"


# -------------------------------------------------------------------------------------------- groups

MEMBERS = tuple(f"N{i:02d}" for i in range(1, 12))
FIGURES = [10.0, 12.0, 14.0, 15.0, 16.0, 18.0, 20.0, 22.0, 25.0, 30.0, 35.0]  # median 18


def _group_series(home_value, polarity=LOWER, members=MEMBERS, figures=FIGURES):
    return make_series(
        [("2017-18", home_value)],
        unit=Unit("percentage"),
        polarity=polarity,
        comparators=[Comparator("Statistical neighbours", "", kind="group", members=members)],
        benchmarks={m: [("2017-18", v)] for m, v in zip(members, figures, strict=False)},
    )


def test_group_rank_quartile_and_median():
    j = comparator(_group_series(13.0))
    assert (j.method, j.rank, j.of, j.quartile, j.median, j.value) == ("group-rank", 3, 12, 1, 18.0, 18.0)
    assert (j.word, j.rag) == ("better", "G")
    assert j.reason == (
        "Better than Statistical neighbours: 13% ranks 3rd of 12 in 2017-18 (top quartile, 1 = best); "
        "the group median is 18%. No rank interval: the area's own figure has no confidence interval."
    )


def test_group_middle_and_bottom_quartiles():
    assert comparator(_group_series(19.0)).word == "similar"
    bottom = comparator(_group_series(40.0))
    assert (bottom.word, bottom.rank, bottom.quartile) == ("worse", 12, 4)
    flipped = comparator(_group_series(40.0, polarity=HIGHER))
    assert (flipped.word, flipped.rank, flipped.quartile) == ("better", 1, 1)


def test_ties_share_the_better_rank():
    assert comparator(_group_series(14.0)).rank == 3


def test_group_members_without_figures_are_warned_and_small_groups_not_compared():
    judged = judge_series(_group_series(13.0, figures=FIGURES[:5]))
    assert judged.comparator.rank == 3 and judged.comparator.of == 6
    assert any("6 of the 11 Statistical neighbours members have no figure" in w for w in judged.warnings)
    small = comparator(_group_series(13.0, figures=FIGURES[:2]))
    assert small.word == "not compared" and "ranking needs at least 4 areas" in small.reason


# --------------------------------------------------------------------------------------- properties

MIRROR = {"better": "worse", "worse": "better", "similar": "similar", "not compared": "not compared"}
positive = st.floats(min_value=0.1, max_value=1e5, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(value=positive, benchmark=positive, tolerance=st.floats(min_value=0, max_value=0.5))
def test_flipping_polarity_mirrors_the_tolerance_comparison(value, benchmark, tolerance):
    up = classify_difference(value, benchmark, tolerance=tolerance, polarity=HIGHER)
    assert MIRROR[up] == classify_difference(value, benchmark, tolerance=tolerance, polarity=LOWER)


@settings(max_examples=60, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=5000),
    extra=st.integers(min_value=1, max_value=50_000),
    benchmark=st.floats(min_value=0, max_value=100),
)
def test_flipping_polarity_mirrors_the_interval_comparison(count, extra, benchmark):
    words = []
    for polarity in (HIGHER, LOWER):
        s = make_series(
            [("2017-18", 100 * count / (count + extra), count, count + extra)],
            unit=Unit("percentage"),
            polarity=polarity,
            comparators=[Comparator("England", ENGLAND, value=benchmark)],
        )
        words.append(comparator(s).word)
    assert MIRROR[words[0]] == words[1]


@settings(max_examples=40, deadline=None)
@given(
    home=st.floats(min_value=0, max_value=50),
    figures=st.lists(st.floats(min_value=0, max_value=50), min_size=3, max_size=15),
)
def test_flipping_polarity_mirrors_the_group_rank_except_at_ties(home, figures):
    members = tuple(f"N{i:02d}" for i in range(len(figures)))
    up = comparator(_group_series(home, HIGHER, members, figures))
    down = comparator(_group_series(home, LOWER, members, figures))
    if home not in figures:
        assert up.rank + down.rank == len(figures) + 2
        assert MIRROR[up.word] == down.word


# ------------------------------------------------------------------------------ comparable quantities


def test_a_count_is_not_compared_with_another_areas_count():
    """The issue's case: 'Lower than England: 1,270,162 against 57,690,323' must not be said."""
    s = make_series(
        [("2022-23", 1_250_000.0), ("2023-24", 1_270_162.0)],
        unit=Unit("count"),
        comparators=[Comparator("England", ENGLAND, value=57_690_323.0, period=Period.parse("2023-24"))],
    )
    j = comparator(s)
    assert j.word == "not compared" and j.rag is None
    assert "a count" in j.reason and "1,270,162" in j.reason and "57,690,323" in j.reason
    assert "rate or a share" in j.reason


def test_a_number_that_equals_its_numerator_is_a_count_too():
    s = make_series(
        [("2022-23", 900.0, 900, None), ("2023-24", 950.0, 950, None)],
        unit=Unit("number"),
        comparators=[Comparator("England", ENGLAND, value=57_000.0, period=Period.parse("2023-24"))],
    )
    assert comparator(s).word == "not compared"


def test_a_count_with_a_home_value_on_the_comparators_basis_is_compared():
    s = make_series(
        [("2016-17", 3553.0), ("2017-18", 3766.0)],
        unit=Unit("count"),
        comparators=[Comparator("England", ENGLAND, value=704.0, period=Period.parse("2017-18"), home_value=928.0,
                                basis="per 100,000 population")],
    )
    assert comparator(s).word == "worse"


def test_a_count_is_not_ranked_in_a_group_but_a_rate_is():
    members = {f"E0{i}": [("2017-18", 10.0 * i)] for i in range(1, 8)}
    group = Comparator("Neighbours", kind="group", members=tuple(members))
    counted = make_series([("2016-17", 40.0), ("2017-18", 45.0)], unit=Unit("count"), comparators=[group],
                          benchmarks=members)
    j = judge_series(counted, settings=JudgementSettings()).comparators[0]
    assert j.word == "not compared" and j.rank is None and "rank their sizes" in j.reason
    rated = make_series([("2016-17", 40.0), ("2017-18", 45.0)], comparators=[group], benchmarks=members)
    assert judge_series(rated, settings=JudgementSettings()).comparators[0].rank is not None


def test_group_rank_has_its_95_percent_interval_from_the_members_intervals():
    """Each member's rate has counts, so every area has a Poisson interval; the rank's interval follows."""
    members = {f"E0{i}": [("2017-18", 40.0 + 5 * i, 40 + 5 * i, 10_000)] for i in range(1, 11)}
    bench = {a: [Observation("s", a, Period.parse(p), v, numerator=n, denominator=d) for p, v, n, d in rows]
             for a, rows in members.items()}
    group = Comparator("Neighbours", kind="group", members=tuple(members))
    s = make_series([("2016-17", 60.0, 60, 10_000), ("2017-18", 62.0, 62, 10_000)], comparators=[group],
                    polarity=LOWER)
    s.benchmark_observations = bench
    j = judge_series(s, settings=JudgementSettings()).comparators[0]
    assert j.rank == 5 and j.of == 11  # 45, 50, 55, 60 are lower; lower is better
    assert j.rank_lower is not None and j.rank_upper is not None
    assert j.rank_lower < j.rank < j.rank_upper  # counts of 40-90 are far too small to pin a rank
    assert j.rank_text in j.reason and j.rank_text.startswith("5th of 11 (could be ")
    assert j.to_dict()["rank_interval"] == [j.rank_lower, j.rank_upper]


def test_group_rank_without_member_intervals_says_so():
    members = {f"E0{i}": [("2017-18", 10.0 * i)] for i in range(1, 8)}
    group = Comparator("Neighbours", kind="group", members=tuple(members))
    s = make_series([("2016-17", 40.0, 40, 10_000), ("2017-18", 45.0, 45, 10_000)], comparators=[group],
                    benchmarks=members)
    j = judge_series(s, settings=JudgementSettings()).comparators[0]
    assert j.rank_lower is None and "members have no confidence interval" in j.reason
    assert j.to_dict()["rank_interval"] is None and j.rank_text == f"{j.rank}th of 8"
