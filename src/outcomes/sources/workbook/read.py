"""Reading a dataset workbook (:func:`read_workbook`) into the same
:class:`~outcomes.sources.raw.RawDataset` as the folder reader, the framework sheets becoming the
nested mapping ``framework.yaml`` would hold; every problem names the sheet, the row and the
column.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outcomes.sources.problems import Problems
from outcomes.sources.raw import (
    NARRATIVE_SECTIONS,
    NarrativeDoc,
    RawDataset,
    Row,
)
from outcomes.sources.spreadsheet import (
    DATASET_LIMITS,
    WorkbookRefused,
    cell_text,
    check_workbook,
)
from outcomes.sources.workbook.cells import _as_text, _cell_value, _label, _norm, _split, plain_number
from outcomes.sources.workbook.layout import (
    _ABOUT_ALIASES,
    _ABOUT_LISTS,
    _COMPARATOR_FIELDS,
    _FOCUS_LISTS,
    _HEADLINES,
    _OFFICER_KIND_NAMES,
    _OFFICER_KINDS,
    _PUBLISHED_WORDS,
    _SERIES_TEXT,
    _SUMMARY,
    _VFM,
    ABOUT_ROWS,
    SHEETS,
    Sheet,
)

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
