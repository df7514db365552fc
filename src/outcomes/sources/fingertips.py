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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from outcomes.model import Period, PeriodError, PeriodKind
from outcomes.sources.areas import ENGLAND
from outcomes.sources.build import FORMAT
from outcomes.sources.fingertips_categories import category_breakdowns
from outcomes.sources.fingertips_files import (
    ABSOLUTE_TOLERANCE,
    AREA_CODE_NAMES,
    FILE_REQUIRED,
    FINGERTIPS_COLUMNS,
    FINGERTIPS_POLARITY,
    LIMITS,
    METHODS,
    MULTIPLIERS,
    NEW_SERVICE_COLUMNS,
    NEW_SERVICE_NAMES,
    RELATIVE_TOLERANCE,
    REQUIRED,
    UNIT_MATCH,
    column_names,
    read_area_lookup,
    read_indicator_lookup,
)
from outcomes.sources.fingertips_words import (
    COMPARATOR_MAP,
    TREND_MAP,
    FingertipsSummary,
    check_metadata,
    fingertips_period,
    polarity_from_rows,
    polarity_from_trend,
    published_comparator,
    published_trend,
    read_metadata,
    row_period,
)
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.table import format_number, read_cell, slug
from outcomes.stats import proportion_interval, rate_interval

# the names moved to fingertips_files and fingertips_words stay importable from here
__all__ = [
    "ABSOLUTE_TOLERANCE",
    "AREA_CODE_NAMES",
    "COMPARATOR_MAP",
    "FILE_REQUIRED",
    "FINGERTIPS_COLUMNS",
    "FINGERTIPS_POLARITY",
    "LIMITS",
    "METHODS",
    "MULTIPLIERS",
    "NEW_SERVICE_COLUMNS",
    "NEW_SERVICE_NAMES",
    "RELATIVE_TOLERANCE",
    "REQUIRED",
    "TREND_MAP",
    "UNIT_MATCH",
    "FingertipsSummary",
    "check_metadata",
    "column_names",
    "convert_fingertips",
    "fingertips_period",
    "polarity_from_rows",
    "polarity_from_trend",
    "published_comparator",
    "published_trend",
    "read_area_lookup",
    "read_indicator_lookup",
    "read_metadata",
]


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
                                  problems=problems, header=header)
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
        period = row_period(row, kind_hint, problems)
        if period is None:
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
