"""Spreadsheet helpers live once, in outcomes.sources.spreadsheet (issue 12 item 4): the characters
that start a formula, cells as text, and the encryption and zip-bomb checks; sources, exports and
the web workbook (through the adapter) use them, and no other module defines its own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from outcomes.sources import spreadsheet, table, workbook

SRC = Path(spreadsheet.__file__).resolve().parents[2]
OWN = Path(spreadsheet.__file__).resolve()
# a literal set of the formula-starting characters, or the OLE signature, or a zip's unpacked size sum
COPIES = [
    re.compile(r"""\(\s*["']=["']\s*,\s*["']\+["']"""),  # ("=", "+", ...
    re.compile(r"\[=\+\\-@"),  # a regex class [=+\-@...]
    re.compile(r"""\\xd0\\xcf\\x11\\xe0"""),  # the OLE (encrypted workbook) signature
    re.compile(r"sum\(\s*\w+\.file_size"),  # unpacked size of a zip
]


def test_no_module_but_spreadsheet_defines_these_helpers() -> None:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path.resolve() == OWN or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(SRC)}: {p.pattern}" for p in COPIES if p.search(text)]
    assert found == []


def test_everyone_uses_the_one_cell_text() -> None:
    assert workbook.cell_text is spreadsheet.cell_text  # the web workbook's: tests/web/test_workbook.py
    # the table converter reads dates as ISO dates and numbers as a CSV file holds them
    assert table._cell_text(dt.datetime(2018, 3, 31)) == "2018-03-31" == spreadsheet.cell_text(
        dt.datetime(2018, 3, 31), dates="iso")
    assert table._cell_text(0.1 + 0.2) == "0.3" and table._cell_text(True) == "TRUE"


def test_the_formula_characters_include_tab_and_carriage_return() -> None:
    assert set(spreadsheet.FORMULA_START) == {"=", "+", "-", "@", "\t", "\r"}
    assert all(spreadsheet.escape_formula(c + "x") == "'" + c + "x" for c in spreadsheet.FORMULA_START)
