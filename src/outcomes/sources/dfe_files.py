"""The DfE children's social care files: which file is which (by its columns), the measures each
gives, and reading a tidy file's rows into figures by area and year, with every problem named.

:func:`outcomes.sources.dfe.convert_dfe_children` uses them; the files are listed there.
"""


from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from outcomes.model import PeriodKind, Polarity
from outcomes.sources.areas import (
    ENGLAND,
    AreaDirectory,
)
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.table import Cell, read_cell, read_csv_file

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
