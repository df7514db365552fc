"""Confidence intervals for every observation of many series at once (one stats call per unit type).

Published limits (``lower95``/``upper95``, and ``lower998``/``upper998``) are used as given. Limits
that a series' method computed from its raw inputs (``inputs.csv``: DSR, ISR, SMR, life expectancy,
mean; see :mod:`outcomes.sources.derived`) are used too, and say which method made them.
Otherwise they are computed, with the public-health methods of :mod:`outcomes.stats`:

* a percentage with numerator and denominator: Wilson score limits (``proportion_interval``, × 100);
* a rate per N with numerator and denominator: Poisson limits of the count, exact below 10 events and
  Byar's from 10 (``rate_interval``, multiplier N), one call per distinct N;
* a count: Poisson limits of the count itself (``poisson_interval``).

Other units (ratio, currency, number) get no computed interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import isfinite
from operator import attrgetter, countOf

import numpy as np
from numpy.typing import NDArray

from outcomes.model import Observation, Period, Series, Unit
from outcomes.stats import poisson_interval, proportion_interval, rate_interval

__all__ = ["INTERVAL_SOURCES", "IntervalPoint", "SeriesIntervals", "compute_intervals"]

#: How an interval was obtained, by code.
INTERVAL_SOURCES: dict[str, str] = {
    "given": "published limits",
    "wilson": "Wilson score limits from the numerator and denominator",
    "poisson-rate": (
        "Poisson limits of the count (exact below 10 events, Byar's from 10) over the denominator"
    ),
    "poisson-count": "Poisson limits of the count (exact below 10 events, Byar's from 10)",
    "dsr": "Dobson limits of the directly standardised rate, computed from the age bands",
    "isr": (
        "limits of the indirectly standardised rate, computed from the age bands "
        "(exact Poisson below 10 events, Byar's from 10)"
    ),
    "smr": (
        "limits of the standardised ratio, computed from the age bands (exact Poisson below 10 events, Byar's from 10)"
    ),
    "life-expectancy": "life-table limits (Chiang II with Silcocks' adjustment), computed from deaths and populations",
    "mean": "Student's t limits of the mean, computed from the values",
}

_NONE, _GIVEN, _WILSON, _RATE, _COUNT = range(5)
_CODES = ("", "given", "wilson", "poisson-rate", "poisson-count", "dsr", "isr", "smr", "life-expectancy", "mean")
#: The methods that made published limits, by name (any other published limits are "given").
_METHOD_CODES = {code: i for i, code in enumerate(_CODES) if i > _COUNT}


@dataclass(frozen=True)
class IntervalPoint:
    """One observation's value and limits, for charts (``source`` is a key of :data:`INTERVAL_SOURCES`)."""

    period: Period
    value: float | None
    lower95: float | None
    upper95: float | None
    lower998: float | None
    upper998: float | None
    source: str

    def to_dict(self) -> dict[str, object]:
        return {
            "period": str(self.period),
            "value": self.value,
            "lower95": self.lower95,
            "upper95": self.upper95,
            "lower998": self.lower998,
            "upper998": self.upper998,
            "source": self.source,
        }


def _opt(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


_Columns = tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int8]
]


class SeriesIntervals:
    """The limits of one series' observations, aligned with ``series.observations`` (NaN where none).

    ``lower95``, ``upper95``, ``lower998``, ``upper998`` (floats) and ``sources`` (codes of
    :data:`INTERVAL_SOURCES`, 0 for none) are arrays, read-only. :func:`compute_intervals` makes
    each series' one as a window onto the arrays of all the series: the series' own arrays are cut
    on first use, and :meth:`has`, :meth:`limits` and :meth:`source` read the shared arrays directly
    (most series are only ever asked about their latest observation). The series of one call that
    have no limit at all share one window per length, onto all-NaN arrays that cannot be written.
    """

    __slots__ = ("_columns", "_cut", "_size", "_start")

    def __init__(
        self,
        lower95: NDArray[np.float64],
        upper95: NDArray[np.float64],
        lower998: NDArray[np.float64],
        upper998: NDArray[np.float64],
        sources: NDArray[np.int8],
    ) -> None:
        self._columns: _Columns = (lower95, upper95, lower998, upper998, sources)
        self._cut: _Columns | None = self._columns
        self._start = 0
        self._size = len(sources)

    @classmethod
    def _window(cls, columns: _Columns, start: int, size: int) -> SeriesIntervals:
        """Observations ``start`` to ``start + size - 1`` of ``columns`` (the arrays of many series)."""
        window = cls.__new__(cls)
        window._columns = columns
        window._cut = None
        window._start = start
        window._size = size
        return window

    def _arrays(self) -> _Columns:
        cut = self._cut
        if cut is None:
            a, b = self._start, self._start + self._size
            lo, hi, lo998, hi998, sources = self._columns
            cut = self._cut = (lo[a:b], hi[a:b], lo998[a:b], hi998[a:b], sources[a:b])
        return cut

    @property
    def lower95(self) -> NDArray[np.float64]:
        return self._arrays()[0]

    @property
    def upper95(self) -> NDArray[np.float64]:
        return self._arrays()[1]

    @property
    def lower998(self) -> NDArray[np.float64]:
        return self._arrays()[2]

    @property
    def upper998(self) -> NDArray[np.float64]:
        return self._arrays()[3]

    @property
    def sources(self) -> NDArray[np.int8]:
        return self._arrays()[4]

    def has(self, index: int) -> bool:
        """Whether observation ``index`` has both 95% limits."""
        size = self._size  # (index checked in each of these three: one is asked once or more per series)
        i = index + size if index < 0 else index
        if not 0 <= i < size:
            raise IndexError(f"observation {index} is out of range: the series has {size}")
        row = self._start + i
        columns = self._columns
        return isfinite(columns[0].item(row)) and isfinite(columns[1].item(row))

    def source(self, index: int) -> str:
        size = self._size
        i = index + size if index < 0 else index
        if not 0 <= i < size:
            raise IndexError(f"observation {index} is out of range: the series has {size}")
        return _CODES[self._columns[4].item(self._start + i)]

    def limits(self, index: int) -> tuple[float, float, float, float]:
        size = self._size
        i = index + size if index < 0 else index
        if not 0 <= i < size:
            raise IndexError(f"observation {index} is out of range: the series has {size}")
        row = self._start + i
        lo, hi, lo998, hi998, _ = self._columns
        return lo.item(row), hi.item(row), lo998.item(row), hi998.item(row)

    def points(self, series: Series) -> list[IntervalPoint]:
        """The observations that have limits, as :class:`IntervalPoint` s."""
        out: list[IntervalPoint] = []
        for i in np.flatnonzero(self.sources):
            o = series.observations[int(i)]
            out.append(
                IntervalPoint(
                    o.period,
                    o.value,
                    _opt(self.lower95[i]),
                    _opt(self.upper95[i]),
                    _opt(self.lower998[i]),
                    _opt(self.upper998[i]),
                    _CODES[int(self.sources[i])],
                )
            )
        return out


def _usable(x: float | None) -> bool:
    return x is not None and bool(np.isfinite(x))


def cannot_have_limits(unit: Unit, o: Observation) -> bool:
    """Whether :func:`compute_intervals` certainly gives observation ``o`` (of a series in ``unit``)
    no 95% limits: none published, and nothing to compute them from. (False means it may.)

    >>> from outcomes.model import Period
    >>> o = Observation("x", "E1", Period.parse("2017-18"), 59.4)
    >>> cannot_have_limits(Unit("rate", per=10_000), o), cannot_have_limits(Unit("count"), o)
    (True, False)
    """
    if _usable(o.lower95) and _usable(o.upper95):
        return False
    kind = unit.type
    if kind == "count":
        return not (_usable(o.value) and o.value is not None and o.value >= 0)
    if kind == "percentage" or (kind == "rate" and unit.per):
        return not (_usable(o.numerator) and _usable(o.denominator))
    return True


def compute_intervals(series_list: Sequence[Series]) -> list[SeriesIntervals]:
    """Limits for every observation of every series: given where published, else computed, vectorised.

    >>> from outcomes.model import Observation, Period, PeriodKind, Series, Unit, Polarity
    >>> p = Period.parse("2017-18")
    >>> s = Series("x", "X", Unit("rate", per=10_000), Polarity.LOWER_IS_BETTER, PeriodKind.FINANCIAL_YEAR,
    ...            observations=[Observation("x", "E1", p, 59.4, numerator=706, denominator=118_855)])
    >>> (iv,) = compute_intervals([s])
    >>> iv.source(0), round(float(iv.lower95[0]), 1), round(float(iv.upper95[0]), 1)
    ('poisson-rate', 55.1, 63.9)
    """
    observations: list[Observation] = []
    kinds: list[int] = []
    pers: list[float] = []
    sizes: list[int] = []
    ratios: list[Observation] = []  # the observations of percentages and rates (numerators and denominators)
    counted: list[Observation] = []  # the observations of counts
    for s in series_list:
        unit = s.unit
        if unit.type == "percentage":
            kind = _WILSON
        elif unit.type == "rate" and unit.per:
            kind = _RATE
        elif unit.type == "count":
            kind = _COUNT
        else:
            kind = _NONE
        obs = s.observations
        observations.extend(obs)
        if kind == _COUNT:
            counted.extend(obs)
        elif kind != _NONE:
            ratios.extend(obs)
        sizes.append(len(obs))
        kinds.append(kind)
        pers.append(float(unit.per or 0))

    total = len(observations)

    def column(name: str, rows: list[Observation] = observations) -> NDArray[np.float64]:  # None reads as NaN
        n = len(rows)
        field = attrgetter(name)
        if n and field(rows[0]) is None and countOf(map(field, rows), None) == n:  # e.g. no limits published
            return np.full(n, np.nan)
        try:  # (straight from the observations: no list of the values)
            return np.fromiter(map(field, rows), np.float64, n)
        except TypeError:  # some None among the numbers: NumPy reads them as NaN
            return np.array(list(map(field, rows)), dtype=np.float64)

    kind_arr = np.repeat(np.asarray(kinds, dtype=np.int8), sizes)
    lo = column("lower95")
    given = np.isfinite(lo)
    if given.any():  # (no lower limit anywhere: no upper ones need reading)
        hi = column("upper95")
        given &= np.isfinite(hi)
    given_rows = np.flatnonzero(given)
    sources = np.zeros(total, dtype=np.int8)
    if len(given_rows):  # published limits: the 99.8% ones only with both 95% ones, as is the method
        lo998, hi998 = column("lower998"), column("upper998")
        given998 = given & np.isfinite(lo998) & np.isfinite(hi998)
        lo998 = np.where(given998, lo998, np.nan)
        hi998 = np.where(given998, hi998, np.nan)
        lo = np.where(given, lo, np.nan)
        hi = np.where(given, hi, np.nan)
        sources[given_rows] = [_METHOD_CODES.get(observations[i].interval_method, _GIVEN) for i in given_rows.tolist()]
    else:  # nothing published: every limit is computed, or none
        lo, hi, lo998, hi998 = (np.full(total, np.nan) for _ in range(4))
    wanted = ~given
    num, den, value = np.full(total, np.nan), np.full(total, np.nan), np.full(total, np.nan)
    if ratios:  # read for the observations of the series that use them only
        rows = np.flatnonzero((kind_arr == _WILSON) | (kind_arr == _RATE))
        num[rows], den[rows] = column("numerator", ratios), column("denominator", ratios)
    has_counts = np.isfinite(num) & np.isfinite(den)
    if counted:
        value[kind_arr == _COUNT] = column("value", counted)
    per_arr = np.repeat(np.asarray(pers, dtype=np.float64), sizes)

    todo = wanted & has_counts & (kind_arr == _WILSON)
    if todo.any():
        _, l95, u95 = proportion_interval(num[todo], den[todo], multiplier=100)
        _, l998, u998 = proportion_interval(num[todo], den[todo], multiplier=100, confidence=0.998)
        _fill(todo, l95, u95, l998, u998, lo, hi, lo998, hi998, sources, _WILSON)

    rate_rows = wanted & has_counts & (kind_arr == _RATE)
    for per in np.unique(per_arr[rate_rows]):
        todo = rate_rows & (per_arr == per)
        _, l95, u95 = rate_interval(num[todo], den[todo], multiplier=float(per))
        _, l998, u998 = rate_interval(num[todo], den[todo], multiplier=float(per), confidence=0.998)
        _fill(todo, l95, u95, l998, u998, lo, hi, lo998, hi998, sources, _RATE)

    todo = wanted & (kind_arr == _COUNT) & np.isfinite(value) & (value >= 0)
    if todo.any():
        l95, u95 = poisson_interval(value[todo])
        l998, u998 = poisson_interval(value[todo], confidence=0.998)
        _fill(todo, l95, u95, l998, u998, lo, hi, lo998, hi998, sources, _COUNT)

    columns: _Columns = (lo, hi, lo998, hi998, sources)
    # a series none of whose observations has limits gets the one window of its size onto empty arrays
    # (a third of a framework, often): the same answers, and one object for them all
    lengths = np.asarray(sizes, dtype=np.intp)
    ends = np.cumsum(lengths)
    with_limits = np.concatenate(([0], np.cumsum(sources != 0)))
    empty = (with_limits[ends] == with_limits[ends - lengths]).tolist()
    nothing: dict[int, SeriesIntervals] = {}
    window = SeriesIntervals._window
    out: list[SeriesIntervals] = []
    keep = out.append
    start = 0
    for size, none in zip(sizes, empty, strict=True):
        if none:
            shared = nothing.get(size)
            if shared is None:
                shared = nothing[size] = _empty_window(size)
            keep(shared)
        else:
            keep(window(columns, start, size))
        start += size
    return out


def _empty_window(size: int) -> SeriesIntervals:
    """The limits of ``size`` observations none of which has any (NaN, source 0), read-only."""
    nan = np.full(size, np.nan)
    nan.flags.writeable = False
    none = np.zeros(size, dtype=np.int8)
    none.flags.writeable = False
    return SeriesIntervals(nan, nan, nan, nan, none)


def _fill(
    mask: NDArray[np.bool_],
    l95: NDArray[np.float64],
    u95: NDArray[np.float64],
    l998: NDArray[np.float64],
    u998: NDArray[np.float64],
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    lo998: NDArray[np.float64],
    hi998: NDArray[np.float64],
    sources: NDArray[np.int8],
    code: int,
) -> None:
    """Write computed limits into the rows of ``mask`` that got a finite 95% interval."""
    l95, u95 = np.atleast_1d(l95), np.atleast_1d(u95)
    ok = np.isfinite(l95) & np.isfinite(u95)
    rows = np.flatnonzero(mask)[ok]
    lo[rows], hi[rows] = l95[ok], u95[ok]
    lo998[rows], hi998[rows] = np.atleast_1d(l998)[ok], np.atleast_1d(u998)[ok]
    sources[rows] = code
