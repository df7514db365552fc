"""Words for the report: RAG names, judgement words, risk scores, value for money, Markdown to safe HTML.

>>> rag_name("G"), rag_name(None)
('Green', 'No rating')
>>> cap("not assessed")
'Not assessed'
>>> first_sentence("Total crime fell. It rose before.")
'Total crime fell.'
"""

from __future__ import annotations

import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt

from outcomes.model import ValueForMoney

__all__ = [
    "RAG_NAMES",
    "RISK_SCORES",
    "RISK_TRENDS",
    "TREND_SYNONYMS",
    "cap",
    "first_sentence",
    "markdown_html",
    "normalise_word",
    "rag_name",
    "slug",
    "vfm_text",
]

RAG_NAMES: dict[str, str] = {"R": "Red", "A": "Amber", "G": "Green"}

#: Risk scores in the order the report lists them, with the tone (RAG colour) used to draw them.
RISK_SCORES: dict[str, tuple[str, str]] = {
    "HIGH": ("R", "High level risk in the Corporate Risk Register, outside the council's risk appetite"),
    "MEDIUM": ("A", "Medium level risk in the Corporate Risk Register"),
    "LOW": ("G", "Low level risk in the Corporate Risk Register"),
}

#: Risk trend words (normalised) and their meaning in the key.
RISK_TRENDS: dict[str, str] = {
    "improving": "The risk has reduced since the previous review of the register",
    "unchanged": "The risk is unchanged since the previous review",
    "worsening": "The risk has increased since the previous review",
}

#: Published words that mean one of ours.
TREND_SYNONYMS: dict[str, str] = {
    "declining": "worsening",
    "improved": "improving",
    "worsened": "worsening",
    "no data": "not compared",
    "no change": "similar",
    "unchanged": "similar",
}


def rag_name(letter: str | None) -> str:
    return RAG_NAMES.get(letter or "", "No rating")


def cap(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def normalise_word(word: str) -> str:
    """A published word in our vocabulary: 'Declining' -> 'worsening'."""
    w = " ".join(word.strip().lower().split())
    return TREND_SYNONYMS.get(w, w)


def slug(text: str) -> str:
    """An id-safe form of ``text``.

    >>> slug("Q4 2017-18 / C07")
    'q4-2017-18-c07'
    """
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def vfm_text(vfm: ValueForMoney) -> str:
    """Value for money in words: 'Under development', 'Not yet measured', or latest, rank and quartile."""
    if vfm.status == "under-development":
        return "Under development"
    if vfm.status != "measured":
        return "Not yet measured"
    parts = []
    if vfm.latest is not None:
        parts.append(f"Latest {vfm.latest:,g}")
    if vfm.rank is not None and vfm.of:
        parts.append(f"rank {vfm.rank} of {vfm.of}")
    if vfm.quartile is not None:
        parts.append({1: "top quartile", 2: "second quartile", 3: "third quartile", 4: "bottom quartile"}[vfm.quartile])
    return cap(", ".join(parts)) if parts else "Measured (no figures given)"


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s|$)", re.S)


def first_sentence(text: str) -> str:
    """The first sentence of a paragraph of text (whitespace normalised)."""
    flat = " ".join(text.split())
    match = _SENTENCE.match(flat)
    return match.group(1) if match else flat


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


_ALLOWED_TAGS = {"p", "ul", "ol", "li", "em", "strong", "a", "br", "code", "blockquote", "h4", "h5", "h6"}


def markdown_html(text: str) -> str:
    """Officer-written Markdown as safe HTML (headings demoted below the report's own h1–h3).

    >>> markdown_html("## Note\\n\\nSee *this*.")
    '<h4>Note</h4>\\n<p>See <em>this</em>.</p>\\n'
    """
    html = _markdown().render(text)
    html = re.sub(r"<(/?)h[1-3]>", r"<\1h4>", html)
    return nh3.clean(html, tags=_ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel=None)
