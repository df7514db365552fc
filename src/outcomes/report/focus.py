"""The one focus numbering every output shows: the tracker's scorecard, the HTML and PDF report, Word.

The judge ranks every series and risk once (:func:`outcomes.judge.rank_focus`): by focus score,
highest first, ties going to population indicators, then performance measures, then risks, each in
framework order. Its ``rank`` counts risks and series together, so a scorecard of series showed
gaps (1–16 then 22), and the report used to number indicators and measures separately (the same
series was 8 on one and #1 on the other).

Here that ranking is numbered once for display:

* every listed **series** (population indicators and performance measures together) gets a focus
  number 1, 2, 3 … with no gaps, in the judge's order;
* every listed **corporate risk** gets R1, R2 … in the same order of scores.

:data:`FOCUS_RANKING_SENTENCE` says so in plain words, wherever a number is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["FOCUS_RANKING_SENTENCE", "FocusNumbers", "focus_numbers"]

#: How the focus numbers are made, in one sentence for readers (shown beside every focus number).
FOCUS_RANKING_SENTENCE = (
    "Focus numbers rank every series, population indicators and performance measures together, by their "
    "focus score (points for being worse than the comparator, worsening, a special-cause concern, a missed "
    "target, a HIGH or worsening linked risk and data-quality errors), highest first; equal scores go "
    "indicators first, then in framework order. Corporate risks are ranked on the same scores as R1, R2 and so on."
)


@dataclass(frozen=True)
class FocusNumbers:
    """Focus numbers by series id (1..N) and by risk id (1..K, shown as "R1")."""

    series: dict[str, int] = field(default_factory=dict)
    risks: dict[str, int] = field(default_factory=dict)

    def of_series(self, series_id: str) -> int | None:
        return self.series.get(series_id)

    def of_risk(self, risk_id: str) -> int | None:
        return self.risks.get(risk_id)

    def label(self, kind: str, item_id: str) -> str:
        """"#3" for a series, "R2" for a risk, "" when the item is not listed for focus."""
        if kind == "risk":
            n = self.risks.get(item_id)
            return f"R{n}" if n else ""
        n = self.series.get(item_id)
        return f"#{n}" if n else ""


def focus_numbers(judged: Any) -> FocusNumbers:
    """Number the judge's focus list (``judged.focus``, already in rank order) for display."""
    series: dict[str, int] = {}
    risks: dict[str, int] = {}
    for item in sorted(getattr(judged, "focus", ()) or (), key=lambda i: i.rank or 0):
        if item.rank is None:
            continue
        if item.kind == "risk":
            risks.setdefault(item.id, len(risks) + 1)
        else:
            series.setdefault(item.id, len(series) + 1)
    return FocusNumbers(series, risks)
