"""SVG charts made in-process: a line chart for a series, a small bar chart for a RAG breakdown and a
funnel plot of one indicator across areas.

Hand-written SVG (see ``docs/adr/0001-charts.md``): every chart is a string of markup whose first
child is a ``<title>`` (the PDF's alternative text comes from it) followed by a ``<desc>`` that says in
words what the chart shows, with text kept as ``<text>`` and the figures also returned as a
:class:`FigureTable` for an HTML table beside the chart.

The charts follow the Government Analysis Function guidance: direct labels instead of legends, no
chart junk, labelled axes and periods, a y axis from zero for counts and bars (a line chart of a rate
or percentage that sits far from zero says where its axis starts), and a colour-blind-safe palette
where no meaning is carried by colour alone (special-cause points differ by shape, comparators by
dash pattern, and every line is named at its end).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

import numpy as np

from outcomes.model import Unit

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

#: Government Analysis Function categorical palette (colour-blind safe), by role in a chart.
PALETTE: dict[str, str] = {
    "series": "#12436D",  # dark blue: the home area's series
    "comparator": "#801650",  # dark pink, dashed: benchmarks
    "target": "#3D3D3D",  # dark grey, dotted: the target
    "limits": "#3D3D3D",  # dark grey, dashed: SPC process limits (mean solid)
    "improvement": "#28A197",  # turquoise squares: special cause, improvement
    "concern": "#F46A25",  # orange diamonds: special cause, concern
    "neutral": "#A285D1",  # light purple triangles: special cause where no direction is better
    "text": "#0B0C0C",
    "muted": "#505A5F",
    "grid": "#DCDDDE",
    "axis": "#505A5F",
}

#: RAG fills: letters are always printed on them; bars carry a dark outline for 3:1 against white.
RAG_COLOURS: dict[str, tuple[str, str]] = {  # letter -> (fill, text colour)
    "R": ("#B3261E", "#FFFFFF"),
    "A": ("#FFBF47", "#0B0C0C"),
    "G": ("#00703C", "#FFFFFF"),
    "": ("#F3F2F1", "#0B0C0C"),
}

FONT = "'Liberation Sans', Arial, Helvetica, sans-serif"

#: Each comparator's line: colour, dash pattern and marker, all three different from every other
#: comparator's, so none is told apart by colour alone. The first is the palette's comparator colour;
#: the rest are Okabe–Ito's colour-blind-safe hues (each at least 3:1 against white, WCAG 1.4.11).
COMPARATOR_STYLES: tuple[tuple[str, str, str], ...] = (  # (colour, stroke-dasharray, marker)
    (PALETTE["comparator"], "7 4", "square"),
    ("#0072B2", "12 3 3 3", "triangle"),
    ("#D55E00", "3 3", "diamond"),
    ("#009E73", "10 3 2 3 2 3", "circle"),
    ("#3D3D3D", "1 3", "square"),
)
#: the narrow (phone) chart: drawn at about the width a phone shows it, so its smallest text is 12 px
NARROW_WIDTH, NARROW_HEIGHT, NARROW_FONT = 340, 250, 14.0


# --------------------------------------------------------------------------------------------------
# Inputs and outputs


@dataclass(frozen=True)
class ChartPoint:
    """One value on the chart. ``x`` is a position in months (the period's end), so gaps show.

    ``joined`` is False when the period before it is missing: the segment is drawn dotted.
    ``special`` is "", "improvement", "concern" or "neutral" (an SPC special-cause point).
    """

    label: str  # short period label for the axis: "Q4 17-18"
    long_label: str  # the period in full for the description and table: "Q4 2017-18"
    x: float
    value: float | None
    lower: float | None = None
    upper: float | None = None
    provisional: bool = False
    special: str = ""
    joined: bool = True


@dataclass(frozen=True)
class Reference:
    """A comparator or target: either one ``value`` (a reference line) or ``points`` by ``x``."""

    name: str
    value: float | None = None
    period_label: str = ""  # for a single value: its period, or "" when unstated
    points: tuple[tuple[float, float, str], ...] = ()  # (x, value, long period label)
    kind: str = "comparator"  # comparator | target


@dataclass(frozen=True)
class SpcLimits:
    mean: float
    lower: float
    upper: float
    trial: bool = False


@dataclass(frozen=True)
class LineChartInput:
    id: str  # unique in the document: ids inside the SVG are prefixed with it
    title: str
    unit: Unit
    points: tuple[ChartPoint, ...]
    home_name: str = "Dorset"
    references: tuple[Reference, ...] = ()
    spc: SpcLimits | None = None
    breaks: tuple[float, ...] = ()  # x positions of the first point after a change of definition
    small: bool = False
    y_title: str = ""
    narrow: bool = False  # the phone variant: NARROW_WIDTH wide, text at least 12 px when shown at that width


@dataclass(frozen=True)
class FigureTable:
    """The figures of a chart as a table: caption, column headers, rows of (row header, cells).

    >>> t = FigureTable("X", ("Period", "Dorset"), (("2016-17", ("58.5",)), ("2017-18", ("32.8",))))
    >>> t.transposed().columns, t.transposed().rows
    (('Period', '2016-17', '2017-18'), (('Dorset', ('58.5', '32.8')),))
    """

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]

    def transposed(self) -> FigureTable:
        """Periods across, one row per line drawn: the compact form for print."""
        columns = (self.columns[0], *(head for head, _ in self.rows))
        rows = tuple((name, tuple(cells[i] for _, cells in self.rows)) for i, name in enumerate(self.columns[1:]))
        return FigureTable(self.caption, columns, rows)

    def print_form(self, *, narrow: bool = False) -> FigureTable:
        """The table as printed: transposed (periods across) when that stays narrow enough."""
        most = 8 if narrow else 12
        return self.transposed() if len(self.rows) <= most else self


@dataclass(frozen=True)
class Chart:
    id: str
    svg: str
    title: str
    desc: str
    table: FigureTable | None = None
    width: int = 0
    height: int = 0


@dataclass(frozen=True)
class BarItem:
    """One bar: its label, count, the letter printed in its badge, and its RAG tone (default: the letter)."""

    label: str  # "Improving"
    count: int
    letter: str = ""  # printed in the badge: R | A | G | H | ... ("" prints a dash)
    tone: str | None = None  # R | A | G | "" (no colour); None: the letter's own
    badge: bool = True  # False: no badge (categories that are not ratings)

    @property
    def colour_key(self) -> str:
        return self.letter if self.tone is None else self.tone


# --------------------------------------------------------------------------------------------------
# Small helpers


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _n(x: float) -> str:
    """A coordinate with at most one decimal."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float) -> float:
    """A rough width of ``text`` in a sans-serif face at ``size`` px (for placing labels)."""
    wide = sum(1 for c in text if c in "MW%m@")
    narrow = sum(1 for c in text if c in "il.,:;'|!()[] -1")
    return size * (0.56 * (len(text) - wide - narrow) + 0.85 * wide + 0.3 * narrow)


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG contrast ratio between two ``#rrggbb`` colours.

    >>> round(contrast_ratio("#0B0C0C"), 1), round(contrast_ratio("#F46A25"), 2)
    (19.6, 3.03)
    """

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def nice_ticks(low: float, high: float, *, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high`` (about ``count`` of them).

    >>> nice_ticks(0, 61)
    [0.0, 20.0, 40.0, 60.0, 80.0]
    >>> nice_ticks(0, 4961)
    [0.0, 1000.0, 2000.0, 3000.0, 4000.0, 5000.0]
    >>> nice_ticks(80, 97)
    [80.0, 85.0, 90.0, 95.0, 100.0]
    """
    if not (math.isfinite(low) and math.isfinite(high)):
        return [0.0, 1.0]
    if high <= low:
        high = low + (abs(low) or 1.0)
    raw = (high - low) / max(count - 1, 1)
    exponent = math.floor(math.log10(raw))
    candidates = sorted(m * 10.0**e for e in (exponent - 1, exponent, exponent + 1) for m in (1, 2, 2.5, 5))

    def ticks_for(step: float) -> list[float]:
        value = math.floor(low / step + 1e-9) * step
        out = []
        while value < high - 1e-9 * step:
            out.append(round(value, 10))
            value += step
        out.append(round(value, 10))
        return out

    # the finest round step that needs no more than count + 2 ticks: the axis ends close above the data
    for step in candidates:
        ticks = ticks_for(step)
        if len(ticks) <= count + 2:
            break
    if len(ticks) < 2:
        ticks.append(round(ticks[-1] + step, 10))
    return [float(t) for t in ticks]


def _tick_text(value: float, unit: Unit, step: float) -> str:
    """A tick label with the decimals its step needs: '2.5', '40%', '1,000'.

    >>> [_tick_text(v, Unit("percentage"), 2.5) for v in (0, 2.5, 5)]
    ['0.0%', '2.5%', '5.0%']
    """
    decimals = common_decimals([step], cap=3)
    text = f"{value:,.{decimals}f}"
    if unit.type == "percentage":
        return f"{text}%"
    if unit.type == "currency":
        return f"{unit.currency}{text}"
    return text


def value_text(unit: Unit, value: float | None, decimals: int | None = None) -> str:
    """A value with its unit: '32.8 per 10,000', '28.9%', '4,776' ('no value' when missing)."""
    if value is None or not math.isfinite(value):
        return "no value"
    d = unit.decimals if unit.decimals is not None else decimals
    text = Unit(unit.type, unit.per, unit.currency, d).format(value)
    if unit.type == "rate" and unit.per:
        return f"{text} per {unit.per:,}"
    return text


def short_value(unit: Unit, value: float | None, decimals: int | None = None) -> str:
    """A value for a label on the chart: '32.8', '28.9%', '4,776'."""
    d = unit.decimals if unit.decimals is not None else decimals
    return Unit(unit.type, unit.per, unit.currency, d).format(value)


def common_decimals(values: Iterable[float | None], cap: int = 2) -> int:
    """The decimals needed to print all the values as given (at most ``cap``).

    >>> common_decimals([53, 59.4]), common_decimals([3553, 3766]), common_decimals([33.33, 28.7])
    (1, 0, 2)
    """
    most = 0
    for v in values:
        if v is None or not math.isfinite(v):
            continue
        text = f"{abs(v):.{cap}f}".rstrip("0")
        most = max(most, len(text) - text.index(".") - 1)
    return most


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Move label positions (in order of ``wanted``) apart by at least ``gap``, keeping them in range."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    placed = [wanted[i] for i in order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    overflow = placed[-1] - high if placed else 0
    if overflow > 0:
        placed = [p - overflow for p in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    placed = [max(p, low) for p in placed]
    out = [0.0] * len(wanted)
    for slot, i in enumerate(order):
        out[i] = placed[slot]
    return out


# --------------------------------------------------------------------------------------------------
# Line chart


@dataclass
class _Frame:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_low: float
    x_high: float
    y_low: float
    y_high: float
    font: float

    @property
    def plot_right(self) -> float:
        return self.width - self.right

    @property
    def plot_bottom(self) -> float:
        return self.height - self.bottom

    def x(self, value: float) -> float:
        if self.x_high == self.x_low:
            return (self.left + self.plot_right) / 2
        span = self.plot_right - self.left
        pad = span * (0.04 if span > 400 else 0.09)
        return self.left + pad + (value - self.x_low) / (self.x_high - self.x_low) * (span - 2 * pad)

    def y(self, value: float) -> float:
        fraction = (value - self.y_low) / (self.y_high - self.y_low)
        return self.plot_bottom - fraction * (self.plot_bottom - self.top)


def _marker(shape: str, cx: float, cy: float, r: float, fill: str, stroke: str, hollow: bool = False) -> str:
    paint = f'fill="{"#FFFFFF" if hollow else fill}" stroke="{stroke}" stroke-width="{1.6 if hollow else 1}"'
    if shape == "square":
        s = r * 1.7
        return f'<rect x="{_n(cx - s / 2)}" y="{_n(cy - s / 2)}" width="{_n(s)}" height="{_n(s)}" {paint}/>'
    if shape == "diamond":
        d = r * 1.45
        pts = f"{_n(cx)},{_n(cy - d)} {_n(cx + d)},{_n(cy)} {_n(cx)},{_n(cy + d)} {_n(cx - d)},{_n(cy)}"
        return f'<polygon points="{pts}" {paint}/>'
    if shape == "triangle":
        d = r * 1.5
        pts = f"{_n(cx)},{_n(cy - d)} {_n(cx + d)},{_n(cy + d * 0.8)} {_n(cx - d)},{_n(cy + d * 0.8)}"
        return f'<polygon points="{pts}" {paint}/>'
    return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(r)}" {paint}/>'


_SPECIAL = {  # special -> (shape, colour key, words)
    "improvement": ("square", "improvement", "special cause: improvement"),
    "concern": ("diamond", "concern", "special cause: concern"),
    "neutral": ("triangle", "neutral", "special cause"),
}


def _y_range(values: list[float], *, zoom: bool) -> tuple[float, float, bool]:
    """The y range and whether it starts at zero.

    From zero whenever the values are not negative, so a small change looks small; an SPC chart
    (``zoom``) is drawn around its process limits instead, and its axis title says where it starts.
    """
    low, high = min(values), max(values)
    if low >= 0 and not zoom:
        ticks = nice_ticks(0, high)
        return ticks[0], ticks[-1], True
    ticks = nice_ticks(low, high)
    return ticks[0], ticks[-1], ticks[0] == 0


def line_chart(spec: LineChartInput) -> Chart:
    """A line chart of one series with its comparators, interval, target and SPC limits."""
    unit = spec.unit
    observed = [p for p in spec.points if p.value is not None]
    decimals = common_decimals([p.value for p in spec.points] + [r.value for r in spec.references])
    title = spec.title
    desc = describe_series(spec, decimals)
    table = figure_table(spec, decimals)
    if spec.narrow:
        width, height, font = NARROW_WIDTH, NARROW_HEIGHT, NARROW_FONT
    else:
        width, height = (380, 190) if spec.small else (680, 290)
        font = 11.0 if spec.small else 12.5
    compact = spec.small or spec.narrow
    styles = _comparator_styles(spec)

    # ---- ranges ---------------------------------------------------------------------------------
    ys: list[float] = [p.value for p in observed if p.value is not None]
    ys += [v for p in observed for v in (p.lower, p.upper) if v is not None]
    for ref in spec.references:
        ys += [v for _, v, _ in ref.points]
        if ref.value is not None:
            ys.append(ref.value)
    if spec.spc:
        ys += [spec.spc.lower, spec.spc.upper, spec.spc.mean]
    if not ys:
        ys = [0.0, 1.0]
    y_low, y_high, from_zero = _y_range(ys, zoom=spec.spc is not None)
    xs = [p.x for p in spec.points] + [x for r in spec.references for x, _, _ in r.points]
    x_low, x_high = (min(xs), max(xs)) if xs else (0.0, 1.0)

    # ---- direct labels on the right (they set the right margin) ----------------------------------
    labels: list[tuple[str, float, str, str]] = []  # (text, value, colour, kind)
    last = observed[-1] if observed else None
    if last is not None and last.value is not None:
        flag = " (provisional)" if last.provisional and not compact else ""
        labels.append((f"{spec.home_name} {short_value(unit, last.value, decimals)}{flag}", last.value,
                       PALETTE["series"], "series"))
    for ref in spec.references:
        colour = PALETTE["target"] if ref.kind == "target" else styles[ref.name][0]
        if ref.points:
            labels.append((f"{ref.name} {short_value(unit, ref.points[-1][1], decimals)}", ref.points[-1][1],
                           colour, ref.kind))
        elif ref.value is not None:
            labels.append((f"{ref.name} {short_value(unit, ref.value, decimals)}", ref.value, colour, ref.kind))
    if spec.spc:
        s = spec.spc
        sd = _spc_decimals(s, decimals)
        labels += [
            (f"Upper limit {short_value(unit, s.upper, sd)}", s.upper, PALETTE["limits"], "limit"),
            (f"Mean {short_value(unit, s.mean, sd)}", s.mean, PALETTE["limits"], "limit"),
            (f"Lower limit {short_value(unit, s.lower, sd)}", s.lower, PALETTE["limits"], "limit"),
        ]
    keys = _keys(spec)
    legend = _legend(spec, styles)
    label_font = font - 0.5
    right = max([_text_width(t, label_font) for t, *_ in labels] + [20.0]) + 16
    ticks = nice_ticks(y_low, y_high)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    left = max(_text_width(_tick_text(t, unit, step), font) for t in ticks) + 14
    top = 30.0 if not compact else 24.0
    key_font = font - 1.5
    key_start = 8.0 if spec.narrow else left  # a phone's legend uses the whole width
    key_rows = _key_rows(keys, legend, key_font, key_start, width)
    bottom = (34.0 if not compact else 28.0) + (key_font + 4.5) * len(key_rows)
    frame = _Frame(width, height, left, right, top, bottom, x_low, x_high, y_low, y_high, font)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart{" chart-small" if spec.small else ""}{" chart-phone" if spec.narrow else ""}" '
        f'id="{_e(spec.id)}" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{_e(spec.id)}-title {_e(spec.id)}-desc" font-family="{_e(FONT)}" '
        f'font-size="{_n(font)}" fill="{PALETTE["text"]}">',
        f'<title id="{_e(spec.id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(spec.id)}-desc">{_e(desc)}</desc>',
    ]

    # ---- axes and grid --------------------------------------------------------------------------
    y_title = spec.y_title or axis_title(unit)
    out.append(f'<text x="{_n(4)}" y="{_n(top - 12)}" fill="{PALETTE["muted"]}" class="axis-title">'
               f'{_e(y_title)}{"" if from_zero else f" (axis starts at {_tick_text(y_low, unit, step)})"}</text>')
    out.append('<g class="grid">')
    for t in ticks:
        y = frame.y(t)
        out.append(f'<line x1="{_n(left)}" x2="{_n(frame.plot_right)}" y1="{_n(y)}" y2="{_n(y)}" '
                   f'stroke="{PALETTE["grid"] if t != 0 else PALETTE["axis"]}" stroke-width="1"/>')
        out.append(f'<text x="{_n(left - 6)}" y="{_n(y + font * 0.35)}" text-anchor="end" '
                   f'fill="{PALETTE["muted"]}">{_e(_tick_text(t, unit, step))}</text>')
    out.append("</g>")
    out.append(f'<line x1="{_n(left)}" x2="{_n(frame.plot_right)}" y1="{_n(frame.plot_bottom)}" '
               f'y2="{_n(frame.plot_bottom)}" stroke="{PALETTE["axis"]}" stroke-width="1"/>')

    # x labels: thinned so they do not collide, the last always shown
    if spec.points:
        room = (frame.plot_right - left) / max(len(spec.points), 1)
        widest = max(_text_width(p.label, font - 1) for p in spec.points) + 8
        every = max(1, math.ceil(widest / max(room, 1)))
        out.append('<g class="x-labels">')
        count = len(spec.points)
        for i, p in enumerate(spec.points):
            if (count - 1 - i) % every:
                continue
            x = frame.x(p.x)
            out.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(frame.plot_bottom)}" '
                       f'y2="{_n(frame.plot_bottom + 4)}" stroke="{PALETTE["axis"]}"/>')
            half = _text_width(p.label, font - 1) / 2
            centre = min(max(x, half + 2), width - half - 2)  # keep edge labels inside the chart
            out.append(f'<text x="{_n(centre)}" y="{_n(frame.plot_bottom + font + 5)}" text-anchor="middle" '
                       f'font-size="{_n(font - 1)}" fill="{PALETTE["muted"]}">{_e(p.label)}</text>')
        out.append("</g>")

    # ---- breaks in the series ---------------------------------------------------------------------
    for brk in spec.breaks:
        earlier = [p.x for p in spec.points if p.x < brk]
        if not earlier:
            continue
        x = (frame.x(max(earlier)) + frame.x(brk)) / 2
        out.append(f'<line x1="{_n(x)}" x2="{_n(x)}" y1="{_n(top)}" y2="{_n(frame.plot_bottom)}" '
                   f'stroke="{PALETTE["muted"]}" stroke-dasharray="2 3"/>')
        out.append(f'<text x="{_n(x + 3)}" y="{_n(top + font)}" font-size="{_n(font - 1.5)}" '
                   f'fill="{PALETTE["muted"]}">Definition changed</text>')

    # ---- SPC limits -------------------------------------------------------------------------------
    if spec.spc:
        s = spec.spc
        out.append('<g class="spc">')
        for value, dash in ((s.upper, "6 4"), (s.lower, "6 4"), (s.mean, "")):
            y = frame.y(value)
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(f'<line x1="{_n(left)}" x2="{_n(frame.plot_right)}" y1="{_n(y)}" y2="{_n(y)}" '
                       f'stroke="{PALETTE["limits"]}" stroke-width="1.2"{dashed}/>')
        out.append("</g>")

    # ---- comparators and target -----------------------------------------------------------------
    for ref in spec.references:
        if ref.kind == "target":
            colour, dash, shape = PALETTE["target"], "2 3", ""
        else:
            colour, dash, shape = styles[ref.name]
        if ref.points:
            coords = " ".join(f"{_n(frame.x(x))},{_n(frame.y(v))}" for x, v, _ in ref.points)
            out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2" '
                       f'stroke-dasharray="{dash}"/>')
            for x, v, _ in ref.points:
                out.append(_marker(shape or "square", frame.x(x), frame.y(v), 3.0, colour, colour, hollow=True))
        elif ref.value is not None and ref.kind == "target":
            y = frame.y(ref.value)
            out.append(f'<line x1="{_n(left)}" x2="{_n(frame.plot_right)}" y1="{_n(y)}" y2="{_n(y)}" '
                       f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>')
        elif ref.value is not None:
            # one value, not a series: a short mark at the right edge, named with its period in the legend
            y = frame.y(ref.value)
            out.append(f'<line class="single-value" x1="{_n(frame.plot_right - 18)}" x2="{_n(frame.plot_right)}" '
                       f'y1="{_n(y)}" y2="{_n(y)}" stroke="{colour}" stroke-width="2.5"/>')
            out.append(_marker(shape, frame.plot_right - 9, y, 4.0, colour, colour, hollow=True))

    # ---- the series: intervals, line, markers -----------------------------------------------------
    out.append('<g class="series">')
    r = 3.2 if compact else 4.0
    for p in observed:
        if p.lower is not None and p.upper is not None:
            x, y1, y2 = frame.x(p.x), frame.y(p.lower), frame.y(p.upper)
            cap = 3.5
            out.append(f'<path d="M{_n(x)} {_n(y1)}V{_n(y2)}M{_n(x - cap)} {_n(y1)}H{_n(x + cap)}'
                       f'M{_n(x - cap)} {_n(y2)}H{_n(x + cap)}" stroke="{PALETTE["series"]}" '
                       f'stroke-opacity="0.55" stroke-width="1.3" fill="none"/>')
    previous: ChartPoint | None = None
    for p in spec.points:
        if p.value is None:
            previous = None
            continue
        if previous is not None and previous.value is not None:
            dotted = "" if p.joined else ' stroke-dasharray="1.5 4"'
            out.append(f'<line x1="{_n(frame.x(previous.x))}" y1="{_n(frame.y(previous.value))}" '
                       f'x2="{_n(frame.x(p.x))}" y2="{_n(frame.y(p.value))}" stroke="{PALETTE["series"]}" '
                       f'stroke-width="{2 if compact else 2.5}" stroke-linecap="round"{dotted}/>')
        previous = p
    for p in observed:
        assert p.value is not None
        cx, cy = frame.x(p.x), frame.y(p.value)
        if p.special in _SPECIAL:
            shape, colour, _ = _SPECIAL[p.special]
            out.append(_marker(shape, cx, cy, r * 1.25, PALETTE[colour], PALETTE["text"]))
        else:
            out.append(_marker("circle", cx, cy, r, PALETTE["series"], PALETTE["series"], hollow=p.provisional))
    out.append("</g>")

    # ---- direct labels ------------------------------------------------------------------------------
    if labels:
        wanted = [frame.y(v) + font * 0.35 for _, v, _, _ in labels]
        placed = _spread(wanted, font + 1, top + font * 0.5, frame.plot_bottom + font * 0.35)
        out.append('<g class="labels">')
        for (text, value, _colour, kind), y in zip(labels, placed, strict=True):
            x = frame.plot_right + 8
            weight = ' font-weight="bold"' if kind == "series" else ""
            anchor_y = frame.y(value)
            if abs(anchor_y + font * 0.35 - y) > 2:
                out.append(f'<line x1="{_n(frame.plot_right + 1)}" y1="{_n(anchor_y)}" x2="{_n(x - 2)}" '
                           f'y2="{_n(y - font * 0.35)}" stroke="{PALETTE["muted"]}" stroke-width="0.8"/>')
            text_colour = PALETTE["series"] if kind == "series" else (
                _colour if kind == "comparator" and contrast_ratio(_colour) >= 4.5 else PALETTE["text"])
            out.append(f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(label_font)}" fill="{text_colour}"'
                       f'{weight}>{_e(text)}</text>')
        out.append("</g>")

    # ---- key: the home series, each comparator (line style, marker, colour, name) and the markers drawn
    if key_rows:
        out.append('<g class="key">')
        y = height - 6 - (key_font + 4.5) * (len(key_rows) - 1)
        for row in key_rows:
            x = key_start
            for entry in row:
                out.append(_key_entry(entry, x, y, key_font))
                x += _key_width(entry, key_font)
            y += key_font + 4.5
        out.append("</g>")

    out.append("</svg>")
    return Chart(spec.id, "".join(out), title, desc, table, width, height)


def _keys(spec: LineChartInput) -> list[tuple[str, str, str]]:
    """The marker key entries for what the chart draws: (shape, colour key, words)."""
    observed = [p for p in spec.points if p.value is not None]
    keys: list[tuple[str, str, str]] = []
    if any(p.provisional for p in observed):
        keys.append(("circle-hollow", "series", "provisional"))
    for special in ("improvement", "concern", "neutral"):
        if any(p.special == special for p in observed):
            shape, colour, words = _SPECIAL[special]
            keys.append((shape, colour, words))
    if any(p.lower is not None for p in observed):
        keys.append(("whisker", "series", "95% confidence interval"))
    return keys


def responsive_charts(wide: Chart, narrow: Chart | None) -> str:
    """The markup that shows ``wide`` on a wide screen and ``narrow`` on a phone: two blocks, one hidden by
    the stylesheet (``.chart-narrow`` is hidden, and at 48rem and below ``.chart-wide`` is). The HTML
    report and the web tracker both use it with the same two CSS rules."""
    if narrow is None:
        return f'<div class="chart-wide chart-only">{wide.svg}</div>'
    return f'<div class="chart-wide">{wide.svg}</div><div class="chart-narrow">{narrow.svg}</div>'


def _comparator_styles(spec: LineChartInput) -> dict[str, tuple[str, str, str]]:
    """Each comparator's (colour, dash, marker), in the order they are given."""
    names = [r.name for r in spec.references if r.kind != "target"]
    return {name: COMPARATOR_STYLES[i % len(COMPARATOR_STYLES)] for i, name in enumerate(dict.fromkeys(names))}


def _legend(spec: LineChartInput, styles: dict[str, tuple[str, str, str]]) -> list[tuple[str, ...]]:
    """Legend entries for the lines: ("line", colour, dash, marker, words), the home series first.

    Drawn only when there is a comparator to tell apart from the home series."""
    comparators = [r for r in spec.references if r.kind != "target"]
    if not comparators:
        return []
    out: list[tuple[str, ...]] = [("line", PALETTE["series"], "", "circle-filled", spec.home_name)]
    for ref in comparators:
        colour, dash, shape = styles[ref.name]
        words = ref.name
        if not ref.points and ref.value is not None:  # one value: say which period it is for
            words = f"{ref.name}: one value, {ref.period_label or 'period not stated'}"
            dash = ""
        out.append(("line", colour, dash, shape, words))
    return out


def _key_width(entry: tuple[str, ...], size: float) -> float:
    words = entry[-1]
    return (30 if entry[0] == "line" else 14) + _text_width(words, size) + 10


def _key_rows(keys: list[tuple[str, str, str]], legend: list[tuple[str, ...]], size: float, start: float,
              width: float) -> list[list[tuple[str, ...]]]:
    """The legend and the marker key, wrapped into rows that fit the chart's width."""
    rows: list[list[tuple[str, ...]]] = []
    x = width  # start a new row on the first entry
    for entry in [*legend, *[("marker", *k) for k in keys]]:
        w = _key_width(entry, size)
        if x + w > width - 4 and (not rows or rows[-1]):
            rows.append([])
            x = start
        rows[-1].append(entry)
        x += w
    return rows


def _key_entry(entry: tuple[str, ...], x: float, y: float, size: float) -> str:
    words = entry[-1]
    if entry[0] == "line":
        _, colour, dash, shape = entry[:4]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        mark = (_marker("circle", x + 12, y - 4, 3.5, colour, colour) if shape == "circle-filled"
                else _marker(shape, x + 12, y - 4, 3.5, colour, colour, hollow=True))
        return (f'<line x1="{_n(x)}" x2="{_n(x + 24)}" y1="{_n(y - 4)}" y2="{_n(y - 4)}" stroke="{colour}" '
                f'stroke-width="2"{dashed}/>{mark}<text x="{_n(x + 30)}" y="{_n(y)}" font-size="{_n(size)}" '
                f'fill="{PALETTE["text"]}">{_e(words)}</text>')
    _, shape, colour = entry[:3]
    if shape == "whisker":
        mark = (f'<path d="M{_n(x + 4)} {_n(y - 9)}V{_n(y + 1)}M{_n(x + 1)} {_n(y - 9)}H{_n(x + 7)}'
                f'M{_n(x + 1)} {_n(y + 1)}H{_n(x + 7)}" stroke="{PALETTE["series"]}" '
                f'stroke-opacity="0.55" stroke-width="1.3" fill="none"/>')
    elif shape == "circle-hollow":
        mark = _marker("circle", x + 4, y - 4, 3.5, PALETTE["series"], PALETTE["series"], hollow=True)
    else:
        mark = _marker(shape, x + 4, y - 4, 4, PALETTE[colour], PALETTE["text"])
    return (mark + f'<text x="{_n(x + 12)}" y="{_n(y)}" font-size="{_n(size)}" '
            f'fill="{PALETTE["muted"]}">{_e(words)}</text>')


def _spc_decimals(spc: SpcLimits, decimals: int) -> int:
    return common_decimals([spc.mean, spc.lower, spc.upper], cap=decimals + 1)


def axis_title(unit: Unit) -> str:
    """The y-axis title for a unit: 'Rate per 10,000', 'Percentage', 'Number'."""
    if unit.type == "rate" and unit.per:
        return f"Rate per {unit.per:,}"
    return {"percentage": "Percentage", "count": "Number", "currency": f"Amount ({unit.currency})"}.get(
        unit.type, unit.type.capitalize())


def _movement(first: float, last: float) -> str:
    if last > first:
        return "Rose"
    if last < first:
        return "Fell"
    return "Unchanged"


def describe_series(spec: LineChartInput, decimals: int) -> str:
    """The chart's description in words: first and latest values, comparators, target, SPC."""
    unit = spec.unit

    def v(value: float | None) -> str:
        return value_text(unit, value, decimals)

    observed = [p for p in spec.points if p.value is not None]
    parts: list[str] = []
    if not observed:
        parts.append("No values yet.")
    elif len(observed) == 1:
        p = observed[0]
        parts.append(f"One value: {v(p.value)} in {p.long_label}.")
    else:
        first, prev, last = observed[0], observed[-2], observed[-1]
        assert first.value is not None and last.value is not None and prev.value is not None
        if len(observed) == 2:
            move = _movement(first.value, last.value)
            joiner = "at" if move == "Unchanged" else "from"
            if move == "Unchanged":
                parts.append(f"Unchanged at {v(last.value)} in {first.long_label} and {last.long_label}.")
            else:
                parts.append(f"{move} {joiner} {v(first.value)} in {first.long_label} to {v(last.value)} in "
                             f"{last.long_label}.")
        else:
            high = max(observed, key=lambda p: p.value or 0)
            low = min(observed, key=lambda p: p.value or 0)
            parts.append(f"{len(observed)} values from {first.long_label} to {last.long_label}: {v(first.value)} "
                         f"in {first.long_label}, {v(last.value)} in {last.long_label} (previous {v(prev.value)} "
                         f"in {prev.long_label}); highest {v(high.value)} in {high.long_label}, lowest "
                         f"{v(low.value)} in {low.long_label}.")
        if last.provisional:
            parts.append("The latest value is provisional.")
    if observed and len(observed) == 1 and observed[0].provisional:
        parts.append("It is provisional.")
    with_interval = [p for p in observed if p.lower is not None and p.upper is not None]
    if with_interval:
        p = with_interval[-1]
        parts.append(f"95% confidence interval for {p.long_label}: {v(p.lower)} to {v(p.upper)}.")
    for ref in spec.references:
        name = "Target" if ref.kind == "target" else ref.name
        if ref.points:
            x, value, label = ref.points[-1]
            parts.append(f"{name}: {v(value)} in {label}.")
        elif ref.value is not None:
            when = f" in {ref.period_label}" if ref.period_label else ""
            parts.append(f"{name}: {v(ref.value)}{when}.")
    if spec.spc:
        s = spec.spc
        d = _spc_decimals(s, decimals)
        parts.append(f"SPC chart: mean {value_text(unit, s.mean, d)}, process limits "
                     f"{value_text(unit, s.lower, d)} to {value_text(unit, s.upper, d)}"
                     f"{' (trial limits)' if s.trial else ''}.")
        flagged = [p for p in observed if p.special in _SPECIAL]
        if flagged:
            parts.append("Special-cause points: " + "; ".join(
                f"{p.long_label} ({_SPECIAL[p.special][2].replace('special cause: ', '')})" for p in flagged) + ".")
        else:
            parts.append("No special-cause points.")
    for brk in spec.breaks:
        later = [p for p in spec.points if p.x >= brk]
        if later and any(p.x < brk for p in spec.points):
            parts.append(f"The definition changed from {later[0].long_label}.")
    return " ".join(parts)


def figure_table(spec: LineChartInput, decimals: int) -> FigureTable:
    """The chart's figures as a table: one row per period, one column per line drawn."""
    unit = spec.unit
    columns = ["Period", spec.home_name]
    intervals = any(p.lower is not None and p.upper is not None for p in spec.points)
    if intervals:
        columns.append("95% confidence interval")
    series_refs = [r for r in spec.references if r.points]
    columns += [r.name for r in series_refs]
    notes_needed = any(p.provisional or p.special for p in spec.points)
    if notes_needed:
        columns.append("Note")
    xs = sorted({p.x for p in spec.points} | {x for r in series_refs for x, _, _ in r.points})
    by_x = {p.x: p for p in spec.points}
    rows: list[tuple[str, tuple[str, ...]]] = []
    for x in xs:
        p = by_x.get(x)
        label = p.long_label if p else next(lbl for r in series_refs for xx, _, lbl in r.points if xx == x)
        cells = [short_value(unit, p.value, decimals) if p else "–"]
        if intervals:
            has = p is not None and p.lower is not None and p.upper is not None
            cells.append(f"{short_value(unit, p.lower, decimals)} to {short_value(unit, p.upper, decimals)}"
                         if has and p else "–")
        for r in series_refs:
            match = [v for xx, v, _ in r.points if xx == x]
            cells.append(short_value(unit, match[0], decimals) if match else "–")
        if notes_needed:
            notes = []
            if p and p.provisional:
                notes.append("provisional")
            if p and p.special in _SPECIAL:
                notes.append(_SPECIAL[p.special][2])
            cells.append(", ".join(notes))
        rows.append((label, tuple(cells)))
    caption = f"{spec.title} ({axis_title(unit).lower()})"
    extra = [f"{r.name}: {short_value(unit, r.value, decimals)}" + (f" ({r.period_label})" if r.period_label else "")
             for r in spec.references if not r.points and r.value is not None]
    if spec.spc:
        sd = _spc_decimals(spec.spc, decimals)
        extra.append(f"SPC mean {short_value(unit, spec.spc.mean, sd)}, limits "
                     f"{short_value(unit, spec.spc.lower, sd)} to {short_value(unit, spec.spc.upper, sd)}")
    if extra:
        caption += ". " + "; ".join(extra)
    return FigureTable(caption, tuple(columns), tuple(rows))


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
