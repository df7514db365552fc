"""Checks of periods: stale or unfinished periods, labels that disagree with the data, unlike periods."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from outcomes.model import Framework, Period, PeriodKind, Series

from .registry import Finding, _fmt, check


def is_yearly_snapshot(series: Series) -> bool:
    """Whether a monthly or dated series is in fact a yearly figure at a fixed date (a snapshot such as
    "children in care at 31 March"): its latest two figures are the same month (or day) a year apart.

    Such a series steps a year at a time, not a month or a day: after March 2018 the next figure due
    is March 2019.
    """
    if series.period_kind not in (PeriodKind.MONTH, PeriodKind.DATE):
        return False
    latest, previous = series.latest, series.previous
    if latest is None or previous is None:
        return False
    return previous.period.kind is latest.period.kind and previous.period == latest.period.same_period_last_year()


def next_period(series: Series, period: Period) -> Period:
    """The period after ``period`` at the series' own pace: a year on for a yearly snapshot, else the next."""
    if is_yearly_snapshot(series) and period.kind in (PeriodKind.MONTH, PeriodKind.DATE):
        return period.shift(12) if period.kind is PeriodKind.MONTH else _year_on(period)
    return period.next()


def _year_on(day: Period) -> Period:
    """The same date a year later (28 February after a 29 February)."""
    year, month = day.start.year + 1, day.start.month
    return Period.snapshot(datetime.date(year, month, min(day.start.day, calendar.monthrange(year, month)[1])))


def expected_latest(series: Series, reporting: Period) -> Period | None:
    """The most recent period at the series' pace (:func:`next_period`) that had ended when the
    reporting period ended."""
    latest = series.latest
    if latest is None:
        return None
    candidate = latest.period
    while next_period(series, candidate).end <= reporting.end:
        candidate = next_period(series, candidate)
    return candidate


@check("stale-latest-value", "warning", "The latest value is older than the reporting period allows")
def _stale(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        latest = s.latest
        expected = expected_latest(s, fw.reporting_period)
        if latest is None or expected is None or expected == latest.period:
            continue
        behind = latest.period.steps_between(expected) or 0
        yield Finding(
            "stale-latest-value", "warning", s.id, s.title,
            f"The latest value is for {latest.period}, but this report covers {fw.reporting_period}: "
            f"{behind} period{'s' if behind != 1 else ''} behind (expected {expected}).",
            {"latest_period": str(latest.period), "expected_period": str(expected),
             "reporting_period": str(fw.reporting_period), "periods_behind": behind},
        )


@check("future-or-incomplete-period", "error", "A printed period had not ended when the report was written")
def _incomplete(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        for name, headline in (("previous", s.published.previous), ("latest", s.published.latest)):
            if headline is None or headline.period is None:
                continue
            if headline.period.end > fw.reporting_period.end:
                data = s.latest.period if s.latest else None
                yield Finding(
                    "future-or-incomplete-period", "error", s.id, s.title,
                    f"The {name} figure is labelled '{headline.label}' ({headline.period.label('dates')}), which "
                    f"had not ended by the end of the reporting period {fw.reporting_period}"
                    + (f"; the data are for {data}" if data else "") + ". Label the period the figure covers.",
                    {"headline": name, "label": headline.label, "label_period_end": str(headline.period.end),
                     "reporting_period": str(fw.reporting_period), "data_period": str(data) if data else None},
                )


@check("period-label-mismatch", "warning", "A printed period label is not the period of the data")
def _label_mismatch(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        for name, headline in (("previous", s.published.previous), ("latest", s.published.latest)):
            if headline is None or headline.value is None:
                continue
            matching = [o for o in s.observed() if abs((o.value or 0) - headline.value) < 1e-9]
            if headline.period is not None and s.at(headline.period) is not None:
                continue
            if headline.period is not None and headline.period.end > fw.reporting_period.end:
                continue  # reported as future-or-incomplete-period
            if len(matching) == 1:
                yield Finding(
                    "period-label-mismatch", "warning", s.id, s.title,
                    f"The {name} figure {_fmt(s, headline.value)} is labelled '{headline.label}', but the data "
                    f"give it for {matching[0].period}.",
                    {"headline": name, "label": headline.label, "data_period": str(matching[0].period)},
                )


@check("unlike-periods", "warning", "Previous and latest are not like-for-like")
def _unlike(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        prev, latest = s.published.previous, s.published.latest
        if prev and latest and prev.period and latest.period and not prev.period.is_like_for_like(latest.period):
            yield Finding("unlike-periods", "warning", s.id, s.title,
                          f"The printed previous ({prev.label}) and latest ({latest.label}) are different kinds "
                          "of period, so they cannot be compared.",
                          {"previous": prev.label, "latest": latest.label})
        obs_prev, obs_latest = s.previous, s.latest
        if obs_prev and obs_latest:
            gap = obs_prev.period.steps_between(obs_latest.period)
            for brk in s.breaks:
                if obs_prev.period < brk <= obs_latest.period:
                    yield Finding("unlike-periods", "warning", s.id, s.title,
                                  f"The definition changed from {brk}: {obs_prev.period} and {obs_latest.period} "
                                  "are not directly comparable.",
                                  {"break": str(brk), "previous": str(obs_prev.period),
                                   "latest": str(obs_latest.period)})
            annual = obs_prev.period == obs_latest.period.same_period_last_year()
            if gap is not None and gap > 1 and not annual and s.published.trend_basis == "":
                yield Finding("unlike-periods", "info", s.id, s.title,
                              f"Previous ({obs_prev.period}) and latest ({obs_latest.period}) are {gap} periods "
                              "apart; the periods between are missing.",
                              {"previous": str(obs_prev.period), "latest": str(obs_latest.period), "gap": gap})
