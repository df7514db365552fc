"""Drawing the workbook a user fills in for a reporting period (:func:`build_workbook`).

Instructions, Figures (one row per series the user may enter, locked context beside shaded input
cells), Narrative (one row per indicator the user leads) and a very hidden sheet of the returns'
ids and versions, so an upload knows what the officer saw.
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from outcomes_web import adapter, presentation
from outcomes_web.store import access, workflow
from outcomes_web.store import models as m
from outcomes_web.workspace.workbook.layout import (
    BOLD,
    FIG,
    FIGURE_COLUMNS,
    FIGURE_INPUTS,
    FIGURES,
    FIRST_ROW,
    FORMAT,
    HEAD_FILL,
    HEADER_ROW,
    INPUT_FILL,
    INSTRUCTIONS,
    MARKER,
    META,
    NAR,
    NARRATIVE,
    NARRATIVE_COLUMNS,
    NO,
    WRAP,
    YES,
    NothingToCollect,
)


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
        ("5. When there is no figure to report this period, choose Yes in 'Nothing to report' and say why in "
         "'Reason' (for example: not yet published by the DfE). Leave the value, numerator and denominator empty. "
         "The reviewer sees the reason.", None),
        ("6. On the Narrative sheet, write or update the text for each indicator you lead (Markdown: '- ' starts a "
         "list item).", None),
        ("7. Save the file as .xlsx and upload it in the workspace (Workbook → Upload). You will see every change, "
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
    nothing = DataValidation(type="list", formula1=f'"{YES}"', allow_blank=True, showDropDown=False,
                             showErrorMessage=True, errorTitle="Nothing to report",
                             error="Choose Yes, or leave the cell empty.", promptTitle="Nothing to report",
                             prompt="Yes when there is no figure this period; say why in Reason.",
                             showInputMessage=True)
    ws.add_data_validation(nothing)
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
                values[f"value{i}"] = _recent_text(series, obs)
            for key, _, _ in FIGURE_COLUMNS:
                ref = f"{FIG[key]}{row}"
                if key in FIGURE_INPUTS:
                    cell = _put(ws, ref, None, unlocked=True, wrap=key in ("note", "reason"))
                    if key in ("note", "reason"):
                        cell.number_format = "@"
                else:
                    _put(ws, ref, values.get(key, ""), wrap=key in ("indicator", "measure", "title"))
            dv.add(f"{FIG['provisional']}{row}")
            nothing.add(f"{FIG['nothing']}{row}")
            row += 1
    if row == FIRST_ROW:
        ws.cell(row=FIRST_ROW, column=1, value="There are no figures for you to enter in this period.")
    ws.column_dimensions[FIG["submission"]].hidden = True
    ws.freeze_panes = f"{FIG['period1']}{FIRST_ROW}"
    _protect(ws)


def _recent_text(series: Any, obs: Any) -> str:
    """A recent figure for context, as the return form shows it: "Nothing to report (reason)" for one
    stored with a reason instead of a value."""
    if obs is None:
        return ""
    if obs.value is None and obs.missing_reason:
        return f"Nothing to report ({obs.missing_reason})"
    return presentation.value_text(series, obs.value) + (" (provisional)" if obs.is_provisional else "")


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


def filename_for(user: Any, rp: m.ReportingPeriod) -> str:
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"returns-{rp.label}-{user.get_username()}")
    return "-".join(part for part in slug.split("-") if part) + ".xlsx"
