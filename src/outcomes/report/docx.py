"""The monitoring report as a Word document, with the same content as the PDF.

:func:`render_docx` fills a Word document from the report's view-model (:func:`outcomes.report.view.build_view`),
the same one the HTML report and the PDF are drawn from, so every figure, sentence and chart is the
same. The page is A4 landscape with a header (the report's title and period), a footer with the page
number (a ``PAGE`` field) and a contents field (``TOC``) that Word fills when the document is opened
(or with F9). Headings use Word's heading styles: the Title, then Heading 1 for each outcome and for
the key, the appendix, the methods and the contacts; Heading 2 for each part of an outcome; Heading 3
for each series, narrative block and measure. Tables have a header row that Word repeats on every page.

Charts are the report's own SVG, converted to PNG by CairoSVG (``cairosvg``, on Debian's libcairo2),
each with its alternative text (the chart's ``<title>`` and ``<desc>``) in the picture's ``descr``.
RAG is always written with its word and letter, never by colour alone.
"""

from __future__ import annotations

import html as html_module
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from outcomes.model import Framework

from .charts import Chart, FigureTable
from .view import (
    AuditView,
    FindingView,
    IndicatorView,
    OutcomeView,
    RagView,
    ReportView,
    RiskView,
    SeriesView,
    build_view,
)

__all__ = ["chart_png", "render_docx"]

#: Width of a full-width chart and of a card's small chart on an A4 landscape page (centimetres).
_WIDE_CM, _SMALL_CM = 17.0, 11.0


# --------------------------------------------------------------------------------------------- charts


def chart_png(chart: Chart, *, scale: float = 2.0) -> bytes:
    """The report's SVG chart as a PNG (``scale`` times its drawn size, for a sharp print)."""
    import cairosvg

    png = cairosvg.svg2png(bytestring=chart.svg.encode("utf-8"), scale=scale)
    assert isinstance(png, bytes)
    return png


def _alt(chart: Chart) -> str:
    """The picture's alternative text: the chart's title and description, the title said once."""
    if not chart.desc:
        return chart.title
    return chart.desc if chart.desc.startswith(chart.title) else f"{chart.title}. {chart.desc}"


# --------------------------------------------------------------------------------------------- word parts


def _field(paragraph: Any, instruction: str, placeholder: str = "") -> None:
    """A Word field (``PAGE``, ``NUMPAGES``, ``TOC``) in ``paragraph``; Word computes its result."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> Any:
        run = paragraph.add_run()
        fld = OxmlElement("w:fldChar")
        fld.set(qn("w:fldCharType"), kind)
        if kind == "begin":
            fld.set(qn("w:dirty"), "true")
        run._r.append(fld)
        return run

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(placeholder)
    char("end")


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
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return table


def _figure_table(doc: Any, table: FigureTable | None) -> None:
    if table is None:
        return
    t = table.print_form()
    _table(doc, t.columns, [(head, *cells) for head, cells in t.rows], caption=t.caption)


def _chart(doc: Any, chart: Chart | None, *, width_cm: float = _WIDE_CM) -> None:
    """The chart as a picture with its alternative text, then its figures as a table."""
    if chart is None:
        return
    import io

    from docx.shared import Cm

    doc.add_picture(io.BytesIO(chart_png(chart)), width=Cm(width_cm))
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", _alt(chart))
    inline.docPr.set("title", chart.title)
    _figure_table(doc, chart.table)


def _rag(r: RagView) -> str:
    return f"{r.word} ({r.letter})" if r.letter else r.word


def _judgement(doc: Any, label: str, r: RagView, detail: str = "") -> None:
    p = doc.add_paragraph()
    p.add_run(f"{label}: ").bold = True
    p.add_run(_rag(r) + (f" {detail}" if detail else ""))
    doc.add_paragraph(r.reason)
    doc.add_paragraph(f"Method: {r.method}." + (f" {r.why}" if r.why else ""))


def _audit(doc: Any, a: AuditView | None) -> None:
    if a is None or not (a.differs or a.agrees):
        return
    p = doc.add_paragraph()
    p.add_run("Against the published report").bold = True
    for c in a.differs:
        doc.add_paragraph(f"Differs. {c.what}. {c.sentence}", style="List Bullet")
    if a.agrees:
        doc.add_paragraph(f"Agrees. {a.agrees}", style="List Bullet")


def _findings(doc: Any, findings: Sequence[FindingView], intro: str) -> None:
    if not findings:
        return
    p = doc.add_paragraph()
    p.add_run(intro).bold = True
    for f in findings:
        doc.add_paragraph(f"{f.severity.capitalize()}. {f.title}: {f.message}", style="List Bullet")


def _series(doc: Any, s: SeriesView, *, heading: str | None, level: int, small: bool = False) -> None:
    if heading:
        doc.add_heading(heading, level=level)
    figures = [f"{f.label} ({f.period}): {f.value}" + (f" {f.note}" if f.note else "")
               for f in (s.previous, s.latest) if f]
    if figures:
        doc.add_paragraph(" · ".join(figures)).runs[0].bold = True
    doc.add_paragraph(f"{s.unit}; {s.polarity}." + (f" {s.current_run}." if s.current_run else ""))
    _judgement(doc, "Trend", s.trend)
    if s.comparator.letter or s.comparator_label or not small:
        _judgement(doc, "Comparator", s.comparator, s.comparator_label)
    for name, r in s.other_comparators:
        _judgement(doc, f"Also against {name}", r)
    if s.inequality:
        doc.add_paragraph(f"Inequality: {s.inequality}")
    _audit(doc, s.published)
    _chart(doc, s.chart, width_cm=_SMALL_CM if small else _WIDE_CM)
    if s.funnel is not None:
        _chart(doc, s.funnel)
    if s.notes:
        p = doc.add_paragraph()
        p.add_run("Data notes and caveats").bold = True
        for n in s.notes:
            doc.add_paragraph(n, style="List Bullet")
    _findings(doc, s.findings, "Data-quality findings for this series:")


_BLOCK = re.compile(r"<(p|li|h[1-6])\b[^>]*>(.*?)</\1>", re.S)


def _narrative(doc: Any, html: str) -> None:
    """The narrative's sanitised HTML as Word paragraphs and bullets (the words, not the markup)."""
    found = False
    for m in _BLOCK.finditer(html):
        text = html_module.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip()
        text = re.sub(r"\s+", " ", text)
        if text:
            found = True
            doc.add_paragraph(text, style="List Bullet" if m.group(1) == "li" else None)
    if not found:
        text = re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html))).strip()
        if text:
            doc.add_paragraph(text)


def _risks(doc: Any, risks: Sequence[RiskView], caption: str, empty: str) -> None:
    if not risks:
        doc.add_paragraph(empty)
        return
    rows = [(f"{r.id} – {r.title}" + (f" (owner: {r.owner})" if r.owner else ""),
             r.score + (f" {r.likelihood_impact}" if r.likelihood_impact else ""),
             r.trend + (f" (printed “{r.trend_printed}”)" if r.trend_printed else ""), r.focus or "–")
            for r in risks]
    _table(doc, ("Risk", "Score", "Trend", "Focus"), rows, caption=caption)


def _indicator(doc: Any, v: ReportView, ind: IndicatorView, *, level: int, grouped: bool) -> None:
    if grouped:
        doc.add_heading(ind.heading, level=level)
        level += 1
    doc.add_paragraph("Population indicator (shared responsibility)"
                      + (f" · Lead officers: {ind.lead_officers}" if ind.lead_officers else ""))
    for s in ind.series:
        _series(doc, s, heading=s.title if len(ind.series) > 1 else None, level=level)
    _findings(doc, ind.findings, "Data-quality findings for this indicator:")
    if ind.narrative:
        for title, html in ind.narrative:
            doc.add_heading(title, level=level)
            _narrative(doc, html)
    else:
        doc.add_paragraph(f"No narrative was written for {v.reporting_period}.")
    doc.add_heading("Performance measures (direct responsibility)", level=level)
    if not ind.measure_cards:
        doc.add_paragraph("No performance measures are linked to this indicator.")
    for card in ind.measure_cards:
        _series(doc, card.series, heading=card.title, level=min(level + 1, 9), small=True)
        _audit(doc, card.measure_audit)
    doc.add_heading("Corporate risks", level=level)
    _risks(doc, ind.risks, f"Corporate risks linked to {ind.title}", "No associated current corporate risks.")
    doc.add_heading("Value for money", level=level)
    doc.add_paragraph(ind.value_for_money)


def _summary(doc: Any, o: OutcomeView, level: int) -> None:
    doc.add_heading(f"{o.title}: executive summary", level=level)
    for c in o.counts:
        p = doc.add_paragraph()
        p.add_run(f"{c.count} {c.what}").bold = True
        p.add_run(f". {c.detail}." + (f" {c.stated}" if c.stated else ""))
        for ch in c.charts:
            _chart(doc, ch, width_cm=9.0)
    for g in o.glance:
        headers = [g.first_column, "Latest", "Trend"] + (["Comparator"] if g.comparators else []) \
            + ["Published report", "Focus"]
        rows = []
        for r in g.rows:
            comp = [_rag(r.comparator) + (f" {r.comparator_name}" if r.comparator_name else "")] if g.comparators else []
            rows.append([r.label, f"{r.latest} ({r.latest_period})", _rag(r.trend), *comp, r.audit, r.focus or "–"])
        _table(doc, headers, rows, caption=g.caption)
    doc.add_heading("Suggested for focus", level=level + 1)
    doc.add_paragraph(o.focus_note)
    for fl in o.focus:
        doc.add_heading(f"{fl.title}: our list", level=level + 2)
        if not fl.items:
            doc.add_paragraph("Nothing to list: no item has a reason for focus.")
        for it in fl.items:
            doc.add_paragraph(f"{it.label} {it.title}" + (f" ({it.parent})" if it.parent else "")
                              + f", score {it.score}. " + " ".join(it.reasons), style="List Bullet")
        doc.add_heading(fl.published_title, level=level + 2)
        if not fl.published:
            doc.add_paragraph("The published report listed none.")
        for p in fl.published:
            doc.add_paragraph(f"“{p.text}” {'Agrees' if p.agrees else 'Differs'}. "
                              + (f"{p.matched}: " if p.matched else "") + p.in_ours, style="List Bullet")


def _key(doc: Any, v: ReportView) -> None:
    doc.add_heading("Key to ratings, codes and charts", level=1)
    _table(doc, ("Shown as", "Meaning"), [(k.code, k.meaning) for k in v.key_rag],
           caption="Ratings (trend and comparator)")
    _table(doc, ("Shown as", "Meaning"), [(k.code, k.meaning) for k in (*v.key_risk_scores, *v.key_risk_trends)],
           caption="Corporate risk scores and trends")
    _table(doc, ("Mark", "Meaning"), [(k.code, k.meaning) for k in v.key_chart], caption="Marks on the charts")
    if v.key_polarity:
        _table(doc, ("Shown as", "Meaning"), [(k.code, k.meaning) for k in v.key_polarity],
               caption="Where each series' polarity (which direction is better) came from")
    _table(doc, ("Shown as", "Meaning"), [(k.code, k.meaning) for k in v.key_severity],
           caption="Data-quality findings")
    doc.add_paragraph("Words: a trend compares the latest value with an earlier one (improving, similar, worsening); "
                      "a comparator compares it with a benchmark such as England or the region (better, similar, "
                      "worse). A series with no better direction is described (rose, fell) but not rated.")
    doc.add_heading("Responsibility for indicators and measures", level=1)
    doc.add_paragraph("Population indicator: relates to all people in the population. Shared responsibility: "
                      "partners and stakeholders working together. Determining the ends (where we want to be).")
    doc.add_paragraph("Performance measure: relates to people receiving a service or intervention. Direct "
                      "responsibility: service providers and commissioners. Delivering the means (how we get there).")


def _setup(doc: Any, v: ReportView) -> None:
    """A4 landscape, margins as the PDF, a header with the title and a footer with the page number."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(15), Mm(14)
    section.left_margin = section.right_margin = Mm(12)
    section.header.paragraphs[0].text = f"{v.title} · {v.organisation} · {v.reporting_period}"
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE", "1")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES", "1")
    doc.core_properties.title = v.doc_title
    doc.core_properties.language = v.lang


def render_docx(framework: Framework, judged: Any, out_path: Path | str, *, outcome_id: str | None = None,
                findings: Sequence[Any] | None = None) -> Path:
    """Write the report as a .docx file at ``out_path`` and return its path."""
    from docx import Document

    from outcomes.judge.quality import run_checks

    if findings is None:
        findings = run_checks(framework)
    v = build_view(framework, judged, findings, outcome_id=outcome_id)
    doc = Document()
    _setup(doc, v)

    doc.add_heading(v.title, level=0)
    doc.add_paragraph(f"{v.organisation} · {' · '.join(o.title for o in v.outcomes)} · {v.reporting_period} "
                      f"({v.reporting_period_dates}) · Data as at {v.data_date} · {v.status}")
    for o in v.outcomes:
        if o.sponsor:
            doc.add_paragraph(f"Outcome sponsor: {o.sponsor}" + (f", {o.sponsor_role}" if o.sponsor_role else ""))
        if o.introduction:
            doc.add_paragraph(o.introduction)
    if v.period_note:
        doc.add_paragraph(v.period_note)
    doc.add_paragraph("Every judgement in this report states its method and the numbers behind it. Ratings are shown "
                      "as a word and a letter (G, A, R), never by colour alone; the key explains every code, and "
                      "the data-quality appendix lists what the automatic checks found.")
    doc.add_heading("Contents", level=1)
    _field(doc.add_paragraph(), 'TOC \\o "1-2" \\h \\z \\u',
           "Right-click and choose Update Field (or press F9) to show the contents with page numbers.")
    doc.add_page_break()

    for o in v.outcomes:
        several = len(v.outcomes) > 1
        level = 2 if several else 1
        if several:
            doc.add_heading(f"Outcome: {o.title}", level=1)
        _summary(doc, o, level)
        for s in o.sections:
            doc.add_heading(f"{s.number} {s.title}".strip(), level=level)
            grouped = len(s.indicators) > 1
            for ind in s.indicators:
                _indicator(doc, v, ind, level=level + 1, grouped=grouped)
        doc.add_heading("Corporate risks not linked to a population indicator", level=level)
        _risks(doc, o.unassigned_risks, f"Corporate risks relating to {o.title} not linked to a population "
               "indicator", "Every risk for this outcome is linked to a population indicator.")

    _key(doc, v)
    doc.add_heading("Data-quality appendix", level=1)
    doc.add_paragraph(f"{v.findings_summary} These are the findings of the automatic checks on the data behind this "
                      "report; each is also shown beside the series it concerns. The code after each check's name "
                      "is how the check is known in the data-entry tools.")
    if v.findings:
        _table(doc, ("Severity", "Check (and its code)", "Subject", "Finding"),
               [(f.severity.capitalize(), f"{f.title} ({f.code})", f.subject, f.message) for f in v.findings],
               caption="Data-quality findings, errors first")
    doc.add_heading("How the judgements were made", level=1)
    doc.add_paragraph(v.settings_text)
    _table(doc, ("Method", "Judgements"), [(label, str(n)) for label, n in v.methods],
           caption="Methods used in this report")
    doc.add_heading("Contacts", level=1)
    for o in v.outcomes:
        for name, role in o.contacts:
            doc.add_paragraph(name + (f", {role}" if role else ""), style="List Bullet")

    path = Path(out_path)
    doc.save(str(path))
    return path
