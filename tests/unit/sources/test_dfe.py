"""DfE children's social care files: three series per authority, benchmarks, neighbours, stitched codes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from outcomes.cli import main
from outcomes.model import Polarity
from outcomes.sources import load_dataset
from outcomes.sources.dfe import convert_dfe_children
from outcomes.sources.folder import read_folder
from outcomes.sources.problems import Problems

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "tests" / "data" / "dfe-children"
EXAMPLE = ROOT / "examples" / "children-safeguarding"

GEO = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,old_la_code,new_la_code,la_name"
PLACES = [
    ("National", "", "", "", "", ""),
    ("Regional", "E12000009", "South West", "", "", ""),
    ("Local authority", "E12000009", "South West", "838", "E06000059", "Dorset"),
    ("Local authority", "E12000009", "South West", "839", "E06000058", "Bournemouth, Christchurch and Poole"),
]


def _geo(year: int, place: tuple[str, ...]) -> str:
    level, rcode, rname, old, new, name = place
    return f'{year},Reporting year,{level},E92000001,England,{rcode},{rname},{old},{new},"{name}"'


def _folder(tmp_path: Path, *, cin_dorset_2025: str = "2177", cpp_dorset_2024: str = "c") -> Path:
    d = tmp_path / "dfe"
    d.mkdir(parents=True)
    cin = [GEO + ",category,At31_episodes"]
    cpp = [GEO + ",category,CPP_start,CPP_subsequent,CPP_subsequent_percent"]
    pop = [GEO + ",age_group,population_estimate"]
    cla = ["\ufefftime_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,"
           "old_la_code,la_name,new_la_code,population_type,population_estimate,children_count,rate_per_10000"]
    figures = {"National": (400000, 60000, 15000, 12000000, 80000), "Regional": (33000, 5000, 1300, 1100000, 6900),
               "Dorset": (2100, 400, 100, 67000, 440), "Bournemouth, Christchurch and Poole": (2400, 450, 110, 74000, 550)}
    for year in (2024, 2025):
        for place in PLACES:
            at31, start, subs, popn, looked = figures[place[5] or place[0]]
            at31_text = cin_dorset_2025 if (place[5] == "Dorset" and year == 2025) else str(at31)
            cin.append(_geo(year, place) + f",Children in Need,{at31_text}")
            subs_text = cpp_dorset_2024 if (place[5] == "Dorset" and year == 2024) else str(subs)
            pct = "c" if subs_text == "c" else f"{subs / start * 100:.1f}"
            cpp.append(_geo(year, place) + f",CPP,{start},{subs_text},{pct}")
            pop.append(_geo(year - 1, place) + f",Children aged 0 to 17 years,{popn}")
            level, rcode, rname, old, new, name = place
            cla.append(f'{year},Reporting year,{level},E92000001,England,{rcode},{rname},{old},"{name}",{new},'
                       f"Children looked after on 31 March each year,{popn},{looked},{round(looked / popn * 1e4)}")
    (d / "cin_b1_children_in_need_2024_2025.csv").write_text("\n".join(cin) + "\n", encoding="utf-8")
    (d / "cpp_d3_subsequent_plans_2024_2025.csv").write_text("\n".join(cpp) + "\n", encoding="utf-8")
    (d / "ons_population_0to17_2023_2024.csv").write_text("\n".join(pop) + "\n", encoding="utf-8")
    (d / "cla_rate_per_10k_2024_2025.csv").write_text("\n".join(cla) + "\n", encoding="utf-8")
    sn = ["\ufeffold_la_code,la_name,region_ind,region_name," + ",".join(f"SN_{k},SN_{k}P" for k in range(1, 11))]
    sn.append("838,Dorset,7,South West,839,Close " + ",," * 9)
    (d / "statistical_neighbours_2025.csv").write_text("\n".join(sn) + "\n", encoding="utf-8")
    return d


def _convert(source: Path, area: str):
    problems = Problems()
    raw, summary = convert_dfe_children(source, area, problems)
    return raw, summary, problems


def test_a_small_folder_converts_with_counts_benchmarks_and_a_group(tmp_path):
    raw, summary, problems = _convert(_folder(tmp_path), "838")  # the DfE LA number works as well as the code
    assert not problems, [str(p) for p in problems.items]
    assert summary.home == "E06000059" and summary.region == "E12000009"
    assert summary.neighbours == [("E06000058", "Bournemouth, Christchurch and Poole", "Close")]
    rows = {(r.values["series"], r.values["area"], r.values["period"]): r.values for r in raw.observations}
    cin = rows[("children-in-need", "E06000059", "2024-25")]
    assert (cin["value"], cin["numerator"], cin["denominator"]) == ("324.9", "2177", "67000")  # 2177/67000×10,000
    cla = rows[("children-looked-after", "E92000001", "2023-24")]
    assert (cla["value"], cla["numerator"], cla["denominator"]) == ("67", "80000", "12000000")
    fw = raw.framework["outcomes"][0]["population_indicators"]
    assert [i["id"] for i in fw] == ["children-looked-after", "children-in-need"]
    assert fw[0]["polarity"] == "no-judgement" and fw[1]["measures"][0]["polarity"] == "lower-is-better"
    group = fw[1]["comparators"][2]
    assert group["kind"] == "group" and group["members"] == ["E06000058"]


def test_suppressed_figures_stay_missing_with_their_reason(tmp_path):
    raw, summary, problems = _convert(_folder(tmp_path, cin_dorset_2025="low"), "E06000059")
    assert not problems
    rows = {(r.values["series"], r.values["area"], r.values["period"]): r.values for r in raw.observations}
    cin = rows[("children-in-need", "E06000059", "2024-25")]
    assert cin["value"] == "" and cin["missing_reason"].startswith("low:")
    cpp = rows[("repeat-child-protection-plans", "E06000059", "2023-24")]
    assert cpp["value"] == "" and cpp["missing_reason"] == "c: confidential (suppressed)"
    assert cpp["numerator"] == "" and cpp["denominator"] == "400"  # the count is kept, the figure never made up


def test_an_unknown_marker_and_an_unknown_area_are_problems_and_nothing_is_written(tmp_path):
    source = _folder(tmp_path, cin_dorset_2025="n.a.")
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(source), "--area", "E06000059", "--out",
                                          str(tmp_path / "out"), "--strict"])
    assert result.exit_code == 2
    assert "cin_b1_children_in_need_2024_2025.csv, row 8 [At31_episodes]: 'n.a.' is neither a number" in result.output
    assert not (tmp_path / "out").exists()
    _, _, problems = _convert(_folder(tmp_path / "again"), "Dorsett")
    assert "'Dorsett' is not a local authority" in str(problems.items[0])
    assert "E06000059 (838, Dorset)" in str(problems.items[0])


def test_a_missing_file_is_named(tmp_path):
    source = _folder(tmp_path)
    (source / "ons_population_0to17_2023_2024.csv").unlink()
    _, _, problems = _convert(source, "838")
    assert "no file has the columns population_estimate" in str(problems.items[0])
    assert "'ons_population_0to17_*.csv'" in str(problems.items[0])


def test_files_are_recognised_by_their_columns_whatever_their_names(tmp_path):
    import gzip

    source = _folder(tmp_path)
    expected, _, problems = _convert(source, "838")
    assert not problems
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for i, path in enumerate(sorted(source.iterdir())):
        if i % 2:  # some gzip-compressed, all with names DfE might give a download
            (renamed / f"download ({i}).csv.gz").write_bytes(gzip.compress(path.read_bytes()))
        else:
            (renamed / f"data-{i}.csv").write_bytes(path.read_bytes())
    (renamed / "README.txt").write_text("not a table", encoding="utf-8")
    raw, summary, problems = _convert(renamed, "838")
    assert not problems, problems.items
    assert set(summary.files) == {"cla", "cin", "cpp", "population", "neighbours"}

    def figures(r):  # type: ignore[no-untyped-def]
        return [(o.values["series"], o.values["area"], o.values["period"], o.values["value"]) for o in r.observations]

    assert figures(raw) == figures(expected) and len(figures(raw)) > 10


# ------------------------------------------------------------------------------- the real files


def test_dorset_spans_the_2019_reorganisation_with_a_visible_break(tmp_path):
    raw, summary, problems = _convert(REFERENCE, "E06000059")
    assert not problems
    assert summary.breaks == {"children-in-need": ["2019-20"], "repeat-child-protection-plans": ["2019-20"]}
    rows = [r.values for r in raw.observations if r.values["area"] == "E06000059"]
    cpp = [r for r in rows if r["series"] == "repeat-child-protection-plans"]
    assert [r["period"] for r in cpp][:2] == ["2012-13", "2013-14"] and cpp[-1]["period"] == "2024-25"
    assert "Dorset (county council) (E10000009)" in cpp[6]["note"] and "LA 835" in cpp[6]["source"]
    assert cpp[7]["period"] == "2019-20" and cpp[7]["note"].startswith("Series break: from 2019-20")
    # ONS gives no population for the old county: the rates before 2019-20 are missing, with the reason
    cin_before = [r for r in rows if r["series"] == "children-in-need" and r["period"] < "2019-20"]
    assert cin_before and all(r["value"] == "" and "population" in r["missing_reason"] for r in cin_before)


@pytest.mark.parametrize(("area", "region"), [
    ("E06000059", "E12000009"),  # Dorset: unitary, stitched across 2019
    ("202", "E12000007"),  # Camden by its DfE number: an Inner London borough, region London
    ("E08000025", "E12000005"),  # Birmingham: a metropolitan district
])
def test_three_authorities_build_load_and_are_judged_against_all_comparators(tmp_path, area, region):
    out = tmp_path / "ds"
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(REFERENCE), "--area", area, "--out", str(out)],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    fw = load_dataset(out)
    assert {s.id for s in fw.all_series()} == {"children-looked-after", "children-in-need",
                                               "repeat-child-protection-plans"}
    assert str(fw.reporting_period) == "2024-25"
    cpp = fw.series_by_id()["repeat-child-protection-plans"]
    assert cpp.polarity is Polarity.LOWER_IS_BETTER
    assert [c.area or c.kind for c in cpp.comparators] == ["E92000001", region, "group"]
    assert len(cpp.comparators[2].members) == 10
    judge = pytest.importorskip("outcomes.judge")
    judged = judge.judge_framework(fw)
    for sj in judged.series:
        names = [c.name for c in sj.comparators]
        assert names == ["England", fw.area_name(region), "Statistical neighbours"], names
        for c in sj.comparators:
            assert str(c.period) == "2024-25" and c.word != "not compared", c.reason
        assert sj.comparators[2].rank is not None and sj.comparators[2].of == 11


def test_the_committed_example_is_what_the_converter_makes(tmp_path):
    raw, _, problems = _convert(REFERENCE, "E06000059")
    assert not problems
    committed = read_folder(EXAMPLE, Problems())
    assert committed is not None
    assert [r.values for r in committed.observations] == [r.values for r in raw.observations]
    assert committed.framework == raw.framework
    readme = (EXAMPLE / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in readme and "Department for Education" in readme


def test_a_copy_with_a_cp1252_file_is_refused(tmp_path):
    source = tmp_path / "dfe"
    shutil.copytree(REFERENCE, source)
    (source / "statistical_neighbours_2025.csv").chmod(0o644)
    path = source / "statistical_neighbours_2025.csv"
    path.write_bytes(path.read_bytes().replace(b"Southend-on-Sea", "Southend–on–Sea".encode("cp1252")))
    _, _, problems = _convert(source, "E06000059")
    assert "Windows-1252" in str(problems.items[0])


# ------------------------------------------------------------------------------- the bulk policy


def _broken_copy(tmp_path: Path) -> Path:
    """The real files, with one row of the child protection plans file given a value DfE never prints."""
    source = tmp_path / "dfe"
    shutil.copytree(REFERENCE, source)
    for path in source.iterdir():
        path.chmod(0o644)
    path = source / "cpp_d3_subsequent_plans_2013_2025.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("2025,Reporting year,Regional,") and lines[2].rstrip().endswith(",1240,27.2")
    lines[2] = lines[2].replace(",1240,27.2", ",n.a.,27.2")  # row 3: North East, 2024-25
    path.write_text("".join(lines), encoding="utf-8")
    return source


def test_a_bad_row_leaves_out_only_the_series_of_its_file(tmp_path):
    source = _broken_copy(tmp_path)
    out = tmp_path / "ds"
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(source), "--area", "E06000059", "--out",
                                       str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Left out 1 series with problems" in result.output and "repeat-child-protection-plans" in result.output
    assert "cpp_d3_subsequent_plans_2013_2025.csv, row 3 [CPP_subsequent]: 'n.a.' is neither a number" in result.output
    fw = load_dataset(out)
    assert {s.id for s in fw.all_series()} == {"children-looked-after", "children-in-need"}
    # the series that were kept are exactly those of the whole, unbroken conversion
    whole, _, problems = _convert(REFERENCE, "E06000059")
    assert not problems
    kept = [r.values for r in whole.observations if r.values["series"] != "repeat-child-protection-plans"]
    assert [r.values for r in read_folder(out, Problems()).observations] == kept
    assert "`repeat-child-protection-plans`" in (out / "README.md").read_text(encoding="utf-8")


def test_a_bad_population_file_leaves_out_children_in_need_only(tmp_path):
    source = tmp_path / "dfe"
    shutil.copytree(REFERENCE, source)
    path = source / "ons_population_0to17_2012_2024.csv"
    path.chmod(0o644)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[5] = lines[5].replace("Reporting year", "Calendar quarter", 1)
    path.write_text("".join(lines), encoding="utf-8")
    raw, summary, problems = _convert(source, "E06000059")
    assert not problems and raw is not None
    assert summary.left_out.series == {"children-in-need": 1}
    assert "is not a reporting year" in str(summary.left_out.problems.items[0])
    assert {r.values["series"] for r in raw.observations} == {"children-looked-after", "repeat-child-protection-plans"}
    # the plans stand on their own when children in need, their indicator, is left out
    indicators = raw.framework["outcomes"][0]["population_indicators"]
    assert [(i["id"], i["number"]) for i in indicators] == [("children-looked-after", "01"),
                                                           ("repeat-child-protection-plans", "02")]


def test_strict_writes_nothing_and_the_problems_file_lists_them(tmp_path):
    source = _broken_copy(tmp_path)
    out, listed = tmp_path / "ds", tmp_path / "problems.csv"
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(source), "--area", "E06000059", "--out",
                                       str(out), "--strict", "--problems", str(listed)], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert "1 problem to fix. Nothing was written." in result.output
    assert not out.exists()
    import csv

    rows = list(csv.DictReader(listed.open(encoding="utf-8-sig")))
    assert [(r["file"], r["location"], r["field"]) for r in rows] == [
        ("cpp_d3_subsequent_plans_2013_2025.csv", "row 3", "CPP_subsequent")]
    # without --strict the same file is written, and the problems file still lists the left-out series' problem
    listed.unlink()
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(source), "--area", "E06000059", "--out",
                                       str(out), "--problems", str(listed)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert out.is_dir()
    rows = list(csv.DictReader(listed.open(encoding="utf-8-sig")))
    assert len(rows) == 1 and "'n.a.'" in rows[0]["message"]


def test_every_file_broken_converts_nothing(tmp_path):
    source = _folder(tmp_path, cin_dorset_2025="n.a.", cpp_dorset_2024="n.a.")
    cla = source / "cla_rate_per_10k_2024_2025.csv"
    cla.write_text(cla.read_text(encoding="utf-8").replace(",440,", ",4?0,", 1), encoding="utf-8")
    raw, summary, problems = _convert(source, "E06000059")
    assert raw is None
    assert sorted(summary.left_out.series) == ["children-in-need", "children-looked-after",
                                               "repeat-child-protection-plans"]
    assert len(problems) == 4  # the three files' problems and "no series could be converted"
    assert any("no series could be converted for Dorset" in str(p) for p in problems.items)


def test_period_sets_the_reporting_period(tmp_path):
    out = tmp_path / "ds"
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(REFERENCE), "--area", "E06000059", "--out",
                                       str(out), "--period", "2023-24"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Reporting period: 2023-24." in result.output
    assert str(load_dataset(out).reporting_period) == "2023-24"
    _, summary, _ = _convert(REFERENCE, "E06000059")
    assert summary.reporting_period == "2024-25"  # the default: the latest year of the data
    result = CliRunner().invoke(main, ["convert", "dfe-children", str(REFERENCE), "--area", "E06000059", "--out",
                                       str(tmp_path / "bad"), "--period", "next year"], catch_exceptions=False)
    assert result.exit_code == 2 and "--period" in result.output and not (tmp_path / "bad").exists()


def test_a_data_file_unreadable_as_a_whole_stops_it_all(tmp_path):
    source = _folder(tmp_path)
    cin = source / "cin_b1_children_in_need_2024_2025.csv"
    cin.write_text(cin.read_text(encoding="utf-8").replace("new_la_code", "new_code", 1), encoding="utf-8")
    raw, summary, problems = _convert(source, "E06000059")
    assert raw is None and not summary.left_out.series
    assert "the column 'new_la_code' is missing" in str(problems.items[0])
