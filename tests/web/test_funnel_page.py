"""The tracker's indicator page shows the funnel plot across the comparator group, with its table.

Given examples/children-safeguarding stored (a statistical-neighbour group with counts and
populations), when an indicator page is asked for, then it carries the report's funnel SVG (with its
<title>) and a table naming every area and where it lies against the 95% and 99.8% limits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.html import one, parse, text

pytestmark = pytest.mark.django_db(databases="__all__")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "children-safeguarding"


def test_the_indicator_page_has_a_funnel_plot_and_its_table(client, db_alias):
    from outcomes_web import adapter

    adapter.store_framework(adapter.load_dataset(EXAMPLE))
    page = client.get("/outcomes/dorset-children-safeguarding/indicators/children-looked-after/")
    assert page.status_code == 200
    soup = parse(page.content)
    funnel = one(soup, "svg.chart.chart-funnel#funnel-children-looked-after")
    title = one(funnel, ":scope > title#funnel-children-looked-after-title")
    assert funnel.find(True) is title and text(title)  # the <title> comes first and says what it shows
    table = one(soup, "table:has(> caption#funnel-table-children-looked-after)")
    rows = [text(tr) for tr in table.select("tbody tr")]
    assert len(rows) > 1 and sum("Dorset (this area)" in row for row in rows) == 1
    assert any(f"{side} the 99.8% limit" in row or f"{side} the 95% limit" in row
               for row in rows for side in ("above", "below"))
