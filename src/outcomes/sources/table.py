"""Read tidy tables (CSV or Excel) and turn them into a dataset folder with a small mapping file.

Two jobs live here, because the import adapters share them:

* **reading**: :func:`read_csv_file` and :func:`read_xlsx_file` give :class:`~outcomes.sources.raw.Row` s
  that remember their file and row; encodings are tried as UTF-8 (a byte-order mark is fine) and a
  Windows-1252 or UTF-16 file is reported with a fix, never guessed. :func:`read_cell` reads one
  value cell, keeping published suppression markers (``c``, ``x``, ``z``, ``low``...) as a missing
  value *with its reason* — never as zero.
* **converting**: :func:`convert_table` reads any tidy table with a mapping (YAML) that names the
  columns holding the area, period, value, numerator, denominator, the series (or one fixed series)
  and the series' metadata, and builds a :class:`~outcomes.sources.raw.RawDataset`.

See ``docs/sources.md`` for the mapping file, with an example.

>>> read_cell("12.5").value, read_cell("c").missing_reason, read_cell("").missing_reason
(12.5, 'c: confidential (suppressed)', 'empty')
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from outcomes.model import UNIT_TYPES, Period, PeriodError, PeriodKind, Polarity
from outcomes.model.period import parse_published
from outcomes.sources.build import FORMAT, parse_number
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.spreadsheet import (
    WorkbookLimits,
    WorkbookRefused,
    cell_text,
    check_workbook,
    unescape_formula,
)
from outcomes.sources.textfiles import load_yaml, utf8_fix, yaml_problem

__all__ = [
    "MISSING_MARKERS",
    "Cell",
    "TableMapping",
    "convert_table",
    "format_number",
    "read_cell",
    "read_csv_file",
    "read_mapping",
    "read_table_file",
    "read_xlsx_file",
    "slug",
]

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


# ------------------------------------------------------------------------------------------ reading


def _decode(raw: bytes, label: str, problems: Problems) -> str | None:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        problems.add(label, "", "", "is UTF-16 text (Excel's 'Unicode Text'), not UTF-8.", utf8_fix(label))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        sample = ""
        try:
            bad = raw[exc.start: exc.start + 1].decode("cp1252")
            sample = f" (byte 0x{raw[exc.start]:02X}, which is '{bad}' in Windows-1252)"
        except UnicodeDecodeError:
            pass
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


# ---------------------------------------------------------------------------------------- the mapping

MAPPED_COLUMNS = ("area", "area_name", "period", "value", "numerator", "denominator", "lower95", "upper95",
                  "lower998", "upper998", "status", "source", "note", "missing_reason", "series", "time_identifier")
SERIES_FIELDS = ("id", "title", "unit", "polarity", "period_kind", "definition", "source", "indicator",
                 "indicator_title", "kind", "outcome", "outcome_title")
#: A table workbook read by ``outcomes convert table``: a published table of a few hundred thousand cells.
TABLE_LIMITS = WorkbookLimits(max_uncompressed=512 * 1024 * 1024, max_members=5000, max_cells=2_000_000,
                              what="table workbook")


@dataclass
class TableMapping:
    """What a mapping file says: see ``docs/sources.md``."""

    columns: dict[str, str]
    series: dict[str, Any] | None = None  # one fixed series
    series_list: list[dict[str, Any]] = field(default_factory=list)  # metadata by value of the series column
    series_columns: dict[str, str] = field(default_factory=dict)  # metadata read from columns
    defaults: dict[str, Any] = field(default_factory=dict)
    home_area: dict[str, Any] = field(default_factory=dict)
    organisation: str = ""
    outcome: dict[str, str] = field(default_factory=dict)
    areas: list[dict[str, str]] = field(default_factory=list)
    comparators: list[dict[str, Any]] = field(default_factory=list)
    markers: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None
    header_row: int = 1
    reporting_period: str = ""
    unquote_formulas: bool = False
    source: str = ""
    series_key: list[str] = field(default_factory=list)  # several columns make the series key
    filters: dict[str, list[str]] = field(default_factory=dict)  # keep rows whose column holds one of these
    area_codes: str = "ons"  # how the area column names areas: ons, la-number, name or any
    other_areas: str = "keep"  # keep, or skip rows of areas that are not home, a comparator, England or its region
    title: str = ""  # what the dataset is about: "public health indicators"


AREA_CODES = ("ons", "la-number", "name", "any")
#: Joins the values of several series-key columns into one key (and the text the mapping's series match).
KEY_JOIN = " | "


def read_mapping(path: Path, problems: Problems) -> TableMapping | None:
    """Read and check a mapping file; every problem names the key and the fix."""
    label = Path(path).name
    try:
        text = Path(path).read_bytes()
    except OSError as exc:
        problems.add(label, "", "", f"cannot be read ({exc.strerror or exc}).", "check the path of --mapping.")
        return None
    decoded = _decode(text, label, problems)
    if decoded is None:
        return None
    try:
        data = load_yaml(decoded, file=label)
    except yaml.YAMLError as exc:
        where, message, fix = yaml_problem(exc)
        problems.add(label, where, "", message, fix)
        return None
    return mapping_from_dict(data, label, problems)


def mapping_from_dict(data: object, label: str, problems: Problems) -> TableMapping | None:
    if not isinstance(data, dict):
        problems.add(label, "", "", "must be a set of 'name: value' entries.", "start from the example in docs/sources.md.")
        return None
    before = len(problems)
    known = {"columns", "series", "series_columns", "defaults", "home_area", "organisation", "outcome", "areas",
             "comparators", "markers", "sheet", "header_row", "reporting_period", "unquote_formulas", "source",
             "filter", "area_codes", "other_areas", "title"}
    for key in data:
        if key not in known:
            problems.add(label, "", str(key), f"'{key}' is not a mapping key.", f"use: {', '.join(sorted(known))}.")
    columns = data.get("columns")
    if not isinstance(columns, dict):
        problems.add(label, "", "columns", "'columns' is missing.",
                     "name the columns, e.g. 'columns: {area: Area Code, period: Year, value: Value}'.")
        columns = {}
    series_key: list[str] = []
    if isinstance(columns.get("series"), list):  # a series keyed on several columns
        series_key = [str(c) for c in columns["series"]]
        columns = {**columns, "series": KEY_JOIN.join(series_key)}
    columns = {str(k): str(v) for k, v in columns.items() if v is not None}
    for key in columns:
        if key not in MAPPED_COLUMNS:
            problems.add(label, "", f"columns.{key}", f"'{key}' is not something a column can hold.",
                         f"use: {', '.join(MAPPED_COLUMNS)}.")
    for need in ("area", "period", "value"):
        if need not in columns:
            problems.add(label, "", f"columns.{need}", f"which column holds the {need} is not said.",
                         f"add 'columns: {{{need}: <column name>}}'.")
    series = data.get("series")
    series_columns = data.get("series_columns") or {}
    if not isinstance(series_columns, dict):
        problems.add(label, "", "series_columns", "must map series fields to column names.", "")
        series_columns = {}
    fixed: dict[str, Any] | None = None
    listed: list[dict[str, Any]] = []
    if "series" in columns:
        if isinstance(series, dict):
            listed = [{"match": k, **(v or {})} for k, v in series.items()]
        elif isinstance(series, list):
            listed = [s for s in series if isinstance(s, dict)]
        elif series is not None:
            problems.add(label, "", "series", "must list the series by the values of the series column.", "")
    elif isinstance(series, dict):
        fixed = series
    else:
        problems.add(label, "", "series",
                     "there is neither a series column ('columns: {series: ...}') nor one fixed series ('series:').",
                     "add 'series: {id: ..., title: ..., unit: ..., polarity: ..., period_kind: ...}'.")
    home = data.get("home_area") or {}
    if not isinstance(home, dict):
        problems.add(label, "", "home_area", "must be '{code: ..., name: ...}' or '{column: ..., equals: ...}'.", "")
        home = {}
    markers = data.get("markers") or {}
    if not isinstance(markers, dict):
        problems.add(label, "", "markers", "must map each marker to its meaning, e.g. '{\"n/a\": not available}'.", "")
        markers = {}
    header_row = data.get("header_row", 1)
    if not isinstance(header_row, int) or header_row < 1:
        problems.add(label, "", "header_row", f"'{header_row}' is not a row number.", "write e.g. 'header_row: 3'.")
        header_row = 1
    filters_node = data.get("filter") or {}
    filters: dict[str, list[str]] = {}
    if not isinstance(filters_node, dict):
        problems.add(label, "", "filter", "must map columns to the values to keep, e.g. '{Sex: Persons}'.", "")
    else:
        for col, vals in filters_node.items():
            filters[str(col)] = [("" if v is None else str(v)) for v in (vals if isinstance(vals, list) else [vals])]
    area_codes = str(data.get("area_codes") or "ons")
    if area_codes not in AREA_CODES:
        problems.add(label, "", "area_codes", f"'{area_codes}' is not a way of naming areas.",
                     f"use one of: {', '.join(AREA_CODES)}.")
    other_areas = str(data.get("other_areas") or "keep")
    if other_areas not in ("keep", "skip"):
        problems.add(label, "", "other_areas", f"'{other_areas}' is neither keep nor skip.", "write keep or skip.")
    if len(problems) > before:
        return None
    return TableMapping(
        series_key=series_key, filters=filters, area_codes=area_codes, other_areas=other_areas,
        title=str(data.get("title") or ""),
        columns=columns, series=fixed, series_list=listed,
        series_columns={str(k): str(v) for k, v in series_columns.items()},
        defaults=dict(data.get("defaults") or {}), home_area=dict(home),
        organisation=str(data.get("organisation") or ""), outcome=dict(data.get("outcome") or {}),
        areas=list(data.get("areas") or []), comparators=list(data.get("comparators") or []),
        markers={str(k): str(v) for k, v in markers.items()},
        sheet=str(data["sheet"]) if data.get("sheet") is not None else None, header_row=header_row,
        reporting_period=str(data.get("reporting_period") or ""),
        unquote_formulas=bool(data.get("unquote_formulas")), source=str(data.get("source") or ""),
    )


# ---------------------------------------------------------------------------------------- converting


def _check_series_meta(meta: dict[str, Any], where: str, label: str, problems: Problems, *,
                       need_kind: bool = True) -> None:
    unit = str(meta.get("unit") or "")
    kind = unit.replace(",", "").split()[0].lower() if unit.split() else ""
    if not unit:
        problems.add(label, where, "unit", "the series has no unit.",
                     f"add 'unit:' ({', '.join(UNIT_TYPES)}, or 'rate per 10000').")
    elif kind not in UNIT_TYPES:
        problems.add(label, where, "unit", f"'{unit}' is not a unit.", f"use {', '.join(UNIT_TYPES)} or 'rate per N'.")
    pol = str(meta.get("polarity") or "")
    if pol and pol not in tuple(p.value for p in Polarity):
        problems.add(label, where, "polarity", f"'{pol}' is not a polarity.",
                     "use higher-is-better, lower-is-better or no-judgement (or leave it out: described, not judged).")
    pk = str(meta.get("period_kind") or "")
    if not pk and not need_kind:
        return
    if not pk:
        problems.add(label, where, "period_kind", "the series has no period_kind.",
                     f"add 'period_kind:' ({', '.join(k.value for k in PeriodKind)}).")
    else:
        try:
            PeriodKind(pk)
        except ValueError:
            problems.add(label, where, "period_kind", f"'{pk}' is not a kind of period.",
                         f"use one of: {', '.join(k.value for k in PeriodKind)}.")


@dataclass
class TableSummary:
    """What a conversion did, for the command to print."""

    series: dict[str, int] = field(default_factory=dict)  # id -> home observations
    areas: dict[str, str] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)  # reason -> count
    notes: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)  # series without polarity
    skipped: dict[str, int] = field(default_factory=dict)
    left_out: Any = None  # bulk.LeftOut
    reporting_period: str = ""


def convert_table(path: Path, mapping: TableMapping, problems: Problems, *, home_area: str | None = None,
                  home_name: str | None = None, strict: bool = True,
                  period: str | None = None) -> tuple[RawDataset | None, TableSummary]:
    """Read a tidy CSV, Excel or Parquet table with ``mapping`` into a raw dataset (None if any problem).

    With ``strict=False`` a series with a problem in any of its rows is left out whole and listed in
    ``summary.left_out``; the others are converted.
    """
    from outcomes.sources.areas import ENGLAND, bundled_directory
    from outcomes.sources.bulk import LeftOut

    summary = TableSummary(left_out=LeftOut(strict=strict))
    key_columns = mapping.series_key
    required = [c for k, c in mapping.columns.items() if not (k == "series" and key_columns)]
    required += [c for c in [*key_columns, *mapping.series_columns.values(), *mapping.filters] if c not in required]
    if mapping.home_area.get("column"):
        required.append(str(mapping.home_area["column"]))
    header, rows = read_table_file(path, problems, sheet=mapping.sheet, header_row=mapping.header_row,
                                   required=required, keep=mapping.filters or None)
    if problems:
        return None, summary
    cols = mapping.columns
    label = Path(path).name
    directory = bundled_directory() if mapping.area_codes != "ons" else None

    def get(row: Row, key: str) -> str:
        if key == "series" and key_columns:
            return KEY_JOIN.join(row.values.get(c, "").strip() for c in key_columns)
        name = cols.get(key) or mapping.series_columns.get(key)
        text = row.values.get(name, "") if name else ""
        if mapping.unquote_formulas:
            text = unescape_formula(text)
        return text.strip()

    # -- the series and their metadata
    metas: dict[str, dict[str, Any]] = {}
    match_to_id: dict[str, str] = {}
    meta_origin: dict[str, Row] = {}
    if mapping.series is not None:
        meta = {**mapping.defaults, **mapping.series}
        meta["id"] = str(meta.get("id") or slug(str(meta.get("title") or "")) or "series")
        _check_series_meta(meta, "", "mapping: series", problems, need_kind="time_identifier" not in mapping.columns)
        metas[meta["id"]] = meta
    else:
        for i, item in enumerate(mapping.series_list):
            match = str(item.get("match", item.get("id", "")))
            meta = {**mapping.defaults, **{k: v for k, v in item.items() if k != "match"}}
            meta["id"] = str(meta.get("id") or slug(match))
            match_to_id[match] = meta["id"]
            metas[meta["id"]] = meta
            if not mapping.series_columns:
                _check_series_meta(meta, f"series[{i}]", "mapping", problems,
                                   need_kind="time_identifier" not in mapping.columns)
    # -- the home area
    home_code = home_area or str(mapping.home_area.get("code") or "")
    if directory is not None and home_code:
        found_home = directory.resolve_any(home_code)
        home_code = found_home.code if found_home else home_code
    home_label = home_name or str(mapping.home_area.get("name") or "")
    home_column = str(mapping.home_area.get("column") or "")
    home_equals = str(mapping.home_area.get("equals") or "home")
    names: dict[str, str] = {str(a.get("code")): str(a.get("name") or a.get("code")) for a in mapping.areas
                             if isinstance(a, dict) and a.get("code")}
    wanted_areas: set[str] = set()
    if mapping.other_areas == "skip":
        wanted_areas = {home_code, ENGLAND.code}
        for c in mapping.comparators:
            if isinstance(c, dict):
                wanted_areas.add(str(c.get("area") or ""))
                wanted_areas.update(str(m) for m in c.get("members") or [])
        if directory is not None and directory.get(home_code) is not None:
            wanted_areas.add(directory.get(home_code).region)  # type: ignore[union-attr]
    out_rows: list[Row] = []
    own: dict[str, Problems] = {}  # each series' problems (bulk policy)
    seen: dict[tuple[str, str, str], int] = {}
    periods: dict[str, list[Period]] = {}
    for row in rows:
        if mapping.series is not None:
            sid = next(iter(metas))
        else:
            key = get(row, "series")
            if not key.strip(" |"):
                problems.add(row.file, row.location, cols["series"], "the series is empty.", "write the series.")
                continue
            sid = match_to_id.get(key, "")
            if not sid:
                if mapping.series_columns or not mapping.series_list:
                    sid = key if re.match(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$", key) else slug(key)
                    match_to_id[key] = sid
                else:
                    problems.add(row.file, row.location, cols["series"], f"'{key}' is not a series in the mapping.",
                                 "add it under 'series:' in the mapping file, or remove the row.")
                    continue
        sp = own.setdefault(sid, problems.part())
        before = len(sp)
        meta = metas.setdefault(sid, {**mapping.defaults, "id": sid})
        for fname, column in mapping.series_columns.items():
            text = get(row, fname)
            if fname not in SERIES_FIELDS:
                continue
            if fname not in meta or sid not in meta_origin:
                if text:
                    meta[fname] = text
            elif text and str(meta.get(fname)) != text:
                sp.add(row.file, row.location, column,
                       f"series {sid} has {fname} '{text}' here but '{meta.get(fname)}' in row "
                       f"{meta_origin[sid].number}.", "give every row of a series the same metadata.")
        meta_origin.setdefault(sid, row)
        area = get(row, "area")
        if not area and directory is not None:  # e.g. England's rows in a file keyed on DfE LA numbers
            summary.skipped["rows with no area (the area column is empty)"] = summary.skipped.get(
                "rows with no area (the area column is empty)", 0) + 1
            continue
        if not area:
            sp.add(row.file, row.location, cols["area"], "the area is empty.", "write the area code.")
        elif directory is not None:
            written = area
            found = (directory.resolve(area) if mapping.area_codes == "la-number"
                     else directory.resolve_any(area) if mapping.area_codes == "any"
                     else directory.resolve_any(area) if mapping.area_codes == "name" else None)
            if found is None:
                summary.skipped[f"areas not in the bundled lookup ({mapping.area_codes})"] = summary.skipped.get(
                    f"areas not in the bundled lookup ({mapping.area_codes})", 0) + 1
                continue
            area = found.code
            names.setdefault(area, found.name if written.upper() != found.code else found.name)
        if wanted_areas and area not in wanted_areas:
            summary.skipped["other areas (not the home area, a comparator, England or its region)"] = (
                summary.skipped.get("other areas (not the home area, a comparator, England or its region)", 0) + 1)
            continue
        if home_column:
            role = row.values.get(home_column, "").strip()
            if role.lower() == home_equals.lower() and area:
                if home_code and home_code != area:
                    problems.add(row.file, row.location, home_column,
                                 f"a second home area '{area}' (the first was '{home_code}').",
                                 "mark one area as the home area.")
                home_code = home_code or area
        if "area_name" in cols and area and get(row, "area_name"):
            names.setdefault(area, get(row, "area_name"))
        ptext = get(row, "period")
        kind_text = str(meta.get("period_kind") or "")
        if "time_identifier" in cols and get(row, "time_identifier"):  # DfE: time_period with time_identifier
            try:
                kind_text = PeriodKind(get(row, "time_identifier")).value
            except ValueError:
                sp.add(row.file, row.location, cols["time_identifier"],
                       f"'{get(row, 'time_identifier')}' is not a kind of period I know.",
                       "DfE writes e.g. 'Academic year', 'Financial year', 'Calendar year', 'Reporting year'.")
            meta.setdefault("period_kind", kind_text)
        period_found: Period | None = None
        note = ""
        try:
            kind = PeriodKind(kind_text) if kind_text else None
        except ValueError:
            kind = None
        if not ptext:
            sp.add(row.file, row.location, cols["period"], "the period is empty.", "write the period.")
        else:
            try:
                period_found, note = parse_published(ptext, kind=kind)
            except PeriodError as exc:
                sp.add(row.file, row.location, cols["period"], str(exc), "write the period as docs/periods.md shows.")
        values: dict[str, str] = {"series": sid, "area": area,
                                  "period": str(period_found) if period_found else ptext}
        missing = ""
        for name in ("value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998"):
            if name not in cols:
                continue
            cell = read_cell(get(row, name), markers=mapping.markers or None)
            if cell.error:
                sp.add(row.file, row.location, cols[name], cell.error + ".",
                       "write a number, or add the marker to 'markers:' in the mapping with its meaning.")
            values[name] = format_number(cell.value)
            if name == "value" and cell.value is None and not cell.error:
                missing = cell.missing_reason
        for name in ("status", "source", "note", "missing_reason"):
            if name in cols:
                values[name] = get(row, name)
        if note:
            values["note"] = " ".join(x for x in (values.get("note", ""), f"Period published as '{ptext}' ({note}).")
                                      if x)
        if values.get("status", "").lower() not in ("", "final", "provisional"):
            sp.add(row.file, row.location, cols["status"], f"'{values['status']}' is not a status.",
                   "write final or provisional.")
        if not values.get("source") and mapping.source:
            values["source"] = mapping.source
        if not values.get("value"):
            reason = values.get("missing_reason") or ("" if missing == "empty" else missing)
            values["missing_reason"] = reason or "no value in the source table"
            summary.missing[values["missing_reason"]] = summary.missing.get(values["missing_reason"], 0) + 1
        if len(sp) > before or period_found is None:
            continue
        key3 = (sid, area, values["period"])
        if key3 in seen:
            sp.add(row.file, row.location, cols["period"],
                   f"{sid} already has a value for {area} in {values['period']} (row {seen[key3]}).",
                   "keep one row per series, area and period (key the series on more columns, or filter the rows).")
            continue
        seen[key3] = row.number
        periods.setdefault(sid, []).append(period_found)
        out_rows.append(Row({c: values.get(c, "") for c in OBSERVATION_COLUMNS}, "observations.csv",
                            len(out_rows) + 2))
    for sid, meta in metas.items():
        if sid in periods and (mapping.series_columns or mapping.series is None and not mapping.series_list):
            origin = meta_origin.get(sid)
            _check_series_meta(meta, origin.location if origin else "", origin.file if origin else label,
                               own.setdefault(sid, problems.part()))
    dropped = {sid for sid, sp in own.items() if not summary.left_out.settle(sid, sp, problems)}
    if dropped:
        out_rows = [r for r in out_rows if r.values["series"] not in dropped]
        for i, r in enumerate(out_rows, start=2):
            r.number = i
        for sid in dropped:
            periods.pop(sid, None)
    if not home_code:
        problems.add("mapping", "", "home_area", "the home area is not given.",
                     "pass --area CODE, or add 'home_area: {code: ..., name: ...}' to the mapping.")
    if problems:
        return None, summary
    home_rows = [r for r in out_rows if r.values["area"] == home_code]
    if not home_rows:
        areas_seen = sorted({r.values["area"] for r in out_rows})
        problems.add(label, "", cols["area"], f"no row is for the home area '{home_code}'.",
                     f"check the area code; the table has: {', '.join(areas_seen[:12])}"
                     f"{'...' if len(areas_seen) > 12 else ''}.")
        if dropped:
            summary.left_out.fail(problems)
        return None, summary
    used = [sid for sid in metas if sid in periods]
    home_periods = [Period.parse(r.values["period"], kind=metas[r.values["series"]]["period_kind"])
                    if metas[r.values["series"]].get("period_kind") != "rolling" else Period.parse(r.values["period"])
                    for r in home_rows]
    reporting = mapping.reporting_period or str(max(home_periods))
    if period:
        try:
            reporting = str(parse_published(period)[0])
        except PeriodError as exc:
            problems.add("--period", "", "--period", str(exc), "write the period as docs/periods.md shows.")
            return None, summary
    summary.reporting_period = reporting
    series_nodes: dict[str, dict[str, Any]] = {}
    for sid in used:
        meta = metas[sid]
        node: dict[str, Any] = {"id": sid, "title": str(meta.get("title") or sid), "unit": str(meta["unit"])}
        if meta.get("polarity"):
            node["polarity"] = str(meta["polarity"])
        else:
            summary.unjudged.append(sid)
        node["period_kind"] = str(meta["period_kind"])
        for key in ("definition", "source"):
            if meta.get(key):
                node[key] = str(meta[key])
        comparators = [dict(c) for c in mapping.comparators if isinstance(c, dict)]
        if comparators:
            node["comparators"] = comparators
        series_nodes[sid] = node
        summary.series[sid] = sum(1 for r in home_rows if r.values["series"] == sid)
    area_codes = sorted({r.values["area"] for r in out_rows} - {home_code})
    summary.areas = {code: names.get(code, code) for code in [home_code, *area_codes]}
    place = home_label or names.get(home_code, home_code)
    subject = mapping.title or "indicators"
    default_outcome = {"id": str(mapping.outcome.get("id") or f"{slug(place)}-{slug(mapping.source)[:40] or 'table'}"),
                       "title": str(mapping.outcome.get("title") or f"{place}: {subject}")}
    outcomes = _place_series(series_nodes, metas, default_outcome, problems, label)
    if problems:
        return None, summary
    framework = {
        "format": FORMAT,
        "organisation": mapping.organisation or place,
        "area": {"code": home_code, "name": place},
        "reporting_period": reporting,
        "report": {"title": f"{place}: {subject}", "status": "draft"},
        "areas": [{"code": c, "name": names.get(c, c)} for c in area_codes],
        "outcomes": outcomes,
    }
    if not framework["areas"]:
        del framework["areas"]
    return RawDataset(framework=framework, framework_file="framework.yaml", observations=out_rows), summary


MEASURE_KINDS = ("measure", "performance-measure", "performance_measure", "performance measure")


def _place_series(nodes: dict[str, dict[str, Any]], metas: dict[str, dict[str, Any]], default: dict[str, str],
                  problems: Problems, label: str) -> list[dict[str, Any]]:
    """Series under outcomes, population indicators and measures, as their metadata says.

    ``outcome`` (and ``outcome_title``) names a series' outcome (default: the mapping's); ``indicator``
    (and ``indicator_title``) the population indicator it is a series of (default: its own); with
    ``kind: measure`` it is a performance measure under that indicator.
    """
    outcomes: dict[str, dict[str, Any]] = {}
    indicators: dict[str, dict[str, Any]] = {}
    measures = []
    for sid, node in nodes.items():
        meta = metas[sid]
        oid = str(meta.get("outcome") or default["id"])
        outcome = outcomes.setdefault(oid, {"id": oid, "title": str(meta.get("outcome_title") or (
            default["title"] if oid == default["id"] else oid)), "population_indicators": []})
        if str(meta.get("kind") or "").lower() in MEASURE_KINDS:
            measures.append((sid, node, meta))
            continue
        ind_id = str(meta.get("indicator") or sid)
        if ind_id == sid and ind_id not in indicators:
            ind = {"id": sid, "title": node["title"], **{k: v for k, v in node.items() if k not in ("id", "title")}}
            indicators[sid] = ind
            outcome["population_indicators"].append(ind)
            continue
        holder = indicators.get(ind_id)
        if holder is None:
            holder = {"id": ind_id, "title": str(meta.get("indicator_title") or ind_id), "series": []}
            indicators[ind_id] = holder
            outcome["population_indicators"].append(holder)
        holder.setdefault("series", []).append(node)
    for sid, node, meta in measures:
        parent = indicators.get(str(meta.get("indicator") or ""))
        if parent is None:
            problems.add(label, "", "indicator", f"the measure {sid} names no population indicator of this table "
                         f"('{meta.get('indicator') or ''}').", "give 'indicator:' the id of one of the table's "
                         "indicator series.")
            continue
        parent.setdefault("measures", []).append(node)
    for outcome in outcomes.values():
        for i, ind in enumerate(outcome["population_indicators"], 1):
            ind["number"] = f"{i:02d}"
    return list(outcomes.values())
