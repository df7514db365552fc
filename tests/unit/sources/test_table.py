"""The generic tidy-table importer: reading cells and files, the mapping, and every problem reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from outcomes.cli import main
from outcomes.sources import load_dataset
from outcomes.sources.problems import Problems
from outcomes.sources.table import convert_table, mapping_from_dict, read_cell, read_csv_file, read_mapping

MAPPING = """\
home_area: {code: E06000059, name: Dorset}
organisation: Dorset Council
columns: {area: Area, area_name: Name, period: Year, value: Rate, numerator: Count, denominator: Population}
series:
  id: smoking
  title: Smoking prevalence in adults
  unit: percentage
  polarity: lower-is-better
  period_kind: financial-year
comparators: [{name: England, area: E92000001}]
"""

ROWS = [
    ("Area", "Name", "Year", "Rate", "Count", "Population"),
    ("E06000059", "Dorset", "2016/17", "14.1", "141", "1000"),
    ("E06000059", "Dorset", "2017/18", "c", "", "1000"),
    ("E06000059", "Dorset", "2018/19", "12.0", "120", "1000"),
    ("E92000001", "England", "2018/19", "14.4", "1440", "10000"),
]


def _csv(path: Path, rows: list[tuple[str, ...]], encoding: str = "utf-8") -> Path:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding=encoding)
    return path


def _run(*args: str):
    return CliRunner().invoke(main, ["convert", *args], catch_exceptions=False)


@pytest.mark.parametrize(("text", "value", "reason"), [
    ("12.5", 12.5, ""), ("3,766", 3766.0, ""), ("c", None, "c: confidential (suppressed)"),
    ("x", None, "x: not available"), ("z", None, "z: not applicable"), ("low", None, "low"),
    ("u", None, "u: low reliability"), ("k", None, "k: less than half"), (":", None, "':': not available"),
    ("", None, "empty"),
])
def test_a_marker_is_missing_with_its_reason_never_zero(text, value, reason):
    cell = read_cell(text)
    assert cell.value == value and cell.missing_reason.startswith(reason) and not cell.error


def test_an_unknown_marker_is_an_error_unless_the_mapping_names_it():
    assert "neither a number nor a known suppression marker" in read_cell("n/a").error
    assert read_cell("N/A", markers={"n/a": "not applicable"}).missing_reason == "'N/A': not applicable"


def test_a_byte_order_mark_is_fine(tmp_path):
    problems = Problems()
    header, rows = read_csv_file(_csv(tmp_path / "t.csv", ROWS, "utf-8-sig"), problems)
    assert not problems and header[0] == "Area" and rows[0].get("Area") == "E06000059"


def test_a_windows_1252_file_gets_a_clear_message(tmp_path):
    problems = Problems()
    read_csv_file(_csv(tmp_path / "t.csv", [*ROWS, ("E06000059", "Bournemouth – Poole", "2019/20", "1", "1", "1")],
                       "cp1252"), problems)
    message = str(problems.items[0])
    assert "t.csv, row 6" in message and "Windows-1252" in message and "CSV UTF-8" in message


def test_a_utf16_file_is_named(tmp_path):
    problems = Problems()
    read_csv_file(_csv(tmp_path / "t.csv", ROWS, "utf-16"), problems)
    assert "UTF-16" in str(problems.items[0])


def test_convert_a_csv_with_a_fixed_series(tmp_path):
    source = _csv(tmp_path / "smoking.csv", ROWS)
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    result = _run("table", str(source), "--mapping", str(tmp_path / "m.yaml"), "--out", str(tmp_path / "ds"))
    assert result.exit_code == 0, result.output
    fw = load_dataset(tmp_path / "ds")
    s = fw.series_by_id()["smoking"]
    assert fw.organisation == "Dorset Council" and str(fw.reporting_period) == "2018-19"
    assert [o.value for o in s.observations] == [14.1, None, 12.0]
    assert s.observations[1].missing_reason == "c: confidential (suppressed)"
    assert s.benchmark_observations["E92000001"][0].numerator == 1440
    assert s.comparators[0].area == "E92000001" and fw.area_name("E92000001") == "England"


def test_convert_an_excel_sheet_with_a_series_column(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "Data"
    ws.append(["Indicator", "Area", "Year", "Value"])
    ws.append(["Smoking", "E06000059", 2018, 12.5])
    ws.append(["Obesity", "E06000059", 2018, 60])
    ws.append(["Obesity", "E06000059", 2019, "x"])
    book.save(tmp_path / "t.xlsx")
    mapping = mapping_from_dict({
        "home_area": {"code": "E06000059", "name": "Dorset"}, "sheet": "Data",
        "columns": {"series": "Indicator", "area": "Area", "period": "Year", "value": "Value"},
        "defaults": {"unit": "percentage", "period_kind": "calendar-year"},
        "series": {"Smoking": {"id": "smoking", "title": "Smoking", "polarity": "lower-is-better"},
                   "Obesity": {"id": "obesity", "title": "Obesity"}},
    }, "m.yaml", Problems())
    problems = Problems()
    raw, summary = convert_table(tmp_path / "t.xlsx", mapping, problems)
    assert not problems, problems.items
    assert summary.series == {"smoking": 1, "obesity": 2} and summary.unjudged == ["obesity"]
    assert [r.values["missing_reason"] for r in raw.observations] == ["", "", "x: not available"]


def test_every_problem_is_listed_with_file_row_and_column_and_nothing_is_written(tmp_path):
    bad = [*ROWS, ("E06000059", "Dorset", "2019/20", "n/a", "1", "1000"),
           ("E06000059", "Dorset", "Q5 2019", "1", "1", "1000"), ("E06000059", "Dorset", "2016/17", "2", "2", "1000")]
    source = _csv(tmp_path / "bad.csv", bad)
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    result = _run("table", str(source), "--mapping", str(tmp_path / "m.yaml"), "--out", str(tmp_path / "ds"))
    assert result.exit_code == 2
    assert "bad.csv, row 6 [Rate]: 'n/a' is neither a number" in result.output
    assert "bad.csv, row 7 [Year]" in result.output
    assert "bad.csv, row 8 [Year]: smoking already has a value for E06000059 in 2016-17 (row 2)" in result.output
    assert "Nothing was written" in result.output and not (tmp_path / "ds").exists()


def test_missing_columns_and_a_bad_mapping_are_reported(tmp_path):
    source = _csv(tmp_path / "t.csv", [("Area", "Year"), ("E06000059", "2018/19")])
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    result = _run("table", str(source), "--mapping", str(tmp_path / "m.yaml"), "--out", str(tmp_path / "ds"))
    assert result.exit_code == 2 and "t.csv, row 1 [Rate]: the column 'Rate' is missing" in result.output
    (tmp_path / "bad.yaml").write_text("columns: {area: Area, colour: Blue}\nseries: {id: s}\n", encoding="utf-8")
    result = _run("table", str(source), "--mapping", str(tmp_path / "bad.yaml"), "--out", str(tmp_path / "ds"))
    assert "'colour' is not something a column can hold" in result.output
    assert "which column holds the period is not said" in result.output
    assert not (tmp_path / "ds").exists()


def test_the_converter_refuses_to_replace_a_folder_that_is_not_a_dataset(tmp_path):
    source = _csv(tmp_path / "smoking.csv", ROWS)
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    (tmp_path / "precious").mkdir()
    (tmp_path / "precious" / "thesis.docx").write_text("x")
    result = _run("table", str(source), "--mapping", str(tmp_path / "m.yaml"), "--out", str(tmp_path / "precious"))
    assert result.exit_code == 2 and (tmp_path / "precious" / "thesis.docx").exists()


def test_period_option_sets_the_reporting_period_or_is_a_problem_on_period(tmp_path):
    from outcomes.sources.table import period_option

    source = _csv(tmp_path / "smoking.csv", ROWS)
    (tmp_path / "m.yaml").write_text(MAPPING, encoding="utf-8")
    mapping = read_mapping(tmp_path / "m.yaml", Problems())
    assert mapping is not None
    problems = Problems()
    _raw, summary = convert_table(source, mapping, problems, period="2017/18")
    assert not problems.items and summary.reporting_period == "2017-18"
    problems = Problems()
    raw, _summary = convert_table(source, mapping, problems, period="soon")
    assert raw is None and [(p.file, p.field) for p in problems.items] == [("--period", "--period")]
    assert period_option("FY 2023/24", "2017-18", Problems()) == "2023-24"
    assert period_option("", "2017-18", Problems()) == "2017-18"
