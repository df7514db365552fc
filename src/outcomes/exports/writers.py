"""Write export tables as CSV, XLSX and JSON, safely for spreadsheets.

Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``, ``@``, tab or carriage
return) is prefixed with an apostrophe in CSV and XLSX; numbers in numeric columns are written as
numbers and never touched (``-3.5`` stays a number).

>>> safe_text("=1+1"), safe_text("-3.5"), safe_text("@SUM(A1)"), safe_text("Dorset")
("'=1+1", '-3.5', "'@SUM(A1)", 'Dorset')
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outcomes.exports.tables import ExportTable
from outcomes.sources.spreadsheet import escape_formula

__all__ = ["safe_text", "write_csv", "write_json", "write_xlsx"]

def safe_text(value: object) -> str:
    """Text for a spreadsheet cell: formula-like text gets a leading apostrophe (reversibly, see
    :func:`outcomes.sources.spreadsheet.escape_formula`).

    A cell that is a plain number written as text (``-3.5``) cannot run as a formula and is left alone.
    """
    return escape_formula("" if value is None else str(value))


def _atomic(path: Path, write: Callable[[Path], None]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _cell(value: Any, numeric: bool) -> Any:
    if value is None:
        return None
    if numeric and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_text(value)


def _csv_number(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if not value.is_integer() else str(int(value))
    return str(value)


def write_csv(table: ExportTable, path: Path) -> Path:
    """UTF-8 with a byte-order mark (so Excel reads accents correctly); one header row."""

    def write(tmp: Path) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([safe_text(c.name) for c in table.columns])
        for row in table.rows:
            cells = []
            for c in table.columns:
                value = row.get(c.name)
                if c.type == "number" and isinstance(value, int | float) and not isinstance(value, bool):
                    cells.append(_csv_number(value))
                else:
                    cell = _cell(value, False)
                    cells.append("" if cell is None else cell)
            writer.writerow(cells)
        tmp.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")

    return _atomic(path, write)


def _header(column: Any) -> str:
    return f"{column.name} ({column.unit})" if column.unit else column.name


def write_xlsx(tables: list[ExportTable], path: Path, *, title: str = "", units: dict[str, str] | None = None) -> Path:
    """One sheet per table: bold, frozen header row, typed columns (numbers as numbers), filters."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    def write(tmp: Path) -> None:
        book = Workbook()
        book.remove(book.active)
        for table in tables:
            ws = book.create_sheet(table.title[:31])
            ws.append([safe_text(_header(c)) for c in table.columns])
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in table.rows:
                ws.append([_cell(row.get(c.name), c.type == "number") for c in table.columns])
            ws.freeze_panes = "A2"
            if table.columns:
                ws.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{max(1, len(table.rows) + 1)}"
            for i, c in enumerate(table.columns, 1):
                longest = max([len(_header(c))] + [len(str(r.get(c.name) or "")) for r in table.rows[:200]])
                ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
                if c.type == "number":
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        if isinstance(cell.value, float):
                            cell.number_format = "General"
        about = book.create_sheet("About")
        about.append(["Outcomes Tracker export"])
        about["A1"].font = Font(bold=True)
        about.append([safe_text(title)])
        about.append([f"Generated {datetime.date.today().isoformat()}"])
        about.append(["Numbers are numbers; text that would run as a formula starts with an apostrophe."])
        about.append(["Values and limits are in each row's unit (the 'unit' column of Observations)."])
        book.save(tmp)

    return _atomic(path, write)


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return None if f != f else f


def _clean(value: Any) -> Any:
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def write_json(payload: dict[str, Any], path: Path) -> Path:
    """UTF-8 JSON (NaN written as null), indented for people to read."""

    def write(tmp: Path) -> None:
        tmp.write_text(json.dumps(_clean(payload), indent=2, ensure_ascii=False, default=_json_default,
                                  allow_nan=False) + "\n", encoding="utf-8")

    return _atomic(path, write)
