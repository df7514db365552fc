"""Fingertips ``Category`` rows become breakdowns.csv, from which the series gets its SII.

Uses ``tests/data/fingertips-deciles`` (a Fingertips-layout extract of NCMP obesity by deprivation
decile; see the README there) and the package's SII outputs in ``tests/data/phe-methods/r_sii.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from outcomes.cli import main
from outcomes.judge.inequality import inequality
from outcomes.sources import load_dataset
from outcomes.sources.fingertips import convert_fingertips
from outcomes.sources.fingertips_categories import category_quantile
from outcomes.sources.problems import Problems

DATA = Path(__file__).resolve().parents[2] / "data"
EXTRACT = DATA / "fingertips-deciles" / "ncmp_obesity_by_decile.csv"
DECILES = [
    "Most deprived decile", "Second most deprived decile", "Third more deprived decile",
    "Fourth more deprived decile", "Fifth more deprived decile", "Fifth less deprived decile",
    "Fourth less deprived decile", "Third less deprived decile", "Second least deprived decile",
    "Least deprived decile",
]  # fmt: skip


def test_fingertips_decile_names_give_their_place() -> None:
    assert [category_quantile(f"{name} (IMD2019)") for name in DECILES] == list(range(1, 11))
    assert (
        category_quantile("Most deprived quintile") == 1 and category_quantile("Least deprived quintile") == 5
    )
    assert category_quantile("Male") is None and category_quantile("Sixth more deprived decile") is None


def test_category_rows_become_breakdowns_of_the_standard_series() -> None:
    problems = Problems()
    raw, summary = convert_fingertips(EXTRACT, "E92000001", problems)
    assert raw is not None and not problems, problems.items
    assert summary.breakdowns == {"fingertips-90319": 20, "fingertips-90323": 20}
    assert summary.breakdowns_left_out == {}
    rows = [r.values for r in raw.breakdowns]
    source = list(csv.DictReader(EXTRACT.open(encoding="utf-8")))
    decile_rows = [s for s in source if s["Category"]]
    assert len(rows) == len(decile_rows) == 40
    by_key = {(r["series"], r["period"], r["category"]): r for r in rows}
    for row in decile_rows:
        got = by_key[
            (f"fingertips-{row['Indicator ID']}", row["Time period"].replace("/", "-"), row["Category"])
        ]
        assert got["series"] == f"fingertips-{row['Indicator ID']}"
        assert got["area"] == "E92000001" and got["period"] == row["Time period"].replace("/", "-")
        assert got["category_type"] == row["Category Type"] and got["category"] == row["Category"]
        assert int(got["quantile"]) == DECILES.index(row["Category"].removesuffix(" (IMD2019)")) + 1
        assert float(got["population"]) == float(row["Denominator"])
        for ours, theirs in (
            ("value", "Value"),
            ("lower95", "Lower CI 95.0 limit"),
            ("upper95", "Upper CI 95.0 limit"),
        ):
            assert float(got[ours]) == pytest.approx(float(row[theirs]), rel=1e-12)
    # the standard rows are the series' observations, the Category rows are not
    assert {r.values["series"] for r in raw.observations} == {"fingertips-90319", "fingertips-90323"}
    assert len(raw.observations) == 4


def test_the_converted_dataset_shows_the_sii_with_its_interval_as_the_package_computes_it(
    tmp_path: Path,
) -> None:
    out = tmp_path / "england"
    result = CliRunner().invoke(
        main, ["convert", "fingertips", str(EXTRACT), "--area", "E92000001", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "20 rows by category" in result.output and (out / "breakdowns.csv").exists()
    framework = load_dataset(out)
    reference = {
        (r["Period"], r["SchoolYear"], r["confidence"]): r
        for r in csv.DictReader((DATA / "phe-methods" / "r_sii.csv").open(encoding="utf-8"))
        if r["value_type"] == "proportion"
    }
    for series_id, year in (("fingertips-90319", "R"), ("fingertips-90323", "6")):
        series = framework.series_by_id()[series_id]
        found = inequality(series, "E92000001")
        assert found is not None
        assert str(found.period) == "2007-08" and found.quantiles == 10  # the latest complete breakdown
        want = reference[("708", year, "0.95")]
        # phe_sii on the same deciles (value_type = 2, limits from LCL/UCL), in percentage points
        assert found.sii == pytest.approx(100 * float(want["sii"]), rel=1e-9)
        assert found.rii == pytest.approx(float(want["rii"]), rel=1e-9)
        width = 100 * (float(want["sii_upper"]) - float(want["sii_lower"]))
        assert found.sii_lower == pytest.approx(100 * float(want["sii_lower"]), abs=0.02 * width)
        assert found.sii_upper == pytest.approx(100 * float(want["sii_upper"]), abs=0.02 * width)
        assert found.sii_lower < found.sii < found.sii_upper < 0  # obesity falls towards the least deprived
