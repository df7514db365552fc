"""SVG charts: accessible structure (title first, desc in words, text as text), the figures as a table,
units and polarity, comparators, intervals, targets and SPC limits drawn when they apply."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from outcomes.model import Observation, Period, Polarity, Target, Unit
from outcomes.report.charts import (
    PALETTE,
    RAG_COLOURS,
    BarItem,
    ChartPoint,
    LineChartInput,
    Reference,
    SpcLimits,
    bar_chart,
    contrast_ratio,
    line_chart,
    nice_ticks,
)

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def _points(values: list[float], kind: str = "quarter", **extra: Any) -> tuple[ChartPoint, ...]:
    start = Period.parse("Q1 2013-14")
    out = []
    for i, v in enumerate(values):
        p = start.shift(i)
        out.append(ChartPoint(p.label("short"), str(p), float(i), v, **{k: fn(i) for k, fn in extra.items()}))
    return tuple(out)


# ---------------------------------------------------------------------------------------------- structure


def test_every_chart_in_the_report_is_accessible_svg(report_view: Any) -> None:
    assert len(report_view.charts) > 30
    for chart in report_view.charts:
        root = _parse(chart.svg)
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        children = list(root)
        assert children[0].tag == f"{SVG}title", chart.id
        assert (children[0].text or "").strip() == chart.title
        assert children[1].tag == f"{SVG}desc"
        assert len((children[1].text or "").strip()) > 20
        assert root.get("aria-labelledby") == f"{chart.id}-title {chart.id}-desc"
        assert not list(root.iter(f"{SVG}foreignObject"))
        assert _texts(root), "labels are kept as <text>"
        assert chart.table is not None and chart.table.rows


def test_chart_ids_are_unique_in_the_html(report_html: str) -> None:
    ids = re.findall(r'\sid="([^"]+)"', report_html)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert duplicates == set()


def test_desc_mentions_the_first_and_latest_values(report_view: Any, example: Any) -> None:
    series = {s.id: s for s in example.all_series()}
    for outcome in report_view.outcomes:
        for section in outcome.sections:
            for ind in section.indicators:
                views = list(ind.series) + [card.series for card in ind.measure_cards]
                for sv in views:
                    s = series[sv.id]
                    observed = s.observed()
                    desc = sv.chart.desc
                    first, last = observed[0], observed[-1]
                    assert str(first.period) in desc and str(last.period) in desc, desc
                    for o in (first, last):
                        number = f"{o.value:,.2f}".rstrip("0").rstrip(".")
                        assert number in desc.replace(".0 ", " ").replace(".0%", "%"), (number, desc)


def test_child_protection_desc_reads_as_a_sentence(report_view: Any) -> None:
    chart = next(c for c in report_view.charts if c.id == "chart-child-protection")
    assert chart.desc.startswith("6 values from 2012-13 to 2017-18: 53.8 per 10,000 in 2012-13, 32.8 per 10,000 in "
                                 "2017-18 (previous 58.5 per 10,000 in 2016-17)")
    assert "England: 43.1 per 10,000." in chart.desc


def test_two_point_desc_says_rose_or_fell() -> None:
    chart = line_chart(LineChartInput(id="x", title="Assaults", unit=Unit("count"),
                                      points=_points([74, 86])))
    assert chart.desc == "Rose from 74 in Q1 2013-14 to 86 in Q2 2013-14."


# ---------------------------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    "unit,values,expected",
    [
        (Unit("percentage"), [28.1, 28.9], ["28.1%", "28.9%"]),
        (Unit("rate", per=10_000), [63, 59.4], ["63.0 per 10,000", "59.4 per 10,000"]),
        (Unit("count"), [4961, 4776], ["4,961", "4,776"]),
        (Unit("currency"), [1250, 1300.5], ["£1,250.0", "£1,300.5"]),
    ],
)
def test_values_carry_their_unit(unit: Unit, values: list[float], expected: list[str]) -> None:
    chart = line_chart(LineChartInput(id="u", title="T", unit=unit, points=_points(values)))
    for text in expected:
        assert text in chart.desc


def test_axis_title_names_the_unit() -> None:
    for unit, title in ((Unit("rate", per=10_000), "Rate per 10,000"), (Unit("percentage"), "Percentage"),
                        (Unit("count"), "Number")):
        root = _parse(line_chart(LineChartInput(id="a", title="T", unit=unit, points=_points([5, 6]))).svg)
        assert title in _texts(root)[0]


def test_counts_and_bars_start_at_zero() -> None:
    root = _parse(line_chart(LineChartInput(id="c", title="T", unit=Unit("count"), points=_points([937, 961]))).svg)
    texts = _texts(root)
    assert "0" in texts
    assert not any("axis starts at" in t for t in texts)
    bar = _parse(bar_chart(id="b", title="Trend", items=[BarItem("Improving", 3, "G"), BarItem("Worse", 0, "R")]).svg)
    widths = [float(r.get("width", 0)) for r in bar.iter(f"{SVG}rect") if float(r.get("height", 0)) == 14]
    assert len(widths) == 1  # a zero count draws no bar, but is still labelled
    assert "0" in _texts(bar)


def test_bar_chart_labels_every_bar_with_its_count_and_letter() -> None:
    chart = bar_chart(id="b", title="Trend", items=[BarItem("Improving", 6, "G"), BarItem("Similar", 1, "A"),
                                                     BarItem("Worsening", 4, "R"), BarItem("Not assessed", 0)])
    texts = _texts(_parse(chart.svg))
    for text in ("G", "A", "R", "–", "Improving", "6", "1", "4", "0"):
        assert text in texts
    assert chart.desc == "Trend: 6 improving (G), 1 similar (A), 4 worsening (R), 0 not assessed."
    assert chart.table is not None
    assert chart.table.rows[0] == ("Improving (G)", ("6",))


# ---------------------------------------------------------------------------------------------- what is drawn


def test_a_single_benchmark_value_is_a_mark_at_the_right_edge_labelled_with_its_period() -> None:
    """One value without a series is not drawn as a line across every year (issue 13 item 2)."""
    for period, words in (("", "England: one value, period not stated"), ("2017-18", "England: one value, 2017-18")):
        chart = line_chart(LineChartInput(id="r", title="T", unit=Unit("rate", per=10_000),
                                          points=_points([58.5, 32.8, 40.0, 41.2]),
                                          references=(Reference("England", 43.1, period_label=period),)))
        root = _parse(chart.svg)
        marks = [ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "single-value"]
        assert len(marks) == 1
        x1, x2 = float(marks[0].get("x1", 0)), float(marks[0].get("x2", 0))
        assert x2 - x1 <= 20  # a short mark, not a line across the plot
        plot_lines = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke") == PALETTE["comparator"]
                      and ln.get("class") != "single-value" and float(ln.get("x2", 0)) - float(ln.get("x1", 0)) > 30]
        assert plot_lines == []
        texts = _texts(root)
        assert "England 43.1" in texts and "Dorset 41.2" in texts
        assert words in texts  # the legend names its period, or says it is not stated


def test_every_comparator_differs_by_colour_dash_and_marker_with_a_legend() -> None:
    refs = (Reference("England", points=((1.0, 40.0, "Q1"), (4.0, 42.0, "Q2"))),
            Reference("South West", points=((1.0, 38.0, "Q1"), (4.0, 39.0, "Q2"))),
            Reference("Neighbours", points=((1.0, 45.0, "Q1"), (4.0, 44.0, "Q2"))))
    chart = line_chart(LineChartInput(id="c", title="T", unit=Unit("rate", per=10_000),
                                      points=_points([41.0, 43.0]), references=refs))
    root = _parse(chart.svg)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 3
    assert len({ln.get("stroke") for ln in lines}) == 3  # colour
    assert len({ln.get("stroke-dasharray") for ln in lines}) == 3  # line style
    markers = {}
    for shape in ("rect", "polygon", "circle"):
        for el in root.iter(f"{SVG}{shape}"):
            if el.get("stroke") in {ln.get("stroke") for ln in lines}:
                markers.setdefault(el.get("stroke"), set()).add(shape if shape != "polygon" else
                                                               len((el.get("points") or "").split()))
    assert len({frozenset(v) for v in markers.values()}) == 3  # marker shape
    assert all(contrast_ratio(str(ln.get("stroke"))) >= 3 for ln in lines)  # non-text contrast (WCAG 1.4.11)
    key = root.find(f"{SVG}g[@class='key']")
    assert key is not None
    legend = ["".join(t.itertext()) for t in key.iter(f"{SVG}text")]
    assert legend[:4] == ["Dorset", "England", "South West", "Neighbours"]
    # each legend entry shows its line style
    key_lines = {ln.get("stroke"): ln.get("stroke-dasharray") for ln in key.iter(f"{SVG}line")}
    assert all(key_lines[ln.get("stroke")] == ln.get("stroke-dasharray") for ln in lines)


def test_the_phone_chart_has_text_of_12_px_or_more_at_its_own_width() -> None:
    refs = (Reference("England", 43.1),)
    chart = line_chart(LineChartInput(id="n", title="T", unit=Unit("rate", per=10_000), narrow=True,
                                      points=_points([58.5, 32.8, 40.0, 41.2, 39.0, 38.5, 37.0, 36.2]),
                                      references=refs, spc=SpcLimits(40.0, 30.0, 50.0)))
    root = _parse(chart.svg)
    assert root.get("viewBox") == "0 0 320 240" and root.get("width") == "320"  # a phone's column, or less
    base = float(root.get("font-size", 0))
    sizes = [float(t.get("font-size") or base) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 12


def test_benchmark_observations_are_drawn_as_a_line(report_view: Any) -> None:
    chart = next(c for c in report_view.charts if c.id == "chart-persistent-absence-secondary")
    root = _parse(chart.svg)
    lines = list(root.iter(f"{SVG}polyline"))  # England's series (South West is one value: a mark)
    assert len(lines) == 1 and lines[0].get("stroke-dasharray")
    assert len([ln for ln in root.iter(f"{SVG}line") if ln.get("class") == "single-value"]) == 1
    assert "England 13.5%" in _texts(root)
    assert chart.table is not None and "England" in chart.table.columns


def test_confidence_intervals_are_drawn_and_tabled(report_view: Any) -> None:
    chart = next(c for c in report_view.charts if c.id == "chart-total-crime")
    root = _parse(chart.svg)
    assert any("95% confidence interval" in t for t in _texts(root))
    assert chart.table is not None and "95% confidence interval" in chart.table.columns
    assert "95% confidence interval for Q4 2017-18" in chart.desc


def test_target_is_drawn_when_set() -> None:
    chart = line_chart(LineChartInput(id="t", title="T", unit=Unit("percentage"), points=_points([84, 91]),
                                      references=(Reference("Target", 90, kind="target"),)))
    root = _parse(chart.svg)
    dotted = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke-dasharray") == "2 3"]
    assert dotted
    assert "Target 90%" in _texts(root)
    assert "Target: 90%." in chart.desc


def test_provisional_latest_is_hollow_and_labelled(report_view: Any) -> None:
    chart = next(c for c in report_view.charts if c.id == "chart-killed-seriously-injured")
    root = _parse(chart.svg)
    hollow = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#FFFFFF"]
    assert hollow
    assert "Dorset 218 (provisional)" in _texts(root)
    assert "The latest value is provisional." in chart.desc


def test_spc_limits_and_special_cause_shapes() -> None:
    values = [50, 52, 49, 51, 50, 48, 52, 51, 49, 50, 51, 50, 49, 52, 50, 75, 50, 51, 30, 50]
    special = {15: "concern", 18: "improvement"}
    chart = line_chart(LineChartInput(
        id="spc", title="Waiting", unit=Unit("percentage"), spc=SpcLimits(50.5, 45.1, 55.9),
        points=_points(values, special=lambda i: special.get(i, "")),
    ))
    root = _parse(chart.svg)
    texts = _texts(root)
    assert any(t.startswith("Upper limit 55.9") for t in texts)
    assert any(t.startswith("Lower limit 45.1") for t in texts)
    assert any(t.startswith("Mean 50.5") for t in texts)
    diamonds = [p for p in root.iter(f"{SVG}polygon") if p.get("fill") == PALETTE["concern"]]
    squares = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == PALETTE["improvement"]]
    assert len(diamonds) == 2 and len(squares) == 2  # one point each, one sample each in the marker key
    assert "special cause: concern" in texts and "special cause: improvement" in texts
    assert "process limits 45.1% to 55.9%" in chart.desc
    assert "Special-cause points: Q4 2016-17 (concern); Q3 2017-18 (improvement)." in chart.desc
    # an SPC chart is drawn around its limits, and says where its axis starts
    assert any("axis starts at" in t for t in texts)


def test_spc_is_drawn_for_a_long_quarterly_series(example: Any) -> None:
    """End to end: 20 quarters get an XmR judgement, and the report's chart shows its limits."""
    from outcomes.judge import judge_framework
    from outcomes.report import build_view

    fw = copy.deepcopy(example)
    series = next(s for s in fw.all_series() if s.id == "assaults")
    start = Period.parse("Q1 2013-14")
    values = [74, 76, 73, 75, 77, 74, 72, 75, 76, 74, 73, 75, 74, 76, 75, 73, 74, 75, 76, 99]
    series.observations = [Observation("assaults", "E10000009", start.shift(i), v) for i, v in enumerate(values)]
    judged = judge_framework(fw)
    assert judged.by_series_id["assaults"].trend.method == "spc-xmr"
    view = build_view(fw, judged, [])
    chart = next(c for c in view.charts if c.id == "chart-assaults")
    texts = _texts(_parse(chart.svg))
    assert any(t.startswith("Upper limit") for t in texts)
    assert "SPC chart: mean" in chart.desc
    assert "(concern)" in chart.desc  # 99 assaults, lower is better: special cause, concern


def test_polarity_decides_concern_or_improvement(example: Any) -> None:
    """Flipping the polarity turns the same outlying point from concern into improvement."""
    from outcomes.judge import judge_framework
    from outcomes.report import build_view

    fw = copy.deepcopy(example)
    series = next(s for s in fw.all_series() if s.id == "assaults")
    start = Period.parse("Q1 2013-14")
    values = [74, 76, 73, 75, 77, 74, 72, 75, 76, 74, 73, 75, 74, 76, 75, 73, 74, 75, 76, 99]
    series.observations = [Observation("assaults", "E10000009", start.shift(i), v) for i, v in enumerate(values)]
    series.polarity = Polarity.HIGHER_IS_BETTER
    series.target = Target(80)
    view = build_view(fw, judge_framework(fw), [])
    chart = next(c for c in view.charts if c.id == "chart-assaults")
    assert "(improvement)" in chart.desc
    assert "Target: 80." in chart.desc


def test_a_gap_in_the_periods_is_drawn_dotted(report_view: Any) -> None:
    chart = next(c for c in report_view.charts if c.id == "chart-defects-cat2-28-days")
    root = _parse(chart.svg)
    series_lines = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke") == PALETTE["series"]]
    assert any(ln.get("stroke-dasharray") for ln in series_lines)  # Q4 2016-17 to Q3 2017-18: 2 quarters missing
    assert any(not ln.get("stroke-dasharray") for ln in series_lines)


# ---------------------------------------------------------------------------------------------- colour


def test_palette_contrast() -> None:
    for role in ("series", "comparator", "target", "limits", "improvement", "concern", "axis"):
        assert contrast_ratio(PALETTE[role]) >= 3.0, role  # graphics: 3:1 against white
    for role in ("text", "muted"):
        assert contrast_ratio(PALETTE[role]) >= 4.5, role
    for letter, (fill, ink) in RAG_COLOURS.items():
        assert contrast_ratio(ink, fill) >= 4.5, letter  # the letter printed on each RAG fill


def test_no_meaning_by_colour_alone_in_the_html(report_html: str) -> None:
    # every RAG badge carries its letter (or a dash) as text
    badges = re.findall(r'<span class="rag rag-(R|A|G|none)"[^>]*>([^<]*)</span>', report_html)
    assert badges
    for css, text in badges:
        assert text == (css if css != "none" else "–")


def test_nice_ticks_cover_the_range() -> None:
    for low, high in ((0, 1), (0, 7.3), (0, 96.9), (45.1, 75), (0, 4961)):
        ticks = nice_ticks(low, high)
        assert ticks[0] <= low and ticks[-1] >= high
        assert 2 <= len(ticks) <= 8
