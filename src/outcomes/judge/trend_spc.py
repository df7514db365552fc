"""The SPC trend judgement (``spc-xmr``): the latest point's Making Data Count type, in words."""

from __future__ import annotations

import math
from typing import Any

from outcomes.model import Observation, Period, Series
from outcomes.stats import XmR

from ._periods import plural
from .method import (
    Judgement,
    judgement,
    method_label,
    polarity_text,
)
from .settings import JudgementSettings
from .trend_common import GROUPED, PRINTF, _f, _finite, decimals_of, fmt, unit_affixes

# --------------------------------------------------------------------------------------------------
# SPC

_RULE_PHRASES = {
    "outside_limits": ("is above the upper process limit", "is below the lower process limit"),
    "trend": (
        "ends a run of 7 or more points each higher than the one before",
        "ends a run of 7 or more points each lower than the one before",
    ),
    "two_of_three": (
        "is one of two in three points close to the upper limit (the outer third above the mean)",
        "is one of two in three points close to the lower limit (the outer third below the mean)",
    ),
    "shift": (
        "ends a run of 7 or more points above the mean",
        "ends a run of 7 or more points below the mean",
    ),
}

_ASSURANCE = {
    "consistent_pass": "the process limits are all on the right side of it, so it will be met consistently",
    "consistent_fail": "the process limits are all on the wrong side of it, "
    "so it will be missed consistently "
    "unless the process changes",
    "inconsistent": "the process limits straddle it, so it will be met only some of the time",
}


_SPC_LABEL = method_label("spc-xmr")
_isfinite = math.isfinite


def _spc_judgement(
    series: Series, chart: XmR, run: list[Observation], settings: JudgementSettings,
    decimals: int | None = None, texts: dict[Any, Any] | None = None,
) -> Judgement:
    """The SPC judgement of ``series`` from its XmR ``chart`` over ``run`` (``decimals``: those the
    chart's values need, when the caller has worked them out). ``texts`` remembers the span and the
    why of each run of periods, by the identities of its first and last period objects and its number
    of points (so only for the periods of one call, which stay alive while it lasts, and one settings).

    The usual judgement (decimals and ``texts`` given; the latest value, the mean, the limits and any
    target between -999 and 999) is written from a printf template made once per kind of sentence and
    kept in ``texts`` (:func:`_spc_made`); anything else, and every judgement when :data:`_TEMPLATES` is
    off, by :func:`_spc_judgement_plain`, the reference."""
    latest = run[-1]
    latest_value = latest.value
    mean, lower, upper, target = chart.mean, chart.lower_limit, chart.upper_limit, chart.target
    if not (
        decimals is not None and texts is not None and latest_value is not None and _TEMPLATES
        and -999.0 < latest_value < 999.0 and -999.0 < mean < 999.0 and -999.0 < lower < 999.0
        and -999.0 < upper < 999.0 and (target is None or -999.0 < target < 999.0)
    ):
        return _spc_judgement_plain(series, chart, run, settings, decimals, texts)
    point_type, rule = chart.point_types[-1], chart.rules[-1]
    if point_type == "special_cause_improvement" or point_type == "special_cause_concern":
        if rule == "trend":
            high: bool | None = len(run) < 2 or not _finite(run[-2]) or float(latest_value) >= _f(run[-2].value)
        else:
            high = float(latest_value) > mean
    else:
        high = None
    assurance = chart.assurance_icon if target is not None else None
    n = chart.points_used
    key = (
        id(run[0].period), id(latest.period), n, id(series.unit), decimals, point_type, rule, high,
        series.polarity, assurance, chart.trial_limits,
    )
    made = texts.get(key)
    if made is None:
        made = texts[key] = _spc_made(series, chart, run, settings, decimals, texts, high, assurance)
    template, word, why, rag = made
    reason = template % (
        (latest_value, mean, lower, upper, target) if assurance else (latest_value, mean, lower, upper)
    )
    values = {
        "point_type": point_type,
        "rule": rule,
        "mean": mean,
        "lower_limit": lower,
        "upper_limit": upper,
        "points": n,
        "variation_icon": chart.variation_icon,
        "assurance_icon": chart.assurance_icon,
    }
    return judgement(word, rag, "spc-xmr", _SPC_LABEL, reason, why, values)


#: whether the usual SPC judgement is written from its template (a test turns it off to compare the two)
_TEMPLATES = True


def _spc_made(
    series: Series, chart: XmR, run: list[Observation], settings: JudgementSettings, decimals: int,
    texts: dict[Any, Any], high: bool | None, assurance: str | None,
) -> tuple[str, str, str, str | None]:
    """The template of an SPC reason (filled with the latest value, the mean, the two limits and, when
    ``assurance``, the target), its word, its why and its RAG letter: what :func:`_spc_judgement_plain`
    writes."""
    fixed, prefix, suffix = unit_affixes(series.unit)
    d = decimals
    dl = d + 1 if d < 2 else 3  # min(d + 1, 3)
    if fixed is not None:
        d = dl = fixed
    latest_period = run[-1].period
    span, why = _span_why(run, latest_period, chart.points_used, settings, texts)
    pre, suf = _escape(prefix), _escape(suffix)
    number = f"{pre}%.{dl}f{suf}"
    limits = f"mean {number}, process limits {number} to {number}"
    value = f"The latest value {pre}%.{d}f{suf} ({_escape(str(latest_period))})"
    span = _escape(span)
    point_type, rule = chart.point_types[-1], chart.rules[-1]
    if high is not None:
        improving = point_type == "special_cause_improvement"
        word = "improving" if improving else "worsening"
        phrase = _RULE_PHRASES.get(rule, ("is special-cause variation", "is special-cause variation"))[
            0 if high else 1
        ]
        template = (
            f"{'Improving' if improving else 'Worsening'}: special-cause "
            f"{'improvement' if improving else 'concern'}. {value} {_escape(phrase)} ({limits}, {span}); "
            f"{_escape(polarity_text(series.polarity))}."
        )
    else:
        word = "similar"
        template = (
            f"Similar: common-cause variation. {value} is within the process limits and meets no "
            f"special-cause rule ({limits}, {span})."
        )
    if assurance:
        template += f" Against the target of {pre}%.{d}f{suf}: {_escape(_ASSURANCE[assurance])}."
    if chart.trial_limits:
        template += " The limits are trial limits (fewer than 13 points)."
    return template, word, why, settings.rag.get(word)


def _escape(text: str) -> str:
    return text.replace("%", "%%")


def _span_why(
    run: list[Observation], latest_period: Period, n: int, settings: JudgementSettings,
    texts: dict[Any, Any] | None,
) -> tuple[str, str]:
    """The span ('12 quarters, Q1 2015-16 to Q4 2017-18') and the why of an SPC run, remembered in ``texts``
    by the identities of its first and last period objects and its number of points."""
    key = (id(run[0].period), id(latest_period), n)
    known: tuple[str, str] | None = texts.get(key) if texts is not None else None
    if known is None:
        counted = plural(latest_period, n)
        known = (
            f"{counted}, {run[0].period!s} to {latest_period!s}",
            f"{counted} in a row (at least {settings.spc_min_points} needed): an XmR chart "
            "separates special-cause from common-cause variation, so SPC is used (NHS Making Data Count).",
        )
        if texts is not None:
            texts[key] = known
    return known


def _spc_judgement_plain(
    series: Series, chart: XmR, run: list[Observation], settings: JudgementSettings,
    decimals: int | None = None, texts: dict[Any, Any] | None = None,
) -> Judgement:
    """:func:`_spc_judgement` written out, the reference (and for any judgement its template does not take)."""
    fixed, prefix, suffix = unit_affixes(series.unit)
    latest = run[-1]
    latest_period = latest.period
    n = chart.points_used
    # the run's values (missing ones, NaN, are skipped)
    d = decimals_of(chart.values.tolist()) if decimals is None else decimals
    dl = d + 1 if d < 2 else 3  # min(d + 1, 3)
    if fixed is not None:
        d = dl = fixed
    point_type, rule = chart.point_types[-1], chart.rules[-1]
    span, why = _span_why(run, latest_period, n, settings, texts)
    mean = chart.mean
    lower, upper, latest_value = chart.lower_limit, chart.upper_limit, latest.value
    # fmt(affixes, value, decimals), inlined: the format specs looked up, not built, and a figure that
    # cannot reach 1,000 printed by printf (no separator to place; it rounds as format does)
    spec, pf = GROUPED[dl], PRINTF[dl]
    m_text = (
        f"{prefix}{pf % mean}{suffix}" if -999.0 < mean < 999.0
        else f"{prefix}{mean:{spec}}{suffix}" if _isfinite(mean) else "no value"
    )
    lower_text = (
        f"{prefix}{pf % lower}{suffix}" if -999.0 < lower < 999.0
        else f"{prefix}{lower:{spec}}{suffix}" if _isfinite(lower) else "no value"
    )
    upper_text = (
        f"{prefix}{pf % upper}{suffix}" if -999.0 < upper < 999.0
        else f"{prefix}{upper:{spec}}{suffix}" if _isfinite(upper) else "no value"
    )
    limits = f"mean {m_text}, process limits {lower_text} to {upper_text}"
    if latest_value is None:
        shown = "no value"
    elif -999.0 < latest_value < 999.0:
        shown = f"{prefix}{PRINTF[d] % latest_value}{suffix}"
    else:
        shown = f"{prefix}{latest_value:{GROUPED[d]}}{suffix}" if _isfinite(latest_value) else "no value"
    value = f"The latest value {shown} ({latest_period!s})"
    if point_type == "special_cause_improvement" or point_type == "special_cause_concern":
        improving = point_type == "special_cause_improvement"
        word = "improving" if improving else "worsening"
        value_f = _f(latest.value)
        if rule == "trend":
            high = len(run) < 2 or not _finite(run[-2]) or value_f >= _f(run[-2].value)
        else:
            high = value_f > mean
        phrase = _RULE_PHRASES.get(rule, ("is special-cause variation", "is special-cause variation"))[
            0 if high else 1
        ]
        reason = (
            f"{'Improving' if improving else 'Worsening'}: special-cause "
            f"{'improvement' if improving else 'concern'}. {value} {phrase} ({limits}, {span}); "
            f"{polarity_text(series.polarity)}."
        )
    else:
        word = "similar"
        reason = (
            f"Similar: common-cause variation. {value} is within the process limits and meets no "
            f"special-cause rule ({limits}, {span})."
        )
    if chart.assurance_icon and chart.target is not None:
        reason += (
            f" Against the target of {fmt((fixed, prefix, suffix), chart.target, d)}: "
            f"{_ASSURANCE[chart.assurance_icon]}."
        )
    if chart.trial_limits:
        reason += " The limits are trial limits (fewer than 13 points)."
    values_out = {
        "point_type": point_type,
        "rule": rule,
        "mean": mean,
        "lower_limit": chart.lower_limit,
        "upper_limit": chart.upper_limit,
        "points": n,
        "variation_icon": chart.variation_icon,
        "assurance_icon": chart.assurance_icon,
    }
    return judgement(word, settings.rag.get(word), "spc-xmr", _SPC_LABEL, reason, why, values_out)
