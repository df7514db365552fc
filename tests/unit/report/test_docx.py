"""The Word report: real headings, tables with repeating header rows, charts with alternative text."""

from __future__ import annotations

from pathlib import Path

import pytest

docx = pytest.importorskip("docx")

from docx.oxml.ns import qn  # noqa: E402

from outcomes.report.docx import chart_png, render_docx  # noqa: E402


@pytest.fixture(scope="module")
def judged(example):
    judge = pytest.importorskip("outcomes.judge")
    return judge.judge_framework(example)


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


def test_headings_use_word_heading_styles(example, document):
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == ("Title", example.report.title)
    assert ("Heading 1", "Safe") in headings
    level2 = [t for s, t in headings if s == "Heading 2"]
    assert "01 Rate of children subject to a child protection plan" in level2
    assert "Risks not assigned to an indicator" in level2
    assert any(s == "Heading 3" and t == "Story behind the baseline" for s, t in headings)


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


def test_every_picture_has_alternative_text(example, document):
    pictures = document.inline_shapes
    assert len(pictures) == sum(1 for s in example.all_series() if s.observed())
    for shape in pictures:
        descr = shape._inline.docPr.get("descr")
        assert descr and descr.startswith(("Line chart of", "Chart of")), descr


def test_one_outcome_only_and_an_unknown_outcome(example, judged, tmp_path):
    path = render_docx(example, judged, tmp_path / "safe.docx", outcome_id="safe")
    assert path.exists()
    with pytest.raises(ValueError, match="not an outcome"):
        render_docx(example, judged, tmp_path / "x.docx", outcome_id="healthy")


def test_charts_are_png_and_cope_with_an_empty_series(example):
    from outcomes.model import PeriodKind, Series, Unit

    png = chart_png(example.series_by_id()["child-protection"], example)
    assert png.startswith(b"\x89PNG")
    empty = Series("e", "Empty", Unit("count"), None, PeriodKind.QUARTER)
    assert chart_png(empty, example).startswith(b"\x89PNG")


def test_the_dfe_example_renders_with_its_comparators(tmp_path):
    folder = Path(__file__).resolve().parents[3] / "examples" / "children-safeguarding"
    if not folder.exists():
        pytest.skip("examples/children-safeguarding has not been generated")
    from outcomes.sources import load_dataset

    judge = pytest.importorskip("outcomes.judge")
    fw = load_dataset(folder)
    path = render_docx(fw, judge.judge_framework(fw), tmp_path / "dfe.docx")
    text = _text(docx.Document(str(path)))
    assert "Compared with Statistical neighbours" in text and "Series break" in text
