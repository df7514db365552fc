"""Small period helpers for the judgement engine (private), and the runs of a sequence of periods that
the trend judgements look for (the regular sub-annual run, the annual run: :func:`shape_of`)."""

from __future__ import annotations

from collections.abc import Sequence

from outcomes.model import Observation, Period, PeriodKind

#: Kinds whose consecutive periods make a regular sub-annual series (SPC candidates).
SUB_ANNUAL = (PeriodKind.QUARTER, PeriodKind.MONTH)


def month_index(period: Period) -> int:
    return period.end.year * 12 + period.end.month - 1


def is_sub_annual(period: Period) -> bool:
    """A quarter, a month, or a rolling window shorter than a year."""
    return period.kind in SUB_ANNUAL or (period.kind is PeriodKind.ROLLING and period.months < 12)


def is_year_apart(earlier: Period, later: Period) -> bool:
    """Whether ``later`` is the same period a year after ``earlier`` (like for like, 12 months on)."""
    if not earlier.is_like_for_like(later) or month_index(later) - month_index(earlier) != 12:
        return False
    return earlier.kind is not PeriodKind.DATE or earlier.end.day == later.end.day


#: Months from one period to the next, for the kinds with a fixed step.
STEP_MONTHS = {
    PeriodKind.QUARTER: 3,
    PeriodKind.MONTH: 1,
    PeriodKind.FINANCIAL_YEAR: 12,
    PeriodKind.CALENDAR_YEAR: 12,
    PeriodKind.ACADEMIC_YEAR: 12,
}


def is_next(earlier: Period, later: Period) -> bool:
    """Whether ``later`` immediately follows ``earlier`` (one step of their kind)."""
    kind = earlier.kind
    if kind is not later.kind or earlier.months != later.months:
        return False
    step = STEP_MONTHS.get(kind)
    if step is None:  # rolling windows and dates
        return earlier.steps_between(later) == 1
    return month_index(later) - month_index(earlier) == step


def periods_behind(older: Period, newer: Period) -> int:
    """How many periods of ``newer``'s kind ``older`` lies before it (0 when not older).

    Like-for-like periods count steps; otherwise whole periods of ``newer``'s length between the ends.
    """
    steps = older.steps_between(newer)
    if steps is not None:
        return max(steps, 0)
    if newer.kind is PeriodKind.DATE:
        return max((newer.end - older.end).days, 0)
    length = newer.months or 1
    return max((month_index(newer) - month_index(older)) // length, 0)


def plural(period: Period, count: int) -> str:
    """'1 quarter', '20 quarters', '2 financial years', '2 rolling windows'."""
    noun = period.kind.noun
    if period.kind is PeriodKind.ROLLING:
        noun = f"{period.months}-month window"
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def segment_start(observations: Sequence[Observation], breaks: Sequence[Period], last: int) -> int:
    """The index of the first observation on the same side of every series break as ``last``."""
    if not breaks:
        return 0
    latest_start = observations[last].period.start
    cut = max((b.start for b in breaks if b.start <= latest_start), default=None)
    if cut is None:
        return 0
    for i in range(last, -1, -1):
        if observations[i].period.start < cut:
            return i + 1
    return 0


def break_between(breaks: Sequence[Period], earlier: Period, later: Period) -> Period | None:
    """The series break that falls after ``earlier`` and at or before ``later``, if any."""
    for b in breaks:
        if earlier.start < b.start <= later.start:
            return b
    return None


#: What the runs of a series depend on, worked out once per sequence of periods (series judged
#: together mostly share their periods): where the regular run of a sub-annual series begins, where
#: its annual run begins (None: fewer than two), the periods of the regular run, those of the latest
#: five annual points (a recent-trend window's; None without an annual run), and whether the series
#: is sub-annual (:func:`is_sub_annual` of its latest period)
Shape = tuple[int, int | None, tuple[Period, ...], tuple[Period, ...] | None, bool]


def shape_of(obs: list[Observation], sub_annual: bool) -> Shape:
    """The :data:`Shape` of observations that all have values, with no series break among them
    (``sub_annual``: whether the latest period is sub-annual)."""
    last = len(obs) - 1
    run = regular_run(obs, 0, last) if sub_annual else obs[last + 1 :]
    first = annual_first(obs)
    window = tuple([o.period for o in obs[first:][-5:]]) if first is not None else None
    return last + 1 - len(run), first, tuple([o.period for o in run]), window, sub_annual


def regular_run(obs: list[Observation], start: int, last: int) -> list[Observation]:
    """The observations from the last gap (or break) to ``last``, in consecutive periods."""
    first = last
    latest = obs[last].period
    step = STEP_MONTHS.get(latest.kind)
    if step is None:  # rolling windows and dates
        while first > start and is_next(obs[first - 1].period, obs[first].period):
            first -= 1
        return obs[first : last + 1]
    # is_next for quarters and months, inlined: same kind and length, one step of months earlier
    kind, months = latest.kind, latest.months
    index = latest.end.year * 12 + latest.end.month
    while first > start:
        earlier = obs[first - 1].period
        if earlier.kind is not kind or earlier.months != months:
            break
        earlier_index = earlier.end.year * 12 + earlier.end.month
        if index - earlier_index != step:
            break
        index = earlier_index
        first -= 1
    return obs[first : last + 1]


def annual_points(points: list[Observation]) -> list[Observation] | None:
    """The latest valued observations that are each a year after the one before (None if fewer than 2)."""
    first = annual_first(points)
    return points[first:] if first is not None else None


def annual_first(points: list[Observation]) -> int | None:
    """Where :func:`annual_points` begins in ``points`` (None if fewer than 2)."""
    first = len(points) - 1
    if first < 1:
        return None
    # is_year_apart, inlined: same kind and length, twelve months on (a date also on the same day)
    later = points[first].period
    kind, months, dated = later.kind, later.months, later.kind is PeriodKind.DATE
    index = later.end.year * 12 + later.end.month
    while first > 0:
        earlier = points[first - 1].period
        if earlier.kind is not kind or earlier.months != months:
            break
        earlier_index = earlier.end.year * 12 + earlier.end.month
        if index - earlier_index != 12 or (dated and earlier.end.day != later.end.day):
            break
        later, index = earlier, earlier_index
        first -= 1
    return first if len(points) - first >= 2 else None
