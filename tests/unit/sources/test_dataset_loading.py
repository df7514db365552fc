"""Loading datasets: the example loads whole; broken datasets list every problem with a fix."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from outcomes.model import Polarity
from outcomes.sources import DatasetError, load_dataset
from outcomes.sources.serialise import write_dataset


def _problems(path: Path) -> list:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return info.value.problems


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_example_loads_everything(example):
    # Given the seed transcribed, when loaded, then every section, measure and risk is there
    assert example.organisation == "Dorset County Council"
    assert str(example.reporting_period) == "Q4 2017-18"
    assert len(list(example.indicators())) == 9
    assert len(list(example.measures())) == 16
    assert len(example.risks) == 17
    assert len(example.unassigned_risks()) == 8
    cpp = example.series_by_id()["child-protection"]
    assert cpp.polarity is Polarity.LOWER_IS_BETTER
    assert [o.value for o in cpp.observations] == [53.8, 58.5, 59.5, 60.5, 58.5, 32.8]
    assert cpp.published.previous.value == 53.8 and cpp.published.trend == "improving"
    absence = example.series_by_id()["persistent-absence-secondary"]
    assert [str(o.period) for o in absence.benchmark_observations["E92000001"]] == ["AY 2015/16", "AY 2016/17"]
    ksi = example.series_by_id()["killed-seriously-injured"]
    assert ksi.latest.is_provisional
    every_indicator_has_narrative = all(ind.narrative for ind in example.indicators())
    assert every_indicator_has_narrative


def test_round_trip_through_a_folder_loses_nothing(example, tmp_path):
    write_dataset(example, tmp_path / "again")
    again = load_dataset(tmp_path / "again")

    def clean(o):
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items() if k != "origin"}
        if isinstance(o, list):
            return [clean(v) for v in o]
        return o

    assert clean(dataclasses.asdict(again)) == clean(dataclasses.asdict(example))


def test_every_problem_is_listed_at_once(example_copy):
    # Given a dataset with several mistakes in three files
    _edit(example_copy / "framework.yaml", "polarity: lower-is-better", "polarity: down-is-good")
    _edit(example_copy / "framework.yaml", "period_kind: month", "period_kind: fortnight")
    _edit(example_copy / "observations.csv", "re-referrals,E10000009,Q2 2016-17,28.1",
          "re-referals,E10000009,Q2 2016-17,28.1")
    _edit(example_copy / "observations.csv", "sgo-ceased,E10000009,Q3 2017-18,7", "sgo-ceased,E10000009,Q5 2017-18,7")
    _edit(example_copy / "observations.csv", "assaults,E10000009,Q3 2017-18,74", "assaults,E10000009,Q3 2017-18,seventy")
    _edit(example_copy / "risks.csv", "02a,Failure", "02a ,Failure")
    _edit(example_copy / "risks.csv", ",HIGH,WORSENING,safe,killed-seriously-injured", ",SEVERE,WORSENING,safe,ksi")
    # When loaded, then every mistake is reported with file, place, field and a fix
    problems = _problems(example_copy)
    by_field = {(p.file, p.field): p for p in problems}
    assert by_field[("framework.yaml", "outcomes[0].population_indicators[0].polarity")].location.startswith("line ")
    assert "fortnight" in by_field[("framework.yaml", "outcomes[0].population_indicators[1].period_kind")].message
    series_problem = next(p for p in problems if p.field == "series")
    assert series_problem.location == "row 15" and "Did you mean 're-referrals'" in series_problem.fix
    assert any(p.field == "period" and "Q5" in p.message for p in problems)
    assert any(p.field == "value" and "seventy" in p.message for p in problems)
    assert any(p.file == "risks.csv" and p.field == "score" and "SEVERE" in p.message for p in problems)
    assert any(p.file == "risks.csv" and p.field == "indicators" and "'ksi'" in p.message for p in problems)
    assert all(p.fix for p in problems), [str(p) for p in problems if not p.fix]


def test_missing_files_and_columns(tmp_path):
    (tmp_path / "framework.yaml").write_text("organisation: x\n", encoding="utf-8")
    (tmp_path / "observations.csv").write_text("series,period\nfoo,2017-18\n", encoding="utf-8")
    problems = _problems(tmp_path)
    text = "\n".join(str(p) for p in problems)
    assert "the column 'area' is missing" in text
    assert "the column 'value' is missing" in text
    assert "home area is missing" in text
    assert "reporting period is missing" in text
    assert "no outcomes" in text


def test_invalid_yaml_names_the_line(example_copy):
    path = example_copy / "framework.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[10] = "  tolerance: [0.02"
    path.write_text("\n".join(lines), encoding="utf-8")
    (problem,) = _problems(example_copy)
    assert problem.file == "framework.yaml" and problem.location.startswith("line ")
    assert "not valid YAML" in problem.message


def test_not_utf8_csv_is_explained(example_copy):
    (example_copy / "risks.csv").write_bytes("id,title,score,trend\n1,Caf\xe9,HIGH,UNCHANGED\n".encode("cp1252"))
    problems = _problems(example_copy)
    assert any(p.file == "risks.csv" and "UTF-8" in p.message and "CSV UTF-8" in p.fix for p in problems)


def test_bom_is_accepted(example_copy):
    path = example_copy / "observations.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert load_dataset(example_copy).series_by_id()["child-protection"].latest.value == 32.8


def test_duplicate_rows_and_bad_intervals(example_copy):
    path = example_copy / "observations.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("child-protection,E10000009,2017-18,33,,,,,,,final,,,\n")
        fh.write("feel-safe,E10000009,2015-16,80,10,0,90,80,,,maybe,,,\n")
    problems = _problems(example_copy)
    fields = {p.field for p in problems}
    assert {"period", "denominator", "lower95", "status"} <= fields
    dup = next(p for p in problems if p.field == "period")
    assert "row 7" in dup.message


def test_narrative_problems(example_copy):
    (example_copy / "narrative" / "99-bad.md").write_text(
        "---\nsubject: nowhere\nperiod: Q4 2017-18\n---\n\n## Story\n\nText.\n", encoding="utf-8")
    (example_copy / "narrative" / "98-bad.md").write_text(
        "---\nsubject: child-protection\n---\n\n## Weather\n\nSunny.\n", encoding="utf-8")
    problems = _problems(example_copy)
    assert any(p.file == "narrative/99-bad.md" and p.field == "subject" for p in problems)
    assert any(p.file == "narrative/98-bad.md" and "Weather" in p.message for p in problems)


def test_nothing_is_half_loaded(example_copy):
    _edit(example_copy / "observations.csv", "total-crime,E10000009,Q3 2017-18,4961", "total-crime,E10000009,Q3 2017-18,")
    with pytest.raises(DatasetError):
        load_dataset(example_copy)


def test_not_a_dataset(tmp_path):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    problems = _problems(tmp_path / "notes.txt")
    assert "neither a dataset folder nor an .xlsx workbook" in problems[0].message
    problems = _problems(tmp_path / "missing")
    assert "does not exist" in problems[0].message


def test_round_trip_neutralises_formula_like_text_reversibly(example_copy, tmp_path):
    # Given a risk title and notes a spreadsheet would run, a note that really starts with "'=" (written
    # in the CSV with its apostrophe doubled) and a negative figure
    risks = example_copy / "risks.csv"
    _edit(risks, "02a,Failure to consider", "02a,\"=cmd|' /C calc'!A0\" Failure to consider")
    obs = example_copy / "observations.csv"
    source = '"Dorset County Council, Outcomes Focused Monitoring Report, July 2018 (tables)"'
    _edit(obs, f"child-protection,E10000009,2012-13,53.8,,,,,,,final,{source},,",
          f"child-protection,E10000009,2012-13,-3,,,,,,,final,{source},\"=HYPERLINK(\"\"http://x\"\")\",")
    _edit(obs, f"child-protection,E10000009,2013-14,58.5,,,,,,,final,{source},,",
          f"child-protection,E10000009,2013-14,58.5,,,,,,,final,{source},''=quoted,")
    original = load_dataset(example_copy)
    cpp = original.series_by_id()["child-protection"].observations
    assert [o.note for o in cpp[:2]] == ['=HYPERLINK("http://x")', "'=quoted"] and cpp[0].value == -3
    # When it is written as a dataset folder
    write_dataset(original, tmp_path / "again")
    # Then the CSV cells carry an apostrophe (one more for the note that had one), the number none
    risks_text = (tmp_path / "again" / "risks.csv").read_text(encoding="utf-8")
    obs_text = (tmp_path / "again" / "observations.csv").read_text(encoding="utf-8")
    assert "02a,'=cmd|' /C calc'!A0 Failure" in risks_text
    assert "\"'=HYPERLINK(\"\"http://x\"\")\"" in obs_text and ",''=quoted," in obs_text and ",-3," in obs_text
    # and reading it back gives exactly the same framework
    again = load_dataset(tmp_path / "again")
    assert again.risks[0].title == original.risks[0].title == "=cmd|' /C calc'!A0 Failure to consider" + \
        original.risks[0].title.split("Failure to consider", 1)[1]
    assert [o.note for o in again.series_by_id()["child-protection"].observations[:2]] == [o.note for o in cpp[:2]]
    assert again.series_by_id()["child-protection"].observations[0].value == -3


def test_an_indicator_or_measure_without_a_title_or_not_a_mapping_is_named(example_copy):
    # Given an indicator and a measure with no title, and a measure that is a bare word
    _edit(example_copy / "framework.yaml", "        title: Rate of children subject to a child protection plan\n", "")
    _edit(example_copy / "framework.yaml", "            title: Children in need rate per 10,000\n", "")
    _edit(example_copy / "framework.yaml", "        measures:\n", "        measures:\n          - just-a-word\n")
    # When loaded, then each is named by its place, with the fix
    by_field = {(p.field, p.message, p.fix) for p in _problems(example_copy)}
    base = "outcomes[0].population_indicators[0]"
    assert (f"{base}.title", "the indicator has no title.", "add 'title:'.") in by_field
    assert (f"{base}.measures[1].title", "the measure has no title.", "add 'title:'.") in by_field
    assert (f"{base}.measures[0]", "must be a set of 'name: value' entries.", "") in by_field
