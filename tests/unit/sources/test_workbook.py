"""The dataset as one Excel workbook: it round-trips with the folder, and bad workbooks are problems."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes.sources import DatasetError, load_dataset, read_raw
from outcomes.sources.build import build_framework
from outcomes.sources.folder import read_folder, write_folder
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.workbook import (
    SHEETS,
    WorkbookRaw,
    cell_text,
    number_text,
    plain_number,
    read_workbook,
    write_workbook,
)

EXAMPLE = BUNDLED_EXAMPLE

# A small dataset using every key framework.yaml may hold.
FRAMEWORK = """\
format: outcomes-tracker/1
organisation: Testshire County Council
area: {code: E10000001, name: Testshire}
reporting_period: Q4 2017-18
report:
  title: Outcomes Focused Monitoring Report
  published: July 2018
  status: draft
  data_date: June 2018
areas:
  - {code: E92000001, name: England}
  - {code: E12000009, name: South West}
  - {code: E10000002}
settings:
  tolerance: 0.05
  compare_with: same-period-last-year
  focus_weights: {worse: 5, high_risk: 2.5}
  rag: {higher: G, lower: null}
outcomes:
  - id: safe
    title: Safe
    sponsor: {name: Ann Sponsor, role: Director for Children's Services}
    lead_officers:
      - {name: Lee Lead, role: Outcome Lead Officer}
    contacts:
      - {name: Cat Contact, role: "Senior Assurance Manager, Governance and Assurance"}
      - {name: Nora Noroll}
    introduction: |-
      A summary of the position against each indicator.
      Risks come from the Corporate Risk Register.
    published_summary:
      population_indicators: 2
      performance_measures: 3
      risks: 2
      focus_indicators: [Total crime, Persistent absence]
      focus_measures: ["Roads (e.g. budget reductions; climate change)"]
      focus_risks: [R1 – Budget, R2 - Staff]
    population_indicators:
      - id: crime
        number: "01"
        section: "05"
        section_title: Crime and safety
        title: Total crime
        lead_officers:
          - {name: Ian Lead, role: Population Indicator Lead Officer}
        unit: rate per 1000
        polarity: lower-is-better
        period_kind: quarter
        definition: Crimes recorded by the police, per 1,000 residents.
        source: Police recorded crime
        breaks: [Q1 2016-17, Q1 2017-18]
        comparators:
          - {name: England, area: E92000001, value: 43.1, period: Q4 2017-18, note: "Printed as '43.1 (Average)'."}
          - name: Neighbours
            kind: group
            members: [E10000002, E10000003]
            basis: per 1,000 population
            home_value: 41
        target: {value: 40, period: Q4 2018-19, note: Stretch target}
        focus: {pin: Committee asked to follow this}
        published:
          previous: {label: Q3 2017-18, value: 45.2}
          extra:
            - {label: Q2 2017-18, value: 44}
            - {label: Q1 2017-18, value: 43.5, text: "Printed as 43.5*"}
          latest: {label: Q4 2017-18, value: 42, text: "42 (provisional)"}
          trend: improving
          trend_rag: G
          trend_basis: Compared to Q3 2017-18
          comparator: better
          comparator_rag: G
          comparator_text: "COMPARATOR - Benchmark (England) BETTER 43.1"
        value_for_money: {status: measured, latest: 1.25, rank: 3, of: 16, note: Lower cost than most}
        measures:
          - id: assaults
            title: Number of assaults
            published_trend: worsening
            unit: count
            polarity: lower-is-better
            period_kind: quarter
            target: 100
            published:
              previous: {label: Q3 17-18, value: 74}
              latest: {label: Q4 17-18, value: 86}
          - id: defects
            title: Percentage of defects made safe on time
            lead_officers:
              - {name: Rita Roads}
            series:
              - id: defects-cat1
                title: "Defects made safe on time: Cat 1 (32 hours)"
                short_title: 32 hours
                unit: {type: percentage, decimals: 1}
                polarity: higher-is-better
                period_kind: quarter
                focus: {suppress: Contract changed in 2017}
                lead_officers:
                  - {name: Sam Series, role: Contract Manager}
              - id: defects-cat2
                title: "Defects made safe on time: Cat 2 (28 days)"
                short_title: 28 days
                unit: percentage
                polarity: higher-is-better
                period_kind: quarter
      - id: absence
        number: "02"
        title: Persistent absence
        value_for_money: {status: under-development}
        series:
          - id: absence-primary
            title: Persistent absence, primary schools
            unit: percentage
            polarity: lower-is-better
            period_kind: academic-year
            published:
              previous: {label: "2016", value: 7.6}
              latest: {label: "2017", value: 7.3}
          - id: absence-secondary
            title: Persistent absence, secondary schools
            unit: {type: rate, per: 100000, decimals: 2}
            polarity: lower-is-better
            period_kind: academic-year
        measures:
          - id: costs
            title: Cost per pupil
            unit: {type: currency, currency: "€"}
            polarity: no-judgement
            period_kind: financial-year
  - id: prosperous
    title: Prosperous
    sponsor:
      - {name: Pat One, role: Director of Place}
      - {name: Pat Two}
    population_indicators:
      - id: jobs
        number: "03"
        title: Number of jobs
        unit: count
        polarity: higher-is-better
        period_kind: calendar-year
        published:
          latest: {label: "2017", value: 3766}
"""

OBSERVATIONS = """\
series,area,period,value,numerator,denominator,lower95,upper95,lower998,upper998,status,source,note,missing_reason
crime,E10000001,Q3 2017-18,45.2,452,10000,41.1,49.6,,,final,Police,,
crime,E10000001,Q4 2017-18,42,420,10000,38.1,46.2,36.5,48.1,provisional,"Police, table 3",=not a formula,
crime,E92000001,Q4 2017-18,43.1,,,,,,,final,,,
assaults,E10000001,Q3 2017-18,74,,,,,,,,,,
assaults,E10000001,Q4 2017-18,86,,,,,,,,,"Includes ""Cardiff Model"" data",
defects-cat1,E10000001,Q4 2017-18,91.0,,,,,,,,,,
defects-cat2,E10000001,Q4 2017-18,28.9%,,,,,,,,,,
absence-primary,E10000001,AY 2015/16,7.6,,,,,,,,,,
absence-primary,E10000001,AY 2016/17,07.3,,,,,,,,,,
absence-secondary,E10000001,AY 2016/17,,,,,,,,,,,suppressed
costs,E10000001,2017-18,"3,766",,,,,,,,,,
jobs,E10000001,2016,-3.5,,,,,,,,,"Two lines
of note",
jobs,E10000001,2017,0.30000000000000004,,,,,,,,,,
"""

RISKS = """\
id,title,score,trend,outcome,indicators,likelihood,impact,owner,focus,focus_reason
R1,Budget pressures,HIGH,WORSENING,safe,crime;absence,4,5,Chief Executive,pin,Always reported
R2,Staff shortages,MEDIUM,IMPROVED,safe,,3,,,,
R3,Economic downturn,LOW,UNCHANGED,prosperous,jobs,,,,,
"""

NARRATIVE = {
    "crime-q4-2017-18.md": """\
---
subject: crime
period: Q4 2017-18
---

## Story behind the baseline

Crime fell for the third quarter running.

- burglary down
- violence steady

## Partners with a significant role to play

Police, probation.

## What we are doing

Community safety plan.

## Data notes

Figures are provisional.
""",
    "jobs.md": """\
---
subject: jobs
---

## Story behind the baseline

More jobs.
""",
}


def _write_fixture(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "framework.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (folder / "observations.csv").write_text(OBSERVATIONS, encoding="utf-8")
    (folder / "risks.csv").write_text(RISKS, encoding="utf-8")
    (folder / "narrative").mkdir()
    for name, text in NARRATIVE.items():
        (folder / "narrative" / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return _write_fixture(tmp_path / "dataset")


def _read_folder(path: Path) -> RawDataset:
    problems = Problems()
    raw = read_folder(path, problems)
    assert not problems, [str(p) for p in problems.items]
    assert raw is not None
    return raw


def _read_book(path: Path) -> RawDataset:
    problems = Problems()
    raw = read_workbook(path, problems)
    assert not problems, [str(p) for p in problems.items]
    assert raw is not None
    return raw


def _book_problems(path: Path) -> tuple[RawDataset | None, list[Any]]:
    problems = Problems()
    raw = read_workbook(path, problems)
    if raw is not None:
        build_framework(raw, problems)
    return raw, problems.items


def _canonical(raw: RawDataset) -> dict[str, Any]:
    """The built framework as plain data, without where each value was read ('origin')."""
    problems = Problems()
    framework = build_framework(raw, problems)
    assert not problems, [str(p) for p in problems.items]

    def clean(o: Any) -> Any:
        if isinstance(o, dict):
            return {k: clean(v) for k, v in o.items() if k != "origin"}
        if isinstance(o, list):
            return [clean(v) for v in o]
        return o

    return clean(dataclasses.asdict(framework))


def _without_empty(o: Any) -> Any:
    if isinstance(o, dict):
        return {k: _without_empty(v) for k, v in o.items() if v not in ([], {}, None)}
    if isinstance(o, list):
        return [_without_empty(v) for v in o]
    return o


def _sheet(path: Path, name: str) -> Any:
    return openpyxl.load_workbook(path)[name]


def _column(ws: Any, name: str) -> int:
    return [c.value for c in ws[1]].index(name) + 1


def _edit(path: Path, sheet: str, row: int, column: str, value: Any) -> None:
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    ws.cell(row=row, column=_column(ws, column)).value = value
    wb.save(path)


def _row_of(path: Path, sheet: str, column: str, value: str) -> int:
    ws = _sheet(path, sheet)
    col = _column(ws, column)
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=col).value == value)


# --- round trips ---------------------------------------------------------------------------------


def test_workbook_builds_the_same_framework_as_the_folder(folder, tmp_path):
    # Given the folder fixture, when written as a workbook and read back
    raw = _read_folder(folder)
    write_workbook(raw, tmp_path / "book.xlsx")
    again = _read_book(tmp_path / "book.xlsx")
    # Then the framework built from each is the same, series, figures, risks, narrative and all
    assert _canonical(again) == _canonical(raw)
    built = build_framework(again, Problems())
    assert built is not None
    assert [s.id for s in built.all_series()] == [
        "crime", "assaults", "defects-cat1", "defects-cat2", "absence-primary", "absence-secondary", "costs", "jobs"]
    crime = built.series_by_id()["crime"]
    assert [(str(o.period), o.value) for o in crime.observations] == [("Q3 2017-18", 45.2), ("Q4 2017-18", 42.0)]
    assert [h.label for h in crime.published.extra] == ["Q2 2017-18", "Q1 2017-18"]
    assert crime.published.extra[1].text == "Printed as 43.5*"
    assert [r.id for r in built.risks] == ["R1", "R2", "R3"]


def test_the_framework_mapping_is_the_one_framework_yaml_gives(folder, tmp_path):
    raw = _read_folder(folder)
    write_workbook(raw, tmp_path / "book.xlsx")
    assert _read_book(tmp_path / "book.xlsx").framework == raw.framework


def test_folder_to_workbook_to_folder_is_byte_identical(folder, tmp_path):
    # Given a folder, when written as a workbook and the workbook written back as a folder
    write_workbook(_read_folder(folder), tmp_path / "book.xlsx")
    write_folder(_read_book(tmp_path / "book.xlsx"), tmp_path / "again")
    again = tmp_path / "again"
    write_folder(_read_folder(folder), tmp_path / "direct")
    # Then the tables are byte for byte what the folder writer writes, and framework.yaml holds the same mapping
    for name in ("observations.csv", "risks.csv"):
        assert (again / name).read_bytes() == (tmp_path / "direct" / name).read_bytes(), name
    # the only difference from the hand-written file: formula-like text gets its apostrophe (read off again)
    assert (again / "observations.csv").read_text("utf-8") == (folder / "observations.csv").read_text(
        "utf-8").replace(",=not a formula,", ",'=not a formula,")
    assert yaml.safe_load((again / "framework.yaml").read_text("utf-8")) == yaml.safe_load(FRAMEWORK)
    assert _canonical(_read_folder(again)) == _canonical(_read_folder(folder))
    assert sorted(p.name for p in (again / "narrative").iterdir()) == ["crime-q4-2017-18.md", "jobs.md"]


def test_rows_know_their_sheet_and_row(folder, tmp_path):
    write_workbook(_read_folder(folder), tmp_path / "book.xlsx")
    raw = _read_book(tmp_path / "book.xlsx")
    assert (raw.observations[0].file, raw.observations[0].number) == ("book.xlsx sheet Observations", 2)
    assert raw.observations[0].values == dict(zip(OBSERVATION_COLUMNS, [
        "crime", "E10000001", "Q3 2017-18", "45.2", "452", "10000", "41.1", "49.6", "", "", "final", "Police", "",
        ""], strict=True))
    assert (raw.risks[2].file, raw.risks[2].number) == ("book.xlsx sheet Risks", 4)
    assert raw.narrative[0].file == "book.xlsx sheet Narrative row 2"


def test_load_dataset_reads_a_workbook(folder, tmp_path):
    write_workbook(_read_folder(folder), tmp_path / "book.xlsx")
    assert load_dataset(tmp_path / "book.xlsx").organisation == "Testshire County Council"


def test_the_dorset_example_round_trips(tmp_path):
    raw = _read_folder(EXAMPLE)
    write_workbook(raw, tmp_path / "safe.xlsx")
    again = _read_book(tmp_path / "safe.xlsx")
    assert _canonical(again) == _canonical(raw)
    # framework.yaml writes 'comparators: []' once; a sheet has no way to say "an empty list"
    assert _without_empty(again.framework) == _without_empty(raw.framework)
    write_folder(raw, tmp_path / "direct")
    write_folder(again, tmp_path / "via-workbook")
    for name in ("observations.csv", "risks.csv"):
        assert (tmp_path / "via-workbook" / name).read_bytes() == (tmp_path / "direct" / name).read_bytes()
        assert (tmp_path / "direct" / name).read_bytes() == (EXAMPLE / name).read_bytes()
    for md in (tmp_path / "direct" / "narrative").iterdir():
        assert (tmp_path / "via-workbook" / "narrative" / md.name).read_bytes() == md.read_bytes()


# --- the layout ----------------------------------------------------------------------------------


def test_one_sheet_per_table_with_bold_frozen_headers(folder, tmp_path):
    write_workbook(_read_folder(folder), tmp_path / "book.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "book.xlsx")
    assert wb.sheetnames == [s.name for s in SHEETS]
    for sheet in SHEETS:
        ws = wb[sheet.name]
        assert tuple(c.value for c in ws[1]) == sheet.columns
        assert all(c.font.b for c in ws[1])
        assert ws.freeze_panes == sheet.freeze
        assert all(ws.column_dimensions[c.column_letter].width >= 8 for c in ws[1])
    about = {r[0]: r[1] for r in wb["About"].iter_rows(min_row=2, values_only=True)}
    assert about["area code"] == "E10000001" and about["reporting period"] == "Q4 2017-18"
    assert about["settings.tolerance"] == 0.05 and about["settings.focus_weights.worse"] == 5


def test_numbers_are_typed_and_text_stays_text(folder, tmp_path):
    write_workbook(_read_folder(folder), tmp_path / "book.xlsx")
    ws = _sheet(tmp_path / "book.xlsx", "Observations")
    cells = {(r[0].value, r[2].value): r for r in ws.iter_rows(min_row=2) if r[1].value == "E10000001"}
    value = _column(ws, "value") - 1
    assert cells[("crime", "Q3 2017-18")][value].value == 45.2
    assert cells[("crime", "Q3 2017-18")][value].data_type == "n"
    assert cells[("assaults", "Q3 2017-18")][value].value == 74
    for key, text in ((("costs", "2017-18"), "3,766"), (("defects-cat1", "Q4 2017-18"), "91.0"),
                      (("absence-primary", "AY 2016/17"), "07.3"), (("defects-cat2", "Q4 2017-18"), "28.9%")):
        assert (cells[key][value].value, cells[key][value].data_type) == (text, "s"), key
    period = cells[("jobs", "2016")][_column(ws, "period") - 1]
    assert (period.value, period.data_type) == ("2016", "s")
    note = cells[("crime", "Q4 2017-18")][_column(ws, "note") - 1]
    assert (note.value, note.data_type) == ("=not a formula", "s")
    series = _sheet(tmp_path / "book.xlsx", "Series")
    row = _row_of(tmp_path / "book.xlsx", "Series", "id", "crime")
    assert series.cell(row=row, column=_column(series, "latest_value")).value == 42
    assert series.cell(row=row, column=_column(series, "extra")).value == (
        "Q2 2017-18=44; Q1 2017-18=43.5 | Printed as 43.5*")


def test_an_item_with_one_series_of_its_own_id_is_one_row_without_a_title(folder, tmp_path):
    write_workbook(_read_folder(folder), tmp_path / "book.xlsx")
    ws = _sheet(tmp_path / "book.xlsx", "Series")
    rows = [dict(zip(SHEETS[6].columns, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)]
    crime = next(r for r in rows if r["parent"] == "crime")
    assert (crime["id"], crime["title"], crime["unit"]) == ("crime", None, "rate per 1000")
    defects = [r["id"] for r in rows if r["parent"] == "defects"]
    assert defects == ["defects-cat1", "defects-cat2"]


def test_a_series_row_with_its_own_title_is_a_series_list(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    _edit(book, "Series", _row_of(book, "Series", "id", "assaults"), "title", "Assaults (Cardiff Model)")
    measure = _read_book(book).framework["outcomes"][0]["population_indicators"][0]["measures"][0]
    assert measure["series"][0]["id"] == "assaults"
    assert measure["series"][0]["title"] == "Assaults (Cardiff Model)"
    assert "unit" not in measure


# --- cells as Excel users type them --------------------------------------------------------------


def test_cells_read_back_as_the_text_csv_would_hold(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    wb = openpyxl.load_workbook(book)
    ws = wb["Observations"]
    ws.cell(row=2, column=4).value = 3766.0  # a whole number stored as a float
    ws.cell(row=3, column=4).value = 0.289  # typed as 28.9%
    ws.cell(row=3, column=4).number_format = "0.0%"
    ws.cell(row=4, column=3).value = dt.datetime(2018, 3, 1)  # typed as 'Mar-18'
    ws.cell(row=4, column=3).number_format = "mmm-yy"
    ws.cell(row=5, column=3).value = dt.datetime(2018, 3, 31)  # typed as 31/03/2018
    ws.cell(row=5, column=3).number_format = "dd/mm/yyyy"
    ws.cell(row=6, column=13).value = True
    wb.save(book)
    rows = _read_book(book).observations
    assert rows[0].get("value") == "3766"
    assert rows[1].get("value") == "28.9%"
    assert rows[2].get("period") == "March 2018"
    assert rows[3].get("period") == "31 March 2018"
    assert rows[4].get("note") == "TRUE"


def test_number_text_and_plain_number():
    assert [number_text(v) for v in (3766, 3766.0, 53.8, -0.0, 1e-7, 0.1 + 0.2)] == [
        "3766", "3766", "53.8", "0", "0.0000001", "0.3"]
    assert [plain_number(t) for t in ("53.8", "-3.5", "0", "0.5")] == [53.8, -3.5, 0, 0.5]
    assert [plain_number(t) for t in ("3,766", "07", "53.80", "1e5", "+1", "-0", ".5", "1234567890123456")] == [
        None] * 8
    assert cell_text(dt.date(2018, 7, 1), "mmmm yyyy") == "July 2018"
    assert cell_text(dt.date(2018, 7, 1), "yyyy") == "2018"


@given(st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**15 + 1, 10**15 - 1))
def test_a_plain_number_reads_back_as_itself(number):
    text = number_text(number)
    parsed = plain_number(text)
    assert parsed is None or number_text(parsed) == text


_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                | st.sampled_from("\n\t\r"), max_size=30)
_NUMBERISH = st.one_of(st.floats(allow_nan=False, allow_infinity=False).map(repr), st.integers().map(str),
                       st.from_regex(r"-?\d{1,4}(\.\d{1,3})?%?", fullmatch=True), _TEXT)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({"series": _TEXT, "value": _NUMBERISH, "note": _TEXT}),
                     min_size=1, max_size=5))
def test_any_table_text_survives_the_workbook(tmp_path_factory, rows):
    # Given any text in the tables (numbers written any way), when written and read back, it is unchanged
    rows = [r for r in rows if any(v.strip() for v in r.values())]
    raw = RawDataset(framework={}, framework_file="framework.yaml",
                     observations=[Row({c: r.get(c, "") for c in OBSERVATION_COLUMNS}, "observations.csv", i)
                                   for i, r in enumerate(rows, 2)])
    book = tmp_path_factory.mktemp("hyp") / "book.xlsx"
    write_workbook(raw, book)
    problems = Problems()
    again = read_workbook(book, problems)
    assert again is not None
    assert [r.values for r in again.observations] == [r.values for r in raw.observations]


def test_formatting_far_below_the_data_is_not_read(folder, tmp_path):
    from openpyxl.styles import Font

    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    wb = openpyxl.load_workbook(book)
    for row in range(1, 5000):
        wb["Observations"].cell(row=row, column=40).font = Font(bold=True)
    wb["About"].cell(row=30, column=1).value = "  "
    wb.save(book)
    assert len(_read_book(book).observations) == 13


def test_about_names_are_forgiving_and_settings_nest(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    _edit(book, "About", 3, "setting", "Organization")
    _edit(book, "About", 6, "setting", "Reporting_Period")
    framework = _read_book(book).framework
    assert framework["organisation"] == "Testshire County Council"
    assert framework["reporting_period"] == "Q4 2017-18"
    assert framework["settings"]["focus_weights"] == {"worse": 5, "high_risk": 2.5}
    _edit(book, "About", 3, "setting", "council")
    _, problems = _book_problems(book)
    assert [(p.location, p.field) for p in problems] == [("sheet About row 3", "setting")]
    assert "'council' is not a setting" in problems[0].message


# --- broken workbooks ----------------------------------------------------------------------------


def test_a_missing_sheet_is_named_with_a_fix(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    wb = openpyxl.load_workbook(book)
    del wb["Series"]
    wb.save(book)
    raw, problems = _book_problems(book)
    assert raw is None
    [problem] = problems
    assert (problem.file, problem.location) == ("book.xlsx", "sheet Series")
    assert "no sheet called 'Series'" in problem.message and "add a sheet named Series" in problem.fix


def test_without_observations_the_rest_is_still_checked(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    wb = openpyxl.load_workbook(book)
    del wb["Observations"]
    del wb["Risks"]  # optional: no risks
    wb.create_sheet("My notes")  # unknown sheets are left alone
    wb.save(book)
    raw, problems = _book_problems(book)
    assert raw is not None and raw.risks == []
    assert [(p.location, p.message) for p in problems] == [("sheet Observations",
                                                             "there is no sheet called 'Observations'.")]


def test_an_unknown_polarity_names_the_sheet_row_and_column(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    row = _row_of(book, "Series", "id", "defects-cat2")
    _edit(book, "Series", row, "polarity", "up-is-good")
    raw, problems = _book_problems(book)
    [problem] = problems
    assert problem.file == "book.xlsx"
    assert problem.location == f"sheet Series row {row}"
    assert problem.field == "polarity" and "'up-is-good' is not a polarity" in problem.message
    assert isinstance(raw, WorkbookRaw)


def test_a_shorthand_series_names_both_rows_and_locate_picks_the_column(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    row = _row_of(book, "Series", "id", "crime")
    ind_row = _row_of(book, "Indicators", "id", "crime")
    _edit(book, "Series", row, "polarity", "down")
    _edit(book, "Series", row, "period_kind", None)
    _edit(book, "Comparators", 2, "value", "lots")
    _edit(book, "Series", row, "previous_value", "n/a")
    raw, problems = _book_problems(book)
    assert isinstance(raw, WorkbookRaw)
    found = {(p.location, p.field) for p in problems}
    # problems name the sheet, the row and the column itself
    assert (f"sheet Series row {row}", "polarity") in found
    assert (f"sheet Series row {row}", "period_kind") in found
    assert ("sheet Comparators row 2", "value") in found
    assert (f"sheet Series row {row}", "previous_value") in found
    assert ind_row > 1


def test_rows_that_belong_to_nothing_are_problems(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    _edit(book, "Series", _row_of(book, "Series", "id", "defects-cat2"), "parent", "defect")
    _edit(book, "Officers", 2, "kind", "boss")
    _edit(book, "Measures", 2, "indicator", "crim")
    _edit(book, "Series", _row_of(book, "Series", "id", "crime"), "extra", "Q2 2017-18: 44")
    _, problems = _book_problems(book)
    messages = [(p.location.split(" row ")[0], p.field, p.message) for p in problems if p.file == "book.xlsx"]
    assert ("sheet Series", "parent", "'defect' is not an indicator or measure.") in messages
    assert ("sheet Officers", "kind", "'boss' is not a kind of officer.") in messages
    assert ("sheet Measures", "indicator", "'crim' is not an indicator in the sheet Indicators.") in messages
    assert ("sheet Series", "extra", "'Q2 2017-18: 44' is not 'label=value'.") in messages


def test_unknown_and_missing_columns_are_problems(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    _edit(book, "Series", 1, "polarity", "polarty")
    _edit(book, "Observations", 1, "value", "amount")
    _, problems = _book_problems(book)
    where = {(p.file, p.location, p.field) for p in problems}
    assert ("book.xlsx", "sheet Series row 1", "polarty") in where
    assert ("book.xlsx sheet Observations", "row 1", "value") in where
    assert ("book.xlsx sheet Observations", "row 1", "amount") in where


@pytest.mark.parametrize("content, words", [
    (b"series,area,period,value\n", "not an Excel workbook"),
    (b"", "not an Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "password protected"),
])
def test_a_file_that_is_not_a_workbook_is_a_problem(tmp_path, content, words):
    book = tmp_path / "data.xlsx"
    book.write_bytes(content)
    problems = Problems()
    assert read_workbook(book, problems) is None
    [problem] = problems.items
    assert problem.file == "data.xlsx" and words in problem.message and problem.fix


def test_a_damaged_workbook_is_a_problem_not_a_traceback(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename.endswith("sheet1.xml") else data)
    not_excel = tmp_path / "other.xlsx"
    with zipfile.ZipFile(not_excel, "w") as dst:
        dst.writestr("hello.txt", "hello")
    for path in (broken, not_excel):
        problems = Problems()
        assert read_workbook(path, problems) is None
        assert "cannot be read as an Excel workbook" in problems.items[0].message


def test_load_dataset_lists_workbook_problems(folder, tmp_path):
    book = tmp_path / "book.xlsx"
    write_workbook(_read_folder(folder), book)
    _edit(book, "About", 2, "value", "outcomes-tracker/9")
    with pytest.raises(DatasetError) as info:
        load_dataset(book)
    [problem] = info.value.problems
    assert (problem.file, problem.location, problem.field) == ("book.xlsx", "sheet About row 2", "value")
    raw, _ = _book_problems(book)
    assert isinstance(raw, WorkbookRaw) and raw.locate(raw.framework, "format") == ("sheet About row 2", "value")
    problems = Problems()
    assert read_raw(tmp_path / "missing.xlsx", problems) is None and problems


@pytest.mark.parametrize("note, words", [("n" * 40000, "32767"), ("a\x0bb", r"U\+000B"), ("a\ufffe", r"U\+FFFE")])
def test_text_a_workbook_cannot_hold_is_refused_before_writing(tmp_path, note, words):
    raw = RawDataset(framework={}, framework_file="framework.yaml",
                     observations=[Row({"series": "x", "note": note}, "observations.csv", 2)])
    with pytest.raises(ValueError, match=words):
        write_workbook(raw, tmp_path / "book.xlsx")
    assert not (tmp_path / "book.xlsx").exists()
    assert [p.name for p in tmp_path.iterdir()] == []
