"""Judgements: trend, comparator and focus for every series of a framework, each with method and reason.

>>> from outcomes.judge import judge_framework  # doctest: +SKIP
>>> judged = judge_framework(framework)  # doctest: +SKIP
>>> judged.by_series_id["child-protection"].trend.reason  # doctest: +SKIP

``docs/methods.md`` ("Judgements on a framework") documents how each method is chosen; the settings
are in ``docs/settings.md``. Data-quality checks live in :mod:`outcomes.judge.quality` (imported
separately). This package imports only ``outcomes.model`` and ``outcomes.stats``.
"""

from .comparator import headline_comparator, no_comparator, plan_comparators, settle_comparisons
from .engine import FrameworkJudgement, RiskJudgement, SeriesJudgement, judge_framework, judge_series
from .focus import FOCUS_KINDS, FocusItem, rank_focus
from .intervals import INTERVAL_SOURCES, IntervalPoint, SeriesIntervals, compute_intervals
from .method import (
    COMPARATOR_WORDS,
    METHODS,
    TREND_WORDS,
    ComparatorJudgement,
    Judgement,
    classify_change,
    classify_difference,
    method_label,
)
from .settings import DEFAULT_FOCUS_WEIGHTS, DEFAULT_RAG, SETTING_HELP, JudgementSettings, SettingsError
from .trend import TrendResult, ValueAt, current_run, judge_trend

__all__ = [
    "COMPARATOR_WORDS",
    "DEFAULT_FOCUS_WEIGHTS",
    "DEFAULT_RAG",
    "FOCUS_KINDS",
    "INTERVAL_SOURCES",
    "METHODS",
    "SETTING_HELP",
    "TREND_WORDS",
    "ComparatorJudgement",
    "FocusItem",
    "FrameworkJudgement",
    "IntervalPoint",
    "Judgement",
    "JudgementSettings",
    "RiskJudgement",
    "SeriesIntervals",
    "SeriesJudgement",
    "SettingsError",
    "TrendResult",
    "ValueAt",
    "classify_change",
    "classify_difference",
    "compute_intervals",
    "current_run",
    "headline_comparator",
    "judge_framework",
    "judge_series",
    "judge_trend",
    "method_label",
    "no_comparator",
    "plan_comparators",
    "rank_focus",
    "settle_comparisons",
]
