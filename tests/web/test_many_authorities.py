"""Many authorities and outcomes: the home page lists every outcome grouped by organisation, and an
indicator page compares the same indicator across the authorities held.

Given LAIT data converted for Dorset (area 838) and for Devon (tests/unit/sources/data, as in
test_several_authorities.py), both imported beside the example, when the home page and the shared
indicator's pages are asked for, then every outcome is listed under its organisation and each
authority's latest figure, period and interval is shown, ranked by the series' polarity, with the
caveat when the periods differ.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.html import BeautifulSoup, Tag, one, parse, texts
from tests.web.html import text as words

from outcomes.model import Polarity
from outcomes.sources.build import build_framework
from outcomes.sources.lait import convert_lait, read_dictionary
from outcomes.sources.problems import Problems

pytestmark = pytest.mark.django_db(databases="__all__")

DATA = Path(__file__).resolve().parents[1] / "unit" / "sources" / "data"
CLA = "/outcomes/{}/indicators/lait-cla-rate/"
MORT = "/outcomes/{}/indicators/lait-inf-mort/"


def _framework(area: str):  # type: ignore[no-untyped-def]
    problems = Problems()
    raw, _ = convert_lait(DATA / "lait_sample.csv", area, problems,
                          dictionary=read_dictionary(DATA / "lait_dictionary.csv", problems))
    assert raw is not None, problems.items
    framework = build_framework(raw, problems)
    assert framework is not None and not problems, problems.items
    return framework


def _series(framework, key: str):  # type: ignore[no-untyped-def]
    return next(s for s in framework.all_series() if s.id == key)


def _store(dorset, devon) -> None:  # type: ignore[no-untyped-def]
    from outcomes_web import adapter

    adapter.store_framework(dorset)
    adapter.store_framework(devon)


def _section(html: str) -> Tag:
    return one(parse(html), "section#authorities")


def _cell(cell: Tag) -> str:
    """A cell's text; for the authority, its name alone (not "(this page)" or the area under it)."""
    return words(one(cell, "strong, a")) if cell.name == "th" else words(cell)


def _rows(html: str) -> list[list[str]]:
    """The comparison table's rows as cell texts."""
    return [[_cell(c) for c in tr.select(":scope > td, :scope > th")]
            for tr in _section(html).select("table tbody tr")]


def _shown(soup: BeautifulSoup | Tag) -> list[str]:
    """The outcome ids linked from the outcome cards' headings, in order."""
    return [a["href"].split("/")[2] for a in soup.select("section.card h3[id^=outcome-] > a")]


def test_home_lists_every_outcome_grouped_by_organisation(client, db_alias):
    _store(_framework("838"), _framework("Devon"))
    r = client.get("/")
    soup = parse(r.content)
    groups = dict(r.context["organisations"])
    assert {"Dorset", "Devon"} <= set(groups)
    assert [c["outcome"].id for c in groups["Dorset"]] == ["dorset-lait"]
    assert [c["outcome"].id for c in groups["Devon"]] == ["devon-lait"]
    held = {c["outcome"].id for cards in groups.values() for c in cards}
    assert {"safe", "prosperous", "dorset-lait", "devon-lait"} <= held
    # each organisation is a heading with its outcomes under it, in a contents list at the top
    chunks = {words(one(section, ":scope > h2")): section for section in soup.select("section.organisation")}
    assert {"Dorset", "Devon"} <= set(chunks)
    for org, chunk in chunks.items():
        assert _shown(chunk) == [c["outcome"].id for c in groups[org]], org
    assert _shown(chunks["Devon"]) == ["devon-lait"]
    contents = one(soup, "nav[aria-labelledby=organisations-heading]")
    assert words(one(contents, "h2#organisations-heading")) == "Organisations"
    assert [a["href"] for a in contents.select("li a")] == [f"#{s['id']}" for s in chunks.values()]


def test_the_same_indicator_is_compared_across_authorities_ranked(client, db_alias):
    dorset, devon = _framework("838"), _framework("Devon")
    # give Devon an infant-mortality figure so both have one (the sample holds none for Devon)
    from outcomes.model import Observation

    mort = _series(devon, "lait-inf-mort")
    dorset_latest = [o for o in _series(dorset, "lait-inf-mort").observations if o.value is not None][-1]
    mort.observations = [Observation(series_id=mort.id, area=devon.home_area.code, period=dorset_latest.period,
                                     value=3.4)]
    _store(dorset, devon)
    html = client.get(MORT.format("devon-lait")).content.decode("utf-8")
    section = _section(html)
    assert words(one(section, "caption")).endswith("authorities ranked, best first (lower is better)")
    rows = _rows(html)
    # lower is better: Dorset's 2.9 ranks above Devon's 3.4
    assert [r[1] for r in rows] == ["Dorset", "Devon"]
    assert [r[0] for r in rows] == ["1", "2"]
    assert "2.9" in rows[0][2] and "3.4" in rows[1][2]
    assert "different periods" not in words(section)  # both are the 36 months to December 2018
    links = section.select("tbody th a")  # the other authority's page
    assert [(words(a), a["href"]) for a in links] == [("Dorset", "/outcomes/dorset-lait/indicators/lait-inf-mort/")]
    assert words(one(section, "tbody th:has(> strong)")) == "Devon (this page)"


def test_different_periods_are_said_and_no_polarity_is_not_ranked(client, db_alias):
    dorset, devon = _framework("838"), _framework("Devon")
    cla = _series(dorset, "lait-cla-rate")
    cla.observations = [o for o in cla.observations if str(o.period) != "2018-19"]  # Dorset's latest: 2017-18
    _store(dorset, devon)
    html = client.get(CLA.format("dorset-lait")).content.decode("utf-8")
    section = _section(html)
    assert "The latest figures are for different periods" in words(section)
    assert "listed by value, not ranked" in words(section)
    assert texts(section, "thead th") == ["Authority", "Latest", "Period", "95% interval"]  # no Rank column
    rows = _rows(html)
    assert [r[2] for r in rows] == ["2017-18", "2018-19"]
    assert [r[0] for r in rows] == ["Dorset", "Devon"]  # 63 then 49, highest first
    assert "63" in rows[0][1] and "49" in rows[1][1]


def test_declared_polarity_ranks_and_an_authority_without_a_figure_comes_last(client, db_alias):
    dorset, devon = _framework("838"), _framework("Devon")
    for fw in (dorset, devon):
        _series(fw, "lait-cla-rate").polarity = Polarity.LOWER_IS_BETTER
    _store(dorset, devon)
    rows = _rows(client.get(CLA.format("dorset-lait")).content.decode("utf-8"))
    assert [(r[0], r[1]) for r in rows] == [("1", "Devon"), ("2", "Dorset")]  # 49 is better than 66
    rows = _rows(client.get(MORT.format("dorset-lait")).content.decode("utf-8"))
    assert rows[-1][1] == "Devon" and "No figure" in rows[-1][2] and rows[-1][0] == "–"


def test_no_comparison_when_no_other_authority_holds_the_indicator(client, db_alias):
    _store(_framework("838"), _framework("Devon"))
    html = client.get("/outcomes/safe/indicators/child-protection/").content.decode("utf-8")
    assert not parse(html).select("#authorities") and "<!--outcomes:authorities-->" not in html
