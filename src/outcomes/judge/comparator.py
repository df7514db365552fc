"""Comparator judgements: the latest value against each benchmark (England, a region) or group.

* **Benchmark with an interval** (``interval-vs-benchmark``): the latest value has 95% limits, given
  or computed (see :mod:`outcomes.judge.intervals`): similar when the benchmark lies inside them,
  otherwise better or worse by polarity (``stats.compare_with_benchmark_array``, one call for a
  whole framework). With 99.8% limits the reason says whether the difference holds at 99.8% too.
* **Benchmark without an interval** (``tolerance-vs-benchmark``): the seed report's convention,
  written down: similar within the relative tolerance band (``comparator_tolerance``, default the
  trend ``tolerance``), otherwise better or worse by polarity. The reason says no interval was
  available. A comparator's ``home_value`` (the area's figure on the comparator's basis, e.g. per
  100,000 where the series is a count) is always compared this way.
* **Group** (``group-rank``): statistical neighbours and the like. The home area is ranked among the
  members with a figure for the latest period (1 = best by polarity; ties share the better rank),
  with its quartile (1 = best quarter) and the members' median. Top quartile → better, bottom
  quartile → worse, otherwise similar.

The benchmark figure is the comparator area's row for the latest value's period; when that is
missing, the newest older row is used with a warning, unless it is more than
``stale_after_periods`` periods older (then not compared). Without rows, the comparator's single
``value``/``period`` is used. Without polarity the words are higher/lower/similar and carry no colour.

This module plans each comparator and judges the tolerance comparisons; groups are ranked in
:mod:`.comparator_group`, interval comparisons settled in :mod:`.comparator_interval`, and what they
share is in :mod:`.comparator_common`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from outcomes.model import Comparator, Observation, Period, Polarity, Series

from ._periods import periods_behind
from .comparator_common import (
    _PHRASES,
    PendingComparison,
    _decimals,
    _f,
    _figure,
    _finite,
    _judgement,
    _not_compared,
    _number,
    _unit_texts,
    headline_comparator,
    no_comparator,
)
from .comparator_group import _group, group_quartile
from .comparator_interval import settle_comparisons
from .intervals import SeriesIntervals
from .method import (
    ComparatorJudgement,
    format_percent,
    format_value,
    method_label,
    period_phrase,
    polarity_text,
    relative_change,
)
from .settings import JudgementSettings

__all__ = [
    "PendingComparison",
    "count_reason",
    "group_quartile",
    "headline_comparator",
    "no_comparator",
    "plan_comparators",
    "settle_comparisons",
]


# --------------------------------------------------------------------------------------------------
# Benchmark figures


@dataclass(slots=True)
class _Benchmark:
    value: float | None = None
    period: Period | None = None
    problem: str = ""
    warnings: list[str] = field(default_factory=list)



def _benchmark(
    series: Series, comp: Comparator, name: str, latest: Period, settings: JudgementSettings
) -> _Benchmark:
    all_rows = series.benchmark_observations.get(comp.area, ()) if comp.area else ()
    if all_rows:
        # the common case first: the comparator's first finite row for the value's own period, found in
        # one pass (a differing end rules a period out without comparing the rest)
        latest_end = latest.end
        for r in all_rows:
            p = r.period
            if p is latest or (p.end == latest_end and p == latest):
                v = r.value
                if v is not None and math.isfinite(v):
                    return _Benchmark(v, p)
    rows = [r for r in all_rows if _finite(r)]
    if rows:
        exact = next((r for r in rows if r.period is latest or r.period == latest), None)
        if exact is not None:
            return _Benchmark(exact.value, exact.period)
        older = [r for r in rows if r.period < latest]
        if not older:
            have = ", ".join(str(r.period) for r in rows[:3])
            return _Benchmark(
                problem=f"Not compared: no {name} figure {period_phrase(latest, 'for')} or earlier "
                f"(there are figures for {have})."
            )
        row = max(older, key=lambda r: r.period.sort_key)
        return _dated(row.value, row.period, name, latest, settings)
    if comp.value is not None and math.isfinite(comp.value):
        if comp.period is None:
            warning = (
                f"The {name} figure {comp.value:g} has no period; "
                f"it is taken to be {period_phrase(latest, 'for')}."
            )
            return _Benchmark(comp.value, None, warnings=[warning])
        return _dated(comp.value, comp.period, name, latest, settings)
    return _Benchmark(problem=f"Not compared: the dataset has no {name} figure.")


def _dated(
    value: float | None, period: Period, name: str, latest: Period, settings: JudgementSettings
) -> _Benchmark:
    if period == latest:
        return _Benchmark(value, period)
    if period.end < latest.end and not period.contains(latest):
        behind = periods_behind(period, latest)
        if behind > settings.stale_after_periods:
            return _Benchmark(
                value,
                period,
                problem=(
                    f"Not compared: the newest {name} figure is {period_phrase(period, 'for')}, "
                    f"{behind} periods older than the "
                    f"value's {latest} (more than the {settings.stale_after_periods} allowed by "
                    "stale_after_periods)."
                ),
            )
        return _Benchmark(
            value,
            period,
            warnings=[
                f"The {name} benchmark is {period_phrase(period, 'for')}, older than the value's {latest}."
            ],
        )
    if period.start > latest.end:
        return _Benchmark(
            value,
            period,
            warnings=[
                f"The {name} benchmark is {period_phrase(period, 'for')}, later than the value's {latest}."
            ],
        )
    return _Benchmark(
        value,
        period,
        warnings=[
            f"The {name} benchmark is {period_phrase(period, 'for')}, not exactly the value's {latest}."
        ],
    )


# --------------------------------------------------------------------------------------------------
# Planning: decide each comparator's method; interval comparisons wait for one vectorised call


def plan_comparators(
    series: Series,
    latest_index: int | None,
    intervals: SeriesIntervals | None,
    settings: JudgementSettings,
    *,
    area_names: Mapping[str, str] | None = None,
    slot: object = None,
) -> tuple[list[ComparatorJudgement | PendingComparison], list[str]]:
    """For each comparator of ``series``: a finished judgement, or a :class:`PendingComparison`.

    Returns the plans (in the series' comparator order) and warnings about the benchmarks used.
    """
    plans: list[ComparatorJudgement | PendingComparison] = []
    warnings: list[str] = []
    comparators = series.comparators
    if not comparators:
        return plans, warnings
    names = area_names or {}
    latest = series.observations[latest_index] if latest_index is not None else None
    if latest is None or latest.value is None:
        for comp in comparators:
            name = comp.name or names.get(comp.area, comp.area) or "the comparator"
            plans.append(
                _not_compared(
                    comp, name, "Not compared: the series has no value.", "There is nothing to compare."
                )
            )
        return plans, warnings
    count = count_reason(series)
    limits: tuple[float, float, float, float] | None = None
    looked_up = False  # the latest value's limits, looked up once, when a comparator first needs them
    for k, comp in enumerate(comparators):
        name = comp.name or names.get(comp.area, comp.area) or "the comparator"
        if count and (comp.kind == "group" or comp.home_value is None):
            plans.append(_count_not_compared(series, comp, name, latest, count, settings))
            continue
        if comp.kind == "group":
            if comp.home_value is None and not looked_up:
                limits, looked_up = _latest_limits(intervals, latest_index), True
            home_limits = limits[:2] if comp.home_value is None and limits is not None else None
            plans.append(_group(series, comp, name, latest, settings, warnings, home_limits))
            continue
        bench = _benchmark(series, comp, name, latest.period, settings)
        if bench.warnings:
            warnings.extend(bench.warnings)
        if bench.problem or bench.value is None:
            why = (
                "A benchmark must be for the same period as the value, "
                "or recent enough (stale_after_periods)."
            )
            plans.append(_not_compared(comp, name, bench.problem, why, bench.period, bench.value))
            continue
        if comp.home_value is not None:
            plans.append(_tolerance(series, comp, name, comp.home_value, bench, settings, basis=comp.basis))
            continue
        if not looked_up:
            limits, looked_up = _latest_limits(intervals, latest_index), True
        if limits is not None:
            lo, hi, lo998, hi998 = limits
            source = intervals.source(latest_index)  # type: ignore[union-attr, arg-type]
            if source != "given" and not lo <= latest.value <= hi:
                warnings.append(
                    f"The latest value {latest.value:g} lies outside the interval computed from its "
                    "numerator and "
                    f"denominator ({lo:.4g}–{hi:.4g}): check them."
                )
            plans.append(
                PendingComparison(
                    (slot, k),
                    series,
                    comp,
                    name,
                    float(latest.value),
                    float(bench.value),
                    bench.period,
                    lo,
                    hi,
                    lo998,
                    hi998,
                    source,
                )
            )
            continue
        plans.append(_tolerance(series, comp, name, float(latest.value), bench, settings))
    return plans, warnings


def _latest_limits(
    intervals: SeriesIntervals | None, latest_index: int | None
) -> tuple[float, float, float, float] | None:
    """The latest value's 95% and 99.8% limits, or None when it has no 95% interval."""
    if intervals is None or latest_index is None:
        return None
    limits = intervals.limits(latest_index)
    return limits if math.isfinite(limits[0]) and math.isfinite(limits[1]) else None


def count_reason(series: Series) -> str:
    """Why the series' values scale with the size of the population ('' when they do not).

    A count (unit ``count``) does; so does a plain ``number`` whose every value equals its numerator
    (a Fingertips count indicator arrives that way). A rate, a share, a ratio or an amount is compared.

    >>> from outcomes.model import PeriodKind, Unit
    >>> count_reason(Series("x", "Concerns", Unit("count"), None, PeriodKind.FINANCIAL_YEAR))
    'the series is a count'
    """
    if series.unit.type == "count":
        return "the series is a count"
    if series.unit.type == "number":
        counted = [o for o in series.observed() if o.numerator is not None]
        if counted and all(abs(_f(o.value) - _f(o.numerator)) <= 1e-9 * max(1.0, abs(_f(o.numerator)))
                           for o in counted):
            return "each value equals its numerator, so the series is a count"
    return ""


def _count_not_compared(
    series: Series,
    comp: Comparator,
    name: str,
    latest: Observation,
    count: str,
    settings: JudgementSettings,
) -> ComparatorJudgement:
    """A count against another area's count: not compared, with the figures and the reason."""
    value = format_value(series.unit, latest.value)
    period: Period | None = latest.period
    bench_value: float | None = None
    if comp.kind == "group":
        reason = (
            f"Not compared: {count} ({value} {period_phrase(latest.period)}), and a count scales with the "
            f"size of each area's population, so ranking it among the {name} would rank their sizes. "
            "Rank a rate or a share instead."
        )
    else:
        bench = _benchmark(series, comp, name, latest.period, settings)
        period, bench_value = bench.period, bench.value
        against = f" against {name}'s {format_value(series.unit, bench.value)}" if bench.value is not None else ""
        reason = (
            f"Not compared: {count} ({value}{against} {period_phrase(latest.period)}), and a count scales with "
            "the size of the population, so the difference says how much bigger one area is, not how it is doing. "
            "Compare a rate or a share, or give the comparator a home_value on its basis (e.g. per 100,000)."
        )
    why = (
        "Only comparable quantities are compared: a count (or any figure that grows with the population) "
        "is never judged against another area's count; a rate or share is."
    )
    return _not_compared(comp, name, reason, why, period, bench_value)


def _tolerance(
    series: Series,
    comp: Comparator,
    name: str,
    value: float,
    bench: _Benchmark,
    settings: JudgementSettings,
    *,
    basis: str = "",
) -> ComparatorJudgement:
    unit = series.unit
    polarity = series.polarity
    band = settings.comparator_band
    band_text, label = _band_texts(band)
    benchmark = _f(bench.value)
    change = relative_change(benchmark, value)
    inside = abs(change) <= band + 1e-12
    good = _good_direction(polarity)
    if inside:  # classify_difference's word, from the same relative change
        word = "similar"
    elif good == 0:
        word = "higher" if change > 0 else "lower"
    else:
        word = "better" if (1 if change > 0 else -1) == good else "worse"
    d = _decimals(value, benchmark)
    if basis:
        shown, against = f"{_number(value, d)} {basis}", _number(benchmark, d)
    else:
        texts = _unit_texts(unit)
        if texts.decimals is not None:
            d = texts.decimals
        shown = _figure(value, d, texts.prefix, texts.suffix)
        against = _figure(benchmark, d, texts.bare_prefix, texts.bare_suffix)
    if value == benchmark:
        size = "the same"
    elif math.isinf(change):
        size = "above a benchmark of zero"
    else:
        size = f"{format_percent(abs(change) * 100)} {'higher' if change > 0 else 'lower'}"
    reason = (
        f"{_PHRASES[word]} {name}: {shown} against {against}, {size}, {'within' if inside else 'beyond'} the "
        f"{band_text} tolerance band; no confidence interval was available."
    )
    if good == 0:
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    if basis:
        why = (
            f"The comparison is on the comparator's basis ({basis}), "
            "for which the dataset gives no interval: "
            f"value and benchmark are compared with the {band_text} tolerance band, "
            "the rule this report uses when a value has no interval."
        )
    else:
        why = _why_no_interval(unit.type, band_text)
    values = {"value": value, "benchmark": benchmark, "relative_difference": change, "tolerance": band}
    return _judgement(
        word, settings.rag_for(word, comparator=True) if good else None, "tolerance-vs-benchmark", label,
        reason, why, values,
        name, comp.area, comp.kind, bench.period, benchmark, value,
    )


@lru_cache(maxsize=64)
def _why_no_interval(unit_type: str, band_text: str) -> str:
    """Why a value without an interval is compared by tolerance (the same for every series of a type)."""
    missing = (
        "no published limits, and no numerator and denominator to compute them from"
        if unit_type in ("percentage", "rate", "count")
        else f"intervals are not computed for a {unit_type}"
    )
    return (
        f"The latest value has no confidence interval ({missing}): "
        "value and benchmark are compared with the "
        f"{band_text} tolerance band, the rule this report uses when a value has no interval."
    )


@lru_cache(maxsize=32)
def _band_texts(band: float) -> tuple[str, str]:
    """The tolerance band as a percentage ('5%') and the method label that quotes it."""
    return format_percent(band * 100), method_label("tolerance-vs-benchmark", tolerance=band)


def _good_direction(polarity: object) -> int:
    """+1 when higher is better, −1 when lower is, 0 without a judgement (as ``classify_difference``)."""
    if polarity == Polarity.HIGHER_IS_BETTER:
        return 1
    if polarity == Polarity.LOWER_IS_BETTER:
        return -1
    return 0
