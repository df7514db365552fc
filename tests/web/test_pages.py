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

pytestmark = pytest.mark.django_db(databases="__all__")

INDICATOR = "/outcomes/safe/indicators/child-protection/"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode("utf-8")


# --------------------------------------------------------------------------------------------- home
def test_home_lists_every_outcome_with_counts_by_judgement(client, db_alias):
    r = client.get("/")
    assert r.status_code == 200
    html = text(r)
    assert "Safe" in html and "Prosperous" in html
    assert 'href="/outcomes/safe/"' in html
    # counts of series by trend word, per kind, in a captioned table
    assert "9 population indicators and 16 performance measures, judged series by series." in html
    assert "Safe: series by trend</caption>" in html
    table = html[html.index("Safe: series by trend</caption>"):]
    table = table[:table.index("</table>")]
    for word in ("Improving", "Similar", "Worsening", "Not assessed"):
        assert f"{word}<" in table, word
    assert "(rated green)" in table  # the word, its letter, and the colour last
    assert "Q4 2017-18" in html


def test_home_for_an_earlier_period_and_drafts_hidden(client, db_alias):
    html = text(client.get("/", {"period": "Q3 17-18"}))
    assert "Safe" in html and "Prosperous" not in html  # only Safe was reported for Q3
    assert "/outcomes/safe/?period=Q3+2017-18" in html
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
    html = text(r)
    assert "Showing 29 of 29 series." in html
    assert html.count('<svg class="sparkline"') == 29
    assert html.count("<title>") >= 29  # every sparkline says what it shows
    assert "Rate of children subject to a child protection plan" in html
    # a judgement is a word with its letter, never colour alone
    assert re.search(r'<strong class="tag tag--green"><span class="tag__letter" aria-hidden="true">G</span>'
                     r"Improving<span class=\"visually-hidden\"> \(rated green\)</span></strong>", html)
    assert "Not compared" in html
    assert 'href="/outcomes/safe/indicators/child-protection/#series-child-protection"' in html
    assert 'aria-sort="ascending"' in html and html.count('aria-sort="none"') == 5


def test_scorecard_filters_by_judgement_and_lead_officer(client, db_alias):
    html = text(client.get("/outcomes/safe/", {"trend": "worsening"}))
    shown = int(re.search(r"Showing (\d+) of 29 series", html).group(1))
    assert 0 < shown < 29
    assert 'tag--green"><span class="tag__letter" aria-hidden="true">G</span>Improving' not in html
    html = text(client.get("/outcomes/safe/", {"officer": "Michael Potter"}))
    assert "Number of people killed or seriously injured on Dorset roads" in html
    assert "Rate of children in care" not in html
    assert '<option value="Michael Potter" selected>' in html
    html = text(client.get("/outcomes/safe/", {"kind": "population_indicator"}))
    assert "Showing 11 of 29 series." in html
    html = text(client.get("/outcomes/safe/", {"trend": "improving", "officer": "Nobody"}))
    assert "No series match these filters." in html


def _titles(html: str) -> list[str]:
    return re.findall(r'<th scope="row" class="table__rowhead"><a href="[^"]+">([^<]+)</a>', html)


def test_scorecard_sorts_on_the_server_with_aria_sort(client, db_alias):
    plain = _titles(text(client.get("/outcomes/safe/")))
    html = text(client.get("/outcomes/safe/", {"sort": "title", "order": "ascending"}))
    assert _titles(html) == sorted(plain, key=str.lower)
    assert re.search(r'<th scope="col" aria-sort="ascending"><a class="sort-link" href="\?sort=title&amp;'
                     r'order=descending#scorecard">Title</a>', html)
    desc = _titles(text(client.get("/outcomes/safe/", {"sort": "title", "order": "descending"})))
    assert desc == sorted(plain, key=str.lower, reverse=True)
    focus = text(client.get("/outcomes/safe/", {"sort": "focus"}))
    ranks = [int(x) for x in re.findall(r'<td class="num">(\d+)</td>\s*</tr>', focus)]
    assert ranks == sorted(ranks) and ranks
    # filters survive in the sort links
    kept = text(client.get("/outcomes/safe/", {"trend": "worsening"}))
    assert "href=\"?trend=worsening&amp;sort=trend&amp;order=ascending#scorecard\"" in kept


def test_unknown_outcome_is_404_in_the_site_style(client, db_alias):
    r = client.get("/outcomes/nowhere/")
    assert r.status_code == 404
    assert "Page not found" in text(r) and "nowhere" in text(r)


# ---------------------------------------------------------------------------------------- indicator
def test_indicator_page_has_chart_table_judgements_narrative_measures_risks(client, db_alias):
    r = client.get(INDICATOR)
    assert r.status_code == 200
    html = text(r)
    assert "<h1" in html and "Rate of children subject to a child protection plan" in html
    svg = re.search(r"<svg[^>]*>\s*<title[^>]*>([^<]+)</title>\s*<desc[^>]*>([^<]+)</desc>", html)
    assert svg, "the chart's first children are <title> and <desc>"
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
    assert "<th scope=\"col\" class=\"num\">England</th>" in html  # benchmark column
    assert "72.9% to 75.3%" in html  # interval column
    assert "Provisional until the annual survey is revised." in html
    assert "<em>apprenticeships</em>" in html  # Markdown rendered
    assert "<script>" not in html  # ...and raw HTML not passed through
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
    assert 'filename="prosperous-employment-rate-q4-2017-18-observations.csv"' in r["Content-Disposition"]
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
    assert "18 risks shown." in html  # 17 Safe + 1 Prosperous
    assert 'id="risk-14b"' in html and "High" in html
    assert 'href="/outcomes/safe/indicators/child-protection/#risks"' in html
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
    assert "1 page found for ‘zebra-crossing’" in html
    assert "<mark>zebra-crossing</mark>" in html
    assert 'href="/outcomes/prosperous/indicators/employment-rate/"' in html
    html = text(client.get("/search/", {"q": "domestic abuse"}))
    assert "Domestic abuse incidents" in html and "Domestic abuse crimes" in html
    assert "Nothing matches" in text(client.get("/search/", {"q": "qwertyuiop"}))
    assert "result" not in text(client.get("/search/"))


def test_search_escapes_what_it_echoes(client, db_alias):
    html = text(client.get("/search/", {"q": "<script>alert(1)</script>"}))
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


# -------------------------------------------------------------------------------------- page chrome
@pytest.mark.parametrize("url", ["/", "/outcomes/safe/", INDICATOR, "/risks/", "/search/?q=crime", "/api/"])
def test_every_page_has_the_design_system_furniture(client, db_alias, url):
    html = text(client.get(url))
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en-GB">' in html
    assert '<a href="#main-content" class="skip-link">Skip to main content</a>' in html
    assert '<main class="main" id="main-content">' in html
    assert "phase-banner" in html and ">Beta<" in html
    assert html.count("<h1") == 1
    assert "<script" not in html  # no JavaScript needed
    if url != "/":
        assert 'aria-current="page"' in html


def test_static_css_is_served(client, db_alias):
    r = client.get("/static/tracker/tracker.css")
    assert r.status_code == 200
    assert b":focus" in b"".join(r.streaming_content)


def test_only_get_is_allowed(client, db_alias):
    assert client.post("/outcomes/safe/").status_code in (403, 405)
    assert client.post("/api/outcomes/").status_code == 405
