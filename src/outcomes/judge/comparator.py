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
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from outcomes.model import Comparator, Observation, Period, Polarity, Series, Unit
from outcomes.stats import compare_with_benchmark_array
from outcomes.stats.rank import RANK_DRAWS, RankInterval, ordinal, rank_interval

from ._periods import periods_behind
from .intervals import INTERVAL_SOURCES, SeriesIntervals, compute_intervals
from .method import (
    METHODS,
    ComparatorJudgement,
    classify_difference,
    decimals_for,
    format_interval,
    format_percent,
    format_value,
    is_judged,
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

_PHRASES = {
    "better": "Better than",
    "worse": "Worse than",
    "similar": "Similar to",
    "higher": "Higher than",
    "lower": "Lower than",
}
_QUARTILES = {1: "top quartile", 2: "second quartile", 3: "third quartile", 4: "bottom quartile"}


@dataclass
class PendingComparison:
    """An interval comparison waiting for the one vectorised call (see :func:`settle_comparisons`)."""

    slot: object
    series: Series
    comparator: Comparator
    name: str
    value: float
    benchmark: float
    period: Period | None
    lower95: float
    upper95: float
    lower998: float
    upper998: float
    source: str
    notes: list[str] = field(default_factory=list)


def _rag(word: str, polarity: Polarity | None, settings: JudgementSettings) -> str | None:
    return settings.rag_for(word, comparator=True) if is_judged(polarity) else None


_NO_COMPARATOR = ComparatorJudgement(
    "not compared",
    None,
    "none",
    METHODS["none"],
    "No comparator data.",
    "The series has no benchmark or group to compare with.",
)


def no_comparator() -> ComparatorJudgement:
    """The judgement of a series with no comparator (one shared, immutable object)."""
    return _NO_COMPARATOR


def _not_compared(
    comp: Comparator,
    name: str,
    reason: str,
    why: str,
    period: Period | None = None,
    value: float | None = None,
) -> ComparatorJudgement:
    return ComparatorJudgement(
        "not compared",
        None,
        "none",
        method_label("none"),
        reason,
        why,
        name=name,
        area=comp.area,
        kind=comp.kind,
        period=period,
        value=value,
    )


def headline_comparator(judgements: Sequence[ComparatorJudgement]) -> ComparatorJudgement:
    """The comparator shown in headlines: the first listed that could be compared, else the first."""
    if not judgements:
        return no_comparator()
    return next((j for j in judgements if j.assessed), judgements[0])


# --------------------------------------------------------------------------------------------------
# Benchmark figures


@dataclass
class _Benchmark:
    value: float | None = None
    period: Period | None = None
    problem: str = ""
    warnings: list[str] = field(default_factory=list)


def _f(x: float | None) -> float:
    return math.nan if x is None else float(x)


def _finite(o: Observation) -> bool:
    return o.value is not None and math.isfinite(o.value)


def _benchmark(
    series: Series, comp: Comparator, name: str, latest: Period, settings: JudgementSettings
) -> _Benchmark:
    rows = [r for r in series.benchmark_observations.get(comp.area, ()) if _finite(r)] if comp.area else []
    if rows:
        exact = next((r for r in rows if r.period == latest), None)
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
    names = area_names or {}
    plans: list[ComparatorJudgement | PendingComparison] = []
    warnings: list[str] = []
    latest = series.observations[latest_index] if latest_index is not None else None
    for k, comp in enumerate(series.comparators):
        name = comp.name or names.get(comp.area, comp.area) or "the comparator"
        if latest is None or latest.value is None:
            plans.append(
                _not_compared(
                    comp, name, "Not compared: the series has no value.", "There is nothing to compare."
                )
            )
            continue
        count = count_reason(series)
        if count and (comp.kind == "group" or comp.home_value is None):
            plans.append(_count_not_compared(series, comp, name, latest, count, settings))
            continue
        if comp.kind == "group":
            home_limits = (
                intervals.limits(latest_index)[:2]
                if comp.home_value is None and intervals is not None and latest_index is not None
                and intervals.has(latest_index)
                else None
            )
            plans.append(_group(series, comp, name, latest, settings, warnings, home_limits))
            continue
        bench = _benchmark(series, comp, name, latest.period, settings)
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
        if intervals is not None and latest_index is not None and intervals.has(latest_index):
            lo, hi, lo998, hi998 = intervals.limits(latest_index)
            source = intervals.source(latest_index)
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


def count_reason(series: Series) -> str:
    """Why the series' values scale with the size of the population ('' when they do not).

    A count (unit ``count``) does; so does a plain ``number`` whose every value equals its numerator
    (a Fingertips count indicator arrives that way). A rate, a share, a ratio or an amount is compared.

    >>> from outcomes.model import PeriodKind
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
    band = settings.comparator_band
    benchmark = _f(bench.value)
    word = classify_difference(value, benchmark, tolerance=band, polarity=series.polarity)
    d = decimals_for(value, benchmark)
    if basis:
        shown, against = f"{value:,.{d}f} {basis}", f"{benchmark:,.{d}f}"
    else:
        shown, against = format_value(unit, value, d), format_value(_bare(unit), benchmark, d)
    change = relative_change(benchmark, value)
    if value == benchmark:
        size = "the same"
    elif math.isinf(change):
        size = "above a benchmark of zero"
    else:
        size = f"{format_percent(abs(change) * 100)} {'higher' if change > 0 else 'lower'}"
    inside = abs(change) <= band + 1e-12
    reason = (
        f"{_PHRASES[word]} {name}: {shown} against {against}, {size}, {'within' if inside else 'beyond'} the "
        f"{format_percent(band * 100)} tolerance band; no confidence interval was available."
    )
    if not is_judged(series.polarity):
        reason += f" Not judged better or worse: {polarity_text(series.polarity)}."
    if basis:
        why = (
            f"The comparison is on the comparator's basis ({basis}), "
            "for which the dataset gives no interval: "
            f"value and benchmark are compared with the {format_percent(band * 100)} tolerance band, "
            "the rule this report uses when a value has no interval."
        )
    else:
        missing = (
            "no published limits, and no numerator and denominator to compute them from"
            if unit.type in ("percentage", "rate", "count")
            else f"intervals are not computed for a {unit.type}"
        )
        why = (
            f"The latest value has no confidence interval ({missing}): "
            "value and benchmark are compared with the "
            f"{format_percent(band * 100)} tolerance band, the rule this report uses when a value has no interval."
        )
    method = "tolerance-vs-benchmark"
    values = {"value": value, "benchmark": benchmark, "relative_difference": change, "tolerance": band}
    return ComparatorJudgement(
        word,
        _rag(word, series.polarity, settings),
        method,
        method_label(method, tolerance=band),
        reason,
        why,
        values,
        name=name,
        area=comp.area,
        kind=comp.kind,
        period=bench.period,
        value=benchmark,
        home_value=value,
    )


def _bare(unit: Unit) -> Unit:
    """The unit for a second figure in a sentence: a rate's "per N" is printed once."""
    return Unit("number", decimals=unit.decimals) if unit.type == "rate" else unit


def group_quartile(rank: int, of: int) -> int:
    """The quartile of a rank (1 = best quarter), symmetric so that reversing the order mirrors it.

    Top quartile when ``rank <= of/4``, bottom when ``of + 1 - rank <= of/4``; otherwise second or third
    by which half the rank is in. For a group size divisible by 4 this is the usual
    ``1 + 4(rank − 1) // of``.

    >>> [group_quartile(r, 12) for r in range(1, 13)]
    [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
    >>> [group_quartile(r, 5) for r in range(1, 6)]
    [1, 2, 2, 3, 4]
    """
    if 4 * rank <= of or rank == 1:
        return 1
    if 4 * (of + 1 - rank) <= of or rank == of:
        return 4
    return 2 if 2 * rank <= of + 1 else 3


def _group(
    series: Series,
    comp: Comparator,
    name: str,
    latest: Observation,
    settings: JudgementSettings,
    warnings: list[str],
    home_limits: tuple[float, float] | None = None,
) -> ComparatorJudgement:
    period = latest.period
    members = [m for m in comp.members if m != latest.area]
    figures: dict[str, float] = {}
    rows: list[Observation] = []
    for m in members:
        row = next(
            (r for r in series.benchmark_observations.get(m, ()) if r.period == period and _finite(r)), None
        )
        if row is not None:
            figures[m] = _f(row.value)
            rows.append(row)
    missing = [m for m in members if m not in figures]
    if missing and figures:
        listed = ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")
        warnings.append(
            f"{len(missing)} of the {len(members)} {name} members have no figure "
            f"{period_phrase(period, 'for')}: {listed}."
        )
    value = _f(comp.home_value if comp.home_value is not None else latest.value)
    n = len(figures) + 1
    if n < settings.group_min_areas:
        reason = (
            f"Not compared: {len(figures)} of the {len(members)} {name} members have a figure "
            f"{period_phrase(period, 'for')}; "
            f"ranking needs at least {settings.group_min_areas} areas including this one."
        )
        why = "Quartiles of a group need enough areas with figures for the same period (group_min_areas)."
        return _not_compared(comp, name, reason, why, period)
    others = np.fromiter(figures.values(), dtype=np.float64, count=len(figures))
    polarity = series.polarity
    if polarity == Polarity.LOWER_IS_BETTER:
        rank = int(np.sum(others < value)) + 1
    else:
        rank = int(np.sum(others > value)) + 1
    quartile = group_quartile(rank, n)
    median = float(np.median(others))
    if is_judged(polarity):
        word = "better" if quartile == 1 else "worse" if quartile == 4 else "similar"
        order = "1 = best"
    else:
        word = "higher" if quartile == 1 else "lower" if quartile == 4 else "similar"
        order = "1 = highest"
    unit = series.unit
    d = decimals_for(value, median)
    spread, spread_note = _rank_spread(series, rows, value, home_limits, polarity)
    place = f"{ordinal(rank)} of {n}"
    if spread is not None:
        place = spread.text()
    reason = (
        f"{_PHRASES[word]} {name}: {format_value(unit, value, d)} ranks {place} "
        f"{period_phrase(period)} "
        f"({_QUARTILES[quartile]}, {order}); the group median is {format_value(_bare(unit), median, d)}."
    )
    reason += f" {spread_note}" if spread_note else ""
    if not is_judged(polarity):
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    why = (
        f"A group comparator: the area is ranked among the {n} areas with a figure "
        f"{period_phrase(period, 'for')} (itself "
        "included); the top quartile is better, the bottom quartile worse, the middle two similar."
    )
    method = "group-rank"
    values = {"rank": rank, "of": n, "quartile": quartile, "median": median, "members": figures,
              "rank_interval": [spread.lower, spread.upper] if spread is not None else None}
    return ComparatorJudgement(
        word,
        _rag(word, polarity, settings),
        method,
        method_label(method),
        reason,
        why,
        values,
        name=name,
        area=comp.area,
        kind="group",
        period=period,
        value=median,
        home_value=value,
        rank=rank,
        of=n,
        quartile=quartile,
        median=median,
        rank_lower=spread.lower if spread is not None else None,
        rank_upper=spread.upper if spread is not None else None,
    )


def _rank_spread(
    series: Series,
    rows: list[Observation],
    value: float,
    home_limits: tuple[float, float] | None,
    polarity: Polarity | None,
) -> tuple[RankInterval | None, str]:
    """The rank's 95% interval from the home area's and the members' 95% limits, or why there is none."""
    if home_limits is None:
        return None, "No rank interval: the area's own figure has no confidence interval."
    members = replace(series, observations=rows, comparators=[], benchmark_observations={})
    (limits,) = compute_intervals([members])
    missing = [r.area for i, r in enumerate(rows) if not limits.has(i)]
    if missing:
        return None, (f"No rank interval: {len(missing)} of the {len(rows)} members have no confidence "
                      "interval.")
    lo, hi = home_limits
    if not lo <= value <= hi or not all(limits.lower95[i] <= _f(r.value) <= limits.upper95[i]
                                        for i, r in enumerate(rows)):
        return None, "No rank interval: a figure lies outside its own confidence interval."
    spread = rank_interval(
        [value, *(_f(r.value) for r in rows)],
        [lo, *limits.lower95.tolist()],
        [hi, *limits.upper95.tolist()],
        higher_is_better=polarity != Polarity.LOWER_IS_BETTER,
    )
    return spread, ("The rank's 95% interval comes from every area's confidence interval "
                    f"({RANK_DRAWS:,} simulated rankings).")


# --------------------------------------------------------------------------------------------------
# Settling: every interval comparison of a framework in one vectorised call


def settle_comparisons(
    pending: Sequence[PendingComparison], settings: JudgementSettings
) -> list[ComparatorJudgement]:
    """Judge every pending interval comparison with one ``compare_with_benchmark_array`` call."""
    if not pending:
        return []
    polarity = np.array(
        [str(p.series.polarity) if is_judged(p.series.polarity) else "no-judgement" for p in pending],
        dtype=object,
    )
    result = compare_with_benchmark_array(
        np.fromiter((p.value for p in pending), np.float64, len(pending)),
        np.fromiter((p.benchmark for p in pending), np.float64, len(pending)),
        lower95=np.fromiter((p.lower95 for p in pending), np.float64, len(pending)),
        upper95=np.fromiter((p.upper95 for p in pending), np.float64, len(pending)),
        lower998=np.fromiter((p.lower998 for p in pending), np.float64, len(pending)),
        upper998=np.fromiter((p.upper998 for p in pending), np.float64, len(pending)),
        polarity=polarity,
    )
    words = result.judgements.tolist()
    levels = result.levels.tolist()
    return [_interval_judgement(p, w, lv, settings) for p, w, lv in zip(pending, words, levels, strict=True)]


def _interval_judgement(
    p: PendingComparison, word: str, level: float, settings: JudgementSettings
) -> ComparatorJudgement:
    unit = p.series.unit
    polarity = p.series.polarity
    comp = p.comparator
    method = "interval-vs-benchmark"
    if word == "not compared":  # cannot happen with finite inputs; kept for safety
        return _not_compared(
            comp,
            p.name,
            "Not compared: the value, benchmark or interval is missing.",
            "",
            p.period,
            p.benchmark,
        )
    d = decimals_for(p.value, p.benchmark)
    interval = format_interval(unit, p.lower95, p.upper95, max(d, 1))
    head = (
        f"{_PHRASES[word]} {p.name}: {format_value(unit, p.value, d)} against "
        f"{format_value(_bare(unit), p.benchmark, d)}"
    )
    has998 = math.isfinite(p.lower998) and math.isfinite(p.upper998)
    if word == "similar":
        reason = f"{head}; the 95% interval {interval} includes it."
        level_out = None
    else:
        reason = f"{head}; the 95% interval {interval} excludes it"
        if has998:
            interval998 = format_interval(unit, p.lower998, p.upper998, max(d, 1))
            if level == 0.998:
                reason += f", and so does the 99.8% interval {interval998}."
            else:
                reason += (
                    f" (the 99.8% interval {interval998} includes it, so the difference holds at 95% only)."
                )
        else:
            reason += "."
        level_out = level if math.isfinite(level) else None
    if not is_judged(polarity):
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    why = (
        f"The latest value has a 95% confidence interval ({INTERVAL_SOURCES.get(p.source, p.source)}), "
        "so the "
        "benchmark is judged against it, as Fingertips does: inside the interval is similar."
    )
    values = {
        "value": p.value,
        "benchmark": p.benchmark,
        "lower95": p.lower95,
        "upper95": p.upper95,
        "lower998": p.lower998 if has998 else None,
        "upper998": p.upper998 if has998 else None,
        "interval_source": p.source,
    }
    return ComparatorJudgement(
        word,
        _rag(word, polarity, settings),
        method,
        method_label(method),
        reason,
        why,
        values,
        name=p.name,
        area=comp.area,
        kind=comp.kind,
        period=p.period,
        value=p.benchmark,
        home_value=p.value,
        level=level_out,
    )
