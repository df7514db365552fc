"""The trend judgement of one series: improving, similar, worsening, or not assessed — with its method.

The strongest honest method the data supports is used (``docs/methods.md``, "Judgements on a
framework"):

1. **SPC** (``spc-xmr``): a quarterly or monthly series (or rolling windows shorter than a year)
   with at least ``spc_min_points`` consecutive values since its last break. The latest point's
   Making Data Count type decides: special-cause improvement → improving, special-cause concern →
   worsening, otherwise similar (common-cause variation).
2. **Recent-trend test** (``fingertips-trend``): an annual series (each point a year after the one
   before, no break) whose latest ``trend_min_points`` values have counts and denominators (a
   percentage: chi-squared test for trend in proportions) or 95% limits, given or computed
   (weighted least squares). Increasing or decreasing maps through the polarity; "no significant
   change" is similar.
3. **Previous vs latest** (``previous-vs-latest``): the latest value against the previous one (or
   the same period last year, setting ``compare_with``) with the relative tolerance band.

Not assessed (method ``none``): no value or a single value; no polarity (the move is still
described: rose/fell); previous and latest not like for like, or a series break between them. A gap
between previous and latest is judged, with a warning.

This module chooses the method; each method's judgement and words are in its own module:
:mod:`.trend_spc`, :mod:`.trend_recent` and :mod:`.trend_change` (helpers in :mod:`.trend_common`).
"""

from __future__ import annotations

import math
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from typing import Any

from outcomes.model import Observation, Period, PeriodError, PeriodKind, Polarity, Series
from outcomes.stats import TrendMarker, XmR, xmr_many
from outcomes.stats.kernels import TrendWindow, trend_marker_objects

from ._periods import STEP_MONTHS, is_next, is_sub_annual, plural, segment_start
from .intervals import SeriesIntervals
from .method import (
    Judgement,
    decimals_for,
    format_value,
    is_judged,
    method_label,
    period_phrase,
    polarity_text,
)
from .settings import JudgementSettings
from .trend_change import _describe_move, _previous_vs_latest
from .trend_common import _f, _finite, _not_assessed
from .trend_recent import _trend_test
from .trend_spc import _spc_judgement

__all__ = ["TrendResult", "ValueAt", "current_run", "judge_trend", "judge_trends"]


@dataclass(frozen=True)
class ValueAt:
    """A value and its period (the previous or latest figure of a series)."""

    period: Period | None
    value: float | None

    def to_dict(self) -> dict[str, object]:
        return {"period": str(self.period) if self.period is not None else None, "value": self.value}


@dataclass(frozen=True)
class TrendResult:
    """What :func:`judge_trend` finds: the judgement and the figures behind it.

    ``current_run`` is Clear Impact's "current trend": how many consecutive periods the series has
    moved in its latest direction (``current_direction`` "up" or "down"); 0 when flat or unknown.
    ``spc`` is the XmR chart when one was drawn (also for a series without polarity, for charts),
    over ``spc_periods``; ``marker`` the recent-trend test result when it was run.
    """

    judgement: Judgement
    previous: ValueAt | None
    latest: ValueAt | None
    current_run: int
    current_direction: str | None
    spc: XmR | None
    spc_periods: tuple[Period, ...]
    marker: TrendMarker | None
    warnings: tuple[str, ...]


def current_run(values: list[float]) -> tuple[int, str | None]:
    """Consecutive moves in the latest direction, and that direction.

    >>> current_run([5, 6, 7, 9]), current_run([5, 6, 4]), current_run([5, 5]), current_run([3])
    ((3, 'up'), (1, 'down'), (0, None), (0, None))
    """
    if len(values) < 2 or values[-1] == values[-2]:
        return 0, None
    up = values[-1] > values[-2]
    run = 0
    for i in range(len(values) - 1, 0, -1):
        step = values[i] - values[i - 1]
        if (step > 0) != up or step == 0:
            break
        run += 1
    return run, ("up" if up else "down")



def judge_trend(
    series: Series, *, settings: JudgementSettings, intervals: SeriesIntervals | None = None
) -> TrendResult:
    """Judge the trend of ``series`` (see the module docstring for the rules).

    >>> from outcomes.model import Observation, Period, PeriodKind, Unit
    >>> obs = [Observation("cp", "E1", Period.parse(p), v) for p, v in [("2016-17", 58.5), ("2017-18", 32.8)]]
    >>> s = Series("cp", "Child protection", Unit("rate", per=10_000), Polarity.LOWER_IS_BETTER,
    ...            PeriodKind.FINANCIAL_YEAR, observations=obs)
    >>> t = judge_trend(s, settings=JudgementSettings())
    >>> t.judgement.word, t.judgement.method
    ('improving', 'previous-vs-latest')
    >>> print(t.judgement.reason)  # doctest: +ELLIPSIS
    Improving: fell from 58.5 in 2016-17 to 32.8 per 10,000 in 2017-18, a change of 43.9%, beyond the 2% ...
    """
    return judge_trends([series], settings=settings, intervals=[intervals])[0]


def judge_trends(
    series: Sequence[Series], *, settings: JudgementSettings, intervals: Sequence[SeriesIntervals | None]
) -> list[TrendResult]:
    """:func:`judge_trend` for many series, with the statistics of all of them computed together.

    Each series is judged up to the point where it needs its XmR chart or its recent-trend marker;
    the charts of all of them are drawn in one vectorised call (:func:`outcomes.stats.xmr_many`) and
    the markers computed in another (:func:`outcomes.stats.kernels.trend_marker_objects`), then each
    judgement goes on. The results are those of judging each series on its own.
    """
    steps = [_trend_steps(s, settings, iv) for s, iv in zip(series, intervals, strict=True)]
    results: list[TrendResult | None] = [None] * len(steps)
    waiting: list[tuple[int, TrendWindow | SpcRequest]] = []

    def advance(i: int, answer: TrendMarker | XmR | None) -> None:
        try:
            waiting.append((i, steps[i].send(answer)))
        except StopIteration as done:
            results[i] = done.value

    for i in range(len(steps)):
        advance(i, None)
    while waiting:
        asked, waiting = waiting, []
        charts = [(i, r) for i, r in asked if isinstance(r, SpcRequest)]
        windows = [(i, r) for i, r in asked if isinstance(r, TrendWindow)]
        answers: list[tuple[int, TrendMarker | XmR]] = []
        if charts:
            drawn = xmr_many(
                [r.values for _, r in charts],
                improvements=[r.improvement for _, r in charts],
                targets=[r.target for _, r in charts],
            )
            answers.extend((i, chart) for (i, _), chart in zip(charts, drawn, strict=True))
        if windows:
            markers = trend_marker_objects([r for _, r in windows])
            answers.extend((i, marker) for (i, _), marker in zip(windows, markers, strict=True))
        for i, answer in answers:
            advance(i, answer)
    return [r for r in results if r is not None]


@dataclass(frozen=True)
class SpcRequest:
    """What a trend judgement asks :func:`judge_trends` for: the XmR chart of these values."""

    values: list[float]
    improvement: str
    target: float | None


def _trend_steps(
    series: Series, settings: JudgementSettings, intervals: SeriesIntervals | None
) -> Generator[TrendWindow | SpcRequest, Any, TrendResult]:
    """The body of :func:`judge_trend`: yields the XmR chart or recent-trend window it needs (an
    :class:`SpcRequest` or a :class:`TrendWindow`) and receives the chart or the marker."""
    obs = series.observations
    warnings: list[str] = []
    ok = [o.value is not None and math.isfinite(o.value) for o in obs]
    last = next((i for i in range(len(obs) - 1, -1, -1) if ok[i]), None)
    if last is None:
        reason = "Not assessed: the series has no values."
        return _result(_not_assessed(reason, "There is nothing to judge."), None, None, warnings)

    latest_obs = obs[last]
    latest = ValueAt(latest_obs.period, latest_obs.value)
    if last < len(obs) - 1:
        missing = obs[-1]
        why_missing = f" ({missing.missing_reason})" if missing.missing_reason else ""
        warnings.append(
            f"The latest period {missing.period} has no value{why_missing}; judged on {latest_obs.period}."
        )
    if latest_obs.is_provisional:
        warnings.append(f"The latest value ({latest_obs.period}) is provisional and may change.")

    start = segment_start(obs, series.breaks, last)
    segment = [o for o, good in zip(obs[start : last + 1], ok[start : last + 1], strict=True) if good]
    run, direction = current_run([o.value for o in segment])  # type: ignore[misc]  # all have values

    previous_obs = _previous(series, last, settings)
    previous = ValueAt(previous_obs.period, previous_obs.value) if previous_obs is not None else None
    polarity = series.polarity
    unit = series.unit

    def result(
        j: Judgement,
        spc: XmR | None = None,
        spc_periods: tuple[Period, ...] = (),
        marker: TrendMarker | None = None,
    ) -> TrendResult:
        return TrendResult(j, previous, latest, run, direction, spc, spc_periods, marker, tuple(warnings))

    if sum(ok[: last + 1]) < 2:
        d = decimals_for(latest_obs.value)
        reason = (
            f"Not assessed: only one value, {format_value(unit, latest_obs.value, d)} "
            f"{period_phrase(latest_obs.period)}; "
            "a trend needs at least two."
        )
        return result(_not_assessed(reason, "A single point cannot show a change."))

    # SPC: a long enough run of consecutive quarters or months (drawn for charts even without polarity)
    spc_run = _regular_run(obs, start, last) if is_sub_annual(latest_obs.period) else []
    spc_points = sum(ok[last + 1 - len(spc_run) : last + 1]) if spc_run else 0
    chart: XmR | None = None
    chart_periods: tuple[Period, ...] = ()
    if spc_points >= settings.spc_min_points:
        improvement = {Polarity.HIGHER_IS_BETTER: "increase", Polarity.LOWER_IS_BETTER: "decrease"}.get(
            polarity or Polarity.NO_JUDGEMENT, "neutral"
        )
        target = series.target.value if series.target is not None else None
        values = [_f(o.value) for o in spc_run]
        chart = yield SpcRequest(values, improvement, target)
        chart_periods = tuple([o.period for o in spc_run])

    if not is_judged(polarity):
        move = (
            _describe_move(unit, previous_obs, latest_obs)
            if previous_obs is not None
            else (f"latest {format_value(unit, latest_obs.value)} {period_phrase(latest_obs.period)}")
        )
        reason = f"Not assessed: {move}; {polarity_text(polarity)}."
        if chart is not None and chart.point_types[-1].startswith("special_cause_neutral"):
            side = "high" if chart.point_types[-1].endswith("high") else "low"
            reason += f" The latest point is special-cause variation ({side}) on an XmR chart."
        why = (
            "A series is judged only when its polarity says which direction is better; "
            "it is described instead."
        )
        return result(_not_assessed(reason, why), chart, chart_periods)

    if chart is not None:
        return result(_spc_judgement(series, chart, spc_run, settings), chart, chart_periods)

    # the recent-trend test: annual points, with counts and denominators or intervals
    why_not: list[str] = []
    annual = _annual_points(segment)
    marker: TrendMarker | None = None
    if annual is not None:
        judgement, marker, note = yield from _trend_test(series, annual, intervals, settings)
        if judgement is not None:
            return result(judgement, marker=marker)
        why_not.append(note)
    elif is_sub_annual(latest_obs.period):
        why_not.append(
            f"{plural(latest_obs.period, spc_points)} in a row"
            f"{'' if spc_points == len(segment) else ' (since a gap or break)'}: "
            f"SPC needs {settings.spc_min_points}"
        )
    else:
        why_not.append(
            f"{len(segment)} points that are not a regular quarterly or monthly series "
            "or a run of annual points"
        )

    fallback = _previous_vs_latest(series, previous_obs, latest_obs, settings, why_not, warnings)
    if series.published.trend_method in SIGNIFICANCE_METHODS and fallback.assessed:
        return result(_method_not_reproduced(series, fallback, why_not), marker=marker)
    return result(fallback, marker=marker)


#: Published trend methods that test significance: where the source used one and we cannot, our own
#: previous-vs-latest word is not put beside it as a rival verdict.
SIGNIFICANCE_METHODS = ("fingertips-trend", "spc-xmr")


def _method_not_reproduced(series: Series, fallback: Judgement, why_not: list[str]) -> Judgement:
    """'Not assessed', with the published word beside it: the source's test cannot be reproduced here."""
    published = series.published
    said = published.trend_basis or (f"'{published.trend}'" if published.trend else "a trend")
    method = method_label(published.trend_method)
    cannot = "; ".join(why_not) or "the data here do not support it"
    move = fallback.reason.split(": ", 1)[-1]
    reason = (
        f"Not assessed: the source publishes {said}, from a significance test ({method}) that cannot be "
        f"reproduced here ({cannot}). Previous vs latest, a different method, would say "
        f"'{fallback.word}' ({move.rstrip('.')}), so no colour of our own is given."
    )
    why = (
        "A published trend made by a significance test is not replaced by a two-point comparison: "
        "the two are different methods, and a red or green from the weaker one would contradict the "
        "publisher without evidence."
    )
    values = {
        "published": published.trend or None,
        "published_method": published.trend_method,
        "previous_vs_latest": fallback.word,
        **fallback.values,
    }
    return _not_assessed(reason, why, **values)


def _result(
    j: Judgement, previous: ValueAt | None, latest: ValueAt | None, warnings: list[str]
) -> TrendResult:
    return TrendResult(j, previous, latest, 0, None, None, (), None, tuple(warnings))


def _previous(series: Series, last: int, settings: JudgementSettings) -> Observation | None:
    """The value the latest is compared with: the previous valued one, or the same period last year."""
    obs = series.observations
    if settings.compare_with == "same-period-last-year":
        try:
            target = obs[last].period.same_period_last_year()
        except PeriodError:
            return None
        found = series.at(target)
        return found if found is not None and _finite(found) else None
    for i in range(last - 1, -1, -1):
        if _finite(obs[i]):
            return obs[i]
    return None


def _regular_run(obs: list[Observation], start: int, last: int) -> list[Observation]:
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


def _annual_points(points: list[Observation]) -> list[Observation] | None:
    """The latest valued observations that are each a year after the one before (None if fewer than 2)."""
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
    tail = points[first:]
    return tail if len(tail) >= 2 else None

