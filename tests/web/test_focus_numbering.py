"""One focus numbering (issue 13 item 9): the tracker's scorecard shows the same focus number for each
series as the HTML report of the same framework, numbered 1..N with no gaps, and says how it is made.

The PDF's text is checked against the same numbers in tests/unit/report/test_focus_numbering.py.
"""

from __future__ import annotations

import bs4
import pytest

pytestmark = pytest.mark.django_db(databases="__all__")


def _scorecard_numbers(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    r = client.get("/outcomes/safe/")
    assert r.status_code == 200
    soup = bs4.BeautifulSoup(r.content, "html.parser")
    numbers: dict[str, int] = {}
    for row in soup.select("table.table--scorecard tbody tr"):
        link = row.select_one("th a")
        cells = row.select("td")
        assert link is not None and cells
        series_id = link["href"].split("#series-", 1)[1]
        focus = cells[-1].get_text(strip=True)
        if focus not in ("", "–"):
            numbers[series_id] = int(focus)
    return numbers


def _report_numbers() -> dict[str, int]:
    from outcomes.data import EXAMPLE
    from outcomes.report import render_html
    from outcomes.sources import load_dataset

    soup = bs4.BeautifulSoup(render_html(load_dataset(EXAMPLE)), "html.parser")
    numbers: dict[str, int] = {}
    for row in soup.select("table.glance tbody tr"):
        anchor = row.select_one("th a")["href"]  # "#ser-<series id>"
        focus = row.select("td")[-1].get_text(strip=True)
        if focus not in ("", "–"):
            assert anchor.startswith("#ser-") and focus.startswith("#")
            numbers[anchor.removeprefix("#ser-")] = int(focus.removeprefix("#"))
    return numbers


def test_the_scorecard_and_the_report_number_focus_the_same_way(client, db_alias):  # type: ignore[no-untyped-def]
    tracker = _scorecard_numbers(client)
    report = _report_numbers()
    assert tracker, "the example has series listed for focus"
    assert tracker == report
    assert sorted(tracker.values()) == list(range(1, len(tracker) + 1))  # 1..N, no gaps


def test_the_scorecard_says_how_the_focus_ranking_is_made(client, db_alias):  # type: ignore[no-untyped-def]
    soup = bs4.BeautifulSoup(client.get("/outcomes/safe/").content, "html.parser")
    note = soup.select_one("#scorecard-focus")
    assert note is not None
    assert "Focus numbers rank every series" in note.get_text()
