"""Judging a whole framework: every series' trend and comparators, the risks, and the focus ranking.

Speed: intervals for every observation are computed in one call per unit type
(:func:`~outcomes.judge.intervals.compute_intervals`), every interval comparison of the framework
in one ``compare_with_benchmark_array`` call, and every XmR chart and every recent-trend test in one
vectorised call each (:func:`~outcomes.judge.trend.judge_trends`); the cyclic garbage collector is
held off meanwhile (ADR 0012). What is left is per-series Python: choosing the method and writing
the sentences (``bench/bench_judge.py --phases`` prints where the time goes).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from outcomes.model import Framework, Period, Polarity, PublishedJudgement, Risk, Series, Unit
from outcomes.stats import TrendMarker, XmR

from .comparator import judge_comparators
from .focus import FocusItem, rank_focus
from .intervals import IntervalPoint, SeriesIntervals, compute_intervals
from .method import ComparatorJudgement, Judgement, forget_numbers, unit_text
from .settings import JudgementSettings
from .trend import ValueAt, judge_trend_tuples

__all__ = ["FrameworkJudgement", "RiskJudgement", "SeriesJudgement", "judge_framework", "judge_series"]


@dataclass
class SeriesJudgement:
    """Everything judged about one series, with the figures behind it.

    ``comparator`` is the headline comparator judgement (the first comparator that could be
    compared); ``comparators`` all of them, in the series' order. ``spc`` is the XmR chart when one
    was drawn (over ``spc_periods``); ``intervals`` the observations with confidence limits (built on
    first use from ``interval_limits``, the per-observation arrays).
    """

    series: Series
    previous: ValueAt | None
    latest: ValueAt | None
    trend: Judgement
    comparator: ComparatorJudgement
    comparators: list[ComparatorJudgement]
    current_run: int
    current_direction: str | None
    spc: XmR | None
    spc_periods: tuple[Period, ...]
    trend_marker: TrendMarker | None
    interval_limits: SeriesIntervals | None = None
    warnings: list[str] = field(default_factory=list)
    focus: FocusItem | None = None

    @cached_property
    def intervals(self) -> list[IntervalPoint]:
        """The observations with confidence limits (given or computed), for charts."""
        limits = self.interval_limits
        return limits.points(self.series) if limits is not None and limits.sources.any() else []

    @property
    def id(self) -> str:
        return self.series.id

    @property
    def title(self) -> str:
        return self.series.title

    @property
    def kind(self) -> str:
        return self.series.kind

    @property
    def unit(self) -> Unit:
        return self.series.unit

    @property
    def polarity(self) -> Polarity | None:
        return self.series.polarity

    @property
    def published(self) -> PublishedJudgement:
        return self.series.published

    def to_json_dict(self) -> dict[str, Any]:
        """The series record of ``outcomes judge --json``."""
        s = self.series
        t, c = self.trend, self.comparator
        empty = {"period": None, "value": None}
        return {
            "id": s.id,
            "title": s.title,
            "kind": s.kind,
            "unit": unit_text(s.unit),
            "polarity": str(s.polarity) if s.polarity is not None else None,
            "previous": self.previous.to_dict() if self.previous is not None else dict(empty),
            "latest": self.latest.to_dict() if self.latest is not None else dict(empty),
            "trend": {
                "judgement": t.word,
                "rag": t.rag,
                "method": t.method,
                "reason": t.reason,
                "current_run": self.current_run,
            },
            "comparator": {
                "name": c.name,
                "period": str(c.period) if c.period is not None else None,
                "value": c.value,
                "judgement": c.word,
                "rag": c.rag,
                "method": c.method,
                "reason": c.reason,
            },
            "comparators": [j.to_dict() for j in self.comparators],
            "published": {"trend": s.published.trend or None, "comparator": s.published.comparator or None},
            "focus": self.focus.to_dict() if self.focus is not None else {"rank": None, "reasons": []},
        }

    def comparator_rows(self) -> list[dict[str, Any]]:
        """One flat record per comparator (benchmark or group) of the series, for CSV and XLSX."""
        s = self.series
        return [
            {"series": s.id, "series_title": s.title, "unit": unit_text(s.unit), **j.to_dict()}
            for j in self.comparators
        ]

    def to_row(self) -> dict[str, Any]:
        """One flat record for CSV output."""
        s = self.series
        t, c = self.trend, self.comparator
        return {
            "record": "series",
            "id": s.id,
            "title": s.title,
            "kind": s.kind,
            "parent_id": s.parent_id,
            "unit": unit_text(s.unit),
            "polarity": str(s.polarity) if s.polarity is not None else "",
            "previous_period": str(self.previous.period) if self.previous and self.previous.period else "",
            "previous_value": self.previous.value if self.previous else None,
            "latest_period": str(self.latest.period) if self.latest and self.latest.period else "",
            "latest_value": self.latest.value if self.latest else None,
            "trend": t.word,
            "trend_rag": t.rag or "",
            "trend_method": t.method,
            "trend_method_label": t.method_label,
            "trend_reason": t.reason,
            "trend_why": t.why,
            "current_run": self.current_run,
            "current_direction": self.current_direction or "",
            "comparator_name": c.name or "",
            "comparator_period": str(c.period) if c.period is not None else "",
            "comparator_value": c.value,
            "comparator": c.word,
            "comparator_rag": c.rag or "",
            "comparator_method": c.method,
            "comparator_reason": c.reason,
            "comparator_why": c.why,
            "published_trend": s.published.trend,
            "published_comparator": s.published.comparator,
            "focus_rank": self.focus.rank if self.focus is not None else None,
            "focus_score": self.focus.score if self.focus is not None else 0.0,
            "focus_reasons": " ".join(self.focus.reasons) if self.focus is not None else "",
            "warnings": " ".join(self.warnings),
        }


@dataclass
class RiskJudgement:
    """A corporate risk with the indicators it is linked to.

    ``unknown_indicators`` are linked ids that are not indicators of the framework.
    """

    risk: Risk
    indicators: tuple[str, ...]
    unknown_indicators: tuple[str, ...] = ()
    focus: FocusItem | None = None

    def to_json_dict(self) -> dict[str, Any]:
        r = self.risk
        return {
            "id": r.id,
            "title": r.title,
            "score": r.score,
            "trend": r.trend,
            "indicators": list(self.indicators),
            "focus": self.focus.to_dict() if self.focus is not None else {"rank": None, "reasons": []},
        }

    def to_row(self) -> dict[str, Any]:
        r = self.risk
        return {
            "record": "risk",
            "id": r.id,
            "title": r.title,
            "score": r.score,
            "risk_trend": r.trend,
            "indicators": ";".join(self.indicators),
            "focus_rank": self.focus.rank if self.focus is not None else None,
            "focus_score": self.focus.score if self.focus is not None else 0.0,
            "focus_reasons": " ".join(self.focus.reasons) if self.focus is not None else "",
            "warnings": (
                f"Linked to unknown indicators: {', '.join(self.unknown_indicators)}."
                if self.unknown_indicators
                else ""
            ),
        }


@dataclass
class FrameworkJudgement:
    """The judgements of a framework: ``series`` (framework order), ``risks``, and the ``focus`` list.

    ``focus`` holds the listed focus items in rank order; ``focus_items`` also the unlisted ones that
    had a reason or an override (suppressed, or below ``focus_min_score``).
    """

    framework: Framework
    series: list[SeriesJudgement]
    risks: list[RiskJudgement]
    focus_items: list[FocusItem]
    settings: JudgementSettings

    @property
    def by_series_id(self) -> dict[str, SeriesJudgement]:
        return {sj.series.id: sj for sj in self.series}

    @property
    def focus(self) -> list[FocusItem]:
        return [item for item in self.focus_items if item.listed]

    @property
    def focus_suppressed(self) -> list[FocusItem]:
        return [item for item in self.focus_items if item.suppressed]

    def focus_for(self, kind: str) -> list[FocusItem]:
        """The listed focus items of one kind: population_indicator, performance_measure or risk."""
        return [item for item in self.focus if item.kind == kind]

    def rerank(self, quality_findings: Iterable[Any] | None = None) -> None:
        """Rank focus again, e.g. once the data-quality findings are known."""
        _attach_focus(self, rank_focus(self.framework, self.series, quality_findings, settings=self.settings))

    def to_json_dict(self) -> dict[str, Any]:
        """``{"series": [...], "risks": [...]}``: the shape ``outcomes judge --json`` prints."""
        return {
            "series": [sj.to_json_dict() for sj in self.series],
            "risks": [rj.to_json_dict() for rj in self.risks],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat dict per series, then one per risk (for CSV)."""
        return [sj.to_row() for sj in self.series] + [rj.to_row() for rj in self.risks]

    def comparator_rows(self) -> list[dict[str, Any]]:
        """One flat dict per series and comparator: every benchmark and group, not only the headline."""
        return [row for sj in self.series for row in sj.comparator_rows()]


class _CollectorPause:
    """Python's cyclic garbage collector held off while frameworks are judged (any thread).

    Judging allocates many small objects that live until the judgement is returned, so the collector
    would otherwise walk every live object (the framework's observations included) again and again,
    finding nothing to free: on 10,000 series that is more time than the judging itself. Nothing is
    leaked: objects are still freed as soon as they are unused; only cycles wait for the next
    collection. The collector is process-wide, so the pause is counted: it ends when the last
    judgement running in any thread ends, and only if the collector was on when the first began.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    @contextmanager
    def __call__(self) -> Iterator[None]:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1
        try:
            yield
        finally:
            with self._lock:
                self._active -= 1
                if self._active == 0 and self._was_enabled:
                    _promote_young()
                    gc.enable()


def _promote_young() -> None:
    """Move every object the collector tracks into its oldest generation, and zero the young count.

    Without this, the first allocation after the pause runs a young collection over everything
    allocated during it (a 10,000-series judgement keeps some 93,000 such objects: about 0.06 s that
    frees nothing, since what judging made lives as long as its result). ``gc.freeze`` then
    ``gc.unfreeze`` does it in constant time (two list splices; ``freeze`` zeroes the young count):
    the objects land where two young collections would have put them, without being counted towards
    the next full collection. Skipped when anything is already frozen (a server that froze its
    preloaded objects before forking, say), so that no one else's frozen objects are let go.
    """
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


_collector_paused = _CollectorPause()

#: The ``comparators`` and ``warnings`` of every series that has none: one shared empty list, never
#: added to (no code changes a judgement's lists; ``tests/unit/judge/test_judge_kept.py`` checks that
#: judging, exporting and reporting leave it empty), instead of two new lists per series.
_NONE: list[Any] = []


def _settings(
    framework: Framework | None, settings: JudgementSettings | Mapping[str, Any] | None
) -> JudgementSettings:
    if isinstance(settings, JudgementSettings):
        return settings
    if settings is not None:
        return JudgementSettings.from_mapping(settings)
    if framework is not None:
        return JudgementSettings.from_framework(framework)
    return JudgementSettings()


def _judge_many(
    series_list: list[Series], settings: JudgementSettings, area_names: Mapping[str, str]
) -> list[SeriesJudgement]:
    all_intervals: list[SeriesIntervals] = compute_intervals(series_list)
    # one kernel call; each trend a plain tuple in TrendParts' order (no TrendResult to take apart)
    trends = judge_trend_tuples(series_list, settings=settings, intervals=all_intervals)
    # every comparator, every interval comparison of the framework settled at once
    compared, headlines, comparator_notes = judge_comparators(series_list, all_intervals, settings, area_names)
    judged: list[SeriesJudgement] = []
    keep, make, none = judged.append, SeriesJudgement, _NONE
    # (each trend unpacked in TrendParts' field order)
    for s, iv, (trend, previous, latest, run, direction, spc, spc_periods, marker, warnings), comparisons, \
            headline, notes in zip(series_list, all_intervals, trends, compared, headlines, comparator_notes, strict=True):
        keep(make(
            s, previous, latest, trend, headline, comparisons or none, run, direction, spc, spc_periods, marker, iv,
            [*warnings, *notes] if warnings or notes else none,
        ))
    return judged


def _all_series(framework: Framework) -> list[Series]:
    """``list(framework.all_series())``, without a generator per outcome, indicator and measure."""
    found: list[Series] = []
    add = found.extend
    for outcome in framework.outcomes:
        for indicator in outcome.indicators:
            add(indicator.series)
            for measure in indicator.measures:
                add(measure.series)
    return found


def _attach_focus(judged: FrameworkJudgement, items: list[FocusItem]) -> None:
    judged.focus_items = items
    series_items = {i.id: i for i in items if i.kind != "risk"}
    risk_items = {i.id: i for i in items if i.kind == "risk"}
    for sj in judged.series:
        sj.focus = series_items.get(sj.series.id)
    for rj in judged.risks:
        rj.focus = risk_items.get(rj.risk.id)


def judge_series(
    series: Series,
    *,
    settings: JudgementSettings | Mapping[str, Any] | None = None,
    area_names: Mapping[str, str] | None = None,
) -> SeriesJudgement:
    """Judge one series on its own (no focus ranking). Same rules as :func:`judge_framework`."""
    return _judge_many([series], _settings(None, settings), area_names or {})[0]


def judge_framework(
    framework: Framework,
    *,
    settings: JudgementSettings | Mapping[str, Any] | None = None,
    quality_findings: Iterable[Any] | None = None,
) -> FrameworkJudgement:
    """Judge every series of ``framework`` and rank focus.

    ``settings`` defaults to the framework's own (``framework.settings``); ``quality_findings`` (objects
    with ``subject_id`` and ``severity``) feed the focus ranking.
    """
    chosen = _settings(framework, settings)
    forget_numbers()
    area_names = {code: area.name for code, area in framework.areas.items()}
    with _collector_paused():
        series = _judge_many(_all_series(framework), chosen, area_names)
        indicator_ids = {ind.id for ind in framework.indicators()}
        risks = [
            RiskJudgement(r, tuple(r.indicators), tuple(i for i in r.indicators if i not in indicator_ids))
            for r in framework.risks
        ]
        judged = FrameworkJudgement(framework, series, risks, [], chosen)
        _attach_focus(judged, rank_focus(framework, series, quality_findings, settings=chosen))
    return judged
