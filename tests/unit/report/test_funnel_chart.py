"""The funnel plot: limits from outcomes.stats, this area highlighted, a <title>, words and a table.

Given areas with values and denominators, when the funnel is drawn, then its limits at each area
are those of funnel_limits, the home area is the one filled diamond and is named, and the <desc>
and table say where every area lies. Given the DfE example (a statistical-neighbour group with
counts and populations), when the report is built, then its series carry a funnel of the group.
"""

from __future__ import annotations

import re
from pathlib import Path

from outcomes.model import Unit
from outcomes.report import build_view, render_html
from outcomes.report.charts import FunnelChartInput, FunnelPoint, funnel_chart
from outcomes.stats import funnel_limits

POINTS = (
    FunnelPoint("Home", 900, 27.5, home=True),
    FunnelPoint("A", 300, 21.0),
    FunnelPoint("B", 1500, 14.0),
    FunnelPoint("C", 4000, 22.5),
    FunnelPoint("D", 2500, 23.9),
)


def _chart(**changes: object):  # type: ignore[no-untyped-def]
    spec = {"id": "f", "title": "Re-referrals", "unit": Unit("percentage"), "statistic": "proportion",
            "baseline": 22.0, "points": POINTS}
    spec.update(changes)
    return funnel_chart(FunnelChartInput(**spec))  # type: ignore[arg-type]


def test_the_svg_opens_with_its_title_and_description() -> None:
    chart = _chart()
    inner = re.sub(r"^<svg[^>]*>", "", chart.svg)
    assert inner.startswith('<title id="f-title">Re-referrals</title><desc id="f-desc">')
    assert 'role="img"' in chart.svg and 'aria-labelledby="f-title f-desc"' in chart.svg


def test_every_area_is_placed_against_the_stats_limits() -> None:
    chart = _chart()
    limits = funnel_limits([900, 300, 1500, 4000, 2500], statistic="proportion", baseline=22.0)
    rows = {head: cells for head, cells in chart.table.rows}
    assert rows["Home (this area)"][1] == "27.5%" and rows["Home (this area)"][4] == "above the 99.8% limit"
    assert limits.upper998[0] < 27.5
    assert rows["B"][4] == "below the 99.8% limit" and limits.lower998[2] > 14.0
    assert rows["A"][4] == "within the 95% limits"
    assert rows["D"][4] == "above the 95% limit" and limits.upper95[4] < 23.9 < limits.upper998[4]
    assert list(rows)[0] == "Home (this area)"  # this area first, then by denominator
    assert "Of 5 areas, 3 lie outside the 95% limits and 2 outside the 99.8% limits." in chart.desc


def test_only_the_home_area_is_highlighted_and_named() -> None:
    svg = _chart().svg
    assert svg.count("<polygon") == 1 and svg.count("<circle") == 4
    assert ">Home 27.5%</text>" in svg


def test_rate_funnels_use_exact_poisson_limits() -> None:
    points = (FunnelPoint("Home", 50_000, 80.0, home=True), FunnelPoint("A", 120_000, 52.0),
              FunnelPoint("B", 90_000, 61.0))
    chart = _chart(unit=Unit("rate", per=10_000), statistic="rate", baseline=56.6, multiplier=10_000, points=points)
    limits = funnel_limits([50_000], statistic="rate", baseline=56.6, multiplier=10_000)
    home = dict(chart.table.rows)["Home (this area)"]
    assert home[2] == f"{limits.lower95[0]:.1f}–{limits.upper95[0]:.1f}"


EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "children-safeguarding"


def test_the_report_draws_a_funnel_for_a_statistical_neighbour_group() -> None:
    from outcomes.sources import load_dataset

    framework = load_dataset(EXAMPLE)
    view = build_view(framework, None, None)
    funnels = [c for c in view.charts if c.id.startswith("funnel-")]
    assert funnels, "no funnel in the report"
    cla = next(c for c in funnels if c.id == "funnel-children-looked-after")
    assert len(cla.table.rows) == 11 and cla.table.rows[0][0] == "Dorset (this area)"
    assert "Statistical neighbours average" in cla.desc
    html = render_html(framework)
    assert 'class="chart chart-funnel" id="funnel-children-looked-after"' in html
