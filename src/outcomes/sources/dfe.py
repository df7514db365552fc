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

The files and how they are read are in :mod:`outcomes.sources.dfe_files`; the figures, the
series, the framework and the README built from them in :mod:`outcomes.sources.dfe_dataset`.
"""


from pathlib import Path

from outcomes.model import Period, PeriodError, PeriodKind
from outcomes.model.period import parse_published
from outcomes.sources.areas import (
    ENGLAND,
    AreaDirectory,
    StitchPlan,
    read_statistical_neighbours,
    stitch_plan,
)
from outcomes.sources.bulk import LeftOut
from outcomes.sources.dfe_dataset import DfeSummary, _build, readme_text  # noqa: F401 (callers import it from here)
from outcomes.sources.dfe_files import (
    CLA_AT_31_MARCH,
    DFE_FILES,
    MEASURES,
    _Measure,
    _read_tidy,
    _Table,
    identify_files,
)
from outcomes.sources.problems import Problems
from outcomes.sources.raw import RawDataset
from outcomes.sources.table import read_csv_file

__all__ = ["DFE_FILES", "DfeSummary", "convert_dfe_children"]


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
