"""The public pages, through Django's test client, on SQLite and PostgreSQL (see conftest.py).

Given the example stored for Q4 2017-18 and Q3 2017-18, a second outcome, and a draft,
when a page is asked for, then it shows what it should and nothing it should not.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from tests.web.html import BeautifulSoup, Doctype, one, page, parse, texts
from tests.web.html import text as words

pytestmark = pytest.mark.django_db(databases="__all__")

INDICATOR = "/outcomes/safe/indicators/child-protection/"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode("utf-8")


# --------------------------------------------------------------------------------------------- home
def test_home_lists_every_outcome_with_counts_by_judgement(client, db_alias):
    r = client.get("/")
    assert r.status_code == 200
    soup = page(r)
    assert texts(soup, "section.card h3 a") == ["Safe", "Prosperous"]
    assert one(soup, "#outcome-safe a")["href"] == "/outcomes/safe/"
    # counts of series by trend word, per kind, in a captioned table
    assert "9 population indicators and 16 performance measures, judged series by series." in words(soup)
    table = one(soup, "table:has(> caption#counts-safe)")
    assert words(one(table, "caption")) == "Safe: series by trend"
    tags = table.select("tbody th[scope=row] strong.tag")
    for word in ("Improving", "Similar", "Worsening", "Not assessed"):
        assert any(word in tag.find_all(string=True, recursive=False) for tag in tags), word
    # the word, its letter, and the colour last
    assert words(one(table, "strong.tag--green")) == "G Improving (rated green)"
    assert "reporting period Q4 2017-18" in texts(soup, "#outcome-safe ~ p.caption")[0]


def test_home_for_an_earlier_period_and_drafts_hidden(client, db_alias):
    soup = page(client.get("/", {"period": "Q3 17-18"}))
    assert texts(soup, "section.card h3 a") == ["Safe"]  # only Safe was reported for Q3
    assert one(soup, "#outcome-safe a")["href"] == "/outcomes/safe/?period=Q3+2017-18"
    draft = client.get("/", {"period": "Q1 2018-19"})
    assert "Prosperous" not in text(draft)  # the Q1 2018-19 snapshot is a draft
    assert "Nothing has been published for Q1 2018-19" in text(draft)


def test_a_period_that_cannot_be_read_is_a_400_with_the_reason(client, db_alias):
    r = client.get("/", {"period": "Q5 2017-18"})
    assert r.status_code == 400
    assert "quarters are Q1 to" in text(r)


# ---------------------------------------------------------------------------------------- scorecard
def test_scorecard_shows_every_series_with_judgement_words_and_sparklines(client, db_alias):
    r = client.get("/outcomes/safe/")
    assert r.status_code == 200
    soup = page(r)
    assert words(one(soup, "main p[role=status]")) == "Showing 29 of 29 series."
    sparks = soup.select("table.table--scorecard tbody svg.sparkline")
    assert len(sparks) == 29
    assert all(words(one(svg, "title")) for svg in sparks)  # every sparkline says what it shows
    assert "Rate of children subject to a child protection plan" in _titles(soup)
    # a judgement is a word with its letter, never colour alone
    greens = soup.select("table.table--scorecard tbody strong.tag--green")
    assert greens and all(words(one(g, "span.tag__letter[aria-hidden=true]")) == "G"
                          and words(one(g, "span.visually-hidden")) == "(rated green)" for g in greens)
    assert "G Improving (rated green)" in [words(g) for g in greens]
    assert "Not compared" in texts(soup, "table.table--scorecard tbody strong.tag")
    hrefs = [a["href"] for a in soup.select("table.table--scorecard tbody th[scope=row] a")]
    assert "/outcomes/safe/indicators/child-protection/#series-child-protection" in hrefs
    sorts = [th["aria-sort"] for th in soup.select("table.table--scorecard thead th[aria-sort]")]
    assert sorted(sorts) == ["ascending"] + ["none"] * 5


def test_scorecard_filters_by_judgement_and_lead_officer(client, db_alias):
    soup = page(client.get("/outcomes/safe/", {"trend": "worsening"}))
    shown = int(re.fullmatch(r"Showing (\d+) of 29 series\.", words(one(soup, "main p[role=status]"))).group(1))  # type: ignore[union-attr]
    assert 0 < shown < 29 and len(_titles(soup)) == shown
    trends = [words(td) for td in soup.select("table.table--scorecard tbody tr > td:nth-of-type(3) strong.tag")]
    assert trends == ["R Worsening (rated red)"] * shown, trends
    soup = page(client.get("/outcomes/safe/", {"officer": "Michael Potter"}))
    assert "Number of people killed or seriously injured on Dorset roads" in _titles(soup)
    assert "Rate of children in care" not in _titles(soup)
    assert one(soup, "select#f-officer option[selected]")["value"] == "Michael Potter"
    soup = page(client.get("/outcomes/safe/", {"kind": "population_indicator"}))
    assert words(one(soup, "main p[role=status]")) == "Showing 11 of 29 series."
    assert len(_titles(soup)) == 11
    soup = page(client.get("/outcomes/safe/", {"trend": "improving", "officer": "Nobody"}))
    assert words(one(soup, "table.table--scorecard tbody td[colspan]")).startswith("No series match these filters.")


def _titles(soup: BeautifulSoup) -> list[str]:
    """The series titles of the scorecard, top to bottom."""
    return texts(soup, "table.table--scorecard tbody th[scope=row].table__rowhead > a")


def test_scorecard_sorts_on_the_server_with_aria_sort(client, db_alias):
    plain = _titles(page(client.get("/outcomes/safe/")))
    soup = page(client.get("/outcomes/safe/", {"sort": "title", "order": "ascending"}))
    assert _titles(soup) == sorted(plain, key=str.lower)
    sorted_by = one(soup, "table.table--scorecard thead th[scope=col][aria-sort=ascending]")
    assert words(sorted_by) == "Title"
    assert one(sorted_by, "a.sort-link")["href"] == "?sort=title&order=descending#scorecard"
    desc = _titles(page(client.get("/outcomes/safe/", {"sort": "title", "order": "descending"})))
    assert desc == sorted(plain, key=str.lower, reverse=True)
    focus = page(client.get("/outcomes/safe/", {"sort": "focus"}))
    last = [words(tr.select("td")[-1]) for tr in focus.select("table.table--scorecard tbody tr")]
    ranks = [int(x) for x in last if x.isdigit()]
    assert ranks == sorted(ranks) and ranks
    assert all(x == "–" for x in last[len(ranks):])  # series without a rank come last
    # filters survive in the sort links
    kept = page(client.get("/outcomes/safe/", {"trend": "worsening"}))
    links = [a["href"] for a in kept.select("table.table--scorecard thead a.sort-link")]
    assert "?trend=worsening&sort=trend&order=ascending#scorecard" in links


def test_unknown_outcome_is_404_in_the_site_style(client, db_alias):
    r = client.get("/outcomes/nowhere/")
    assert r.status_code == 404
    assert "Page not found" in text(r) and "nowhere" in text(r)


# ---------------------------------------------------------------------------------------- indicator
def test_indicator_page_has_chart_table_judgements_narrative_measures_risks(client, db_alias):
    r = client.get(INDICATOR)
    assert r.status_code == 200
    html = text(r)
    soup = parse(html)
    assert words(one(soup, "h1")) == "Rate of children subject to a child protection plan"
    charts = soup.select(".figure--chart svg, .chart-wrap > svg")  # series charts (wide and phone), funnels
    assert charts
    for chart in charts:
        first = [child.name for child in chart.find_all(True, recursive=False)][:2]
        assert first == ["title", "desc"], "each chart's first children are <title> and <desc>"
        assert words(one(chart, ":scope > title")) and words(one(chart, ":scope > desc"))
    assert "values by period" in html and "58.5 per 10,000" in html
    assert "Method:" in html  # the judgement says how it was made
    assert "Story behind the baseline" in html and "Partners with a significant role to play" in html
    assert "Children in need rate per 10,000" in html  # a measure
    assert "02b" in html and "14b" in html  # linked risks
    assert "Value for money" in html and "Under development" in html
    assert "What the published report said:" in html and "53.8 per 10,000" in html
    assert "observations.csv" in html and "judgements.csv" in html and "indicator.json" in html
    assert "the headline printed the previous figure" in html.lower()  # data notes from the narrative


def test_indicator_page_with_benchmarks_intervals_notes_and_safe_markdown(client, db_alias):
    html = text(client.get("/outcomes/prosperous/indicators/employment-rate/"))
    soup = parse(html)
    assert "England" in texts(soup, "table thead th[scope=col].num")  # benchmark column
    assert "72.9% to 75.3%" in html  # interval column
    assert "Provisional until the annual survey is revised." in html
    assert "apprenticeships" in texts(soup, "#narrative .prose em")  # Markdown rendered
    assert not soup.select("script")  # ...and raw HTML not passed through
    assert "Rank" in html and "3 of 16" in html
    assert "P01" in html
    assert "suppressed" in html  # a missing value says why


def test_unknown_indicator_is_404(client, db_alias):
    assert client.get("/outcomes/safe/indicators/nothing/").status_code == 404
    # an indicator of another outcome is not found under this one
    assert client.get("/outcomes/safe/indicators/employment-rate/").status_code == 404


def test_indicator_downloads_csv_and_json(client, db_alias):
    r = client.get("/outcomes/prosperous/indicators/employment-rate/observations.csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r["Content-Disposition"] == 'attachment; filename="prosperous-employment-rate-q4-2017-18-observations.csv"'
    rows = list(csv.DictReader(io.StringIO(text(r))))
    assert len(rows) == 14
    assert {row["series"] for row in rows} == {"employment-rate", "apprenticeship-starts"}
    formula = next(row for row in rows if row["note"].startswith("'="))
    assert formula["note"] == "'=HYPERLINK(\"http://example.org\")"  # neutralised, not a live formula
    r = client.get("/outcomes/prosperous/indicators/employment-rate/judgements.csv")
    rows = list(csv.DictReader(io.StringIO(text(r))))
    assert [row["series"] for row in rows] == ["employment-rate", "apprenticeship-starts"]
    assert rows[0]["trend"] and rows[0]["trend_method"]
    r = client.get(INDICATOR + "indicator.json")
    data = json.loads(r.content)
    assert data["indicator"] == "child-protection" and data["reporting_period"] == "Q4 2017-18"
    assert {o["series"] for o in data["observations"]} >= {"child-protection", "children-in-need"}
    assert data["judgements"][0]["trend"] in ("improving", "similar", "worsening", "not assessed")
    assert client.get(INDICATOR + "nothing.csv").status_code == 404


def test_indicator_for_an_earlier_period(client, db_alias):
    html = text(client.get(INDICATOR, {"period": "Q3 2017-18"}))
    assert "Q3 2017-18" in html
    assert "period=Q3+2017-18" in html  # links keep the period


# --------------------------------------------------------------------------------------------- risks
def test_risk_register_lists_every_risk_with_score_trend_and_links(client, db_alias):
    html = text(client.get("/risks/"))
    soup = parse(html)
    assert "18 risks shown." in html  # 17 Safe + 1 Prosperous
    assert "High" in texts(one(soup, "#risk-14b"), "strong.tag")
    assert "/outcomes/safe/indicators/child-protection/#risks" in [a["href"] for a in soup.select("main a")]
    assert "Not assigned to an indicator" in html
    assert "Printed as IMPROVED" in html  # the trend as published when it differs


@pytest.mark.parametrize(("params", "count"), [
    ({"score": "HIGH"}, 6), ({"trend": "worsening"}, 3), ({"outcome": "prosperous"}, 1),
    ({"linked": "no"}, 8), ({"linked": "yes"}, 10), ({"q": "safeguarding"}, 2),
])
def test_risk_register_filters(client, db_alias, params, count):
    html = text(client.get("/risks/", params))
    assert f"{count} risk{'s' if count != 1 else ''} shown." in html


# -------------------------------------------------------------------------------------------- search
def test_search_finds_titles_and_narrative(client, db_alias):
    html = text(client.get("/search/", {"q": "zebra-crossing"}))
    soup = parse(html)
    assert "1 page found for ‘zebra-crossing’" in html
    assert texts(soup, "main mark") == ["zebra-crossing"]
    assert "/outcomes/prosperous/indicators/employment-rate/" in [a["href"] for a in soup.select("main a")]
    html = text(client.get("/search/", {"q": "domestic abuse"}))
    assert "Domestic abuse incidents" in html and "Domestic abuse crimes" in html
    assert "Nothing matches" in text(client.get("/search/", {"q": "qwertyuiop"}))
    assert "result" not in text(client.get("/search/"))


def test_search_escapes_what_it_echoes(client, db_alias):
    typed = "<script>alert(1)</script>"
    soup = page(client.get("/search/", {"q": typed}))
    assert not soup.select("script")  # not run as a script...
    assert typed in words(one(soup, "main"))  # ...but shown as the words typed


# -------------------------------------------------------------------------------------- page chrome
@pytest.mark.parametrize("url", ["/", "/outcomes/safe/", INDICATOR, "/risks/", "/search/?q=crime", "/api/"])
def test_every_page_has_the_design_system_furniture(client, db_alias, url):
    soup = page(client.get(url))
    assert isinstance(soup.contents[0], Doctype) and soup.contents[0] == "html"
    assert one(soup, "html")["lang"] == "en-GB"
    skip = one(soup, "body > a.skip-link")
    assert skip["href"] == "#main-content" and words(skip) == "Skip to main content"
    assert one(soup, "main#main-content").get("class") == ["main"]
    assert words(one(soup, ".phase-banner strong.tag")) == "Beta"
    assert len(soup.select("h1")) == 1
    assert not soup.select("script")  # no JavaScript needed
    if url != "/":
        assert soup.select("[aria-current=page]")


def test_static_css_is_served(client, db_alias):
    r = client.get("/static/tracker/tracker.css")
    assert r.status_code == 200
    assert b":focus" in b"".join(r.streaming_content)


def test_only_get_is_allowed(client, db_alias):
    assert client.post("/outcomes/safe/").status_code in (403, 405)
    assert client.post("/api/outcomes/").status_code == 405
