"""Fewer, fuller pages: the example's PDF is A4 landscape with nothing dropped (tests/unit/report/test_content.py
checks every title, figure and narrative sentence), in a bounded number of pages.

The issue's target is at most 24 pages (the published pack has 14). Today the layout reaches 29 (it was 37:
the contents now share the cover page, nothing forces a page break, measure cards sit four to a row with
smaller charts, and the data-quality appendix is grouped by check). The strict expected failure below
records the gap and will report when the target is met; the bound keeps the count from creeping back.
"""

from __future__ import annotations

from typing import Any

import pytest

TODAY = 29  # pages of the example's PDF now (37 before); lower it when the layout gets tighter
TARGET = 24


def test_the_example_fits_in_a_bounded_number_of_pages(pdf_reader: Any) -> None:
    assert len(pdf_reader.pages) <= TODAY


def test_every_page_is_a4_landscape(pdf_reader: Any) -> None:
    sizes = {(round(float(p.mediabox.width)), round(float(p.mediabox.height))) for p in pdf_reader.pages}
    assert sizes == {(842, 595)}


@pytest.mark.xfail(strict=True, reason="issue 13 item 4: the layout is not yet down to 24 pages")
def test_the_example_fits_in_24_pages(pdf_reader: Any) -> None:
    assert len(pdf_reader.pages) <= TARGET
