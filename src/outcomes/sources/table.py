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

See ``docs/sources.md`` for the mapping file, with an example. Converting is here; reading a cell
is in :mod:`outcomes.sources.table_cells`, reading a file in :mod:`outcomes.sources.table_files` and
the mapping file in :mod:`outcomes.sources.table_mapping`; import any of them from here.

>>> read_cell("12.5").value, read_cell("c").missing_reason, read_cell("").missing_reason
(12.5, 'c: confidential (suppressed)', 'empty')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outcomes.model import UNIT_TYPES, Period, PeriodError, PeriodKind, Polarity
from outcomes.model.period import parse_published
from outcomes.sources.build import FORMAT
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.spreadsheet import unescape_formula
from outcomes.sources.table_cells import MISSING_MARKERS, Cell, format_number, read_cell, slug  # noqa: F401
from outcomes.sources.table_files import _cell_text, read_csv_file, read_table_file, read_xlsx_file  # noqa: F401
from outcomes.sources.table_mapping import (  # noqa: F401
    KEY_JOIN,
    SERIES_FIELDS,
    TableMapping,
    mapping_from_dict,
    read_mapping,
)

__all__ = [
    "MISSING_MARKERS",
    "Cell",
    "TableMapping",
    "convert_table",
    "format_number",
    "period_option",
    "read_cell",
    "read_csv_file",
    "read_mapping",
    "read_table_file",
    "read_xlsx_file",
    "slug",
]


def period_option(period: str | None, default: str, problems: Problems) -> str | None:
    """The reporting period of a converted dataset: the label of the period a converter's ``--period``
    names (its first period, as published tables write it), or ``default`` when none is given;
    ``None``, with the problem and its fix on ``--period``, when it cannot be read.

    >>> period_option("2023/24", "2021-22", Problems()), period_option(None, "2021-22", Problems())
    ('2023-24', '2021-22')
    >>> period_option("soon", "2021-22", Problems()) is None
    True
    """
    if not period:
        return default
    try:
        return str(parse_published(period)[0])
    except PeriodError as exc:
        problems.add("--period", "", "--period", str(exc), "write the period as docs/periods.md shows.")
        return None


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
    reporting = period_option(period, mapping.reporting_period or str(max(home_periods)), problems)
    if reporting is None:
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
