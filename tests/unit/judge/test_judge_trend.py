"""Trend judgements: each method-choice path with its reason, the seed's tolerance band, polarity flips."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from outcomes.judge import JudgementSettings, classify_change, current_run, judge_series, judge_trend
from outcomes.model import Observation, Period, PeriodKind, Polarity, Series, Target, Unit

DEFAULT = JudgementSettings()
LOWER, HIGHER = Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER


def make_series(
    values,
    *,
    start="2013-14",
    kind=PeriodKind.FINANCIAL_YEAR,
    unit=None,
    polarity=LOWER,
    periods=None,
    numerators=None,
    denominators=None,
    breaks=(),
    target=None,
    statuses=None,
):
    if periods is None:
        first = Period.parse(start, kind=kind)
        periods = [first.shift(i) for i in range(len(values))]
    obs = []
    for i, (p, v) in enumerate(zip(periods, values, strict=True)):
        obs.append(
            Observation(
                "s",
                "E10000009",
                p,
                v,
                numerator=numerators[i] if numerators else None,
                denominator=denominators[i] if denominators else None,
                status=statuses[i] if statuses else "final",
            )
        )
    return Series(
        "s",
        "A series",
        unit or Unit("count"),
        polarity,
        kind,
        observations=obs,
        breaks=tuple(breaks),
        target=Target(target) if target is not None else None,
    )


def trend(series, **options):
    return judge_series(series, settings=JudgementSettings(**options)).trend


# ----------------------------------------------------------------------------------------- tolerance


@pytest.mark.parametrize(
    "previous,latest,polarity,word",
    [
        (87, 86, HIGHER, "similar"),  # defects made safe (28 days), compared with Q4 2016/17
        (937, 961, LOWER, "worsening"),  # adult safeguarding concerns, quarterly
        (7.6, 7.3, LOWER, "improving"),  # persistent absence, primary
        (567, 568, LOWER, "similar"),  # domestic abuse crimes
        (13.9, 14.6, LOWER, "worsening"),  # persistent absence, secondary
        (564, 590, LOWER, "worsening"),  # domestic abuse incidents
    ],
)
def test_the_default_tolerance_band_reproduces_the_seeds_words(previous, latest, polarity, word):
    assert DEFAULT.tolerance == 0.02
    assert classify_change(previous, latest, tolerance=DEFAULT.tolerance, polarity=polarity) == word
    j = trend(make_series([previous, latest], polarity=polarity))
    assert (j.word, j.method) == (word, "previous-vs-latest")


def test_previous_vs_latest_reason_states_the_numbers_and_the_band():
    j = trend(make_series([58.5, 32.8], start="2016-17", unit=Unit("rate", per=10_000)))
    assert j.word == "improving" and j.rag == "G"
    assert j.reason == (
        "Improving: fell from 58.5 in 2016-17 to 32.8 per 10,000 in 2017-18, a change of 43.9%, "
        "beyond the 2% tolerance band."
    )
    assert j.why == (
        "Only 2 annual points without counts or confidence limits: the recent-trend test needs 5; "
        "compared previous with latest."
    )
    assert j.values["relative_change"] == pytest.approx(-0.4393, abs=1e-4)


def test_a_similar_move_says_within_the_band_and_is_amber():
    j = trend(make_series([567, 568], start="Q3 2017-18", kind=PeriodKind.QUARTER))
    assert (j.word, j.rag) == ("similar", "A")
    assert "within the 2% tolerance band" in j.reason and "0.2%" in j.reason
    assert "2 quarters in a row: SPC needs 15" in j.why


def test_percentages_report_relative_change_and_percentage_points():
    j = trend(make_series([28.1, 28.9], start="Q3 2017-18", kind=PeriodKind.QUARTER, unit=Unit("percentage")))
    assert j.word == "worsening"
    assert "a relative change of 2.8% (0.8 percentage points)" in j.reason


def test_tolerance_is_configurable():
    s = make_series([937, 961], start="Q3 2017-18", kind=PeriodKind.QUARTER)
    assert trend(s, tolerance=0.05).word == "similar"
    assert "within the 5% tolerance band" in trend(s, tolerance=0.05).reason


def test_same_period_last_year_setting_compares_with_a_year_earlier():
    periods = [Period.parse(p) for p in ("Q4 2016-17", "Q3 2017-18", "Q4 2017-18")]
    s = make_series(
        [87, 91, 86], kind=PeriodKind.QUARTER, periods=periods, polarity=HIGHER, unit=Unit("percentage")
    )
    assert judge_series(s).trend.word == "worsening"  # 91 -> 86
    judged = judge_series(s, settings={"compare_with": "same-period-last-year"})
    assert judged.trend.word == "similar"  # 87 -> 86, as the seed printed
    assert str(judged.previous.period) == "Q4 2016-17" and judged.previous.value == 87
    assert "compared the same period last year with latest" in judged.trend.why


def test_same_period_last_year_missing_is_not_assessed():
    s = make_series([91, 86], start="Q3 2017-18", kind=PeriodKind.QUARTER, polarity=HIGHER)
    j = trend(s, compare_with="same-period-last-year")
    assert (j.word, j.rag, j.method) == ("not assessed", None, "none")
    assert "Q4 2016-17" in j.reason


# ------------------------------------------------------------------------------------ not assessed


def test_no_polarity_is_not_assessed_but_described():
    s = make_series(
        [186.3, 196.4],
        start="Q3 2017-18",
        kind=PeriodKind.QUARTER,
        polarity=None,
        unit=Unit("rate", per=10_000),
    )
    j = trend(s)
    assert (j.word, j.rag, j.method) == ("not assessed", None, "none")
    assert "rose from 186.3 in Q3 2017-18 to 196.4 per 10,000 in Q4 2017-18" in j.reason
    assert "no polarity is declared" in j.reason
    j = trend(make_series([3, 0], polarity=Polarity.NO_JUDGEMENT))
    assert j.word == "not assessed" and "fell from 3" in j.reason and "'no judgement'" in j.reason


def test_a_single_point_is_not_assessed():
    j = trend(make_series([32.8], start="2017-18"))
    assert (j.word, j.rag, j.method) == ("not assessed", None, "none")
    assert j.reason == "Not assessed: only one value, 32.8 in 2017-18; a trend needs at least two."


def test_no_values_is_not_assessed():
    j = trend(make_series([None, None]))
    assert j.word == "not assessed" and "no values" in j.reason


def test_unlike_periods_are_not_assessed():
    periods = [Period.parse("2016-17"), Period.parse("Q4 2017-18")]
    s = make_series([10, 20], periods=periods)
    j = trend(s)
    assert j.word == "not assessed" and j.rag is None
    assert "2016-17 (a financial year)" in j.reason and "Q4 2017-18 (a quarter)" in j.reason
    assert "not like for like" in j.reason


def test_a_series_break_between_previous_and_latest_is_not_assessed():
    s = make_series(
        [10.0, 14.0], start="AY 2014/15", kind=PeriodKind.ACADEMIC_YEAR, breaks=[Period.parse("AY 2015/16")]
    )
    j = trend(s)
    assert j.word == "not assessed"
    assert "the series breaks at AY 2015/16" in j.reason


def test_a_break_at_the_previous_period_does_not_stop_the_judgement():
    # the seed's persistent absence: definition changed in 2015/16; 2015/16 vs 2016/17 is comparable
    s = make_series(
        [7.6, 7.3],
        start="AY 2015/16",
        kind=PeriodKind.ACADEMIC_YEAR,
        unit=Unit("percentage"),
        breaks=[Period.parse("AY 2015/16")],
    )
    assert trend(s).word == "improving"


def test_a_gap_is_judged_with_a_warning():
    periods = [Period.parse("Q1 2017-18"), Period.parse("Q4 2017-18")]
    judged = judge_series(make_series([100, 90], periods=periods, kind=PeriodKind.QUARTER))
    assert judged.trend.word == "improving"
    assert any("2 periods between Q1 2017-18 and Q4 2017-18 have no value" in w for w in judged.warnings)


def test_a_year_apart_snapshot_is_noted_not_warned():
    periods = [Period.parse("March 2017"), Period.parse("March 2018")]
    judged = judge_series(
        make_series([63, 59.4], periods=periods, kind=PeriodKind.MONTH, unit=Unit("rate", per=10_000))
    )
    assert judged.trend.word == "improving"
    assert "same period a year earlier" in judged.trend.why
    assert not any("gap" in w for w in judged.warnings)


def test_provisional_and_missing_latest_values_are_warned():
    s = make_series(
        [235, 218, None],
        start="12 months to March 2016",
        kind=PeriodKind.ROLLING,
        statuses=["final", "provisional", "final"],
    )
    judged = judge_series(s)
    assert judged.trend.word == "improving" and str(judged.latest.period) == "12 months to March 2017"
    assert "in the 12 months to March 2016 to 218 in the 12 months to March 2017" in judged.trend.reason
    assert any("provisional" in w for w in judged.warnings)
    assert any("12 months to March 2018 has no value" in w for w in judged.warnings)


# --------------------------------------------------------------------------------------------- SPC


def _quarters(values, polarity=LOWER, **kw):
    return make_series(values, start="Q1 2013-14", kind=PeriodKind.QUARTER, polarity=polarity, **kw)


SHIFTED = [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 60, 61, 59, 62, 60, 61, 63, 62]  # 20 quarters


def test_spc_on_twenty_quarters_with_a_shift():
    judged = judge_series(_quarters(SHIFTED))
    j = judged.trend
    assert j.method == "spc-xmr" and j.word == "worsening" and j.rag == "R"
    assert j.values["point_type"] == "special_cause_concern"
    assert j.reason.startswith("Worsening: special-cause concern. The latest value 62 (Q4 2017-18)")
    assert "20 quarters, Q1 2013-14 to Q4 2017-18" in j.reason
    assert j.why.startswith("20 quarters in a row (at least 15 needed)")
    assert judged.spc is not None and len(judged.spc_periods) == 20
    assert judged.current_run == 0 or judged.current_direction in ("up", "down")


def test_spc_flips_with_polarity():
    j = judge_series(_quarters(SHIFTED, polarity=HIGHER)).trend
    assert (j.method, j.word, j.rag) == ("spc-xmr", "improving", "G")
    assert "special-cause improvement" in j.reason


def test_spc_common_cause_is_similar():
    stable = [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 52, 49, 51, 50]
    j = judge_series(_quarters(stable)).trend
    assert (j.method, j.word) == ("spc-xmr", "similar")
    assert j.reason.startswith("Similar: common-cause variation.")


def test_spc_needs_enough_consecutive_points():
    j = judge_series(_quarters(SHIFTED[-14:])).trend
    assert j.method == "previous-vs-latest"
    assert "14 quarters in a row: SPC needs 15" in j.why
    assert judge_series(_quarters(SHIFTED[-14:]), settings={"spc_min_points": 12}).trend.method == "spc-xmr"


def test_spc_with_a_target_states_assurance():
    j = judge_series(_quarters(SHIFTED, target=40)).trend
    assert "Against the target of 40" in j.reason and "missed consistently" in j.reason


def test_spc_is_drawn_for_a_series_without_polarity_but_not_judged():
    judged = judge_series(_quarters(SHIFTED, polarity=None))
    assert judged.trend.word == "not assessed" and judged.spc is not None
    assert "special-cause variation (high)" in judged.trend.reason


# ------------------------------------------------------------------------------------ trend test

COUNTS = [994, 1023, 1199, 1332, 1367]
DENOMINATORS = [40299, 41527, 42811, 44064, 44701]


def _proportions(polarity):
    values = [round(100 * x / n, 1) for x, n in zip(COUNTS, DENOMINATORS, strict=True)]
    return make_series(
        values,
        start="2013-14",
        unit=Unit("percentage"),
        polarity=polarity,
        numerators=COUNTS,
        denominators=DENOMINATORS,
    )


def test_trend_test_on_an_annual_proportion_series():
    judged = judge_series(_proportions(HIGHER))
    j = judged.trend
    assert (j.method, j.word, j.rag) == ("fingertips-trend", "improving", "G")
    assert "finds a significant increase (chi-squared 47.9 above 9.55" in j.reason
    assert "2.5% in 2013-14 to 3.1% in 2017-18" in j.reason
    assert j.why.startswith("5 annual points with counts and denominators (at least 5 needed)")
    assert judged.trend_marker is not None and judged.trend_marker.marker == "increasing"
    assert judge_series(_proportions(LOWER)).trend.word == "worsening"


def test_trend_test_no_significant_change_is_similar():
    s = make_series(
        [20.0, 20.5, 19.8, 20.2, 20.1],
        unit=Unit("percentage"),
        numerators=[200, 205, 198, 202, 201],
        denominators=[1000] * 5,
    )
    j = judge_series(s).trend
    assert (j.method, j.word) == ("fingertips-trend", "similar")
    assert "no significant change" in j.reason


def test_trend_test_on_computed_rate_intervals():
    counts = [400, 430, 470, 520, 560, 600]
    population = 100_000
    values = [c / population * 10_000 for c in counts]
    s = make_series(
        values,
        start="2012-13",
        unit=Unit("rate", per=10_000),
        numerators=counts,
        denominators=[population] * 6,
    )
    j = judge_series(s).trend
    assert (j.method, j.word) == ("fingertips-trend", "worsening")
    assert "95% confidence limits" in j.why and "weighted least squares" in j.why


def test_trend_test_needs_counts_or_limits():
    j = judge_series(
        make_series([53.8, 58.5, 59.5, 60.5, 58.5, 32.8], start="2012-13", unit=Unit("rate", per=10_000))
    ).trend
    assert j.method == "previous-vs-latest" and j.word == "improving"
    assert "6 annual points without counts and denominators or confidence limits" in j.why


def test_counts_get_poisson_limits_and_the_trend_test():
    j = judge_series(make_series([1000, 1100, 1210, 1330, 1460])).trend
    assert (j.method, j.word) == ("fingertips-trend", "worsening")


# ---------------------------------------------------------------------------------------- run


def test_current_run_counts_consecutive_moves_in_the_latest_direction():
    assert current_run([5, 6, 7, 9]) == (3, "up")
    assert current_run([9, 7, 8, 6, 5]) == (2, "down")
    assert current_run([5, 5]) == (0, None)
    judged = judge_series(make_series([53.8, 58.5, 59.5, 60.5, 58.5, 32.8], start="2012-13"))
    assert (judged.current_run, judged.current_direction) == (2, "down")


# --------------------------------------------------------------------------------- properties

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
MIRROR = {
    "improving": "worsening",
    "worsening": "improving",
    "similar": "similar",
    "not assessed": "not assessed",
}


@settings(max_examples=200, deadline=None)
@given(previous=finite, latest=finite, tolerance=st.floats(min_value=0, max_value=0.5))
def test_flipping_polarity_mirrors_the_trend_word(previous, latest, tolerance):
    up = classify_change(previous, latest, tolerance=tolerance, polarity=HIGHER)
    down = classify_change(previous, latest, tolerance=tolerance, polarity=LOWER)
    assert MIRROR[up] == down


@settings(max_examples=50, deadline=None)
@given(values=st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), min_size=2, max_size=20))
def test_flipping_polarity_mirrors_every_method(values):
    for kind, start in ((PeriodKind.QUARTER, "Q1 2012-13"), (PeriodKind.FINANCIAL_YEAR, "2000-01")):
        up = judge_trend(make_series(values, start=start, kind=kind, polarity=HIGHER), settings=DEFAULT)
        down = judge_trend(make_series(values, start=start, kind=kind, polarity=LOWER), settings=DEFAULT)
        assert up.judgement.method == down.judgement.method
        assert MIRROR[up.judgement.word] == down.judgement.word


def test_reasons_never_contain_nan():
    j = trend(make_series([0.0, 5.0]))
    assert j.word == "worsening" and "up from zero" in j.reason
    assert not any(math.isnan(v) for v in j.values.values() if isinstance(v, float) and not math.isinf(v))


def test_judging_many_series_at_once_gives_the_per_series_answers(monkeypatch):
    """judge_trends computes every recent-trend marker in one kernel call; trend_marker per series agrees."""
    import numpy as np

    import outcomes.judge.trend as judge_trend_module
    from outcomes.judge.intervals import compute_intervals
    from outcomes.judge.trend import judge_trends

    rng = np.random.default_rng(4)
    series = []
    for i in range(300):
        years = int(rng.integers(3, 9))
        denominators = rng.integers(50, 5_000, size=years).astype(float)
        rates = np.clip(rng.uniform(0.05, 0.9) + rng.normal(0, 0.05) * np.arange(years), 0, 1)
        numerators = np.floor(denominators * rates)
        if i % 7 == 0:
            numerators[:] = 0  # a proportion that never moves
        if i % 3 == 0:  # a count without denominators: intervals computed from the values
            series.append(make_series(list(rng.integers(20, 400, size=years).astype(float)), unit=Unit("count"),
                                      polarity=HIGHER if i % 2 else LOWER))
        else:
            series.append(make_series(list(100 * numerators / denominators), unit=Unit("percentage"),
                                      numerators=list(numerators), denominators=list(denominators),
                                      polarity=HIGHER if i % 2 else LOWER))
    intervals = compute_intervals(series)
    together = judge_trends(series, settings=DEFAULT, intervals=intervals)
    monkeypatch.setattr(judge_trend_module, "trend_marker_objects", lambda windows: [w.marker() for w in windows])
    alone = [judge_trend(s, settings=DEFAULT, intervals=iv) for s, iv in zip(series, intervals, strict=True)]
    tested = 0
    for a, b in zip(together, alone, strict=True):
        assert (a.judgement.word, a.judgement.method, a.judgement.reason) == (
            b.judgement.word, b.judgement.method, b.judgement.reason)
        assert (a.marker is None) == (b.marker is None)
        if a.marker is not None and b.marker is not None:
            assert (a.marker.marker, a.marker.reason, a.marker.method, a.marker.periods) == (
                b.marker.marker, b.marker.reason, b.marker.method, b.marker.periods)
            assert a.marker.chi2 == pytest.approx(b.marker.chi2, rel=1e-9, nan_ok=True)
            tested += 1
    assert tested > 100
    assert {t.judgement.word for t in together if t.judgement.method == "fingertips-trend"} >= {"similar"}
