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
:mod:`.comparator_group`, interval comparisons worded (and, for the general planner, settled together)
in :mod:`.comparator_interval`, and what they share, the benchmark figures among it, is in
:mod:`.comparator_common`. :func:`judge_comparators` judges every comparator of a framework in one
call (ADR 0017): the same answers as :func:`plan_comparators` series by series, then
:func:`settle_comparisons`, then :func:`headline_comparator`; the usual series (one benchmark or one
group, not a count) are judged in its loop, an interval comparison by the scalar form of the
vectorised rule.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from math import inf as _INF
from math import isfinite as _isfinite
from typing import Any

from outcomes.model import Comparator, Observation, Period, Polarity, Series

from .comparator_common import (
    _NO_COMPARATOR,
    _PHRASES,
    _PLAIN,
    PendingComparison,
    _benchmark,
    _decimals,
    _exact_row,
    _f,
    _figure,
    _judgement,
    _not_compared,
    _number,
    _outside,
    _printed,
    _undated,
    _unit_texts,
    _Waiting,
    headline_comparator,
    no_comparator,
)
from .comparator_group import _group, group_quartile
from .comparator_interval import _interval_code, _settle, _worded, settle_comparisons
from .intervals import SeriesIntervals
from .method import (
    KNOWN_DECIMALS,
    ComparatorJudgement,
    format_percent,
    format_value,
    method_label,
    period_phrase,
    polarity_text,
)
from .settings import JudgementSettings

__all__ = [
    "PendingComparison",
    "count_reason",
    "group_quartile",
    "headline_comparator",
    "judge_comparators",
    "no_comparator",
    "plan_comparators",
    "settle_comparisons",
]


# --------------------------------------------------------------------------------------------------
# Planning: decide each comparator's method; interval comparisons wait for one vectorised call


class _Context:
    """What every comparator of one call shares: the settings, the area names, the tolerance band's
    texts, the RAG letter of each word and the 'why' of each unit type without an interval."""

    __slots__ = (
        "band", "band_label", "band_text", "group_texts", "names", "printed", "rags", "settings", "tails",
        "undated", "whys",
    )

    def __init__(self, settings: JudgementSettings, area_names: Mapping[str, str] | None) -> None:
        self.settings = settings
        self.names = area_names or {}
        self.band = band = settings.comparator_band
        self.band_text, self.band_label = _band_texts(band)
        self.rags = {word: settings.rag_for(word, comparator=True) for word in _PHRASES}
        self.whys: dict[str, str] = {}
        self.group_texts: dict[object, Any] = {}  # the groups' remembered sentence parts (see _group)
        self.printed = _printed()  # figures printed by printf, remembered for the call
        #: the end of a tolerance sentence, beyond the band (False) and within it (True)
        self.tails = (
            f"beyond the {self.band_text} tolerance band; no confidence interval was available.",
            f"within the {self.band_text} tolerance band; no confidence interval was available.",
        )
        #: the text around an undated figure in its warning (see _undated), by name and period
        self.undated: dict[tuple[str, int], tuple[Period, str, str]] = {}


_STALE_WHY = "A benchmark must be for the same period as the value, or recent enough (stale_after_periods)."


def _plan(
    series: Series,
    latest_index: int | None,
    intervals: SeriesIntervals | None,
    ctx: _Context,
    warnings: list[str],
    pending: list[_Waiting],
) -> list[ComparatorJudgement]:
    """Each comparator's judgement, in the series' order; an interval comparison is left as a
    placeholder (``None``) and its figures appended to ``pending`` with where its judgement goes."""
    plans: list[ComparatorJudgement] = []
    names = ctx.names
    latest = series.observations[latest_index] if latest_index is not None else None
    if latest is None or latest.value is None:
        for comp in series.comparators:
            name = comp.name or names.get(comp.area, comp.area) or "the comparator"
            plans.append(
                _not_compared(
                    comp, name, "Not compared: the series has no value.", "There is nothing to compare."
                )
            )
        return plans
    settings = ctx.settings
    count = count_reason(series) if series.unit.type in _MAY_COUNT else ""
    value = latest.value
    latest_period = latest.period
    bench_rows = series.benchmark_observations
    limits: tuple[float, float, float, float] | None = None
    looked_up = False  # the latest value's limits, looked up once, when a comparator first needs them
    for comp in series.comparators:
        name = comp.name or names.get(comp.area, comp.area) or "the comparator"
        home_value = comp.home_value
        if comp.kind == "group":
            if count:
                plans.append(_count_not_compared(series, comp, name, latest, count, settings))
                continue
            if home_value is None and not looked_up:
                limits, looked_up = _latest_limits(intervals, latest_index), True
            home_limits = limits[:2] if home_value is None and limits is not None else None
            plans.append(
                _group(
                    series, comp, name, latest, settings, warnings, home_limits, ctx.rags, ctx.group_texts,
                    ctx.printed,
                )
            )
            continue
        if count and home_value is None:
            plans.append(_count_not_compared(series, comp, name, latest, count, settings))
            continue
        rows = bench_rows.get(comp.area) if comp.area else None
        row = _exact_row(rows, latest_period) if rows else None
        bench_value: float | None
        bench_period: Period | None
        if row is not None:  # the common case: the comparator's row for the value's own period
            bench_value, bench_period = row.value, row.period
        elif not rows and comp.period is None and (bench_value := comp.value) is not None and _isfinite(bench_value):
            # no rows, one figure without a period (as _benchmark finds it)
            bench_period = None
            warnings.append(_undated(name, bench_value, latest_period))
        else:
            bench_value, bench_period, problem, bench_warnings = _benchmark(
                series, comp, name, latest_period, settings
            )
            if bench_warnings:
                warnings.extend(bench_warnings)
            if problem or bench_value is None:
                plans.append(_not_compared(comp, name, problem, _STALE_WHY, bench_period, bench_value))
                continue
        if home_value is not None:
            plans.append(
                _tolerance(series, comp, name, home_value, bench_value, bench_period, ctx, basis=comp.basis)
            )
            continue
        if not looked_up:
            limits, looked_up = _latest_limits(intervals, latest_index), True
        if limits is not None:
            lo, hi, lo998, hi998 = limits
            source = intervals.source(latest_index)  # type: ignore[union-attr, arg-type]
            if source != "given" and not lo <= value <= hi:
                warnings.append(_outside(value, lo, hi))
            pending.append(
                (plans, len(plans), series, comp, name, bench_period, source,
                 float(value), float(bench_value), lo, hi, lo998, hi998)  # type: ignore[arg-type]  # fmt: skip
            )
            plans.append(None)  # type: ignore[arg-type]  # (settled later)
            continue
        plans.append(_tolerance(series, comp, name, float(value), bench_value, bench_period, ctx))
    return plans


#: The unit types whose series may be counts (see :func:`count_reason`).
_MAY_COUNT = frozenset(("count", "number"))


def judge_comparators(
    series_list: Sequence[Series],
    intervals: Sequence[SeriesIntervals | None],
    settings: JudgementSettings,
    area_names: Mapping[str, str] | None = None,
) -> tuple[list[list[ComparatorJudgement]], list[ComparatorJudgement], list[Sequence[str]]]:
    """Every comparator of every series judged: for each series its judgements (a list of its own, in
    the series' comparator order), its headline comparator and the warnings about the benchmarks used.

    The same answers as :func:`plan_comparators` for each series, then :func:`settle_comparisons` for
    all that wait, then :func:`headline_comparator`; but a series without comparators costs only its
    empty list, the latest value is found from the end without a call, and every interval comparison of
    the framework is settled in one vectorised call straight from the figures gathered (no
    :class:`PendingComparison` objects).
    """
    ctx = _Context(settings, area_names)
    compared: list[list[ComparatorJudgement]] = []
    headlines: list[ComparatorJudgement] = []
    notes: list[Sequence[str]] = []
    pending: list[_Waiting] = []
    unsettled: list[int] = []  # the series with an interval comparison, whose headline waits for it
    none = _NO_COMPARATOR
    add_compared, add_headline, add_notes = compared.append, headlines.append, notes.append
    names = ctx.names
    undated = ctx.undated
    rags, printed, group_texts = ctx.rags, ctx.printed, ctx.group_texts
    for series, iv in zip(series_list, intervals, strict=True):
        comparators = series.comparators
        if not comparators:
            add_compared([])
            add_headline(none)
            add_notes(())
            continue
        obs = series.observations
        size = len(obs)
        v = obs[size - 1].value if size else None
        # the latest valued observation: the last, unless it has no value
        last = size - 1 if v is not None and v == v and abs(v) != _INF else _latest_index(obs)
        comp = comparators[0]
        if (
            last is not None
            and len(comparators) == 1
            and comp.kind != "group"
            and comp.home_value is None
            and series.unit.type not in _MAY_COUNT
        ):
            # The shape of most series: one benchmark against the value itself, not a count. Judged here
            # as _plan judges it, when the benchmark is the row for the value's period or a single undated
            # figure (else by _plan).
            latest = obs[last]
            value = latest.value
            period = latest.period
            name = comp.name or names.get(comp.area, comp.area) or "the comparator"
            rows = series.benchmark_observations.get(comp.area) if comp.area else None
            row = _exact_row(rows, period) if rows else None
            bench_value: float | None
            bench_period: Period | None
            notes_here: list[str]
            if row is not None:
                bench_value, bench_period, notes_here = row.value, row.period, []
            elif not rows and comp.period is None and (bench_value := comp.value) is not None and _isfinite(bench_value):
                # _undated(name, bench_value, period), its fixed parts remembered by name and period
                fixed = undated.get((name, id(period)))
                if fixed is None or fixed[0] is not period:
                    fixed = undated[(name, id(period))] = (
                        period, f"The {name} figure ", f" has no period; it is taken to be {period_phrase(period, 'for')}."
                    )
                bench_period, notes_here = None, [f"{fixed[1]}{bench_value:g}{fixed[2]}"]
            else:
                bench_value = None
            if bench_value is not None:
                # _latest_limits(iv, last), inlined; not looked up when the value can have none: no
                # published limit and no numerator (what cannot_have_limits says of any unit but a count)
                if iv is None or (latest.lower95 is None and latest.numerator is None):
                    limits = None
                else:
                    limits = iv.limits(last)
                    if not (_isfinite(limits[0]) and _isfinite(limits[1])):
                        limits = None
                if limits is None:
                    judgement = _tolerance(series, comp, name, float(value), bench_value, bench_period, ctx)  # type: ignore[arg-type]
                    add_compared([judgement])
                    add_headline(judgement)
                else:
                    lo, hi, lo998, hi998 = limits
                    source = iv.source(last)  # type: ignore[union-attr]
                    if source != "given" and not lo <= value <= hi:  # type: ignore[operator]
                        notes_here.append(_outside(value, lo, hi))  # type: ignore[arg-type]
                    # judged here by the scalar form of compare_with_benchmark_array's rule (_interval_code)
                    # and worded as _settle words it: no waiting for the one vectorised call
                    value, bench_value = float(value), float(bench_value)  # type: ignore[arg-type]
                    code, level = _interval_code(value, bench_value, lo, hi, lo998, hi998, series.polarity)
                    judgement = _worded(
                        series, comp, name, bench_period, source, value, bench_value, lo, hi, lo998, hi998,
                        code, level, rags, printed,
                    )
                    add_compared([judgement])
                    add_headline(judgement)
                add_notes(notes_here)
                continue
        elif last is not None and len(comparators) == 1 and comp.kind == "group" and series.unit.type not in _MAY_COUNT:
            # one group, not a count: ranked here as _plan ranks it (the home value's limits, when it is the
            # latest value itself, for the rank interval)
            home_limits: tuple[float, float] | None = None
            if comp.home_value is None and iv is not None:
                lo, hi, _, _ = iv.limits(last)
                if _isfinite(lo) and _isfinite(hi):
                    home_limits = (lo, hi)
            warnings: list[str] = []
            judgement = _group(
                series, comp, comp.name or names.get(comp.area, comp.area) or "the comparator", obs[last],
                settings, warnings, home_limits, rags, group_texts, printed,
            )
            add_compared([judgement])
            add_headline(judgement)
            add_notes(warnings)
            continue
        warnings = []
        waiting = len(pending)
        judgements = _plan(series, last, iv, ctx, warnings, pending)
        if len(pending) > waiting:
            unsettled.append(len(headlines))
            add_headline(none)
        elif len(judgements) == 1:
            add_headline(judgements[0])
        else:
            add_headline(headline_comparator(judgements))
        add_compared(judgements)
        add_notes(warnings)
    if pending:
        for p, judgement in zip(pending, _settle(pending, settings, ctx.printed), strict=True):
            p[0][p[1]] = judgement  # its place in its series' list
        for i in unsettled:
            judgements = compared[i]
            headlines[i] = judgements[0] if len(judgements) == 1 else headline_comparator(judgements)
    return compared, headlines, notes


def _latest_index(obs: Sequence[Observation]) -> int | None:
    """The index of the last observation with a finite value (None when none has)."""
    for i in range(len(obs) - 1, -1, -1):
        v = obs[i].value
        if v is not None and v == v and abs(v) != _INF:
            return i
    return None


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
    (:func:`judge_comparators` does this for a whole framework at once.)
    """
    warnings: list[str] = []
    if not series.comparators:
        return [], warnings
    pending: list[_Waiting] = []
    plans: list[ComparatorJudgement | PendingComparison] = _plan(  # type: ignore[assignment]
        series, latest_index, intervals, _Context(settings, area_names), warnings, pending
    )
    for _, k, s, comp, name, period, source, value, bench, lo, hi, lo998, hi998 in pending:
        plans[k] = PendingComparison((slot, k), s, comp, name, value, bench, period, lo, hi, lo998, hi998, source)
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
        bench_value, period, _, _ = _benchmark(series, comp, name, latest.period, settings)
        against = f" against {name}'s {format_value(series.unit, bench_value)}" if bench_value is not None else ""
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
    bench_value: float | None,
    period: Period | None,
    ctx: _Context,
    *,
    basis: str = "",
) -> ComparatorJudgement:
    unit = series.unit
    polarity = series.polarity
    band = ctx.band
    band_text = ctx.band_text
    benchmark = _f(bench_value)
    # relative_change(benchmark, value), inlined
    if benchmark == 0:
        change = 0.0 if value == 0 else math.copysign(math.inf, value)
    else:
        change = (value - benchmark) / abs(benchmark)
    inside = abs(change) <= band + 1e-12
    good = _GOOD.get(polarity, 0)  # type: ignore[arg-type]
    if inside:  # classify_difference's word, from the same relative change
        word = "similar"
    elif good == 0:
        word = "higher" if change > 0 else "lower"
    else:
        word = "better" if (1 if change > 0 else -1) == good else "worse"
    if basis:
        d = _decimals(value, benchmark)
        shown, against = f"{_number(value, d)} {basis}", _number(benchmark, d)
    else:
        texts = _unit_texts(unit)
        d = texts.decimals  # type: ignore[assignment]
        if d is None:  # _decimals(value, benchmark), inlined: each figure's decimals usually remembered
            dv, db = _KNOWN.get(value), _KNOWN.get(benchmark)
            d = _decimals(value, benchmark) if dv is None or db is None else dv if dv >= db else db
        spec = _PLAIN.get(d)
        if spec is not None and -999.0 < value < 999.0 and -999.0 < benchmark < 999.0:
            # _figure and _number inlined: finite figures that cannot reach 1,000 print by printf, each
            # text remembered for the call (see _printed)
            seen = ctx.printed[d]
            first = seen.get(value)
            if first is None:
                first = spec % value
                if value:
                    seen[value] = first
            second = seen.get(benchmark)
            if second is None:
                second = spec % benchmark
                if benchmark:
                    seen[benchmark] = second
            shown = f"{texts.prefix}{first}{texts.suffix}"
            against = f"{texts.bare_prefix}{second}{texts.bare_suffix}"
        else:
            shown = _figure(value, d, texts.prefix, texts.suffix)
            against = _figure(benchmark, d, texts.bare_prefix, texts.bare_suffix)
    if value == benchmark:
        size = "the same"
    elif math.isinf(change):
        size = "above a benchmark of zero"
    else:
        percent = abs(change) * 100
        if percent < _INF:  # format_percent(percent), inlined (a relative change is seldom seen twice)
            size = _PLAIN[1] % percent  # ("%.1f": as format_percent's f"{percent:.1f}")
            if size.endswith(".0"):
                size = size[:-2]
            size = f"{size}% higher" if change > 0 else f"{size}% lower"
        else:
            size = f"{format_percent(percent)} {'higher' if change > 0 else 'lower'}"
    reason = f"{_PHRASES[word]} {name}: {shown} against {against}, {size}, {ctx.tails[inside]}"
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
        why = ctx.whys.get(unit.type)  # type: ignore[assignment]
        if why is None:
            why = ctx.whys[unit.type] = _why_no_interval(unit.type, band_text)
    values = {"value": value, "benchmark": benchmark, "relative_difference": change, "tolerance": band}
    return _judgement(
        word, ctx.rags[word] if good else None, "tolerance-vs-benchmark", ctx.band_label,
        reason, why, values,
        name, comp.area, comp.kind, period, benchmark, value,
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


_KNOWN = KNOWN_DECIMALS  # decimals_for's cache: value -> the decimals it needs alone

#: +1 when higher is better, −1 when lower is; 0 (absent) without a judgement (as ``classify_difference``)
_GOOD: dict[object, int] = {Polarity.HIGHER_IS_BETTER: 1, Polarity.LOWER_IS_BETTER: -1}
