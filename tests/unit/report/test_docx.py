"""The Word report: the same content as the PDF (drawn from the same view-model), A4 landscape with a
header, a footer with page numbers, a contents field, real headings, tables with repeating header rows, and
the report's own SVG charts as pictures with alternative text."""

from __future__ import annotations

from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from docx.oxml.ns import qn  # noqa: E402

from outcomes.report.docx import chart_png, render_docx  # noqa: E402


@pytest.fixture(scope="module")
def judged(example, report_findings):
    judge = pytest.importorskip("outcomes.judge")
    return judge.judge_framework(example, quality_findings=report_findings)


@pytest.fixture(scope="module")
def document(example, judged, tmp_path_factory):
    path = render_docx(example, judged, tmp_path_factory.mktemp("docx") / "report.docx")
    return docx.Document(str(path))


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _fields(part) -> list[str]:
    element = part._element if hasattr(part, "_element") else part.element
    return [t.text.strip() for t in element.iter(qn("w:instrText"))]


def test_a4_landscape_with_header_footer_and_page_numbers(example, document):
    from docx.enum.section import WD_ORIENT

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 210)
    assert example.report.title in section.header.paragraphs[0].text
    footer = section.footer
    assert "PAGE" in _fields(footer) and "NUMPAGES" in _fields(footer)


def test_has_a_contents_field(document):
    toc = [f for f in _fields(document) if f.startswith("TOC")]
    assert toc and "\\o" in toc[0]


def test_every_section_the_pdf_has(document):
    headings = {p.text for p in document.paragraphs if p.style.name.startswith("Heading")}
    for wanted in ("Contents", "Safe: executive summary", "Suggested for focus",
                   "Corporate risks not linked to a population indicator", "Key to ratings, codes and charts",
                   "Responsibility for indicators and measures", "Data-quality appendix",
                   "How the judgements were made", "Contacts"):
        assert wanted in headings


def test_one_picture_per_chart_each_with_alternative_text(report_view, document):
    charts = [sv.chart for o in report_view.outcomes for s in o.sections for ind in s.indicators
              for sv in (*ind.series, *(c.series for c in ind.measure_cards))]
    charts += [sv.funnel for o in report_view.outcomes for s in o.sections for ind in s.indicators
               for sv in (*ind.series, *(c.series for c in ind.measure_cards)) if sv.funnel is not None]
    charts += [ch for o in report_view.outcomes for c in o.counts for ch in c.charts]
    pictures = document.inline_shapes
    assert len(pictures) == len(charts)
    alts = [shape._inline.docPr.get("descr") for shape in pictures]
    for alt, chart in zip(alts, charts_in_document_order(report_view), strict=True):
        assert alt.startswith(chart.title) and chart.desc in alt
        assert alt.count(chart.title) == 1  # said once


def charts_in_document_order(report_view):
    """The charts as the Word report places them: the summary's bar charts, then each indicator's series
    (chart, then its funnel), then its measure cards."""
    out = []
    for o in report_view.outcomes:
        out += [ch for c in o.counts for ch in c.charts]
        for s in o.sections:
            for ind in s.indicators:
                for sv in (*ind.series, *(c.series for c in ind.measure_cards)):
                    out += [sv.chart] + ([sv.funnel] if sv.funnel is not None else [])
    return out


def test_the_child_protection_chart_has_its_england_line(document):
    alts = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert any(a.startswith("Rate of children subject to a child protection plan: Dorset and England") for a in alts)


def test_the_same_findings_as_the_pdf_appendix(report_view, document):
    text = _text(document)
    for f in report_view.findings:
        assert f"{f.title} ({f.code})" in text and f.message in text


def test_headings_use_word_heading_styles(example, document):
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", example.report.title)
    level1 = [t for s, t in headings if s == "Heading 1"]
    assert "01 Rate of children subject to a child protection plan" in level1
    assert "Corporate risks not linked to a population indicator" in level1
    assert any(s == "Heading 2" and t == "Story behind the baseline" for s, t in headings)


def test_every_indicator_measure_and_risk_title_appears(example, document):
    text = _text(document)
    for ind in example.indicators():
        assert ind.title in text
    for m in example.measures():
        assert m.title in text
    for r in example.risks:
        assert r.title in text


def test_every_table_has_a_bold_header_row_that_repeats(document):
    assert document.tables
    for table in document.tables:
        first = table.rows[0]
        flag = first._tr.trPr.find(qn("w:tblHeader")) if first._tr.trPr is not None else None
        assert flag is not None and flag.get(qn("w:val")) == "true"
        assert all(run.bold for cell in first.cells for p in cell.paragraphs for run in p.runs)


def test_one_outcome_only_and_an_unknown_outcome(example, judged, tmp_path):
    path = render_docx(example, judged, tmp_path / "safe.docx", outcome_id="safe")
    assert path.exists()
    with pytest.raises(ValueError, match="not an outcome"):
        render_docx(example, judged, tmp_path / "x.docx", outcome_id="healthy")


def test_charts_are_png_from_the_report_svg(report_view):
    chart = report_view.outcomes[0].sections[0].indicators[0].series[0].chart
    png = chart_png(chart)
    assert png.startswith(b"\x89PNG")
    width = int.from_bytes(png[16:20], "big")
    assert width >= 2 * chart.width - 2  # drawn at twice the SVG's size


def test_the_dfe_example_renders_with_its_comparators(tmp_path):
    folder = Path(__file__).resolve().parents[3] / "examples" / "children-safeguarding"
    from outcomes.sources import load_dataset

    judge = pytest.importorskip("outcomes.judge")
    fw = load_dataset(folder)
    path = render_docx(fw, judge.judge_framework(fw), tmp_path / "dfe.docx")
    text = _text(docx.Document(str(path)))
    assert "Also against Statistical neighbours" in text and "Series break" in text
