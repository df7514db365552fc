"""Reading a tidy table file into :class:`~outcomes.sources.raw.Row` s that remember their file and
row: CSV (UTF-8, a byte-order mark is fine; a Windows-1252 or UTF-16 file is reported with a fix,
never guessed) and Excel (checked for hostile content first).
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.spreadsheet import (
    WorkbookLimits,
    WorkbookRefused,
    cell_text,
    check_workbook,
)
from outcomes.sources.textfiles import not_utf8_at, utf8_fix

#: A table workbook read by ``outcomes convert table``: a published table of a few hundred thousand cells.
TABLE_LIMITS = WorkbookLimits(max_uncompressed=512 * 1024 * 1024, max_members=5000, max_cells=2_000_000,
                              what="table workbook")


def _decode(raw: bytes, label: str, problems: Problems) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(label, "", "", "is UTF-16 text (Excel's 'Unicode Text'), not UTF-8.", utf8_fix(label))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line, sample = not_utf8_at(raw, exc)
        problems.add(
            label, f"row {line}", "",
            f"is not UTF-8 text{sample}: it looks like a Windows-1252 file"
            + (" (Excel's plain 'CSV' format)." if label.lower().endswith(".csv") else "."),
            utf8_fix(label),
        )
        return None


def read_csv_file(path: Path, problems: Problems, *, label: str | None = None,
                  required: Iterable[str] = (), keep: Mapping[str, Iterable[str]] | None = None,
                  ) -> tuple[list[str], list[Row]]:
    """Read a table file (CSV with any delimiter, gzip CSV, Excel or Parquet) into rows keyed by its header.

    The format is found from the file's first bytes (:mod:`outcomes.sources.reading`). Every problem
    (unreadable file, wrong encoding, missing required columns, ragged rows) goes to ``problems`` with
    the file, the row and the column. ``keep`` (column -> wanted values) filters rows before they are made.
    """
    from outcomes.sources.reading import read_table

    table = read_table(Path(path), problems, label=label, required=required, keep=keep)
    if table is None:
        return [], []
    return table.header, table.rows()


def _check_header(header: list[str], label: str, problems: Problems, required: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            problems.add(label, "row 1", name, f"the column '{name}' appears twice.", "rename or remove one of them.")
        seen.add(name)
    for need in required:
        if need not in seen:
            close = [h for h in header if h.lower() == need.lower()]
            hint = f" (there is '{close[0]}': the name must match exactly)" if close else ""
            problems.add(label, "row 1", need, f"the column '{need}' is missing{hint}.",
                         f"check this is the right file; it needs the columns: {', '.join(required)}.")


def _cell_text(value: object) -> str:
    return cell_text(value, dates="iso")


def read_xlsx_file(path: Path, problems: Problems, *, sheet: str | None = None, header_row: int = 1,
                   label: str | None = None, required: Iterable[str] = ()) -> tuple[list[str], list[Row]]:
    """Read one sheet of an Excel workbook into rows (numbers as text, dates as ISO dates)."""
    import zipfile

    from openpyxl import load_workbook

    label = label or Path(path).name
    try:
        content = Path(path).read_bytes()
        check_workbook(content, name=label, limits=TABLE_LIMITS)
    except OSError as exc:
        problems.add(label, "", "", f"cannot be read ({exc.strerror or exc}).", "check the path of the file.")
        return [], []
    except WorkbookRefused as exc:
        problems.add(label, "", "", exc.message.removeprefix(f"{label} ").removeprefix(f"{label}: "),
                     exc.fix[:1].lower() + exc.fix[1:])
        return [], []
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)  # any name
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.add(label, "", "", f"cannot be opened as an Excel workbook ({exc}).",
                     "save it as an .xlsx workbook from Excel or LibreOffice.")
        return [], []
    try:
        if sheet is not None and sheet not in book.sheetnames:
            problems.add(label, "", "sheet", f"there is no sheet '{sheet}'.",
                         f"use one of: {', '.join(book.sheetnames)}.")
            return [], []
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        where = f"sheet {ws.title}"
        values = ws.iter_rows(min_row=header_row, values_only=True)
        try:
            header = [_cell_text(v).strip() for v in next(values)]
        except StopIteration:
            problems.add(label, where, "", "the sheet is empty.", "put the header in row 1.")
            return [], []
        while header and not header[-1]:
            header.pop()
        _check_header(header, f"{label} ({where})", problems, required)
        rows: list[Row] = []
        for number, cells in enumerate(values, start=header_row + 1):
            texts = [_cell_text(v) for v in cells]
            if not any(t.strip() for t in texts):
                continue
            if any(t.strip() for t in texts[len(header):]):
                problems.add(label, f"{where} row {number}", "", "has cells beyond the last named column.",
                             "name the column in the header row or clear the cells.")
                continue
            texts += [""] * (len(header) - len(texts))
            rows.append(Row(dict(zip(header, texts[: len(header)], strict=True)), f"{label} ({where})", number))
        return header, rows
    finally:
        book.close()


def read_table_file(path: Path, problems: Problems, *, sheet: str | None = None, header_row: int = 1,
                    required: Iterable[str] = (), keep: Mapping[str, Iterable[str]] | None = None,
                    ) -> tuple[list[str], list[Row]]:
    """Read a CSV, Excel or Parquet table, recognised by its content (not its extension)."""
    from outcomes.sources.reading import read_table

    table = read_table(Path(path), problems, sheet=sheet, header_row=header_row, required=required, keep=keep)
    if table is None:
        return [], []
    return table.header, table.rows()
