"""The workbook's layout: its sheets, columns and cell styles, the limits an upload is held to, and the
errors the workbook modules raise.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from outcomes_web import adapter
from outcomes_web.store import workflow

MARKER = "outcomes-tracker data-collection workbook"
FORMAT = "2"  # 2: the Nothing to report and Reason columns
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
    ("nothing", "Nothing to report", 12), ("reason", "Reason", 40),
    ("submission", "Return id (do not change)", 8),
]
FIG = {key: get_column_letter(i + 1) for i, (key, _, _) in enumerate(FIGURE_COLUMNS)}
FIGURE_INPUTS = ("value", "numerator", "denominator", "provisional", "note", "nothing", "reason")
#: The column a library problem about ``field`` points at.
FIELD_COLUMN = {"period": FIG["period"], "value": FIG["value"], "numerator": FIG["numerator"],
                "denominator": FIG["denominator"], "status": FIG["provisional"], "note": FIG["note"],
                "missing_reason": FIG["reason"],
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
