"""Issue 16 items 5, 6 and 10 and issue 13 item 8, in the pages' HTML (the browser tests check how they look:
tests/browser/test_every_page.py).

Given the example stored, when the scorecard, the risk register, an indicator page or a report is asked for,
then its tables carry what a phone needs to stack them (every cell labelled with its column, ARIA table
roles), the figures and judgements come before the background, report links are followed (not
downloaded) and the report served by the tracker links back to it.
"""

from __future__ import annotations

import pytest
from tests.web.html import one, page, parse, text, texts

pytestmark = pytest.mark.django_db(databases="__all__")

INDICATOR = "/outcomes/safe/indicators/child-protection/"


def _position(html: str, marker: str) -> int:
    at = html.find(marker)
    assert at >= 0, f"{marker!r} is not on the page"
    return at


def test_the_scorecard_table_is_labelled_for_stacking_and_comes_first(client, db_alias):
    r = client.get("/outcomes/safe/")
    soup = page(r)
    table = one(soup, "table.table--scorecard.table--stack")
    assert table["role"] == "table"
    headers = texts(table, "thead th")
    assert [th["role"] for th in table.select("thead th")] == ["columnheader"] * len(headers)
    for row in table.select("tbody tr"):
        assert row["role"] == "row"
        assert one(row, "th[scope=row]")["role"] == "rowheader"
        labels = [td["data-label"] for td in row.select("td")]
        assert [td["role"] for td in row.select("td")] == ["cell"] * len(labels)
        # every column but the row header's has its label, in the column's order
        assert labels == [h.rstrip(" ↕▲▼") for h in headers if not h.startswith("Title")]
    # the filters are one click away, closed when no filter is in use, open when one is
    assert one(soup, "details.filters-details").get("open") is None
    assert one(page(client.get("/outcomes/safe/", {"trend": "worsening"})), "details.filters-details").has_attr("open")
    # the table before the introduction and the outcome's facts
    html = r.content.decode()
    assert _position(html, 'class="table table--scorecard') < _position(html, 'id="about-heading"')
    assert _position(html, 'id="about-heading"') < _position(html, "A summary of the current position")


def test_the_risk_register_labels_outcome_and_linked_indicators(client, db_alias):
    soup = page(client.get("/risks/"))
    table = one(soup, "table.table--risks.table--stack")
    rows = table.select("tbody tr")
    assert rows
    for row in rows:
        cells = {td["data-label"]: text(td) for td in row.select("td")}
        assert set(cells) == {"Title", "Score", "Trend", "Outcome", "Linked indicators"}
        assert cells["Outcome"] and cells["Linked indicators"]


def test_the_indicator_page_starts_with_the_latest_figure_judgements_and_chart(client, db_alias):
    r = client.get(INDICATOR)
    soup = page(r)
    first = one(soup, "section#series-child-protection")
    latest = one(first, ".series__top .latest__value")
    assert text(latest).startswith("32.8 per 10,000")
    assert texts(first, ".series__top .judgements dt") == ["Trend", "Comparator"]
    assert first.select_one(".series__top figure svg") is not None
    html = r.content.decode()
    assert _position(html, 'class="series__top"') < _position(html, 'id="about-heading"')
    assert _position(html, 'class="series__top"') < _position(html, 'id="narrative-heading"')
    # comparators stack on a phone, each cell labelled
    comparators = one(first, "table.table--stack")
    assert {td["data-label"] for td in comparators.select("tbody td")} >= {"Value", "Period", "Judgement"}


def test_report_links_are_followed_not_downloaded(client, db_alias):
    """With ``download`` the browser saved the "being prepared" page as the PDF and showed nothing."""
    for url in ("/outcomes/safe/", INDICATOR):
        links = page(client.get(url)).select("a[href*='/report.pdf']")
        assert links, url
        assert all(not a.has_attr("download") for a in links), url


def test_the_report_served_by_the_tracker_links_back_to_it(client, db_alias):
    r = client.get("/outcomes/safe/report.html", {"period": "Q4 2017-18"})
    assert r.status_code == 200
    back = one(page(r), "header a.back-link")
    assert back["href"] == "./?period=Q4+2017-18"  # from /outcomes/safe/report.html: the scorecard
    assert text(back) == "Back to the tracker"


def test_a_report_built_without_the_tracker_has_no_back_link(example):  # type: ignore[no-untyped-def]
    from outcomes.report import render_html

    soup = parse(render_html(example))
    assert soup.select("a.back-link") == []
    linked = parse(render_html(example, back_url="https://tracker.example.org/outcomes/safe/"))
    assert one(linked, "a.back-link")["href"] == "https://tracker.example.org/outcomes/safe/"


@pytest.fixture
def any_db_cycle(db_alias):  # type: ignore[no-untyped-def]
    """The cycle's accounts and draft on SQLite and on PostgreSQL (as tests/web/test_cycle.py makes it)."""
    from tests.web.conftest import Cycle

    return Cycle()


def test_the_draft_report_preview_is_built_by_the_worker(any_db_cycle):  # type: ignore[no-untyped-def]
    """Tests build at once (the immediate task backend), so the preview is there, and it is the build the
    report queue keeps (as for the public reports), not one made in the request."""
    from outcomes_web import adapter
    from outcomes_web.reports import builds

    cycle = any_db_cycle
    r = cycle.client(cycle.perf).get(f"/manage/snapshots/{cycle.draft.pk}/report.html")
    assert r.status_code == 200 and r["Cache-Control"] == "private, no-store"
    kept = builds.request(adapter.load_outcome(cycle.draft), "html")  # the build the preview queued
    assert isinstance(kept, builds.Ready) and kept.cached and kept.content == r.content
    assert one(page(r), "a.back-link")["href"].startswith("./?period=Q1")  # back to the snapshot page
