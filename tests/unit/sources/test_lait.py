"""LAIT long data: areas by DfE LA number or name, markers, publishers' years, the dictionary, bulk policy."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from outcomes.cli import main
from outcomes.sources import load_dataset
from outcomes.sources.lait import convert_lait, read_dictionary
from outcomes.sources.problems import Problems

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "lait_sample.csv"
DICTIONARY = DATA / "lait_dictionary.csv"


def _convert(path: Path = SAMPLE, area: str = "838", **kw: object):  # type: ignore[no-untyped-def]
    problems = Problems()
    meta = read_dictionary(DICTIONARY, problems)
    raw, summary = convert_lait(path, area, problems, dictionary=meta, **kw)  # type: ignore[arg-type]
    return problems, raw, summary


def _obs(raw, series: str) -> dict[tuple[str, str], dict[str, str]]:  # type: ignore[no-untyped-def]
    return {(r.values["area"], r.values["period"]): r.values for r in raw.observations if r.values["series"] == series}


@pytest.mark.parametrize("area", ["838", "E06000059", "dorset", "Dorset Council"])
def test_area_by_ons_code_la_number_or_name(area: str) -> None:
    problems, raw, summary = _convert(area=area)
    assert not problems, problems.items
    assert raw.framework["area"] == {"code": "E06000059", "name": "Dorset"}


def test_rows_kept_are_home_england_region_and_neighbours_others_skipped_and_counted() -> None:
    problems, raw, summary = _convert()
    cla = _obs(raw, "lait-cla-rate")
    assert {a for a, _ in cla} == {"E06000059", "E92000001", "E12000009", "E10000008", "E06000066"}
    assert summary.skipped["other areas (not the home area, England, its region or its statistical neighbours)"] == 2
    group = raw.framework["outcomes"][0]["population_indicators"][0]["comparators"][2]
    assert group["kind"] == "group" and "E10000008" in group["members"] and len(group["members"]) == 10


def test_publishers_years_markers_and_dictionary() -> None:
    problems, raw, summary = _convert()
    cla = _obs(raw, "lait-cla-rate")
    assert cla[("E06000059", "2018-19")]["note"] == "revised"
    assert cla[("E06000059", "2016-17")]["note"] == "published as '(OT)'"
    assert cla[("E06000066", "2018-19")]["missing_reason"] == "c: confidential (suppressed)"
    mort = _obs(raw, "lait-inf-mort")
    assert mort[("E06000059", "36 months to December 2016")]["value"] == "3.1"
    assert mort[("E06000059", "36 months to December 2017")]["missing_reason"] == "'-': no figure published"
    nodes = {n["id"]: n for n in raw.framework["outcomes"][0]["population_indicators"]}
    assert nodes["lait-cla-rate"]["polarity"] == "no-judgement"
    assert nodes["lait-cla-rate"]["unit"] == {"type": "rate", "per": 10000, "decimals": 0}
    assert nodes["lait-inf-mort"]["polarity"] == "lower-is-better"
    assert nodes["lait-inf-mort"]["period_kind"] == "rolling"
    assert nodes["lait-cla-rate"]["title"].startswith("Children looked after at 31 March")


def test_the_predecessor_under_another_la_number_is_stitched_before_the_change() -> None:
    problems, raw, summary = _convert()
    cla = _obs(raw, "lait-cla-rate")
    # Dorset County Council (835) before 2019-20 is written under Dorset Council's code, with a note
    assert cla[("E06000059", "2015-16")]["value"] == "58"
    assert "Published for Dorset (county council) (E10000009, LA 835)" in cla[("E06000059", "2015-16")]["note"]
    assert cla[("E06000059", "2018-19")]["value"] == "66"  # the authority's own figure wins
    assert summary.skipped["rows of the home authority's predecessor where it has its own figure"] == 1
    assert summary.skipped["rows of the home authority's predecessor after it was succeeded"] == 1
    assert ("E06000059", "2019-20") not in cla


def test_a_series_with_a_bad_value_is_left_out_whole_and_the_rest_converted() -> None:
    problems, raw, summary = _convert()
    assert not problems
    assert summary.left_out.series == {"lait-pa-rate": 1}  # the series, with how many problems it has
    assert "'1,0E-1' is neither a number" in str(summary.left_out.problems.items[0])
    assert {r.values["series"] for r in raw.observations} == {"lait-cla-rate", "lait-inf-mort"}
    # a real framework: named for the area and the source, the latest period reported, an id per area
    assert raw.framework["report"]["title"] == "Dorset: children's services indicators (DfE LAIT)"
    assert raw.framework["outcomes"][0]["id"] == "dorset-lait"
    assert raw.framework["reporting_period"] == "2018-19"


def test_strict_converts_nothing() -> None:
    problems, raw, _ = _convert(strict=True)
    assert raw is None
    assert "'1,0E-1' is neither a number" in str(problems.items[0])


def test_parquet_and_excel_give_the_same_dataset(tmp_path: Path) -> None:
    with open(SAMPLE, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    columns["LA Number"] = [int(v) if v else None for v in columns["LA Number"]]  # type: ignore[misc]
    pq.write_table(pa.table(columns), tmp_path / "lait.parquet")
    book = Workbook()
    sheet = book.active
    sheet.append(list(rows[0]))
    for r in rows:
        sheet.append([int(v) if k == "LA Number" and v else v for k, v in r.items()])
    book.save(tmp_path / "lait.xlsx")
    _, expected, _ = _convert()
    for name in ("lait.parquet", "lait.xlsx"):
        problems, raw, _ = _convert(tmp_path / name)
        assert not problems, problems.items
        got = sorted(tuple(r.values.values())[:4] for r in raw.observations)
        assert got == sorted(tuple(r.values.values())[:4] for r in expected.observations)


def test_broken_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Data item,Years,Values\nX,2018,1\n", encoding="utf-8")
    problems, raw, _ = _convert(bad)
    assert raw is None and "the column 'LA and Regions' is missing" in str(problems.items[0])
    problems, raw, _ = _convert(area="Narnia")
    assert raw is None and "not an upper-tier local authority" in str(problems.items[0])
    problems, raw, _ = _convert(area="867")  # Bracknell Forest: an authority with no rows in the file
    assert raw is None and "no row is for Bracknell Forest (LA number 867, E06000036)" in str(problems.items[0])


def test_cli_writes_a_dataset_that_loads_and_the_problems_file(tmp_path: Path) -> None:
    out, listed = tmp_path / "dorset", tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["convert", "lait", str(SAMPLE), "--area", "838", "--out", str(out),
                                       "--dictionary", str(DICTIONARY), "--problems", str(listed)])
    assert result.exit_code == 0, result.output
    assert "Left out 1 series with problems" in result.output
    assert "Skipped 2 rows: other areas" in result.output
    framework = load_dataset(out)
    assert framework.home_area.code == "E06000059"
    assert framework.series_by_id()["lait-inf-mort"].polarity.value == "lower-is-better"
    assert "1,0E-1" in listed.read_text(encoding="utf-8")
    strict = CliRunner().invoke(main, ["convert", "lait", str(SAMPLE), "--area", "838", "--out",
                                       str(tmp_path / "strict"), "--strict"])
    assert strict.exit_code == 2 and not (tmp_path / "strict").exists()


# ------------------------------------------------------------------------------- the Dorset example

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "dorset-lait"
REFERENCE = ROOT / "tests" / "data" / "dfe-children"


def test_the_dorset_example_is_what_its_source_converts_to() -> None:
    problems = Problems()
    meta = read_dictionary(EXAMPLE / "source" / "lait-dictionary.csv", problems)
    raw, summary = convert_lait(EXAMPLE / "source" / "lait-children.csv", "838", problems, dictionary=meta)
    assert raw is not None and not problems, problems.items
    with open(EXAMPLE / "dataset" / "observations.csv", encoding="utf-8", newline="") as fh:
        committed = [{k: v for k, v in r.items()} for r in csv.DictReader(fh)]
    assert [dict(r.values) for r in raw.observations] == committed
    framework = load_dataset(EXAMPLE / "dataset")
    cpp = framework.series_by_id()["lait-cpp-subsequent-pct"]
    assert cpp.polarity.value == "lower-is-better" and cpp.unit.decimals == 1


def test_the_dorset_example_figures_are_as_dfe_published_them() -> None:
    with open(EXAMPLE / "source" / "lait-children.csv", encoding="utf-8", newline="") as fh:
        lait = {(r["Data item"], r["Years"], r["LA Number"] or r["LA and Regions"]): r["Values"]
                for r in csv.DictReader(fh)}
    with open(REFERENCE / "cpp_d3_subsequent_plans_2013_2025.csv", encoding="utf-8-sig", newline="") as fh:
        published = {(r["time_period"], r["old_la_code"] or r["region_name"] or "England"): r["CPP_subsequent_percent"]
                     for r in csv.DictReader(fh) if r["geographic_level"] != "Regional" or r["region_code"].startswith("E12")}
    checked = 0
    for (item, year, where), value in lait.items():
        if item == "CPP_SUBSEQUENT_PCT":
            assert published[(year, where)] == value, (year, where)
            checked += 1
    assert checked > 100


def test_many_problems_are_grouped_by_kind_with_counts_and_first_examples(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    lines = ["Short Desc,Data item,Years,LA and Regions,Values,LA Number,Region"]
    lines += [f"X,ITEM_{i},2018,Dorset,n.a{i},838,South West" for i in range(25)]
    lines += [f"Y,YEARS_{i},sometime {i},Dorset,1,838,South West" for i in range(5)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    listed = tmp_path / "all.csv"
    result = CliRunner().invoke(main, ["convert", "lait", str(path), "--area", "838", "--out", str(tmp_path / "o"),
                                       "--strict"])
    assert result.exit_code == 2
    assert "Cannot convert" in result.output and "30 problems to fix" in result.output
    assert "25 × many.csv: '…' is neither a number nor a known suppression marker." in result.output
    assert "5 × many.csv: '…' is not a period I recognise." in result.output
    assert result.output.count("e.g. many.csv") == 6  # three examples of each kind
    assert "e.g. many.csv, row 2 [Values]: 'n.a0'" in result.output and "'n.a3'" not in result.output
    assert "run the command again with --problems FILE.csv" in result.output
    result = CliRunner().invoke(main, ["convert", "lait", str(path), "--area", "838", "--out", str(tmp_path / "o"),
                                       "--strict", "--problems", str(listed)])
    assert f"Every problem is listed in {listed}." in result.output
    with open(listed, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 30 and list(rows[0]) == ["file", "location", "field", "message", "fix", "kind"]
    assert sum(r["kind"] == "many.csv: '…' is neither a number nor a known suppression marker." for r in rows) == 25
    assert {r["field"] for r in rows} == {"Values", "Years"}
    # without --strict the 30 series are left out whole (each one's problem counted, every one in the file)
    result = CliRunner().invoke(main, ["convert", "lait", str(path), "--area", "838", "--out", str(tmp_path / "p"),
                                       "--problems", str(listed)])
    assert result.exit_code == 2 and "no data item could be converted" in result.output
    assert "31 problems to fix" in result.output and "25 × many.csv: '…' is neither a number" in result.output
    with open(listed, encoding="utf-8-sig", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 31


def test_period_option_sets_the_reporting_period_or_is_a_problem_on_period() -> None:
    problems, raw, summary = _convert(period="2019/20")
    assert raw is not None and summary.reporting_period == "2019-20"
    problems, raw, _ = _convert(period="soon")
    assert raw is None
    assert [(p.file, p.field) for p in problems.items] == [("--period", "--period")]
