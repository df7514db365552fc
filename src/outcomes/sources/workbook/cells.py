"""Cells as text, both ways: a cell read back as the text a CSV file would hold (3766 is "3766",
53.8 is "53.8", a percentage-formatted 0.452 is "45.2"), lists and names in cells, and one value
written into a cell (a plain number as a number, any other text as text that never runs as a
formula, refused when Excel could not keep it).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from typing import Any

from outcomes.sources.spreadsheet import (
    FORMULA_START,
    cell_text,
    number_text,
)
from outcomes.sources.spreadsheet import is_percent_format as _is_percent

EXCEL_CELL_LIMIT = 32767
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- cells as text -----------------------------------------------------------------------------


_PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d*[1-9])?")


def plain_number(text: str) -> int | float | None:
    """The number ``text`` holds if a number cell gives back exactly ``text``; otherwise None.

    >>> plain_number("53.8"), plain_number("3766"), plain_number("3,766"), plain_number("53.80"), plain_number("07")
    (53.8, 3766, None, None, None)
    """
    if not _PLAIN_NUMBER.fullmatch(text) or len(text.replace("-", "").replace(".", "")) > 15:
        return None
    number: int | float = float(text) if "." in text else int(text)
    return number if number_text(number) == text else None


def _cell_value(value: Any, number_format: str = "") -> Any:
    """A cell as a framework.yaml value: numbers stay numbers, dates become text, blanks None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and _is_percent(number_format):
        number = plain_number(number_text(value * 100))
        return value * 100 if number is None else number
    if isinstance(value, (str, bool, int, float)):
        return value
    return cell_text(value, number_format)


def _as_text(value: Any) -> str:
    return "" if value is None else cell_text(value).strip()


def _split(text: str) -> list[str]:
    """A list typed into one cell: one item a line, or items separated by ';' on one line."""
    parts = text.splitlines() if "\n" in text else text.split(";")
    return [p.strip() for p in parts if p.strip()]


def _join(items: Iterable[Any]) -> str:
    texts = [_as_text(i) for i in items]
    if any(";" in t for t in texts):
        return "\n".join(texts) + ("\n" if len(texts) == 1 else "")
    return "; ".join(texts)


def _norm(name: Any) -> str:
    return re.sub(r"[\s\-]+", "_", _as_text(name).lower())


def _label(name: str) -> str:
    return re.sub(r"[\s._\-]+", " ", name.strip().lower())


def _put(ws: Any, row: int, column: int, value: Any, *, numeric: bool) -> None:
    if value is None or value == "":
        return
    cell = ws.cell(row=row, column=column)
    if isinstance(value, bool) or (isinstance(value, (int, float)) and math.isfinite(value)):
        cell.value = value
        return
    if isinstance(value, str) and numeric and (number := plain_number(value)) is not None:
        cell.value = number
        return
    text = value.isoformat() if isinstance(value, (dt.date, dt.time)) else value if isinstance(value, str) else (
        cell_text(value))
    where = f"sheet {ws.title} cell {cell.coordinate}"
    if len(text) > EXCEL_CELL_LIMIT:
        raise ValueError(f"{where}: the text is longer than the {EXCEL_CELL_LIMIT} characters a cell can hold.")
    if bad := _NOT_IN_XML.search(text):
        raise ValueError(f"{where}: the character U+{ord(bad.group()):04X} cannot be kept in a workbook; remove it.")
    cell.value = text
    cell.data_type = "s"  # text, even when it starts with '=': never a formula
    cell.number_format = "@"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True
