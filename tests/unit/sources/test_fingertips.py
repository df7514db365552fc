"""Fingertips downloads: one series per indicator (and sex/age), benchmarks, published limits checked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner

from outcomes.cli import main
from outcomes.model import Polarity
from outcomes.sources import load_dataset
from outcomes.sources.fingertips import (
    convert_fingertips,
    fingertips_period,
    published_comparator,
    published_trend,
)
from outcomes.sources.problems import Problems

SAMPLE = Path(__file__).parent / "data" / "fingertips_sample.csv"


def _convert(path: Path = SAMPLE, area: str = "E06000059", **kw):
    problems = Problems()
    raw, summary = convert_fingertips(path, area, problems, **kw)
    return raw, summary, problems


def _edited(tmp_path: Path, change) -> Path:
    rows = list(csv.DictReader(SAMPLE.open(encoding="utf-8")))
    change(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "edited.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "label"), [
    ("2018", "2018"), ("2017/18", "2017-18"), ("2017/18 Q3", "Q3 2017-18"),
    ("2016 - 18", "36 months to December 2018"), ("2015/16 - 17/18", "36 months to March 2018"),
])
def test_fingertips_time_periods(text, label):
    assert str(fingertips_period(text)) == label


def test_published_statements_map_to_our_words():
    assert published_trend("Decreasing and getting better") == "improving"
    assert published_trend("Increasing & getting worse") == "worsening"
    assert published_trend("Cannot be calculated") == ""
    assert [published_comparator(t) for t in ("Better", "Similar", "Worse 99.8%", "Lower", "Not compared")] == [
        "better", "similar", "worse", "lower", "not compared"]


def test_the_sample_converts_and_loads(tmp_path):
    result = CliRunner().invoke(main, ["convert",
        "fingertips", str(SAMPLE), "--area", "E06000059", "--out", str(tmp_path / "ds"),
        "--polarity", "90284=lower-is-better", "--polarity", "20401=lower-is-better"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    fw = load_dataset(tmp_path / "ds")
    series = fw.series_by_id()
    assert sorted(series) == ["fingertips-20401", "fingertips-90284", "fingertips-90366-female",
                              "fingertips-90366-male", "fingertips-92302"]
    lbw = series["fingertips-90284"]
    assert lbw.polarity is Polarity.LOWER_IS_BETTER and lbw.unit.type == "percentage"
    assert len(lbw.observations) == 6 and set(lbw.benchmark_observations) == {"E92000001", "E12000009"}
    assert [c.area for c in lbw.comparators] == ["E92000001", "E12000009"]
    assert lbw.published.trend == "similar" and lbw.published.comparator == "similar"
    # the published words say which method made them, so a different method is not called a contradiction
    assert (lbw.published.trend_method, lbw.published.comparator_method) == (
        "fingertips-trend", "interval-vs-benchmark")
    male = series["fingertips-90366-male"]
    assert male.title == "Life expectancy at birth (Male)" and male.polarity is None
    assert str(male.observations[-1].period) == "36 months to December 2018"
    assert series["fingertips-20401"].unit.per == 1000
    assert series["fingertips-20401"].published.trend == "improving"
    assert "README.md" in {p.name for p in (tmp_path / "ds").iterdir()}


def test_the_wrong_published_interval_is_reported_and_kept():
    raw, summary, problems = _convert()
    assert not problems
    assert len(summary.interval_notes) == 1
    assert summary.interval_notes[0].startswith("fingertips-90284 Dorset 2017: Published 95.0% limits 1.20 to 2.00")
    row = next(r for r in raw.observations if r.values["series"] == "fingertips-90284"
               and r.values["area"] == "E06000059" and r.values["period"] == "2017")
    assert row.values["lower95"] == "1.2" and "Wilson" in row.values["note"]
    assert any("1 published figures disagree" in line for line in summary.lines())


def test_a_standardised_rate_is_not_recomputed_and_unjudged_series_are_named():
    _, summary, _ = _convert()
    assert summary.units["fingertips-92302"].startswith("number (Value is not Count / Denominator")
    # 90284 and 20401 take their polarity from the source's Recent Trend words, marked for confirmation
    assert set(summary.unjudged) == {"fingertips-90366-male", "fingertips-90366-female", "fingertips-92302"}
    assert sum("taken from the source" in note for note in summary.notes) == 2
    assert summary.breakdowns_left_out == {}  # the one Category row is a breakdown of its series
    assert summary.breakdowns == {"fingertips-90284": 1}


def test_metadata_declares_unit_method_and_polarity():
    _, summary, problems = _convert(metadata={"92302": {"unit": "rate per 100000", "method": "none",
                                                        "polarity": "lower-is-better"}})
    assert not problems and "fingertips-92302" not in summary.unjudged
    assert summary.units["fingertips-92302"].startswith("rate per 100000 (metadata); intervals not recomputed")


def test_a_suppressed_value_keeps_its_value_note_as_the_reason():
    raw, _, _ = _convert(area="E06000054")
    row = next(r for r in raw.observations if r.values["series"] == "fingertips-92302"
               and r.values["area"] == "E06000054" and r.values["period"] == "2012-13")
    assert row.values["value"] == "" and row.values["missing_reason"].startswith("Value suppressed")


def test_problems_name_file_row_and_column_and_nothing_is_written(tmp_path):
    def spoil(rows):
        rows[0]["Value"] = "2,8O"
        rows[1]["Count"] = "many"
        rows[2]["Time period"] = "sometime"
    path = _edited(tmp_path, spoil)
    result = CliRunner().invoke(main, ["convert", "fingertips", str(path), "--area", "E06000059", "--out",
                                          str(tmp_path / "ds"), "--strict"])
    assert result.exit_code == 2
    assert "edited.csv, row 2 [Value]: '2,8O' is neither a number" in result.output
    assert "edited.csv, row 3 [Count]: 'many'" in result.output
    assert "edited.csv, row 4 [Time period]" in result.output
    assert not (tmp_path / "ds").exists()
    result = CliRunner().invoke(main, ["convert", "fingertips", str(path), "--area", "E06000059", "--out",
                                          str(tmp_path / "ds"), "--polarity", "90284=up-is-good"])
    assert result.exit_code == 2 and "'up-is-good' is not a polarity" in result.output
    # without --strict the series with bad rows are left out whole and the others converted
    listed = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["convert", "fingertips", str(path), "--area", "E06000059", "--out",
                                          str(tmp_path / "ds"), "--problems", str(listed)])
    assert result.exit_code == 0, result.output
    assert "Left out 1 series with problems" in result.output and "fingertips-90284" in result.output
    assert "fingertips-90284" not in load_dataset(tmp_path / "ds").series_by_id()
    assert "'2,8O' is neither a number" in listed.read_text(encoding="utf-8")


def test_missing_columns_unknown_area_and_encoding(tmp_path):
    (tmp_path / "cols.csv").write_text("Indicator ID,Area Code\n1,E1\n", encoding="utf-8")
    _, _, problems = _convert(tmp_path / "cols.csv")
    assert {p.field for p in problems.items} == {"Time period", "Value"}  # names may come from lookup files
    _, _, problems = _convert(area="E99999999")
    assert "no row is for the area 'E99999999'" in str(problems.items[0]) and "E06000054 (Wiltshire)" in str(
        problems.items[0])
    (tmp_path / "latin.csv").write_bytes(SAMPLE.read_bytes().replace(b"Dorset", "Dörset".encode("cp1252")))
    _, _, problems = _convert(tmp_path / "latin.csv")
    assert "Windows-1252" in str(problems.items[0])
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + SAMPLE.read_bytes())
    raw, _, problems = _convert(tmp_path / "bom.csv")
    assert not problems and raw is not None
