"""Parsed HTML for tests: assert on what a page says, found by CSS selectors, not on its markup.

>>> soup = parse('<table><tr id="r1"><td class="trend"> Improving\\n </td></tr></table>')
>>> text(one(soup, "tr#r1 td.trend"))
'Improving'
>>> texts(soup, "td")
['Improving']
>>> one(soup, "td.rag")
Traceback (most recent call last):
AssertionError: expected exactly one match for 'td.rag', found 0
"""

from __future__ import annotations

from typing import Protocol

from bs4 import BeautifulSoup, Doctype, Tag

__all__ = ["BeautifulSoup", "Doctype", "Tag", "one", "page", "parse", "text", "texts"]


class _Response(Protocol):
    content: bytes


def parse(markup: str | bytes) -> BeautifulSoup:
    """The document, parsed with Python's own parser (no extra dependency, lenient like a browser)."""
    return BeautifulSoup(markup, "html.parser")


def page(response: _Response) -> BeautifulSoup:
    """A Django test response's body, parsed."""
    return parse(response.content)


def text(node: Tag) -> str:
    """The node's visible words with runs of whitespace made one space."""
    return " ".join(node.get_text(" ").split())


def texts(soup: BeautifulSoup | Tag, selector: str) -> list[str]:
    """The text of every match, in document order."""
    return [text(node) for node in soup.select(selector)]


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    """The single match for ``selector``; fails naming what was found when there is none or several."""
    found = soup.select(selector)
    if len(found) != 1:
        shown = "; ".join(f"<{n.name} {dict(n.attrs)}> {text(n)[:80]!r}" for n in found[:5])
        raise AssertionError(f"expected exactly one match for {selector!r}, found {len(found)}"
                             + (f": {shown}" if shown else ""))
    return found[0]
