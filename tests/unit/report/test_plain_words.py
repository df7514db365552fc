"""Plain words in public output: the HTML report and the PDF speak plain English.

Given the example, when its report is rendered, then none of our internal words (tests/data/plain-words)
appear in the HTML's visible text or the PDF's text, and a check code (``headline-disagrees-with-series``)
appears only in the data-quality appendix, where each code stands beside its plain title.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

FORBIDDEN = Path(__file__).resolve().parents[2] / "data" / "plain-words" / "forbidden.txt"


def forbidden_phrases() -> list[str]:
    lines = FORBIDDEN.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def check_code_pattern() -> re.Pattern[str]:
    from outcomes.judge.quality import CHECKS

    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, CHECKS), key=len, reverse=True)) + r")\b")


def internal_words(text: str) -> list[str]:
    low = text.lower()
    return [p for p in forbidden_phrases() if p.lower() in low]


def _appendix_span(text: str, start: str = "Data-quality appendix", end: str = "How the judgements were made",
                   ) -> tuple[int, int]:
    """Where the appendix is: from its heading (the second ``start``: the contents lists it first; in the PDF
    the running header repeats it on each of its pages) to the last ``end``."""
    first = text.find(start)
    i, j = text.find(start, first + 1), text.rfind(end)
    assert 0 <= first < i < j, f"appendix markers {start!r}..{end!r} not found in order"
    return i, j


def test_the_forbidden_list_is_read() -> None:
    assert "seed report" in forbidden_phrases()
    assert check_code_pattern().search("see headline-disagrees-with-series here")


def test_html_report_has_no_internal_words(html_text: str) -> None:
    assert internal_words(html_text) == []


def test_pdf_text_has_no_internal_words(pdf_text: str) -> None:
    assert internal_words(pdf_text) == []


@pytest.mark.parametrize("which", ["html", "pdf"])
def test_check_codes_only_in_the_appendix_with_their_titles(which: str, html_text: str, pdf_text: str) -> None:
    from outcomes.judge.quality import CHECKS

    text = html_text if which == "html" else pdf_text
    codes = check_code_pattern()
    i, j = _appendix_span(text)
    assert codes.findall(text[:i] + text[j:]) == []
    appendix = text[i:j]
    found = set(codes.findall(appendix))
    assert found  # the example has findings, so the appendix names their checks
    if which == "html":  # the PDF's text may wrap a title across lines; the HTML keeps it whole
        for code in found:
            assert f"{CHECKS[code].title} ({code})" in appendix
