"""Inline SVG: sparklines for the scorecard and a line chart for the indicator page.

Text stays text, every ``<svg>`` has a ``<title>`` as its first child (and the chart a ``<desc>``
listing the values), so screen readers and the text-only view get the figures. Colours are not the
only carrier of meaning: the benchmark is dashed and named in the legend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Point = tuple[str, float | None]  # (period label, value)


def _nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    if not math.isfinite(lo) or not math.isfinite(hi):
        return [0.0]
    if hi == lo:
        pad = abs(hi) * 0.1 or 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(1, count - 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    v = start
    while v <= hi + step * 0.5:
        ticks.append(round(v, 10))
        v += step
    return ticks


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def sparkline(points: Sequence[Point], *, title: str, width: int = 120, height: int = 32) -> str:
    """A small line of the values, the latest point marked; ``title`` says what it shows."""
    values = [(i, v) for i, (_, v) in enumerate(points) if v is not None]
    head = (f'<svg class="sparkline" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" focusable="false">'
            f"<title>{escape(title)}</title>")
    if len(values) < 2:
        return head + "</svg>"
    lo = min(v for _, v in values)
    hi = max(v for _, v in values)
    span = (hi - lo) or 1.0
    n = max(1, len(points) - 1)
    pad = 4

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * i / n
        y = height - pad - (height - 2 * pad) * (v - lo) / span if hi != lo else height / 2
        return x, y

    coords = [xy(i, v) for i, v in values]
    path = " ".join(f"{'M' if k == 0 else 'L'}{x:.1f},{y:.1f}" for k, (x, y) in enumerate(coords))
    lx, ly = coords[-1]
    return (head + f'<path d="{path}" fill="none" stroke="currentColor" stroke-width="1.5"/>'
            f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5" fill="currentColor"/></svg>')


@dataclass(frozen=True)
class Line:
    name: str
    points: Sequence[Point]
    dashed: bool = False


def line_chart(
    lines: Sequence[Line],
    *,
    title: str,
    desc: str,
    fmt: Callable[[float], str] = _num,
    axis_label: str = "",
    width: int = 640,
    height: int = 300,
    chart_id: str = "chart",
) -> str:
    """A line chart of one or more series over the same period labels (the first line's)."""
    labels = [label for label, _ in lines[0].points] if lines else []
    all_values = [v for line in lines for _, v in line.points if v is not None]
    head = (f'<svg class="tracker-chart" role="img" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false">'
            f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(desc)}</desc>')
    if not all_values or not labels:
        return head + (f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="chart-note">'
                       "No values to chart</text></svg>")
    left, right, top = 72, 16, 16
    bottom = 48 + (24 if len(lines) > 1 else 0)
    ticks = _nice_ticks(min(all_values), max(all_values))
    lo, hi = ticks[0], ticks[-1]
    if hi == lo:
        hi = lo + 1
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(1, len(labels) - 1)

    def x_at(i: int) -> float:
        return left + (plot_w * i / n if len(labels) > 1 else plot_w / 2)

    def y_at(v: float) -> float:
        return top + plot_h - plot_h * (v - lo) / (hi - lo)

    parts = [head]
    for t in ticks:
        y = y_at(t)
        parts.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
                     f'<text class="tick" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(fmt(t))}</text>')
    step = max(1, math.ceil(len(labels) / 8))
    for i, label in enumerate(labels):
        if i % step and i != len(labels) - 1:
            continue
        parts.append(f'<text class="tick" x="{x_at(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle">'
                     f"{escape(label)}</text>")
    if axis_label:
        parts.append(f'<text class="axis-label" x="{left}" y="{top + plot_h + 40}">{escape(axis_label)}</text>')
    index = {label: i for i, label in enumerate(labels)}
    for k, line in enumerate(lines):
        pts = [(index[label], v) for label, v in line.points if v is not None and label in index]
        cls = f"series series-{k}" + (" dashed" if line.dashed else "")
        if len(pts) > 1:
            d = " ".join(f"{'M' if j == 0 else 'L'}{x_at(i):.1f},{y_at(v):.1f}" for j, (i, v) in enumerate(pts))
            parts.append(f'<path class="{cls}" d="{d}" fill="none"/>')
        for i, v in pts:
            parts.append(f'<circle class="{cls} point" cx="{x_at(i):.1f}" cy="{y_at(v):.1f}" r="3.5"/>')
    if len(lines) > 1:  # legend: line style and name, so colour is not the only key
        x = left
        for k, line in enumerate(lines):
            cls = f"series series-{k}" + (" dashed" if line.dashed else "")
            y = top + plot_h + 62
            parts.append(f'<line class="{cls}" x1="{x}" x2="{x + 24}" y1="{y}" y2="{y}"/>'
                         f'<text class="legend" x="{x + 30}" y="{y + 4}">{escape(line.name)}</text>')
            x += 40 + 8 * len(line.name)
    parts.append("</svg>")
    return "".join(parts)
