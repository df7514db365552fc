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

The package, by concept (callers import from here):

* :mod:`.layout`: sheets, columns, styles, upload limits and the errors;
* :mod:`.build`: drawing the workbook;
* :mod:`.read`: reading an upload back into a :class:`ParsedWorkbook`;
* :mod:`.check`: checking it into a :class:`Preview` of every change and problem;
* :mod:`.commit`: keeping an upload, and writing it all or nothing.
"""

from outcomes_web.workspace.workbook.build import build_workbook, filename_for, returns_for
from outcomes_web.workspace.workbook.check import (
    FigureChange,
    NarrativeChange,
    Plan,
    Preview,
    _sentences,
    check_workbook,
)
from outcomes_web.workspace.workbook.commit import (
    commit_workbook,
    discard_upload,
    parsed_from_json,
    parsed_to_json,
    parsed_upload,
    preview_upload,
    seen_versions_json,
    stored_versions,
)
from outcomes_web.workspace.workbook.layout import (
    CONTENT_TYPE,
    FIELD_COLUMN,
    FIG,
    FIGURE_COLUMNS,
    FIGURE_INPUTS,
    FIGURES,
    FIRST_ROW,
    HEADER_ROW,
    INSTRUCTIONS,
    MARKER,
    MAX_BYTES,
    META,
    NAR,
    NARRATIVE,
    NARRATIVE_COLUMNS,
    NO,
    YES,
    NotAWorkbook,
    NothingToCollect,
    WorkbookRefused,
)
from outcomes_web.workspace.workbook.read import (
    CellProblem,
    FigureRow,
    NarrativeRow,
    ParsedWorkbook,
    _text,
    read_workbook,
)

__all__ = [
    "CONTENT_TYPE", "FIELD_COLUMN", "FIG", "FIGURES", "FIGURE_COLUMNS", "FIGURE_INPUTS", "FIRST_ROW", "HEADER_ROW",
    "INSTRUCTIONS", "MARKER", "MAX_BYTES", "META", "NAR", "NARRATIVE", "NARRATIVE_COLUMNS", "NO", "YES",
    "CellProblem", "FigureChange", "FigureRow", "NarrativeChange", "NarrativeRow", "NotAWorkbook",
    "NothingToCollect", "ParsedWorkbook", "Plan", "Preview", "WorkbookRefused", "_sentences", "_text",
    "build_workbook", "check_workbook", "commit_workbook", "discard_upload", "filename_for", "parsed_from_json",
    "parsed_to_json", "parsed_upload", "preview_upload", "read_workbook", "returns_for", "seen_versions_json",
    "stored_versions",
]
