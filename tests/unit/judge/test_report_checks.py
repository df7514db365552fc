"""The checks that catch what a published report gets wrong (issue 15), each on a constructed dataset.

Given a small framework with one slip of each kind, when ``run_checks`` runs, then the slip is found with
its code and severity, and the same framework without the slip gives no such finding.
"""

from __future__ import annotations

import dataclasses

import pytest

from outcomes.judge.quality import CHECKS, run_checks
from outcomes.model import (
    Area,
    Comparator,
    Framework,
    Headline,
    Narrative,
    Observation,
    Officer,
    Outcome,
    Period,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    PublishedJudgement,
    PublishedSummary,
    ReportInfo,
    Series,
    Unit,
    ValueForMoney,
)

LOWER = Polarity.LOWER_IS_BETTER
Q3, Q4 = Period.parse("Q3 2017-18"), Period.parse("Q4 2017-18")
CONTACT = Officer("Jo Bloggs", "Assurance Manager", "jo.bloggs@example.gov.uk", "01305 225096")


def quarterly(sid="crime", values=(4961.0, 4776.0), *, unit=Unit("count"), polarity=LOWER, published=None,
              **fields):
    obs = [Observation(sid, "H", p, v) for p, v in zip((Q3, Q4), values, strict=True)]
    return Series(sid, f"Series {sid}", unit, polarity, PeriodKind.QUARTER, observations=obs,
                  published=published or PublishedJudgement(), **fields)


def framework(*series, title="Indicator", narrative=(), summary=None, contacts=(CONTACT,), report=None,
              section_title="", vfm=None):
    ind = PopulationIndicator("ind", "01", title, "o", series=list(series), narrative=list(narrative),
                              section="05" if section_title else "", section_title=section_title,
                              value_for_money=vfm or ValueForMoney())
    outcome = Outcome("o", "Safe", indicators=[ind], contacts=tuple(contacts),
                      published_summary=summary or PublishedSummary())
    return Framework("Council", Area("H", "Home"), Q4, outcomes=[outcome], report=report or ReportInfo())


def codes(fw, code):
    assert code in CHECKS
    return [f for f in run_checks(fw, codes=[code])]


def pub(**kwargs):
    return PublishedJudgement(**kwargs)


def test_words_outside_the_reports_own_key():
    key = ReportInfo(key_trend=("IMPROVING", "UNCHANGED", "WORSENING"), key_comparator=())
    s = quarterly(published=pub(trend="similar", comparator="better"))
    found = codes(framework(s, report=key), "word-outside-key")
    assert [(f.values["what"], f.values["word"], f.severity) for f in found] == [
        ("trend", "similar", "warning"), ("comparator", "better", "warning")]
    fine = quarterly(published=pub(trend="worsening"))
    assert codes(framework(fine, report=key), "word-outside-key") == []
    # without a declared key, the engine's own words are the key: 'declining' is outside it
    assert [f.values["word"] for f in codes(framework(quarterly(published=pub(trend="declining"))),
                                               "word-outside-key")] == ["declining"]


def test_a_word_without_a_rating_a_rating_without_a_word_and_a_wrong_colour():
    found = codes(framework(quarterly(published=pub(trend="improving", comparator_rag="R"))), "word-rating-unpaired")
    assert sorted(f.values["what"] for f in found) == ["comparator", "trend"]
    assert codes(framework(quarterly(published=pub(trend="improving", trend_rag="G"))), "word-rating-unpaired") == []
    wrong = codes(framework(quarterly(published=pub(trend="improving", trend_rag="R"))), "rating-contradicts-word")
    assert [(f.severity, f.values["rag"]) for f in wrong] == [("error", "R")]


def test_red_or_green_on_a_series_without_polarity():
    s = quarterly(polarity=None, published=pub(trend="worsening", trend_rag="R"))
    (f,) = codes(framework(s), "rating-without-polarity")
    assert f.severity == "error" and "no polarity is declared" in f.message
    amber = quarterly(polarity=Polarity.NO_JUDGEMENT, published=pub(trend="similar", trend_rag="A"))
    assert codes(framework(amber), "rating-without-polarity") == []


def test_a_unit_in_the_title_that_the_figures_contradict():
    (f,) = codes(framework(quarterly(), section_title="Rates of crime and disorder"), "title-unit-mismatch")
    assert f.subject_id == "section 05" and "'Rates'" in f.message
    benchmarked = quarterly(comparators=[Comparator("England", "E", value=704, home_value=928,
                                                    basis="per 100,000 population")])
    (f,) = codes(framework(benchmarked, title="The number of concerns"), "title-unit-mismatch")
    assert "benchmarked as a rate" in f.message
    rate = quarterly(unit=Unit("rate", per=10_000), values=(60.0, 59.4))
    assert codes(framework(rate, title="Rate of children in care"), "title-unit-mismatch") == []


def test_quarter_on_quarter_comparison_of_seasonal_counts():
    s = quarterly(published=pub(previous=Headline("Q3 2017-18", 4961, Q3), latest=Headline("Q4 2017-18", 4776, Q4),
                                trend="improving", trend_rag="G"))
    (f,) = codes(framework(s), "seasonal-quarter-on-quarter")
    assert f.values["same_quarter_last_year"] == "Q4 2016-17"
    yearly = dataclasses.replace(s, published=dataclasses.replace(
        s.published, previous=Headline("Q4 2016-17", 5100, Period.parse("Q4 2016-17"))))
    assert codes(framework(yearly), "seasonal-quarter-on-quarter") == []


def test_precision_and_period_notation_drift_within_a_series():
    s = quarterly(unit=Unit("percentage"), values=(9.5, 16.0),
                  published=pub(previous=Headline("Q3 17-18", 9.5, Q3), latest=Headline("Q4 2017/18", 16, Q4)))
    found = codes(framework(s), "notation-drift")
    assert sorted(f.values["what"] for f in found) == ["period", "precision"]
    same = quarterly(unit=Unit("percentage"), values=(9.5, 16.2),
                     published=pub(previous=Headline("Q3 17-18", 9.5, Q3), latest=Headline("Q4 17-18", 16.2, Q4)))
    assert codes(framework(same), "notation-drift") == []


def test_an_announced_break_without_a_marker():
    story = Narrative("ind", Q4, story="From November the figures come from a new client database.")
    (f,) = codes(framework(quarterly(), narrative=[story]), "break-without-marker")
    assert "new client database" in f.message
    marked = quarterly(breaks=(Q4,))
    assert codes(framework(marked, narrative=[story]), "break-without-marker") == []


def test_a_placeholder_table_with_no_figures():
    (f,) = codes(framework(quarterly(), vfm=ValueForMoney("under-development")), "placeholder-table")
    assert f.values["indicators"] == ["ind"]
    assert codes(framework(quarterly(), vfm=ValueForMoney("measured", latest=1.2, rank=3, of=16)),
                 "placeholder-table") == []


def test_a_focus_list_no_stated_rule_reproduces():
    worse = quarterly("a", published=pub(trend="worsening", trend_rag="R"))
    also = quarterly("b", published=pub(trend="worsening", trend_rag="R"))
    ind_a = PopulationIndicator("a", "01", "Domestic abuse incidents", "o", series=[worse])
    ind_b = PopulationIndicator("b", "02", "Persistent absence", "o", series=[also])
    listed_one = PublishedSummary(focus_indicators=("Domestic abuse incidents",))
    fw = Framework("Council", Area("H", "Home"), Q4, outcomes=[
        Outcome("o", "Safe", indicators=[ind_a, ind_b], contacts=(CONTACT,), published_summary=listed_one)])
    (f,) = codes(fw, "focus-list-unexplained")
    assert "also list 02 Persistent absence" in f.message
    both = dataclasses.replace(listed_one, focus_indicators=("Domestic abuse incidents", "Persistent absence"))
    fw.outcomes[0].published_summary = both
    assert codes(fw, "focus-list-unexplained") == []


def test_summary_titles_that_match_no_item_exactly():
    s = quarterly(published=pub())
    s.title = "Percentage of inspections completed on time"
    summary = PublishedSummary(focus_indicators=("Inspections completed on time", "Indicator"))
    (f,) = codes(framework(s, summary=summary), "summary-title-inexact")
    assert f.values["item"] == "Inspections completed on time"


def test_a_part_larger_than_its_whole():
    whole = quarterly("whole", values=(500.0, 520.0))
    part = quarterly("part", values=(300.0, 530.0), part_of="whole")
    (f,) = codes(framework(whole, part), "part-larger-than-whole")
    assert f.severity == "error" and f.values["period"] == "Q4 2017-18" and f.values["part"] == 530
    yearly = Series("year", "Yearly", Unit("count"), LOWER, PeriodKind.FINANCIAL_YEAR,
                    observations=[Observation("year", "H", Period.parse("2017-18"), 3766.0)])
    quarters = quarterly("quarters", values=(937.0, 961.0), part_of="year")
    assert codes(framework(yearly, quarters), "part-larger-than-whole") == []
    small = dataclasses.replace(yearly, observations=[Observation("year", "H", Period.parse("2017-18"), 1500.0)])
    (f,) = codes(framework(small, quarters), "part-larger-than-whole")
    assert "over Q3 2017-18, Q4 2017-18" in f.message
    (f,) = codes(framework(quarterly("x", part_of="nowhere")), "part-larger-than-whole")
    assert "names no series" in f.message


def test_incomplete_contact_details():
    assert codes(framework(quarterly()), "contact-incomplete") == []
    (f,) = codes(framework(quarterly(), contacts=[Officer("Jo Bloggs", "Manager")]), "contact-incomplete")
    assert f.values["missing"] == ["email", "phone"]
    (f,) = codes(framework(quarterly(), contacts=[Officer("Jo", "M", "jo.example.gov.uk", "01305 22")]),
                 "contact-incomplete")
    assert "not an address" in f.message and "7 digits" in f.message
    (f,) = codes(framework(quarterly(), contacts=()), "contact-incomplete")
    assert "names no contact" in f.message


def test_narrative_older_than_the_period():
    old = Narrative("ind", Q3, story="Crime fell.")
    (f,) = codes(framework(quarterly(), narrative=[old]), "narrative-older-than-period")
    assert f.values["narrative_period"] == "Q3 2017-18"
    stale_text = Narrative("ind", Q4, story="Crime fell in Q2 2017-18 compared to Q1 2017-18.")
    (f,) = codes(framework(quarterly(), narrative=[stale_text]), "narrative-older-than-period")
    assert f.values == {"narrative_period": "Q2 2017-18", "data_period": "Q4 2017-18"}
    current = Narrative("ind", Q4, story="Crime fell in Q4 2017-18.")
    assert codes(framework(quarterly(), narrative=[current]), "narrative-older-than-period") == []


@pytest.mark.parametrize("code", ["word-outside-key", "word-rating-unpaired", "title-unit-mismatch",
                                  "seasonal-quarter-on-quarter", "break-without-marker", "focus-list-unexplained",
                                  "summary-title-inexact", "placeholder-table", "notation-drift",
                                  "periods-written-many-ways"])
def test_the_seed_example_is_caught(example, code):
    """outcomes check src/outcomes/data/examples/dorset-safe-2018 now finds each of these slips of the published report."""
    assert [f for f in run_checks(example) if f.code == code]
