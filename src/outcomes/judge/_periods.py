"""Small period helpers for the judgement engine (private)."""

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
