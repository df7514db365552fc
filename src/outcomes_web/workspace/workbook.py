"""The data-collection workbook: one Excel file per lead officer and period, out and back in.

:func:`build_workbook` draws the workbook a user may fill in for a reporting period:

* **Instructions**: what to do, in words;
* **Figures**: one row per series the user may enter (``access.editable_series``) in the returns
  they may change (``access.submissions_for`` + ``access.can_edit_submission``), with locked
  context (outcome, indicator, measure, series, unit, the last three figures, the period due) and
  unlocked, shaded input cells (value, numerator, denominator, provisional Yes/No, note);
* **Narrative**: one row per indicator the user leads, prefilled with the current narrative;
* a very hidden sheet (:data:`META`) and hidden columns carrying each return's id and the
  version it was at, so an upload knows what the officer saw.

Sheets and locked cells are protected (no password: protection stops slips, not people; every
upload is checked again). Text written from data is neutralised against formula injection.

:func:`read_workbook` reads an upload back (openpyxl, read-only, cached values only, no macros run);
:func:`check_workbook` checks every figure with the import's rules (``workflow.check_return``) and
the user's access, and lists each change before → after; :func:`commit_workbook` writes every
return with ``workflow.save_return`` in one transaction: all or nothing, refused when a return
changed since the workbook was downloaded.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import router, transaction
from django.db.models import F
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from outcomes_web import adapter, presentation
from outcomes_web.store import access, workflow
from outcomes_web.store import models as m
from outcomes_web.store.concurrency import Conflict

MARKER = "outcomes-tracker data-collection workbook"
FORMAT = "1"
INSTRUCTIONS = "Instructions"
FIGURES = "Figures"
NARRATIVE = "Narrative"
META = "Workbook data"
MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 64 * 1024 * 1024  # unpacked: a zip bomb is refused before openpyxl inflates it
MAX_MEMBERS = 1000
MAX_CELLS = 200_000  # all sheets together: 5,000 rows of figures and narrative fit with room to spare
LIMITS = adapter.WorkbookLimits(max_uncompressed=MAX_UNCOMPRESSED, max_members=MAX_MEMBERS, max_cells=MAX_CELLS,
                                what="returns workbook")
MAX_ROWS = 5000  # rows read from a sheet: far more than any officer's returns
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

HEADER_ROW = 3  # column headings; data from the next row
FIRST_ROW = HEADER_ROW + 1

# (key, heading, width); the letter of each column is its place (A, B, ...).
FIGURE_COLUMNS: list[tuple[str, str, int]] = [
    ("outcome", "Outcome", 14), ("indicator", "Population indicator", 30), ("measure", "Performance measure", 30),
    ("series", "Series key", 22), ("title", "Series", 40), ("unit", "Unit", 14),
    ("period1", "Earlier period", 13), ("value1", "Figure", 10),
    ("period2", "Earlier period", 13), ("value2", "Figure", 10),
    ("period3", "Latest period", 13), ("value3", "Figure", 10),
    ("period", "Period due", 16), ("value", "Value", 12), ("numerator", "Numerator", 12),
    ("denominator", "Denominator", 12), ("provisional", "Provisional?", 12), ("note", "Note", 40),
    ("submission", "Return id (do not change)", 8),
]
FIG = {key: get_column_letter(i + 1) for i, (key, _, _) in enumerate(FIGURE_COLUMNS)}
FIGURE_INPUTS = ("value", "numerator", "denominator", "provisional", "note")
#: The column a library problem about ``field`` points at.
FIELD_COLUMN = {"period": FIG["period"], "value": FIG["value"], "numerator": FIG["numerator"],
                "denominator": FIG["denominator"], "status": FIG["provisional"], "note": FIG["note"],
                "series": FIG["series"], "area": FIG["series"]}

NARRATIVE_LABELS = {"story": "The story behind the baseline", "partners": "Partners",
                    "actions": "What we are doing", "data_notes": "Notes on the data"}
NARRATIVE_COLUMNS: list[tuple[str, str, int]] = [
    ("outcome", "Outcome", 14), ("indicator_key", "Indicator key", 22), ("indicator", "Population indicator", 34),
    *[(k, NARRATIVE_LABELS[k], 50) for k in workflow.NARRATIVE_FIELDS],
    ("submission", "Return id (do not change)", 8),
]
NAR = {key: get_column_letter(i + 1) for i, (key, _, _) in enumerate(NARRATIVE_COLUMNS)}

YES, NO = "Yes", "No"
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # pale yellow: type here
HEAD_FILL = PatternFill("solid", fgColor="D9D9D9")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


# ========================================================================================== errors
class NotAWorkbook(Exception):
    """The upload is not one of our workbooks (wrong type, damaged, a sheet missing); says which file."""


class NothingToCollect(Exception):
    """The user has no return they may change in the period."""


class WorkbookRefused(Exception):
    """A commit was refused; ``problems`` say why (nothing was written)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


# ========================================================================================= drawing
@dataclass
class _Return:
    submission: m.Submission
    outcome: str
    indicator: m.Indicator
    series: list[m.Series]
    narrative: bool  # the user leads the indicator (or manages): a Narrative row


def returns_for(user: Any, rp: m.ReportingPeriod) -> list[m.Submission]:
    """The returns of ``rp`` that ``user`` may change: their own (a lead), every open one (the team)."""
    subs = (access.submissions_for(user)
            .filter(snapshot__reporting_period=rp, snapshot__published=False, snapshot__archived_on__isnull=True)
            .select_related("snapshot__reporting_period", "snapshot__outcome")
            .order_by("snapshot__position", "id"))
    return [s for s in subs if access.can_edit_submission(user, s)]


def _series_of(sub: m.Submission) -> list[m.Series]:
    rows = (m.Series.objects.filter(snapshot=sub.snapshot, indicator__key=sub.indicator_key,
                                    indicator__archived_on__isnull=True)
            .select_related("measure", "indicator").order_by("measure__position", "position", "id"))
    ordered = [s for s in rows if s.measure is None] + [s for s in rows if s.measure is not None]
    return [s for s in ordered if s.measure is None or s.measure.archived_on is None]


def _returns(user: Any, rp: m.ReportingPeriod) -> list[_Return]:
    out = []
    subs = returns_for(user, rp)
    indicators = {(i.snapshot_id, i.key): i for i in m.Indicator.objects.filter(
        snapshot__in={sub.snapshot_id for sub in subs}, key__in={sub.indicator_key for sub in subs})}
    for sub in subs:
        indicator = indicators.get((sub.snapshot_id, sub.indicator_key))
        if indicator is None:
            continue
        allowed = access.editable_series(user, sub)
        series = [s for s in _series_of(sub) if allowed is None or s.key in allowed]
        narrative = access.signs_off(user, sub)
        if series or narrative:
            outcome = getattr(sub.snapshot, "outcome", None)
            out.append(_Return(sub, outcome.title if outcome else sub.snapshot.outcome_key, indicator, series,
                               narrative))
    return out


def _put(ws: Worksheet, ref: str, value: object, *, unlocked: bool = False, wrap: bool = False) -> Cell:
    cell = ws[ref]
    if unlocked and isinstance(value, str) and value.startswith(adapter.FORMULA_START):
        # An input cell prefilled with text the officer wrote: keep it exact (it comes back on
        # upload) and show it as text with Excel's quote prefix, so it is never run as a formula.
        cell.value = value
        cell.data_type = "s"
        cell.quotePrefix = True
    else:
        cell.value = adapter.neutralise_cell(value)  # text that could run as a formula gets an apostrophe
        if isinstance(cell.value, str):
            cell.data_type = "s"
    if unlocked:
        cell.protection = Protection(locked=False)
        cell.fill = INPUT_FILL
    if wrap:
        cell.alignment = WRAP
    return cell


def _headings(ws: Worksheet, columns: list[tuple[str, str, int]], title: str, hint: str) -> None:
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = hint
    for i, (_, heading, width) in enumerate(columns, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=heading)
        cell.font = BOLD
        cell.fill = HEAD_FILL
        cell.alignment = WRAP
        ws.column_dimensions[get_column_letter(i)].width = width


def _protect(ws: Worksheet) -> None:
    """Locked cells cannot be changed; columns and rows can still be resized, cells still selected."""
    p = ws.protection
    p.sheet = True
    p.formatColumns = False
    p.formatRows = False
    p.selectLockedCells = False
    p.selectUnlockedCells = False


def build_workbook(user: Any, rp: m.ReportingPeriod, *, now: datetime.datetime | None = None) -> bytes:
    """The workbook ``user`` fills in for ``rp``, as .xlsx bytes (:class:`NothingToCollect` if none)."""
    returns = _returns(user, rp)
    if not returns:
        raise NothingToCollect(f"You have no returns to enter for {rp.label}.")
    now = now or timezone.now()
    wb = Workbook()
    _instructions(wb.active, user, rp, now)
    _figures(wb.create_sheet(FIGURES), returns, rp)
    _narrative(wb.create_sheet(NARRATIVE), [r for r in returns if r.narrative], rp)
    _meta(wb.create_sheet(META), user, rp, now, returns)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.active = 1
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _instructions(ws: Worksheet, user: Any, rp: m.ReportingPeriod, now: datetime.datetime) -> None:
    ws.title = INSTRUCTIONS
    ws.column_dimensions["A"].width = 110
    deadline = f" The deadline is {rp.deadline:%d %B %Y}." if rp.deadline else ""
    lines = [
        (f"Returns for {rp.label}", Font(bold=True, size=16)),
        (f"Drawn for {user.get_username()} on {timezone.localtime(now):%d %B %Y at %H:%M}.{deadline}", None),
        ("", None),
        ("How to fill in this workbook", Font(bold=True, size=13)),
        ("1. On the Figures sheet, each row is a series you enter. Type in the shaded cells only: the value "
         "(a plain number: 45.2 for 45.2%, no units), and the numerator and denominator when the series has them.", None),
        ("2. Choose Yes in 'Provisional?' when the figure will be revised later; leave it empty or No for a final "
         "figure.", None),
        ("3. Add a note when a figure needs explaining (a large change, a repeated value, a zero). The upload tells you "
         "when a note is needed.", None),
        ("4. Leave a row's value empty to leave that series unchanged. The period due is filled in for you.", None),
        ("5. On the Narrative sheet, write or update the text for each indicator you lead (Markdown: '- ' starts a "
         "list item).", None),
        ("6. Save the file as .xlsx and upload it in the workspace (Workbook → Upload). You will see every change, "
         "before and after, and any problem with the cell it is in, before anything is saved.", None),
        ("", None),
        ("Good to know", Font(bold=True, size=13)),
        ("Nothing is saved until you confirm the preview, and then all of it is saved or none of it.", None),
        ("If someone changes one of these returns after you download this workbook, the upload is refused so that "
         "their change is not lost: download a new workbook and enter your figures again.", None),
        ("Do not add, remove, rename or reorder sheets, rows or columns; the grey columns and cells are locked.", None),
    ]
    for i, (text, font) in enumerate(lines, start=1):
        cell = ws.cell(row=i, column=1, value=text)
        cell.alignment = WRAP
        if font is not None:
            cell.font = font
    _protect(ws)


def _figures(ws: Worksheet, returns: list[_Return], rp: m.ReportingPeriod) -> None:
    _headings(ws, FIGURE_COLUMNS, f"Figures for {rp.label}",
              "Type in the shaded cells only. Values are plain numbers (45.2 for 45.2%).")
    dv = DataValidation(type="list", formula1=f'"{YES},{NO}"', allow_blank=True, showDropDown=False,
                        showErrorMessage=True, errorTitle="Provisional?", error="Choose Yes or No.",
                        promptTitle="Provisional?", prompt="Yes if the figure will be revised later.",
                        showInputMessage=True)
    ws.add_data_validation(dv)
    row = FIRST_ROW
    for ret in returns:
        if not ret.series:
            continue
        by_key = adapter.series_by_key(ret.submission.snapshot)
        for srow in ret.series:
            series = by_key.get(srow.key)
            if series is None:
                continue
            last: list[Any] = list(series.observations[-3:])
            recent: list[Any] = [None] * (3 - len(last)) + last
            offered = adapter.default_entry_period(ret.submission.snapshot, series)
            period = str(offered) if offered is not None else ""
            values: dict[str, object] = {
                "outcome": ret.outcome, "indicator": ret.indicator.numbered_title,
                "measure": srow.measure.title if srow.measure else "", "series": srow.key, "title": srow.title,
                "unit": series.unit.describe(), "period": period, "submission": ret.submission.pk,
            }
            for i, obs in enumerate(recent, start=1):
                values[f"period{i}"] = str(obs.period) if obs is not None else ""
                values[f"value{i}"] = (presentation.value_text(series, obs.value)
                                       + (" (provisional)" if obs.is_provisional else "")) if obs is not None else ""
            for key, _, _ in FIGURE_COLUMNS:
                ref = f"{FIG[key]}{row}"
                if key in FIGURE_INPUTS:
                    cell = _put(ws, ref, None, unlocked=True, wrap=key == "note")
                    if key == "note":
                        cell.number_format = "@"
                else:
                    _put(ws, ref, values.get(key, ""), wrap=key in ("indicator", "measure", "title"))
            dv.add(f"{FIG['provisional']}{row}")
            row += 1
    if row == FIRST_ROW:
        ws.cell(row=FIRST_ROW, column=1, value="There are no figures for you to enter in this period.")
    ws.column_dimensions[FIG["submission"]].hidden = True
    ws.freeze_panes = f"{FIG['period1']}{FIRST_ROW}"
    _protect(ws)


def _narrative(ws: Worksheet, returns: list[_Return], rp: m.ReportingPeriod) -> None:
    _headings(ws, NARRATIVE_COLUMNS, f"Narrative for {rp.label}",
              "Write in the shaded cells. Leave text as it is to keep it; clear a cell to remove its text.")
    row = FIRST_ROW
    for ret in returns:
        text = workflow.current_narrative(ret.submission)
        values: dict[str, object] = {"outcome": ret.outcome, "indicator_key": ret.indicator.key,
                                     "indicator": ret.indicator.numbered_title,
                                     "submission": ret.submission.pk}
        for key, _, _ in NARRATIVE_COLUMNS:
            ref = f"{NAR[key]}{row}"
            if key in workflow.NARRATIVE_FIELDS:
                cell = _put(ws, ref, text.get(key) or None, unlocked=True, wrap=True)
                cell.number_format = "@"
            else:
                _put(ws, ref, values.get(key, ""), wrap=key == "indicator")
        ws.row_dimensions[row].height = 90
        row += 1
    if row == FIRST_ROW:
        ws.cell(row=FIRST_ROW, column=1, value="You do not lead a population indicator: there is no narrative "
                                                "for you to write.")
    ws.column_dimensions[NAR["submission"]].hidden = True
    ws.freeze_panes = f"{NAR['story']}{FIRST_ROW}"
    _protect(ws)


def _meta(ws: Worksheet, user: Any, rp: m.ReportingPeriod, now: datetime.datetime, returns: list[_Return]) -> None:
    ws.sheet_state = "veryHidden"
    ws.append([MARKER, FORMAT])
    ws.append(["period", rp.label])
    ws.append(["user", user.get_username()])
    ws.append(["generated", now.isoformat()])
    ws.append([])
    ws.append(["submission", "version", "snapshot", "outcome", "indicator"])
    for ret in returns:
        sub = ret.submission
        ws.append([sub.pk, sub.version, sub.snapshot_id, sub.snapshot.outcome_key, sub.indicator_key])
    _protect(ws)


# ========================================================================================= reading
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
    fields: dict[str, str]  # period, value, numerator, denominator, status, note
    provisional_text: str = ""

    @property
    def given(self) -> bool:
        return any(self.fields.get(k) for k in ("value", "numerator", "denominator"))


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
        parsed.figures.append(FigureRow(number, pk, key, fields, provisional))


def _read_narrative(ws: Any, parsed: ParsedWorkbook) -> None:
    for number, cells in _data_rows(ws, NARRATIVE_COLUMNS, NARRATIVE, parsed.filename):
        pk = _pk(_value(cells["submission"]))
        key = _text(_value(cells["indicator_key"]))
        if pk is None and not key:
            continue
        text = {k: _text(_value(cells[k])).replace("\r\n", "\n") for k in workflow.NARRATIVE_FIELDS}
        parsed.narrative.append(NarrativeRow(number, pk, key, text))


# ======================================================================================== checking
@dataclass
class FigureChange:
    cell: str
    outcome: str
    indicator: str
    series_key: str
    series_title: str
    period: str
    before: str
    after: str
    before_note: str
    note: str
    warnings: list[str]
    needs_note: bool
    new: bool


@dataclass
class NarrativeChange:
    cell: str
    indicator_key: str
    indicator: str
    label: str
    before: str
    after: str


@dataclass
class Plan:
    """What committing writes to one return."""

    submission: m.Submission
    seen_version: int
    entries: dict[str, dict[str, str]] = field(default_factory=dict)
    locations: dict[str, str] = field(default_factory=dict)
    narrative: dict[str, str] | None = None
    changes: int = 0


@dataclass
class Preview:
    parsed: ParsedWorkbook
    period: m.ReportingPeriod | None
    problems: list[CellProblem] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    narrative: list[NarrativeChange] = field(default_factory=list)
    unchanged: int = 0
    notices: list[CellProblem] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def changes(self) -> int:
        return len(self.figures) + len(self.narrative)

    def grouped_problems(self) -> list[tuple[str, list[CellProblem]]]:
        """Problems by sheet (workbook-wide first, then Figures, Narrative), each in cell order."""
        order = {"": 0, "Workbook": 0, FIGURES: 1, NARRATIVE: 2}

        def cell_key(p: CellProblem) -> tuple[int, str]:
            digits = "".join(ch for ch in p.cell if ch.isdigit())
            letters = "".join(ch for ch in p.cell if ch.isalpha())
            return (int(digits) if digits else 0, letters.rjust(3))

        sheets: dict[str, list[CellProblem]] = {}
        for p in self.problems:
            sheets.setdefault(p.sheet, []).append(p)
        return [(s, sorted(ps, key=cell_key)) for s, ps in sorted(sheets.items(), key=lambda kv: order.get(kv[0], 3))]


def _number(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def _obs_text(series: Any, value: float | None, numerator: float | None, denominator: float | None,
              status: str) -> str:
    text = presentation.value_text(series, value) if value is not None else "(no value)"
    if numerator is not None or denominator is not None:
        text += f" ({_number(numerator) or '–'} / {_number(denominator) or '–'})"
    if status == "provisional":
        text += " provisional"
    return text


def _version_conflict(sub: m.Submission, seen: int, since: datetime.datetime | None) -> str:
    """Who changed a return after the workbook was drawn, and what they changed."""
    fresh = m.Submission.objects.select_related("modified_by").get(pk=sub.pk)
    keys = [sub.indicator_key, *m.Series.objects.filter(snapshot_id=sub.snapshot_id, indicator__key=sub.indicator_key)
            .values_list("key", flat=True)]
    events = m.AuditEvent.objects.filter(snapshot_id=sub.snapshot_id, item_key__in=keys)
    if since is not None:
        events = events.filter(at__gte=since)
    what = "; ".join(f"{e.summary or e.action} ({e.item_key}, by {e.username or 'the system'})"
                     for e in list(events.order_by("at", "id"))[:10])
    who = fresh.modified_by.get_username() if fresh.modified_by else "someone"
    when = timezone.localtime(fresh.modified_on).strftime("%d %B %Y at %H:%M")
    return (f"the return for {sub.indicator_key} was changed by {who} on {when}, after this workbook was "
            f"downloaded (version {seen}, now {fresh.version})" + (f": {what}" if what else "")
            + ". Nothing was saved: download a new workbook, which has their changes, and enter yours again.")


def check_workbook(user: Any, parsed: ParsedWorkbook, seen_versions: dict[int, int] | None = None) -> Preview:
    """Check an uploaded workbook for ``user``: every problem with its cell, and every change."""
    preview = Preview(parsed, m.ReportingPeriod.objects.filter(label=parsed.period_label).first())
    problems = preview.problems
    problems.extend(parsed.problems)
    if preview.period is None:
        problems.append(CellProblem("Workbook", "", f"{parsed.filename} is for '{parsed.period_label}', which is not "
                                    "a reporting period here: download the workbook for an open period."))
        return preview
    seen = dict(parsed.versions if seen_versions is None else seen_versions)
    subs: dict[int, m.Submission] = {}
    snapshots: dict[int, m.Snapshot] = {}

    def submission(pk: int | None) -> m.Submission | None:
        if pk is None:
            return None
        if pk not in subs:
            sub = (m.Submission.objects.select_related("snapshot__reporting_period", "snapshot__outcome")
                   .filter(pk=pk, snapshot__reporting_period=preview.period).first())
            if sub is None:
                return None
            # One instance per snapshot, so a save's new content hash is seen by the next check.
            sub.snapshot = snapshots.setdefault(sub.snapshot_id, sub.snapshot)
            subs[pk] = sub
        return subs[pk]

    plans: dict[int, Plan] = {}
    return_keys: dict[int, tuple[set[str], set[str] | None]] = {}

    def return_series(sub: m.Submission) -> tuple[set[str], set[str] | None]:
        """The return's series keys, and those ``user`` may enter (None: all), read once per return."""
        if sub.pk not in return_keys:
            return_keys[sub.pk] = (set(m.Series.objects.filter(snapshot=sub.snapshot, indicator__key=sub.indicator_key)
                                     .values_list("key", flat=True)), access.editable_series(user, sub))
        return return_keys[sub.pk]

    def plan(sub: m.Submission) -> Plan:
        if sub.pk not in plans:
            plans[sub.pk] = Plan(sub, seen.get(sub.pk, -1))
        return plans[sub.pk]

    rows_by_key: dict[tuple[int, str], FigureRow] = {}
    for fr in parsed.figures:
        where = f"{FIG['series']}{fr.row}"
        if not fr.given:
            if fr.fields.get("note") or fr.provisional_text.lower() in ("yes", "y"):
                preview.notices.append(CellProblem(FIGURES, f"{FIG['value']}{fr.row}",
                                                   f"no value for {fr.series_key}, so its note and provisional "
                                                   "mark are ignored."))
            continue
        sub = submission(fr.submission_pk)
        if sub is None or sub.snapshot.published or sub.snapshot.is_archived:
            problems.append(CellProblem(FIGURES, where, f"the row for '{fr.series_key}' does not belong to a return "
                                        f"open for {parsed.period_label}: download a new workbook."))
            continue
        if not access.can_edit_submission(user, sub):
            problems.append(CellProblem(FIGURES, where, f"you cannot change the return for {sub.indicator_key} "
                                        f"({fr.series_key}): it is not assigned to you, or it is with the "
                                        "performance team."))
            continue
        own, allowed = return_series(sub)
        if fr.series_key not in own:
            problems.append(CellProblem(FIGURES, where, f"'{fr.series_key}' is not a series of the return for "
                                        f"{sub.indicator_key}: download a new workbook."))
            continue
        if allowed is not None and fr.series_key not in allowed:
            problems.append(CellProblem(FIGURES, where, f"you are not the lead officer of {fr.series_key}, so you "
                                        "cannot enter its figures."))
            continue
        if (sub.pk, fr.series_key) in rows_by_key:
            first = rows_by_key[(sub.pk, fr.series_key)]
            problems.append(CellProblem(FIGURES, where, f"{fr.series_key} is already entered in row {first.row}: "
                                        "enter each series once."))
            continue
        rows_by_key[(sub.pk, fr.series_key)] = fr
        p = plan(sub)
        p.entries[fr.series_key] = fr.fields
        p.locations[fr.series_key] = f"{FIG['value']}{fr.row}"

    for p in list(plans.values()):
        _check_figures(p, parsed, rows_by_key, preview)

    for nr in parsed.narrative:
        _check_narrative(user, nr, submission, plan, preview)

    preview.plans = [p for p in plans.values() if p.changes]
    for p in preview.plans:
        sub = p.submission
        if p.submission.pk not in seen:
            problems.append(CellProblem("Workbook", "", f"the workbook does not say which version of the return for "
                                        f"{sub.indicator_key} it was drawn from: download a new workbook."))
        elif sub.version != p.seen_version:
            problems.append(CellProblem("Workbook", "", _version_conflict(sub, p.seen_version, parsed.generated)))
    return preview


def _check_figures(p: Plan, parsed: ParsedWorkbook, rows_by_key: dict[tuple[int, str], FigureRow],
                   preview: Preview) -> None:
    sub = p.submission
    result, checked = workflow.check_return(sub, p.entries, file=f"{parsed.filename} {FIGURES}",
                                            locations=p.locations)
    by_key = adapter.series_by_key(sub.snapshot)
    series_rows = {s.key: s for s in m.Series.objects.filter(snapshot=sub.snapshot, key__in=list(checked))
                   .select_related("indicator")}
    for key in p.entries:
        row = rows_by_key[(sub.pk, key)].row
        for problem in result.errors.get(key, []):
            column = FIELD_COLUMN.get(problem.field, FIG["value"])
            preview.problems.append(CellProblem(FIGURES, f"{column}{row}",
                                                _sentences(problem.message, problem.fix)))
        if key in result.errors:
            continue
        warnings = [w.message for w in result.warnings.get(key, [])]
        if key in result.needs_note:
            preview.problems.append(CellProblem(FIGURES, f"{FIG['note']}{row}",
                                                f"{_title(series_rows, key)}: {warnings[0]} Add a note in "
                                                f"{FIG['note']}{row} explaining "
                                                "the figure to save it."))
        if key not in checked:  # check_return leaves out a figure sent back as it is stored
            preview.unchanged += 1
            continue
        obs = checked[key].observation
        series = by_key[key]
        fields = adapter.observation_fields(obs)
        before = workflow.home_observation(sub.snapshot, key, obs.period)
        p.changes += 1
        srow = series_rows[key]
        preview.figures.append(FigureChange(
            cell=f"{FIG['value']}{row}", outcome=sub.snapshot.outcome_key,
            indicator=srow.indicator.numbered_title, series_key=key,
            series_title=srow.title, period=fields["period_label"],
            before="(none)" if before is None else _obs_text(series, before.value, before.numerator,
                                                             before.denominator, before.status),
            after=_obs_text(series, obs.value, obs.numerator, obs.denominator, obs.status),
            before_note=before.note if before is not None else "", note=obs.note, warnings=warnings,
            needs_note=key in result.needs_note, new=before is None,
        ))


def _check_narrative(user: Any, nr: NarrativeRow, submission: Any, plan: Any, preview: Preview) -> None:
    sub = submission(nr.submission_pk)
    where = f"{NAR['indicator_key']}{nr.row}"
    if sub is None or sub.indicator_key != nr.indicator_key:
        preview.problems.append(CellProblem(NARRATIVE, where, f"the row for '{nr.indicator_key}' does not belong to "
                                            f"a return open for {preview.parsed.period_label}: download a new "
                                            "workbook."))
        return
    current = workflow.current_narrative(sub)
    new = {k: (nr.text.get(k) or "").strip() for k in workflow.NARRATIVE_FIELDS}
    changed = [k for k in workflow.NARRATIVE_FIELDS if new[k] != workflow._clean(current.get(k))]
    if not changed:
        return
    if sub.snapshot.published or sub.snapshot.is_archived or not access.can_edit_submission(user, sub) \
            or not access.signs_off(user, sub):
        preview.problems.append(CellProblem(NARRATIVE, where, f"you cannot change the narrative of "
                                            f"{sub.indicator_key}: it is not assigned to you, or the return is "
                                            "with the performance team."))
        return
    p = plan(sub)
    if p.narrative is not None:
        preview.problems.append(CellProblem(NARRATIVE, where, f"the narrative of {sub.indicator_key} is given "
                                            "twice: write it in one row."))
        return
    p.narrative = new
    indicator = m.Indicator.objects.filter(snapshot=sub.snapshot, key=sub.indicator_key).first()
    title = indicator.numbered_title if indicator else sub.indicator_key
    for k in changed:
        p.changes += 1
        preview.narrative.append(NarrativeChange(f"{NAR[k]}{nr.row}", sub.indicator_key, title,
                                                 NARRATIVE_LABELS[k], current.get(k) or "", new[k]))


# ====================================================================================== committing
def seen_versions_json(parsed: ParsedWorkbook) -> dict[str, Any]:
    """What :class:`~outcomes_web.store.models.PendingUpload` keeps of the versions the workbook saw."""
    return {"submission_versions": {str(k): v for k, v in parsed.versions.items()},
            "generated": parsed.generated.isoformat() if parsed.generated else ""}


def stored_versions(upload: m.PendingUpload) -> dict[int, int]:
    raw = (upload.seen_versions or {}).get("submission_versions") or {}
    return {int(k): int(v) for k, v in raw.items()}


PARSED_FORMAT = 1


def parsed_to_json(parsed: ParsedWorkbook) -> dict[str, Any]:
    """What :class:`~outcomes_web.store.models.PendingUpload` keeps of the workbook as read (``parsed``)."""
    return {
        "format": PARSED_FORMAT, "filename": parsed.filename, "period_label": parsed.period_label,
        "username": parsed.username, "generated": parsed.generated.isoformat() if parsed.generated else "",
        "versions": {str(k): v for k, v in parsed.versions.items()},
        "figures": [[f.row, f.submission_pk, f.series_key, f.fields, f.provisional_text] for f in parsed.figures],
        "narrative": [[n.row, n.submission_pk, n.indicator_key, n.text] for n in parsed.narrative],
        "problems": [[p.sheet, p.cell, p.message] for p in parsed.problems],
    }


def parsed_from_json(data: dict[str, Any]) -> ParsedWorkbook | None:
    """The workbook as read on upload, or None when the upload has none kept (or another format)."""
    if not data or data.get("format") != PARSED_FORMAT:
        return None
    generated = None
    with contextlib.suppress(ValueError):
        generated = datetime.datetime.fromisoformat(data["generated"]) if data["generated"] else None
    return ParsedWorkbook(
        filename=data["filename"], period_label=data["period_label"], username=data["username"],
        generated=generated, versions={int(k): int(v) for k, v in data["versions"].items()},
        figures=[FigureRow(row, pk, key, dict(fields), provisional) for row, pk, key, fields, provisional
                 in data["figures"]],
        narrative=[NarrativeRow(row, pk, key, dict(text)) for row, pk, key, text in data["narrative"]],
        problems=[CellProblem(sheet, cell, message) for sheet, cell, message in data["problems"]],
    )


def parsed_upload(upload: m.PendingUpload) -> ParsedWorkbook:
    """The upload's workbook as read when it was uploaded; read (once) and kept if it was not."""
    parsed = parsed_from_json(upload.parsed)
    if parsed is None:
        parsed = read_workbook(bytes(upload.content), upload.filename)
        upload.parsed = parsed_to_json(parsed)
        m.PendingUpload.objects.filter(pk=upload.pk).update(parsed=upload.parsed)
    return parsed


def preview_upload(user: Any, upload: m.PendingUpload) -> Preview:
    return check_workbook(user, parsed_upload(upload), stored_versions(upload))


def commit_workbook(user: Any, upload: m.PendingUpload) -> int:
    """Write every change of a previewed upload, all or nothing; the number of changes written.

    :class:`WorkbookRefused` (nothing written) when a cell has a problem, a return changed since the
    workbook was downloaded, or the upload was already committed or discarded.
    """
    if upload.user_id != getattr(user, "pk", None):
        raise WorkbookRefused(["Only the person who uploaded a workbook can commit it."])
    try:
        preview = preview_upload(user, upload)
    except NotAWorkbook as exc:
        raise WorkbookRefused([str(exc)]) from None
    if not preview.ok:
        raise WorkbookRefused([str(p) for p in preview.problems])
    written = 0
    with transaction.atomic(using=router.db_for_write(m.PendingUpload)):  # the store's database
        done = m.PendingUpload.objects.filter(pk=upload.pk, status=m.PendingUpload.Status.PREVIEW).update(
            status=m.PendingUpload.Status.COMMITTED, modified_by=user, modified_on=timezone.now(),
            version=F("version") + 1)
        if not done:
            raise WorkbookRefused(["This upload has already been committed or discarded."])
        for p in preview.plans:
            try:
                result = workflow.save_return(user, p.submission, p.seen_version, p.entries, p.narrative,
                                              file=f"{upload.filename} {FIGURES}", locations=p.locations,
                                              action="workbook-upload")
            except Conflict:
                raise WorkbookRefused([_version_conflict(p.submission, p.seen_version,
                                                         preview.parsed.generated)]) from None
            except workflow.WorkflowError as exc:
                raise WorkbookRefused([f"{p.submission.indicator_key}: {exc}"]) from None
            if not result.saved:
                raise WorkbookRefused([f"{p.submission.indicator_key}: the figures were refused on saving; "
                                       "upload the workbook again to see why."])
            written += result.changes
    upload.refresh_from_db()
    return written


def discard_upload(user: Any, upload: m.PendingUpload) -> bool:
    return bool(m.PendingUpload.objects.filter(pk=upload.pk, user=user, status=m.PendingUpload.Status.PREVIEW)
                .update(status=m.PendingUpload.Status.DISCARDED, modified_by=user, modified_on=timezone.now(),
                        version=F("version") + 1))


def filename_for(user: Any, rp: m.ReportingPeriod) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"returns-{rp.label}-{user.get_username()}")
    return "-".join(part for part in slug.split("-") if part) + ".xlsx"


def _sentences(*parts: str) -> str:
    """Message parts as sentences, each starting with a capital letter ("120% is outside 0–100. Write ...")."""
    return " ".join(p.strip()[:1].upper() + p.strip()[1:] for p in parts if p and p.strip())


def _title(series_rows: dict[str, Any], key: str) -> str:
    """A series' title for a message ("Children in need rate per 10,000"), else its key."""
    row = series_rows.get(key)
    return row.title if row is not None else key
