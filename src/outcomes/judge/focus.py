"""Focus ranking: which population indicators, performance measures and risks deserve scrutiny, and why.

Every series (of a population indicator or a performance measure) and every corporate risk gets a
score: the sum of the weights (setting ``focus_weights``) of the reasons that apply to it, each
reason written as a sentence:

====================== ======= ===============================================================
reason                 weight  applies when
====================== ======= ===============================================================
worse                  3       the headline comparator judgement is "worse"
worsening              3       the trend is "worsening" (by the recent-trend test or previous vs latest)
special_cause_concern  4       SPC: the latest point is special-cause concern (instead of worsening)
missed_target          2       the latest value is on the wrong side of the series' target
high_risk              2       a HIGH risk; for an indicator's series, any linked HIGH risk (once)
worsening_risk         1       a worsening risk; for an indicator's series, any linked one (once)
quality_error          1       at least one error-level data-quality finding names the item
quality_warning        0       at least one warning-level finding names the item
====================== ======= ===============================================================

Items scoring at least ``focus_min_score`` are listed, highest first (ties: indicators, then
measures, then risks, each in framework order). A ``FocusOverride`` pins an item (always listed,
its reason shown) or suppresses it (never listed; the reason is kept on the item).

Data-quality findings are duck-typed: anything with ``subject_id`` and ``severity`` (and optionally
``code``) will do, such as the lead's ``quality.Finding``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any, Protocol

from outcomes.model import FocusOverride, Framework, Polarity, Risk, Series

from .method import format_value, period_phrase, polarity_text
from .settings import JudgementSettings

__all__ = ["FOCUS_KINDS", "FocusItem", "rank_focus"]

#: Kinds of focus item, in tie-break order.
FOCUS_KINDS: tuple[str, ...] = ("population_indicator", "performance_measure", "risk")


class _QualityFinding(Protocol):
    subject_id: str
    severity: str


@dataclass
class FocusItem:
    """One candidate for focus: its score, its rank when listed (1 = first), and the reasons.

    ``contributions`` pairs each weighted reason code with its points. ``override`` is the item's pin
    or suppress decision, if any.
    """

    kind: str
    id: str
    title: str
    score: float = 0.0
    rank: int | None = None
    reasons: list[str] = field(default_factory=list)
    override: FocusOverride | None = None
    contributions: list[tuple[str, float]] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        return self.rank is not None

    @property
    def pinned(self) -> bool:
        return self.override is not None and self.override.action == "pin"

    @property
    def suppressed(self) -> bool:
        return self.override is not None and self.override.action == "suppress"

    def add(self, code: str, weight: float, sentence: str) -> None:
        """Add a reason worth ``weight`` points (nothing when the weight is 0)."""
        self.add_many([(code, weight)], sentence)

    def add_many(self, contributions: Sequence[tuple[str, float]], sentence: str) -> None:
        """Add several weighted reasons explained by one sentence (those weighing 0 are dropped)."""
        kept = [(code, weight) for code, weight in contributions if weight > 0]
        if not kept:
            return
        self.score += sum(weight for _, weight in kept)
        self.contributions.extend(kept)
        self.reasons.append(sentence)

    def to_dict(self) -> dict[str, Any]:
        """The ``focus`` record of the JSON output: rank and reasons."""
        return {"rank": self.rank, "reasons": list(self.reasons)}


def _is_high(risk: Risk) -> bool:
    return risk.score.strip().upper() == "HIGH"


def _is_worsening(risk: Risk) -> bool:
    return risk.trend.strip().lower() in ("worsening", "worsened")


def _add_linked_risks(item: FocusItem, linked: Sequence[Risk], weights: dict[str, float]) -> None:
    """HIGH and worsening linked risks count once each, with one sentence per risk that qualifies."""
    high = [r for r in linked if _is_high(r)]
    worse = [r for r in linked if _is_worsening(r)]
    codes = [(c, weights[c]) for c, found in (("high_risk", high), ("worsening_risk", worse)) if found]
    if not codes or sum(w for _, w in codes) <= 0:
        return
    sentences = []
    for r in linked:
        marks = [m for m, hit in (("HIGH", r in high), ("worsening", r in worse)) if hit]
        if marks:
            sentences.append(f"Linked to corporate risk {r.id} ({r.title}): {' and '.join(marks)}.")
    item.add_many(codes, " ".join(sentences))


def _missed_target(series: Series, latest: float | None) -> str:
    target = series.target
    if (
        target is None
        or latest is None
        or series.polarity not in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)
    ):
        return ""
    missed = latest < target.value if series.polarity == Polarity.HIGHER_IS_BETTER else latest > target.value
    if not missed:
        return ""
    when = f" {period_phrase(target.period, 'for')}" if target.period is not None else ""
    return (
        f"Missed its target: {format_value(series.unit, latest)} against a target of "
        f"{format_value(series.unit, target.value)}{when}; {polarity_text(series.polarity)}."
    )


def rank_focus(
    framework: Framework,
    judgements: Iterable[Any],
    quality_findings: Iterable[_QualityFinding] | None = None,
    *,
    settings: JudgementSettings | None = None,
) -> list[FocusItem]:
    """Score and rank the framework's series and risks for focus.

    ``judgements`` are the :class:`~outcomes.judge.SeriesJudgement` s (or a ``FrameworkJudgement``).
    Returns every item with a reason or an override: the listed ones first in rank order (rank 1..n),
    then the rest with ``rank`` None (suppressed, or scoring below ``focus_min_score``).
    """
    settings = settings or JudgementSettings.from_framework(framework)
    weights = settings.focus_weights
    series_judgements = list(getattr(judgements, "series", judgements))

    # quality findings by subject: a series id, a risk id, or an indicator/measure id (all its series)
    by_subject: dict[str, list[Any]] = defaultdict(list)
    for finding in quality_findings or ():
        by_subject[str(getattr(finding, "subject_id", ""))].append(finding)
    children: dict[str, list[str]] = defaultdict(list)
    series_ids: set[str] = set()
    if by_subject:  # (only findings need the series' ids and children)
        for sj in series_judgements:
            if sj.series.parent_id and sj.series.parent_id != sj.series.id:
                children[sj.series.parent_id].append(sj.series.id)
        series_ids = {sj.series.id for sj in series_judgements}
    findings_for: dict[str, list[Any]] = defaultdict(list)
    for subject, found in by_subject.items():
        if subject in series_ids:
            findings_for[subject].extend(found)
        else:
            for child in children.get(subject, ()):
                findings_for[child].extend(found)

    risks_by_indicator: dict[str, list[Risk]] = defaultdict(list)
    for risk in framework.risks:
        for indicator in risk.indicators:
            risks_by_indicator[indicator].append(risk)

    # each item goes, as it is made, to the listed or the other items of its kind (_place, as _order)
    min_score = settings.focus_min_score
    listed: _Buckets = ([], [], [], [])
    rest: _Buckets = ([], [], [], [])
    w_worse, w_worsening, w_concern = weights["worse"], weights["worsening"], weights["special_cause_concern"]
    w_missed = weights["missed_target"]
    indicator = FOCUS_KINDS[0]
    other_kinds = frozenset(FOCUS_KINDS[1:])
    concern_counts, worsening_counts = w_concern > 0, w_worsening > 0
    # each weighted reason's (code, points) pair, made once and shared by the items (a tuple never changes)
    by_worse, by_concern = ("worse", w_worse), ("special_cause_concern", w_concern)
    by_worsening, by_missed = ("worsening", w_worsening), ("missed_target", w_missed)
    for sj in series_judgements:
        s: Series = sj.series
        # the weighted reasons first; an item is made only for a series with a reason or an override
        # (_order drops the others, and keeps the made ones in framework order)
        comparator, trend = sj.comparator, sj.trend
        worse = comparator.word == "worse" and w_worse > 0
        if trend.method == "spc-xmr" and trend.values.get("point_type") == "special_cause_concern":
            concern, worsening = concern_counts, False
        else:
            concern, worsening = False, trend.word == "worsening" and worsening_counts
        missed = ""
        if s.target is not None and w_missed > 0:
            latest = sj.latest
            missed = _missed_target(s, latest.value if latest is not None else None)
        kind = s.kind
        if kind == indicator:
            linked = risks_by_indicator.get(s.parent_id or s.id)
        else:
            linked = None
            if kind not in other_kinds:
                kind = "performance_measure"
        named = findings_for.get(s.id) if findings_for else None
        override = s.focus
        if not (worse or concern or worsening or missed or linked or named or override is not None):
            continue
        # as FocusItem(kind, s.id, s.title, override=override) and FocusItem.add for each reason
        reasons: list[str] = []
        contributions: list[tuple[str, float]] = []
        score = 0.0
        if worse:
            score += w_worse
            contributions.append(by_worse)
            reasons.append(comparator.reason)
        if concern:
            score += w_concern
            contributions.append(by_concern)
            reasons.append(trend.reason)
        elif worsening:
            score += w_worsening
            contributions.append(by_worsening)
            reasons.append(trend.reason)
        if missed:
            score += w_missed
            contributions.append(by_missed)
            reasons.append(missed)
        item = FocusItem(kind, s.id, s.title, score, None, reasons, override, contributions)
        if linked:
            _add_linked_risks(item, linked, weights)
        if named:
            _add_quality(item, named, weights)
        if override is None:  # (_place, written out for the usual item)
            points = item.score
            if points > 0 and points >= min_score:
                listed[_KIND_INDEX[kind]].append(item)
            elif item.reasons:
                rest[_KIND_INDEX[kind]].append(item)
        else:
            _place(item, listed, rest, min_score)

    for risk in framework.risks:
        item = FocusItem("risk", risk.id, risk.title, override=risk.focus)
        codes = [
            c for c, hit in (("high_risk", _is_high(risk)), ("worsening_risk", _is_worsening(risk))) if hit
        ]
        points = sum(weights[c] for c in codes)
        if points > 0:
            trend = risk.trend.strip().lower() or "trend not given"
            sentence = f"A {risk.score.strip().upper()} corporate risk, {trend}."
            item.add_many([(c, weights[c]) for c in codes], sentence)
        _add_quality(item, by_subject.get(risk.id, []), weights)
        _place(item, listed, rest, min_score)

    return _ranked(listed, rest)


def _add_quality(item: FocusItem, findings: Sequence[Any], weights: dict[str, float]) -> None:
    for severity, code in (("error", "quality_error"), ("warning", "quality_warning")):
        found = [f for f in findings if str(getattr(f, "severity", "")).lower() == severity]
        if not found:
            continue
        names = sorted({_plain_check(f) for f in found})
        plural = "s" if len(found) > 1 else ""
        item.add(code, weights[code], f"Data quality: {len(found)} {severity}{plural} ({'; '.join(names)}).")


def _plain_check(finding: Any) -> str:
    """The check's plain name for a public sentence (its code stays in the data-quality appendix)."""
    from .quality import CHECKS  # late: quality imports the judging helpers this module shares

    code = str(getattr(finding, "code", "") or "")
    check = CHECKS.get(code)
    if check is None:
        return code.replace("-", " ") or str(getattr(finding, "message", ""))
    return check.title[:1].lower() + check.title[1:]


def _override_reason(item: FocusItem) -> str:
    return item.override.reason.strip().rstrip(".") if item.override is not None else ""


#: Each kind's place in the tie-break order (another kind comes last).
_KIND_INDEX = {k: i for i, k in enumerate(FOCUS_KINDS)}
_Buckets = tuple[list[FocusItem], list[FocusItem], list[FocusItem], list[FocusItem]]
_BY_SCORE = attrgetter("score")


def _order(items: list[FocusItem], settings: JudgementSettings) -> list[FocusItem]:
    """The listed items in rank order (score, highest first; ties by kind, then in the order given),
    numbered, then the others in that order; pinned and suppressed items get their reason.

    The order of the key (−score, kind, position): each item is put with the listed or the other
    items of its kind, in the order given (a stable sort by kind), and one stable sort by score
    (``reverse`` keeps equal scores in their order) does the rest. ``rank_focus`` places each item
    as it makes it.
    """
    min_score = settings.focus_min_score
    listed: _Buckets = ([], [], [], [])
    rest: _Buckets = ([], [], [], [])
    for item in items:
        _place(item, listed, rest, min_score)
    return _ranked(listed, rest)


def _place(item: FocusItem, listed: _Buckets, rest: _Buckets, min_score: float) -> None:
    """Put ``item`` with the listed or the other items of its kind, or drop it (no reason, no override)."""
    index = _KIND_INDEX.get(item.kind, 3)
    override = item.override
    action = override.action if override is not None else None
    if action == "pin":
        item.reasons.append(f"Pinned: {_override_reason(item)}.")
        listed[index].append(item)
    elif action == "suppress":
        item.reasons.append(f"Suppressed: {_override_reason(item)}.")
        rest[index].append(item)
    elif item.score > 0 and item.score >= min_score:
        listed[index].append(item)
    elif item.reasons or override:
        rest[index].append(item)


def _ranked(listed: _Buckets, rest: _Buckets) -> list[FocusItem]:
    first = [item for items in listed for item in items]
    first.sort(key=_BY_SCORE, reverse=True)
    for rank, item in enumerate(first, start=1):
        item.rank = rank
    others = [item for items in rest for item in items]
    others.sort(key=_BY_SCORE, reverse=True)
    return first + others
