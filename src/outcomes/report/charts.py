"""SVG charts made in-process: a line chart for a series, a small bar chart for a RAG breakdown and a
funnel plot of one indicator across areas.

Hand-written SVG (see ``docs/adr/0001-charts.md``): every chart is a string of markup whose first
child is a ``<title>`` (the PDF's alternative text comes from it) followed by a ``<desc>`` that says in
words what the chart shows, with text kept as ``<text>`` and the figures also returned as a
:class:`FigureTable` for an HTML table beside the chart.

The charts follow the Government Analysis Function guidance: direct labels at each line's end (and a
legend naming each line's style when there are comparators), no chart junk, labelled axes and periods, a y axis from zero for counts and bars (a line chart of a rate
or percentage that sits far from zero says where its axis starts), and a colour-blind-safe palette
where no meaning is carried by colour alone (special-cause points differ by shape, comparators by
dash pattern and marker as well as colour, and every line is named at its end).

The module holds the bar chart and the funnel plot; the shared parts are in :mod:`.chart_parts` and
the line chart in :mod:`.chart_line` (re-exported here, so ``outcomes.report.charts`` keeps every name).

Nothing here knows about frameworks or judgements: :mod:`outcomes.report.view` turns those into the
plain inputs below.

>>> from outcomes.model import Unit
>>> chart = line_chart(LineChartInput(
...     id="cp", title="Children subject to a child protection plan", unit=Unit("rate", per=10_000),
...     points=(ChartPoint("16-17", "2016-17", 24, 58.5), ChartPoint("17-18", "2017-18", 36, 32.8)),
...     references=(Reference("England", value=43.1),)))
>>> chart.svg.startswith('<svg') and '<title id="cp-title">' in chart.svg
True
>>> chart.desc
'Fell from 58.5 per 10,000 in 2016-17 to 32.8 per 10,000 in 2017-18. England: 43.1 per 10,000.'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from outcomes.model import Unit

from .chart_line import _Frame, _marker

# The line chart and the parts every chart shares live beside this module and are re-exported here
# (ADR 0011), so ``outcomes.report.charts`` keeps every name.
from .chart_line import describe_series as describe_series
from .chart_line import figure_table as figure_table
from .chart_line import line_chart as line_chart
from .chart_parts import COMPARATOR_STYLES as COMPARATOR_STYLES
from .chart_parts import FONT as FONT
from .chart_parts import NARROW_FONT as NARROW_FONT
from .chart_parts import NARROW_HEIGHT as NARROW_HEIGHT
from .chart_parts import NARROW_WIDTH as NARROW_WIDTH
from .chart_parts import PALETTE as PALETTE
from .chart_parts import RAG_COLOURS as RAG_COLOURS
from .chart_parts import BarItem as BarItem
from .chart_parts import Chart as Chart
from .chart_parts import ChartPoint as ChartPoint
from .chart_parts import FigureTable as FigureTable
from .chart_parts import LineChartInput as LineChartInput
from .chart_parts import Reference as Reference
from .chart_parts import SpcLimits as SpcLimits
from .chart_parts import _e, _n, _spread, _text_width, _tick_text
from .chart_parts import axis_title as axis_title
from .chart_parts import common_decimals as common_decimals
from .chart_parts import contrast_ratio as contrast_ratio
from .chart_parts import nice_ticks as nice_ticks
from .chart_parts import responsive_charts as responsive_charts
from .chart_parts import short_value as short_value
from .chart_parts import value_text as value_text

__all__ = [
    "PALETTE",
    "RAG_COLOURS",
    "BarItem",
    "Chart",
    "ChartPoint",
    "FigureTable",
    "FunnelChartInput",
    "FunnelPoint",
    "LineChartInput",
    "Reference",
    "SpcLimits",
    "bar_chart",
    "contrast_ratio",
    "funnel_chart",
    "line_chart",
    "nice_ticks",
    "responsive_charts",
]


# --------------------------------------------------------------------------------------------------
# Bar chart (RAG breakdown)


def bar_chart(*, id: str, title: str, items: Sequence[BarItem], total_label: str = "",
              category: str = "Rating") -> Chart:
    """A small horizontal bar chart of counts (from zero), each bar named and counted directly.

    >>> c = bar_chart(id="b", title="Trend", items=[BarItem("Improving", 4, "G"), BarItem("Worsening", 2, "R")])
    >>> c.desc
    'Trend: 4 improving (G), 2 worsening (R).'
    """
    font = 12.0
    row = 22.0
    label_width = max([_text_width(f"{i.letter}  {i.label}", font) for i in items] + [40.0]) + 30
    bar_room = 150.0
    width = int(label_width + bar_room + 40)
    height = int(row * len(items) + 8)
    most = max([i.count for i in items] + [1])
    desc_items = ", ".join(f"{i.count} {i.label.lower()}" + (f" ({i.letter})" if i.letter and i.badge else "")
                           for i in items)
    desc = f"{title}: {desc_items}."
    if total_label:
        desc = f"{title} ({total_label}): {desc_items}."
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart chart-bar" id="{_e(id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{_e(id)}-title {_e(id)}-desc" font-family="{_e(FONT)}" font-size="{_n(font)}" '
        f'fill="{PALETTE["text"]}">',
        f'<title id="{_e(id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(id)}-desc">{_e(desc)}</desc>',
    ]
    for index, item in enumerate(items):
        y = 4 + index * row
        fill, ink = RAG_COLOURS.get(item.colour_key, RAG_COLOURS[""])
        if item.badge:
            out.append(f'<rect x="0" y="{_n(y + 2)}" width="18" height="16" rx="2" fill="{fill}" '
                       f'stroke="{PALETTE["text"]}" stroke-width="0.8"/>')
            out.append(f'<text x="9" y="{_n(y + 14)}" text-anchor="middle" font-weight="bold" fill="{ink}">'
                       f'{_e(item.letter or "–")}</text>')
        out.append(f'<text x="{24 if item.badge else 0}" y="{_n(y + 14)}">{_e(item.label)}</text>')
        length = bar_room * item.count / most
        if item.count:
            out.append(f'<rect x="{_n(label_width)}" y="{_n(y + 3)}" width="{_n(length)}" height="14" '
                       f'fill="{fill}" stroke="{PALETTE["text"]}" stroke-width="0.8"/>')
        out.append(f'<text x="{_n(label_width + length + 6)}" y="{_n(y + 14)}" font-weight="bold">'
                   f'{item.count}</text>')
    out.append(f'<line x1="{_n(label_width)}" x2="{_n(label_width)}" y1="2" y2="{_n(height - 2)}" '
               f'stroke="{PALETTE["axis"]}"/>')
    out.append("</svg>")
    table = FigureTable(title, (category, "Number"), tuple(
        (f"{i.label}" + (f" ({i.letter})" if i.letter and i.badge else ""), (str(i.count),)) for i in items))
    return Chart(id, "".join(out), title, desc, table, width, height)




# --------------------------------------------------------------------------------------------------
# Funnel plot


@dataclass(frozen=True)
class FunnelPoint:
    """One area on a funnel plot: its value (on the output scale) and its denominator."""

    name: str
    denominator: float
    value: float
    home: bool = False


@dataclass(frozen=True)
class FunnelChartInput:
    """A funnel plot of one indicator across areas (``statistic`` as :func:`outcomes.stats.funnel_limits`).

    ``baseline`` is the average the funnel is drawn around (e.g. the group's pooled value), on the
    output scale; ``multiplier`` says what the values are per (100 for percentages).
    """

    id: str
    title: str
    unit: Unit
    statistic: str  # proportion | rate | ratio
    baseline: float
    points: tuple[FunnelPoint, ...]
    multiplier: float = 100
    baseline_label: str = "Average"
    denominator_label: str = "Denominator"


_FUNNEL_POSITION = {
    2: "above the 99.8% limit",
    1: "above the 95% limit",
    0: "within the 95% limits",
    -1: "below the 95% limit",
    -2: "below the 99.8% limit",
}


def _funnel_position(value: float, lower95: float, upper95: float, lower998: float, upper998: float) -> int:
    if value > upper998:
        return 2
    if value > upper95:
        return 1
    if value < lower998:
        return -2
    if value < lower95:
        return -1
    return 0


def funnel_chart(spec: FunnelChartInput) -> Chart:
    """A funnel plot: each area's value against its denominator, inside 95% and 99.8% control limits.

    The limits are those of :func:`outcomes.stats.funnel_limits` (PHE/OHID method) around the
    baseline. The home area is a larger filled diamond, named on the chart; other areas are hollow
    circles. The ``<desc>`` and the table say where each area lies, so nothing depends on seeing it.

    >>> from outcomes.model import Unit
    >>> c = funnel_chart(FunnelChartInput(
    ...     id="f", title="Re-referrals", unit=Unit("percentage"), statistic="proportion", baseline=22.0,
    ...     points=(FunnelPoint("Dorset", 800, 30.0, home=True), FunnelPoint("Devon", 1500, 21.0),
    ...             FunnelPoint("Kent", 3000, 22.5))))
    >>> c.svg.startswith('<svg') and c.svg.index('<title') < c.svg.index('<desc')
    True
    >>> c.desc.split(". ")[0]
    'Dorset 30.0% (denominator 800) is above the 99.8% limit of the funnel around Average 22.0%'
    >>> c.table.rows[0]
    ('Dorset (this area)', ('800', '30.0%', '19.1%–24.9%', '17.5%–26.5%', 'above the 99.8% limit'))
    """
    from outcomes.stats import funnel_limits  # the report draws on the statistics layer

    unit = spec.unit
    points = tuple(p for p in spec.points if math.isfinite(p.value) and p.denominator > 0)
    decimals = common_decimals([p.value for p in points] + [spec.baseline])
    if unit.decimals is not None:
        decimals = unit.decimals
    at_points = funnel_limits([p.denominator for p in points], statistic=spec.statistic, baseline=spec.baseline,
                              multiplier=spec.multiplier)
    limits = [
        tuple(float(x) for x in row)
        for row in zip(at_points.lower95, at_points.upper95, at_points.lower998, at_points.upper998, strict=True)
    ] if points else []
    positions = [_funnel_position(p.value, *lim) for p, lim in zip(points, limits, strict=True)]

    # ---- words and table ----------------------------------------------------------------------------
    def v(x: float) -> str:
        return short_value(unit, x, decimals)

    base = f"{spec.baseline_label} {v(spec.baseline)}"
    sentences = []
    for p, pos in zip(points, positions, strict=True):
        if p.home:
            sentences.append(f"{p.name} {v(p.value)} ({spec.denominator_label.lower()} {p.denominator:,.0f}) is "
                             f"{_FUNNEL_POSITION[pos]} of the funnel around {base}")
    outside998 = sum(1 for pos in positions if abs(pos) == 2)
    outside95 = sum(1 for pos in positions if abs(pos) >= 1)
    sentences.append(f"Of {len(points)} areas, {outside95} lie outside the 95% limits and {outside998} outside "
                     "the 99.8% limits")
    desc = ". ".join(sentences) + "."
    order = sorted(range(len(points)), key=lambda i: (not points[i].home, points[i].denominator))
    table = FigureTable(
        spec.title,
        ("Area", spec.denominator_label, "Value", "95% limits", "99.8% limits", "Position"),
        tuple(
            (
                points[i].name + (" (this area)" if points[i].home else ""),
                (
                    f"{points[i].denominator:,.0f}",
                    v(points[i].value),
                    f"{v(limits[i][0])}–{v(limits[i][1])}",
                    f"{v(limits[i][2])}–{v(limits[i][3])}",
                    _FUNNEL_POSITION[positions[i]],
                ),
            )
            for i in order
        ),
    )

    # ---- frame ----------------------------------------------------------------------------------------
    width, height, font = 680, 320, 12.5
    dens = [p.denominator for p in points] or [1.0]
    x_ticks = nice_ticks(0, max(dens) * 1.05)
    grid = np.geomspace(max(min(dens) * 0.5, x_ticks[-1] / 400), x_ticks[-1], 120) if points else np.array([1.0])
    curve = funnel_limits(grid, statistic=spec.statistic, baseline=spec.baseline, multiplier=spec.multiplier)
    ys = [p.value for p in points] + [spec.baseline]
    ys += [lim for row in limits for lim in (row[2], row[3])]
    y_ticks = nice_ticks(min(ys), max(ys)) if min(ys) < 0 else nice_ticks(0, max(ys))
    y_low, y_high = y_ticks[0], y_ticks[-1]
    step = y_ticks[1] - y_ticks[0] if len(y_ticks) > 1 else 1.0
    left = max(_text_width(_tick_text(t, unit, step), font) for t in y_ticks) + 14
    labels = [("99.8% limits", float(curve.upper998[-1])), ("95% limits", float(curve.upper95[-1])),
              (base, spec.baseline)]
    right = max(_text_width(t, font - 0.5) for t, _ in labels) + 16
    frame = _Frame(width, height, left, right, 30.0, 50.0, 0.0, x_ticks[-1], y_low, y_high, font)

    def fx(x: float) -> float:  # linear from zero, no padding: the funnel starts at the axis
        return frame.left + x / x_ticks[-1] * (frame.plot_right - frame.left)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart chart-funnel" id="{_e(spec.id)}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{_e(spec.id)}-title {_e(spec.id)}-desc" font-family="{_e(FONT)}" '
        f'font-size="{_n(font)}" fill="{PALETTE["text"]}">',
        f'<title id="{_e(spec.id)}-title">{_e(spec.title)}</title>',
        f'<desc id="{_e(spec.id)}-desc">{_e(desc)}</desc>',
        f'<defs><clipPath id="{_e(spec.id)}-plot"><rect x="{_n(frame.left)}" y="{_n(frame.top)}" '
        f'width="{_n(frame.plot_right - frame.left)}" height="{_n(frame.plot_bottom - frame.top)}"/></clipPath></defs>',
        f'<text x="4" y="{_n(frame.top - 12)}" fill="{PALETTE["muted"]}" class="axis-title">{_e(axis_title(unit))}</text>',
    ]
    for t in y_ticks:
        y = frame.y(t)
        out.append(f'<line x1="{_n(frame.left)}" x2="{_n(frame.plot_right)}" y1="{_n(y)}" y2="{_n(y)}" '
                   f'stroke="{PALETTE["grid"]}"/>')
        out.append(f'<text x="{_n(frame.left - 6)}" y="{_n(y + 4)}" text-anchor="end">{_e(_tick_text(t, unit, step))}'
                   "</text>")
    x_step = x_ticks[1] - x_ticks[0] if len(x_ticks) > 1 else 1.0
    for t in x_ticks:
        x = fx(t)
        out.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(frame.plot_bottom)}" y2="{_n(frame.plot_bottom + 4)}" '
                   f'stroke="{PALETTE["axis"]}"/>')
        out.append(f'<text x="{_n(x)}" y="{_n(frame.plot_bottom + 18)}" text-anchor="middle">'
                   f'{_e(_tick_text(t, Unit("number"), x_step))}</text>')
    out.append(f'<line x1="{_n(frame.left)}" x2="{_n(frame.plot_right)}" y1="{_n(frame.plot_bottom)}" '
               f'y2="{_n(frame.plot_bottom)}" stroke="{PALETTE["axis"]}"/>')
    out.append(f'<text x="{_n((frame.left + frame.plot_right) / 2)}" y="{_n(height - 8)}" text-anchor="middle" '
               f'fill="{PALETTE["muted"]}" class="axis-title">{_e(spec.denominator_label)}</text>')

    # ---- limits and baseline ---------------------------------------------------------------------------
    def path(values: np.ndarray) -> str:
        pts = [(fx(float(x)), frame.y(float(y))) for x, y in zip(grid, values, strict=True) if math.isfinite(y)]
        return "M" + " L".join(f"{_n(a)},{_n(b)}" for a, b in pts) if pts else ""

    clip = f'clip-path="url(#{_e(spec.id)}-plot)"'
    for values, dash, name in ((curve.upper998, "7 4", "99.8"), (curve.lower998, "7 4", "99.8"),
                               (curve.upper95, "2 3", "95"), (curve.lower95, "2 3", "95")):
        d = path(values)
        if d:
            out.append(f'<path d="{d}" fill="none" stroke="{PALETTE["limits"]}" stroke-width="1.3" '
                       f'stroke-dasharray="{dash}" {clip} class="funnel-limit-{name}"/>')
    yb = frame.y(spec.baseline)
    out.append(f'<line x1="{_n(frame.left)}" x2="{_n(frame.plot_right)}" y1="{_n(yb)}" y2="{_n(yb)}" '
               f'stroke="{PALETTE["comparator"]}" stroke-width="1.5"/>')
    wanted = [frame.y(min(max(value, y_low), y_high)) + 4 for _, value in labels]
    for (text, _), y in zip(labels, _spread(wanted, font + 1, frame.top, frame.plot_bottom + 4), strict=True):
        out.append(f'<text x="{_n(frame.plot_right + 6)}" y="{_n(y)}" '
                   f'font-size="{_n(font - 0.5)}" fill="{PALETTE["muted"]}">{_e(text)}</text>')

    # ---- areas -----------------------------------------------------------------------------------------
    for p in sorted(points, key=lambda q: q.home):  # home last: drawn on top
        cx, cy = fx(p.denominator), frame.y(min(max(p.value, y_low), y_high))
        if p.home:
            out.append(_marker("diamond", cx, cy, 6.0, PALETTE["series"], PALETTE["series"]))
            anchor = "end" if cx > (frame.left + frame.plot_right) / 2 else "start"
            dx = -10 if anchor == "end" else 10
            out.append(f'<text x="{_n(cx + dx)}" y="{_n(cy - 8)}" text-anchor="{anchor}" font-weight="bold" '
                       f'fill="{PALETTE["series"]}">{_e(p.name)} {_e(v(p.value))}</text>')
        else:
            out.append(_marker("circle", cx, cy, 3.6, PALETTE["muted"], PALETTE["muted"], hollow=True))
    out.append("</svg>")
    return Chart(spec.id, "".join(out), spec.title, desc, table, width, height)
