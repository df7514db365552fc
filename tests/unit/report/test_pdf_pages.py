"""Fewer, fuller pages: the example's PDF is A4 landscape with nothing dropped (tests/unit/report/test_content.py
checks every title, figure and narrative sentence), in a bounded number of pages.

The issue's target is at most 24 pages (the published pack has 14). Today the layout reaches 30 (37 before cards and summaries flowed in columns): the
strict expected failure below records the gap and will report when the target is met; the bound keeps
the count from creeping back towards the 48 pages of before.
"""

from __future__ import annotations

from typing import Any

import pytest

TODAY = 30  # pages of the example's PDF now (37 before the flowing-column layout); lower it when the layout gets tighter
TARGET = 24


def test_the_example_fits_in_a_bounded_number_of_pages(pdf_reader: Any) -> None:
    assert len(pdf_reader.pages) <= TODAY


@pytest.mark.xfail(strict=True, reason="issue 13 item 4: the layout is not yet down to 24 pages")
def test_the_example_fits_in_24_pages(pdf_reader: Any) -> None:
    assert len(pdf_reader.pages) <= TARGET
