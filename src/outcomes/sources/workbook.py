"""Read and write a dataset as one Excel workbook.

The workbook holds the same things as a dataset folder, as plain tables for people who live in
Excel: one sheet per table, a header row, one row per item, no YAML in any cell.

=============  ==========================================================================
sheet          one row per
=============  ==========================================================================
About          setting of the report (organisation, home area, reporting period, report
               title ...) and judgement setting (``settings.tolerance``): setting, value
Areas          other area an observation or comparator names: code, name
Outcomes       outcome, with its published executive summary
Officers       person: the id they belong to, kind (sponsor, lead, contact), name, role
Indicators     population indicator, with the outcome it belongs to and value for money
Measures       performance measure, with the indicator it belongs to
Series         series, with its parent indicator or measure: unit, polarity, target, what
               the published report said ...
Comparators    benchmark or comparator group of a series
Observations   figure: the columns of observations.csv
Inputs         raw input of a series with a method: the columns of inputs.csv
Breakdowns     figure by category (deprivation decile): the columns of breakdowns.csv
Risks          corporate risk: the columns of risks.csv
Narrative      indicator and period: the four narrative sections
=============  ==========================================================================

Reading gives the same :class:`~outcomes.sources.raw.RawDataset` as the folder reader: the
framework sheets become the nested mapping that ``framework.yaml`` would hold, so
:mod:`outcomes.sources.build` validates a workbook and a folder alike. An indicator or measure
with one series whose id is its own is written in the shorthand form (the series' fields on the
item itself), as in ``framework.yaml``.

Cells read back as the text a CSV file would hold (3766 is "3766", 53.8 is "53.8"; a date typed
into a period cell is read back as a period, "March 2018"). Problems name the sheet, the row and
the column.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outcomes.model import SERIES_METHODS
from outcomes.sources.build import PERIOD_KINDS, POLARITIES, RISK_SCORES
from outcomes.sources.problems import Problems
from outcomes.sources.raw import (
    BREAKDOWN_COLUMNS,
    INPUT_COLUMNS,
    NARRATIVE_SECTIONS,
    OBSERVATION_COLUMNS,
    REQUIRED_BREAKDOWN_COLUMNS,
    REQUIRED_INPUT_COLUMNS,
    REQUIRED_OBSERVATION_COLUMNS,
    REQUIRED_RISK_COLUMNS,
    RISK_COLUMNS,
    NarrativeDoc,
    RawDataset,
    Row,
)
from outcomes.sources.spreadsheet import (
    DATASET_LIMITS,
    FORMULA_START,
    WorkbookRefused,
    cell_text,
    check_workbook,
    number_text,
)
from outcomes.sources.spreadsheet import is_percent_format as _is_percent

__all__ = ["SHEETS", "WorkbookRaw", "read_workbook", "write_workbook"]

EXCEL_CELL_LIMIT = 32767
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# --- the sheets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its columns and how they are written."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    must_exist: bool = False
    table: bool = False  # rows become Row objects (observations, risks), not framework entries
    numeric: frozenset[str] = frozenset()  # written as numbers when they hold a plain number
    wide: frozenset[str] = frozenset()  # long text: wrapped in a wide column
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # drop-down lists offered in Excel
    freeze: str = "A2"


ABOUT = Sheet("About", ("setting", "value", "meaning"), required=("setting", "value"), must_exist=True,
              wide=frozenset({"meaning"}))
AREAS = Sheet("Areas", ("code", "name"), required=("code",))
OUTCOMES = Sheet(
    "Outcomes",
    ("id", "title", "introduction", "summary_indicators", "summary_measures", "summary_risks",
     "focus_indicators", "focus_measures", "focus_risks"),
    required=("id",), must_exist=True,
    numeric=frozenset({"summary_indicators", "summary_measures", "summary_risks"}),
    wide=frozenset({"introduction", "focus_indicators", "focus_measures", "focus_risks"}),
)
OFFICERS = Sheet("Officers", ("belongs_to", "kind", "name", "role", "email", "phone"),
                 required=("belongs_to", "kind", "name"),
                 choices=(("kind", ("sponsor", "lead", "contact")),))
INDICATORS = Sheet(
    "Indicators",
    ("outcome", "id", "number", "section", "section_title", "title", "vfm_status", "vfm_latest", "vfm_rank",
     "vfm_of", "vfm_note"),
    required=("id",), must_exist=True, numeric=frozenset({"vfm_latest", "vfm_rank", "vfm_of"}), freeze="C2",
)
MEASURES = Sheet("Measures", ("indicator", "id", "title", "published_trend"), required=("indicator", "id"),
                 freeze="C2")
SERIES = Sheet(
    "Series",
    ("parent", "id", "title", "short_title", "unit", "decimals", "currency", "polarity", "period_kind",
     "definition", "source", "breaks", "target", "target_period", "target_note", "focus", "focus_reason",
     "previous_label", "previous_value", "previous_text", "latest_label", "latest_value", "latest_text", "extra",
     "trend", "trend_rag", "trend_basis", "comparator", "comparator_rag", "comparator_text", "trend_method",
     "comparator_method", "polarity_source", "polarity_confirmed", "part_of",
     "method", "method_age", "method_reference_value"),
    required=("parent",), must_exist=True,
    numeric=frozenset({"decimals", "target", "previous_value", "latest_value", "method_age",
                       "method_reference_value"}),
    wide=frozenset({"definition"}),
    choices=(("polarity", POLARITIES), ("period_kind", PERIOD_KINDS), ("focus", ("pin", "suppress")),
             ("trend_rag", ("R", "A", "G")), ("comparator_rag", ("R", "A", "G")), ("method", SERIES_METHODS)),
    freeze="C2",
)
COMPARATORS = Sheet(
    "Comparators",
    ("series", "name", "area", "kind", "period", "value", "home_value", "basis", "members", "note"),
    required=("series", "name"), numeric=frozenset({"value", "home_value"}),
    choices=(("kind", ("benchmark", "group")),), freeze="C2",
)
OBSERVATIONS = Sheet(
    "Observations", OBSERVATION_COLUMNS, required=REQUIRED_OBSERVATION_COLUMNS, must_exist=True, table=True,
    numeric=frozenset({"value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998"}),
    choices=(("status", ("final", "provisional")),),
)
INPUTS = Sheet(
    "Inputs", INPUT_COLUMNS, required=REQUIRED_INPUT_COLUMNS, table=True,
    numeric=frozenset({"count", "population", "reference_count", "reference_population", "standard_population",
                       "value"}),
)
BREAKDOWNS = Sheet(
    "Breakdowns", BREAKDOWN_COLUMNS, required=REQUIRED_BREAKDOWN_COLUMNS, table=True,
    numeric=frozenset({"quantile", "value", "lower95", "upper95", "standard_error", "population"}),
)
RISKS = Sheet("Risks", RISK_COLUMNS, required=REQUIRED_RISK_COLUMNS, table=True,
              numeric=frozenset({"likelihood", "impact"}), wide=frozenset({"title"}),
              choices=(("score", RISK_SCORES), ("focus", ("pin", "suppress"))))
NARRATIVE = Sheet("Narrative", ("subject", "period", *NARRATIVE_SECTIONS), required=("subject",),
                  wide=frozenset(NARRATIVE_SECTIONS))

SHEETS: tuple[Sheet, ...] = (ABOUT, AREAS, OUTCOMES, OFFICERS, INDICATORS, MEASURES, SERIES, COMPARATORS,
                             OBSERVATIONS, RISKS, NARRATIVE, INPUTS, BREAKDOWNS)

#: The rows of the About sheet other than ``settings.*``: label, path in framework.yaml, meaning.
ABOUT_ROWS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("format", ("format",), "the version of this format: outcomes-tracker/1"),
    ("organisation", ("organisation",), "the council or body the report is for"),
    ("area code", ("area", "code"), "the ONS code of the home area: its rows in Observations are 'ours'"),
    ("area name", ("area", "name"), "the name of the home area"),
    ("reporting period", ("reporting_period",), "the period the report covers, e.g. Q4 2017-18"),
    ("report title", ("report", "title"), "as printed on the cover"),
    ("report published", ("report", "published"), "as printed on the cover, e.g. July 2018"),
    ("report status", ("report", "status"), "draft or published"),
    ("report data date", ("report", "data_date"), "the date of the data, as printed"),
    ("report key trend", ("report", "key", "trend"),
     "the trend words the report's key defines, separated by ';' (none: the key defines none)"),
    ("report key comparator", ("report", "key", "comparator"),
     "the comparator words the report's key defines, separated by ';' (none: the key defines none)"),
    ("report key risk trend", ("report", "key", "risk_trend"),
     "the risk trend words the report's key defines, separated by ';' (none: the key defines none)"),
)
#: About rows that hold a list of words (';' between them; 'none' for an empty list).
_ABOUT_LISTS = frozenset({("report", "key", "trend"), ("report", "key", "comparator"),
                          ("report", "key", "risk_trend")})
_ABOUT_ALIASES = {"organization": "organisation", "data date": "report data date", "title": "report title",
                  "status": "report status", "published": "report published"}
_SETTING_MEANING = "a judgement setting (see docs/settings.md)"

_OFFICER_KINDS = {"sponsor": "sponsor", "sponsors": "sponsor", "lead": "lead_officers", "leads": "lead_officers",
                  "lead officer": "lead_officers", "lead officers": "lead_officers",
                  "lead_officers": "lead_officers", "contact": "contacts", "contacts": "contacts"}
_OFFICER_KIND_NAMES = {"sponsor": "sponsor", "lead_officers": "lead", "contacts": "contact"}

# Series sheet columns that hold a series field of the same name.
_SERIES_TEXT = ("short_title", "polarity", "period_kind", "definition", "source", "polarity_source",
                "polarity_confirmed", "part_of")
_PUBLISHED_WORDS = ("trend", "trend_rag", "trend_basis", "comparator", "comparator_rag", "comparator_text",
                    "trend_method", "comparator_method")
_HEADLINES = ("previous", "latest")
_SUMMARY = (("summary_indicators", "population_indicators"), ("summary_measures", "performance_measures"),
            ("summary_risks", "risks"))
_FOCUS_LISTS = ("focus_indicators", "focus_measures", "focus_risks")
_VFM = (("vfm_status", "status"), ("vfm_latest", "latest"), ("vfm_rank", "rank"), ("vfm_of", "of"),
        ("vfm_note", "note"))
_COMPARATOR_FIELDS = ("name", "area", "kind", "period", "value", "home_value", "basis", "members", "note")


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


# --- reading ---------------------------------------------------------------------------------


@dataclass
class WorkbookRaw(RawDataset):
    """A raw dataset read from a workbook: it knows the sheet, row and column of every value.

    ``line_of(node)`` (what the builder asks today) names the sheet and row of an entry;
    ``locate(node, path)`` names the sheet, row and column of a field path such as
    ``outcomes[0].population_indicators[2].polarity``.
    """

    where: dict[int, str] = field(default_factory=dict, repr=False)  # id(mapping) -> "sheet Series row 7"
    cells: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)  # path -> (location, column)

    def line_of(self, node: object) -> str:
        return self.where.get(id(node), "")

    def locate(self, node: object, path: str) -> tuple[str, str]:
        """The (location, column) of a field path; falls back to the entry's row and the path."""
        probe = path
        while probe:
            if probe in self.cells:
                location, column = self.cells[probe]
                rest = path[len(probe):].lstrip(".")
                return location, column or rest or path
            probe = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe) if re.search(r"(\.|\[)", probe) else ""
        return self.line_of(node), path


@dataclass
class _SheetRow:
    sheet: str
    number: int
    values: dict[str, Any]  # framework values: numbers, text, None for blank
    texts: dict[str, str]  # what a CSV file would hold

    @property
    def where(self) -> str:
        return f"sheet {self.sheet} row {self.number}"

    def value(self, column: str) -> Any:
        return self.values.get(column)

    def text(self, column: str) -> str:
        return self.texts.get(column, "").strip()

    def items(self, column: str) -> list[str]:
        """A list typed into the cell (see :func:`_split`)."""
        return _split(self.texts.get(column, ""))


def _open(path: Path, book: str, problems: Problems) -> Any:
    try:
        check_workbook(path, name=book, limits=DATASET_LIMITS)
    except OSError as exc:
        problems.add(book, "", "", f"cannot be read ({exc.strerror or exc}).", "check the file exists and is readable.")
        return None
    except WorkbookRefused as exc:
        problems.add(book, "", "", exc.message.removeprefix(f"{book} ").removeprefix(f"{book}: "),
                     exc.fix[:1].lower() + exc.fix[1:])
        return None
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, data_only=True)
    except Exception as exc:  # noqa: BLE001 - a damaged file may fail anywhere inside openpyxl
        reason = str(exc).strip() or type(exc).__name__
        problems.add(book, "", "", f"cannot be read as an Excel workbook ({reason}).",
                     "check it opens in Excel; if it does, save a fresh copy as an 'Excel Workbook (*.xlsx)'.")
        return None


def _extent(ws: Any) -> tuple[int, int]:
    """The last row and column holding a value (formatting alone can make ``max_row`` a million)."""
    cells = getattr(ws, "_cells", None)
    if not isinstance(cells, dict):
        return ws.max_row, ws.max_column
    used = [key for key, cell in cells.items() if cell.value is not None]
    return max((r for r, _ in used), default=0), max((c for _, c in used), default=0)


def _read_sheet(ws: Any, sheet: Sheet, book: str, problems: Problems) -> list[_SheetRow]:
    """The data rows of a sheet, reporting header problems the way read_table does for CSV."""

    def place(number: int) -> tuple[str, str]:
        if sheet.table:
            return f"{book} sheet {sheet.name}", f"row {number}"
        return book, f"sheet {sheet.name} row {number}"

    last_row, last_column = _extent(ws)
    grid = list(ws.iter_rows(min_row=1, max_row=last_row, max_col=last_column)) if last_row else []
    header = [_norm(c.value) for c in grid[0]] if grid else []
    if not any(header):
        if any(c.value is not None for r in grid for c in r):
            file, where = place(1)
            problems.add(file, where, "", "the first row must hold the column names.",
                         f"put the column names in row 1: {', '.join(sheet.columns)}.")
        elif sheet.must_exist:
            problems.add(book, f"sheet {sheet.name}", "", "the sheet is empty.",
                         f"put the column names in row 1: {', '.join(sheet.columns)}.")
        return []
    file, where = place(1)
    for need in sheet.required:
        if need not in header:
            problems.add(file, where, need, f"the column '{need}' is missing.",
                         f"add a '{need}' column to the header row.")
    seen: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in sheet.columns:
            problems.add(file, where, name, f"'{name}' is not a column this sheet can have.",
                         f"rename or remove it; the columns are: {', '.join(sheet.columns)}.")
        elif name in seen:
            problems.add(file, where, name, f"the column '{name}' appears twice.", "keep one of them.")
        seen.add(name)
    rows: list[_SheetRow] = []
    for number, cells in enumerate(grid[1:], start=2):
        if all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells):
            continue
        values: dict[str, Any] = {}
        texts: dict[str, str] = {}
        stray = False
        for name, cell in zip(header, cells, strict=False):
            if not name:
                stray = stray or _as_text(cell.value) != ""
                continue
            if name in values:
                continue
            fmt = cell.number_format or ""
            values[name] = _cell_value(cell.value, fmt)
            texts[name] = cell_text(cell.value, fmt)
        if stray:
            file, where = place(number)
            problems.add(file, where, "", "has a value in a column with no name in row 1.",
                         "give the column a name or move the value into a named column.")
            continue
        rows.append(_SheetRow(sheet.name, number, values, texts))
    return rows


class _Reader:
    """Turns the framework sheets into the mapping framework.yaml would hold."""

    def __init__(self, book: str, sheets: dict[str, list[_SheetRow]], raw: WorkbookRaw,
                 problems: Problems) -> None:
        self.book = book
        self.sheets = sheets
        self.raw = raw
        self.problems = problems
        self.officers: dict[tuple[str, str], list[_SheetRow]] = {}
        self.series: dict[str, list[_SheetRow]] = {}
        self.comparators: dict[str, list[_SheetRow]] = {}
        self.indicators: dict[str, list[_SheetRow]] = {}
        self.measures: dict[str, list[_SheetRow]] = {}

    # -- helpers ----------------------------------------------------------------------------
    def add(self, row: _SheetRow, column: str, message: str, fix: str = "") -> None:
        self.problems.add(self.book, row.where, column, message, fix)

    def mark(self, node: dict[str, Any], path: str, row: _SheetRow, columns: Iterable[tuple[str, str]]) -> None:
        """Remember where ``node`` and each of its fields (key, column) came from."""
        previous = self.raw.where.get(id(node))
        joined = f"{previous} and {row.where}" if previous and row.where not in previous else row.where
        self.raw.where[id(node)] = joined  # a shorthand indicator is a row of Indicators and one of Series
        self.raw.cells.setdefault(path, (row.where, ""))
        for key, column in columns:
            self.raw.cells[f"{path}.{key}" if path else key] = (row.where, column)

    @staticmethod
    def put(node: dict[str, Any], key: str, value: Any) -> None:
        if value is not None:
            node[key] = value

    @staticmethod
    def group(rows: list[_SheetRow], column: str) -> dict[str, list[_SheetRow]]:
        out: dict[str, list[_SheetRow]] = {}
        for row in rows:
            out.setdefault(_as_text(row.value(column)), []).append(row)
        return out

    # -- the whole framework ----------------------------------------------------------------
    def framework(self) -> dict[str, Any]:
        fw: dict[str, Any] = {}
        self.raw.where[id(fw)] = "sheet About"
        self.about(fw)
        areas = []
        for i, row in enumerate(self.sheets.get("Areas", [])):
            area: dict[str, Any] = {}
            self.put(area, "code", row.value("code"))
            self.put(area, "name", row.value("name"))
            self.mark(area, f"areas[{i}]", row, [("code", "code"), ("name", "name")])
            areas.append(area)
        if areas:
            fw["areas"] = areas
        settings = fw.pop("settings", None)
        if settings is not None:
            fw["settings"] = settings
        for row in self.sheets.get("Officers", []):
            kind = _OFFICER_KINDS.get(_label(row.text("kind")))
            if kind is None:
                self.add(row, "kind", f"'{row.text('kind')}' is not a kind of officer.",
                         "write sponsor, lead or contact.")
                continue
            self.officers.setdefault((row.text("belongs_to"), kind), []).append(row)
        self.series = self.group(self.sheets.get("Series", []), "parent")
        self.comparators = self.group(self.sheets.get("Comparators", []), "series")
        self.measures = self.group(self.sheets.get("Measures", []), "indicator")
        outcome_rows = self.sheets.get("Outcomes", [])
        only = _as_text(outcome_rows[0].value("id")) if len(outcome_rows) == 1 else None
        for row in self.sheets.get("Indicators", []):
            owner = row.text("outcome") or (only or "")
            self.indicators.setdefault(owner, []).append(row)
        fw["outcomes"] = [self.outcome(row, f"outcomes[{i}]") for i, row in enumerate(outcome_rows)]
        self.raw.cells["outcomes"] = ("sheet Outcomes", "")
        self.leftovers()
        return fw

    def about(self, fw: dict[str, Any]) -> None:
        labels = {label: (path, meaning) for label, path, meaning in ABOUT_ROWS}
        seen: dict[str, int] = {}
        for row in self.sheets.get("About", []):
            name = row.text("setting")
            value = row.value("value")
            if not name:
                if value is not None:
                    self.add(row, "setting", "this value has no setting name.",
                             "write the setting's name in the 'setting' column, or delete the row.")
                continue
            setting = re.fullmatch(r"\s*settings[\s._-]+(.*)", name, re.I | re.S)
            if setting:
                keys = [k.strip() for k in setting.group(1).split(".")]
                path: tuple[str, ...] = ("settings", *keys)
                if not all(keys):
                    self.add(row, "setting", f"'{name}' is not a setting name.",
                             "write settings.<name>, e.g. settings.tolerance.")
                    continue
            else:
                label = _ABOUT_ALIASES.get(_label(name), _label(name))
                if label not in labels:
                    self.add(row, "setting", f"'{name}' is not a setting this sheet can have.",
                             f"use one of: {', '.join(labels)}, or settings.<name> for a judgement setting.")
                    continue
                path = labels[label][0]
                if value is None:
                    continue
            dotted = ".".join(path)
            if dotted in seen:
                self.add(row, "setting", f"'{name}' is given twice (row {seen[dotted]}).", "keep one of them.")
                continue
            seen[dotted] = row.number
            node = fw
            for depth, key in enumerate(path[:-1]):
                child = node.get(key)
                if not isinstance(child, dict):
                    if child is not None:
                        self.add(row, "setting", f"'{name}' clashes with the setting '{'.'.join(path[:depth + 1])}'.",
                                 "keep one of them.")
                        break
                    child = node[key] = {}
                    self.raw.where[id(child)] = row.where
                node = child
            else:
                if isinstance(node.get(path[-1]), dict):
                    self.add(row, "setting", f"'{name}' clashes with the settings under it.", "keep one of them.")
                    continue
                if path in _ABOUT_LISTS:
                    text = _as_text(value).strip()
                    value = [] if text.lower() == "none" else [w.strip() for w in text.split(";") if w.strip()]
                node[path[-1]] = value
                self.raw.cells[dotted] = (row.where, "value")
                if path in (("report", "status"), ("area", "code")):  # what the builder checks on these
                    self.raw.where[id(node)] = row.where

    def officer_lists(self, node: dict[str, Any], path: str, ident: str, kinds: Iterable[str]) -> None:
        for kind in kinds:
            rows = self.officers.pop((ident, kind), [])
            people = []
            for i, row in enumerate(rows):
                person: dict[str, Any] = {}
                self.put(person, "name", row.value("name"))
                self.put(person, "role", row.value("role"))
                self.put(person, "email", row.value("email"))
                self.put(person, "phone", row.value("phone"))
                self.raw.cells[f"{path}.{kind}[{i}]"] = (row.where, "name")
                self.raw.cells.setdefault(f"{path}.{kind}", (row.where, "name"))
                people.append(person)
            if not people:
                continue
            node[kind] = people[0] if kind == "sponsor" and len(people) == 1 else people

    def outcome(self, row: _SheetRow, path: str) -> dict[str, Any]:
        ident = _as_text(row.value("id"))
        node: dict[str, Any] = {}
        self.put(node, "id", row.value("id"))
        self.put(node, "title", row.value("title"))
        self.officer_lists(node, path, ident, ("sponsor", "lead_officers", "contacts"))
        self.put(node, "introduction", row.value("introduction"))
        summary: dict[str, Any] = {}
        for column, key in _SUMMARY:
            self.put(summary, key, row.value(column))
        for key in _FOCUS_LISTS:
            items = row.items(key)
            if items:
                summary[key] = items
        self.mark(node, path, row, [("id", "id"), ("title", "title"), ("introduction", "introduction")])
        self.mark(summary, f"{path}.published_summary", row,
                  [(key, column) for column, key in _SUMMARY] + [(k, k) for k in _FOCUS_LISTS])
        if summary:
            node["published_summary"] = summary
        indicators = []
        for i, ind_row in enumerate(self.indicators.pop(ident, [])):
            indicators.append(self.indicator(ind_row, f"{path}.population_indicators[{i}]"))
        node["population_indicators"] = indicators
        return node

    def indicator(self, row: _SheetRow, path: str) -> dict[str, Any]:
        ident = _as_text(row.value("id"))
        node: dict[str, Any] = {}
        for key in ("id", "number", "section", "section_title", "title"):
            self.put(node, key, row.value(key))
        self.mark(node, path, row, [(k, k) for k in ("id", "number", "section", "section_title", "title")])
        self.officer_lists(node, path, ident, ("lead_officers",))
        self.series_of(node, path, row, ident)
        vfm: dict[str, Any] = {}
        for column, key in _VFM:
            self.put(vfm, key, row.value(column))
        self.mark(vfm, f"{path}.value_for_money", row, [(key, column) for column, key in _VFM])
        if vfm:
            node["value_for_money"] = vfm
        measures = []
        for j, m_row in enumerate(self.measures.pop(ident, [])):
            mpath = f"{path}.measures[{j}]"
            m_ident = _as_text(m_row.value("id"))
            measure: dict[str, Any] = {}
            for key in ("id", "title"):
                self.put(measure, key, m_row.value(key))
            self.mark(measure, mpath, m_row, [("id", "id"), ("title", "title"), ("published_trend", "published_trend")])
            self.officer_lists(measure, mpath, m_ident, ("lead_officers",))
            self.put(measure, "published_trend", m_row.value("published_trend"))
            self.series_of(measure, mpath, m_row, m_ident)
            measures.append(measure)
        if measures:
            node["measures"] = measures
        return node

    def series_of(self, item: dict[str, Any], path: str, item_row: _SheetRow, ident: str) -> None:
        rows = self.series.pop(ident, []) if ident else []
        if not rows:
            what = "indicator" if item_row.sheet == "Indicators" else "measure"
            self.add(item_row, "id", f"the {what} '{ident}' has no row in the sheet Series.",
                     f"add a row to the sheet Series with parent '{ident}' (and id '{ident}' when the {what} "
                     "has one series).")
            return
        only = rows[0]
        title = _as_text(only.value("title"))
        if len(rows) == 1 and _as_text(only.value("id")) in ("", ident) and title in ("", _as_text(item.get("title"))):
            self.series_fields(item, path, only, ident)  # shorthand: the item is its own series
            return
        listed = []
        for i, row in enumerate(rows):
            spath = f"{path}.series[{i}]"
            node: dict[str, Any] = {}
            self.put(node, "id", row.value("id"))
            self.put(node, "title", row.value("title"))
            self.mark(node, spath, row, [("id", "id"), ("title", "title")])
            self.series_fields(node, spath, row, _as_text(row.value("id")))
            self.officer_lists(node, spath, _as_text(row.value("id")), ("lead_officers",))
            listed.append(node)
        item["series"] = listed

    def series_fields(self, node: dict[str, Any], path: str, row: _SheetRow, ident: str) -> None:
        columns = [(k, k) for k in _SERIES_TEXT] + [("unit", "unit"), ("breaks", "breaks"), ("focus", "focus"),
                                                    ("target", "target"), ("target.value", "target"),
                                                    ("target.period", "target_period"), ("published", "")]
        self.mark(node, path, row, columns)
        self.put(node, "short_title", row.value("short_title"))
        unit = row.value("unit")
        decimals, currency = row.value("decimals"), row.value("currency")
        if decimals is not None or currency is not None:
            words = _as_text(unit).replace(",", "").split()
            unit = {"type": words[0] if words else ""}
            per = next((int(w) for w in words[1:] if w.isdigit()), None)
            self.put(unit, "per", per)
            self.put(unit, "currency", currency)
            self.put(unit, "decimals", decimals)
        self.put(node, "unit", unit)
        for key in _SERIES_TEXT[1:]:
            self.put(node, key, row.value(key))
        breaks = row.items("breaks")
        for i in range(len(breaks)):
            self.raw.cells[f"{path}.breaks[{i}]"] = (row.where, "breaks")
        if breaks:
            node["breaks"] = breaks
        comparators = []
        for i, c_row in enumerate(self.comparators.pop(ident, []) if ident else []):
            comparator: dict[str, Any] = {}
            for key in _COMPARATOR_FIELDS:
                if key == "members":
                    members = c_row.items("members")
                    if members:
                        comparator["members"] = members
                else:
                    self.put(comparator, key, c_row.value(key))
            self.mark(comparator, f"{path}.comparators[{i}]", c_row, [(k, k) for k in _COMPARATOR_FIELDS])
            comparators.append(comparator)
        if comparators:
            node["comparators"] = comparators
        target, period, note = row.value("target"), row.value("target_period"), row.value("target_note")
        if period is not None or note is not None:
            target_node: dict[str, Any] = {}
            self.put(target_node, "value", target)
            self.put(target_node, "period", period)
            self.put(target_node, "note", note)
            self.raw.where[id(target_node)] = row.where
            node["target"] = target_node
        elif target is not None:
            node["target"] = target
        action, reason = row.value("focus"), row.value("focus_reason")
        if action is not None or reason is not None:
            node["focus"] = {_as_text(action): reason if reason is not None else ""}
        published = self.published(row, f"{path}.published")
        if published:
            node["published"] = published
        method = row.value("method")
        if method is not None:
            options: dict[str, Any] = {}
            self.put(options, "age", row.value("method_age"))
            self.put(options, "reference_value", row.value("method_reference_value"))
            node["method"] = {"name": method, **options} if options else method
            self.raw.cells[f"{path}.method"] = (row.where, "method")

    def published(self, row: _SheetRow, path: str) -> dict[str, Any]:
        pub: dict[str, Any] = {}
        self.mark(pub, path, row, [(k, k) for k in _PUBLISHED_WORDS])
        for which in _HEADLINES:
            headline: dict[str, Any] = {}
            for key in ("label", "value", "text"):
                self.put(headline, key, row.value(f"{which}_{key}"))
            self.mark(headline, f"{path}.{which}", row, [("label", f"{which}_label"), ("value", f"{which}_value")])
            self.raw.cells[f"{path}.{which}"] = (row.where, f"{which}_label")
            if headline:
                pub[which] = headline
            if which == "previous":
                extra = self.extra(row, path)
                if extra:
                    pub["extra"] = extra
        for key in _PUBLISHED_WORDS:
            self.put(pub, key, row.value(key))
        return pub

    def extra(self, row: _SheetRow, path: str) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for entry in row.items("extra"):
            head, bar, text = entry.partition("|")
            label, equals, value = head.partition("=")
            if not equals:
                self.add(row, "extra", f"'{entry}' is not 'label=value'.",
                         "write each printed figure as label=value, e.g. 'Q3 2017/18=91; Q2 2017/18=89'.")
                continue
            headline: dict[str, Any] = {"label": label.strip()}
            value = value.strip()
            if value:
                number = plain_number(value)
                headline["value"] = value if number is None else number
            if bar and text.strip():
                headline["text"] = text.strip()
            i = len(out)
            self.raw.where[id(headline)] = row.where
            self.raw.cells[f"{path}.extra[{i}]"] = (row.where, "extra")
            out.append(headline)
        return out

    def leftovers(self) -> None:
        """Rows that belong to nothing: a parent, series, outcome or indicator id that does not exist."""
        for owner, rows in self.indicators.items():
            for row in rows:
                if owner:
                    self.add(row, "outcome", f"'{owner}' is not an outcome in the sheet Outcomes.",
                             "write the id of an outcome.")
                else:
                    self.add(row, "outcome", "the outcome is empty.",
                             "write the id of the outcome (from the sheet Outcomes) this indicator belongs to.")
        for owner, rows in self.measures.items():
            for row in rows:
                self.add(row, "indicator", f"'{owner}' is not an indicator in the sheet Indicators."
                         if owner else "the indicator is empty.", "write the id of a population indicator.")
        for owner, rows in self.series.items():
            for row in rows:
                self.add(row, "parent", f"'{owner}' is not an indicator or measure." if owner else
                         "the parent is empty.", "write the id of the indicator or measure this series belongs to.")
        for owner, rows in self.comparators.items():
            for row in rows:
                self.add(row, "series", f"'{owner}' is not a series in the sheet Series." if owner else
                         "the series is empty.", "write the id of a series.")
        for (owner, kind), rows in self.officers.items():
            for row in rows:
                if not owner:
                    self.add(row, "belongs_to", "the id this person belongs to is empty.",
                             "write the id of an outcome, indicator, measure or series.")
                elif kind != "lead_officers":
                    self.add(row, "belongs_to", f"'{owner}' is not an outcome: only outcomes have a "
                             f"{_OFFICER_KIND_NAMES[kind]}.", "write the id of an outcome, or make the person a lead.")
                else:
                    self.add(row, "belongs_to", f"'{owner}' is not an outcome, indicator, measure or series.",
                             "write the id from the sheet Outcomes, Indicators, Measures or Series.")


def _table_rows(rows: list[_SheetRow], file: str) -> list[Row]:
    return [Row(dict(row.texts), file, row.number) for row in rows]


def read_workbook(path: Path | str, problems: Problems) -> RawDataset | None:
    """Read a dataset workbook into its raw form, adding every problem found (never raising)."""
    path = Path(path)
    book = path.name
    wb = _open(path, book, problems)
    if wb is None:
        return None
    try:
        by_name = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        sheets: dict[str, list[_SheetRow]] = {}
        missing = []
        for sheet in SHEETS:
            ws = by_name.get(sheet.name.lower())
            if ws is None:
                if sheet.must_exist:
                    missing.append(sheet.name)
                    problems.add(book, f"sheet {sheet.name}", "", f"there is no sheet called '{sheet.name}'.",
                                 f"add a sheet named {sheet.name} with the columns: {', '.join(sheet.columns)} "
                                 "(or start from a workbook written by 'outcomes').")
                continue
            sheets[sheet.name] = _read_sheet(ws, sheet, book, problems)
    finally:
        wb.close()
    raw = WorkbookRaw(framework={}, framework_file=book, observations_file=f"{book} sheet Observations",
                      risks_file=f"{book} sheet Risks")
    if any(name in missing for name in ("About", "Outcomes", "Indicators", "Series")):
        return None
    raw.framework = _Reader(book, sheets, raw, problems).framework()
    raw.observations = _table_rows(sheets.get("Observations", []), raw.observations_file)
    raw.risks = _table_rows(sheets.get("Risks", []), raw.risks_file)
    raw.inputs = _table_rows(sheets.get("Inputs", []), f"{book} sheet Inputs")
    raw.breakdowns = _table_rows(sheets.get("Breakdowns", []), f"{book} sheet Breakdowns")
    for row in sheets.get("Narrative", []):
        sections = {key: row.text(key) for key in NARRATIVE_SECTIONS if row.text(key)}
        raw.narrative.append(NarrativeDoc(subject=row.text("subject"), period=row.text("period"), sections=sections,
                                          file=f"{book} sheet Narrative row {row.number}", line=row.number))
    return raw


# --- writing ---------------------------------------------------------------------------------


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, dict))


def _people(value: Any) -> list[tuple[Any, Any, Any, Any]]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    out: list[tuple[Any, Any, Any, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append((item.get("name"), item.get("role"), item.get("email"), item.get("phone")))
        elif item is not None:
            out.append((item, None, None, None))
    return out


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from _flatten(f"{prefix}.{key}", child)
    elif isinstance(value, (list, tuple)):
        yield prefix, _join(value)
    else:
        yield prefix, value


class _Writer:
    """Lays the framework mapping out as the rows of each sheet."""

    def __init__(self, raw: RawDataset) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {sheet.name: [] for sheet in SHEETS}
        fw = raw.framework if isinstance(raw.framework, dict) else {}
        self.about(fw)
        for area in _dicts(fw.get("areas")):
            self.rows["Areas"].append({"code": area.get("code"), "name": area.get("name")})
        for o in _dicts(fw.get("outcomes")):
            self.outcome(o)
        self.rows["Observations"] = [dict(r.values) for r in raw.observations]
        self.rows["Risks"] = [dict(r.values) for r in raw.risks]
        self.rows["Inputs"] = [dict(r.values) for r in raw.inputs]
        self.rows["Breakdowns"] = [dict(r.values) for r in raw.breakdowns]
        for doc in raw.narrative:
            self.rows["Narrative"].append({"subject": doc.subject, "period": doc.period, **doc.sections})

    def about(self, fw: dict[str, Any]) -> None:
        for label, path, meaning in ABOUT_ROWS:
            node: Any = fw
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if path in _ABOUT_LISTS:
                if node is None:
                    continue
                node = "; ".join(_as_text(w) for w in node) if node else "none"
            self.rows["About"].append({"setting": label, "value": node, "meaning": meaning})
        settings = fw.get("settings")
        if isinstance(settings, dict):
            for name, value in _flatten("settings", settings):
                self.rows["About"].append({"setting": name, "value": value, "meaning": _SETTING_MEANING})

    def officers(self, node: dict[str, Any], ident: Any, kinds: Iterable[str]) -> None:
        for kind in kinds:
            for name, role, email, phone in _people(node.get(kind)):
                self.rows["Officers"].append({"belongs_to": ident, "kind": _OFFICER_KIND_NAMES[kind],
                                              "name": name, "role": role, "email": email, "phone": phone})

    def outcome(self, o: dict[str, Any]) -> None:
        summary = _mapping(o.get("published_summary"))
        row: dict[str, Any] = {"id": o.get("id"), "title": o.get("title"), "introduction": o.get("introduction")}
        for column, key in _SUMMARY:
            row[column] = summary.get(key)
        for key in _FOCUS_LISTS:
            items = summary.get(key)
            row[key] = _join(items) if isinstance(items, list) else items
        self.rows["Outcomes"].append(row)
        self.officers(o, o.get("id"), ("sponsor", "lead_officers", "contacts"))
        for ind in _dicts(o.get("population_indicators")):
            vfm = _mapping(ind.get("value_for_money"))
            ind_row = {key: ind.get(key) for key in ("id", "number", "section", "section_title", "title")}
            ind_row["outcome"] = o.get("id")
            ind_row.update({column: vfm.get(key) for column, key in _VFM})
            self.rows["Indicators"].append(ind_row)
            self.officers(ind, ind.get("id"), ("lead_officers",))
            self.series_of(ind)
            for m in _dicts(ind.get("measures")):
                self.rows["Measures"].append({"indicator": ind.get("id"), "id": m.get("id"), "title": m.get("title"),
                                              "published_trend": m.get("published_trend")})
                self.officers(m, m.get("id"), ("lead_officers",))
                self.series_of(m)

    def series_of(self, item: dict[str, Any]) -> None:
        if isinstance(item.get("series"), list):
            for s in _dicts(item["series"]):
                self.series(s, parent=item.get("id"), ident=s.get("id"), title=s.get("title"))
                self.officers(s, s.get("id"), ("lead_officers",))
        else:
            self.series(item, parent=item.get("id"), ident=item.get("id"), title=None)

    def series(self, s: dict[str, Any], *, parent: Any, ident: Any, title: Any) -> None:
        row: dict[str, Any] = {"parent": parent, "id": ident, "title": title}
        for key in _SERIES_TEXT:
            row[key] = s.get(key)
        unit = s.get("unit")
        if isinstance(unit, dict):
            per = unit.get("per")
            row["unit"] = f"{_as_text(unit.get('type'))} per {_as_text(per)}" if per else unit.get("type")
            row["decimals"], row["currency"] = unit.get("decimals"), unit.get("currency")
        else:
            row["unit"] = unit
        breaks = s.get("breaks")
        row["breaks"] = _join(breaks) if isinstance(breaks, list) else breaks
        target = s.get("target")
        if isinstance(target, dict):
            row.update(target=target.get("value"), target_period=target.get("period"), target_note=target.get("note"))
        else:
            row["target"] = target
        focus = s.get("focus")
        if isinstance(focus, dict) and focus:
            row["focus"], row["focus_reason"] = next(iter(focus.items()))
        else:
            row["focus"] = focus
        pub = _mapping(s.get("published"))
        for which in _HEADLINES:
            headline = _mapping(pub.get(which))
            for key in ("label", "value", "text"):
                row[f"{which}_{key}"] = headline.get(key)
        entries = []
        for h in _dicts(pub.get("extra")):
            entry = f"{_as_text(h.get('label'))}={_as_text(h.get('value'))}"
            entries.append(entry + (f" | {_as_text(h['text'])}" if h.get("text") else ""))
        row["extra"] = _join(entries) if entries else None
        for key in _PUBLISHED_WORDS:
            row[key] = pub.get(key)
        method = s.get("method")
        if isinstance(method, dict):
            row.update(method=method.get("name"), method_age=method.get("age"),
                       method_reference_value=method.get("reference_value"))
        else:
            row["method"] = method
        self.rows["Series"].append(row)
        for c in _dicts(s.get("comparators")):
            c_row = {key: c.get(key) for key in _COMPARATOR_FIELDS}
            members = c.get("members")
            c_row["members"] = _join(members) if isinstance(members, list) else members
            c_row["series"] = ident
            self.rows["Comparators"].append(c_row)


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


def _write_sheet(wb: Any, sheet: Sheet, rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet.name)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, name in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font, cell.fill = bold, fill
    for r, values in enumerate(rows, start=2):
        for c, name in enumerate(sheet.columns, start=1):
            _put(ws, r, c, values.get(name), numeric=name in sheet.numeric)
            if name in sheet.wide and values.get(name):
                ws.cell(row=r, column=c).alignment = wrap
    for c, name in enumerate(sheet.columns, start=1):
        letter = get_column_letter(c)
        longest = max([len(name)] + [len(max(cell_text(v.get(name)).splitlines() or [""], key=len))
                                     for v in rows[:500]])
        ws.column_dimensions[letter].width = 60 if name in sheet.wide and longest > 60 else min(max(longest + 2, 8), 60)
        if name not in sheet.numeric and not (sheet is ABOUT and name == "value"):
            ws.column_dimensions[letter].number_format = "@"  # new cells stay text: 'Mar-18' is not a date
    for name, options in sheet.choices:
        letter = get_column_letter(sheet.columns.index(name) + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="warning", errorTitle=f"Not a usual {name}",
                            error=f"Usually one of: {', '.join(options)}.")
        dv.add(f"{letter}2:{letter}1048576")
        ws.add_data_validation(dv)
    ws.freeze_panes = sheet.freeze
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(rows) + 1}"


def write_workbook(raw: RawDataset, path: Path | str) -> None:
    """Write ``raw`` as one workbook (atomically: a temporary file, then renamed into place).

    Reading the file back gives the same framework, observations, risks and narrative.
    """
    from openpyxl import Workbook

    path = Path(path)
    writer = _Writer(raw)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        _write_sheet(wb, sheet, writer.rows[sheet.name])
    wb.properties.creator = "Outcomes Tracker"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".outcomes-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
