"""What every chart shares: the palette and comparator styles, the inputs and outputs (points,
references, SPC limits, the chart and its figure table), text and number helpers (values with
units, decimals, tick values), and the markup that shows a wide chart or its phone variant."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

from outcomes.model import Unit

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
NARROW_WIDTH, NARROW_HEIGHT, NARROW_FONT = 320, 240, 14.0


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


def responsive_charts(wide: Chart, narrow: Chart | None) -> str:
    """The markup that shows ``wide`` on a wide screen and ``narrow`` on a phone: two blocks, one hidden by
    the stylesheet (``.chart-narrow`` is hidden, and at 48rem and below ``.chart-wide`` is). The HTML
    report and the web tracker both use it with the same two CSS rules."""
    if narrow is None:
        return f'<div class="chart-wide chart-only">{wide.svg}</div>'
    return f'<div class="chart-wide">{wide.svg}</div><div class="chart-narrow">{narrow.svg}</div>'


def axis_title(unit: Unit) -> str:
    """The y-axis title for a unit: 'Rate per 10,000', 'Percentage', 'Number'."""
    if unit.type == "rate" and unit.per:
        return f"Rate per {unit.per:,}"
    return {"percentage": "Percentage", "count": "Number", "currency": f"Amount ({unit.currency})"}.get(
        unit.type, unit.type.capitalize())
