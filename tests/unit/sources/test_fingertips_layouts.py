"""Fingertips in every layout: the new service's file with its lookups, fingertipsR names, breakdowns, areas."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from click.testing import CliRunner

from outcomes.cli import main
from outcomes.sources import load_dataset
from outcomes.sources.fingertips import convert_fingertips, read_area_lookup, read_indicator_lookup
from outcomes.sources.problems import Problems

DATA = Path(__file__).parent / "data"
NEW = DATA / "fingertips_new_sample.csv"
AREAS = DATA / "fingertips_new_areas.csv"
INDICATORS = DATA / "fingertips_new_indicators.csv"
CLASSIC = DATA / "fingertips_sample.csv"


def _new(path: Path = NEW, *, lookups: bool = True, **kw: object):  # type: ignore[no-untyped-def]
    problems = Problems()
    areas = read_area_lookup(AREAS, problems) if lookups else {}
    meta = read_indicator_lookup(INDICATORS, problems) if lookups else {}
    raw, summary = convert_fingertips(path, "E06000059", problems, areas=areas, metadata=meta, **kw)  # type: ignore[arg-type]
    return problems, raw, summary


def _series(raw) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    out = {}
    for ind in raw.framework["outcomes"][0]["population_indicators"]:
        for node in ind.get("series") or [ind]:
            out[node["id"]] = node
    return out


def test_new_service_layout_with_lookups() -> None:
    problems, raw, summary = _new()
    assert not problems, problems.items
    assert summary.layout == "the new Fingertips service"
    series = _series(raw)
    assert set(series) == {"fingertips-93088", "fingertips-92266"}
    adults = series["fingertips-93088"]
    assert adults["title"] == "Overweight (including obesity) prevalence in adults"
    assert adults["polarity"] == "lower-is-better" and adults["unit"] == "percentage"
    assert series["fingertips-92266"]["polarity"] == "no-judgement"
    assert series["fingertips-92266"]["unit"] == "rate per 1000"
    assert [c["area"] for c in adults["comparators"]] == ["E92000001", "E12000009"]
    assert raw.framework["area"] == {"code": "E06000059", "name": "Dorset"}
    assert raw.framework["report"]["title"] == "Dorset: public health indicators"
    assert raw.framework["outcomes"][0]["id"] == "dorset-public-health"
    assert raw.framework["reporting_period"] == "2023"
    # GP practices, ICBs and other authorities are skipped and counted, not problems
    assert summary.skipped["other areas (not the home area, its region, England or its comparator group)"] == 9
    # the standard breakdown kept; the others said
    left = summary.breakdowns_left_out
    assert left == {"indicator 93088: Male, 18+ yrs": 3, "indicator 93088: Female, 18+ yrs": 3,
                    "indicator 92266: Female, 40-44 yrs": 1}
    # the Category row is a figure by category of the standard series (breakdowns.csv), not left out
    assert [(b.values["series"], b.values["category_type"], b.values["category"], b.values["quantile"])
            for b in raw.breakdowns] == [("fingertips-93088", "Deprivation deciles", "Most deprived decile", "")]
    assert summary.breakdowns == {"fingertips-93088": 1}
    # a series with an unreadable value is left out whole
    assert list(summary.left_out.series) == ["fingertips-41101"]
    observations = [r.values for r in raw.observations if r.values["series"] == "fingertips-93088"]
    assert {o["area"] for o in observations} == {"E06000059", "E92000001", "E12000009"}
    latest = next(o for o in observations if o["area"] == "E06000059" and o["period"] == "2023")
    assert (latest["value"], latest["lower95"], latest["upper95"]) == ("64.2", "62.7", "65.7")


def test_new_service_layout_without_lookups_uses_codes_and_declares_no_polarity() -> None:
    problems, raw, summary = _new(lookups=False)
    assert not problems, problems.items
    series = _series(raw)
    assert series["fingertips-93088"]["title"] == "Fingertips indicator 93088"
    assert "polarity" not in series["fingertips-93088"]
    assert raw.framework["area"]["name"] == "E06000059"
    assert set(summary.unjudged) == {"fingertips-93088", "fingertips-92266"}


def test_breakdowns_all_or_chosen() -> None:
    _, raw, _ = _new(breakdowns="all")
    ids = set(_series(raw))
    assert {"fingertips-93088-male-18-yrs", "fingertips-93088-female-18-yrs",
            "fingertips-92266-female-40-44-yrs"} <= ids
    _, raw, summary = _new(breakdowns=["Male"])
    assert set(_series(raw)) == {"fingertips-93088", "fingertips-93088-male-18-yrs", "fingertips-92266"}


def test_a_comparator_group_keeps_its_rows() -> None:
    _, raw, summary = _new(group=["E06000054"])
    adults = _series(raw)["fingertips-93088"]
    assert adults["comparators"][-1] == {"name": "Comparator group", "kind": "group", "members": ["E06000054"]}
    assert any(r.values["area"] == "E06000054" for r in raw.observations)


def test_fingertipsr_names_and_parquet_read_like_the_classic_download(tmp_path: Path) -> None:
    with open(CLASSIC, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    renamed = {k.replace(" ", ""): [r[k] for r in rows] for k in rows[0]}  # fingertipsR: IndicatorID, Timeperiod...
    pq.write_table(pa.table(renamed), tmp_path / "fingertipsr.parquet")
    problems = Problems()
    expected, _ = convert_fingertips(CLASSIC, "E06000059", problems)
    got, summary = convert_fingertips(tmp_path / "fingertipsr.parquet", "E06000059", problems)
    assert not problems, problems.items
    assert summary.layout == "fingertipsR / the Fingertips API"
    assert [r.values for r in got.observations] != []
    strip = [{k: v for k, v in r.values.items() if k != "source"} for r in got.observations]
    assert strip == [{k: v for k, v in r.values.items() if k != "source"} for r in expected.observations]


def test_cli_with_lookups_writes_a_dataset_that_loads(tmp_path: Path) -> None:
    out = tmp_path / "dorset"
    result = CliRunner().invoke(main, ["convert", "fingertips", str(NEW), "--area", "E06000059", "--out", str(out),
                                          "--areas", str(AREAS), "--indicators", str(INDICATORS)])
    assert result.exit_code == 0, result.output
    assert "Read as the new Fingertips service." in result.output
    assert "Left out 7 rows of 3 other breakdowns" in result.output
    assert "fingertips-93088: 1 rows by category (Fingertips' Category rows) written to breakdowns.csv." in result.output
    assert (out / "breakdowns.csv").exists()
    framework = load_dataset(out)
    assert framework.organisation == "Dorset"
    assert str(framework.reporting_period) == "2023"
    result = CliRunner().invoke(main, ["convert", "fingertips", str(NEW), "--area", "E06000059", "--out",
                                          str(tmp_path / "strict"), "--strict"])
    assert result.exit_code == 2 and "'12,3O' is neither a number" in result.output


def test_a_file_of_another_kind_is_refused_with_the_layouts_named(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("Code,When,Figure\nE06000059,2020,1\n", encoding="utf-8")
    problems, raw, _ = _new(path, lookups=False)
    assert raw is None
    assert "not a Fingertips data file I know" in str(problems.items[0])


def test_the_new_services_area_file_gives_parents_by_children(tmp_path: Path) -> None:
    # the new service's area file: Children (child codes separated by |), AreaCode, AreaName, Level, ...
    path = tmp_path / "areas.csv"
    path.write_text("Children,AreaCode,AreaName,Level,HierarchyType,AreaType,AreaTypeCode\n"
                    "E12000009,E92000001,England,1,All,England,england\n"
                    "E06000059|E06000054,E12000009,South West,2,Admin,Regions,regions\n"
                    "E06000059|A81002,E54000038,NHS Dorset ICB,2,NHS,ICBs,nhs-integrated-care-boards\n"
                    ",E06000059,Dorset,3,Admin,Counties & UAs,counties-and-unitary-authorities\n", encoding="utf-8")
    problems = Problems()
    areas = read_area_lookup(path, problems)
    assert not problems
    assert areas["E06000059"] == ("Dorset", "E12000009")  # the region, not the ICB
    raw, summary = convert_fingertips(NEW, "E06000059", problems, areas=areas)
    assert not problems and summary.region == "E12000009" and summary.region_name == "South West"
