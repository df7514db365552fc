"""Public search with the database's full-text engine, on SQLite (FTS5) and PostgreSQL (tsvector).

Given the example ('safe', Dorset 2018), a second outcome and a hidden draft stored, when a member of the
public searches as they would type, then the right page comes first, once, with the passage that matches
highlighted and escaped; the field's abbreviations and their words find each other; drafts never appear.
"""

from __future__ import annotations

import pytest
from tests.web.html import one, parse, text, texts

pytestmark = pytest.mark.django_db(databases="__all__")

SAFE = "/outcomes/safe/indicators/"


def results(client, q: str, **params: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The result links, in order."""
    r = client.get("/search/", {"q": q, **params})
    assert r.status_code == 200
    return [h["url"] for h in r.context["hits"]]


@pytest.mark.parametrize(("q", "first"), [
    ("child protection", SAFE + "child-protection/"),
    ("children protection", SAFE + "child-protection/"),  # stemming and the irregular plural
    ("CP", SAFE + "child-protection/"),  # the abbreviation finds the words
    ("KSI", SAFE + "killed-seriously-injured/"),  # ... and the words it stands for
    ("killed or seriously injured", SAFE + "killed-seriously-injured/"),
    ("domestic violence", SAFE + "domestic-abuse-"),  # a synonym: either domestic abuse page
    ("DA", SAFE + "domestic-abuse-"),
    ("anti-social behaviour", SAFE + "anti-social-behaviour/"),
    ("ASB", SAFE + "anti-social-behaviour/"),
])
def test_each_example_finds_the_right_page_first(client, db_alias, q, first):
    urls = results(client, q)
    assert urls, f"'{q}' found nothing"
    assert urls[0].startswith(first), f"'{q}' put {urls[0]} first: {urls[:5]}"


def test_one_result_per_page(client, db_alias):
    for q in ("child protection", "domestic abuse", "children", "risk", "Claire Shiels"):
        urls = results(client, q)
        assert len(urls) == len(set(urls)), f"'{q}' gave a page twice: {urls}"
    # 'child protection' is an indicator title, a series, narrative and a measure's words: one result
    assert results(client, "child protection").count(SAFE + "child-protection/") == 1


def test_an_officer_is_found_on_the_pages_that_name_them(client, db_alias):
    urls = results(client, "Claire Shiels")
    # Claire Shiels leads indicators 01, 02 and 03 and nothing else in the example
    assert sorted(urls) == sorted(SAFE + k + "/" for k in ("child-protection", "children-in-care",
                                                            "persistent-absence"))
    html = client.get("/search/", {"q": "Claire Shiels"}).content.decode("utf-8")
    assert "Claire Shiels" in texts(parse(html), "main mark")  # neighbouring matches joined into one highlight


def test_domestic_violence_finds_both_domestic_abuse_pages(client, db_alias):
    urls = results(client, "domestic violence")
    assert set(urls[:2]) == {SAFE + "domestic-abuse-incidents/", SAFE + "domestic-abuse-crimes/"}


def test_the_passage_is_highlighted_and_escaped(client, db_alias):
    r = client.get("/search/", {"q": "zebra-crossing"})
    html = r.content.decode("utf-8")
    assert "1 page found for ‘zebra-crossing’" in html
    soup = parse(html)
    assert texts(soup, "main mark") == ["zebra-crossing"]
    assert r.context["hits"][0]["url"] == "/outcomes/prosperous/indicators/employment-rate/"
    # every <mark> the page holds is ours, inside a passage; nothing else in a passage is markup
    passages = soup.select("main p.small")
    assert passages and all({tag.name for tag in p.find_all(True)} <= {"mark"} for p in passages)
    assert all(mark.find_parent("p", class_="small") for mark in soup.select("mark"))


def test_the_query_is_escaped_and_odd_input_is_harmless(client, db_alias):
    typed = "<script>alert(1)</script>"
    soup = parse(client.get("/search/", {"q": typed}).content)
    assert not soup.select("script") and typed in text(one(soup, "main"))  # shown as words, not run
    for q in ('"', "AND OR NOT", "child*", "NEAR(a b)", "'; DROP TABLE x; --", "^", "the of"):
        r = client.get("/search/", {"q": q})
        assert r.status_code == 200, q


def test_words_all_must_match_then_any(client, db_alias):
    # no page has both words: the pages with either are shown, and the page says so
    r = client.get("/search/", {"q": "zebra quokkaesque"})
    assert [h["url"] for h in r.context["hits"]] == ["/outcomes/prosperous/indicators/employment-rate/"]
    assert "No page has every word you typed" in r.content.decode("utf-8")
    assert "Nothing matches" in client.get("/search/", {"q": "qwertyuiop"}).content.decode("utf-8")


def test_risks_are_searched_and_lead_to_the_register(client, db_alias):
    urls = results(client, "Mosaic hosting")
    assert "/risks/?outcome=safe" in urls


def test_a_period_limits_the_search_to_it(client, db_alias):
    assert results(client, "child protection", period="Q3 2017-18")[0] == (
        SAFE + "child-protection/?period=Q3+2017-18")


def test_an_edited_published_snapshot_is_indexed_again(client, db_alias):
    from outcomes_web.store import models as m

    results(client, "child protection")  # builds the documents
    ind = m.Indicator.objects.get(snapshot__outcome_key="safe", snapshot__published=True,
                                  snapshot__archived_on__isnull=True,
                                  snapshot__reporting_period__label="Q4 2017-18", key="child-protection")
    ind.section_title = "Wombatique safeguarding"
    ind.save()
    assert results(client, "wombatique") == []  # the snapshot itself has not changed
    ind.snapshot.save()  # as every edit through the workflow does
    assert results(client, "wombatique") == [SAFE + "child-protection/"]


def test_a_draft_is_never_indexed():
    from outcomes_web.store import search

    with pytest.raises(ValueError, match="draft"):
        search.index_snapshot(type("Draft", (), {"published": False, "pk": 1})())  # type: ignore[arg-type]


@pytest.mark.parametrize(("q", "groups"), [
    ("KSI", [(("ksi",), ("killed", "or", "seriously", "injured"))]),
    ("send", [(("send",),)]),  # an ordinary word in lower case
    ("SEND support", [(("send",), ("special", "educational", "needs")), (("support",),)]),
    ("children in care", [(("lac",), ("looked", "after", "children"), ("children", "looked", "after"),
                           ("children", "in", "care"))]),
    ("the of", []),
])
def test_the_query_is_parsed_into_groups_with_synonyms(q, groups):
    from outcomes_web.store import search

    assert search.parse(q) == groups


def test_the_page_says_which_synonyms_were_searched_for(client, db_alias):
    html = client.get("/search/", {"q": "domestic violence"}).content.decode("utf-8")
    assert "Also searched for: DA, domestic abuse." in html
    html = client.get("/search/", {"q": "KSI"}).content.decode("utf-8")
    assert "Also searched for: killed or seriously injured." in html
    assert "Also searched for" not in client.get("/search/", {"q": "crime"}).content.decode("utf-8")


def test_words_only_in_a_draft_are_never_found(client, db_alias):
    from outcomes_web.store import models as m

    draft = m.Snapshot.objects.get(published=False, archived_on__isnull=True, outcome_key="prosperous")
    narrative = m.Narrative.objects.filter(indicator__snapshot=draft).first()
    assert narrative is not None
    narrative.story += " Draftonlyplatypus figures."
    narrative.save()
    for params in ({}, {"period": draft.reporting_period.label}):
        assert results(client, "Draftonlyplatypus", **params) == []
    assert not m.SearchDocument.objects.filter(snapshot=draft).exists()


def test_each_database_has_its_own_index(db_alias):
    from django.db import connections

    connection = connections[db_alias]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'store_searchdocument_fts'")
            (sql,) = cursor.fetchone()
            assert "fts5" in sql.lower() and "porter" in sql
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'store_searchdocument'")
            assert cursor.fetchone()[0] == 3
        else:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'store_searchdocument_vector_gin'")
            (definition,) = cursor.fetchone()
            assert "USING gin (vector)" in definition
            cursor.execute("SELECT to_regclass('store_searchdocument_fts')")
            assert cursor.fetchone()[0] is None  # no SQLite table on PostgreSQL
