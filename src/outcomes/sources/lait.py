"""DfE's Local Authority Interactive Tool (LAIT) long data → a dataset folder for one authority.

LAIT's long data has one row per data item, year and area: ``Short Desc`` (the item's short title),
``Data item`` (its identifier), ``Years`` (the period as LAIT prints it: ``2018``, ``2016-17``,
``2014-16``, ``2018 (Rev)``, ``2016-17 (OT)``), ``LA and Regions`` (the area's name: an authority, a
region or England), ``Values`` (a number, ``9.511E-2``, or a marker such as ``-``, ``c``, ``x``),
``LA Number`` (the DfE LA number of an authority) and ``Region``.

:func:`convert_lait` keeps the rows of the home authority (``--area``: an ONS code, a DfE LA number
or a name), England, its region and its DfE statistical neighbours — filtered while the file is read,
so a 640,000-row national file becomes a few thousand rows before any object is made — and makes one
population indicator per data item, with England, the region and the neighbours (a group) as
comparators. The optional data dictionary gives each item's title, unit, polarity (``High``: higher
is better, ``Low``: lower is better, ``-``: no judgement), decimal places and year type. A data item
with any problem is left out whole and listed (``--strict``: nothing is written).

Column mapping and a worked example: ``docs/sources.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outcomes.model import Period, PeriodError, PeriodKind
from outcomes.model.period import parse_published
from outcomes.sources.areas import (
    ENGLAND,
    LONDON,
    AreaDirectory,
    StitchSegment,
    bundled_directory,
    bundled_neighbours,
    stitch_plan,
)
from outcomes.sources.build import FORMAT
from outcomes.sources.bulk import LeftOut
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.table import format_number, period_option, read_cell, slug

__all__ = ["LAIT_COLUMNS", "LaitSummary", "convert_lait", "lait_unit", "read_dictionary"]

LAIT_COLUMNS = ("Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number", "Region")
REQUIRED = ("Data item", "Years", "LA and Regions", "Values", "LA Number")
SOURCE = ("Department for Education, Local Authority Interactive Tool (LAIT). Contains public sector information "
          "licensed under the Open Government Licence v3.0.")
#: The dictionary's columns, by what they hold; names are matched ignoring case, spaces and punctuation.
DICTIONARY_COLUMNS = {
    "item": ("data item", "dataitem", "item", "short desc", "shortdesc", "indicator"),
    "title": ("long desc", "longdesc", "description", "title", "full title", "indicator name"),
    "unit": ("unit", "units", "unit of measure", "measure"),
    "polarity": ("polarity", "good is", "direction"),
    "decimals": ("decimal places", "decimalplaces", "decimals", "dp", "dps"),
    "year_type": ("year type", "yeartype", "years type", "period type", "time period type"),
    "source": ("source", "data source"),
}
POLARITIES = {"high": "higher-is-better", "low": "lower-is-better", "-": "no-judgement", "": ""}


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def lait_unit(text: str, decimals: int | None = None) -> tuple[Any, str]:
    """A dataset unit from a dictionary's unit text, and '' or a note when it is not recognised.

    >>> lait_unit("Percentage", 1), lait_unit("Rate per 10,000 children"), lait_unit("Number")
    (({'type': 'percentage', 'decimals': 1}, ''), ('rate per 10000', ''), ('number', ''))
    """
    t = text.lower().replace(",", "")
    if m := re.search(r"per\s+(\d+)", t):
        unit: Any = f"rate per {m.group(1)}"
    elif "%" in t or "percent" in t or "proportion" in t:
        unit = "percentage"
    elif "£" in t or "pound" in t or "cost" in t or "spend" in t:
        unit = "currency"
    elif "ratio" in t:
        unit = "ratio"
    elif not t or any(w in t for w in ("number", "count", "no.", "score", "average", "days", "weeks", "months")):
        unit = "number"
    else:
        return ({"type": "number", "decimals": decimals} if decimals is not None else "number"), (
            f"the unit '{text}' is not one the tracker knows; it is shown as a number")
    if decimals is None:
        return unit, ""
    kind, _, rest = str(unit).partition(" per ")
    node: dict[str, Any] = {"type": "rate" if kind.startswith("rate") else kind, "decimals": decimals}
    if rest:
        node["per"] = int(rest)
    return node, ""


def read_dictionary(path: Path, problems: Problems) -> dict[str, dict[str, str]]:
    """LAIT's data dictionary: per data item (and per short description), its title, unit, polarity, decimals, year type."""
    from outcomes.sources.reading import read_table

    table = read_table(Path(path), problems)
    if table is None:
        return {}
    by_norm = {_norm(h): h for h in table.header}
    found = {key: next((by_norm[_norm(n)] for n in names if _norm(n) in by_norm), "")
             for key, names in DICTIONARY_COLUMNS.items()}
    if not found["item"]:
        problems.add(table.label, "row 1", "Data item", "no column names the data item.",
                     "the dictionary needs a 'Data item' (or 'Short Desc') column matching the data file.")
        return {}
    out: dict[str, dict[str, str]] = {}
    for row in table.rows():
        node = {key: row.get(col) for key, col in found.items() if col and key != "item"}
        pol = node.get("polarity", "").strip().lower()
        if pol not in POLARITIES:
            problems.add(row.file, row.location, found["polarity"], f"'{node['polarity']}' is not a LAIT polarity.",
                         "LAIT writes High (higher is better), Low (lower is better) or - (no judgement).")
        dec = node.get("decimals", "")
        if dec and not dec.isdigit():
            problems.add(row.file, row.location, found["decimals"], f"'{dec}' is not a number of decimal places.",
                         "write 0, 1, 2 ...")
        for key in {row.get(found["item"]), row.get(by_norm.get("shortdesc", "")) if "shortdesc" in by_norm else ""}:
            if key:
                out[key.strip().upper()] = node
    return out


@dataclass
class LaitSummary:
    """What the conversion did, for the command to print."""

    home: str = ""
    home_name: str = ""
    region: str = ""
    neighbours: list[str] = field(default_factory=list)
    series: dict[str, int] = field(default_factory=dict)
    unjudged: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    left_out: LeftOut = field(default_factory=LeftOut)
    reporting_period: str = ""

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def lines(self) -> list[str]:
        d = bundled_directory()
        out = [f"Home area: {self.home_name} ({self.home}); comparators: England, {d.name(self.region)} and "
               f"{len(self.neighbours)} DfE statistical neighbours. Reporting period: {self.reporting_period}."]
        out.extend(f"{sid}: {n} home values." for sid, n in self.series.items())
        if self.unjudged:
            out.append("No polarity for " + ", ".join(self.unjudged) + ": described, not judged (give a --dictionary "
                       "with a Polarity column: High, Low or -).")
        out.extend(f"Skipped {n} rows: {reason}." for reason, n in sorted(self.skipped.items()))
        out.extend(self.notes)
        out.extend(self.left_out.lines())
        return out


@dataclass
class _Obs:
    row: Row
    area: str
    period: Period
    value: float | None
    reason: str
    note: str


def _home(area: str, directory: AreaDirectory, problems: Problems, label: str) -> Any:
    info = directory.resolve_any(area)
    if info is None or not info.level.startswith("local"):
        problems.add("--area", "", "--area", f"'{area}' is not an upper-tier local authority I know.",
                     "give its ONS code (E06000059), its DfE LA number (838) or its name." + directory.suggestion(area))
        return None
    return info


def convert_lait(path: Path, area: str, problems: Problems, *, dictionary: dict[str, dict[str, str]] | None = None,
                 strict: bool = False, period: str | None = None) -> tuple[RawDataset | None, LaitSummary]:
    """Read LAIT's long data (CSV, Excel or Parquet) and build ``area``'s dataset (None, with every problem, on error)."""
    from outcomes.sources.reading import read_table

    summary = LaitSummary(left_out=LeftOut(strict=strict))
    directory = bundled_directory()
    label = Path(path).name
    info = _home(area, directory, problems, label)
    if info is None:
        return None, summary
    home, home_name, region = info.code, info.name, info.region
    summary.home, summary.home_name, summary.region = home, home_name, region
    members: list[tuple[str, str]] = []  # (current ONS code, closeness)
    for number, closeness in bundled_neighbours().get(info.la, ()):
        member = directory.resolve(number)
        if member is not None:
            members.append((member.code, closeness))
    summary.neighbours = [m for m, _ in members]
    by_la = {info.la: home, **{directory.get(m).la: m for m, _ in members if directory.get(m)}}  # type: ignore[union-attr]
    # the home authority's predecessor under another LA number (Dorset County Council, 835, before 2019-20)
    predecessors: dict[str, StitchSegment] = {}
    for seg in stitch_plan(home).segments:
        before = directory.get(seg.codes[0]) if len(seg.codes) == 1 else None
        if before is not None and before.la and before.la != info.la:
            predecessors[before.la] = seg
        elif len(seg.codes) > 1:
            summary.notes.append(
                f"{home_name} was formed from {', '.join(directory.name(c) for c in seg.codes)} in {seg.until}: "
                "their figures are not combined (LAIT publishes rates, which cannot be added up), so the series "
                f"start at {seg.until}.")
    region_names = {directory.name(region).upper(): region}
    if region == LONDON.code:
        region_names.update({"LONDON": region, "INNER LONDON": region, "OUTER LONDON": region})
    by_name = {"ENGLAND": ENGLAND.code, **region_names}
    table = read_table(Path(path), problems, required=REQUIRED,
                       keep={"LA Number": [*by_la, *predecessors, home], "LA and Regions": list(by_name)},
                       any_of=True)
    if table is None:
        return None, summary
    summary.skip("other areas (not the home area, England, its region or its statistical neighbours)",
                 table.total - len(table))
    rows = table.rows()
    if not any(r.get("LA Number") in (info.la, home) for r in rows):
        problems.add(label, "", "LA Number", f"no row is for {home_name} (LA number {info.la}, {home}).",
                     "check the file is LAIT's data for all authorities, and --area.")
        return None, summary
    dictionary = dictionary or {}
    items: dict[str, list[Row]] = {}
    for row in rows:
        items.setdefault(row.get("Data item"), []).append(row)
    nodes: list[dict[str, Any]] = []
    out_rows: list[Row] = []
    latest: list[Period] = []
    used_areas: set[str] = set()
    for item, item_rows in items.items():
        if not item:
            problems.add(label, item_rows[0].location, "Data item", "the data item is empty.", "")
            continue
        sid = f"lait-{slug(item)}"
        own = problems.part()
        meta = dictionary.get(item.upper()) or dictionary.get(item_rows[0].get("Short Desc").upper()) or {}
        built = _series(sid, item, item_rows, meta, home, by_la, by_name, own, summary, predecessors, directory)
        if not summary.left_out.settle(sid, own, problems) or built is None:
            continue
        node, obs = built
        nodes.append(node)
        for o in obs:
            used_areas.add(o.area)
            out_rows.append(Row({c: "" for c in OBSERVATION_COLUMNS} | {
                "series": sid, "area": o.area, "period": str(o.period), "value": format_number(o.value),
                "status": "final", "source": f"LAIT data item '{item}' ({o.row.file} {o.row.location})",
                "note": o.note, "missing_reason": o.reason if o.value is None else "",
            }, "observations.csv", len(out_rows) + 2))
        home_periods = [o.period for o in obs if o.area == home and o.value is not None]
        summary.series[sid] = len(home_periods)
        if home_periods:
            latest.append(max(home_periods))
        group = [m for m, _ in members]
        node["comparators"] = [{"name": ENGLAND.name, "area": ENGLAND.code},
                               {"name": directory.name(region), "area": region},
                               {"name": "Statistical neighbours", "kind": "group", "members": group,
                                "note": f"DfE children's services statistical neighbours of {home_name} (2025)."}]
    if problems:
        return None, summary
    if not nodes:
        problems.add(label, "", "", f"no data item could be converted for {home_name}.",
                     "see the problems listed with each left-out item.")
        summary.left_out.fail(problems)
        return None, summary
    reporting = period_option(period, str(max(latest)) if latest else "", problems)
    if reporting is None:
        return None, summary
    summary.reporting_period = reporting
    indicators = [{"id": n["id"], "number": f"{i:02d}", **{k: v for k, v in n.items() if k != "id"}}
                  for i, n in enumerate(nodes, 1)]
    areas = [{"code": c, "name": directory.name(c)} for c in dict.fromkeys(
        [ENGLAND.code, region, *(m for m, _ in members)]) if c]
    framework = {
        "format": FORMAT,
        "organisation": home_name,
        "area": {"code": home, "name": home_name},
        "reporting_period": reporting,
        "report": {"title": f"{home_name}: children's services indicators (DfE LAIT)", "status": "draft"},
        "areas": areas,
        "outcomes": [{
            "id": f"{slug(home_name)}-lait",
            "title": f"{home_name}: children and young people",
            "introduction": f"Indicators for {home_name} from the Department for Education's Local Authority "
                            "Interactive Tool (LAIT), compared with England, the region and the DfE statistical "
                            "neighbours. Converted by 'outcomes convert lait'. " + SOURCE,
            "population_indicators": indicators,
        }],
    }
    return RawDataset(framework=framework, framework_file="framework.yaml", observations=out_rows), summary


def _series(sid: str, item: str, rows: list[Row], meta: dict[str, str], home: str, by_la: dict[str, str],
            by_name: dict[str, str], problems: Problems, summary: LaitSummary,
            predecessors: dict[str, StitchSegment] | None = None,
            directory: AreaDirectory | None = None) -> tuple[dict[str, Any], list[_Obs]] | None:
    predecessors = predecessors or {}
    stitched: dict[tuple[str, Period], bool] = {}  # observations taken from a predecessor's rows
    used_segments: set[Period] = set()
    year_type = meta.get("year_type", "")
    kind: PeriodKind | None = None
    if year_type:
        try:
            kind = PeriodKind(_year_kind(year_type))
        except ValueError:
            summary.notes.append(f"{sid}: the year type '{year_type}' is not one I know; its years are read as printed.")
    observations: dict[tuple[str, Period], _Obs] = {}
    kinds: dict[PeriodKind, Row] = {}
    for row in rows:
        number = row.get("LA Number")
        area = by_la.get(number) or (home if number.upper() == home else "") or by_name.get(
            row.get("LA and Regions").upper(), "")
        segment = predecessors.get(number)
        if not area and segment is None:
            summary.skip("other areas (not the home area, England, its region or its statistical neighbours)")
            continue
        try:
            period, note = parse_published(row.get("Years"), kind=kind)
        except PeriodError as exc:
            problems.add(row.file, row.location, "Years", str(exc), "LAIT's years are read as docs/periods.md shows.")
            continue
        if segment is not None:
            if period.start >= segment.until.start:
                summary.skip("rows of the home authority's predecessor after it was succeeded")
                continue
            if (home, period) in observations and not stitched.get((home, period)):
                summary.skip("rows of the home authority's predecessor where it has its own figure")
                continue
            area = home
            before = segment.codes[0]
            pname = next((a.name for a in segment.succession.predecessors if a.code == before),
                         directory.name(before) if directory else before)
            note = " ".join(x for x in (note, f"Published for {pname} ({before}, LA {number}), which "
                                        f"{directory.name(home) if directory else home} succeeded in {segment.until} "
                                        f"({segment.kind} change).") if x)
            used_segments.add(segment.until)
        elif area == home and stitched.get((home, period)):
            del observations[(home, period)]  # the authority's own figure wins over its predecessor's
            stitched.pop((home, period))
        kinds.setdefault(period.kind, row)
        cell = read_cell(row.get("Values"))
        if cell.error:
            problems.add(row.file, row.location, "Values", cell.error + ".",
                         "LAIT writes numbers or markers such as '-', c, x; check the file was not edited.")
            continue
        key = (area, period)
        if key in observations:
            if observations[key].value != cell.value:
                problems.add(row.file, row.location, "Years",
                             f"{sid} has two different values for {area} in {row.get('Years')} "
                             f"(see {observations[key].row.location}).", "keep one row per area and year.")
            else:
                summary.skip("repeated rows (the same figure twice)")
            continue
        reason = "" if cell.missing_reason == "empty" else cell.missing_reason
        if cell.value is None and not reason:
            reason = "no value in the LAIT file"
        observations[key] = _Obs(row, area, period, cell.value, reason, note)
        if segment is not None:
            stitched[key] = True
    if len(kinds) > 1:
        first, second = list(kinds.values())[:2]
        problems.add(second.file, second.location, "Years",
                     f"data item '{item}' mixes kinds of period ('{first.get('Years')}' and '{second.get('Years')}').",
                     "give its year type in the --dictionary.")
    if problems or not observations:
        return None
    decimals = int(meta["decimals"]) if meta.get("decimals", "").isdigit() else None
    unit, unit_note = lait_unit(meta.get("unit", ""), decimals)
    if unit_note:
        summary.notes.append(f"{sid}: {unit_note}.")
    node: dict[str, Any] = {"id": sid, "title": meta.get("title") or rows[0].get("Short Desc") or item, "unit": unit}
    polarity = POLARITIES.get(meta.get("polarity", "").strip().lower(), "")
    if polarity:
        node["polarity"] = polarity
    else:
        summary.unjudged.append(sid)
    node["period_kind"] = next(iter(kinds)).value
    node["definition"] = f"LAIT data item '{item}'" + (f": {rows[0].get('Short Desc')}" if rows[0].get("Short Desc") else "") + "."
    node["source"] = meta.get("source") or SOURCE
    obs = sorted(observations.values(), key=lambda o: (o.area != home, o.area, o.period))
    breaks = []
    for until in sorted(used_segments):
        segment = next(seg for seg in predecessors.values() if seg.until == until)
        after = [o for o in obs if o.area == home and o.period.start >= until.start and not stitched.get((home, o.period))]
        if segment.succession.is_break and after:
            earliest = min(after, key=lambda o: o.period)
            breaks.append(str(earliest.period))
            earliest.note = " ".join(x for x in (earliest.note, f"Series break: {segment.succession.note or 'boundary change'}")
                                  if x)
    if breaks:
        node["breaks"] = breaks
    return node, obs


def _year_kind(text: str) -> str:
    t = " ".join(text.lower().replace("-", " ").split())
    if "academic" in t or "school" in t:
        return PeriodKind.ACADEMIC_YEAR.value
    if "financial" in t or "reporting" in t or "31 march" in t or "march" in t:
        return PeriodKind.FINANCIAL_YEAR.value
    if "calendar" in t:
        return PeriodKind.CALENDAR_YEAR.value
    return t
