"""Group comparators (``group-rank``): the home area ranked among statistical neighbours or the like,
with its quartile, the members' median and the rank's 95% interval."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from outcomes.model import Comparator, Observation, Polarity, Series
from outcomes.stats.rank import RANK_DRAWS, RankInterval, ordinal, rank_interval

from .comparator_common import (
    _PHRASES,
    _QUARTILES,
    _bare,
    _f,
    _finite,
    _not_compared,
    _rag,
)
from .intervals import cannot_have_limits, compute_intervals
from .method import (
    ComparatorJudgement,
    decimals_for,
    format_value,
    is_judged,
    method_label,
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
    members = [m for m in comp.members if m != latest.area]
    figures: dict[str, float] = {}
    rows: list[Observation] = []
    for m in members:
        row = next(
            (
                r
                for r in series.benchmark_observations.get(m, ())
                if (r.period is period or r.period == period) and _finite(r)
            ),
            None,
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
    if rows and all(cannot_have_limits(series.unit, r) for r in rows):  # no need to compute: none has limits
        missing = [r.area for r in rows]
    else:
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
