"""The line chart of one series: its values with intervals, comparators (each with its own colour,
dash and marker, named in a legend), target, SPC limits and special-cause points, breaks; with its
description in words and its figure table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .chart_parts import (
    COMPARATOR_STYLES,
    FONT,
    NARROW_FONT,
    NARROW_HEIGHT,
    NARROW_WIDTH,
    PALETTE,
    Chart,
    ChartPoint,
    FigureTable,
    LineChartInput,
    SpcLimits,
    _e,
    _n,
    _spread,
    _text_width,
    _tick_text,
    axis_title,
    common_decimals,
    contrast_ratio,
    nice_ticks,
    short_value,
    value_text,
)

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
