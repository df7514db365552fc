"""Hostile and careless files: YAML alias bombs, files that are not UTF-8.

Given a file an attacker (or a slip) could hand to ``outcomes check``/``import`` or a converter,
when it is read, then it is refused with a problem naming the file, the line and a fix for that
kind of file, before anything expands.
"""

from __future__ import annotations

import io
import re
import resource
import zipfile
from pathlib import Path
from typing import Any

import pytest

from outcomes.sources import DatasetError, Problems, load_dataset
from outcomes.sources.fingertips import read_metadata
from outcomes.sources.table import read_mapping
from outcomes.sources.textfiles import YamlRefused, load_yaml


def _problems(path: Path) -> list:
    with pytest.raises(DatasetError) as info:
        load_dataset(path)
    return info.value.problems


# "Billion laughs": nine levels of nine aliases, 9**9 (387 million) strings once expanded.
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))


# ----------------------------------------------------------------------------------- YAML aliases
def test_the_example_shares_lead_officers_by_an_alias_and_still_loads(example_copy: Path) -> None:
    assert "*crime_leads" in (example_copy / "framework.yaml").read_text(encoding="utf-8")
    assert load_dataset(example_copy).organisation == "Dorset County Council"


def test_a_billion_laughs_framework_is_refused_before_it_expands(example_copy: Path) -> None:
    (example_copy / "framework.yaml").write_text(BOMB + "outcomes: *i\n", encoding="utf-8")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, hard))  # an expansion would hit this, not the machine
    try:
        problems = _problems(example_copy)
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    refused = [p for p in problems if p.file == "framework.yaml"]
    assert len(refused) == 1, [str(p) for p in problems]
    # the first alias crossing the limit: levels a-e add 74,718 values, then f's first *e adds 66,430
    assert refused[0].location == "line 6, column 8" and "'*e'" in refused[0].message
    assert "100,000" in refused[0].message and "write the values out in full" in refused[0].fix


def test_an_alias_bomb_in_narrative_front_matter_is_refused(example_copy: Path) -> None:
    md = next((example_copy / "narrative").glob("*.md"))
    text = md.read_text(encoding="utf-8")
    md.write_text(text.replace("---\n", "---\n" + BOMB + "j: *i\n", 1), encoding="utf-8")
    problems = _problems(example_copy)
    assert any(p.file == f"narrative/{md.name}" and "alias" in p.message for p in problems), [str(p) for p in problems]


def test_an_alias_bomb_in_a_mapping_file_is_refused(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(BOMB + "columns: *i\n", encoding="utf-8")
    problems = Problems()
    assert read_mapping(mapping, problems) is None
    assert [(p.file, p.location) for p in problems.items] == [("mapping.yaml", "line 6, column 8")]
    assert "alias" in problems.items[0].message


def test_an_alias_bomb_in_fingertips_metadata_is_refused(tmp_path: Path) -> None:
    meta = tmp_path / "metadata.yaml"
    meta.write_text(BOMB + "indicators: {90284: {polarity: lower-is-better, x: *i}}\n", encoding="utf-8")
    problems = Problems()
    assert read_metadata(meta, problems) == {}
    assert [(p.file, p.location) for p in problems.items] == [("metadata.yaml", "line 6, column 8")]


def test_a_value_holding_itself_and_deep_nesting_are_refused() -> None:
    with pytest.raises(YamlRefused, match="inside the value it names"):
        load_yaml("a: &a [1, *a]\n")
    with pytest.raises(YamlRefused, match="more than 200 deep"):
        load_yaml("[" * 5000 + "]" * 5000)
    assert load_yaml("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


# ------------------------------------------------------------------------------------ encodings
def test_a_framework_yaml_not_in_utf8_gets_a_text_editor_fix(example_copy: Path) -> None:
    path = example_copy / "framework.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Dorset", "Dörset", 1).encode("cp1252"))
    problems = [p for p in _problems(example_copy) if p.file == "framework.yaml"]
    assert len(problems) == 1 and "UTF-8" in problems[0].message
    assert "CSV" not in problems[0].fix and "text editor" in problems[0].fix


def test_a_markdown_narrative_not_in_utf8_gets_a_markdown_fix(example_copy: Path) -> None:
    md = next((example_copy / "narrative").glob("*.md"))
    md.write_bytes(md.read_text(encoding="utf-8").encode("utf-8") + "café".encode("cp1252"))
    problems = [p for p in _problems(example_copy) if p.file == f"narrative/{md.name}"]
    assert len(problems) == 1 and "CSV" not in problems[0].fix and "Markdown" in problems[0].fix


def test_a_csv_not_in_utf8_still_gets_the_csv_fix(example_copy: Path) -> None:
    path = example_copy / "risks.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-8") + "café\n".encode("cp1252"))
    problems = [p for p in _problems(example_copy) if p.file == "risks.csv"]
    assert len(problems) == 1 and "CSV UTF-8" in problems[0].fix


def test_a_mapping_file_not_in_utf8_gets_a_yaml_fix(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_bytes("columns: {value: Valeur é}\n".encode("cp1252"))
    problems = Problems()
    assert read_mapping(mapping, problems) is None
    assert len(problems.items) == 1 and "CSV" not in problems.items[0].fix
    assert "text editor" in problems.items[0].fix


# ------------------------------------------------------------------------------------ workbooks
def _book(example_copy: Path, tmp_path: Path, name: str = "book.xlsx") -> Path:
    from outcomes.sources.folder import read_folder
    from outcomes.sources.workbook import write_workbook

    raw = read_folder(example_copy, Problems())
    assert raw is not None
    path = tmp_path / name
    write_workbook(raw, path)
    return path


def _rezip(path: Path, change: Any, extra: dict[str, bytes] | None = None) -> None:
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def _sheet_member(path: Path, sheet: str) -> str:
    from outcomes.sources.spreadsheet import _sheet_names

    with zipfile.ZipFile(path) as z:
        return next(member for member, name in _sheet_names(z).items() if name == sheet)


@pytest.mark.parametrize("declare", [True, False], ids=["declared", "undeclared"])
def test_a_dataset_workbook_with_a_row_of_a_million_cells_is_refused_before_parsing(
        example_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, declare: bool) -> None:
    book = _book(example_copy, tmp_path)
    member = _sheet_member(book, "Observations")

    def change(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        if declare:
            data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:ALNQ5000"', data)
        return data.replace(b"</sheetData>", b'<row r="5000">' + b"<c><v>1</v></c>" * 1_000_000 + b"</row></sheetData>")

    _rezip(book, change)
    assert book.stat().st_size < 200 * 1024

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workbook was parsed")

    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    problems = _problems(book)
    assert len(problems) == 1, [str(p) for p in problems]
    p = problems[0]
    assert p.file == "book.xlsx" and "the sheet 'Observations'" in p.message and "500,000" in p.message
    assert ("is declared to span" if declare else "holds at least") in p.message
    assert "dataset folder" in p.fix


@pytest.mark.parametrize("how", ["xlsm name", "vbaProject.bin", "macro content type"])
def test_a_macro_enabled_dataset_workbook_is_refused(example_copy: Path, tmp_path: Path, how: str) -> None:
    book = _book(example_copy, tmp_path, "book.xlsm" if how == "xlsm name" else "book.xlsx")
    if how == "vbaProject.bin":
        _rezip(book, lambda n, d: d, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})
    elif how == "macro content type":
        _rezip(book, lambda n, d: d.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
               if n == "[Content_Types].xml" else d)
    problems = _problems(book)
    assert [p.file for p in problems] == [book.name]
    assert "macro-enabled" in problems[0].message and "Excel Workbook (*.xlsx)" in problems[0].fix


def test_a_macro_enabled_table_for_convert_table_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from outcomes.sources.table import read_table_file

    path = tmp_path / "table.xlsx"
    wb = Workbook()
    wb.active.append(["area", "period", "value"])
    wb.save(path)
    _rezip(path, lambda n, d: d, {"xl/vbaProject.bin": b"macros"})
    problems = Problems()
    assert read_table_file(path, problems) == ([], [])
    assert len(problems.items) == 1 and "macro-enabled" in problems.items[0].message
