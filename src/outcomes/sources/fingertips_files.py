"""Fingertips' file layouts: the columns of each layout, the names they map to, and the lookup files.

Moved from :mod:`outcomes.sources.fingertips` (which re-exports these names); see there for how a
download is converted.
"""

from __future__ import annotations

import re
from pathlib import Path

from outcomes.sources.problems import Problems

FINGERTIPS_COLUMNS = (
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator", "Value note",
    "Recent Trend", "Compared to England value or percentiles", "Compared to percentiles",
    "Time period Sortable", "New data", "Compared to goal", "Time period range",
)
REQUIRED = ("Indicator ID", "Indicator Name", "Area Code", "Area Name", "Time period", "Value")
LIMITS = {"lower95": "Lower CI 95.0 limit", "upper95": "Upper CI 95.0 limit",
          "lower998": "Lower CI 99.8 limit", "upper998": "Upper CI 99.8 limit"}
#: A published limit agrees with the recomputed one when it is within this much (in the unit of the value)...
ABSOLUTE_TOLERANCE = 0.05
#: ... or within this fraction of the recomputed limit, whichever is larger.
RELATIVE_TOLERANCE = 0.005
#: How close Value must be to Count / Denominator × multiplier for the multiplier to be taken as the unit.
UNIT_MATCH = 0.005
MULTIPLIERS = {100: "percentage", 1_000: "rate per 1000", 10_000: "rate per 10000", 100_000: "rate per 100000"}
METHODS = ("wilson", "byar", "none")

#: Column names of the other Fingertips layouts, by the classic name they stand for. Names are
#: compared in lower case without spaces or punctuation, so ``fingertipsR``'s names (``IndicatorID``,
#: ``Timeperiod``, ``LowerCI95.0limit``, ``ComparedtoEnglandvalueorpercentiles``...) match the classic
#: ones directly. The new Fingertips service's data file has ``IndicatorId, Year, AgeID, SexID, AreaCode,
#: Count, Value, LowerCI, UpperCI, Denominator, Trend, Sex, Age, CategoryType, Category``, with names
#: of areas and indicators in separate lookup files.
NEW_SERVICE_NAMES = {"year": "Time period", "lowerci": "Lower CI 95.0 limit", "upperci": "Upper CI 95.0 limit",
                     "trend": "Recent Trend", "lowerci95": "Lower CI 95.0 limit", "upperci95": "Upper CI 95.0 limit",
                     "lowerci998": "Lower CI 99.8 limit", "upperci998": "Upper CI 99.8 limit",
                     "parentareacode": "Parent Code", "parentareaname": "Parent Name"}
FILE_REQUIRED = ("Indicator ID", "Area Code", "Time period", "Value")
NEW_SERVICE_COLUMNS = ("IndicatorId", "Year", "AgeID", "SexID", "AreaCode", "Count", "Value", "LowerCI", "UpperCI",
                       "Denominator", "Trend", "Sex", "Age", "CategoryType", "Category")
#: How Fingertips writes an indicator's polarity (the API's ``Polarity`` and the new service's lookup).
FINGERTIPS_POLARITY = {"rag - high is good": "higher-is-better", "rag - low is good": "lower-is-better",
                       "highisgood": "higher-is-better", "lowisgood": "lower-is-better", "high is good":
                       "higher-is-better", "low is good": "lower-is-better", "bob - blue orange blue": "no-judgement",
                       "not applicable": "no-judgement", "nojudgement": "no-judgement", "no judgement": "no-judgement",
                       "rag - middle is good": "no-judgement"}
AREA_CODE_NAMES = ("Area Code", "AreaCode", "Area code", "areacode", "AREA_CODE", "area_code")


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def column_names(header: list[str]) -> tuple[dict[str, str], str]:
    """How a file's columns map to the classic names, and which layout the header is.

    >>> column_names(["IndicatorId", "Year", "AreaCode", "LowerCI", "Value"])
    ({'IndicatorId': 'Indicator ID', 'Year': 'Time period', 'AreaCode': 'Area Code', 'LowerCI': 'Lower CI 95.0 limit', 'Value': 'Value'}, 'the new Fingertips service')
    >>> column_names(["IndicatorID", "Timeperiod", "AreaCode", "Value"])[1]
    'fingertipsR / the Fingertips API'
    """
    classic = {_norm(c): c for c in FINGERTIPS_COLUMNS}
    rename: dict[str, str] = {}
    for name in header:
        target = classic.get(_norm(name)) or NEW_SERVICE_NAMES.get(_norm(name))
        if target and target not in rename.values():
            rename[name] = target
    if all(h in FINGERTIPS_COLUMNS for h in header if h in rename):
        layout = "the classic Fingertips download"
    elif any(_norm(h) in ("year", "lowerci", "ageid", "sexid") for h in header):
        layout = "the new Fingertips service"
    else:
        layout = "fingertipsR / the Fingertips API"
    return rename, layout


def read_area_lookup(path: Path, problems: Problems) -> dict[str, tuple[str, str]]:
    """An area lookup: code -> (name, parent code).

    Columns ``AreaCode``, ``AreaName`` and either a parent column (``ParentAreaCode``, ``Parent Code``)
    or, as the new Fingertips service's area file has it, ``Children``: each area's child codes
    separated by ``|``. An area with several parents (a county is in a region and in an ICB) takes
    the region (``E12...``) when there is one.
    """
    found = _lookup(path, problems, "area", {
        "code": ("areacode", "code", "areaid"), "name": ("areaname", "name"),
        "parent": ("parentareacode", "parentcode", "parent", "parentareaid"), "children": ("children", "childareas")})
    parents: dict[str, list[str]] = {}
    for code, node in found.items():
        for child in re.split(r"[|;,]", node.get("children", "")):
            if child.strip():
                parents.setdefault(child.strip().upper(), []).append(code)
    out: dict[str, tuple[str, str]] = {}
    for code, node in found.items():
        parent = node.get("parent", "").upper()
        if not parent and parents.get(code):
            parent = sorted(parents[code], key=lambda c: (not c.startswith("E12"), c))[0]
        out[code] = (node.get("name", ""), parent)
    return out


def read_indicator_lookup(path: Path, problems: Problems) -> dict[str, dict[str, str]]:
    """An indicator lookup → per-indicator metadata (title, polarity, unit, method) as :func:`read_metadata` gives."""
    found = _lookup(path, problems, "indicator", {
        "code": ("indicatorid", "id", "indicator"), "title": ("indicatorname", "name", "title"),
        "polarity": ("polarity",), "unit": ("unit", "unitlabel", "units"),
        "value_type": ("valuetype", "valuetypename", "type")})
    out: dict[str, dict[str, str]] = {}
    for code, node in found.items():
        meta: dict[str, str] = {}
        if node.get("title"):
            meta["title"] = node["title"]
        pol = FINGERTIPS_POLARITY.get(node.get("polarity", "").strip().lower())
        if pol:
            meta["polarity"] = pol
        unit = _unit_from_lookup(node.get("unit", ""), node.get("value_type", ""))
        if unit:
            meta["unit"] = unit
        vt = node.get("value_type", "").lower()
        if "standardised" in vt or "life expectancy" in vt or "ratio" in vt:
            meta["method"] = "none"
        out[code] = meta
    return out


def _unit_from_lookup(unit: str, value_type: str) -> str:
    t = f"{unit} {value_type}".lower().replace(",", "")
    if m := re.search(r"per\s+(\d+)", t):
        return f"rate per {m.group(1)}"
    if "%" in t or "proportion" in t or "percent" in t:
        return "percentage"
    return ""


def _lookup(path: Path, problems: Problems, what: str,
            columns: dict[str, tuple[str, ...]]) -> dict[str, dict[str, str]]:
    from outcomes.sources.reading import read_table

    table = read_table(Path(path), problems)
    if table is None:
        return {}
    by_norm = {_norm(h): h for h in table.header}
    found = {key: next((by_norm[n] for n in names if n in by_norm), "") for key, names in columns.items()}
    if not found["code"]:
        problems.add(table.label, "row 1", "", f"no column holds the {what} code.",
                     f"give the {what} lookup with a column named like {columns['code'][0]}.")
        return {}
    out: dict[str, dict[str, str]] = {}
    for row in table.rows():
        code = row.get(found["code"]).upper()
        if code:
            out[code] = {k: row.get(c) for k, c in found.items() if c and k != "code"}
    return out

