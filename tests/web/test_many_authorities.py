"""Many authorities and outcomes: the home page lists every outcome grouped by organisation, and an
indicator page compares the same indicator across the authorities held.

Given LAIT data converted for Dorset (area 838) and for Devon (tests/unit/sources/data, as in
test_several_authorities.py), both imported beside the example, when the home page and the shared
indicator's pages are asked for, then every outcome is listed under its organisation and each
authority's latest figure, period and interval is shown, ranked by the series' polarity, with the
caveat when the periods differ.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

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


def _section(html: str) -> str:
    at = html.index('id="authorities"')
    return html[at:html.index("</section>", at)]


def _rows(html: str) -> list[list[str]]:
    """The comparison table's rows as cell texts."""
    body = _section(html)
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return [[re.sub(r"<[^>]+>", " ", c).split("(this page)")[0].strip().split("  ")[0]
             for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


def test_home_lists_every_outcome_grouped_by_organisation(client, db_alias):
    _store(_framework("838"), _framework("Devon"))
    r = client.get("/")
    html = r.content.decode("utf-8")
    groups = dict(r.context["organisations"])
    assert {"Dorset", "Devon"} <= set(groups)
    assert [c["outcome"].id for c in groups["Dorset"]] == ["dorset-lait"]
    assert [c["outcome"].id for c in groups["Devon"]] == ["devon-lait"]
    held = {c["outcome"].id for cards in groups.values() for c in cards}
    assert {"safe", "prosperous", "dorset-lait", "devon-lait"} <= held
    # each organisation is a heading with its outcomes under it, in a contents list at the top
    chunks = {re.search(r">([^<]+)</h2>", c).group(1): c  # type: ignore[union-attr]
              for c in html.split('<section class="organisation"')[1:]}
    assert {"Dorset", "Devon"} <= set(chunks)
    for org, chunk in chunks.items():
        shown = re.findall(r'<h3 class="heading-m" id="outcome-[^"]+"><a href="/outcomes/([^/]+)/"', chunk)
        assert shown == [c["outcome"].id for c in groups[org]], org
    assert re.findall(r'<h3 class="heading-m" id="outcome-[^"]+"><a href="/outcomes/([^/]+)/"',
                      chunks["Devon"]) == ["devon-lait"]
    assert 'id="organisations-heading"' in html


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
    assert "ranked, best first (lower is better)" in section
    rows = _rows(html)
    # lower is better: Dorset's 2.9 ranks above Devon's 3.4
    assert [r[1] for r in rows] == ["Dorset", "Devon"]
    assert [r[0] for r in rows] == ["1", "2"]
    assert "2.9" in rows[0][2] and "3.4" in rows[1][2]
    assert "different periods" not in section  # both are the 36 months to December 2018
    assert 'href="/outcomes/dorset-lait/indicators/lait-inf-mort/"' in section  # the other authority's page
    assert "(this page)" in section


def test_different_periods_are_said_and_no_polarity_is_not_ranked(client, db_alias):
    dorset, devon = _framework("838"), _framework("Devon")
    cla = _series(dorset, "lait-cla-rate")
    cla.observations = [o for o in cla.observations if str(o.period) != "2018-19"]  # Dorset's latest: 2017-18
    _store(dorset, devon)
    html = client.get(CLA.format("dorset-lait")).content.decode("utf-8")
    section = _section(html)
    assert "The latest figures are for different periods" in section
    assert "2017-18" in section and "2018-19" in section
    assert "listed by value, not ranked" in section and "Rank</th>" not in section
    rows = _rows(html)
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
    assert 'id="authorities"' not in html and "<!--outcomes:authorities-->" not in html
