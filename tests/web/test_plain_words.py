"""Plain words on the tracker's public pages: no internal words (tests/data/plain-words) and no check codes
(``headline-disagrees-with-series``), which belong to the report's data-quality appendix only."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(databases="__all__")

FORBIDDEN = Path(__file__).resolve().parents[1] / "data" / "plain-words" / "forbidden.txt"
PAGES = ["/", "/outcomes/safe/", "/risks/", "/outcomes/safe/indicators/child-protection/",
         "/outcomes/safe/indicators/children-in-care/", "/outcomes/safe/indicators/persistent-absence/"]


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag in ("style", "script"):
            self.skip += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self.skip -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _visible(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return re.sub(r"\s+", " ", "".join(parser.parts))


@pytest.mark.parametrize("url", PAGES)
def test_public_page_speaks_plain_words(client, db_alias, url):  # type: ignore[no-untyped-def]
    from outcomes.judge.quality import CHECKS

    r = client.get(url)
    assert r.status_code == 200
    text = _visible(r.content.decode("utf-8"))
    phrases = [ln.strip() for ln in FORBIDDEN.read_text(encoding="utf-8").splitlines()
               if ln.strip() and not ln.startswith("#")]
    assert [p for p in phrases if p.lower() in text.lower()] == []
    codes = re.compile(r"\b(" + "|".join(map(re.escape, CHECKS)) + r")\b")
    assert codes.findall(text) == []
