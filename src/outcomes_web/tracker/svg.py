"""Inline SVG sparklines for the scorecard (the indicator page draws the report's own chart, through
the adapter). Every ``<svg>`` has a ``<title>`` as its first child saying what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

Point = tuple[str, float | None]  # (period label, value)


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
