"""The engine against the seed report (src/outcomes/data/examples/dorset-safe-2018): the words that follow from its figures."""

from __future__ import annotations

import pytest

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes.judge import judge_framework

EXAMPLE = BUNDLED_EXAMPLE
SYNONYMS = {"declining": "worsening", "improved": "improving"}



@pytest.fixture(scope="module")
def seed():
    from outcomes.sources import load_dataset  # the tests may read files; the engine never does

    return load_dataset(EXAMPLE)


@pytest.fixture(scope="module")
def judged(seed):
    return judge_framework(seed)


@pytest.mark.parametrize(
    "series_id,word",
    [
        ("child-protection", "improving"),  # 58.5 -> 32.8 per 10,000
        ("children-in-care", "improving"),  # 63 -> 59.4 per 10,000 (March 2017 -> March 2018)
        ("persistent-absence-primary", "improving"),  # 7.6% -> 7.3%
        ("persistent-absence-secondary", "worsening"),  # 13.9% -> 14.6%
        ("safeguarding-concerns-yearly", "worsening"),  # 3,553 -> 3,766
        ("safeguarding-concerns-quarterly", "worsening"),  # 937 -> 961
        ("total-crime", "improving"),  # 4,961 -> 4,776
        ("anti-social-behaviour", "improving"),  # 2,317 -> 2,225
        ("domestic-abuse-incidents", "worsening"),  # 564 -> 590
        ("domestic-abuse-crimes", "similar"),  # 567 -> 568
        ("killed-seriously-injured", "improving"),  # 235 -> 218
        ("skid-principal", "improving"),  # 33.33% -> 28.72%
        ("skid-non-principal", "worsening"),  # printed "declining"
        ("inspections-on-time", "worsening"),  # printed "declining"
    ],
)
def test_the_seeds_published_trend_words_follow_from_its_figures(judged, series_id, word):
    sj = judged.by_series_id[series_id]
    assert SYNONYMS.get(sj.published.trend, sj.published.trend) == word
    assert sj.trend.word == word, sj.trend.reason
    assert sj.trend.method == "previous-vs-latest"  # no seed series has counts, limits or 15 quarters


def test_defects_were_compared_with_the_same_quarter_last_year(seed, judged):
    # "Trend: Similar (Compared to Q4 2016/17)": with compare_with = previous the figures say otherwise
    assert judged.by_series_id["defects-cat2-28-days"].trend.word == "worsening"  # 91 -> 86
    assert judged.by_series_id["defects-cat1-32-hours"].trend.word == "improving"  # 84 -> 91
    yearly = judge_framework(seed, settings={"tolerance": 0.02, "compare_with": "same-period-last-year"})
    for sid, previous in (("defects-cat2-28-days", 87), ("defects-cat1-32-hours", 92)):
        sj = yearly.by_series_id[sid]
        assert sj.trend.word == "similar" and sj.previous.value == previous
        assert sj.published.trend_basis == "Compared to Q4 2016/17"


def test_only_the_defects_contradict_their_published_trend(judged):
    contradicted = {
        sj.id
        for sj in judged.series
        if sj.published.trend
        and sj.trend.assessed
        and SYNONYMS.get(sj.published.trend, sj.published.trend) != sj.trend.word
    }
    assert contradicted == {"defects-cat2-28-days", "defects-cat1-32-hours"}


def test_series_without_polarity_are_described_not_judged(judged):
    for sid in ("children-in-need", "domestic-abuse-safeguarding-enquiries"):
        sj = judged.by_series_id[sid]
        assert sj.trend.word == "not assessed" and sj.trend.rag is None
    assert (
        "rose from 186.3 in Q3 2017-18 to 196.4 per 10,000"
        in judged.by_series_id["children-in-need"].trend.reason
    )


def test_comparators_as_the_figures_have_them(judged):
    by = judged.by_series_id
    # printed WORSE at 32.8 against England's 43.1, lower is better: the figures say better
    assert (by["child-protection"].comparator.word, by["child-protection"].comparator.value) == (
        "better",
        43.1,
    )
    # printed WORSE at 59.4 against the South West's 53: agreed
    assert by["children-in-care"].comparator.word == "worse" == by["children-in-care"].published.comparator
    # printed SIMILAR: secondary 14.6% against 14.6% agreed; primary 7.3% against 7.9% is 7.6% lower
    assert by["persistent-absence-secondary"].comparator.word == "similar"
    assert by["persistent-absence-primary"].comparator.word == "better"
    # England rows for secondary (13.1, 13.5 from the narrative) are the second comparator
    england = by["persistent-absence-secondary"].comparators[1]
    assert (england.name, england.value, england.word) == ("England", 13.5, "worse")
    # printed BETTER at 928 per 100,000 against England's 704 (lower is better): the figures say worse
    concerns = by["safeguarding-concerns-yearly"].comparator
    assert concerns.word == "worse" and "928 per 100,000 population against 704" in concerns.reason
    assert by["total-crime"].comparator.word == "not compared"
    for sid in ("child-protection", "children-in-care", "persistent-absence-primary"):
        assert any("has no period" in w for w in by[sid].warnings)


def test_reasons_carry_the_seeds_numbers(judged):
    cp = judged.by_series_id["child-protection"]
    assert cp.trend.reason == (
        "Improving: fell from 58.5 in 2016-17 to 32.8 per 10,000 in 2017-18, a change of 43.9%, "
        "beyond the 2% tolerance band."
    )
    assert cp.current_run == 2 and cp.current_direction == "down"  # 60.5 -> 58.5 -> 32.8
    ksi = judged.by_series_id["killed-seriously-injured"]
    assert "235 in the 12 months to March 2017 to 218 in the 12 months to March 2018" in ksi.trend.reason
    assert any("provisional" in w for w in ksi.warnings)


def test_focus_on_the_seed(judged):
    listed = [i.id for i in judged.focus]
    # the published focus indicators (domestic abuse incidents, adult safeguarding) are listed
    assert {
        "domestic-abuse-incidents",
        "safeguarding-concerns-yearly",
        "safeguarding-concerns-quarterly",
    } <= set(listed)
    assert listed[0] == "safeguarding-concerns-yearly"  # worse than England and worsening
    risks = [i.id for i in judged.focus_for("risk")]
    assert risks[0] == "09b"  # HIGH and worsening
    assert {"14b", "01d", "04a", "C07"} <= set(risks)  # the other published focus risks: all HIGH


def test_json_covers_every_series_and_risk(seed, judged):
    data = judged.to_json_dict()
    assert len(data["series"]) == sum(1 for _ in seed.all_series()) and len(data["risks"]) == len(seed.risks)
