"""Spreadsheets in one place: formula-like text, cells as text, and the checks a workbook passes before it is parsed.

**Formula-like text.** A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return can run as a formula when a CSV file is opened in a spreadsheet (``=HYPERLINK(...)``,
``=cmd|...``). :func:`escape_formula` puts an apostrophe in front of such text, as Excel does for
text typed with a leading apostrophe; :func:`unescape_formula` takes exactly one off again. The
escape is reversible: text that already starts with apostrophes followed by one of those characters
gets one more, so it too comes back exactly. A plain number (``-3``, ``-0.5``) is left alone: it
cannot run, and a spreadsheet must still see a number.

>>> [escape_formula(t) for t in ("=1+1", "-3", "-3 fewer", "'=x", "Dorset", "'tis")]
["'=1+1", '-3', "'-3 fewer", "''=x", 'Dorset', "'tis"]
>>> all(unescape_formula(escape_formula(t)) == t for t in ("=1+1", "-3", "-3 fewer", "'=x", "''@", "'tis", ""))
True

**Cells as text.** :func:`cell_text` turns a cell's value into text for the dataset workbook, the
table converter and the tracker's returns workbook, each with its options (typed or ISO dates,
numbers as a CSV holds them or exactly).

**Workbooks.** :func:`check_workbook` looks at an .xlsx file before openpyxl parses it and
raises :class:`WorkbookRefused` (a message and a fix) when it is password protected or an old .xls
file, not a zip at all, a zip bomb (too many members, or too large unpacked), macro-enabled
(``.xlsm``, a ``vbaProject.bin`` member, or a macro content type), or holds more cells than the
reader's budget: by each sheet's declared ``<dimension>`` first, then by counting the cells as the
sheet's XML is streamed, stopping at the budget. The dataset workbook reader
(:mod:`outcomes.sources.workbook`) and the tracker's data-collection workbook call it, each with
its own :class:`WorkbookLimits`.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["DATASET_LIMITS", "FORMULA_START", "OLE_SIGNATURE", "WorkbookLimits", "WorkbookRefused", "cell_text",
           "check_workbook", "date_text", "escape_formula", "is_percent_format", "neutralise_cell", "number_text",
           "unescape_formula"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NEEDS_ESCAPE = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def escape_formula(text: str) -> str:
    """``text`` made safe to open in a spreadsheet, reversibly (see the module's notes)."""
    if _NEEDS_ESCAPE.match(text) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """The text :func:`escape_formula` was given: one leading apostrophe taken off, when it added one."""
    return text[1:] if _ESCAPED.match(text) else text


def neutralise_cell(value: object) -> object:
    """A value for a spreadsheet cell or CSV export: text escaped by :func:`escape_formula`, the rest as it is.

    >>> neutralise_cell("=HYPERLINK(\\"http://x\\")"), neutralise_cell(-3.5), neutralise_cell("-3.5")
    ('\\'=HYPERLINK("http://x")', -3.5, '-3.5')
    """
    return escape_formula(value) if isinstance(value, str) else value


# ------------------------------------------------------------------------------------- cells as text
def number_text(value: float) -> str:
    """A number as a CSV file holds it: no exponent, no trailing '.0', 15 significant digits like Excel.

    >>> number_text(3766), number_text(3766.0), number_text(53.8), number_text(0.1 + 0.2), number_text(1e16)
    ('3766', '3766', '53.8', '0.3', '10000000000000000')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.15g}"
    if "e" in text:
        text = format(Decimal(text), "f")
    return "0" if text == "-0" else text


def _strip_literals(fmt: str) -> str:
    return re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", fmt or "").lower()


def is_percent_format(number_format: str) -> bool:
    """Whether a cell's number format shows a percentage (0.452 shown as 45.2%)."""
    return "%" in _strip_literals(number_format)


def date_text(value: dt.date | dt.datetime | dt.time, number_format: str = "") -> str:
    """A date cell as the text typed into it: Excel turns 'March 2018' into a date shown as 'Mar-18'.

    >>> date_text(dt.datetime(2018, 3, 1), "mmm-yy"), date_text(dt.datetime(2018, 3, 31), "dd/mm/yyyy")
    ('March 2018', '31 March 2018')
    """
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.datetime) and value.time() != dt.time(0):
        return value.isoformat(sep=" ")
    day = value.date() if isinstance(value, dt.datetime) else value
    fmt = _strip_literals(number_format)
    if fmt and "d" not in fmt and "m" not in fmt:
        return str(day.year)
    if fmt and "d" not in fmt:
        return f"{day:%B %Y}"
    return f"{day.day} {day:%B %Y}"


def cell_text(value: Any, number_format: str = "", *, dates: str = "typed", exact: bool = False,
              true: str = "TRUE", false: str = "FALSE") -> str:
    """A cell's value (as openpyxl gives it) as text: the one cell-to-text of the project.

    Numbers as a CSV file holds them (:func:`number_text`; a percentage format gives ``45.2%``), or
    with ``exact`` as Python writes them (the tracker's returns, where a figure must come back
    unchanged). Dates as typed (:func:`date_text`: ``March 2018`` for a month format), or with
    ``dates="iso"`` as ISO dates (``2018-03-31``; a midnight time is dropped). Booleans as ``true`` or
    ``false``. Text is returned as it is: formula escapes are the caller's business.

    >>> cell_text(0.452, "0.0%"), cell_text(dt.datetime(2018, 3, 1), "mmm-yy"), cell_text(True)
    ('45.2%', 'March 2018', 'TRUE')
    >>> cell_text(dt.datetime(2018, 3, 31), dates="iso"), cell_text(0.1 + 0.2, exact=True), cell_text(None)
    ('2018-03-31', '0.30000000000000004', '')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return true if value else false
    if isinstance(value, int | float):
        if exact:
            if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
                return str(int(value))
            return repr(value)
        if is_percent_format(number_format):
            return number_text(value * 100) + "%"
        return number_text(value)
    if isinstance(value, dt.date | dt.time):
        if dates == "iso":
            if isinstance(value, dt.datetime) and value.time() == dt.time(0):
                value = value.date()
            if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
                return value.isoformat()
        return date_text(value, number_format)
    return str(value)


# ------------------------------------------------------------------------------------- workbooks
class WorkbookRefused(ValueError):
    """A workbook refused before it is parsed: ``message`` says why, ``fix`` what to do."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(f"{message} {fix}")
        self.message = message
        self.fix = fix


@dataclass(frozen=True)
class WorkbookLimits:
    """What a reader accepts: unpacked size, zip members, and cells (all sheets together)."""

    max_uncompressed: int
    max_members: int
    max_cells: int
    what: str = "workbook"  # named in messages: "dataset workbook", "returns workbook"


#: The dataset workbook (``outcomes check book.xlsx``): about 29,000 full rows of observations.
#: A larger dataset belongs in a dataset folder (CSV has no such limit).
DATASET_LIMITS = WorkbookLimits(max_uncompressed=512 * 1024 * 1024, max_members=5000, max_cells=500_000,
                                what="dataset workbook")

#: The first bytes of an OLE compound file: an encrypted (password-protected) .xlsx, or an old .xls.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "open it in Excel and save it as an 'Excel Workbook (*.xlsx)'"
_MACRO_TYPES = (b"macroenabled", b"vbaproject")
_SHEET_XML = re.compile(r"xl/(work|dialog|macro)?sheets?/[^/]+\.xml", re.I)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,7})(\d{1,9})(?::([A-Z]{1,7})(\d{1,9}))?\"")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s/>]")


def _cells_in(block: bytes) -> int:
    """The cell tags (``<c r="A1">``, ``<c/>``, ``<x:c ...>``) in a piece of sheet XML."""
    n = block.count(b"<c ") + block.count(b"<c>") + block.count(b"<c/") + block.count(b"<c\n")
    if b":c" in block:
        n += len(_PREFIXED_CELL.findall(block))
    return n


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATIONSHIP_TAG = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb"([\w:]+)=\"([^\"]*)\"")
_CHUNK = 1024 * 1024


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML member -> the sheet's name, read from workbook.xml and its relationships (small files)."""
    try:
        book = archive.getinfo("xl/workbook.xml")
        rels = archive.getinfo("xl/_rels/workbook.xml.rels")
        if book.file_size > 4 * 1024 * 1024 or rels.file_size > 4 * 1024 * 1024:
            return {}
        targets = {}
        for tag in _RELATIONSHIP_TAG.findall(archive.read(rels)):
            attrs = dict(_ATTRIBUTE.findall(tag))
            targets[attrs.get(b"Id", b"")] = attrs.get(b"Target", b"")
        names = {}
        for tag in _SHEET_TAG.findall(archive.read(book)):
            attrs = {key.rsplit(b":", 1)[-1] if key.endswith(b":id") else key: value
                     for key, value in _ATTRIBUTE.findall(tag)}
            target = targets.get(attrs.get(b"id", b""), b"").decode("utf-8", "replace").lstrip("/")
            member = target if target.startswith("xl/") else f"xl/{target}"
            names[member] = html.unescape(attrs.get(b"name", b"").decode("utf-8", "replace"))
        return names
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError):
        return {}


def check_workbook(source: bytes | Path | str, *, name: str, limits: WorkbookLimits = DATASET_LIMITS) -> None:
    """Refuse (:class:`WorkbookRefused`) a workbook that is unsafe or too large to parse; else return."""
    data = source if isinstance(source, bytes) else None
    path = None if isinstance(source, bytes) else Path(source)
    if data is not None:
        head = data[:8]
    else:
        assert path is not None
        with path.open("rb") as handle:
            head = handle.read(8)
    if head.startswith(OLE_SIGNATURE):
        raise WorkbookRefused(f"{name} is password protected, or is an old-style .xls workbook.",
                              "Remove the password (File > Info > Protect Workbook > Encrypt with Password, clear "
                              "it) and save it as an 'Excel Workbook (*.xlsx)'.")
    if name.lower().endswith((".xlsm", ".xltm", ".xlam")):
        raise _macros(name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if data is not None else path)  # type: ignore[arg-type]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookRefused(f"{name} cannot be read as an Excel workbook: it is not an Excel workbook (.xlsx) at "
                              "all, perhaps a CSV or another file renamed .xlsx, or a damaged file.",
                              f"{_SAVE_AS[0].upper()}{_SAVE_AS[1:]}.") from None
    with archive:
        members = archive.infolist()
        unpacked = sum(i.file_size for i in members)
        if len(members) > limits.max_members or unpacked > limits.max_uncompressed:
            raise WorkbookRefused(
                f"{name} is too large when unpacked ({len(members)} parts, {unpacked // (1024 * 1024)} MB; a "
                f"{limits.what} may have at most {limits.max_members} parts and "
                f"{limits.max_uncompressed // (1024 * 1024)} MB).",
                "Check it is the right file; remove what it does not need (images, unused sheets) and save it again.")
        for info in members:
            if info.filename.lower().rsplit("/", 1)[-1] == "vbaproject.bin":
                raise _macros(name)
        try:
            types = archive.read("[Content_Types].xml") if archive.getinfo("[Content_Types].xml").file_size < (
                4 * 1024 * 1024) else b""
        except (KeyError, zipfile.BadZipFile, OSError, ValueError, RuntimeError):
            types = b""
        if any(t in types.lower() for t in _MACRO_TYPES):
            raise _macros(name)
        sheets = [i for i in members if _SHEET_XML.fullmatch(i.filename)]
        names = _sheet_names(archive)
        for info in sheets:
            _check_dimension(archive, info, names.get(info.filename, info.filename), name, limits)
        counted = 0
        for info in sheets:
            counted = _count_cells(archive, info, names.get(info.filename, info.filename), name, limits, counted)


def _macros(name: str) -> WorkbookRefused:
    return WorkbookRefused(f"{name} is a macro-enabled workbook; workbooks with macros are not accepted.",
                           "Save it as an 'Excel Workbook (*.xlsx)' (File > Save As), which leaves the macros out, "
                           "and use that file.")


def _too_many(sheet: str, name: str, cells: int, limits: WorkbookLimits, how: str) -> WorkbookRefused:
    return WorkbookRefused(
        f"{name}: the sheet '{sheet}' {how} {cells:,} cells, more than the {limits.max_cells:,} a {limits.what} "
        "may hold.",
        "Delete the rows and columns it does not need (select them, right-click > Delete, not just Clear) and "
        "save it again" + (", or use a dataset folder with CSV files for a dataset this large." if
                           limits is DATASET_LIMITS else "; or download a fresh workbook."))


def _check_dimension(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, name: str,
                     limits: WorkbookLimits) -> None:
    """Refuse by the sheet's declared size (``<dimension ref="A1:ALNQ1"/>``, near the start of its XML)."""
    try:
        with archive.open(info) as stream:
            head = stream.read(64 * 1024)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
        return  # damaged: the reader says so
    match = _DIMENSION.search(head)
    if match is None:
        return
    first_col, first_row = _column_number(match.group(1)), int(match.group(2))
    last_col = _column_number(match.group(3)) if match.group(3) else first_col
    last_row = int(match.group(4)) if match.group(4) else first_row
    cells = (abs(last_row - first_row) + 1) * (abs(last_col - first_col) + 1)
    if cells > limits.max_cells:
        raise _too_many(sheet, name, cells, limits, "is declared to span")


def _count_cells(archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: str, name: str, limits: WorkbookLimits,
                 counted: int) -> int:
    """Count the sheet's cells as its XML is unpacked, stopping as soon as the budget is passed."""
    tail = b""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                block = tail + chunk
                tail = block[-16:]  # a tag cut by the chunk's end is counted with the next chunk
                counted += _cells_in(block) - _cells_in(tail)
                if counted > limits.max_cells:
                    raise _too_many(sheet, name, counted, limits, "holds at least")
            counted += _cells_in(tail)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError):
        return counted  # damaged: the reader says so
    except ValueError as exc:
        if isinstance(exc, WorkbookRefused):
            raise
        return counted
    return counted
