"""Children's social care statistics from DfE Explore Education Statistics (tidy CSVs) → a dataset.

:func:`convert_dfe_children` reads the files of a folder such as ``shared/reference-data/dfe-children``:

========================================  =====================================================
file (glob)                               gives
========================================  =====================================================
``cla_rate_per_10k_*.csv``                children looked after at 31 March (count, 0–17 population, rate)
``cin_b1_*.csv``                          children in need at 31 March (``At31_episodes``)
``cpp_d3_*.csv``                          child protection plans started / second or subsequent
``ons_population_0to17_*.csv``            ONS mid-year 0–17 population (reporting year t uses mid-year t−1)
``statistical_neighbours_*.csv``          each authority's 10 DfE statistical neighbours
========================================  =====================================================

and builds three series for one authority, each with its numerator and denominator (so intervals can
be computed), England and the region as benchmarks and the statistical neighbours as a group:

* ``children-looked-after`` — rate per 10,000 children aged 0–17 (polarity: no-judgement)
* ``children-in-need`` — rate per 10,000 children aged 0–17 (polarity: no-judgement)
* ``repeat-child-protection-plans`` — % of plans starting that are a second or subsequent plan
  (polarity: lower-is-better)

Suppression markers (``c``, ``x``, ``z``, ``low``, ``u``, ``k``, ...) become missing values with
their reason; a figure the publisher suppressed is never recomputed from other columns. Authorities
whose code changed are stitched through :mod:`outcomes.sources.areas` with a visible break.
The column mapping and the reasoning behind each polarity are in ``docs/sources.md``.

Bulk policy (as the other converters): each series comes from one DfE file (and, for children in
need, the population file). A problem in the rows of a file leaves out, whole, the series built from
it; the others are converted and the summary names what was left out and why. ``strict`` keeps
all-or-nothing. What makes every series impossible (no folder, a file not found or unreadable as a
whole (encoding, a missing column), the neighbours file broken, an unknown area) stops it all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outcomes.model import Period, PeriodError, PeriodKind, Polarity
from outcomes.model.period import parse_published
from outcomes.sources.areas import (
    ENGLAND,
    AreaDirectory,
    StitchPlan,
    group_position,
    read_statistical_neighbours,
    stitch_plan,
)
from outcomes.sources.build import FORMAT
from outcomes.sources.bulk import LeftOut
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.table import Cell, format_number, read_cell, read_csv_file, slug

__all__ = ["DFE_FILES", "DfeSummary", "convert_dfe_children"]

OGL = "Contains public sector information licensed under the Open Government Licence v3.0"
TIDY_COLUMNS = ("time_period", "time_identifier", "geographic_level", "region_code", "region_name",
                "old_la_code", "new_la_code", "la_name")
DFE_FILES = {
    "cla": ("cla_rate_per_10k_*.csv", ("population_type", "population_estimate", "children_count", "rate_per_10000")),
    "cin": ("cin_b1_*.csv", ("At31_episodes",)),
    "cpp": ("cpp_d3_*.csv", ("CPP_start", "CPP_subsequent", "CPP_subsequent_percent")),
    "population": ("ons_population_0to17_*.csv", ("population_estimate",)),
    "neighbours": ("statistical_neighbours_*.csv", ()),
}
CLA_AT_31_MARCH = "Children looked after on 31 March each year"
LEVELS = {"national": "national", "regional": "regional", "local authority": "local authority"}
#: How far a recomputed figure may be from the published one before it is reported: half the last
#: published digit, plus 0.5% of the value for national and regional counts rounded to the nearest 10.
RELATIVE_TOLERANCE = 0.005


@dataclass(frozen=True)
class _Measure:
    id: str
    title: str
    short_title: str
    unit: dict[str, Any]
    polarity: Polarity
    file: str
    numerator: str
    denominator: str  # a column of the same row, or "population" (ONS mid-year t-1)
    published: str  # a column with the published figure, or ""
    multiplier: float
    decimals: int
    definition: str
    polarity_reason: str


MEASURES = (
    _Measure(
        id="children-looked-after", title="Children looked after at 31 March, rate per 10,000 children aged 0 to 17",
        short_title="Children looked after", unit={"type": "rate", "per": 10000, "decimals": 1},
        polarity=Polarity.NO_JUDGEMENT, file="cla", numerator="children_count", denominator="population_estimate",
        published="rate_per_10000", multiplier=10_000, decimals=1,
        definition="Children looked after by the authority at 31 March (children_count, population type "
                   "'Children looked after on 31 March each year') per 10,000 children aged 0 to 17 "
                   "(population_estimate: the ONS mid-year estimate of the year before). The value is the "
                   "rate DfE publishes (whole numbers); the counts give its confidence interval.",
        polarity_reason="A lower rate is not simply better: it may mean children at risk are not being "
                        "taken into care, and a higher one may be the right response to need.",
    ),
    _Measure(
        id="children-in-need", title="Children in need at 31 March, rate per 10,000 children aged 0 to 17",
        short_title="Children in need", unit={"type": "rate", "per": 10000, "decimals": 1},
        polarity=Polarity.NO_JUDGEMENT, file="cin", numerator="At31_episodes", denominator="population",
        published="", multiplier=10_000, decimals=1,
        definition="Children in need at 31 March (At31_episodes: episodes open at 31 March, one per child) per "
                   "10,000 children aged 0 to 17, using the ONS mid-year estimate of the calendar year before "
                   "the reporting year ends (DfE's convention), rounded to one decimal place as DfE does.",
        polarity_reason="A lower rate is not simply better: it can reflect thresholds, recording or unmet "
                        "need as much as fewer children needing help.",
    ),
    _Measure(
        id="repeat-child-protection-plans",
        title="Child protection plans starting in the year that are a second or subsequent plan (%)",
        short_title="Second or subsequent plans", unit={"type": "percentage", "decimals": 1},
        polarity=Polarity.LOWER_IS_BETTER, file="cpp", numerator="CPP_subsequent", denominator="CPP_start",
        published="CPP_subsequent_percent", multiplier=100, decimals=1,
        definition="Plans started in the reporting year that were a second or subsequent plan for the child "
                   "(CPP_subsequent) as a percentage of all plans started (CPP_start); the value is DfE's "
                   "published percentage.",
        polarity_reason="A repeat plan means an earlier plan did not make the child lastingly safe, so fewer "
                        "is better; a very low figure can also hide plans kept open too long, which the "
                        "narrative should watch.",
    ),
)


@dataclass
class _Table:
    """One DfE file, indexed by (area code, time_period)."""

    file: Path
    rows: dict[tuple[str, int], Row] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.file.name


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


#: How each file is recognised: columns it must have, and columns it must not have.
SIGNATURES = {
    "cla": (("population_type", "children_count", "rate_per_10000"), ()),
    "cin": (("At31_episodes",), ()),
    "cpp": (("CPP_start", "CPP_subsequent_percent"), ()),
    "population": (("population_estimate",), ("population_type", "children_count")),
    "neighbours": (("old_la_code", "SN_1"), ()),
}


def identify_files(source: Path, problems: Problems) -> dict[str, Path | None]:
    """Each DfE file of the folder, recognised by its columns whatever its name (CSV, gzip, Excel or Parquet).

    When several files have the same columns, the one whose name sorts last (the newest release, as
    DfE names them) is used and the others are named in a note.
    """
    from outcomes.sources.reading import read_header

    found: dict[str, list[Path]] = {key: [] for key in SIGNATURES}
    for path in sorted(p for p in source.iterdir() if p.is_file() and not p.name.startswith(".")):
        header = read_header(path)
        if not header:
            continue
        names = set(header)
        for key, (need, avoid) in SIGNATURES.items():
            if all(n in names for n in need) and not any(a in names for a in avoid):
                found[key].append(path)
    out: dict[str, Path | None] = {}
    for key, paths in found.items():
        if not paths:
            pattern = DFE_FILES[key][0]
            problems.add(str(source), "", "", f"no file has the columns {', '.join(SIGNATURES[key][0])} (DfE's "
                         f"file usually named like '{pattern}').",
                         "point at the folder of DfE children's social care files (see docs/sources.md).")
            out[key] = None
        else:
            out[key] = paths[-1]
    return out


def _period(row: Row, problems: Problems) -> int | None:
    text = row.get("time_period")
    ident = row.get("time_identifier")
    try:
        kind = PeriodKind(ident) if ident else PeriodKind.FINANCIAL_YEAR
    except ValueError:
        kind = None
    if kind is not PeriodKind.FINANCIAL_YEAR:
        problems.add(row.file, row.location, "time_identifier", f"'{ident}' is not a reporting year.",
                     "these series are DfE reporting years ending 31 March ('Reporting year').")
        return None
    if not (text.isdigit() and len(text) == 4):
        problems.add(row.file, row.location, "time_period", f"'{text}' is not a year such as 2025.",
                     "DfE time_period for a reporting year is the year it ends in.")
        return None
    return int(text)


def _area_code(row: Row, problems: Problems, directory: AreaDirectory) -> str | None:
    level = LEVELS.get(row.get("geographic_level").lower())
    period = row.get("time_period")
    if level == "national":
        code = row.get("country_code") or ENGLAND.code
        directory.add(code, row.get("country_name") or ENGLAND.name, level="National", period=period)
        return code
    if level == "regional":
        code = row.get("region_code")
        if not code:
            problems.add(row.file, row.location, "region_code", "a regional row has no region code.", "")
            return None
        directory.add(code, row.get("region_name") or code, level="Regional", period=period)
        return code
    if level == "local authority":
        code = row.get("new_la_code")
        if not code:
            problems.add(row.file, row.location, "new_la_code", "a local authority row has no ONS code.", "")
            return None
        directory.add(code, row.get("la_name") or code, level="Local authority", la=row.get("old_la_code"),
                      region=row.get("region_code"), region_name=row.get("region_name"), period=period)
        return code
    problems.add(row.file, row.location, "geographic_level", f"'{row.get('geographic_level')}' is not a level "
                 "these files should have.", "expected National, Regional or Local authority.")
    return None


def _read_tidy(path: Path, measures: tuple[str, ...], problems: Problems, directory: AreaDirectory,
               *, keep: Any = None, rows_problems: Problems | None = None) -> _Table:
    """One tidy file. Problems with the file itself (encoding, columns) go to ``problems``; those of its
    rows to ``rows_problems`` (the file's own part: they leave out its series), else to ``problems``."""
    header, rows = read_csv_file(path, problems, required=(*TIDY_COLUMNS, *measures))
    table = _Table(path)
    if any(c not in header for c in (*TIDY_COLUMNS, *measures)):
        return table
    problems = problems if rows_problems is None else rows_problems
    for row in rows:
        if keep is not None and not keep(row):
            continue
        year = _period(row, problems)
        code = _area_code(row, problems, directory)
        for column in measures:
            if column == "population_type":
                continue
            cell = read_cell(row.get(column), allow_percent=False)
            if cell.error:
                problems.add(row.file, row.location, column, cell.error + ".",
                             "DfE files use c, x, z, low, u, k and : for values not given; anything else must be "
                             "a number. Check the file was not changed by hand.")
        if year is None or code is None:
            continue
        key = (code, year)
        if key in table.rows:
            problems.add(row.file, row.location, "time_period",
                         f"{code} already has a row for {year} (row {table.rows[key].number}).",
                         "keep one row per area and year.")
            continue
        table.rows[key] = row
    return table


def _cell(table: _Table, code: str, year: int, column: str) -> Cell:
    row = table.rows.get((code, year))
    if row is None:
        return Cell(None, f"not in {table.name} for {year}")
    return read_cell(row.get(column), allow_percent=False)


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


def _files_of(measure: _Measure) -> tuple[str, ...]:
    """The DfE files a series is built from."""
    return (measure.file, "population") if measure.denominator == "population" else (measure.file,)


def convert_dfe_children(source: Path, area: str, problems: Problems, *, strict: bool = False,
                         period: str | None = None) -> tuple[RawDataset | None, DfeSummary]:
    """Read the DfE children's social care files in ``source`` and build ``area``'s dataset.

    ``area`` is an ONS code (``E06000059``) or a DfE LA number (``838``). A problem in the rows of a
    file leaves out the series built from it (``summary.left_out``) and the others are built; with
    ``strict``, or when nothing is left, every problem is in ``problems`` and ``(None, summary)`` is
    returned: nothing is half-built. ``period`` is the reporting period (default: the latest period
    of the home area's data).
    """
    source = Path(source)
    summary = DfeSummary(left_out=LeftOut(strict=strict))
    if not source.is_dir():
        problems.add(str(source), "", "", "is not a folder.", "point at the folder holding the DfE CSV files.")
        return None, summary
    directory = AreaDirectory()
    paths = identify_files(source, problems)
    tables: dict[str, _Table] = {}
    own: dict[str, Problems] = {}  # each file's problems, counted apart (written to the same file)
    for key, path in paths.items():
        if path is None or key == "neighbours":
            continue
        keep = (lambda r: r.get("population_type") == CLA_AT_31_MARCH) if key == "cla" else None
        own[key] = problems.part()
        tables[key] = _read_tidy(path, DFE_FILES[key][1], problems, directory, keep=keep, rows_problems=own[key])
        summary.files[key] = path.name
    groups: dict[str, tuple[tuple[str, str], ...]] = {}
    if paths["neighbours"] is not None:
        _, sn_rows = read_csv_file(paths["neighbours"], problems,
                                   required=("old_la_code", *(f"SN_{k}" for k in range(1, 11))))
        groups = read_statistical_neighbours(sn_rows, problems)
        summary.files["neighbours"] = paths["neighbours"].name

    def stop() -> tuple[None, DfeSummary]:
        """Nothing can be converted: every problem, those of the files too, is the conversion's."""
        for part in own.values():
            problems.absorb(part)
        return None, summary

    if problems:
        return stop()
    reporting: Period | None = None
    if period:
        try:
            reporting = parse_published(period, kind=PeriodKind.FINANCIAL_YEAR)[0]
        except PeriodError as exc:
            problems.add("--period", "", "--period", str(exc), "write the reporting year as 2024-25 (docs/periods.md).")
            return stop()
    home = directory.resolve(area)
    if home is None or not home.level.lower().startswith("local"):
        problems.add("--area", "", "area", f"'{area}' is not a local authority in these files.",
                     "give the ONS code (E06000059) or the DfE LA number (838)." + directory.suggestion(area))
        return stop()
    summary.home, summary.home_name = home.code, home.name
    summary.region, summary.region_name = home.region, directory.name(home.region)
    later = [s for s in _successions_from(home.code)]
    if later:
        summary.notes.append(f"{home.name} ({home.code}) was succeeded: " + " ".join(s for s in later))
    # statistical neighbours, by their current ONS codes
    members: list[tuple[str, str, str]] = []
    if home.la in groups:
        for la, closeness in groups[home.la]:
            found = directory.codes_for_la(la)
            if not found:
                problems.add(paths["neighbours"].name if paths["neighbours"] else "neighbours", "", "SN",
                             f"neighbour LA {la} of {home.name} is in no data file.", "check the files are of one release.")
                continue
            members.append((found[0].code, found[0].name, closeness))
    else:
        summary.notes.append(f"{home.name} (LA {home.la}) has no row in the statistical neighbours file: "
                             "no group comparator.")
    if problems:
        return stop()
    summary.neighbours = members
    # the bulk policy: a series whose files have a problem is left out whole
    measures: list[_Measure] = []
    for measure in MEASURES:
        mine = problems.part()
        for key in _files_of(measure):
            mine.absorb(own[key])
        if summary.left_out.settle(measure.id, mine, problems):
            measures.append(measure)
    if problems:
        return None, summary
    if not measures:
        problems.add(str(source), "", "", f"no series could be converted for {home.name}.",
                     "see the problems listed with each left-out series.")
        summary.left_out.fail(problems)
        return None, summary
    plans: dict[str, StitchPlan] = {code: stitch_plan(code) for code in
                                    (home.code, ENGLAND.code, home.region, *(m[0] for m in members))}
    rows, framework = _build(home.code, plans, members, tables, directory, summary, measures, reporting)
    if problems:
        return None, summary
    return RawDataset(framework=framework, framework_file="framework.yaml", observations=rows), summary


def _successions_from(code: str) -> list[str]:
    from outcomes.sources.areas import load_successions

    return [f"from {s.first_period} by {s.successor.name} ({s.successor.code}), {s.kind}: {s.note}"
            for s in load_successions() if code in {a.code for a in s.predecessors}]


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
