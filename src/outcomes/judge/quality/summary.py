"""Checks of the executive summary: stated counts and focus items against the framework."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from outcomes.model import Framework

from .registry import Finding, check


def framework_counts(fw: Framework) -> dict[str, int]:
    return {
        "outcomes": len(fw.outcomes),
        "population_indicators": len(list(fw.indicators())),
        "series": len(list(fw.all_series())),
        "performance_measures": len(list(fw.measures())),
        "risks": len(fw.risks),
    }


@check("stated-count-mismatch", "error", "A count in the executive summary disagrees with the framework")
def _counts(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        summary = outcome.published_summary
        actual = {
            "population indicators": len(outcome.indicators),
            "performance measures": len(list(outcome.measures())),
            "risks": len([r for r in fw.risks if r.outcome_id in ("", outcome.id)]),
        }
        measure_series = len([s for s in outcome.all_series() if s.kind == "performance_measure"])
        stated = {
            "population indicators": summary.population_indicators,
            "performance measures": summary.performance_measures,
            "risks": summary.risks,
        }
        for what, number in stated.items():
            if number is None or number == actual[what]:
                continue
            extra = ""
            if what == "performance measures":
                extra = f" ({measure_series} counting each series of a measure separately)"
                if number == measure_series:
                    continue
            yield Finding(
                "stated-count-mismatch", "error", outcome.id, outcome.title,
                f"The executive summary states {number} {what}, but the sections contain {actual[what]}{extra}.",
                {"what": what, "stated": number, "found": actual[what]},
            )


_STOP = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "no", "number", "percentage", "per",
         "rate", "who", "have", "has", "been", "be", "become", "by", "via", "with", "what", "is", "are", "that"}


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("-", " "))
    return {w[:6] for w in words if w not in _STOP and not (len(w) == 1 and not w.isdigit())}


def match_title(item: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The id of the candidate (id, title) whose title covers at least half the item's words.

    Words are compared on their first six letters, ignoring small words ("no.", "of", "per").

    >>> match_title("Adult Safeguarding", [("x", "Total crime"), ("a", "The number of adult safeguarding concerns")])
    'a'
    >>> match_title("Roads in need of maintenance", [("s", "Percentage roads with skidding resistance")]) is None
    True
    """
    wanted = _words(item)
    if not wanted:
        return None
    best: tuple[float, str] | None = None
    for ident, title in candidates:
        have = _words(title) | _words(ident)
        score = len(wanted & have) / len(wanted)
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, ident)
    return best[1] if best else None


def match_risk(item: str, risks: Iterable[tuple[str, str]]) -> str | None:
    head = re.split(r"\s+[-–—]\s+|\s+", item.strip(), maxsplit=1)[0].lower()
    for ident, _ in risks:
        if ident.lower() == head:
            return ident
    return match_title(item, risks)


@check("focus-item-unmatched", "warning", "A focus item in the executive summary matches nothing in the framework")
def _focus_unmatched(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        summary = outcome.published_summary
        indicators = [(i.id, i.title) for i in outcome.indicators] + [
            (s.id, s.title) for i in outcome.indicators for s in i.series]
        measures = [(m.id, m.title) for m in outcome.measures()] + [
            (s.id, s.title) for m in outcome.measures() for s in m.series]
        risks = [(r.id, r.title) for r in fw.risks if r.outcome_id in ("", outcome.id)]
        for kind, items, pool, matcher in (
            ("indicators", summary.focus_indicators, indicators, match_title),
            ("measures", summary.focus_measures, measures, match_title),
            ("risks", summary.focus_risks, risks, match_risk),
        ):
            for item in items:
                if matcher(item, pool) is None:
                    yield Finding("focus-item-unmatched", "warning", outcome.id, outcome.title,
                                  f"The suggested {kind} for focus include '{item}', which matches no "
                                  f"{kind[:-1]} in the framework.", {"list": kind, "item": item})
