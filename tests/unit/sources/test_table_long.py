"""convert table on long files: several key columns, row filters, areas by DfE LA number or name, placement."""

from __future__ import annotations

import csv
from pathlib import Path

import yaml
from click.testing import CliRunner

from outcomes.cli import main
from outcomes.sources import load_dataset
from outcomes.sources.problems import Problems
from outcomes.sources.table import convert_table, mapping_from_dict

DATA = Path(__file__).parent / "data"


def _convert(path: Path, mapping: dict, **kw: object):  # type: ignore[no-untyped-def]
    problems = Problems()
    spec = mapping_from_dict(mapping, "mapping", problems)
    assert spec is not None, problems.items
    raw, summary = convert_table(path, spec, problems, **kw)  # type: ignore[arg-type]
    return problems, raw, summary


NEW_FINGERTIPS = {
    "columns": {"series": ["IndicatorId", "Sex", "Age"], "area": "AreaCode", "period": "Year", "value": "Value",
                "lower95": "LowerCI", "upper95": "UpperCI"},
    "filter": {"CategoryType": ""},
    "home_area": {"code": "E06000059", "name": "Dorset"},
    "other_areas": "skip",
    "comparators": [{"name": "England", "area": "E92000001"}, {"name": "South West", "area": "E12000009"}],
    "source": "OHID Fingertips",
    "title": "public health indicators",
    "series": {
        "93088 | Persons | 18+ yrs": {"id": "overweight", "title": "Overweight adults", "unit": "percentage",
                                     "polarity": "lower-is-better", "period_kind": "calendar-year",
                                     "outcome": "healthy-weight", "outcome_title": "People are a healthy weight"},
        "93088 | Male | 18+ yrs": {"id": "overweight-men", "title": "Overweight men", "unit": "percentage",
                                  "period_kind": "calendar-year", "outcome": "healthy-weight", "indicator": "overweight"},
        "93088 | Female | 18+ yrs": {"id": "overweight-women", "title": "Overweight women", "unit": "percentage",
                                    "period_kind": "calendar-year", "kind": "measure", "indicator": "overweight",
                                    "outcome": "healthy-weight"},
        "92266 | Female | 15-44 yrs": {"id": "fertility", "title": "General fertility rate", "unit": "rate per 1000",
                                      "period_kind": "calendar-year"},
        "92266 | Female | 40-44 yrs": {"id": "fertility-40", "title": "Fertility 40-44", "unit": "rate per 1000",
                                      "period_kind": "calendar-year"},
        "41101 | Persons | All ages": {"id": "readmissions", "title": "Readmissions", "unit": "percentage",
                                      "period_kind": "calendar-year"},
    },
}


def test_series_keyed_on_several_columns_filtered_and_placed() -> None:
    problems, raw, summary = _convert(DATA / "fingertips_new_sample.csv", NEW_FINGERTIPS, strict=False)
    assert not problems, problems.items
    # the category row is filtered out before it is read; so no 'already has a value' collisions
    assert summary.skipped == {"other areas (not the home area, a comparator, England or its region)": 9}
    assert list(summary.left_out.series) == ["readmissions"]  # '12,3O': left out whole
    outcomes = {o["id"]: o for o in raw.framework["outcomes"]}
    assert set(outcomes) == {"healthy-weight", "dorset-ohid-fingertips"}
    weight = outcomes["healthy-weight"]
    assert weight["title"] == "People are a healthy weight"
    [indicator] = weight["population_indicators"]
    assert indicator["id"] == "overweight" and [s["id"] for s in indicator["series"]] == ["overweight-men"]
    assert [m["id"] for m in indicator["measures"]] == ["overweight-women"]
    assert raw.framework["report"]["title"] == "Dorset: public health indicators"
    assert raw.framework["reporting_period"] == "2023"


def test_strict_keeps_all_or_nothing_and_without_a_filter_the_breakdowns_collide() -> None:
    problems, raw, _ = _convert(DATA / "fingertips_new_sample.csv", NEW_FINGERTIPS, strict=True)
    assert raw is None and "'12,3O' is neither a number" in str(problems.items[0])
    unfiltered = {**NEW_FINGERTIPS, "filter": {}}
    problems, raw, summary = _convert(DATA / "fingertips_new_sample.csv", unfiltered, strict=False)
    assert summary.left_out.series["overweight"] >= 1
    assert any("already has a value for E06000059 in 2023" in str(p) for p in summary.left_out.problems.items)
    assert len(summary.left_out.problems) == sum(summary.left_out.series.values())


LAIT_AS_TABLE = {
    "columns": {"series": "Data item", "area": "LA Number", "period": "Years", "value": "Values"},
    "area_codes": "la-number",
    "home_area": {"code": "838"},
    "defaults": {"unit": "number", "period_kind": "financial-year"},
    "series": {"CLA_RATE": {"id": "cla", "title": "Children looked after"}},
    "filter": {"Data item": "CLA_RATE"},
}


def test_an_area_column_of_dfe_la_numbers_or_names_is_resolved_to_ons_codes() -> None:
    problems, raw, summary = _convert(DATA / "lait_sample.csv", LAIT_AS_TABLE)
    assert not problems, problems.items
    areas = {r.values["area"] for r in raw.observations}
    # Dorset, Devon, Somerset, Leeds, and Dorset County Council (LA 835: its own code)
    assert areas == {"E06000059", "E10000008", "E06000066", "E08000035", "E10000009"}
    assert raw.framework["area"] == {"code": "E06000059", "name": "Dorset"}
    assert summary.skipped == {"rows with no area (the area column is empty)": 3}  # England and regions: no number
    by_name = {**LAIT_AS_TABLE, "columns": {**LAIT_AS_TABLE["columns"], "area": "LA and Regions"},
               "area_codes": "name", "home_area": {"code": "Dorset"},
               # by name, Dorset County Council (835) is 'Dorset' too: keep today's authorities only
               "filter": {"Data item": "CLA_RATE", "LA Number": ["", "838", "878", "933", "383"]}}
    problems, raw, summary = _convert(DATA / "lait_sample.csv", by_name)
    assert not problems, problems.items
    assert {r.values["area"] for r in raw.observations} >= {"E92000001", "E12000009", "E06000059"}
    note = next(r.values["note"] for r in raw.observations if r.values["period"] == "2018-19"
                and r.values["area"] == "E06000059")
    assert note == "Period published as '2018-19 (Rev)' (revised)."


def test_cli_table_with_problems_file(tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(yaml.safe_dump(NEW_FINGERTIPS), encoding="utf-8")
    listed = tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["convert", "table", str(DATA / "fingertips_new_sample.csv"), "--mapping", str(mapping),
                                          "--out", str(tmp_path / "ds"), "--problems", str(listed)])
    assert result.exit_code == 0, result.output
    assert "Left out 1 series with problems" in result.output
    framework = load_dataset(tmp_path / "ds")
    assert {o.id for o in framework.outcomes} == {"healthy-weight", "dorset-ohid-fingertips"}
    with open(listed, encoding="utf-8-sig", newline="") as fh:
        [row] = list(csv.DictReader(fh))  # the left-out series' one problem, in the problems file
    assert row["message"].startswith("'12,3O' is neither a number") and row["location"] == "row 38"
    assert row["kind"] == "fingertips_new_sample.csv: '…' is neither a number nor a known suppression marker."


def test_dfe_time_period_with_time_identifier(tmp_path: Path) -> None:
    path = tmp_path / "ees.csv"
    path.write_text(
        "time_period,time_identifier,geographic_level,new_la_code,la_name,pt_absent\n"
        "201819,Academic year,Local authority,E06000059,Dorset,10.9\n"
        "201920,Academic year,Local authority,E06000059,Dorset,z\n"
        "201819,Academic year,National,E92000001,England,10.9\n"
        "2018,Spring term,National,E92000001,England,4.1\n", encoding="utf-8")
    mapping = {"columns": {"area": "new_la_code", "period": "time_period", "time_identifier": "time_identifier",
                           "value": "pt_absent"},
               "filter": {"geographic_level": ["Local authority", "National"]},
               "series": {"id": "absence", "title": "Persistent absence", "unit": "percentage"},
               "home_area": {"code": "E06000059"}}
    problems, raw, summary = _convert(path, mapping, strict=True)
    assert raw is None and "'Spring term' is not a kind of period I know" in str(problems.items[0])
    mapping["filter"]["time_identifier"] = "Academic year"  # type: ignore[index]
    problems, raw, summary = _convert(path, mapping, strict=False)
    assert not problems, problems.items
    assert sorted(r.values["period"] for r in raw.observations) == ["AY 2018/19", "AY 2018/19", "AY 2019/20"]
    assert raw.framework["outcomes"][0]["population_indicators"][0]["period_kind"] == "academic-year"
    z = next(r.values for r in raw.observations if r.values["period"] == "AY 2019/20")
    assert z["missing_reason"] == "z: not applicable"
