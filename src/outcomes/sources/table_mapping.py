"""The mapping file of :func:`~outcomes.sources.table.convert_table`: which columns hold the area,
period, value, numerator, denominator and series, and the series' metadata (:class:`TableMapping`,
read from YAML with every problem named).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from outcomes.sources.problems import Problems
from outcomes.sources.table_files import _decode
from outcomes.sources.textfiles import load_yaml, yaml_problem

MAPPED_COLUMNS = ("area", "area_name", "period", "value", "numerator", "denominator", "lower95", "upper95",
                  "lower998", "upper998", "status", "source", "note", "missing_reason", "series", "time_identifier")
SERIES_FIELDS = ("id", "title", "unit", "polarity", "period_kind", "definition", "source", "indicator",
                 "indicator_title", "kind", "outcome", "outcome_title")


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
