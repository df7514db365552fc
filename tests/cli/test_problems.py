"""A file with a great many problems: the screen shows the first of each kind and a count by kind;
``--problems FILE`` lists every one (written as found, so memory stays bounded).

Given an observations.csv whose header has 50,000 columns that do not exist and a risks.csv with
3,000 rows of too many cells, when ``outcomes check``/``convert table`` reads it, then the output stays short and
the problems file holds all 53,000 problems.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from click.testing import CliRunner

from outcomes.cli import main
from outcomes.sources.problems import Problems

BAD_COLUMNS = 50_000
BAD_ROWS = 3_000


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
    assert "'x0' is not a column" in result.output and "'x9' is not a column" in result.output
    assert "'x10' is not a column" not in result.output
    assert "--problems FILE" in result.output


def test_check_writes_every_problem_to_the_problems_file(example_copy: Path, tmp_path: Path) -> None:
    _break(example_copy)
    listing = tmp_path / "problems.txt"
    result = CliRunner().invoke(main, ["check", str(example_copy), "--problems", str(listing)])
    assert result.exit_code == 2
    assert f"Every problem is listed in {listing}" in result.output
    written = listing.read_text(encoding="utf-8").splitlines()
    assert len(written) == BAD_COLUMNS + BAD_ROWS
    assert written[0].startswith("observations.csv, row 1 [x0]: 'x0' is not a column")
    assert sum("is not a column" in line for line in written) == BAD_COLUMNS
    assert not list(tmp_path.glob(".problems.txt.*"))  # no temporary file left behind


def test_a_clean_dataset_leaves_an_empty_problems_file(example_path: Path, tmp_path: Path) -> None:
    listing = tmp_path / "problems.txt"
    result = CliRunner().invoke(main, ["check", str(example_path), "--problems", str(listing)])
    assert result.exit_code == 1, result.output  # the seed has error-level findings, but no problem reading it
    assert listing.read_text(encoding="utf-8") == ""


def test_convert_table_counts_problems_by_kind_and_lists_them_in_a_file(tmp_path: Path) -> None:
    table = tmp_path / "table.csv"
    rows = [f"E06000059,2017-18,{n}" for n in range(10)] + ["E06000059,2017-18,1,2,3"] * BAD_ROWS
    table.write_text("area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("columns: {area: area, period: period, value: value}\n"
                       "series: {id: s, title: S, unit: count, polarity: higher-is-better}\n", encoding="utf-8")
    listing = tmp_path / "problems.csv"  # the converters write the CSV problems file (docs/sources.md)
    result = CliRunner().invoke(main, ["convert", "table", str(table), "--mapping", str(mapping),
                                       "--out", str(tmp_path / "out"), "--problems", str(listing)])
    assert result.exit_code == 2 and len(result.output.splitlines()) < 30, result.output
    assert f"{BAD_ROWS - 20} more rows do not have 3 cells like the header" in result.output
    written = listing.read_text(encoding="utf-8").splitlines()
    assert written[0] == "file,location,field,message,fix,kind" and len(written) > 1
    assert not (tmp_path / "out").exists()


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
