"""Fingertips (OHID public health profiles) data downloads → a dataset folder.

:func:`convert_fingertips` reads the CSV that Fingertips' "Export data" button gives (columns
``Indicator ID``, ``Indicator Name``, ``Parent Code``, ``Area Code``, ``Sex``, ``Age``, ``Category
Type``, ``Time period``, ``Value``, the 95% and 99.8% limits, ``Count``, ``Denominator``, ``Value
note``, ``Recent Trend``, ``Compared to England value or percentiles``, ...) and makes one series
per indicator (per sex and age where the download has several), for a home area, with England
(E92000001) and the home area's parent (its region) as benchmark rows.

* The published limits are kept. Where the value is a percentage or a crude rate of ``Count`` over
  ``Denominator`` (found from the figures, or declared in the metadata), the limits are recomputed —
  Wilson for percentages, exact Poisson below 10 events and Byar's from 10 for rates — and every
  disagreement beyond :data:`ABSOLUTE_TOLERANCE` / :data:`RELATIVE_TOLERANCE` is noted on the row
  and listed in the summary. Standardised rates (DSRs) and survey estimates are not recomputed.
* ``Recent Trend`` and ``Compared to England...`` are kept as the *published* statements of the
  latest period, mapped to our words (``getting better`` → improving, ``Better`` → better, ...).
* Polarity is not in the download: it comes from ``polarity`` (``{indicator id: polarity}``) or the
  metadata file; a series without one is described, not judged, and the summary says so.

Column mapping: ``docs/sources.md``.

>>> str(fingertips_period("2016 - 18")), str(fingertips_period("2017/18")), str(fingertips_period("2017/18 Q3"))
('36 months to December 2018', '2017-18', 'Q3 2017-18')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from outcomes.model import Period, PeriodError, PeriodKind, Polarity
from outcomes.model.period import parse_published
from outcomes.sources.areas import ENGLAND
from outcomes.sources.build import FORMAT
from outcomes.sources.bulk import LeftOut
from outcomes.sources.fingertips_categories import category_breakdowns
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.table import format_number, read_cell, slug
from outcomes.sources.textfiles import YamlRefused, load_yaml, utf8_fix
from outcomes.stats import proportion_interval, rate_interval

__all__ = [
    "ABSOLUTE_TOLERANCE",
    "FINGERTIPS_COLUMNS",
    "RELATIVE_TOLERANCE",
    "FingertipsSummary",
    "convert_fingertips",
    "fingertips_period",
    "read_metadata",
]

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


# ------------------------------------------------------------------------------------------ periods


def fingertips_period(text: str, *, kind: PeriodKind | None = None) -> Period:
    """A Fingertips ``Time period`` as a :class:`Period`.

    ``2018`` is a calendar year; ``2017/18`` a financial year (or academic, with ``kind``);
    ``2017/18 Q3`` a quarter; ``2016 - 18`` three calendar years (a 36-month rolling window);
    ``2015/16 - 17/18`` three financial years; anything else is read by :meth:`Period.parse`.

    >>> str(fingertips_period("2015/16 - 17/18")), str(fingertips_period("2017/18", kind=PeriodKind.ACADEMIC_YEAR))
    ('36 months to March 2018', 'AY 2017/18')
    """
    return parse_published(text, kind=kind)[0]


# ----------------------------------------------------------------------------------------- metadata


def read_metadata(path: Path, problems: Problems) -> dict[str, dict[str, str]]:
    """Per-indicator metadata: ``indicators: {ID: {polarity, unit, period_kind, title, method}}``."""
    label = Path(path).name
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8-sig"), file=label)
    except UnicodeDecodeError:
        problems.add(label, "", "", "is not UTF-8 text.", utf8_fix(label))
        return {}
    except YamlRefused as exc:
        problems.add(label, exc.location, "", exc.message, exc.fix)
        return {}
    except (OSError, yaml.YAMLError) as exc:
        problems.add(label, "", "", f"cannot be read ({exc}).", "write it as YAML: 'indicators: {90284: {polarity: lower-is-better}}'.")
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        problems.add(label, "", "indicators", "has no 'indicators:' mapping.",
                     "write 'indicators:' then one 'ID: {polarity: ..., unit: ...}' per indicator.")
        return {}
    out: dict[str, dict[str, str]] = {}
    for key, node in data["indicators"].items():
        if not isinstance(node, dict):
            problems.add(label, "", f"indicators.{key}", "must be a set of 'name: value' entries.", "")
            continue
        out[str(key)] = {str(k): str(v) for k, v in node.items() if v is not None}
    check_metadata(out, label, problems)
    return out


def check_metadata(meta: dict[str, dict[str, str]], label: str, problems: Problems) -> None:
    polarities = tuple(p.value for p in Polarity)
    for ind, node in meta.items():
        for key, value in node.items():
            where = f"indicators.{ind}.{key}"
            if key == "polarity" and value not in polarities:
                problems.add(label, "", where, f"'{value}' is not a polarity.", f"use one of: {', '.join(polarities)}.")
            elif key == "method" and value not in METHODS:
                problems.add(label, "", where, f"'{value}' is not an interval method.", f"use one of: {', '.join(METHODS)}.")
            elif key == "period_kind":
                try:
                    PeriodKind(value)
                except ValueError:
                    problems.add(label, "", where, f"'{value}' is not a kind of period.",
                                 f"use one of: {', '.join(k.value for k in PeriodKind)}.")
            elif key not in ("polarity", "polarity_source", "method", "period_kind", "unit", "title", "definition"):
                problems.add(label, "", where, f"'{key}' is not an indicator setting.",
                             "use polarity, polarity_source, unit, period_kind, method, title or definition.")


# --------------------------------------------------------------------------------------- converting


@dataclass
class FingertipsSummary:
    """What the conversion did, for the command to print."""

    home: str = ""
    home_name: str = ""
    region: str = ""
    region_name: str = ""
    series: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # series -> unit and how it was found
    unjudged: list[str] = field(default_factory=list)
    interval_notes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    breakdowns_left_out: dict[str, int] = field(default_factory=dict)  # "indicator 90366: Male, 65+ yrs" -> rows
    breakdowns: dict[str, int] = field(default_factory=dict)  # series -> rows by category (breakdowns.csv)
    left_out: LeftOut = field(default_factory=LeftOut)
    layout: str = ""
    reporting_period: str = ""

    def lines(self) -> list[str]:
        out = [f"Read as {self.layout}." if self.layout else "",
               f"Home area: {self.home_name} ({self.home}); benchmarks: England ({ENGLAND.code})"
               + (f" and {self.region_name} ({self.region})." if self.region else "."),
               f"Reporting period: {self.reporting_period} (the latest in the data unless --period)."]
        out = [line for line in out if line]
        if self.breakdowns_left_out:
            total = sum(self.breakdowns_left_out.values())
            out.append(f"Left out {total} rows of {len(self.breakdowns_left_out)} other breakdowns (keep them with "
                       "--breakdowns all, or name them: --breakdowns Male,Female):")
            items = sorted(self.breakdowns_left_out.items())
            out.extend(f"  {what} ({n} rows)" for what, n in items[:15])
            if len(items) > 15:
                out.append(f"  ... and {len(items) - 15} more.")
        for sid, n in self.series.items():
            out.append(f"{sid}: {n} home values; unit {self.units.get(sid, '')}.")
        for sid, n in self.breakdowns.items():
            out.append(f"{sid}: {n} rows by category (Fingertips' Category rows) written to breakdowns.csv.")
        if self.unjudged:
            out.append("No polarity given for " + ", ".join(self.unjudged) + ": these series are described, not "
                       "judged. Give one with --polarity ID=higher-is-better (or lower-is-better, no-judgement) "
                       "or in a --metadata file.")
        for reason, n in sorted(self.skipped.items()):
            out.append(f"Skipped {n} rows: {reason}.")
        out.extend(self.notes)
        if self.interval_notes:
            out.append(f"{len(self.interval_notes)} published figures disagree with those recomputed from Count and "
                       f"Denominator (tolerance {ABSOLUTE_TOLERANCE} or {RELATIVE_TOLERANCE:.1%}, whichever is larger); "
                       "the published ones are kept:")
            out.extend(f"  {n}" for n in self.interval_notes)
        else:
            out.append("Every published interval that could be recomputed agrees.")
        out.extend(self.left_out.lines())
        return out


TREND_MAP = (("getting better", "improving"), ("getting worse", "worsening"), ("no significant change", "similar"))
COMPARATOR_MAP = {"better": "better", "similar": "similar", "worse": "worse", "higher": "higher", "lower": "lower",
                  "not compared": "not compared"}


def published_trend(text: str) -> str:
    """Our trend word for a Fingertips ``Recent Trend`` ('' when it carries no judgement).

    >>> published_trend("Increasing & getting worse"), published_trend("No significant change"), published_trend("Increasing")
    ('worsening', 'similar', '')
    """
    t = text.lower().replace("&", "and")
    return next((word for key, word in TREND_MAP if key in t), "")


def polarity_from_trend(text: str) -> str:
    """The polarity a Fingertips ``Recent Trend`` implies ('' when it carries no direction and judgement).

    >>> polarity_from_trend("Increasing & getting worse"), polarity_from_trend("Decreasing and getting worse")
    ('lower-is-better', 'higher-is-better')
    >>> polarity_from_trend("No significant change"), polarity_from_trend("Increasing")
    ('', '')
    """
    t = text.lower().replace("&", "and")
    up, down = "increasing" in t, "decreasing" in t
    better, worse = "getting better" in t, "getting worse" in t
    if (up and better) or (down and worse):
        return Polarity.HIGHER_IS_BETTER.value
    if (up and worse) or (down and better):
        return Polarity.LOWER_IS_BETTER.value
    return ""


def polarity_from_rows(rows: list[Any]) -> tuple[str, str] | None:
    """(polarity, where it was read) from the indicator's rows, when their ``Recent Trend`` words agree."""
    found: dict[str, str] = {}
    for row in rows:
        text = row.get("Recent Trend") or ""
        pol = polarity_from_trend(text)
        if pol and pol not in found:
            found[pol] = (f"Fingertips 'Recent Trend' '{text}' for {row.get('Area Name') or row.get('Area Code')}, "
                          f"{row.get('Time period')}")
    if len(found) != 1:
        return None  # none, or contradictory: declare it
    return next(iter(found.items()))


def published_comparator(text: str) -> str:
    """Our comparator word for a Fingertips ``Compared to England value or percentiles`` statement.

    >>> published_comparator("Worse 95%"), published_comparator("Not compared"), published_comparator("Highest quintile")
    ('worse', 'not compared', '')
    """
    t = " ".join(text.lower().split())
    if t in COMPARATOR_MAP:
        return COMPARATOR_MAP[t]
    first = t.split(" ")[0] if t else ""
    return COMPARATOR_MAP.get(first, "") if first != "not" else ""


@dataclass
class _Obs:
    row: Row
    area: str
    period: Period
    values: dict[str, float | None]
    missing_reason: str
    note: str


def _numbers(row: Row, problems: Problems, header: list[str]) -> tuple[dict[str, float | None], str] | None:
    before = len(problems)
    out: dict[str, float | None] = {}
    reason = ""
    for key, column in (("value", "Value"), ("numerator", "Count"), ("denominator", "Denominator"), *LIMITS.items()):
        if column not in header:
            out[key] = None
            continue
        cell = read_cell(row.get(column), allow_percent=False)
        if cell.error:
            problems.add(row.file, row.location, column, cell.error + ".",
                         "Fingertips writes numbers, or leaves the cell empty; check the file was not edited.")
        out[key] = cell.value
        if key == "value" and cell.value is None and cell.missing_reason != "empty":
            reason = cell.missing_reason
    if len(problems) > before:
        return None
    return out, reason


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


BREAKDOWNS = ("standard", "all")


def convert_fingertips(path: Path, area: str, problems: Problems, *,
                       polarity: dict[str, str] | None = None,
                       metadata: dict[str, dict[str, str]] | None = None,
                       organisation: str = "", areas: dict[str, tuple[str, str]] | None = None,
                       breakdowns: str | list[str] = "standard", group: list[str] | None = None,
                       strict: bool = False, period: str | None = None,
                       ) -> tuple[RawDataset | None, FingertipsSummary]:
    """Read a Fingertips file (any layout, any format) and build ``area``'s dataset (None, with every problem, on error).

    ``areas`` (code -> (name, parent)) and ``metadata`` come from the lookup files when given.
    ``breakdowns``: ``"standard"`` keeps, per indicator, persons (or every sex when there is no persons
    figure), its usual age band and no inequality category; ``"all"`` keeps every breakdown; a list keeps
    the standard one and those whose sex, age or category is listed. ``group``: codes of the home area's
    comparator group. A series with a problem is left out whole (``strict``: nothing is converted).
    """
    from outcomes.sources.reading import read_table

    summary = FingertipsSummary()
    summary.left_out.strict = strict
    meta: dict[str, dict[str, str]] = {k: dict(v) for k, v in (metadata or {}).items()}
    for ind, pol in (polarity or {}).items():
        meta.setdefault(str(ind), {})["polarity"] = pol
    check_metadata(meta, "--polarity/--metadata", problems)
    label = Path(path).name
    home = area.strip().upper()
    areas = areas or {}
    group = [g.strip().upper() for g in group or [] if g.strip()]
    # pass 1 (only when no area lookup names the parent): the home area's rows, for its parent
    region = areas.get(home, ("", ""))[1].upper()
    if not region:
        first = read_table(Path(path), problems, keep=dict.fromkeys(AREA_CODE_NAMES, [home]), any_of=True)
        if first is None:
            return None, summary
        rename, _ = column_names(first.header)
        parent_col = next((h for h, c in rename.items() if c == "Parent Code"), "")
        parents = sorted({p.strip().upper() for p in first.columns.get(parent_col, []) if p.strip()})
        region = parents[0] if parents else ""
        if len(parents) > 1:
            summary.notes.append(f"{home} has several parent areas ({', '.join(parents)}); {region} is used as the region.")
    wanted = [home, ENGLAND.code, *([region] if region else []), *group]
    table = read_table(Path(path), problems, keep=dict.fromkeys(AREA_CODE_NAMES, wanted), any_of=True)
    if table is None:
        return None, summary
    rename, layout = column_names(table.header)
    summary.layout = layout
    header = [rename.get(h, h) for h in table.header]
    missing = [c for c in FILE_REQUIRED if c not in header]
    for c in missing:
        problems.add(label, "row 1", c, f"the column '{c}' is missing.",
                     "this is not a Fingertips data file I know: it needs Indicator ID, Area Code, Time period and "
                     "Value (classic download), their fingertipsR names, or the new service's IndicatorId, AreaCode, "
                     "Year, Value.")
    if missing:
        return None, summary
    rows = [Row({rename.get(k, k): v for k, v in r.values.items()}, r.file, r.number) for r in table.rows()]
    if table.total > len(rows):
        summary.skipped["other areas (not the home area, its region, England or its comparator group)"] = (
            table.total - len(rows))
    home_rows = [r for r in rows if r.get("Area Code").upper() == home]
    if not home_rows:
        everything = read_table(Path(path), Problems())
        found: dict[str, str] = {}
        if everything is not None:
            col = {rename.get(h, h): h for h in everything.header}
            for code, name in zip(everything.columns[col["Area Code"]],
                                  everything.columns.get(col.get("Area Name", ""), [""] * len(everything)),
                                  strict=True):
                found.setdefault(code.strip(), name or areas.get(code.strip().upper(), ("",))[0])
        named = [f"{c} ({n})" if n else c for c, n in sorted(found.items())]
        problems.add(label, "", "Area Code", f"no row is for the area '{area}'.",
                     "give --area one of the file's area codes: " + ", ".join(named[:15])
                     + ("..." if len(named) > 15 else "") + ".")
        return None, summary
    names = {code: name for code, (name, _) in areas.items() if name}
    for r in rows:
        if r.get("Area Name"):
            names.setdefault(r.get("Area Code").upper(), r.get("Area Name"))
        if r.get("Parent Code") and r.get("Parent Name"):
            names.setdefault(r.get("Parent Code").upper(), r.get("Parent Name"))
    names.setdefault(ENGLAND.code, ENGLAND.name)
    summary.home, summary.home_name = home, names.get(home, home)
    summary.region, summary.region_name = region, names.get(region, region)
    # -- choose the breakdowns
    kept, left, categories = _choose_breakdowns(rows, breakdowns)
    for what, n in sorted(left.items()):
        summary.breakdowns_left_out[what] = n
    series_of: dict[tuple[str, str, str], str] = {}  # (indicator, sex, age) -> its series without a category
    by_indicator: dict[str, list[tuple[str, str, str]]] = {}
    for key in kept:
        by_indicator.setdefault(key[0], []).append(key[1:])
    indicator_nodes: list[dict[str, Any]] = []
    out_rows: list[Row] = []
    latest: list[Period] = []
    for ind, groups in by_indicator.items():
        imeta = meta.get(ind, {})
        series_nodes = []
        standard = {g for g in groups if kept[(ind, *g)][1]}
        for sex, age, category in groups:
            rows_of, is_standard = kept[(ind, sex, age, category)]
            parts = [] if is_standard and len(standard) == 1 else [x for x in (sex, age, category) if x]
            if len(standard) > 1 and is_standard:  # published by sex only: the sex tells the series apart
                parts = [x for x, others in ((sex, {g[0] for g in standard}), (age, {g[1] for g in standard}))
                         if len(others) > 1]
            sid = "-".join([f"fingertips-{slug(ind)}", *(slug(p) for p in parts)])
            own = problems.part()
            node, obs_rows, last = _series(sid, ind, sex, age, parts, rows_of, imeta, home, region, names, header,
                                           own, summary, group)
            if not summary.left_out.settle(sid, own, problems) or node is None:
                continue
            series_nodes.append(node)
            if not category:
                series_of[(ind, sex, age)] = sid
            out_rows.extend(obs_rows)
            if last is not None:
                latest.append(last)
        if not series_nodes:
            continue
        first_rows = kept[(ind, *groups[0])][0]
        title = imeta.get("title") or first_rows[0].get("Indicator Name") or f"Fingertips indicator {ind}"
        inode: dict[str, Any] = {"id": f"fingertips-{slug(ind)}", "number": f"{len(indicator_nodes) + 1:02d}",
                                 "title": title}
        if len(series_nodes) == 1 and series_nodes[0]["id"] == inode["id"]:
            inode.update({k: v for k, v in series_nodes[0].items() if k not in ("id", "title")})
        else:
            inode["series"] = series_nodes
        indicator_nodes.append(inode)
    breakdown_rows = _category_rows(categories, series_of, meta, header, problems, summary)
    if problems:
        return None, summary
    for i, r in enumerate(out_rows, start=2):
        r.number = i
    for i, r in enumerate(breakdown_rows, start=2):
        r.number = i
    others = [ENGLAND.code, *([region] if region else []), *group]
    area_nodes = [{"code": c, "name": names.get(c, c)} for c in dict.fromkeys(others)]
    if not latest:
        problems.add(label, "", "Value", f"no indicator has a value for {home}.", "check the download and --area.")
        summary.left_out.fail(problems)
        return None, summary
    reporting = str(max(latest))
    if period:
        try:
            reporting = str(fingertips_period(period))
        except PeriodError as exc:
            problems.add("--period", "", "--period", str(exc), "write the period as docs/periods.md shows.")
            return None, summary
    summary.reporting_period = reporting
    framework = {
        "format": FORMAT,
        "organisation": organisation or summary.home_name,
        "area": {"code": home, "name": summary.home_name},
        "reporting_period": reporting,
        "report": {"title": f"{summary.home_name}: public health indicators", "status": "draft"},
        "areas": area_nodes,
        "outcomes": [{
            "id": f"{slug(summary.home_name) or slug(home)}-public-health",
            "title": f"{summary.home_name}: public health",
            "introduction": f"Public health indicators for {summary.home_name} from Fingertips (Office for Health "
                            "Improvement and Disparities), compared with England"
                            + (f" and {names.get(region, region)}" if region else "") + ". Converted by "
                            "'outcomes convert fingertips'. Contains public sector information licensed under the "
                            "Open Government Licence v3.0.",
            "population_indicators": indicator_nodes,
        }],
    }
    return RawDataset(framework=framework, framework_file="framework.yaml", observations=out_rows,
                      breakdowns=breakdown_rows), summary


def _category_rows(categories: dict[tuple[str, str, str, str], list[Row]], series_of: dict[tuple[str, str, str], str],
                   meta: dict[str, dict[str, str]], header: list[str], problems: Problems,
                   summary: FingertipsSummary) -> list[Row]:
    """The Category rows as breakdowns.csv rows on the series of the same indicator, sex and age."""
    by_series: dict[tuple[str, str, str], list[Row]] = {}
    for (ind, sex, age, category), rs in categories.items():
        if (ind, sex, age) in series_of:
            by_series.setdefault((ind, sex, age), []).extend(rs)
        else:
            what = f"indicator {ind}: " + ", ".join(x for x in (sex, age, category) if x) + " (no series of its sex and age)"
            summary.breakdowns_left_out[what] = summary.breakdowns_left_out.get(what, 0) + len(rs)
    out: list[Row] = []
    for (ind, sex, age), rs in by_series.items():
        imeta = meta.get(ind, {})
        hint = PeriodKind(imeta["period_kind"]) if imeta.get("period_kind") else None
        got = category_breakdowns(rs, series_of[(ind, sex, age)], kind_hint=hint, numbers=_numbers,
                                  period_of=fingertips_period, problems=problems, header=header)
        out.extend(got)
        summary.breakdowns[series_of[(ind, sex, age)]] = len(got)
    place = {r.values["category"]: i for i, r in enumerate(out)}  # first appearance, for unnumbered ones
    return sorted(out, key=lambda r: (r.values["series"], r.values["area"], r.values["period"],
                                      r.values["category_type"], int(r.values["quantile"] or 0),
                                      place[r.values["category"]]))


def _choose_breakdowns(rows: list[Row], breakdowns: str | list[str]) -> tuple[
        dict[tuple[str, str, str, str], tuple[list[Row], bool]], dict[str, int],
        dict[tuple[str, str, str, str], list[Row]]]:
    """Rows by (indicator, sex, age, category), each with whether it is the indicator's standard breakdown;
    the rows left out by ``breakdowns``; and the rows with a category (for breakdowns.csv).

    The standard breakdown is persons (or, when an indicator has no persons figure, each sex), the
    indicator's usual age band (the one with the most rows) and no inequality category. Rows with a
    category never become series of their own: they are the figures by category of the series of
    the same indicator, sex and age.
    """
    groups: dict[tuple[str, str, str, str], list[Row]] = {}
    for row in rows:
        category = " ".join(x for x in (row.get("Category Type"), row.get("Category")) if x)
        groups.setdefault((row.get("Indicator ID"), row.get("Sex"), row.get("Age"), category), []).append(row)
    ages: dict[str, dict[str, int]] = {}
    sexes: dict[str, set[str]] = {}
    for (ind, sex, age, category), rs in groups.items():
        if not category:
            ages.setdefault(ind, {})
            ages[ind][age] = ages[ind].get(age, 0) + len(rs)
            sexes.setdefault(ind, set()).add(sex.lower())
    chosen = {t.strip().lower() for t in breakdowns} if isinstance(breakdowns, list) else set()
    kept: dict[tuple[str, str, str, str], tuple[list[Row], bool]] = {}
    left: dict[str, int] = {}
    categories: dict[tuple[str, str, str, str], list[Row]] = {}
    for key, rs in groups.items():
        ind, sex, age, category = key
        if category:
            categories[key] = rs
            continue
        usual_age = max(ages.get(ind, {"": 0}).items(), key=lambda kv: kv[1])[0] if ind in ages else None
        persons = "persons" in sexes.get(ind, set())
        standard = age == usual_age and (sex.lower() == "persons" or not persons)
        wanted = standard or breakdowns == "all" or bool(chosen & {sex.lower(), age.lower()})
        if wanted:
            kept[key] = (rs, standard)
        else:
            what = (f"indicator {ind}: " + ", ".join(x for x in (sex, age) if x))
            left[what] = left.get(what, 0) + len(rs)
    return kept, left, categories


def _series(sid: str, ind: str, sex: str, age: str, split_parts: list[str], rows: list[Row], imeta: dict[str, str],
            home: str, region: str, names: dict[str, str], header: list[str], problems: Problems,
            summary: FingertipsSummary, group: list[str] | None = None,
            ) -> tuple[dict[str, Any] | None, list[Row], Period | None]:
    before = len(problems)
    kind_hint = PeriodKind(imeta["period_kind"]) if imeta.get("period_kind") else None
    observations: dict[tuple[str, Period], _Obs] = {}
    kinds: dict[PeriodKind, Row] = {}
    for row in rows:
        try:
            period = fingertips_period(row.get("Time period"), kind=kind_hint)
        except PeriodError as exc:
            problems.add(row.file, row.location, "Time period", str(exc),
                         "give the indicator's period_kind in a --metadata file if the notation is unusual.")
            continue
        kinds.setdefault(period.kind, row)
        read = _numbers(row, problems, header)
        if read is None:
            continue
        values, reason = read
        area = row.get("Area Code").upper()
        key = (area, period)
        if key in observations:
            if observations[key].values != values:
                problems.add(row.file, row.location, "Time period",
                             f"{sid} has two different values for {area} in {row.get('Time period')} "
                             f"(see {observations[key].row.location}).", "keep one row per area and period.")
            else:
                summary.skipped["repeated rows (the same figures twice)"] = summary.skipped.get(
                    "repeated rows (the same figures twice)", 0) + 1
            continue
        note = row.get("Value note")
        if values["value"] is None:
            reason = reason or note or "no value in the Fingertips download"
            note = "" if reason == note else note
        observations[key] = _Obs(row, area, period, values, reason, note)
    if len(kinds) > 1:
        first, second = list(kinds.values())[:2]
        problems.add(second.file, second.location, "Time period",
                     f"indicator {ind} mixes kinds of period ('{first.get('Time period')}' and "
                     f"'{second.get('Time period')}').", "download one kind of period per indicator.")
    if len(problems) > before or not observations:
        return None, [], None
    kind = next(iter(kinds))
    unit, multiplier, method, how = _unit(list(observations.values()), imeta)
    summary.units[sid] = how
    title = imeta.get("title") or rows[0].get("Indicator Name") or f"Fingertips indicator {ind}"
    if split_parts:
        title = f"{title} ({', '.join(split_parts)})"
    out_rows: list[Row] = []
    for obs in sorted(observations.values(), key=lambda o: (o.area != home, o.area, o.period)):
        notes = [obs.note] if obs.note else []
        if method != "none" and multiplier:
            notes.extend(_check_intervals(sid, obs, multiplier, method, names, summary))
        v = obs.values
        out_rows.append(Row({c: "" for c in OBSERVATION_COLUMNS} | {
            "series": sid, "area": obs.area, "period": str(obs.period), "value": format_number(v["value"]),
            "numerator": format_number(v["numerator"]), "denominator": format_number(v["denominator"]),
            **{k: format_number(v[k]) for k in LIMITS}, "status": "final",
            "source": f"Fingertips indicator {ind} ({obs.row.file} {obs.row.location})",
            "note": " ".join(notes), "missing_reason": obs.missing_reason,
        }, "observations.csv", 0))
    home_obs = sorted((o for o in observations.values() if o.area == home), key=lambda o: o.period)
    with_value = [o for o in home_obs if o.values["value"] is not None]
    summary.series[sid] = len(with_value)
    node: dict[str, Any] = {"id": sid, "title": title, "unit": unit}
    taken = polarity_from_rows(rows)
    if imeta.get("polarity"):
        node["polarity"] = imeta["polarity"]
        if imeta.get("polarity_source"):
            node["polarity_source"] = imeta["polarity_source"]
    elif taken:
        node["polarity"], node["polarity_source"] = taken
        summary.notes.append(f"{sid}: polarity {taken[0]} taken from the source ({taken[1]}); confirm it with "
                             "'polarity_confirmed:' in framework.yaml, or declare it with --polarity.")
    else:
        summary.unjudged.append(sid)
    node["period_kind"] = kind.value
    node["definition"] = imeta.get("definition") or (
        f"Fingertips indicator {ind}: {rows[0].get('Indicator Name') or imeta.get('title') or 'no name in the file'}; "
        f"sex {sex or 'n/a'}, age {age or 'n/a'}.")
    node["source"] = ("Office for Health Improvement and Disparities, Fingertips public health profiles. Contains "
                      "public sector information licensed under the Open Government Licence v3.0.")
    comparators: list[dict[str, Any]] = [{"name": names.get(ENGLAND.code) or ENGLAND.name, "area": ENGLAND.code}]
    if region:
        comparators.append({"name": names.get(region, region), "area": region})
    if group:
        comparators.append({"name": "Comparator group", "kind": "group", "members": list(group)})
    node["comparators"] = comparators
    if with_value:
        last = with_value[-1]
        published: dict[str, Any] = {"latest": {"label": str(last.period), "value": last.values["value"],
                                                 "text": f"Fingertips time period '{last.row.get('Time period')}'"}}
        trend_text = last.row.get("Recent Trend")
        if trend_text:
            word = published_trend(trend_text)
            if word:
                published["trend"] = word
            published["trend_basis"] = f"Fingertips 'Recent Trend' for {last.row.get('Time period')}: {trend_text}"
            published["trend_method"] = "fingertips-trend"  # a significance test, not previous vs latest
            if not word and trend_text.lower().replace("&", "and") not in (
                    "increasing", "decreasing", "cannot be calculated", "could not be calculated"):
                summary.notes.append(f"{sid}: the Recent Trend '{trend_text}' is kept as text only.")
        comp_text = last.row.get("Compared to England value or percentiles")
        if comp_text:
            word = published_comparator(comp_text)
            if word:
                published["comparator"] = word
            published["comparator_method"] = "interval-vs-benchmark"
            published["comparator_text"] = (f"Fingertips 'Compared to England value or percentiles' for "
                                             f"{last.row.get('Time period')}: {comp_text}")
        node["published"] = published
    return node, out_rows, (with_value[-1].period if with_value else None)


def _unit(observations: list[_Obs], imeta: dict[str, str]) -> tuple[str, int | None, str, str]:
    """(unit, multiplier, interval method, how it was decided)."""
    if imeta.get("unit"):
        unit = imeta["unit"]
        words = unit.replace(",", "").split()
        multiplier = 100 if words[0] == "percentage" else next((int(w) for w in words if w.isdigit()), None)
        method = imeta.get("method") or ("wilson" if words[0] == "percentage" else "byar" if multiplier else "none")
        return unit, multiplier, method, f"{unit} (metadata); intervals {'not recomputed' if method == 'none' else method}"
    ratios = []
    for o in observations:
        v, n, d = o.values["value"], o.values["numerator"], o.values["denominator"]
        if v is not None and n and d and d > 0:
            ratios.append(v / (n / d))
    for mult, unit in MULTIPLIERS.items():
        close = [r for r in ratios if abs(r - mult) <= UNIT_MATCH * mult]
        if ratios and len(close) >= 0.8 * len(ratios):
            method = imeta.get("method") or ("wilson" if mult == 100 else "byar")
            return unit, mult, method, f"{unit} (Value = Count / Denominator × {mult:,}); intervals recomputed ({method})"
    why = ("Value is not Count / Denominator × a power of ten (a standardised rate or survey estimate?)"
           if ratios else "no Count and Denominator")
    return "number", None, "none", f"number ({why}; published intervals kept, not recomputed; set 'unit' in --metadata)"


def _check_intervals(sid: str, obs: _Obs, multiplier: int, method: str, names: dict[str, str],
                     summary: FingertipsSummary) -> list[str]:
    v = obs.values
    n, d = v["numerator"], v["denominator"]
    if n is None or d is None or d <= 0:
        return []
    notes = []
    where = f"{sid} {names.get(obs.area, obs.area)} {obs.period}"
    recomputed_value = n / d * multiplier
    if v["value"] is not None and not _agree(v["value"], recomputed_value):
        text = (f"Published value {v['value']:g} differs from Count/Denominator × {multiplier:,} = "
                f"{recomputed_value:.3f}.")
        notes.append(text)
        summary.interval_notes.append(f"{where}: {text}")
    for level, (lo, hi) in ((0.95, ("lower95", "upper95")), (0.998, ("lower998", "upper998"))):
        pub_low, pub_high = v[lo], v[hi]
        if pub_low is None or pub_high is None:
            continue
        if method == "wilson":
            _, low, high = proportion_interval(n, d, multiplier=multiplier, confidence=level)
            name = "Wilson"
        else:
            _, low, high = rate_interval(n, d, multiplier=multiplier, confidence=level)
            name = "exact Poisson" if n < 10 else "Byar's"
        low, high = float(low), float(high)
        if math.isnan(low) or math.isnan(high):
            continue
        if not (_agree(pub_low, low) and _agree(pub_high, high)):
            text = (f"Published {level:.1%} limits {pub_low:.2f} to {pub_high:.2f} differ from the {name} limits "
                    f"recomputed from Count and Denominator, {low:.2f} to {high:.2f}; the published limits are kept.")
            notes.append(text)
            summary.interval_notes.append(f"{where}: {text}")
    return notes


def _agree(published: float, recomputed: float) -> bool:
    return abs(published - recomputed) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(recomputed)) + 1e-12
