"""One value cell of a published table: the suppression markers official statistics print (kept as
a missing value *with its reason*, never as zero), :func:`read_cell`, and the number and slug
formats the converters write.

>>> read_cell("12.5").value, read_cell("c").missing_reason, read_cell("").missing_reason
(12.5, 'c: confidential (suppressed)', 'empty')
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from outcomes.sources.build import parse_number

#: Markers that official statistics print instead of a number, and what each means. Kept as the
#: observation's ``missing_reason`` ("c: confidential (suppressed)"), never read as zero.
#: GSS/DfE symbols: https://analysisfunction.civilservice.gov.uk/policy-store/symbols-in-tables-definitions-and-help/
MISSING_MARKERS: dict[str, str] = {
    "c": "confidential (suppressed)",
    "x": "not available",
    "z": "not applicable",
    "low": "a small number, rounds to zero but is not zero",
    "u": "low reliability (not published)",
    "k": "less than half the unit shown (rounds to zero)",
    ":": "not available",
    "..": "not available",
    "~": "rounds to zero",
    "[c]": "confidential (suppressed)",
    "[x]": "not available",
    "[z]": "not applicable",
    "[low]": "a small number, rounds to zero but is not zero",
    "[u]": "low reliability (not published)",
    # LAIT, ONS and NHS tables print a dash (or an asterisk) where no figure is published
    "-": "no figure published",
    "\u2013": "no figure published",
    "*": "suppressed (small numbers)",
    # DfE performance tables
    "supp": "suppressed (small numbers)",
    "np": "not published",
    "ne": "no entries",
}
_SCIENTIFIC = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d{1,3}$")


@dataclass(frozen=True)
class Cell:
    """One value cell read: a number, or no number with the reason (``error`` for unreadable text)."""

    value: float | None
    missing_reason: str = ""
    error: str = ""


def read_cell(text: object, *, markers: Mapping[str, str] | None = None, allow_percent: bool = True) -> Cell:
    """Read a value cell: a number, a suppression marker (missing, with its reason), or an error.

    >>> read_cell("3,766").value, read_cell(" low ").missing_reason
    (3766.0, 'low: a small number, rounds to zero but is not zero')
    >>> read_cell("n/a").error
    "'n/a' is neither a number nor a known suppression marker"
    >>> read_cell("n/a", markers={"n/a": "not applicable"}).missing_reason
    "'n/a': not applicable"
    >>> read_cell("9.511E-2").value, read_cell("-").missing_reason
    (0.09511, "'-': no figure published")
    """
    if markers is None and allow_percent and isinstance(text, str):
        cell = _CELLS.get(text)
        if cell is None:  # a national file repeats its markers and many of its figures
            cell = _read_cell(text, None, True)
            if len(_CELLS) > 200_000:
                _CELLS.clear()
            _CELLS[text] = cell
        return cell
    return _read_cell(text, markers, allow_percent)


_CELLS: dict[str, Cell] = {}


def _read_cell(text: object, markers: Mapping[str, str] | None, allow_percent: bool) -> Cell:
    if isinstance(text, bool):
        return Cell(None, error=f"'{text}' is not a number")
    if isinstance(text, int | float):
        if text != text or text in (float("inf"), float("-inf")):
            return Cell(None, error=f"'{text}' is not a finite number")
        return Cell(float(text))
    raw = "" if text is None else str(text)
    cleaned = raw.strip()
    if not cleaned:
        return Cell(None, "empty")
    known = {**MISSING_MARKERS, **{k.lower(): v for k, v in (markers or {}).items()}}
    reason = known.get(cleaned.lower())
    if reason is not None:
        shown = cleaned if cleaned.strip("[]").isalnum() else f"'{cleaned}'"
        return Cell(None, f"{shown}: {reason}")
    try:
        return Cell(parse_number(cleaned, allow_percent=allow_percent))
    except ValueError:
        if _SCIENTIFIC.match(cleaned):  # 9.511E-2, as spreadsheets export small numbers
            return Cell(float(cleaned))
        return Cell(None, error=f"'{cleaned}' is neither a number nor a known suppression marker")


def format_number(value: float | None, *, decimals: int | None = None) -> str:
    """Write a number for a CSV cell: no exponent, no trailing zeros, integers without '.0'.

    >>> format_number(3766.0), format_number(0.000012), format_number(2/3, decimals=1), format_number(None)
    ('3766', '0.000012', '0.7', '')
    """
    if value is None or value != value:
        return ""
    if decimals is not None:
        value = round(float(value), decimals)
    if float(value).is_integer():
        return str(int(value))
    text = f"{float(value):.12f}".rstrip("0").rstrip(".")
    return text if text not in ("", "-0") else "0"


def slug(text: str) -> str:
    """An id from text: lower case letters, digits and dashes.

    >>> slug("Female, 18+ yrs")
    'female-18-yrs'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
