"""Plain words on the tracker's public pages: no internal words (tests/data/plain-words) and no check codes
(``headline-disagrees-with-series``), which belong to the report's data-quality appendix only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.web.html import parse, text

pytestmark = pytest.mark.django_db(databases="__all__")

FORBIDDEN = Path(__file__).resolve().parents[1] / "data" / "plain-words" / "forbidden.txt"
PAGES = ["/", "/outcomes/safe/", "/risks/", "/outcomes/safe/indicators/child-protection/",
         "/outcomes/safe/indicators/children-in-care/", "/outcomes/safe/indicators/persistent-absence/"]


def _visible(html: str) -> str:
    """The page's words: every element's text apart, scripts and styles left out (SVG text stays: it is read out)."""
    soup = parse(html)
    for tag in soup.select("style, script"):
        tag.decompose()
    return text(soup)


@pytest.mark.parametrize("url", PAGES)
def test_public_page_speaks_plain_words(client, db_alias, url):  # type: ignore[no-untyped-def]
    from outcomes.judge.quality import CHECKS

    r = client.get(url)
    assert r.status_code == 200
    words = _visible(r.content.decode("utf-8"))
    phrases = [ln.strip() for ln in FORBIDDEN.read_text(encoding="utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]
    assert [p for p in phrases if p.lower() in words.lower()] == []
    codes = re.compile(r"\b(" + "|".join(map(re.escape, CHECKS)) + r")\b")
    assert codes.findall(words) == []
