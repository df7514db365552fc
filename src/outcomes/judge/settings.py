"""Judgement settings: the documented knobs of the judgement engine, read from ``framework.settings``.

Every setting has a default that reproduces the seed report's own words. The defaults are written
once, here (:class:`JudgementSettings`' fields, :data:`DEFAULT_RAG`, :data:`DEFAULT_FOCUS_WEIGHTS`),
with what each means (:data:`SETTING_DOCS`, :data:`RAG_NOTES`, :data:`FOCUS_NOTES`);
``docs/settings.md`` ("Judgement settings") is generated from them by ``scripts/gen_settings_docs.py``
and a test fails when it differs.

>>> s = JudgementSettings.from_mapping({"tolerance": 0.05, "focus_weights": {"worse": 5}})
>>> s.tolerance, s.comparator_band, s.focus_weights["worse"], s.focus_weights["worsening"]
(0.05, 0.05, 5.0, 3.0)
>>> JudgementSettings.from_mapping({"tolerence": 0.05})  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
outcomes.judge.settings.SettingsError: 1 problem with the judgement settings: 'tolerence' is not a ...
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = [
    "COMPARE_WITH",
    "DEFAULT_FOCUS_WEIGHTS",
    "DEFAULT_RAG",
    "FOCUS_NOTES",
    "RAG_NOTES",
    "SETTING_DOCS",
    "SETTING_HELP",
    "JudgementSettings",
    "SettingsError",
]

#: The accepted values of ``compare_with``.
COMPARE_WITH: tuple[str, ...] = ("previous", "same-period-last-year")

#: RAG letter for each judgement word. ``similar`` is the trend word; ``similar_comparator`` the
#: comparator word (falls back to ``similar``). ``None`` means no colour (shown as the word only).
DEFAULT_RAG: dict[str, str | None] = {
    "improving": "G",
    "similar": "A",
    "worsening": "R",
    "better": "G",
    "similar_comparator": "A",
    "worse": "R",
    "higher": None,
    "lower": None,
    "not assessed": None,
    "not compared": None,
}

#: Points each reason adds to an item's focus score (see ``docs/methods.md``, focus ranking).
DEFAULT_FOCUS_WEIGHTS: dict[str, float] = {
    "worse": 3.0,  # worse than the (headline) comparator
    "worsening": 3.0,  # trend worsening (previous vs latest or recent-trend test)
    "special_cause_concern": 4.0,  # SPC: the latest point is special-cause concern (replaces worsening)
    "missed_target": 2.0,  # latest value on the wrong side of the target, by polarity
    "high_risk": 2.0,  # a HIGH corporate risk (the risk itself, or linked to the indicator)
    "worsening_risk": 1.0,  # a worsening corporate risk (the risk itself, or linked to the indicator)
    "quality_error": 1.0,  # at least one error-level data-quality finding about the item
    "quality_warning": 0.0,  # at least one warning-level data-quality finding about the item
}

#: One line per setting, for ``docs/settings.md`` and error messages.
SETTING_HELP: dict[str, str] = {
    "tolerance": "relative band for previous-vs-latest 'similar' (0.02 = within 2% of the previous value)",
    "comparator_tolerance": "relative band for value-vs-benchmark 'similar' when there is no interval "
    "(default: the same as tolerance)",
    "compare_with": "what the latest value is compared with: 'previous' or 'same-period-last-year'",
    "spc_min_points": "consecutive points a quarterly or monthly series needs for an SPC (XmR) judgement",
    "trend_min_points": "annual points (with counts or intervals) needed for the recent-trend test (>= 5)",
    "stale_after_periods": "a benchmark older than the value by more than this many periods is not used",
    "group_min_areas": "areas with a figure (the home area included) a group needs for rank and quartile",
    "rag": "RAG letter for each judgement word",
    "focus_weights": "points each reason adds to a focus score",
    "focus_min_score": "an item is listed for focus when its score reaches this (pinned items always are)",
}


#: What each setting means, for docs/settings.md (generated from here with the defaults above).
#: ``shown`` replaces the default in the document when the value alone would not say it.
SETTING_DOCS: dict[str, tuple[str, str]] = {
    "tolerance": (
        'The relative band for previous vs latest: the latest value is *similar* when within 2% of '
        "the value it is compared with, relative to that value. 2% reproduces the seed report's own "
        'words: 87 → 86 similar, 937 → 961 worsening, 7.6 → 7.3 improving, 567 → 568 similar. Only '
        'bands of at least 1.15% and below 2.56% reproduce all four. A fraction from 0 to below 1.',
        '',
    ),
    "comparator_tolerance": (
        'The relative band for a value against a benchmark when there is no confidence interval '
        '(`tolerance-vs-benchmark`): similar when within this fraction of the benchmark.',
        '*empty* (the same as `tolerance`)',
    ),
    "compare_with": (
        'What the latest value is compared with by the previous-vs-latest method: `previous` (the '
        'previous valued period, as the seed\'s key says, "since previous data submission") or '
        '`same-period-last-year` (for seasonal measures; the seed used it for road defects, '
        '"Compared to Q4 2016/17"). With `same-period-last-year`, a series without that period\'s '
        'value is *not assessed*.',
        '',
    ),
    "spc_min_points": (
        'How many consecutive valued points (quarters, months, or rolling windows shorter than a '
        'year) a series needs since its last gap or break to be judged by SPC (an XmR chart). 15 '
        "lies between NHSRplotthedots' 12 (below which limits are *trial* limits) and the 20 to 30 "
        'of *The Health Care Data Guide*; 12 (three years of quarters) is also defensible. At least '
        '8.',
        '',
    ),
    "trend_min_points": (
        'How many annual points, one year apart with no break, a series needs for the Fingertips '
        'recent-trend test. The test always uses the latest 5, so the minimum is 5; a higher number '
        'asks for more history first. The points also need counts and denominators (percentages) or '
        '95% limits, published or computed.',
        '',
    ),
    "stale_after_periods": (
        'A benchmark older than the value is used with a warning ("The England benchmark is for '
        '2016-17, older than the value\'s 2017-18"). If it is more than this many periods older, the '
        'series is *not compared*. 0 accepts only benchmarks for the same period.',
        '',
    ),
    "group_min_areas": (
        'How many areas, the home area included, must have a figure for the latest period before a '
        'group comparator (statistical neighbours) is ranked into quartiles. At least 2.',
        '',
    ),
    "rag": (
        'The RAG letter (`R`, `A`, `G`, or empty for none) of each judgement word. Name only the '
        'words you change.',
        'see below',
    ),
    "focus_weights": (
        'The points each reason adds to a focus score. Name only the reasons you change. Numbers of '
        '0 or more; 0 turns a reason off.',
        'see below',
    ),
    "focus_min_score": (
        'An item is listed for focus when its score is positive and at least this. Pinned items are '
        'always listed and suppressed items never are.',
        '',
    ),
}

#: The note beside each word in docs/settings.md's ``rag`` table.
RAG_NOTES: dict[str, str] = {
    "improving": 'trend',
    "similar": 'trend',
    "worsening": 'trend',
    "better": 'comparator',
    "similar_comparator": 'comparator *similar* (so a council can colour the two *similar*s differently)',
    "worse": 'comparator',
    "higher": 'comparator, series without polarity: a description, not a judgement',
    "lower": 'as `higher`',
    "not assessed": 'never a colour without a judgement',
    "not compared": 'as `not assessed`',
}

#: When each reason of docs/settings.md's ``focus_weights`` table applies.
FOCUS_NOTES: dict[str, str] = {
    "worse": 'the headline comparator judgement is *worse*',
    "worsening": 'the trend is *worsening* (recent-trend test or previous vs latest)',
    "special_cause_concern": 'SPC: the latest point is special-cause concern (counted instead of `worsening`)',
    "missed_target": "the latest value is on the wrong side of the series' target, by polarity",
    "high_risk": (
        "a HIGH corporate risk; for a population indicator's series, any linked HIGH risk (counted "
        'once)'
    ),
    "worsening_risk": (
        "a worsening corporate risk; for an indicator's series, any linked worsening risk (counted "
        'once)'
    ),
    "quality_error": 'at least one error-level data-quality finding names the item (`outcomes check`)',
    "quality_warning": 'at least one warning-level finding names the item',
}


class SettingsError(ValueError):
    """The judgement settings could not be read; the message lists every problem (also in ``problems``)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
        super().__init__(
            f"{count} with the judgement settings: " + "; ".join(problems) + ". See docs/settings.md."
        )


@dataclass(frozen=True)
class JudgementSettings:
    """How judgements are made. Build from a framework's ``settings`` with :meth:`from_framework`.

    See ``docs/settings.md`` for each setting, its default and why the default is what it is.
    """

    tolerance: float = 0.02
    comparator_tolerance: float | None = None
    compare_with: str = "previous"
    spc_min_points: int = 15
    trend_min_points: int = 5
    stale_after_periods: int = 1
    group_min_areas: int = 4
    rag: dict[str, str | None] = field(default_factory=lambda: dict(DEFAULT_RAG))
    focus_weights: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_FOCUS_WEIGHTS))
    focus_min_score: float = 1.0

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise SettingsError(problems)

    # ---- building -------------------------------------------------------------------------------

    @classmethod
    def from_framework(cls, framework: Any) -> JudgementSettings:
        """The settings of a :class:`~outcomes.model.Framework` (its ``settings`` mapping)."""
        return cls.from_mapping(getattr(framework, "settings", None) or {})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> JudgementSettings:
        """Read settings from a mapping; unknown keys and bad values raise one :class:`SettingsError`.

        Keys that are not judgement settings but belong to other parts of the tracker may be present
        under ``report``/``web``/``checks`` (ignored here). ``rag`` and ``focus_weights`` are merged
        over the defaults, so a framework only names what it changes.
        """
        problems: list[str] = []
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            if key in _OTHER_SECTIONS:
                continue
            if key not in known:
                close = difflib.get_close_matches(key, sorted(known), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                problems.append(f"'{key}' is not a judgement setting{hint}")
                continue
            kwargs[key] = value
        for name in ("rag", "focus_weights"):
            if name in kwargs:
                given = kwargs[name]
                if not isinstance(given, Mapping):
                    problems.append(f"'{name}' must be a set of 'word: value' entries, not {given!r}")
                    del kwargs[name]
                    continue
                base: dict[str, Any] = dict(DEFAULT_RAG if name == "rag" else DEFAULT_FOCUS_WEIGHTS)
                for k, v in given.items():
                    if k not in base:
                        close = difflib.get_close_matches(str(k), sorted(base), n=1)
                        hint = f" (did you mean '{close[0]}'?)" if close else ""
                        problems.append(
                            f"'{name}' has no entry '{k}'{hint}; its entries are {', '.join(base)}"
                        )
                        continue
                    base[k] = v
                for k, v in list(base.items()):
                    if name == "focus_weights" and _is_number(v):
                        base[k] = float(v)
                    elif name == "rag" and isinstance(v, str):
                        base[k] = v.strip().upper() or None
                kwargs[name] = base
        for name in ("tolerance", "focus_min_score"):
            if name in kwargs and isinstance(kwargs[name], int) and not isinstance(kwargs[name], bool):
                kwargs[name] = float(kwargs[name])
        if problems:
            try:
                cls(**kwargs)
            except SettingsError as error:
                problems.extend(error.problems)
            raise SettingsError(problems)
        return cls(**kwargs)

    # ---- derived --------------------------------------------------------------------------------

    @property
    def comparator_band(self) -> float:
        """The relative band used for comparisons without an interval."""
        return self.tolerance if self.comparator_tolerance is None else self.comparator_tolerance

    def rag_for(self, word: str, *, comparator: bool = False) -> str | None:
        """The RAG letter of a judgement word (``None`` when it has no colour).

        >>> s = JudgementSettings()
        >>> s.rag_for("improving"), s.rag_for("similar", comparator=True), s.rag_for("not assessed")
        ('G', 'A', None)
        """
        if comparator and word == "similar":
            return self.rag.get("similar_comparator", self.rag.get("similar"))
        return self.rag.get(word)

    def to_dict(self) -> dict[str, Any]:
        """The settings as plain data (for JSON and the report's method notes)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Sections of ``framework.settings`` that belong to other parts of the tracker.
_OTHER_SECTIONS = frozenset({"report", "web", "checks", "exports"})


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _problems(s: JudgementSettings) -> list[str]:
    problems: list[str] = []
    if not _is_number(s.tolerance) or not 0 <= s.tolerance < 1:
        problems.append(f"'tolerance' must be a fraction from 0 to below 1 (0.02 is 2%), not {s.tolerance!r}")
    if s.comparator_tolerance is not None and (
        not _is_number(s.comparator_tolerance) or not 0 <= s.comparator_tolerance < 1
    ):
        problems.append(
            "'comparator_tolerance' must be a fraction from 0 to below 1, or empty, "
            f"not {s.comparator_tolerance!r}"
        )
    if s.compare_with not in COMPARE_WITH:
        problems.append(f"'compare_with' must be one of {', '.join(COMPARE_WITH)}, not {s.compare_with!r}")
    if not _is_whole(s.spc_min_points) or s.spc_min_points < 8:
        problems.append(f"'spc_min_points' must be a whole number of at least 8, not {s.spc_min_points!r}")
    if not _is_whole(s.trend_min_points) or s.trend_min_points < 5:
        problems.append(
            f"'trend_min_points' must be a whole number of at least 5 (the test uses the latest 5), "
            f"not {s.trend_min_points!r}"
        )
    if not _is_whole(s.stale_after_periods) or s.stale_after_periods < 0:
        problems.append(
            f"'stale_after_periods' must be a whole number of 0 or more, not {s.stale_after_periods!r}"
        )
    if not _is_whole(s.group_min_areas) or s.group_min_areas < 2:
        problems.append(f"'group_min_areas' must be a whole number of at least 2, not {s.group_min_areas!r}")
    if not isinstance(s.rag, dict):
        problems.append("'rag' must be a set of 'word: letter' entries")
    else:
        for word, letter in s.rag.items():
            if letter is not None and letter not in ("R", "A", "G"):
                problems.append(f"rag for '{word}' must be R, A, G or empty, not {letter!r}")
    if not isinstance(s.focus_weights, dict):
        problems.append("'focus_weights' must be a set of 'reason: number' entries")
    else:
        for reason, weight in s.focus_weights.items():
            if not _is_number(weight) or weight < 0:
                problems.append(f"focus weight '{reason}' must be a number of 0 or more, not {weight!r}")
    if not _is_number(s.focus_min_score) or s.focus_min_score < 0:
        problems.append(f"'focus_min_score' must be a number of 0 or more, not {s.focus_min_score!r}")
    return problems
