"""Choosing what a report covers: one outcome or all, and a reporting period.

A report for an earlier period leaves out every observation (and benchmark observation) that ends
after that period, and uses the narrative written for it. The framework given is never changed: a
shallow copy with filtered series is returned.

>>> from outcomes.model import Period
>>> as_period("Q4 2017-18")
Period.parse('Q4 2017-18')
>>> as_period(None) is None
True
"""

from __future__ import annotations

import copy

from outcomes.model import Framework, Period, PeriodError

__all__ = ["ReportError", "as_period", "select_outcomes", "select_period"]


class ReportError(ValueError):
    """A report could not be made as asked; the message says what to change."""


def as_period(period: Period | str | None) -> Period | None:
    """A :class:`Period` from a period or its text (``ReportError`` when the text is not a period)."""
    if period is None or isinstance(period, Period):
        return period
    try:
        return Period.parse(period)
    except PeriodError as error:
        raise ReportError(f"The reporting period {period!r} is not a period: {error}") from None


def select_outcomes(framework: Framework, outcome_id: str | None) -> list[str]:
    """The ids of the outcomes to report (all, or the one asked for)."""
    ids = [o.id for o in framework.outcomes]
    if outcome_id is None:
        return ids
    if outcome_id not in ids:
        raise ReportError(f"'{outcome_id}' is not an outcome of this framework; the outcomes are: {', '.join(ids)}.")
    return [outcome_id]


def select_period(framework: Framework, period: Period | None) -> Framework:
    """The framework as it stood at the end of ``period``: later observations left out.

    Returns ``framework`` itself when ``period`` is None or is already its reporting period.
    """
    if period is None or period == framework.reporting_period:
        return framework
    chosen = copy.copy(framework)
    chosen.reporting_period = period
    chosen.outcomes = []
    for outcome in framework.outcomes:
        o = copy.copy(outcome)
        o.indicators = []
        for indicator in outcome.indicators:
            ind = copy.copy(indicator)
            ind.series = [_cut(s, period) for s in indicator.series]
            ind.measures = []
            for measure in indicator.measures:
                m = copy.copy(measure)
                m.series = [_cut(s, period) for s in measure.series]
                ind.measures.append(m)
            ind.narrative = [n for n in indicator.narrative if n.period is None or n.period.end <= period.end]
            o.indicators.append(ind)
        chosen.outcomes.append(o)
    return chosen


def _cut(series, period: Period):  # type: ignore[no-untyped-def]
    s = copy.copy(series)
    s.observations = [o for o in series.observations if o.period.end <= period.end]
    s.benchmark_observations = {
        area: [o for o in rows if o.period.end <= period.end] for area, rows in series.benchmark_observations.items()
    }
    return s
