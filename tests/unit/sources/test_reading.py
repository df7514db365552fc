"""Reading any table file: CSV with any delimiter, gzip, Excel, Parquet; filtering before rows are made."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from outcomes.model.period import parse_published
from outcomes.sources.problems import Problems
from outcomes.sources.reading import read_table
from outcomes.sources.table import read_cell

CSV = "Area,Year,Value\nE06000059,2018,1.5\nE92000001,2018,\"2,000\"\nE12000009,2018,c\n"


def _read(path: Path, **kw: object) -> tuple[Problems, object]:
    problems = Problems()
    return problems, read_table(path, problems, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_delimiter_is_read_as_text(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(CSV.replace(",", delimiter).replace(f'"2{delimiter}000"', '"2,000"'), encoding="utf-8")
    problems, table = _read(path)
    assert not problems
    assert table.header == ["Area", "Year", "Value"]
    assert table.columns["Value"] == ["1.5", "2,000", "c"]
    assert table.numbers == [2, 3, 4]


def test_gzip_csv_and_keep_filter_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv.gz"
    path.write_bytes(gzip.compress(CSV.encode()))
    problems, table = _read(path, keep={"Area": ["e12000009", "E06000059"]})
    assert not problems
    assert table.total == 3 and len(table) == 2
    rows = table.rows()
    assert [(r.get("Area"), r.number) for r in rows] == [("E06000059", 2), ("E12000009", 4)]


def test_parquet_is_read_and_not_taken_for_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "lait.data"  # the name says nothing: the content does
    pq.write_table(pa.table({"LA Number": [838, 835], "Values": [0.09511, 12.0], "Years": ["2014-16", "2018 (Rev)"]}),
                   path)
    problems, table = _read(path, keep={"LA Number": ["838"]})
    assert not problems, problems.items
    assert table.rows()[0].values == {"LA Number": "838", "Values": "0.09511", "Years": "2014-16"}


def test_excel_by_content(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Area", "Value"])
    sheet.append(["E06000059", 3.5])
    path = tmp_path / "data.csv"  # an Excel workbook misnamed .csv
    book.save(path)
    problems, table = _read(path)
    assert not problems
    assert table.columns == {"Area": ["E06000059"], "Value": ["3.5"]}


@pytest.mark.parametrize(("content", "words"), [
    (b"%PDF-1.7 ...", "is a PDF document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "Excel 97-2003"),
    (b"\xff\xfeA\x00", "UTF-16"),
    ("Area,Value\nCaf\u00e9,1\n".encode("cp1252"), "Windows-1252"),
    (b"", "is empty"),
])
def test_files_that_are_not_utf8_text_are_named_for_what_they_are(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes(content)
    problems, table = _read(path)
    assert table is None
    assert words in str(problems.items[0]) and "f.csv" in str(problems.items[0])


def test_ragged_rows_and_missing_columns_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Area,Value\nA,1\nB,2,3\n", encoding="utf-8")
    problems, table = _read(path)
    assert table is not None and table.columns["Area"] == ["A"]
    assert "row 3" in str(problems.items[0])
    problems, table = _read(path, required=["Area", "Year"])
    assert table is None and "'Year' is missing" in str(problems.items[0])


@pytest.mark.parametrize(("text", "value", "reason"), [
    ("9.511E-2", 0.09511, ""), ("1.2e3", 1200.0, ""), ("12,345.6", 12345.6, ""),
    ("-", None, "'-': no figure published"), ("*", None, "'*': suppressed (small numbers)"),
    ("SUPP", None, "SUPP: suppressed (small numbers)"), ("[c]", None, "[c]: confidential (suppressed)"),
    ("-1.5", -1.5, ""),
])
def test_values_as_publishers_print_them(text: str, value: float | None, reason: str) -> None:
    cell = read_cell(text)
    assert not cell.error
    assert cell.value == value
    assert cell.missing_reason == reason


@pytest.mark.parametrize(("text", "kind", "printed", "note"), [
    ("2014-16", None, "36 months to December 2016", ""),
    ("2016 - 18", None, "36 months to December 2018", ""),
    ("2015/16 - 17/18", None, "36 months to March 2018", ""),
    ("2018 (Rev)", None, "2018", "revised"),
    ("2016-17 (OT)", None, "2016-17", "published as '(OT)'"),
    ("2016-17 (OT)", "academic-year", "AY 2016/17", "published as '(OT)'"),
    ("201819", "Academic year", "AY 2018/19", ""),
    ("2025", "Reporting year", "2024-25", ""),
    ("2018 Q1", None, "Q4 2017-18", ""),
    ("2016-17", None, "2016-17", ""),
])
def test_periods_as_publishers_print_them(text: str, kind: str | None, printed: str, note: str) -> None:
    period, got = parse_published(text, kind=kind)
    assert (str(period), got) == (printed, note)


def test_rows_with_every_cell_empty_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("Area,Value\nA,1\n,\n , \nB,2\n", encoding="utf-8")  # Excel leaves such rows at the end
    problems, table = _read(path)
    assert not problems
    assert [(r.get("Area"), r.number) for r in table.rows()] == [("A", 2), ("B", 5)]


@given(st.integers(1950, 2090), st.integers(2, 9), st.sampled_from(["-", " - ", "\u2013"]), st.booleans())
def test_a_multi_year_range_is_a_window_ending_with_its_last_year(first: int, span: int, dash: str, short: bool) -> None:
    last = first + span
    text = f"{first}{dash}{str(last)[2:] if short else last}"
    period, note = parse_published(text)
    assert (period.kind.value, period.months, period.end.year, period.end.month, note) == (
        "rolling", 12 * (span + 1), last, 12, "")
    assert period.start.year == first and period.start.month == 1


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False).filter(lambda v: v != 0),
       st.sampled_from(["{:.3E}", "{:.6e}", "{:E}"]))
def test_scientific_notation_reads_back_the_number(value: float, form: str) -> None:
    text = form.format(value)
    cell = read_cell(text)
    assert not cell.error and cell.value == float(text)
