"""The slope index of inequality of a series' deprivation breakdown (breakdowns.csv), end to end.

Given the worked example's male life expectancy by deprivation decile (PHEindicatormethods test
data, with standard errors), when loaded and reported, then the SII is the population-weighted
regression slope with Monte-Carlo limits that bracket it, the same on every run, and the report
says it in words; given broken rows, each problem names its row and column.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import pytest

from outcomes.judge.inequality import inequality
from outcomes.report import build_view
from outcomes.sources import DatasetError, load_dataset

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "healthy-phe-methods"
SID = "life-expectancy-male-deciles"


def _rows() -> list[dict[str, str]]:
    with (EXAMPLE / "breakdowns.csv").open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_sii_is_the_population_weighted_slope_with_limits_around_it() -> None:
    framework = load_dataset(EXAMPLE)
    found = inequality(framework.series_by_id()[SID], framework.home_area.code, repetitions=20_000)
    assert found is not None and found.quantiles == 10 and found.category_type == "deprivation deciles"
    rows = _rows()
    pops = np.array([float(r["population"]) for r in rows])
    values = np.array([float(r["value"]) for r in rows])
    share = pops / pops.sum()
    slope, intercept = np.polyfit(np.cumsum(share) - share / 2, values, 1, w=np.sqrt(share))
    assert found.sii == pytest.approx(slope, rel=1e-10) and found.rii == pytest.approx((intercept + slope) / intercept)
    assert found.sii_lower < found.sii < found.sii_upper and found.rii_lower < found.rii < found.rii_upper
    again = inequality(framework.series_by_id()[SID], framework.home_area.code, repetitions=20_000)
    assert again == found  # a fixed seed: a report says the same each time


def test_the_report_says_the_sii_in_words() -> None:
    view = build_view(load_dataset(EXAMPLE), None, None)
    series = [s for part in view.outcomes for sec in part.sections for ind in sec.indicators for s in ind.series
              if s.id == SID]
    assert series and series[0].inequality.startswith("Slope index of inequality across 10 deprivation deciles (2020): ")
    assert "95% interval" in series[0].inequality


def test_an_incomplete_breakdown_gives_no_sii(tmp_path: Path) -> None:
    folder = tmp_path / "healthy"
    shutil.copytree(EXAMPLE, folder)
    lines = (folder / "breakdowns.csv").read_text(encoding="utf-8").splitlines()
    del lines[5]  # decile 5 gone: the quantiles are no longer numbered 1 to N without a gap
    (folder / "breakdowns.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    framework = load_dataset(folder)
    assert inequality(framework.series_by_id()[SID], framework.home_area.code) is None


def test_bad_breakdown_rows_are_problems_with_row_and_column(tmp_path: Path) -> None:
    folder = tmp_path / "healthy"
    shutil.copytree(EXAMPLE, folder)
    text = (folder / "breakdowns.csv").read_text(encoding="utf-8")
    text = text.replace("Most deprived decile,1,70.56313911", "Most deprived decile,first,70.56313911", 1)
    text = text.replace(",1.319452272,11779", ",1.319452272,-5", 1)
    (folder / "breakdowns.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DatasetError) as info:
        load_dataset(folder)
    problems = [str(p) for p in info.value.problems]
    assert any("breakdowns.csv, row 2" in p and "[quantile]" in p for p in problems), problems
    assert any("breakdowns.csv, row 11" in p and "[population]" in p for p in problems), problems


def test_breakdowns_survive_a_round_trip(tmp_path: Path) -> None:
    from outcomes.sources.serialise import write_dataset

    framework = load_dataset(EXAMPLE)
    write_dataset(framework, tmp_path / "again")
    again = load_dataset(tmp_path / "again")
    before, after = framework.series_by_id()[SID].breakdowns, again.series_by_id()[SID].breakdowns
    assert [(b.quantile, b.value, b.standard_error, b.population) for b in after] == [
        (b.quantile, b.value, b.standard_error, b.population) for b in before
    ]


def test_a_series_with_only_a_breakdown_is_charted_by_quantile() -> None:
    view = build_view(load_dataset(EXAMPLE), None, None)
    chart = next(c for c in view.charts if c.id == f"chart-{SID}")
    assert "deprivation deciles (2020), 1 = most deprived" in chart.title
    assert chart.table is not None and chart.table.rows[0][0] == "Most deprived decile"
    assert chart.table.rows[-1][0] == "Least deprived decile" and len(chart.table.rows) == 10


def test_the_word_document_says_the_same_sii(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    from outcomes.judge import judge_framework
    from outcomes.report.docx import render_docx

    framework = load_dataset(EXAMPLE)
    path = render_docx(framework, judge_framework(framework), tmp_path / "healthy.docx")
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    view = build_view(framework, None, None)
    said = next(s.inequality for part in view.outcomes for sec in part.sections for ind in sec.indicators
                for s in ind.series if s.id == SID)
    assert f"Inequality: {said}" in text
