"""What the DfE conversion builds: each series' figures (published, or recomputed and checked against
the published figure), the observations rows with a visible break where an authority's code
changed, the framework with England, the region and the statistical neighbours as comparators, the
README, and the summary the command prints (:class:`DfeSummary`).
"""


import re
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import Period, PeriodError, PeriodKind
from outcomes.sources.areas import (
    ENGLAND,
    AreaDirectory,
    StitchPlan,
    group_position,
    stitch_plan,
)
from outcomes.sources.build import FORMAT
from outcomes.sources.bulk import LeftOut
from outcomes.sources.dfe_files import OGL, RELATIVE_TOLERANCE, _cell, _Measure, _Table
from outcomes.sources.raw import OBSERVATION_COLUMNS, Row
from outcomes.sources.table import Cell, format_number, slug


@dataclass
class DfeSummary:
    """What the conversion found, for the command to print."""

    home: str = ""
    home_name: str = ""
    region: str = ""
    region_name: str = ""
    neighbours: list[tuple[str, str, str]] = field(default_factory=list)  # code, name, closeness
    files: dict[str, str] = field(default_factory=dict)
    series: dict[str, int] = field(default_factory=dict)  # id -> home observations with a value
    periods: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (first, last)
    breaks: dict[str, list[str]] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)  # reason -> count (all written rows)
    disagreements: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    latest: list[str] = field(default_factory=list)
    left_out: LeftOut = field(default_factory=LeftOut)
    reporting_period: str = ""

    def lines(self) -> list[str]:
        out = [f"Home area: {self.home_name} ({self.home}); region: {self.region_name} ({self.region}). "
               f"Reporting period: {self.reporting_period}."]
        if self.neighbours:
            out.append("Statistical neighbours: " + ", ".join(f"{n} ({c})" for c, n, _ in self.neighbours) + ".")
        for sid, count in self.series.items():
            first, last = self.periods.get(sid, ("", ""))
            brk = f"; break at {', '.join(self.breaks[sid])}" if self.breaks.get(sid) else ""
            out.append(f"{sid}: {count} home values, {first} to {last}{brk}.")
        out.extend(self.latest)
        if self.missing:
            out.append("Missing values kept with their reason: "
                       + "; ".join(f"{n} × {r}" for r, n in sorted(self.missing.items())) + ".")
        out.extend(self.notes)
        if self.disagreements:
            out.append(f"{len(self.disagreements)} published figures differ from the figure recomputed from "
                       "their counts by more than rounding:")
            out.extend(f"  {d}" for d in self.disagreements)
        out.extend(self.left_out.lines())
        return out


@dataclass
class _Figure:
    value: float | None
    numerator: float | None
    denominator: float | None
    missing_reason: str = ""
    source: str = ""
    recomputed: float | None = None
    published: float | None = None


def _figure(measure: _Measure, tables: dict[str, _Table], codes: tuple[str, ...], year: int,
            directory: AreaDirectory) -> _Figure:
    """The measure for ``codes`` (summed when a merged predecessor pair) in DfE year ``year``."""
    table = tables[measure.file]
    nums: list[float] = []
    dens: list[float] = []
    pubs: list[Cell] = []
    sources: list[str] = []
    reason = ""
    for code in codes:
        num = _cell(table, code, year, measure.numerator)
        if measure.denominator == "population":
            den = _cell(tables["population"], code, year - 1, "population_estimate")
            if den.value is None:
                why = "not in the file" if den.missing_reason.startswith("not in") else den.missing_reason
                den = Cell(None, f"no denominator: the ONS mid-{year - 1} 0-17 population of {code} is {why}")
        else:
            den = _cell(table, code, year, measure.denominator)
        pub = _cell(table, code, year, measure.published) if measure.published else Cell(None)
        info = directory.get(code)
        sources.append(f"{table.name}{f' LA {info.la}' if info and info.la else ''}")
        if num.value is None:
            reason = reason or num.missing_reason
        else:
            nums.append(num.value)
        if den.value is None:
            reason = reason or den.missing_reason
        else:
            dens.append(den.value)
        pubs.append(pub)
    numerator = sum(nums) if len(nums) == len(codes) else None
    denominator = sum(dens) if len(dens) == len(codes) else None
    source = "DfE " + "; ".join(dict.fromkeys(sources))
    recomputed = None
    if numerator is not None and denominator:
        recomputed = numerator / denominator * measure.multiplier
    if measure.published and len(codes) == 1:
        pub = pubs[0]
        if pub.value is None:  # never recompute what the publisher withheld
            return _Figure(None, numerator, denominator, pub.missing_reason, source, recomputed)
        return _Figure(pub.value, numerator, denominator, "", source, recomputed, pub.value)
    if recomputed is None:
        if not reason:
            reason = "the denominator is zero" if denominator == 0 else "not available"
        return _Figure(None, numerator, denominator, reason, source)
    return _Figure(round(recomputed, measure.decimals), numerator, denominator, "", source, recomputed)


def _published_decimals(text: str) -> int:
    return len(text.split(".", 1)[1]) if "." in text else 0


def _years(tables: dict[str, _Table], measure: _Measure, codes: set[str]) -> list[int]:
    return sorted({year for (code, year) in tables[measure.file].rows if code in codes})


def _build(home: str, plans: dict[str, StitchPlan], members: list[tuple[str, str, str]],
           tables: dict[str, _Table], directory: AreaDirectory, summary: DfeSummary,
           measures: list[_Measure], reporting: Period | None) -> tuple[list[Row], dict[str, Any]]:
    rows: list[Row] = []
    series_nodes: list[dict[str, Any]] = []
    latest_home: list[Period] = []
    region = directory.get(home)
    region_code = region.region if region else ""
    for measure in measures:
        home_values: list[tuple[Period, float | None]] = []
        breaks: list[Period] = []
        for code, plan in plans.items():
            sources = {code} | {c for seg in plan.segments for c in seg.codes}
            area_rows: list[tuple[Period, dict[str, str], tuple[str, ...]]] = []
            for year in _years(tables, measure, sources):
                try:
                    period = Period.parse(str(year), kind=PeriodKind.FINANCIAL_YEAR)
                except PeriodError:  # pragma: no cover - years were checked when read
                    continue
                codes = plan.codes_for(period)
                if (code, year) in tables[measure.file].rows:
                    codes = (code,)  # the publisher already gives this year on today's geography
                elif not any((c, year) in tables[measure.file].rows for c in codes):
                    continue
                fig = _figure(measure, tables, codes, year, directory)
                note = ""
                seg = plan.segment_for(period)
                if seg is not None and codes != (code,):
                    names = " and ".join(f"{a.name} ({a.code})" for a in seg.succession.predecessors)
                    combined = " combined" if len(codes) > 1 else ""
                    note = f"Figures for {names}{combined}, before {seg.succession.successor.name} from {seg.until}."
                if fig.published is not None and fig.recomputed is not None:
                    tol = 0.5 * 10 ** -_published_decimals(_cell_text(tables, measure, codes[0], year)) + 1e-9
                    level = directory.get(code)
                    if level and not level.level.lower().startswith("local"):
                        tol += RELATIVE_TOLERANCE * abs(fig.published)
                    if abs(fig.recomputed - fig.published) > tol:
                        summary.disagreements.append(
                            f"{measure.id} {directory.name(code)} {period}: published {fig.published:g}, "
                            f"{measure.numerator}/{measure.denominator} gives {fig.recomputed:.2f}.")
                values = {
                    "series": measure.id, "area": code, "period": str(period),
                    "value": format_number(fig.value), "numerator": format_number(fig.numerator),
                    "denominator": format_number(fig.denominator), "status": "final", "source": fig.source,
                    "note": note, "missing_reason": fig.missing_reason,
                }
                if fig.value is None:
                    key = re.sub(r"E\d{8}", "the area", re.sub(r"mid-\d{4}", "mid-year", fig.missing_reason))
                    summary.missing[key] = summary.missing.get(key, 0) + 1
                area_rows.append((period, values, codes))
            # a visible marker on the first observation after each change of code
            for until, seg in plan.first_periods.items():
                before = [r for r in area_rows if r[0] < until and r[2] != (code,)]
                after = [r for r in area_rows if r[0] >= until]
                if not before or not after:
                    continue
                first = after[0][1]
                word = "Series break" if seg.succession.is_break else "Code change"
                text = (f"{word}: from {until} the figures are for {seg.succession.successor.name} "
                        f"({seg.succession.successor.code}); earlier ones for "
                        f"{' and '.join(a.name + ' (' + a.code + ')' for a in seg.succession.predecessors)}. "
                        f"{seg.succession.note}")
                first["note"] = (first["note"] + " " + text).strip()
                if code == home and seg.succession.is_break:
                    breaks.append(until)
            for period, values, _ in area_rows:
                rows.append(Row({c: values.get(c, "") for c in OBSERVATION_COLUMNS}, "observations.csv",
                                len(rows) + 2))
                if code == home:
                    home_values.append((period, float(values["value"]) if values["value"] else None))
        observed = [p for p, v in home_values if v is not None]
        summary.series[measure.id] = len(observed)
        if observed:
            summary.periods[measure.id] = (str(observed[0]), str(observed[-1]))
            latest_home.append(observed[-1])
        if breaks:
            summary.breaks[measure.id] = [str(b) for b in sorted(breaks)]
        node = _series_node(measure, home, region_code, members, directory, sorted(breaks))
        series_nodes.append(node)
        _describe_latest(measure, home, region_code, members, rows, directory, summary)
    if reporting is None:
        reporting = max(latest_home) if latest_home else Period.parse("2024-25")
    summary.reporting_period = str(reporting)
    return rows, _framework(home, region_code, members, series_nodes, directory, reporting, summary)


def _cell_text(tables: dict[str, _Table], measure: _Measure, code: str, year: int) -> str:
    row = tables[measure.file].rows.get((code, year))
    return row.get(measure.published) if row else ""


def _series_node(measure: _Measure, home: str, region: str, members: list[tuple[str, str, str]],
                 directory: AreaDirectory, breaks: list[Period]) -> dict[str, Any]:
    comparators: list[dict[str, Any]] = [{"name": ENGLAND.name, "area": ENGLAND.code}]
    if region:
        comparators.append({"name": directory.name(region), "area": region})
    if members:
        closeness = sorted({c for _, _, c in members if c})
        comparators.append({
            "name": "Statistical neighbours", "kind": "group", "members": [m[0] for m in members],
            "note": f"DfE children's services statistical neighbours of {directory.name(home)} (10 closest "
                    f"authorities; closeness: {', '.join(closeness) or 'not given'}).",
        })
    node: dict[str, Any] = {
        "id": measure.id, "title": measure.title, "short_title": measure.short_title, "unit": measure.unit,
        "polarity": measure.polarity.value, "period_kind": PeriodKind.FINANCIAL_YEAR.value,
        "definition": f"{measure.definition} Polarity: {measure.polarity.value}. {measure.polarity_reason}",
        "source": f"Department for Education, Explore Education Statistics; ONS mid-year estimates. {OGL}.",
    }
    if breaks:
        node["breaks"] = [str(b) for b in breaks]
    node["comparators"] = comparators
    return node


def _describe_latest(measure: _Measure, home: str, region: str, members: list[tuple[str, str, str]],
                     rows: list[Row], directory: AreaDirectory, summary: DfeSummary) -> None:
    mine = [r.values for r in rows if r.values["series"] == measure.id]
    home_rows = [v for v in mine if v["area"] == home and v["value"]]
    if not home_rows:
        summary.latest.append(f"{measure.id}: no value for {directory.name(home)}.")
        return
    latest = max(home_rows, key=lambda v: Period.parse(v["period"], kind=PeriodKind.FINANCIAL_YEAR))
    period = latest["period"]

    def at(code: str) -> float | None:
        for v in mine:
            if v["area"] == code and v["period"] == period and v["value"]:
                return float(v["value"])
        return None

    parts = [f"{directory.name(home)} {latest['value']}"]
    for code in (ENGLAND.code, region):
        value = at(code)
        if code and value is not None:
            parts.append(f"{directory.name(code)} {value:g}")
    position = group_position(float(latest["value"]), [at(m[0]) for m in members], polarity=measure.polarity)
    text = f"{measure.id} {period}: " + ", ".join(parts)
    if position:
        text += f"; among statistical neighbours {position.describe(measure.polarity)}"
    summary.latest.append(text + ".")


def _framework(home: str, region: str, members: list[tuple[str, str, str]], series: list[dict[str, Any]],
               directory: AreaDirectory, reporting: Period, summary: DfeSummary) -> dict[str, Any]:
    name = directory.name(home)
    others = [ENGLAND.code, region, *(m[0] for m in members)]
    plan = stitch_plan(home)
    for seg in plan.segments:
        others.extend(a.code for a in seg.succession.predecessors)
    areas = [{"code": c, "name": _predecessor_name(c, plan) or directory.name(c)}
             for c in dict.fromkeys(o for o in others if o and o != home)]
    by_id = {node["id"]: node for node in series}
    indicators: list[dict[str, Any]] = []
    for sid in ("children-looked-after", "children-in-need"):
        if sid in by_id:
            node = by_id[sid]
            indicators.append({"id": node["id"], "number": f"{len(indicators) + 1:02d}", "title": node["title"],
                               **{k: v for k, v in node.items() if k not in ("id", "title")}})
    cpp = by_id.get("repeat-child-protection-plans")
    if cpp is not None:
        if indicators and indicators[-1]["id"] == "children-in-need":
            indicators[-1]["measures"] = [{**cpp}]
        else:  # children in need was left out: the plans stand on their own
            indicators.append({"id": cpp["id"], "number": f"{len(indicators) + 1:02d}", "title": cpp["title"],
                               **{k: v for k, v in cpp.items() if k not in ("id", "title")}})
    intro = (f"How {name} compares with England, the {directory.name(region)} region and its ten DfE statistical "
             "neighbours on children in need, child protection and children looked after, from the Department "
             f"for Education's published statistics. Generated by 'outcomes convert dfe-children'. {OGL}.")
    return {
        "format": FORMAT,
        "organisation": name,
        "area": {"code": home, "name": name},
        "reporting_period": str(reporting),
        "report": {"title": f"Children's safeguarding: {name} compared", "status": "draft",
                   "data_date": f"DfE reporting years to {reporting} (year ending 31 March {reporting.end.year})"},
        "areas": areas,
        "outcomes": [{
            "id": f"{slug(name)}-children-safeguarding",  # one outcome per authority in the tracker
            "title": "Children are safe",
            "introduction": intro,
            "population_indicators": indicators,
        }],
    }


def _predecessor_name(code: str, plan: StitchPlan) -> str:
    for seg in plan.segments:
        for a in seg.succession.predecessors:
            if a.code == code:
                return a.name
    return ""


def readme_text(summary: DfeSummary, area: str) -> str:
    """The README.md written beside a converted folder: source, licence, how it was made, what it holds."""
    files = "\n".join(f"- `{name}`" for name in summary.files.values())
    series = "\n".join(f"- `{sid}`: {n} values for {summary.home_name}"
                       + (f", {summary.periods[sid][0]} to {summary.periods[sid][1]}" if sid in summary.periods else "")
                       + (f" (series break at {', '.join(summary.breaks[sid])})" if summary.breaks.get(sid) else "")
                       for sid, n in summary.series.items())
    if summary.left_out.series:
        series += ("\n\nLeft out because their files have problems (rerun with `--problems FILE` to list them): "
                   + ", ".join(f"`{sid}`" for sid in sorted(summary.left_out.series)) + ".")
    neighbours = ", ".join(f"{name} ({code})" for code, name, _ in summary.neighbours) or "none"
    return f"""# Children's safeguarding: {summary.home_name} ({summary.home})

A dataset folder generated from published data — do not edit by hand; regenerate it with

```sh
outcomes convert dfe-children ../shared/reference-data/dfe-children --area {area} --out <this folder>
```

## Source

Department for Education, *Children in need* and *Children looked after in England* statistics
(Explore Education Statistics), with ONS mid-year population estimates, as collected in
`dfe-analytical-services/CSC_outcomes_and_enablers` (`data-raw/`). Files read:

{files}

{OGL}.

## What it holds

{series}

Comparators: England, {summary.region_name} ({summary.region}) and the DfE statistical neighbours:
{neighbours}.

Suppressed or unavailable figures (`c`, `x`, `z`, `low`, `u`, ...) are kept as missing values with
their reason in `missing_reason`, never as zero. How each column maps, the series' polarities and
why, and how authorities whose code changed are stitched: `docs/sources.md`.
"""
