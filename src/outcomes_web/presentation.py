"""What the tracker's pages, the JSON API and the workspace all show the same way: links to the public
pages, a value with its unit, a judgement as a tag or a plain dict, and the home page's counts.

Each app imports these from here, never from another app's presenters (import-linter's web floors in
``pyproject.toml``). Pure Python over the objects :mod:`outcomes_web.adapter` returns; words, figures
and charts come from the report's view-model through the adapter, never a copy here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from outcomes_web.adapter import Loaded, RagView
from outcomes_web.adapter import series_short_value as short_value_text
from outcomes_web.adapter import series_value as value_text

RAG_CLASS = {"G": "green", "A": "amber", "R": "red"}
RAG_WORD = {"G": "green", "A": "amber", "R": "red"}
TREND_FILTERS = ("improving", "similar", "worsening", "not assessed")
KIND_LABEL = {"population_indicator": "Population indicator", "performance_measure": "Performance measure"}


# ---------------------------------------------------------------------------------------------- tags
@dataclass(frozen=True)
class Tag:
    """A judgement as a tag: the word always, the RAG letter beside it, the colour last."""

    word: str
    letter: str
    css: str
    colour: str

    @property
    def label(self) -> str:
        return self.word[:1].upper() + self.word[1:]


def tag(v: RagView) -> Tag:
    letter = v.letter if v.letter in RAG_CLASS else ""
    return Tag(v.judgement or "not assessed", letter, RAG_CLASS.get(letter, "grey"), RAG_WORD.get(letter, ""))


# ------------------------------------------------------------------------------------------- links
def period_query(period: str) -> str:
    return f"?{urlencode({'period': period})}" if period else ""


def indicator_url(outcome_key: str, indicator_key: str, period: str = "") -> str:
    return reverse("tracker:indicator", args=[outcome_key, indicator_key]) + period_query(period)


def outcome_url(outcome_key: str, period: str = "") -> str:
    return reverse("tracker:outcome", args=[outcome_key]) + period_query(period)


# ------------------------------------------------------------------------------------------ values
# A figure is printed by the report's view-model (``value_text``: '28.12 per 10,000'; ``short_value_text``
# for a table whose heading names the unit), so the pages print what the reports print.
__all__ = ["short_value_text", "value_text"]


def verdict_dict(v: RagView) -> dict[str, Any]:
    return {"judgement": v.judgement, "rag": v.letter or None, "method": v.method_code,
            "method_label": v.method or v.method_code, "reason": v.reason, "why": v.why}


def judgement_counts(loaded: Loaded) -> dict[str, Any]:
    """Counts of series by trend word, for population indicators and for performance measures.

    ``rows`` is one (tag, indicator series, measure series) per trend word, the tag carrying the RAG
    letter the judgements used for that word.
    """
    kinds = ("population_indicator", "performance_measure")
    verdicts = {kind: [loaded.judged.series[s.id] for s in loaded.outcome.all_series() if s.kind == kind]
                for kind in kinds}
    out: dict[str, Any] = {}
    for kind in kinds:
        words = Counter(v.trend.judgement for v in verdicts[kind])
        out[kind] = {"label": KIND_LABEL[kind], "total": len(verdicts[kind]),
                     "trend": [(w, words.get(w, 0)) for w in TREND_FILTERS]}
    letters = {v.trend.judgement: v.trend for vs in verdicts.values() for v in vs}
    out["rows"] = [
        (tag(letters[w]) if w in letters else Tag(w, "", "grey", ""), out[kinds[0]]["trend"][i][1], out[kinds[1]]["trend"][i][1])
        for i, w in enumerate(TREND_FILTERS)
    ]
    out["indicators"] = len(loaded.outcome.indicators)
    out["measures"] = sum(1 for _ in loaded.outcome.measures())
    return out
