"""Reading an upload back (:func:`read_workbook`): openpyxl, read-only, cached values only, no macros
run; a file that is not one of our workbooks is refused with :class:`NotAWorkbook`.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook

from outcomes_web import adapter
from outcomes_web.store import workflow
from outcomes_web.workspace.workbook.layout import (
    FIG,
    FIGURE_COLUMNS,
    FIGURE_INPUTS,
    FIGURES,
    FIRST_ROW,
    FORMAT,
    HEADER_ROW,
    LIMITS,
    MARKER,
    MAX_BYTES,
    MAX_ROWS,
    META,
    NARRATIVE,
    NARRATIVE_COLUMNS,
    NO,
    YES,
    NotAWorkbook,
)


@dataclass(frozen=True)
class CellProblem:
    """A problem in one cell (or a whole sheet, ``cell`` empty) of an uploaded workbook."""

    sheet: str
    cell: str
    message: str

    @property
    def where(self) -> str:
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class FigureRow:
    row: int
    submission_pk: int | None
    series_key: str
    fields: dict[str, str]  # period, value, numerator, denominator, status, note (and missing_reason)
    provisional_text: str = ""

    @property
    def given(self) -> bool:
        """A figure, or "nothing to report" with its reason (``missing_reason``)."""
        return any(self.fields.get(k) for k in ("value", "numerator", "denominator", "missing_reason"))


@dataclass
class NarrativeRow:
    row: int
    submission_pk: int | None
    indicator_key: str
    text: dict[str, str]


@dataclass
class ParsedWorkbook:
    filename: str
    period_label: str
    username: str
    generated: datetime.datetime | None
    versions: dict[int, int]
    figures: list[FigureRow] = field(default_factory=list)
    narrative: list[NarrativeRow] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)


def _text(value: object) -> str:
    """A cell's value as entry text: numbers exactly, text stripped of an added quote prefix."""
    if isinstance(value, str):  # an apostrophe added to stop a formula (ours, or the spreadsheet's) comes off
        return adapter.unescape_formula(value.strip())
    return adapter.cell_text(value, dates="iso", exact=True, true=YES, false=NO)


def _number_text(value: object, number_format: str | None) -> str:
    """A figure typed into a cell formatted as a percentage (45.2% is stored as 0.452) back as 45.2."""
    if isinstance(value, int | float) and not isinstance(value, bool) and number_format and "%" in number_format:
        return _text(round(float(value) * 100, 10))
    return _text(value)


def read_workbook(content: bytes, filename: str) -> ParsedWorkbook:
    """Read an uploaded workbook; :class:`NotAWorkbook` when it is not one of ours.

    Only cached values are read (``data_only``): formulas are not evaluated and macros never run.
    """
    name = filename or "the file"
    if not content:
        raise NotAWorkbook(f"{name} is empty: choose the workbook you downloaded and filled in.")
    if len(content) > MAX_BYTES:
        raise NotAWorkbook(f"{name} is larger than {MAX_BYTES // (1024 * 1024)} MB: it is not a returns workbook.")
    if not filename.lower().endswith((".xlsx", ".xlsm")):  # .xlsm: refused below, with the reason
        raise NotAWorkbook(f"{name} is not an Excel workbook (.xlsx): upload the returns workbook you downloaded "
                           "from the workspace, saved as .xlsx.")
    try:  # encryption, zip bombs, macros and the cell budget, before openpyxl parses anything
        adapter.check_workbook(content, name=name, limits=LIMITS)
    except adapter.WorkbookRefused as exc:
        raise NotAWorkbook(f"{exc.message} {exc.fix}") from None
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, ...) for a damaged file
        raise NotAWorkbook(f"{name} cannot be read as an Excel workbook ({exc.__class__.__name__}): save it as "
                           ".xlsx from Excel and upload it again.") from None
    try:
        return _read(wb, name)
    except NotAWorkbook:
        raise
    except Exception as exc:  # read-only sheets are parsed as they are read: a damaged cell fails here
        raise NotAWorkbook(f"{name} cannot be read as an Excel workbook ({exc.__class__.__name__}): save it as "
                           ".xlsx from Excel and upload it again.") from None
    finally:
        wb.close()


def _rows(ws: Any, columns: int) -> list[tuple[Any, ...]]:
    """The sheet's rows, up to :data:`MAX_ROWS` and ``columns`` wide (a huge sheet is not read whole)."""
    return [tuple(row) for row in ws.iter_rows(max_row=HEADER_ROW + MAX_ROWS, max_col=columns)]


def _read(wb: Any, name: str) -> ParsedWorkbook:
    if META not in wb.sheetnames:
        raise NotAWorkbook(f"{name} is not a returns workbook from the workspace (its hidden '{META}' sheet is "
                           "missing): download the workbook for the period, fill it in and upload that.")
    meta = [[c.value for c in row] for row in _rows(wb[META], 5)]
    if not meta or len(meta[0]) < 2 or meta[0][0] != MARKER:
        raise NotAWorkbook(f"{name} is not a returns workbook from the workspace: download the workbook for the "
                           "period, fill it in and upload that.")
    if str(meta[0][1]) != FORMAT:
        raise NotAWorkbook(f"{name} was made by another version of the workspace: download a new workbook.")
    facts = {str(r[0]): r[1] for r in meta[1:5] if r and len(r) > 1 and r[0]}
    generated = None
    with contextlib.suppress(ValueError):
        generated = datetime.datetime.fromisoformat(str(facts.get("generated")))
    versions: dict[int, int] = {}
    for r in meta[6:]:
        pk, version = (_pk(r[0]), _pk(r[1])) if r and len(r) > 1 else (None, None)
        if pk is not None and version is not None and isinstance(r[0], int | float) and isinstance(r[1], int | float):
            versions[pk] = version
    missing = [s for s in (FIGURES, NARRATIVE) if s not in wb.sheetnames]
    if missing:
        raise NotAWorkbook(f"{name} has no {' or '.join(repr(s) for s in missing)} sheet: it may have been renamed "
                           "or deleted. Download a new workbook.")
    parsed = ParsedWorkbook(filename=name, period_label=str(facts.get("period") or ""),
                            username=str(facts.get("user") or ""), generated=generated, versions=versions)
    _read_figures(wb[FIGURES], parsed)
    _read_narrative(wb[NARRATIVE], parsed)
    return parsed


def _check_headings(rows: list[tuple[Any, ...]], columns: list[tuple[str, str, int]], sheet: str, name: str) -> None:
    heads = [c.value for c in rows[HEADER_ROW - 1]] if len(rows) >= HEADER_ROW else []
    expected = [h for _, h, _ in columns]
    if [str(h or "").strip() for h in heads[:len(expected)]] != expected:
        raise NotAWorkbook(f"{name}: the columns of the {sheet} sheet have been changed (row {HEADER_ROW} should "
                           f"read {', '.join(expected)}). Download a new workbook and enter the figures again.")


def _pk(value: object) -> int | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None  # a crafted file can hold inf or nan, which no id is
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def _data_rows(ws: Any, columns: list[tuple[str, str, int]], sheet: str,
               name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """A sheet's data rows, once its headings are checked: (row number, cell by column key)."""
    rows = _rows(ws, len(columns))
    _check_headings(rows, columns, sheet, name)
    for number, cells in enumerate(rows[HEADER_ROW:], start=FIRST_ROW):
        yield number, {key: cells[i] if i < len(cells) else None for i, (key, _, _) in enumerate(columns)}


def _value(cell: Any) -> Any:
    return getattr(cell, "value", None)


def _read_figures(ws: Any, parsed: ParsedWorkbook) -> None:
    for number, cells in _data_rows(ws, FIGURE_COLUMNS, FIGURES, parsed.filename):
        key = _text(_value(cells["series"]))
        pk = _pk(_value(cells["submission"]))
        if not key and pk is None:
            if any(_text(_value(cells[k])) for k in FIGURE_INPUTS):
                parsed.problems.append(CellProblem(FIGURES, f"{FIG['value']}{number}",
                                                   "this row names no series: figures can only be entered in the "
                                                   "rows of the workbook as downloaded."))
            continue
        provisional = _text(_value(cells["provisional"]))
        status = "final"
        if provisional.lower() in ("yes", "y", "true", "provisional"):
            status = "provisional"
        elif provisional and provisional.lower() not in ("no", "n", "false", "final"):
            parsed.problems.append(CellProblem(FIGURES, f"{FIG['provisional']}{number}",
                                               f"'{provisional}' is not Yes or No. Choose Yes for a provisional "
                                               "figure, No (or leave it empty) for a final one."))
        fields = {
            "period": _text(_value(cells["period"])),
            "value": _number_text(_value(cells["value"]), getattr(cells["value"], "number_format", None)),
            "numerator": _text(_value(cells["numerator"])),
            "denominator": _text(_value(cells["denominator"])),
            "status": status,
            "note": _text(_value(cells["note"])),
        }
        reason = _nothing_to_report(cells, number, fields, parsed)
        if reason:
            fields["missing_reason"] = reason
        parsed.figures.append(FigureRow(number, pk, key, fields, provisional))


YES_WORDS = ("yes", "y", "true")


def _nothing_to_report(cells: dict[str, Any], number: int, fields: dict[str, str], parsed: ParsedWorkbook) -> str:
    """The reason of a row marked "Nothing to report", or '' (a problem is added when the mark is misused).

    As on the web form, "nothing to report" is a figure left empty with a reason: Yes with a reason is
    saved as such; Yes without a reason, Yes beside a figure, or a reason without Yes is refused.
    """
    mark = _text(_value(cells["nothing"]))
    reason = _text(_value(cells["reason"])).replace("\r\n", "\n").strip()
    nothing, why = f"{FIG['nothing']}{number}", f"{FIG['reason']}{number}"
    if mark and mark.lower() not in YES_WORDS and mark.lower() not in ("no", "n", "false"):
        parsed.problems.append(CellProblem(FIGURES, nothing, f"'{mark}' in 'Nothing to report' (column "
                                           f"{FIG['nothing']}, row {number}) is not Yes. Choose Yes when there is "
                                           "no figure to report this period, or leave the cell empty."))
        return ""
    if mark.lower() not in YES_WORDS:
        if reason:
            parsed.problems.append(CellProblem(FIGURES, why, f"'Reason' (column {FIG['reason']}, row {number}) is "
                                               f"filled in but 'Nothing to report' (column {FIG['nothing']}) is not "
                                               f"Yes. Choose Yes in {nothing} if there is nothing to report this "
                                               "period, or clear the reason."))
        return ""
    figures = [f"'{heading}' ({FIG[k]}{number})" for k, heading in
               (("value", "Value"), ("numerator", "Numerator"), ("denominator", "Denominator")) if fields.get(k)]
    if figures:
        parsed.problems.append(CellProblem(FIGURES, nothing, f"'Nothing to report' (column {FIG['nothing']}, row "
                                           f"{number}) is Yes but the row also has a figure in "
                                           f"{' and '.join(figures)}. Clear the figure if there is nothing to "
                                           f"report, or clear {nothing} to save the figure."))
        return ""
    if not reason:
        parsed.problems.append(CellProblem(FIGURES, why, f"'Nothing to report' (column {FIG['nothing']}, row "
                                           f"{number}) is Yes but 'Reason' (column {FIG['reason']}) is empty. Write "
                                           f"in {why} why there is no figure this period (for example: not yet "
                                           "published by the DfE)."))
        return ""
    return reason


def _read_narrative(ws: Any, parsed: ParsedWorkbook) -> None:
    for number, cells in _data_rows(ws, NARRATIVE_COLUMNS, NARRATIVE, parsed.filename):
        pk = _pk(_value(cells["submission"]))
        key = _text(_value(cells["indicator_key"]))
        if pk is None and not key:
            continue
        text = {k: _text(_value(cells[k])).replace("\r\n", "\n") for k in workflow.NARRATIVE_FIELDS}
        parsed.narrative.append(NarrativeRow(number, pk, key, text))
