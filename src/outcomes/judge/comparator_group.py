"""Group comparators (``group-rank``): the home area ranked among statistical neighbours or the like,
with its quartile, the members' median and the rank's 95% interval.

A group has a handful of members, so its rank and median are plain Python (:func:`group_rank`,
:func:`group_median`: the same numbers as numpy's, without its per-call overhead, which cost about a
tenth of a millisecond a group); each member's figure is found in one pass over its rows."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from math import isfinite as _isfinite

from outcomes.model import Comparator, Observation, Polarity, Series
from outcomes.stats.rank import RANK_DRAWS, RankInterval, ordinal, rank_interval

from .comparator_common import (
    _PHRASES,
    _QUARTILES,
    _decimals,
    _f,
    _figure,
    _group_judgement,
    _not_compared,
    _rag,
    _unit_texts,
)
from .intervals import cannot_have_limits, compute_intervals
from .method import (
    METHODS,
    ComparatorJudgement,
    period_phrase,
    polarity_text,
)
from .settings import JudgementSettings


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
    period_end = period.end
    home_area = latest.area
    member_rows = series.benchmark_observations.get
    listed = comp.members
    n_members = len(listed) - listed.count(home_area)  # the members other than the home area
    figures: dict[str, float] = {}
    rows: list[Observation] = []
    for m in listed:
        if m == home_area:
            continue
        for r in member_rows(m, ()):
            p = r.period
            # the member's first finite row for the period (a differing end rules a period out cheaply)
            if p is period or (p.end == period_end and p == period):
                v = r.value
                if v is not None and _isfinite(v):
                    figures[m] = float(v)
                    rows.append(r)
                    break
    if figures and len(rows) < n_members:  # some member (listed once or more) has no figure
        missing = [m for m in listed if m != home_area and m not in figures]
        shown = ", ".join(missing[:5]) + ("…" if len(missing) > 5 else "")
        warnings.append(
            f"{len(missing)} of the {n_members} {name} members have no figure "
            f"{period_phrase(period, 'for')}: {shown}."
        )
    value = _f(comp.home_value if comp.home_value is not None else latest.value)
    n = len(figures) + 1
    if n < settings.group_min_areas:
        reason = (
            f"Not compared: {len(figures)} of the {n_members} {name} members have a figure "
            f"{period_phrase(period, 'for')}; "
            f"ranking needs at least {settings.group_min_areas} areas including this one."
        )
        why = "Quartiles of a group need enough areas with figures for the same period (group_min_areas)."
        return _not_compared(comp, name, reason, why, period)
    polarity = series.polarity
    rank, median = _rank_and_median(list(figures.values()), value, polarity == Polarity.LOWER_IS_BETTER)
    quartile = group_quartile(rank, n)
    judged = polarity in _JUDGED
    if judged:
        word = "better" if quartile == 1 else "worse" if quartile == 4 else "similar"
        order = "1 = best"
    else:
        word = "higher" if quartile == 1 else "lower" if quartile == 4 else "similar"
        order = "1 = highest"
    texts = _unit_texts(series.unit)
    d = texts.decimals if texts.decimals is not None else _decimals(value, median)
    spread, spread_note = _rank_spread(series, rows, value, home_limits, polarity)
    place = spread.text() if spread is not None else f"{ordinal(rank)} of {n}"
    in_period = period_phrase(period)
    reason = (
        f"{_PHRASES[word]} {name}: {_figure(value, d, texts.prefix, texts.suffix)} ranks {place} {in_period} "
        f"({_QUARTILES[quartile]}, {order}); the group median is "
        f"{_figure(median, d, texts.bare_prefix, texts.bare_suffix)}."
    )
    if spread_note:
        reason += f" {spread_note}"
    if not judged:
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    why = (
        f"A group comparator: the area is ranked among the {n} areas with a figure "
        f"{period_phrase(period, 'for')} (itself "
        "included); the top quartile is better, the bottom quartile worse, the middle two similar."
    )
    values = {"rank": rank, "of": n, "quartile": quartile, "median": median, "members": figures,
              "rank_interval": [spread.lower, spread.upper] if spread is not None else None}
    return _group_judgement(
        word, _rag(word, polarity, settings), _METHOD, _LABEL, reason, why, values,
        name, comp.area, period, median, value, rank, n, quartile,
        spread.lower if spread is not None else None,
        spread.upper if spread is not None else None,
    )


_METHOD = "group-rank"
_LABEL = METHODS[_METHOD]
_JUDGED = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)  # as is_judged


def group_rank(others: list[float], value: float, *, lower_is_better: bool) -> int:
    """The rank of ``value`` among ``others`` (1 = best; ties share the better rank).

    >>> group_rank([3.0, 1.0, 2.0, 2.0], 2.0, lower_is_better=True), group_rank([3.0, 1.0], 2.0, lower_is_better=False)
    (2, 2)
    """
    if lower_is_better:
        return 1 + sum(1 for x in others if x < value)
    return 1 + sum(1 for x in others if x > value)


def _rank_and_median(others: list[float], value: float, lower_is_better: bool) -> tuple[int, float]:
    """:func:`group_rank` and :func:`group_median` from one sort: the members below (or above) the value
    are counted by bisection, which gives the same counts among finite figures (and none for NaN).

    >>> _rank_and_median([3.0, 1.0, 2.0, 2.0], 2.0, True), _rank_and_median([3.0, 1.0], 2.0, False)
    ((2, 2.0), (2, 2.0))
    """
    ordered = sorted(others)
    if lower_is_better:
        rank = 1 + bisect_left(ordered, value)
    else:
        rank = 1 + len(ordered) - bisect_right(ordered, value)
    return rank, _median_of_sorted(ordered)


def group_median(figures: list[float]) -> float:
    """The median of a group's figures, exactly as ``numpy.median`` gives it, without numpy's overhead
    for a handful of numbers: numpy takes the mean of the middle one or two, summing from +0.0 (so a
    median of negative zeros is +0.0) and dividing by their count.

    >>> group_median([3.0, 1.0, 2.0]), group_median([4.0, 1.0, 2.0, 3.0]), group_median([-0.0])
    (2.0, 2.5, 0.0)
    """
    return _median_of_sorted(sorted(figures))


def _median_of_sorted(ordered: list[float]) -> float:
    half = len(ordered) // 2
    if len(ordered) % 2:
        return float(0.0 + ordered[half])
    return float((0.0 + ordered[half - 1] + ordered[half]) / 2.0)


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
    if rows and (_plainly_without_limits(series, rows) or all(cannot_have_limits(series.unit, r) for r in rows)):
        missing = len(rows)  # no need to compute: none has limits
    else:
        members = replace(series, observations=rows, comparators=[], benchmark_observations={})
        (limits,) = compute_intervals([members])
        missing = sum(1 for i in range(len(rows)) if not limits.has(i))
    if missing:
        return None, (f"No rank interval: {missing} of the {len(rows)} members have no confidence "
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


def _plainly_without_limits(series: Series, rows: list[Observation]) -> bool:
    """A quick sufficient test that no row can have limits (each row then fails ``cannot_have_limits``'s
    every route to them): not a count, and no row has both published limits or both a numerator and a
    denominator. False means "look closer", not "has limits"."""
    if series.unit.type == "count":
        return False
    for r in rows:
        if (r.lower95 is not None and r.upper95 is not None) or (
            r.numerator is not None and r.denominator is not None
        ):
            return False
    return True
