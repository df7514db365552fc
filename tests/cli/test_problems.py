"""A file with a great many problems: the screen shows each kind with its count and first examples;
``--problems FILE`` lists every one in a CSV file (written as found, so memory stays bounded).

Given an observations.csv whose header has 50,000 columns that do not exist and a risks.csv with
3,000 rows of too many cells, when ``outcomes check``/``convert table`` reads it, then the output stays short and
the problems file holds all 53,000 problems.
"""

from __future__ import annotations

import csv
import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from outcomes.cli import main
from outcomes.sources.problems import Problems

BAD_COLUMNS = 50_000
BAD_ROWS = 3_000
COLUMNS = ["file", "location", "field", "message", "fix", "kind"]


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == COLUMNS
        return list(reader)


def _break(dataset: Path) -> None:
    obs = dataset / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    obs.write_text("\n".join([lines[0] + "," + ",".join(f"x{n}" for n in range(BAD_COLUMNS)), *lines[1:]]) + "\n",
                   encoding="utf-8")
    risks = dataset / "risks.csv"
    width = len(risks.read_text(encoding="utf-8").splitlines()[0].split(","))
    with risks.open("a", encoding="utf-8") as fh:
        fh.writelines(",".join(["a"] * (width + 3)) + "\n" for _ in range(BAD_ROWS))


def test_check_prints_the_first_problems_and_a_count_by_kind(example_copy: Path) -> None:
    _break(example_copy)
    result = CliRunner().invoke(main, ["check", str(example_copy)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert len(lines) < 60, len(lines)
    assert f"{BAD_COLUMNS + BAD_ROWS} problems to fix" in result.output
    assert f"{BAD_COLUMNS} × observations.csv: '…' is not a column this file can have." in result.output
    assert f"{BAD_ROWS} × risks.csv: has N cells but the header has N." in result.output
    # the first three examples of each kind, not every problem
    assert "e.g. observations.csv, row 1 [x0]: 'x0' is not a column" in result.output
    assert "'x2' is not a column" in result.output and "'x3' is not a column" not in result.output
    assert result.output.count("e.g. risks.csv") == 3
    assert "run the command again with --problems FILE.csv" in result.output


def test_check_writes_every_problem_to_the_problems_file(example_copy: Path, tmp_path: Path) -> None:
    _break(example_copy)
    listing = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["check", str(example_copy), "--problems", str(listing)])
    assert result.exit_code == 2
    assert f"Every problem is listed in {listing}" in result.output
    written = _rows(listing)
    assert len(written) == BAD_COLUMNS + BAD_ROWS
    assert written[0] == {"file": "observations.csv", "location": "row 1", "field": "x0",
                          "message": "'x0' is not a column this file can have.", "fix": written[0]["fix"],
                          "kind": "observations.csv: '…' is not a column this file can have."}
    assert written[0]["fix"]
    kinds = [row["kind"] for row in written]
    assert kinds.count("observations.csv: '…' is not a column this file can have.") == BAD_COLUMNS
    assert kinds.count("risks.csv: has N cells but the header has N.") == BAD_ROWS
    assert not list(tmp_path.glob(".problems.csv.*"))  # no temporary file left behind


def test_a_clean_dataset_leaves_a_problems_file_with_only_its_header(example_path: Path, tmp_path: Path) -> None:
    listing = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["check", str(example_path), "--problems", str(listing)])
    assert result.exit_code == 1, result.output  # the seed has error-level findings, but no problem reading it
    assert _rows(listing) == []


def test_a_few_problems_are_each_listed_and_formula_like_text_is_escaped_in_the_file(example_copy: Path,
                                                                                     tmp_path: Path) -> None:
    obs = example_copy / "observations.csv"
    lines = obs.read_text(encoding="utf-8").splitlines()
    obs.write_text("\n".join([lines[0] + ",=HYPERLINK(1)", *lines[1:]]) + "\n", encoding="utf-8")
    listing = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["check", str(example_copy), "--problems", str(listing)])
    assert result.exit_code == 2 and "1 problem to fix" in result.output
    assert "observations.csv, row 1 [=hyperlink(1)]: '=hyperlink(1)' is not a column" in result.output
    assert " × " not in result.output  # one problem: listed, not grouped
    assert f"Every problem is also listed in {listing}." in result.output
    [row] = _rows(listing)
    assert row["field"] == "'=hyperlink(1)"  # a spreadsheet shows it as text, never runs it
    assert row["message"].startswith("''=hyperlink(1)' is not a column")


def test_convert_table_counts_problems_by_kind_and_lists_them_in_a_file(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    rows = [f"E06000059,2017-18,{n}" for n in range(10)] + ["E06000059,2017-18,1,2,3"] * BAD_ROWS
    table.write_text("area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {area: area, period: period, value: value}\n"
                       "series: {id: s, title: S, unit: count, polarity: higher-is-better}\n", encoding="utf-8")
    listing = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["convert", "table", str(table), "--mapping", str(mapping),
                                       "--out", str(tmp_path / "out"), "--problems", str(listing), "--strict"])
    assert result.exit_code == 2 and len(result.output.splitlines()) < 30, result.output
    # the reader names the first 20 ragged rows and counts the rest in one problem
    assert "21 problems to fix" in result.output
    assert "20 × table.csv: does not have N cells like the header." in result.output
    assert "1 × table.csv: N more rows do not have N cells like the header." in result.output
    assert f"{BAD_ROWS - 20} more rows" in result.output
    written = _rows(listing)
    assert len(written) == 21 and written[0]["location"] == "row 12"
    assert not (tmp_path / "out").exists()


def test_left_out_series_are_counted_and_streamed_to_the_same_file(tmp_path: Path) -> None:
    """The bulk policy: a series with bad rows is left out whole, its problems counted by kind and in the file;
    with --strict the same problems are the conversion's, counted in full (not only the examples kept)."""
    table = tmp_path / "table.csv"
    good = [f"good,E06000059,{2000 + n},{n}" for n in range(10)]
    bad = [f"bad{n % 10},E06000059,{1900 + n // 10},n.a{n}" for n in range(BAD_ROWS)]  # 10 series
    table.write_text("series,area,period,value\n" + "\n".join(good + bad) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {series: series, area: area, period: period, value: value}\n"
                       "defaults: {unit: count, polarity: higher-is-better, period_kind: calendar-year}\n",
                       encoding="utf-8")
    listing = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["convert", "table", str(table), "--mapping", str(mapping), "--area",
                                       "E06000059", "--out", str(tmp_path / "out"), "--problems", str(listing)])
    assert result.exit_code == 0, result.output
    assert "Left out 10 series with problems" in result.output and ": bad0, bad1," in result.output
    assert f"{BAD_ROWS} × table.csv: '…' is neither a number nor a known suppression marker." in result.output
    assert result.output.count("e.g. table.csv") == 3 and len(result.output.splitlines()) < 30
    assert len(_rows(listing)) == BAD_ROWS
    strict = CliRunner().invoke(main, ["convert", "table", str(table), "--mapping", str(mapping), "--area",
                                       "E06000059", "--out", str(tmp_path / "strict"), "--strict",
                                       "--problems", str(listing)])
    assert strict.exit_code == 2 and f"{BAD_ROWS} problems to fix" in strict.output
    assert f"{BAD_ROWS} × table.csv: '…' is neither" in strict.output and not (tmp_path / "strict").exists()
    assert len(_rows(listing)) == BAD_ROWS  # each problem written once


def test_the_collector_keeps_examples_not_every_problem() -> None:
    from outcomes.sources.problems import MAX_KEPT

    problems = Problems()
    tracemalloc.start()
    for n in range(200_000):
        problems.add("observations.csv", f"row {n}", "value", f"'v{n}' is not a number.", "write a number.")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(problems) == 200_000 and len(problems.items) <= MAX_KEPT
    assert peak < 5 * 1024 * 1024, peak  # a list of 200,000 problems would take tens of MB
    assert problems.counts == {"observations.csv: '…' is not a number.": 200_000}
