"""Honest verdicts on real data (issue 15): methods told apart from contradictions.

Given constructed series like those a Fingertips download gives, when they are judged and checked,
then a published word made by a method we cannot reproduce is shown beside ours at info level, and
only a word that the same method or plain arithmetic contradicts is an error.
"""

from __future__ import annotations

from outcomes.judge import JudgementSettings, judge_series
from outcomes.judge.quality import run_checks
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
    PublishedJudgement,
    Series,
    Unit,
)

LOWER, HIGHER = Polarity.LOWER_IS_BETTER, Polarity.HIGHER_IS_BETTER
FINGERTIPS_TREND = "Fingertips 'Recent Trend' for 2022/23: No significant change"


def series(values, *, polarity=LOWER, published=None, limits=0.5, comparators=(), years=None):
    years = years or [f"{2018 + i}-{19 + i:02d}" for i in range(len(values))]
    obs = [Observation("s", "H", Period.parse(y), v, lower95=None if limits is None else v - limits,
                       upper95=None if limits is None else v + limits)
           for y, v in zip(years, values, strict=True)]
    return Series("s", "Excess weight in adults", Unit("percentage"), polarity, PeriodKind.FINANCIAL_YEAR,
                  observations=obs, published=published or PublishedJudgement(), comparators=list(comparators))


def framework(s):
    ind = PopulationIndicator("ind", "01", "Indicator", "o", series=[s])
    return Framework("Council", Area("H", "Home"), Period.parse("2019-20"),
                     outcomes=[Outcome("o", "Healthy", indicators=[ind])])


def findings_for(s, prefix):
    return [f for f in run_checks(framework(s)) if f.code.startswith(prefix)]


def test_two_points_under_a_published_significance_test_are_not_assessed_with_the_word_beside():
    """The issue's case: two points, Fingertips says no significant change, we must not say worsening."""
    published = PublishedJudgement(trend="similar", trend_basis=FINGERTIPS_TREND, trend_method="fingertips-trend")
    s = series([60.1, 63.4], published=published)
    j = judge_series(s).trend
    assert j.word == "not assessed" and j.rag is None and j.method == "none"
    assert "No significant change" in j.reason and "'worsening'" in j.reason
    assert j.values["previous_vs_latest"] == "worsening" and j.values["published_method"] == "fingertips-trend"
    found = findings_for(s, "published-trend")
    assert [(f.code, f.severity) for f in found] == [("published-trend-method-differs", "info")]
    assert "difference of method, not a contradiction" in found[0].message


def test_without_a_declared_method_two_points_are_judged_as_before():
    j = judge_series(series([60.1, 63.4], published=PublishedJudgement(trend="similar"))).trend
    assert (j.word, j.method) == ("worsening", "previous-vs-latest")


def test_plain_arithmetic_still_contradicts_a_word_from_another_method():
    """'Improving' for a rise at every step when lower is better cannot hold, whatever the method."""
    published = PublishedJudgement(trend="improving", trend_basis="Fingertips 'Recent Trend': Increasing & getting "
                                   "better", trend_method="fingertips-trend")
    s = series([60.1, 61.0, 63.4], published=published)
    found = findings_for(s, "published-trend")
    assert [(f.code, f.severity) for f in found] == [("published-trend-contradicts", "error")]
    assert "whatever the method" in found[0].message and "rose at every step" in found[0].message


def test_the_same_method_contradicting_the_published_word_is_an_error():
    published = PublishedJudgement(trend="similar", trend_method="fingertips-trend")
    s = series([50.0, 55.0, 60.0, 65.0, 70.0], published=published, limits=0.4)
    judged = judge_series(s).trend
    assert (judged.method, judged.word) == ("fingertips-trend", "worsening")
    found = findings_for(s, "published-trend")
    assert [(f.code, f.severity) for f in found] == [("published-trend-contradicts", "error")]


def test_a_comparator_word_from_another_method_is_info_unless_the_sides_contradict_it():
    england = Comparator("England", "E92000001", value=60.0, period=Period.parse("2019-20"))
    quiet = series([61.0, 62.0], published=PublishedJudgement(comparator="similar",
                                                              comparator_method="interval-vs-benchmark"),
                   limits=None, comparators=[england])
    # no interval here: ours is the tolerance band ("worse", 3.3% above), theirs an interval test
    assert (judge_series(quiet).comparator.method, judge_series(quiet).comparator.word) == (
        "tolerance-vs-benchmark", "worse")
    found = findings_for(quiet, "published-comparator")
    assert [(f.code, f.severity) for f in found] == [("published-comparator-method-differs", "info")]
    wrong = series([61.0, 66.0], published=PublishedJudgement(comparator="better",
                                                              comparator_method="interval-vs-benchmark"),
                   limits=None, comparators=[england])
    found = findings_for(wrong, "published-comparator")
    assert [(f.code, f.severity) for f in found] == [("published-comparator-contradicts", "error")]
    assert "above England's" in found[0].message


def test_the_dataset_format_checks_the_declared_method(tmp_path):
    import shutil
    from pathlib import Path

    from outcomes.sources import DatasetError, load_dataset

    example = Path(__file__).resolve().parents[3] / "examples" / "children-safeguarding"
    shutil.copytree(example, tmp_path / "d")
    yaml_path = tmp_path / "d" / "framework.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    text = text.replace("    polarity: no-judgement\n", "    polarity: no-judgement\n    published:\n"
                        "      trend: similar\n      trend_method: guesswork\n", 1)
    yaml_path.write_text(text, encoding="utf-8")
    try:
        load_dataset(tmp_path / "d")
    except DatasetError as exc:
        assert "trend_method" in str(exc) and "fingertips-trend" in str(exc)
    else:
        raise AssertionError("an unknown published method was accepted")
    text = text.replace("trend_method: guesswork", "trend_method: fingertips-trend")
    yaml_path.write_text(text, encoding="utf-8")
    fw = load_dataset(tmp_path / "d")
    assert fw.outcomes[0].indicators[0].series[0].published.trend_method == "fingertips-trend"


def test_judge_settings_unchanged():
    assert JudgementSettings().tolerance == 0.02


# ---------------------------------------------------------------------------------- polarity provenance


def test_polarity_says_where_it_came_from_and_check_lists_unconfirmed_ones():
    s = series([60.1, 63.4], polarity=LOWER)
    assert s.polarity_provenance == "framework" and not s.polarity_unconfirmed
    assert not findings_for(s, "polarity-unconfirmed")
    s.polarity_source = "Fingertips 'Recent Trend' 'Increasing and getting worse' for England, 2018"
    assert s.polarity_provenance == "source" and s.polarity_unconfirmed
    (finding,) = findings_for(s, "polarity-unconfirmed")
    assert finding.severity == "warning" and "Increasing and getting worse" in finding.message
    assert "polarity_confirmed" in finding.message
    s.polarity_confirmed = "A. Analyst, public health, 2026-11-30"
    assert not s.polarity_unconfirmed and not findings_for(s, "polarity-unconfirmed")
    s.polarity = None
    assert s.polarity_provenance == "undeclared"


def test_the_reports_key_shows_where_polarities_came_from():
    from outcomes.report.view import key_polarity, polarity_with_provenance

    declared = series([1.0, 2.0])
    taken = series([1.0, 2.0])
    taken.polarity_source, taken.short_title = "Fingertips metadata", "Excess weight"
    none = series([1.0, 2.0], polarity=None)
    key = {k.code: k.meaning for k in key_polarity([declared, taken, none])}
    assert key["Declared"].startswith("Declared by the framework (1 series)")
    assert "(1 series)" in key["From source"] and "not yet confirmed by the council: Excess weight" in key["From source"]
    assert key["Undeclared"].startswith("No polarity declared (1 series)")
    assert polarity_with_provenance(taken) == "lower is better (taken from Fingertips metadata, not yet confirmed)"


def test_the_fingertips_reader_takes_polarity_from_the_recent_trend_and_marks_it(tmp_path):
    from pathlib import Path

    from click.testing import CliRunner

    from outcomes.cli_data import convert
    from outcomes.sources import load_dataset

    sample = Path(__file__).resolve().parents[2] / "unit" / "sources" / "data" / "fingertips_sample.csv"
    result = CliRunner().invoke(convert, ["fingertips", str(sample), "--area", "E06000059", "--out",
                                          str(tmp_path / "ds"), "--polarity", "20401=lower-is-better"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    fw = load_dataset(tmp_path / "ds")
    lbw = fw.series_by_id()["fingertips-90284"]  # South West: "Increasing and getting worse"
    assert lbw.polarity is LOWER and lbw.polarity_provenance == "source"
    assert "Increasing and getting worse" in lbw.polarity_source and lbw.polarity_unconfirmed
    assert fw.series_by_id()["fingertips-20401"].polarity_provenance == "framework"
    assert fw.series_by_id()["fingertips-92302"].polarity is None  # "Increasing" carries no judgement
    assert "taken from the source" in result.output
