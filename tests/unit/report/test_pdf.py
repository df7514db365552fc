"""The example's PDF is tagged PDF/UA-1: declared in XMP, marked, with a structure tree, a title shown in
the window, a language, alternative text on every figure, header cells in tables and bookmarks."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest


def _walk(node: Any, parents: tuple[str, ...] = ()) -> Any:
    """Yield (structure element, its ancestors' types) for the structure tree under ``node``."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, list):
        for child in node:
            yield from _walk(child, parents)
        return
    if not hasattr(node, "get") or "/S" not in node and "/K" not in node:
        return
    kind = str(node.get("/S", ""))
    if kind:
        yield node, parents
    kids = node.get("/K")
    if kids is not None:
        yield from _walk(kids, (*parents, kind) if kind else parents)


@pytest.fixture(scope="module")
def structure(pdf_reader: Any) -> list[tuple[Any, tuple[str, ...]]]:
    root = pdf_reader.trailer["/Root"]
    return list(_walk(root["/StructTreeRoot"]))


def test_declares_pdf_ua_in_xmp_metadata(pdf_reader: Any) -> None:
    xmp = pdf_reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp or b'pdfuaid:part="1"' in xmp


def test_is_tagged_with_a_structure_tree(pdf_reader: Any, structure: list[Any]) -> None:
    root = pdf_reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    kinds = {str(node["/S"]) for node, _ in structure}
    assert {"/Document", "/H1", "/H2", "/H3", "/P", "/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= kinds


def test_has_a_title_displayed_in_the_window_and_a_language(pdf_reader: Any, example: Any) -> None:
    root = pdf_reader.trailer["/Root"]
    title = pdf_reader.metadata["/Title"]
    assert title.startswith("Safe: Outcomes Focused Monitoring Report, Q4 2017-18")
    assert example.organisation in title
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert str(root["/Lang"]) == "en-GB"


def test_every_figure_has_alternative_text(structure: list[Any], report_view: Any) -> None:
    figures = [node for node, _ in structure if node["/S"] == "/Figure"]
    # every chart of the report (the narrow phone copies are HTML only) and the key's chart marks
    wide = [c for c in report_view.charts if not c.id.endswith("-narrow")]
    assert len(figures) >= len(wide)
    missing = [i for i, node in enumerate(figures) if not str(node.get("/Alt", "")).strip()]
    assert missing == []
    alts = {str(node["/Alt"]) for node in figures}
    assert "Rate of children subject to a child protection plan: Dorset and England" in alts


def test_tables_have_header_cells(structure: list[Any]) -> None:
    tables = [node for node, _ in structure if node["/S"] == "/Table"]
    assert tables
    headed = {id(node) for node, parents in structure if node["/S"] == "/TH"}
    assert headed
    for table in tables:
        cells = [n for n, _ in _walk(table["/K"]) if n["/S"] in ("/TH", "/TD")]
        assert any(c["/S"] == "/TH" for c in cells)


def test_headings_become_bookmarks(pdf_reader: Any, report_view: Any) -> None:
    titles: list[str] = []

    def collect(outline: Any) -> None:
        for item in outline:
            if isinstance(item, list):
                collect(item)
            else:
                titles.append(" ".join(item.title.split()))

    collect(pdf_reader.outline)
    assert "Contents" in titles
    assert "Key to ratings, codes and charts" in titles
    for section in report_view.outcomes[0].sections:
        assert any(section.title in t for t in titles), section.title
    # indicators grouped in section 05 are bookmarked beneath it
    assert any("Domestic abuse crimes" in t for t in titles)


def test_a4_landscape_with_page_x_of_y(pdf_reader: Any) -> None:
    box = pdf_reader.pages[0].mediabox
    width, height = float(box.width), float(box.height)
    assert (round(width), round(height)) == (842, 595)
    total = len(pdf_reader.pages)
    assert f"Page 2 of {total}" in (pdf_reader.pages[1].extract_text() or "")
    assert f"Page {total} of {total}" in (pdf_reader.pages[-1].extract_text() or "")


def _contents_page(pdf_reader: Any) -> int:
    """The index of the page with the contents (the cover page since the contents share it)."""
    import re

    return next(i for i, page in enumerate(pdf_reader.pages)
                if re.search(r"Contents .*Executive summary \.+ \d+", " ".join(page.extract_text().split())))


def test_contents_give_the_right_page_numbers(pdf_reader: Any) -> None:
    import re

    index = _contents_page(pdf_reader)
    assert index == 0  # the contents share the cover page
    contents = " ".join(pdf_reader.pages[index].extract_text().split())
    contents = contents[contents.index("Contents"):]
    entries = dict(re.findall(r"(Executive summary|Key to ratings, codes and charts|Contacts) \.+ (\d+)", contents))
    assert set(entries) == {"Executive summary", "Key to ratings, codes and charts", "Contacts"}
    summary_page = pdf_reader.pages[int(entries["Executive summary"]) - 1].extract_text()
    assert "Safe: executive summary" in " ".join(summary_page.split())
    key_page = pdf_reader.pages[int(entries["Key to ratings, codes and charts"]) - 1].extract_text()
    assert "Key to ratings, codes and charts" in " ".join(key_page.split())


def test_links_in_contents_point_inside_the_document(pdf_reader: Any) -> None:
    annotations = pdf_reader.pages[_contents_page(pdf_reader)].get("/Annots") or []
    links = [a.get_object() for a in annotations if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 10


def test_running_headers_name_the_outcome_and_section(pdf_reader: Any) -> None:
    page = None
    for p in pdf_reader.pages:
        text = " ".join(p.extract_text().split())
        if "02 Rate of children in care Population indicator (shared responsibility)" in text:
            page = text
            break
    assert page is not None
    assert "SAFE: 02 Rate of children in care" in page
    assert page.startswith("Safe") or " Safe " in page


def test_render_pdf_silences_weasyprint_warnings_and_restores_the_logger(example: Any, caplog: Any) -> None:
    from outcomes.report.pdf import html_to_pdf

    logger = logging.getLogger("weasyprint")
    before = logger.level
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" role="img" width="10" height="10"><title>t</title>'
           '<rect width="5" height="5" style="paint-order: stroke; unknown-thing: 1"/></svg>')
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = html_to_pdf(f'<html lang="en"><head><title>t</title></head><body>{svg}</body></html>')
    assert pdf.startswith(b"%PDF")
    assert not [r for r in caplog.records if r.name.startswith("weasyprint") and r.levelno == logging.WARNING]
    assert logger.level == before


def test_pdf_bytes_are_a_pdf(report_pdf: bytes) -> None:
    from pypdf import PdfReader

    assert report_pdf[:5] == b"%PDF-"
    assert len(PdfReader(io.BytesIO(report_pdf)).pages) > 10


def test_the_dfe_example_pdf_is_tagged_with_alternative_text() -> None:
    """The second example, from published DfE data, passes the same PDF/UA checks."""
    import io
    from pathlib import Path

    from pypdf import PdfReader

    from outcomes.report import render_pdf
    from outcomes.sources import load_dataset

    folder = Path(__file__).resolve().parents[3] / "examples" / "children-safeguarding"
    reader = PdfReader(io.BytesIO(render_pdf(load_dataset(folder))))
    root = reader.trailer["/Root"]
    assert b"pdfuaid" in root["/Metadata"].get_object().get_data()
    assert bool(root["/MarkInfo"]["/Marked"]) and str(root["/Lang"]) == "en-GB"
    assert reader.metadata["/Title"]
    figures = [node for node, _ in _walk(root["/StructTreeRoot"]) if node["/S"] == "/Figure"]
    assert figures and all(str(node.get("/Alt", "")).strip() for node in figures)
