"""Exports: CSV, XLSX and JSON tables, safe for spreadsheets, that read back into the same observations."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from outcomes.exports import MAPPING_FILE, export_data, safe_text
from outcomes.sources import load_dataset
from outcomes.sources.folder import write_folder
from outcomes.sources.problems import Problems
from outcomes.sources.table import convert_table, read_mapping


@pytest.fixture(scope="module")
def judged(example):
    judge = pytest.importorskip("outcomes.judge")
    return judge.judge_framework(example)


@pytest.fixture
def hostile(example_copy: Path) -> Path:
    """The example with a note that a spreadsheet would run as a formula."""
    path = example_copy / "observations.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("note")] = '=HYPERLINK("http://evil.example","click")'
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    risks = example_copy / "risks.csv"
    risks.write_text(risks.read_text(encoding="utf-8").replace(",,,,,\n", ",,,@SUM(A1),,\n", 1), encoding="utf-8")
    return example_copy


def _observations(fw) -> set[tuple]:
    out = set()
    for s in fw.all_series():
        for o in [*s.observations, *(x for rows in s.benchmark_observations.values() for x in rows)]:
            out.add((o.series_id, o.area, o.period, o.value, o.numerator, o.denominator, o.lower95, o.upper95,
                     o.lower998, o.upper998, o.status, o.source, o.note, o.missing_reason))
    return out


def test_every_format_is_written(example, judged, tmp_path):
    written = export_data(example, judged, tmp_path)
    assert sorted(p.name for p in written) == ["comparators.csv", "focus.csv", "judgements.csv", "observations.csv",
                                               "outcomes-export.json", "outcomes-export.xlsx", "risks.csv"]
    only = export_data(example, judged, tmp_path / "json", formats=["json"])
    assert [p.name for p in only] == ["outcomes-export.json"]
    with pytest.raises(ValueError, match="pdf"):
        export_data(example, judged, tmp_path, formats=["pdf"])


def test_judgements_carry_method_and_reason_and_focus_is_ranked(example, judged, tmp_path):
    export_data(example, judged, tmp_path, formats=["csv"])
    rows = list(csv.DictReader((tmp_path / "judgements.csv").open(encoding="utf-8-sig")))
    series = [r for r in rows if r["record"] == "series"]
    assert len(series) == len(list(example.all_series()))
    assert all(r["trend_method"] and r["trend_reason"] and r["comparator_method"] for r in series)
    focus = list(csv.DictReader((tmp_path / "focus.csv").open(encoding="utf-8-sig")))
    assert focus and [int(r["rank"]) for r in focus] == sorted(int(r["rank"]) for r in focus)
    risks = list(csv.DictReader((tmp_path / "risks.csv").open(encoding="utf-8-sig")))
    assert len(risks) == len(example.risks)


def test_formulas_are_neutralised_but_numbers_are_not(hostile, tmp_path):
    fw = load_dataset(hostile)
    export_data(fw, None, tmp_path, formats=["csv", "xlsx"])
    text = (tmp_path / "observations.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert "'@SUM(A1)" in (tmp_path / "risks.csv").read_text(encoding="utf-8-sig")
    book = load_workbook(tmp_path / "outcomes-export.xlsx")
    sheet = book["Observations"]
    notes = [c.value for c in sheet["M"] if c.value]
    assert "'=HYPERLINK(\"http://evil.example\",\"click\")" in notes
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in sheet.iter_rows() for c in row)
    assert safe_text("-3.5") == "-3.5" and safe_text("-x") == "'-x" and safe_text("\tx") == "'\tx"


def test_the_workbook_is_typed_with_a_bold_frozen_header_and_units(example, tmp_path):
    export_data(example, None, tmp_path, formats=["xlsx"])
    book = load_workbook(tmp_path / "outcomes-export.xlsx")
    assert book.sheetnames[:3] == ["Observations", "Judgements", "Corporate risks"]
    sheet = book["Observations"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["series", "area", "period", "value"] and "unit" in header
    assert all(c.font.bold for c in sheet[1]) and sheet.freeze_panes == "A2"
    values = [c.value for c in sheet["D"][1:] if c.value is not None]
    assert values and all(isinstance(v, int | float) for v in values)
    units = {c.value for c in sheet[f"{chr(ord('A') + header.index('unit'))}"][1:]}
    assert {"rate per 10,000", "percentage", "count"} <= units


def test_json_holds_every_table(example, judged, tmp_path):
    export_data(example, judged, tmp_path, formats=["json"])
    data = json.loads((tmp_path / "outcomes-export.json").read_text(encoding="utf-8"))
    assert data["dataset"]["area"] == "E10000009"
    assert {"observations", "judgements", "comparators", "risks", "focus", "judgements_detail"} <= set(data)
    assert isinstance(data["observations"][0]["value"], int | float)


@pytest.mark.parametrize("source", ["observations.csv", "outcomes-export.xlsx"])
def test_an_export_reads_back_into_the_same_observations(hostile, tmp_path, source):
    fw = load_dataset(hostile)
    export_data(fw, None, tmp_path / "export", formats=["csv", "xlsx"])
    problems = Problems()
    mapping = read_mapping(MAPPING_FILE, problems)
    raw, _ = convert_table(tmp_path / "export" / source, mapping, problems)
    assert not problems, [str(p) for p in problems.items]
    write_folder(raw, tmp_path / "again")
    again = load_dataset(tmp_path / "again")
    assert again.home_area.code == fw.home_area.code
    assert _observations(again) == _observations(fw)
    assert {s.id: (s.unit, s.polarity, s.period_kind) for s in again.all_series()} == {
        s.id: (type(s.unit)(s.unit.type, per=s.unit.per), s.polarity, s.period_kind) for s in fw.all_series()}


def test_the_export_data_command(example_path, tmp_path):
    from click.testing import CliRunner

    from outcomes.cli_data import export_data as command

    result = CliRunner().invoke(command, [str(example_path), "--out", str(tmp_path), "--format", "csv"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["comparators.csv", "focus.csv", "judgements.csv",
                                                          "observations.csv", "risks.csv"]
    bad = CliRunner().invoke(command, [str(tmp_path / "nowhere"), "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "Cannot use" in bad.output


def test_every_comparator_is_exported_with_period_method_and_reason(tmp_path):
    """Given the children's safeguarding example (England, South West and ten statistical neighbours),
    when exported, then each series has one comparators row per benchmark and group, and the group's row
    carries its rank, group size, quartile and median, in CSV, XLSX and JSON alike."""
    from outcomes.judge import judge_framework

    fw = load_dataset(Path(__file__).resolve().parents[3] / "examples" / "children-safeguarding")
    judged = judge_framework(fw)
    export_data(fw, judged, tmp_path)
    rows = list(csv.DictReader((tmp_path / "comparators.csv").open(encoding="utf-8-sig")))
    assert len(rows) == sum(len(s.comparators) for s in fw.all_series())
    first = fw.outcomes[0].indicators[0].series[0]
    mine = [r for r in rows if r["series"] == first.id]
    assert [r["name"] for r in mine] == [c.name for c in first.comparators]
    assert [r["kind"] for r in mine] == ["benchmark", "benchmark", "group"]
    assert all(r["period"] and r["method"] and r["reason"] and r["judgement"] for r in mine)
    group = mine[2]
    assert int(group["of"]) == 11 and 1 <= int(group["rank"]) <= 11 and group["quartile"] and group["median"]
    book = load_workbook(tmp_path / "outcomes-export.xlsx")
    assert book["Comparators"].max_row == len(rows) + 1
    data = json.loads((tmp_path / "outcomes-export.json").read_text(encoding="utf-8"))
    assert len(data["comparators"]) == len(rows)
    detail = next(s for s in data["judgements_detail"]["series"] if s["id"] == first.id)
    assert [c["name"] for c in detail["comparators"]] == [c.name for c in first.comparators]
