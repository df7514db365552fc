"""Group comparators (``group-rank``): the home area ranked among statistical neighbours or the like,
with its quartile, the members' median and the rank's 95% interval.

A group has a handful of members, so its rank and median are plain Python (:func:`group_rank`,
:func:`group_median`: the same numbers as numpy's, without its per-call overhead, which cost about a
tenth of a millisecond a group); each member's figure is found in one pass over its rows."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import replace
from math import isfinite as _isfinite
from typing import Any

from outcomes.model import Comparator, Observation, Polarity, Series
from outcomes.stats.rank import RANK_DRAWS, RankInterval, ordinal, rank_interval

from .comparator_common import (
    _PHRASES,
    _PLAIN,
    _QUARTILES,
    _decimals,
    _f,
    _figure,
    _group_judgement,
    _not_compared,
    _printed,
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
    rags: Mapping[str, str | None] | None = None,
    remembered: dict[object, Any] | None = None,
    printed: dict[int, dict[float, str]] | None = None,
) -> ComparatorJudgement:
    """A group's judgement. ``rags`` (each word's RAG letter), ``remembered`` (for one call: the members
    other than the home area per list of members, and the sentence parts that depend only on the
    group's period, size and rank) and ``printed`` (see ``_printed``) are given by ``judge_comparators``;
    without them they are worked out here."""
    period = latest.period
    period_end = period.end
    home_area = latest.area
    member_rows = series.benchmark_observations.get
    listed = comp.members
    if remembered is None:
        remembered = {}
    # the members other than the home area (in order, repeats kept), remembered per list of members
    members_key = (id(listed), home_area)
    known = remembered.get(members_key)
    if known is None or known[0] is not listed:
        known = remembered[members_key] = (listed, tuple(m for m in listed if m != home_area))
    others: tuple[str, ...] = known[1]
    n_members = len(others)
    figures: dict[str, float] = {}
    rows: list[Observation] = []
    plain = series.unit.type != "count"  # no row found can have limits (as _plainly_without_limits)
    for m in others:
        for r in member_rows(m, ()):
            p = r.period
            # the member's first finite row for the period (a differing end rules a period out cheaply)
            if p is period or (p.end == period_end and p == period):
                v = r.value
                if v is not None and _isfinite(v):
                    figures[m] = float(v)
                    rows.append(r)
                    if plain and (
                        (r.lower95 is not None and r.upper95 is not None)
                        or (r.numerator is not None and r.denominator is not None)
                    ):
                        plain = False
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
    # _rank_and_median, inlined: the rank by bisection in the sorted figures, the median from them
    ordered = sorted(figures.values())
    if polarity == Polarity.LOWER_IS_BETTER:
        rank = 1 + bisect_left(ordered, value)
    else:
        rank = 1 + len(ordered) - bisect_right(ordered, value)
    median = _median_of_sorted(ordered)
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
    if home_limits is not None and rows and plain:  # (_rank_spread's answer, known from the scan)
        spread = None
        spread_note = remembered.get(len(rows))
        if spread_note is None:
            spread_note = remembered[len(rows)] = (
                f"No rank interval: {len(rows)} of the {len(rows)} members have no confidence interval."
            )
    else:
        spread, spread_note = _rank_spread(series, rows, value, home_limits, polarity)
    # the parts that depend only on the period and the group's size (and rank), written once a call
    key = (id(period), n)
    fixed = remembered.get(key)
    if fixed is None or fixed[0] is not period:
        fixed = remembered[key] = (
            period,
            period_phrase(period),
            f"A group comparator: the area is ranked among the {n} areas with a figure "
            f"{period_phrase(period, 'for')} (itself "
            "included); the top quartile is better, the bottom quartile worse, the middle two similar.",
        )
    _, in_period, why = fixed
    place: str | None
    if spread is not None:
        place = spread.text()
    else:
        place = remembered.get((rank, n))
        if place is None:
            place = remembered[(rank, n)] = f"{ordinal(rank)} of {n}"
    spec = _PLAIN.get(d)
    if spec is not None and -999.0 < value < 999.0 and -999.0 < median < 999.0:
        # _figure inlined: finite figures that cannot reach 1,000 print by printf (remembered for the
        # call when ``printed`` is given: see _printed)
        if printed is None:
            printed = _printed()
        seen = printed[d]
        first = seen.get(value)
        if first is None:
            first = spec % value
            if value:
                seen[value] = first
        second = seen.get(median)
        if second is None:
            second = spec % median
            if median:
                seen[median] = second
        shown = f"{texts.prefix}{first}{texts.suffix}"
        middle = f"{texts.bare_prefix}{second}{texts.bare_suffix}"
    else:
        shown = _figure(value, d, texts.prefix, texts.suffix)
        middle = _figure(median, d, texts.bare_prefix, texts.bare_suffix)
    reason = (
        f"{_PHRASES[word]} {name}: {shown} ranks {place} {in_period} "
        f"({_QUARTILES[quartile]}, {order}); the group median is {middle}."
    )
    if spread_note:
        reason += f" {spread_note}"
    if not judged:
        reason += f" Not judged better or worse: {polarity_text(polarity)}."
    values = {"rank": rank, "of": n, "quartile": quartile, "median": median, "members": figures,
              "rank_interval": [spread.lower, spread.upper] if spread is not None else None}
    if not judged:
        rag = None
    elif rags is not None:
        rag = rags[word]
    else:
        rag = settings.rag_for(word, comparator=True)
    return _group_judgement(
        word, rag, _METHOD, _LABEL, reason, why, values,
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
