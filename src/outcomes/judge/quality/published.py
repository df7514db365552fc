"""Checks of published words and ratings: trend and comparator words against the data, the report's
key, RAG colours."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from outcomes.model import Framework, Polarity, Series

from .registry import Finding, _fmt, _judged_cache, check


@check("published-trend-contradicts", "error", "A published trend word contradicts the data")
def _published_trend(fw: Framework) -> Iterator[Finding]:
    yield from _published_words(fw, "trend")


@check("published-comparator-contradicts", "error", "A published comparator word contradicts the data")
def _published_comparator(fw: Framework) -> Iterator[Finding]:
    yield from _published_words(fw, "comparator")


_TREND_SYNONYMS = {"declining": "worsening", "improved": "improving"}


def _published_words(fw: Framework, which: str) -> Iterator[Finding]:
    from outcomes.judge import judge_framework

    judged = _judged_cache(fw, judge_framework)
    for sj in judged.series:
        s = sj.series
        published = s.published.trend if which == "trend" else s.published.comparator
        published = _TREND_SYNONYMS.get(published, published)
        if not published or published in ("no data", "not compared"):
            continue
        judgement = sj.trend if which == "trend" else sj.comparator
        computed = judgement.word
        declared = s.published.trend_method if which == "trend" else s.published.comparator_method
        if declared and declared != judgement.method and computed != published:
            yield from _method_difference(s, sj, which, published, declared, judgement)
            continue
        if computed in ("not assessed", "not compared") or computed == published:
            continue
        if which == "trend" and (basis := _published_basis_word(fw, s)) is not None and basis[0] == published:
            yield Finding(
                "published-trend-basis", "info", s.id, s.title,
                f"The report's '{published}' compares {basis[1]} ({s.published.trend_basis}); against the "
                f"previous period the figures say '{computed}': {judgement.reason}",
                {"published": published, "computed": computed, "basis": s.published.trend_basis},
            )
            continue
        yield Finding(
            f"published-{which}-contradicts", "error", s.id, s.title,
            f"The report says '{published}' but the figures say '{computed}': {judgement.reason}",
            {"published": published, "computed": computed, "method": judgement.method,
             "reason": judgement.reason},
        )


def _method_difference(s: Series, sj: Any, which: str, published: str, declared: str,
                       judgement: Any) -> Iterator[Finding]:
    """A published word made by another method: info, unless plain arithmetic contradicts it."""
    from outcomes.judge.method import METHODS

    arithmetic = _arithmetic_contradiction(s, sj, which, published)
    theirs = METHODS.get(declared, declared)
    ours = judgement.method_label or judgement.method
    if arithmetic:
        yield Finding(
            f"published-{which}-contradicts", "error", s.id, s.title,
            f"The report says '{published}' ({theirs}), and whatever the method, the figures contradict it: "
            f"{arithmetic}",
            {"published": published, "computed": judgement.word, "published_method": declared,
             "method": judgement.method, "arithmetic": arithmetic},
        )
        return
    yield Finding(
        f"published-{which}-method-differs", "info", s.id, s.title,
        f"The source says '{published}' by {theirs}; this report's judgement is '{judgement.word}' by "
        f"{ours}. A difference of method, not a contradiction: {judgement.reason}",
        {"published": published, "computed": judgement.word, "published_method": declared,
         "method": judgement.method},
    )


_GOOD = {"improving": 1, "worsening": -1, "better": 1, "worse": -1}


def _arithmetic_contradiction(s: Series, sj: Any, which: str, published: str) -> str:
    """Why the published word cannot hold under the declared polarity, whatever the method ('' if it can).

    A trend word is contradicted when the values moved the other way over the points the publisher's
    test uses (the latest five at most) and every step went that way; a comparator word when the value
    is on the other side of the benchmark. 'Similar' is never contradicted by arithmetic alone.
    """
    from outcomes.judge.method import is_judged, polarity_text

    if published not in _GOOD or not is_judged(s.polarity):
        return ""
    good = 1 if s.polarity == Polarity.HIGHER_IS_BETTER else -1
    wanted = _GOOD[published] * good  # the direction of movement (or difference) the word needs
    if which == "trend":
        points = [o for o in s.observed()][-5:]
        values = [float(o.value or 0.0) for o in points]
        steps = [b - a for a, b in zip(values, values[1:], strict=False)]
        if len(points) >= 2 and steps and all(step * wanted < 0 for step in steps):
            moved = "fell" if wanted > 0 else "rose"
            return (f"the values {moved} at every step from {_fmt(s, values[0])} in {points[0].period} to "
                    f"{_fmt(s, values[-1])} in {points[-1].period}, and {polarity_text(s.polarity)}.")
        return ""
    c = sj.comparator
    if c.home_value is None or c.value is None or c.kind == "group":
        return ""
    if (c.home_value - c.value) * wanted < 0:
        side = "below" if c.home_value < c.value else "above"
        return (f"{_fmt(s, c.home_value)} is {side} {c.name}'s {_fmt(s, c.value)}, and "
                f"{polarity_text(s.polarity)}.")
    return ""


def _published_basis_word(fw: Framework, s: Series) -> tuple[str, str] | None:
    """The trend word on the report's own stated basis (e.g. "Compared to Q4 2016/17"), if it has one."""
    from outcomes.judge.method import classify_change
    from outcomes.judge.settings import JudgementSettings

    prev, latest = s.published.previous, s.published.latest
    if not s.published.trend_basis or not prev or not latest or prev.value is None or latest.value is None:
        return None
    tolerance = JudgementSettings.from_mapping(fw.settings).tolerance
    word = classify_change(prev.value, latest.value, tolerance=tolerance, polarity=s.polarity)
    return word, f"{prev.label} with {latest.label}"


# -------------------------------------------------------------------------------------------------
# What a published report gets wrong (issue 15): each check works on any dataset from what it declares.

_OUR_TREND_WORDS = ("improving", "similar", "worsening")
_OUR_COMPARATOR_WORDS = ("better", "similar", "worse")
_RAG_OF = {"improving": "G", "better": "G", "similar": "A", "worsening": "R", "declining": "R", "worse": "R"}


def _key_words(words: tuple[str, ...] | None, default: tuple[str, ...]) -> tuple[set[str], str]:
    if words is None:
        return set(default), "the report's words (no key is declared: report.key)"
    return {w.lower() for w in words}, "the report's key (" + (", ".join(words) or "no words") + ")"


@check("word-outside-key", "warning", "A trend or comparator word the report's own key does not define")
def _word_outside_key(fw: Framework) -> Iterator[Finding]:
    trend_key, trend_where = _key_words(fw.report.key_trend, _OUR_TREND_WORDS)
    comp_key, comp_where = _key_words(fw.report.key_comparator, _OUR_COMPARATOR_WORDS)
    for s in fw.all_series():
        p = s.published
        for what, word, key, where in (("trend", p.trend, trend_key, trend_where),
                                       ("comparator", p.comparator, comp_key, comp_where)):
            if word and word not in ("no data",) and word not in key:
                yield Finding("word-outside-key", "warning", s.id, s.title,
                              f"The {what} is printed as '{word.upper()}', a word {where} does not define: a "
                              "reader cannot tell what it means. Use the key's words, or add it to the key.",
                              {"what": what, "word": word, "key": sorted(key)})


@check("word-rating-unpaired", "warning", "A judgement printed without a RAG rating, or a rating without a word")
def _word_rating_unpaired(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        p = s.published
        for what, word, rag in (("trend", p.trend, p.trend_rag), ("comparator", p.comparator, p.comparator_rag)):
            word = "" if word == "no data" else word
            if word and not rag and (what != "comparator" or word in _RAG_OF):
                yield Finding("word-rating-unpaired", "warning", s.id, s.title,
                              f"The {what} '{word}' is printed without a RAG rating, while other judgements have "
                              "one: print the rating beside every word, or none.", {"what": what, "word": word})
            elif rag and not word:
                yield Finding("word-rating-unpaired", "warning", s.id, s.title,
                              f"The {what} rating {rag} is printed without a word: a colour alone does not say "
                              "what was judged.", {"what": what, "rag": rag})


@check("rating-contradicts-word", "error", "A RAG rating that is not the colour of its word")
def _rating_contradicts_word(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        p = s.published
        for what, word, rag in (("trend", p.trend, p.trend_rag), ("comparator", p.comparator, p.comparator_rag)):
            if word in _RAG_OF and rag and rag != _RAG_OF[word]:
                yield Finding("rating-contradicts-word", "error", s.id, s.title,
                              f"The {what} '{word}' is rated {rag}; its colour is {_RAG_OF[word]}.",
                              {"what": what, "word": word, "rag": rag})


@check("rating-without-polarity", "error", "A red or green rating on a series with no declared polarity")
def _rating_without_polarity(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        if s.polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
            continue
        p = s.published
        for what, rag in (("trend", p.trend_rag), ("comparator", p.comparator_rag)):
            if rag in ("R", "G"):
                why = "its polarity is 'no judgement'" if s.polarity is not None else "no polarity is declared"
                yield Finding("rating-without-polarity", "error", s.id, s.title,
                              f"The {what} is rated {rag}, but {why}: red and green say one direction is better. "
                              "Declare the polarity, or print the movement without a colour.",
                              {"what": what, "rag": rag, "polarity": str(s.polarity) if s.polarity else None})
