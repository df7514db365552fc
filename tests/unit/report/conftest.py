"""Shared fixtures for the report tests: the example judged, checked and rendered once per session.

The PDF is laid out once (WeasyPrint takes seconds), and every PDF test reads the same bytes.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import Any

import pytest
from tests.web.html import parse


@pytest.fixture(scope="session")
def report_findings(example: Any) -> list[Any]:
    from outcomes.judge.quality import run_checks

    return run_checks(example)


@pytest.fixture(scope="session")
def report_judged(example: Any, report_findings: list[Any]) -> Any:
    from outcomes.judge import judge_framework

    return judge_framework(example, quality_findings=report_findings)


@pytest.fixture(scope="session")
def report_view(example: Any, report_judged: Any, report_findings: list[Any]) -> Any:
    from outcomes.report import build_view

    return build_view(example, report_judged, report_findings)


@pytest.fixture(scope="session")
def report_html(example: Any, report_judged: Any, report_findings: list[Any]) -> str:
    from outcomes.report import render_html

    return render_html(example, judged=report_judged, findings=report_findings)


@pytest.fixture(scope="session")
def report_pdf(example: Any, report_judged: Any, report_findings: list[Any]) -> bytes:
    from outcomes.report import render_pdf

    return render_pdf(example, judged=report_judged, findings=report_findings)


@pytest.fixture(scope="session")
def pdf_reader(report_pdf: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(report_pdf))


def normalise(text: str) -> str:
    """Text for comparison: Unicode compatibility forms (ligatures), words split at a line-end hyphen
    joined again, one space between words."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u00ad", "")
    text = re.sub(r"(?<=[a-z])-\s*\n\s*(?=[a-z])", "-", text)
    return re.sub(r"\s+", " ", text).strip()


_BLOCKS = {"address", "article", "aside", "blockquote", "br", "caption", "dd", "details", "div", "dl", "dt",
           "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
           "nav", "ol", "p", "section", "summary", "table", "td", "th", "tr", "ul", "title"}


def _reader_text(html: str) -> str:
    """The text a reader sees: inline elements run together, block elements separated; CSS, SVG and
    scripts left out."""
    soup = parse(html)
    for tag in soup.select("style, svg, script"):
        if not tag.decomposed:
            tag.decompose()
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before(" ")
        tag.insert_after(" ")
    return soup.get_text()


_PAGE_OF = re.compile(r"Page \d+ of \d+\s*$")


def page_body(text: str, *, first: bool) -> str:
    """A page's text without its running header and footer, which the PDF engine writes last: the footer line
    ("<report title> Page N of M") and, after the cover, the header line ("<outcome> <section>"). Without
    them a sentence that flows onto the next page reads as one sentence again."""
    lines = text.rstrip().splitlines()
    if lines and _PAGE_OF.search(lines[-1]):
        lines.pop()
        if not first and lines:
            lines.pop()
    return "\n".join(lines)


@pytest.fixture(scope="session")
def pdf_text(pdf_reader: Any) -> str:
    """The PDF's body text, page after page (running headers and footers left out)."""
    return normalise(" ".join(page_body(page.extract_text() or "", first=i == 0)
                              for i, page in enumerate(pdf_reader.pages)))


@pytest.fixture(scope="session")
def html_text(report_html: str) -> str:
    """The visible text of the HTML (inline CSS and SVG markup excluded)."""
    return normalise(_reader_text(report_html))
