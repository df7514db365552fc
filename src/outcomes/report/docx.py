"""The monitoring report as a Word document, for committee systems that take only Word.

:func:`render_docx` writes the report's content with real Word structure: the Title style, then
Heading 1 for each outcome, Heading 2 for each population indicator (and for the risks not assigned
to one), Heading 3 for each series, the narrative, the performance measures and the risks. Tables
have a header row that Word repeats on every page (``w:tblHeader``) and is marked bold; each series
has a line chart drawn as a PNG with its alternative text (``descr`` of the picture) saying what the
chart shows, with the figures in the table beside it.

Charts are drawn with Pillow, already installed with WeasyPrint, rather than matplotlib, which would
add a large dependency tree for one simple line chart (see ``docs/exports.md``).

RAG is always written with its word and letter, never by colour alone.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from outcomes.model import Framework, Observation, PopulationIndicator, Risk, Series

__all__ = ["chart_description", "chart_png", "render_docx"]

#: Government Analysis Function palette: dark blue for the home area, dark pink for England, orange for others.
_COLOURS = ((18, 67, 109), (128, 22, 80), (244, 106, 37), (40, 161, 151), (61, 61, 61))
_FONT_PATHS = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
               "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf")


# --------------------------------------------------------------------------------------------- text


def _fmt(series: Series, value: float | None) -> str:
    return series.unit.format(value)


def _with_unit(series: Series, value: float | None) -> str:
    label = series.unit.label
    text = _fmt(series, value)
    return f"{text} {label}" if label and label != "%" and value is not None else text


def _benchmarks(series: Series, framework: Framework) -> list[tuple[str, list[Observation]]]:
    """Benchmark lines to draw: the comparators that have rows (England first), at most three."""
    out = []
    for comp in series.comparators:
        if comp.kind == "benchmark" and comp.area and series.benchmark_observations.get(comp.area):
            rows = [o for o in series.benchmark_observations[comp.area] if o.value is not None]
            if rows:
                out.append((comp.name or framework.area_name(comp.area), rows))
    return out[:3]


def chart_description(series: Series, framework: Framework) -> str:
    """The chart's alternative text: what it shows, in words, with the first, latest and benchmark figures.

    >>> from outcomes.model import Area, Period, Series, Unit, PeriodKind, Observation
    >>> s = Series("s", "Rate", Unit("rate", per=10_000), None, PeriodKind.FINANCIAL_YEAR)
    >>> s.observations = [Observation("s", "A", Period.parse("2016-17"), 58.5), Observation("s", "A", Period.parse("2017-18"), 32.8)]
    >>> fw = Framework("Org", Area("A", "Dorset"), Period.parse("2017-18"))
    >>> chart_description(s, fw)
    'Line chart of Rate for Dorset, 2 periods: from 58.5 per 10,000 in 2016-17 to 32.8 per 10,000 in 2017-18.'
    """
    observed = series.observed()
    name = framework.home_area.name
    if not observed:
        return f"Chart of {series.title} for {name}: no figures yet."
    first, last = observed[0], observed[-1]
    text = f"Line chart of {series.title} for {name}, {len(observed)} period{'s' if len(observed) != 1 else ''}: "
    if first is last:
        text += f"{_with_unit(series, last.value)} in {last.period}."
    else:
        text += (f"from {_with_unit(series, first.value)} in {first.period} to "
                 f"{_with_unit(series, last.value)} in {last.period}.")
    for bench_name, rows in _benchmarks(series, framework):
        match = next((o for o in rows if o.period == last.period), rows[-1])
        text += f" {bench_name}: {_with_unit(series, match.value)} in {match.period}."
    if series.breaks:
        text += f" Series break at {', '.join(str(b) for b in series.breaks)}."
    return text


# -------------------------------------------------------------------------------------------- chart


def _font(size: int) -> Any:
    from PIL import ImageFont

    for path in _FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size=size)


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    import math

    if high <= low:
        high = low + 1
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(value, 10))
    return ticks


def chart_png(series: Series, framework: Framework, *, width: int = 1400, height: int = 640) -> bytes:
    """A line chart of the home area's series (with its 95% limits where known) and its benchmarks, as PNG.

    Lines are labelled directly at their end, differ by dash and marker as well as colour, and the
    y axis starts at zero for counts and rates unless the values sit far from it.
    """
    import math

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    small, normal = _font(22), _font(26)
    home = series.observed()
    lines: list[tuple[str, list[Observation], tuple[int, int, int], bool]] = [
        (framework.home_area.name, home, _COLOURS[0], False)]
    for i, (name, rows) in enumerate(_benchmarks(series, framework), start=1):
        lines.append((name, rows, _COLOURS[i % len(_COLOURS)], True))
    periods = sorted({o.period for _, rows, _, _ in lines for o in rows})
    if home:
        periods = [p for p in periods if p >= home[0].period] or periods
    left, right, top, bottom = 120, width - 260, 40, height - 90
    if not periods:
        draw.text((left, height // 2), "No figures yet", fill=(0, 0, 0), font=normal)
        return _png(image)
    values = [v for _, rows, _, _ in lines for o in rows if o.period in periods
              for v in (o.value, o.lower95, o.upper95) if v is not None]
    low, high = min(values), max(values)
    if low >= 0 and (low <= (high - low) * 1.5 or series.unit.type == "count"):
        low = 0.0
    ticks = _ticks(low, high)
    y0, y1 = ticks[0], ticks[-1]

    def y(v: float) -> float:
        return bottom - (v - y0) / ((y1 - y0) or 1) * (bottom - top)

    def x(i: int) -> float:
        return left + (i + 0.5) * (right - left) / len(periods)

    for t in ticks:
        yy = y(t)
        draw.line([(left, yy), (right, yy)], fill=(222, 222, 222), width=1)
        label = series.unit.format(t)
        draw.text((left - 12, yy), label, fill=(40, 40, 40), font=small, anchor="rm")
    draw.line([(left, bottom), (right, bottom)], fill=(80, 80, 80), width=2)
    widest = max(draw.textlength(str(p), font=small) for p in periods) + 16
    step = max(1, math.ceil(widest / ((right - left) / len(periods))))
    for i, p in enumerate(periods):
        if i % step == 0 or i == len(periods) - 1:
            draw.text((x(i), bottom + 14), str(p), fill=(40, 40, 40), font=small, anchor="ma")
    for b in series.breaks:
        if b in periods:
            xb = x(periods.index(b)) - (right - left) / len(periods) / 2
            for yy in range(int(top), int(bottom), 14):
                draw.line([(xb, yy), (xb, yy + 7)], fill=(61, 61, 61), width=2)
            draw.text((xb + 6, top), "series break", fill=(61, 61, 61), font=small)
    index = {p: i for i, p in enumerate(periods)}
    ends: list[tuple[float, float, str, tuple[int, int, int]]] = []
    for name, rows, colour, dashed in lines:
        pts = [(x(index[o.period]), y(o.value), o) for o in rows if o.period in index and o.value is not None]
        if not dashed:
            for px, _, o in pts:
                if o.lower95 is not None and o.upper95 is not None:
                    draw.line([(px, y(o.lower95)), (px, y(o.upper95))], fill=(150, 170, 190), width=3)
        for (ax, ay, _), (bx, by, _) in zip(pts, pts[1:], strict=False):
            _segment(draw, (ax, ay), (bx, by), colour, dashed)
        for px, py, _ in pts:
            r = 7
            if dashed:
                draw.rectangle([px - r + 2, py - r + 2, px + r - 2, py + r - 2], fill=colour)
            else:
                draw.ellipse([px - r, py - r, px + r, py + r], fill=colour)
        if pts:
            ends.append((pts[-1][1], pts[-1][0], name, colour))
    placed: list[float] = []
    for end_y, end_x, name, colour in sorted(ends):
        label_y = max([end_y] + [p + 30 for p in placed])
        placed.append(label_y)
        draw.text((end_x + 16, label_y), name, fill=colour, font=normal, anchor="lm")
    return _png(image)


def _segment(draw: Any, a: tuple[float, float], b: tuple[float, float], colour: tuple[int, int, int],
             dashed: bool) -> None:
    if not dashed:
        draw.line([a, b], fill=colour, width=5)
        return
    import math

    length = math.dist(a, b)
    dash = 16.0
    n = max(1, int(length // dash))
    for k in range(0, n, 2):
        t0, t1 = k / n, min(1.0, (k + 1) / n)
        draw.line([(a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                   (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)], fill=colour, width=4)


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# ------------------------------------------------------------------------------------------ the doc


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _table(doc: Any, headers: Sequence[str], rows: Iterable[Sequence[str]], *, caption: str = "") -> Any:
    if caption:
        doc.add_paragraph(caption, style="Caption")
    rows = list(rows)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = str(text)
    return table


def _picture(doc: Any, png: bytes, alt: str, title: str) -> None:
    from docx.shared import Inches

    doc.add_picture(io.BytesIO(png), width=Inches(6.3))
    shape = doc.inline_shapes[-1]
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)


def _judgements(judged: Any) -> dict[str, Any]:
    if judged is None:
        return {}
    by_id = getattr(judged, "by_series_id", None)
    return dict(by_id) if isinstance(by_id, dict) else {}


def _word(j: Any) -> str:
    if j is None:
        return "not assessed"
    rag = getattr(j, "rag", None)
    return f"{j.word} ({rag})" if rag else j.word


def _series_block(doc: Any, framework: Framework, series: Series, sj: Any, *, heading: str) -> None:
    doc.add_heading(heading, level=3)
    if series.definition:
        doc.add_paragraph(series.definition)
    polarity = series.polarity.value if series.polarity else "not declared (described, not judged)"
    doc.add_paragraph(f"Unit: {series.unit.describe()}. Polarity: {polarity}.")
    if sj is not None:
        p = doc.add_paragraph()
        p.add_run("Trend: ").bold = True
        p.add_run(f"{_word(sj.trend)}. {sj.trend.reason} Method: {sj.trend.method_label}.")
        for c in getattr(sj, "comparators", []) or []:
            p = doc.add_paragraph()
            p.add_run(f"Compared with {c.name}: ").bold = True
            p.add_run(f"{_word(c)}. {c.reason} Method: {c.method_label}.")
        for w in getattr(sj, "warnings", []) or []:
            doc.add_paragraph(f"Warning: {w}")
    from .view import inequality_text  # the one wording of the SII, shared with the HTML report

    sii = inequality_text(series, framework.home_area.code)
    if sii:
        p = doc.add_paragraph()
        p.add_run("Inequality: ").bold = True
        p.add_run(sii)
    published = series.published
    if published.trend or published.comparator or published.comparator_text:
        said = "; ".join(x for x in (
            f"trend {published.trend}" if published.trend else "",
            f"comparator {published.comparator}" if published.comparator else "",
            published.comparator_text) if x)
        doc.add_paragraph(f"As published: {said}.")
    if series.observed():
        _picture(doc, chart_png(series, framework), chart_description(series, framework), series.title)
    benches = _benchmarks(series, framework)
    headers = ["Period", f"{framework.home_area.name}", "95% interval", *[n for n, _ in benches], "Note"]
    rows = []
    for o in series.observations:
        interval = (f"{_fmt(series, o.lower95)} to {_fmt(series, o.upper95)}"
                    if o.lower95 is not None and o.upper95 is not None else "")
        bench_values = []
        for _, b_rows in benches:
            match = next((b for b in b_rows if b.period == o.period), None)
            bench_values.append(_fmt(series, match.value) if match else "")
        value = _fmt(series, o.value) if o.value is not None else f"– ({o.missing_reason or 'missing'})"
        rows.append([str(o.period), value, interval, *bench_values, o.note])
    _table(doc, headers, rows, caption=f"Figures for {series.title} ({series.unit.describe()})")


def _risks_table(doc: Any, risks: list[Risk], caption: str) -> None:
    _table(doc, ["Risk", "Title", "Score", "Trend", "Owner"],
           [[r.id, r.title, r.score, r.trend_as_published or r.trend, r.owner] for r in risks], caption=caption)


def _indicator(doc: Any, framework: Framework, ind: PopulationIndicator, judgements: dict[str, Any]) -> None:
    doc.add_heading(" ".join(x for x in (ind.number, ind.title) if x), level=2)
    for s in ind.series:
        heading = s.title if s.title != ind.title or len(ind.series) > 1 else f"{s.title}: figures and judgements"
        _series_block(doc, framework, s, judgements.get(s.id), heading=heading)
    narrative = ind.narrative_for(framework.reporting_period)
    if narrative:
        for title, text in narrative.blocks():
            doc.add_heading(title, level=3)
            for para in [p.strip() for p in text.split("\n\n") if p.strip()]:
                doc.add_paragraph(" ".join(para.split()))
    if ind.measures:
        doc.add_heading("Performance measures", level=3)
        rows = []
        for m in ind.measures:
            for s in m.series:
                sj = judgements.get(s.id)
                latest = s.latest
                rows.append([m.title if s.title == m.title else f"{m.title}: {s.title}",
                             f"{_with_unit(s, latest.value)} ({latest.period})" if latest else "no figures",
                             _word(sj.trend) if sj else "", _word(sj.comparator) if sj else ""])
        _table(doc, ["Measure", "Latest", "Trend", "Comparator"], rows,
               caption=f"Performance measures for {ind.title}")
        for m in ind.measures:
            for s in m.series:
                _series_block(doc, framework, s, judgements.get(s.id), heading=s.title)
    risks = framework.risks_for(ind.id)
    if risks:
        doc.add_heading("Corporate risks", level=3)
        _risks_table(doc, risks, f"Corporate risks linked to {ind.title}")


def render_docx(framework: Framework, judged: Any, out_path: Path | str, *, outcome_id: str | None = None) -> Path:
    """Write the report for ``framework`` (optionally one outcome) as a .docx file; returns its path."""
    from docx import Document

    outcomes = [o for o in framework.outcomes if outcome_id is None or o.id == outcome_id]
    if outcome_id is not None and not outcomes:
        raise ValueError(f"'{outcome_id}' is not an outcome; the outcomes are: "
                         f"{', '.join(o.id for o in framework.outcomes)}.")
    judgements = _judgements(judged)
    doc = Document()
    title = framework.report.title or "Outcomes monitoring report"
    doc.core_properties.title = title
    doc.core_properties.author = framework.organisation
    doc.core_properties.language = "en-GB"
    doc.add_heading(title, level=0)
    info = [framework.organisation, f"Reporting period: {framework.reporting_period}"]
    if framework.report.published:
        info.append(f"Published: {framework.report.published}")
    info.append(f"Status: {framework.report.status}")
    doc.add_paragraph(". ".join(info) + ".")
    doc.add_paragraph("Judgements are written as a word with its RAG letter (G green, A amber, R red); "
                      "each says the method used and the figures behind it.")
    focus = [f for f in getattr(judged, "focus", []) or []] if judged is not None else []
    for outcome in outcomes:
        doc.add_heading(outcome.title, level=1)
        if outcome.introduction:
            doc.add_paragraph(" ".join(outcome.introduction.split()))
        summary_rows = []
        for ind in outcome.indicators:
            for s in ind.series:
                sj = judgements.get(s.id)
                latest = s.latest
                summary_rows.append([f"{ind.number} {s.title}".strip(), "Population indicator",
                                     f"{_with_unit(s, latest.value)} ({latest.period})" if latest else "no figures",
                                     _word(sj.trend) if sj else "", _word(sj.comparator) if sj else ""])
        if summary_rows:
            _table(doc, ["Indicator", "Kind", "Latest", "Trend", "Comparator"], summary_rows,
                   caption=f"Summary of the population indicators of '{outcome.title}'")
        ids = {ind.id for ind in outcome.indicators} | {m.id for m in outcome.measures()} | {
            s.id for s in outcome.all_series()} | {r.id for r in framework.risks if r.outcome_id in ("", outcome.id)}
        listed = [f for f in focus if getattr(f, "id", None) in ids]
        if listed:
            doc.add_heading("Suggested focus", level=2)
            _table(doc, ["Rank", "Item", "Why"],
                   [[str(f.rank), f.title, " ".join(f.reasons)] for f in listed],
                   caption="Items suggested for scrutiny, most pressing first")
        for ind in outcome.indicators:
            _indicator(doc, framework, ind, judgements)
        unassigned = framework.unassigned_risks(outcome.id)
        if unassigned:
            doc.add_heading("Risks not assigned to an indicator", level=2)
            _risks_table(doc, unassigned, f"Corporate risks of '{outcome.title}' not linked to an indicator")
    path = Path(out_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    return path
