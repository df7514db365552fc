"""Data-quality checks on the seed example and on constructed cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from outcomes.judge.quality import CHECKS, match_title, run_checks
from outcomes.sources import load_dataset

DOCS = Path(__file__).resolve().parents[3] / "docs" / "checks.md"


@pytest.fixture(scope="module")
def findings(example):
    return run_checks(example)


def _find(findings, code, subject):
    hits = [f for f in findings if f.code == code and f.subject_id == subject]
    assert hits, f"no {code} finding for {subject}: {[(f.code, f.subject_id) for f in findings]}"
    return hits[0]


def test_every_check_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    assert [code for code in CHECKS if f"`{code}`" not in text] == []


def test_child_protection_headline_disagrees_with_its_series(findings):
    f = _find(findings, "headline-disagrees-with-series", "child-protection")
    assert f.severity == "error"
    assert f.values["printed"] == 53.8 and f.values["series_value"] == 58.5 and f.values["period"] == "2016-17"


@pytest.mark.parametrize("series,value", [("children-in-need", 186.3), ("re-referrals", 28.1), ("second-plans", 19.6)])
def test_quarterly_measures_repeating_one_value(findings, series, value):
    f = _find(findings, "repeated-value", series)
    assert f.values["value"] == value and f.values["periods"] == 6


def test_stale_latest_value(findings):
    f = _find(findings, "stale-latest-value", "first-time-entrants")
    assert f.values == {"latest_period": "Q3 2016-17", "expected_period": "Q4 2017-18",
                        "reporting_period": "Q4 2017-18", "periods_behind": 5}
    assert _find(findings, "stale-latest-value", "adopted").values["periods_behind"] == 1
    assert not [f for f in findings if f.code == "stale-latest-value" and f.subject_id == "persistent-absence-primary"]


def test_executive_summary_measure_count(findings):
    f = _find(findings, "stated-count-mismatch", "safe")
    assert f.values == {"what": "performance measures", "stated": 22, "found": 16}
    assert not [x for x in findings if x.code == "stated-count-mismatch" and x.values["what"] != "performance measures"]


def test_roads_in_need_of_maintenance_matches_nothing(findings):
    unmatched = [f.values["item"] for f in findings if f.code == "focus-item-unmatched"]
    assert unmatched == ["Roads in need of maintenance"]


def test_road_casualty_labels(findings):
    assert _find(findings, "future-or-incomplete-period", "killed-seriously-injured").values["label"] == "2018"
    assert _find(findings, "period-label-mismatch", "killed-seriously-injured").values["data_period"] == (
        "12 months to March 2017")


def test_other_slips(findings):
    assert _find(findings, "zero-after-non-zero", "sgo-ceased").values["previous"] == 7
    assert _find(findings, "risk-trend-wording", "05b").values["printed"] == "IMPROVED"
    assert _find(findings, "narrative-percentage-over-100", "adult-safeguarding").values["value"] == 104
    assert _find(findings, "comparator-without-period", "child-protection").values["value"] == 43.1


def test_errors_come_first(findings):
    order = [f.severity for f in findings]
    assert order == sorted(order, key=["error", "warning", "info"].index)


def test_percentage_out_of_range_and_missing_polarity(example_copy):
    path = example_copy / "observations.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "care-leavers-accommodation,E10000009,Q4 2017-18,96.9", "care-leavers-accommodation,E10000009,Q4 2017-18,196.9"),
        encoding="utf-8")
    fw_path = example_copy / "framework.yaml"
    fw_path.write_text(fw_path.read_text(encoding="utf-8").replace(
        "            polarity: no-judgement\n            period_kind: quarter\n            published:\n"
        "              previous: {label: Q3 17-18, value: 186.3}",
        "            period_kind: quarter\n            published:\n"
        "              previous: {label: Q3 17-18, value: 186.3}"),
                       encoding="utf-8")
    findings = run_checks(load_dataset(example_copy))
    assert _find(findings, "percentage-out-of-range", "care-leavers-accommodation").values["value"] == 196.9
    assert _find(findings, "missing-polarity", "children-in-need").severity == "warning"


def test_a_clean_series_has_no_findings(example):
    findings = run_checks(example)
    # (domestic abuse crimes, clean before issue 15, prints 'SIMILAR' outside the key and compares a seasonal
    # count quarter on quarter)
    assert not [f for f in findings if f.subject_id == "care-leavers-accommodation"]


def test_title_matching():
    pool = [("assaults", "Number of assaults – Cardiff Model Data DCH"), ("x", "Total crime")]
    assert match_title("No. of assaults per quarter", pool) == "assaults"
    assert match_title("Skid resistance", pool) is None


@pytest.mark.parametrize("series,published,computed", [
    ("safeguarding-concerns-yearly", "better", "worse"),
    ("child-protection", "worse", "better"),
    ("persistent-absence-primary", "similar", "better"),
])
def test_published_comparator_words_that_contradict_the_figures(findings, series, published, computed):
    f = _find(findings, "published-comparator-contradicts", series)
    assert (f.values["published"], f.values["computed"]) == (published, computed)
    assert f.severity == "error" and f.values["reason"]


def test_published_trend_words_follow_on_the_reports_own_basis(findings):
    assert not [f for f in findings if f.code == "published-trend-contradicts"]
    f = _find(findings, "published-trend-basis", "defects-cat2-28-days")
    assert f.values == {"published": "similar", "computed": "worsening", "basis": "Compared to Q4 2016/17"}


def test_run_checks_in_threads_each_judge_their_own_framework_once(monkeypatch, example_path, findings):
    """Concurrent runs (a web server's threads) never share or clear each other's judgements.

    The runs are staggered so that each starts after the one before has judged its framework, and
    none goes past its first judgement until all have judged: a memo shared between runs (the old
    module-level cache keyed by id()) would have been cleared under the first runs, which would then
    judge their frameworks a second time.
    """
    import dataclasses
    import threading
    from collections import Counter

    import outcomes.judge as judge_package

    runs = 4
    frameworks = [load_dataset(example_path) for _ in range(runs)]
    index = {id(fw): i for i, fw in enumerate(frameworks)}
    judged = [threading.Event() for _ in range(runs)]
    real = judge_package.judge_framework
    calls: Counter[int] = Counter()
    lock = threading.Lock()
    mine = threading.local()

    def counting_judge(fw):
        with lock:
            calls[id(fw)] += 1
        result = real(fw)
        judged[index[id(fw)]].set()
        return result

    def after_all_have_judged(run):
        def wrapped(fw):
            if judged[mine.i].is_set():  # this run has judged: wait for every other run to judge too
                for event in judged:
                    event.wait(timeout=30)
            return run(fw)
        return wrapped

    monkeypatch.setattr(judge_package, "judge_framework", counting_judge)
    for code, c in list(CHECKS.items()):
        monkeypatch.setitem(CHECKS, code, dataclasses.replace(c, run=after_all_have_judged(c.run)))
    results: dict[int, list] = {}

    def run(i: int) -> None:
        mine.i = i
        if i:
            judged[i - 1].wait(timeout=30)  # start after the run before has judged its framework
        results[i] = run_checks(frameworks[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(runs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(runs)), "a run failed (a shared memo cleared under it)"
    expected = [f.as_dict() for f in findings]
    assert all([f.as_dict() for f in results[i]] == expected for i in range(runs))
    assert [calls[id(fw)] for fw in frameworks] == [1] * runs
