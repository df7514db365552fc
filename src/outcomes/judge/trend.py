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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, NamedTuple

from outcomes.model import Observation, Period, PeriodKind, Polarity, Series
from outcomes.stats import TrendMarker, XmR, xmr_many
from outcomes.stats.kernels import TrendWindow, float_rows, trend_marker_objects
from outcomes.stats.spc import xmr_rows

from ._periods import SUB_ANNUAL, Shape, plural, segment_start, shape_of
from ._periods import annual_first as _annual_first
from ._periods import regular_run as _regular_run
from ._trend_columns import fallback as _fallback
from ._trend_columns import limited_windows, window_decimals
from .intervals import SeriesIntervals
from .method import (
    Judgement,
    decimals_for,
    format_value,
    period_phrase,
)
from .settings import JudgementSettings
from .trend_change import (
    _not_judged,
    _previous,
)
from .trend_common import _f, _not_assessed, decimals_of_block, decimals_of_rows
from .trend_recent import _recent_trend_words, _trend_window
from .trend_spc import _spc_judgement

__all__ = ["TrendParts", "TrendResult", "ValueAt", "current_run", "judge_trend", "judge_trend_parts", "judge_trend_tuples", "judge_trends"]

_setattr = object.__setattr__


@dataclass(frozen=True, init=False)
class ValueAt:
    """A value and its period (the previous or latest figure of a series)."""

    period: Period | None
    value: float | None

    def __init__(self, period: Period | None, value: float | None) -> None:
        # frozen: each field written by object.__setattr__, which keeps it in the instance's inline
        # values; reading self.__dict__ would make a dictionary for every instance (two instances a
        # series, kept with the judgement: each dictionary one more object for the collector to walk)
        _setattr(self, "period", period)
        _setattr(self, "value", value)

    def to_dict(self) -> dict[str, object]:
        return {"period": str(self.period) if self.period is not None else None, "value": self.value}


@dataclass(frozen=True, init=False)
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

    def __init__(
        self,
        judgement: Judgement,
        previous: ValueAt | None,
        latest: ValueAt | None,
        current_run: int,
        current_direction: str | None,
        spc: XmR | None,
        spc_periods: tuple[Period, ...],
        marker: TrendMarker | None,
        warnings: tuple[str, ...],
    ) -> None:
        # frozen: the fields are written once, straight into the instance (one made per series)
        self.__dict__.update(
            judgement=judgement,
            previous=previous,
            latest=latest,
            current_run=current_run,
            current_direction=current_direction,
            spc=spc,
            spc_periods=spc_periods,
            marker=marker,
            warnings=warnings,
        )


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

    Three passes: each series is judged up to the point where it needs its XmR chart or its
    recent-trend marker (:func:`judge_trend_tuples`' loop, or :func:`_begin_general` for an unusual
    series; most series that need neither are finished there); the charts
    of all of them are drawn in one vectorised call (:func:`outcomes.stats.xmr_many`) and the markers
    computed in another (:func:`outcomes.stats.kernels.trend_marker_objects`); then each waiting
    judgement is finished. The results are those of judging each series on its own.
    """
    return [TrendResult(*parts) for parts in judge_trend_parts(series, settings=settings, intervals=intervals)]


class TrendParts(NamedTuple):
    """A finished trend judgement as a named tuple: :class:`TrendResult`'s fields, in its order and by
    its names (``parts.judgement``, ``parts.previous``...), without a frozen dataclass to build."""

    judgement: Judgement
    previous: ValueAt | None
    latest: ValueAt | None
    current_run: int
    current_direction: str | None
    spc: XmR | None
    spc_periods: tuple[Period, ...]
    marker: TrendMarker | None
    warnings: tuple[str, ...]


#: ``_parts((judgement, previous, ...))``: a :class:`TrendParts` made without its ``__new__`` frame
_parts: Callable[[tuple[object, ...]], TrendParts] = partial(tuple.__new__, TrendParts)  # type: ignore[assignment]


def judge_trend_parts(
    series: Sequence[Series], *, settings: JudgementSettings, intervals: Sequence[SeriesIntervals | None]
) -> list[TrendParts]:
    """:func:`judge_trends`, each result a :class:`TrendParts` (the same fields, by the same names),
    for a caller that copies them into a record of its own: no :class:`TrendResult` made only to be
    taken apart."""
    return [_parts(t) for t in judge_trend_tuples(series, settings=settings, intervals=intervals)]


#: A finished trend judgement as a plain tuple, in :class:`TrendParts`' order
Parts = tuple[Judgement, "ValueAt | None", "ValueAt | None", int, "str | None", "XmR | None", tuple[Period, ...], "TrendMarker | None", tuple[str, ...]]


def judge_trend_tuples(
    series: Sequence[Series], *, settings: JudgementSettings, intervals: Sequence[SeriesIntervals | None]
) -> list[Parts]:
    """:func:`judge_trend_parts` as plain tuples in :class:`TrendParts`' order, for the engine, which
    unpacks each into its ``SeriesJudgement`` (a plain tuple is made in a tenth of a named tuple's time).

    The usual series (every value present and finite, two or more, no series break) are begun in this
    loop itself, by the steps of :func:`_begin_general` with the cases that cannot arise left out; the
    others by :func:`_begin_general`. A judgement that waits for its chart or marker is a tuple
    (:data:`_Chart`, :data:`_Test`) in one of two lists; its place in the answer is kept for it."""
    shapes: dict[tuple[int, int], tuple[list[Period], Shape]] = {}
    out: list[Any] = []
    keep = out.append
    charts: list[_Chart] = []
    tests: list[_Test] = []
    wait_chart, wait_test = charts.append, tests.append
    same_period = settings.compare_with == "same-period-last-year"
    spc_min, trend_min = settings.spc_min_points, settings.trend_min_points
    limited: list[tuple[Any, ...]] = []  # the usual series tested on their 95% limits
    quick = _QUICK
    new, setattr_ = _new, _setattr
    for s, iv in zip(series, intervals, strict=True):
        obs = s.observations
        # (a list comprehension reads a slotted field quicker than map(attrgetter) on Python 3.11)
        values: list[Any] = [o.value for o in obs]  # (float | None: read as any, as map's were)
        size = len(values)
        try:  # every value present and finite (the usual case): a sum of finite values is finite
            every = _isfinite(sum(values))  # type: ignore[arg-type]
        except TypeError:  # a missing value (None)
            every = False
        if not (every and size >= 2 and quick) or s.breaks:
            begun = _begin_general(s, settings, iv, shapes, obs, values, size, every, len(out))
            if type(begun[0]) is not int:  # finished (a waiting one begins with its place)
                keep(begun)
            else:
                (wait_chart if len(begun) == 10 else wait_test)(begun)  # type: ignore[arg-type]
                keep(None)
            continue
        # the usual series: the segment is the whole series, the previous value the one before the
        # latest (or the same period last year), the runs those of its sequence of periods
        last = size - 1
        latest_obs = obs[last]
        latest_period = latest_obs.period
        latest = new(ValueAt)  # (ValueAt(period, value) without its __init__ frame)
        setattr_(latest, "period", latest_period)
        setattr_(latest, "value", latest_obs.value)
        warnings: list[str] = (
            [f"The latest value ({latest_period!s}) is provisional and may change."]
            if latest_obs.status == "provisional"
            else []
        )
        # current_run(values), inlined
        b = values[last]
        a = values[last - 1]
        if a == b:
            run, direction = 0, None
        else:
            up = b > a
            i = last
            while i > 0:
                step = values[i] - values[i - 1]
                if (step > 0) != up or step == 0:
                    break
                i -= 1
            run = last - i
            direction = "up" if up else "down"
        if same_period:
            previous_obs = _previous(s, last, settings)
            previous = ValueAt(previous_obs.period, previous_obs.value) if previous_obs is not None else None
        else:
            previous_obs = obs[last - 1]
            previous = new(ValueAt)
            setattr_(previous, "period", previous_obs.period)
            setattr_(previous, "value", previous_obs.value)
        result: _Result = (previous, latest, run, direction, warnings)

        shape = _remembered_shape(obs, latest_period, size, shapes)
        spc_start, first, spc_periods, window_periods, sub_annual = shape
        polarity = s.polarity
        spc_points = size - spc_start if sub_annual else 0
        if spc_points >= spc_min:
            target = s.target
            wait_chart((
                len(out), s, result, latest_obs, previous_obs,
                values if spc_start == 0 else values[spc_start:],
                obs if spc_start == 0 else obs[spc_start:],  # (read, never changed)
                spc_periods, _IMPROVEMENT.get(polarity or Polarity.NO_JUDGEMENT, "neutral"),  # type: ignore[arg-type]
                target.value if target is not None else None,
            ))
            keep(None)
            continue
        if polarity not in _JUDGED:
            keep((
                _not_judged(s, previous_obs, latest_obs, None), previous, latest, run, direction, None, (), None,
                tuple(warnings),
            ))
            continue
        if first is not None:
            annual = obs if first == 0 else obs[first:]  # (read, never changed)
            if size - first >= trend_min:
                if s.unit.type == "percentage":  # _trend_window's first case, inlined: counts and denominators
                    latest5 = obs[-5:]  # (annual[-5:])
                    counts: list[Any] = [o.numerator for o in latest5]
                    denominators: list[Any] = [o.denominator for o in latest5]
                    if None not in counts and None not in denominators:
                        wait_test((
                            len(out), s, result, latest_obs, previous_obs,
                            TrendWindow(window_periods, counts, denominators),  # type: ignore[arg-type]
                            "counts and denominators", annual,
                            values[-5:],
                        ))
                        keep(None)
                        continue
                elif type(iv) is SeriesIntervals:
                    # a test on 95% limits: their latest rows read for all such series at once (limited_windows)
                    limited.append((len(out), s, result, latest_obs, previous_obs, annual, window_periods, iv, values))
                    keep(None)
                    continue
            window, note = _trend_window(s, annual, range(first, size), iv, settings, window_periods)
            if window is not None:
                wait_test((len(out), s, result, latest_obs, previous_obs, window, note, annual, values[max(first, size - 5) :]))
                keep(None)
                continue
            why_not = [note]
        elif sub_annual:
            why_not = [
                f"{plural(latest_period, spc_points)} in a row"
                f"{'' if spc_start == 0 else ' (since a gap or break)'}: SPC needs {spc_min}"
            ]
        else:
            why_not = [f"{size} points that are not a regular quarterly or monthly series or a run of annual points"]
        keep(_fallback(s, settings, result, previous_obs, latest_obs, why_not, None))
    if limited:
        limited_windows(limited, settings, tests, out)
    if charts:
        _finish_charts(charts, settings, out)
    if tests:
        _finish_tests(tests, settings, out)
    return out


#: A judgement waiting for its XmR chart: its place in the answer, the series, its :data:`_Result`, the
#: latest and previous observations, the run's values, observations and periods, the improvement
#: direction and the target
_Chart = tuple[
    int, Series, "_Result", Observation, "Observation | None", list[float], list[Observation], tuple[Period, ...],
    str, "float | None",
]
#: A judgement waiting for its recent-trend marker: its place, the series, its :data:`_Result`, the latest
#: and previous observations, the window, its basis, the annual observations and the latest (up to) five
#: values
_Test = tuple[int, Series, "_Result", Observation, "Observation | None", TrendWindow, str, list[Observation], list[Any]]

#: what a finished judgement needs besides its own: previous, latest, run, direction, warnings
_Result = tuple[ValueAt | None, ValueAt, int, str | None, list[str]]

_IMPROVEMENT = {Polarity.HIGHER_IS_BETTER: "increase", Polarity.LOWER_IS_BETTER: "decrease"}
_JUDGED = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)  # as is_judged
_isfinite = math.isfinite
_new = object.__new__


def _finish_charts(charts: list[_Chart], settings: JudgementSettings, out: list[Any]) -> None:
    """The XmR charts of the waiting judgements, drawn with the decimals their values need (the runs of
    one length in one array, which both the charts, :func:`outcomes.stats.spc.xmr_rows` as
    :func:`~outcomes.stats.xmr_many` does, and the decimals, :func:`.trend_common.decimals_of_block`, read),
    and each judgement finished in its place in ``out`` (described only, without a polarity)."""
    by_length: dict[int, list[_Chart]] = {}
    for c in charts:
        by_length.setdefault(len(c[5]), []).append(c)
    texts: dict[tuple[int, int, int], tuple[str, str]] = {}  # the SPC sentences' spans, by run of periods
    for length, group in by_length.items():
        rows: list[Any] = [c[5] for c in group]
        improvements = [c[8] for c in group]
        targets = [c[9] for c in group]
        if length < 2:  # a run of one point (spc_min_points 1): charted by xmr_many on its own
            found, decimals = xmr_many(rows, improvements=improvements, targets=targets), decimals_of_rows(rows)
        else:
            block = float_rows(rows, length)
            found, decimals = xmr_rows(block, improvements=improvements, targets=targets), decimals_of_block(block)
        for (index, s, result, latest_obs, previous_obs, _, spc_run, spc_periods, _, _), chart, d in zip(
            group, found, decimals, strict=True
        ):
            if s.polarity in _JUDGED:  # is_judged
                j = _spc_judgement(s, chart, spc_run, settings, d, texts)
            else:
                j = _not_judged(s, previous_obs, latest_obs, chart)
            previous, latest, run, direction, warnings = result
            out[index] = (j, previous, latest, run, direction, chart, spc_periods, None, tuple(warnings))


def _finish_tests(tests: list[_Test], settings: JudgementSettings, out: list[Any]) -> None:
    """The recent-trend markers of the waiting judgements in one kernel call, and each judgement finished
    in its place in ``out`` (or its fallback, when the marker cannot be calculated)."""
    markers = trend_marker_objects([t[5] for t in tests])
    decimals = window_decimals([t[8] for t in tests])
    phrases: dict[int, tuple[list[str], str, str]] = {}  # the recent-trend windows' periods as words
    for (index, s, result, latest_obs, previous_obs, window, basis, annual, _), marker, d in zip(
        tests, markers, decimals, strict=True
    ):
        if marker.marker == "cannot be calculated":
            why_not = [f"the recent-trend test could not be calculated ({marker.reason})"]
            out[index] = _fallback(s, settings, result, previous_obs, latest_obs, why_not, marker)
            continue
        j = _recent_trend_words(s, len(annual), annual[-5:], marker, basis, settings, d, phrases, window.periods)
        previous, latest, run, direction, warnings = result
        out[index] = (j, previous, latest, run, direction, None, (), marker, tuple(warnings))


def _remembered_shape(
    obs: list[Observation], latest_period: Period, size: int, shapes: dict[tuple[int, int], tuple[list[Period], Shape]]
) -> Shape:
    """The runs of a series' sequence of periods (:func:`shape_of`), remembered in ``shapes`` by the identity of
    its last period and its length: the same periods (the same objects, which a list comparison checks one by
    one by identity first) or else worked out afresh."""
    own = [o.period for o in obs]
    key = (id(latest_period), size)
    known = shapes.get(key)
    if known is not None and known[0] == own:
        return known[1]
    kind = latest_period.kind
    shape = shape_of(obs, kind in SUB_ANNUAL or (kind is PeriodKind.ROLLING and latest_period.months < 12))
    if known is None:
        shapes[key] = (own, shape)
    return shape


def _begin_general(
    series: Series,
    settings: JudgementSettings,
    intervals: SeriesIntervals | None,
    shapes: dict[tuple[int, int], tuple[list[Period], Shape]],
    obs: list[Observation],
    values: list[float | None],
    size: int,
    every: bool,
    index: int,
) -> Parts | _Chart | _Test:
    """The body of :func:`judge_trend` up to the XmR chart or recent-trend marker it needs, for any series
    (``every``: whether every value is present and finite; ``index``: its place in the answer): the finished
    result when it needs neither, else a :data:`_Chart` or a :data:`_Test` with its request. ``shapes``
    remembers the runs of a sequence of periods, by the identity of its last period and its length (so only
    for the periods of this one call), with the periods to check it against."""
    if every:
        if size == 0:
            return _result(_not_assessed(*_NO_VALUES), None, None, [])
        ok: list[bool] | None = None
        last = size - 1
    else:
        ok = [v is not None and _isfinite(v) for v in values]
        last = size - 1
        while last >= 0 and not ok[last]:
            last -= 1
        if last < 0:
            return _result(_not_assessed(*_NO_VALUES), None, None, [])

    warnings: list[str] = []
    latest_obs = obs[last]
    latest_period = latest_obs.period
    latest = ValueAt(latest_period, latest_obs.value)
    if last < size - 1:
        missing = obs[-1]
        why_missing = f" ({missing.missing_reason})" if missing.missing_reason else ""
        warnings.append(
            f"The latest period {missing.period!s} has no value{why_missing}; judged on {latest_period!s}."
        )
    if latest_obs.status == "provisional":
        warnings.append(f"The latest value ({latest_period!s}) is provisional and may change.")

    start = segment_start(obs, series.breaks, last) if series.breaks else 0
    rows: list[int] | None = None  # the segment's valued rows (worked out below when all are valued)
    if ok is None:
        segment = obs if start == 0 else obs[start : last + 1]  # every value: last is the final row
        run, direction = current_run(values[start : last + 1])  # type: ignore[arg-type]
        valued = last + 1
    else:
        rows = [i for i in range(start, last + 1) if ok[i]]
        segment = [obs[i] for i in rows]
        run, direction = current_run([values[i] for i in rows])  # type: ignore[misc]
        valued = sum(ok[: last + 1])

    if settings.compare_with == "same-period-last-year":
        previous_obs = _previous(series, last, settings)
    elif ok is None:
        previous_obs = obs[last - 1] if last >= 1 else None
    else:
        previous_obs = next((obs[i] for i in range(last - 1, -1, -1) if ok[i]), None)
    previous = ValueAt(previous_obs.period, previous_obs.value) if previous_obs is not None else None
    result: _Result = (previous, latest, run, direction, warnings)
    unit = series.unit

    if valued < 2:
        d = decimals_for(latest_obs.value)
        reason = (
            f"Not assessed: only one value, {format_value(unit, latest_obs.value, d)} "
            f"{period_phrase(latest_period)}; "
            "a trend needs at least two."
        )
        return _done(_not_assessed(reason, "A single point cannot show a change."), result)

    # SPC: a long enough run of consecutive quarters or months (drawn for charts even without polarity)
    kind = latest_period.kind
    sub_annual = kind in SUB_ANNUAL or (kind is PeriodKind.ROLLING and latest_period.months < 12)
    shape: Shape | None = None
    if ok is None and start == 0:  # every value, no break before them: the runs depend on the periods only
        shape = _remembered_shape(obs, latest_period, size, shapes)
        spc_run = obs[shape[0] :] if sub_annual else []  # (the shape's sub_annual is this one)
    else:
        spc_run = _regular_run(obs, start, last) if sub_annual else []
    if not spc_run:
        spc_points = 0
    elif ok is None:
        spc_points = len(spc_run)
    else:
        spc_points = sum(ok[last + 1 - len(spc_run) : last + 1])
    polarity = series.polarity
    if spc_points >= settings.spc_min_points:
        if ok is None:  # the values as given (xmr_many reads them as float64, as float() would)
            spc_values: list[float] = values if len(spc_run) == size else values[size - len(spc_run) :]  # type: ignore[assignment]
        else:
            spc_values = [_f(o.value) for o in spc_run]
        return (
            index, series, result, latest_obs, previous_obs, spc_values, spc_run,
            shape[2] if shape is not None else tuple([o.period for o in spc_run]),
            _IMPROVEMENT.get(polarity or Polarity.NO_JUDGEMENT, "neutral"),  # type: ignore[arg-type]
            series.target.value if series.target is not None else None,
        )

    if polarity not in _JUDGED:
        return _done(_not_judged(series, previous_obs, latest_obs, None), result)

    # the recent-trend test: annual points, with counts and denominators or intervals
    why_not: list[str] = []
    first = shape[1] if shape is not None else _annual_first(segment)
    if first is not None:
        annual = segment[first:]
        # the rows in the series (a range when every value is there: made a list only if needed)
        annual_rows = rows[first:] if rows is not None else range(start + first, last + 1)
        periods = shape[3] if shape is not None else None
        window, note = _trend_window(series, annual, annual_rows, intervals, settings, periods)
        if window is not None:
            return (index, series, result, latest_obs, previous_obs, window, note, annual, [o.value for o in annual[-5:]])
        why_not.append(note)
    elif sub_annual:
        why_not.append(
            f"{plural(latest_period, spc_points)} in a row"
            f"{'' if spc_points == len(segment) else ' (since a gap or break)'}: "
            f"SPC needs {settings.spc_min_points}"
        )
    else:
        why_not.append(
            f"{len(segment)} points that are not a regular quarterly or monthly series "
            "or a run of annual points"
        )
    return _fallback(series, settings, result, previous_obs, latest_obs, why_not, None)


_NO_VALUES = ("Not assessed: the series has no values.", "There is nothing to judge.")

#: whether :func:`judge_trend_tuples` begins the usual series by its quick steps (a test turns it off to
#: compare them with :func:`_begin_general`)
_QUICK = True


def _done(
    j: Judgement, result: _Result, spc: XmR | None = None, spc_periods: tuple[Period, ...] = (), marker: TrendMarker | None = None
) -> Parts:
    previous, latest, run, direction, warnings = result
    return (j, previous, latest, run, direction, spc, spc_periods, marker, tuple(warnings))


def _result(j: Judgement, previous: ValueAt | None, latest: ValueAt | None, warnings: list[str]) -> Parts:
    return (j, previous, latest, 0, None, None, (), None, tuple(warnings))
