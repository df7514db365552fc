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

Speed (ADR 0018): the series are grouped by how their limits are computed (kind of unit, and a
rate's N); one pass over each group's observations reads the fields its method needs and looks at
each lower limit (any observation may have published limits; only if one has are the published
columns read, for every observation). Both levels are computed in one call per block of 8,192
observations (the limits do not depend on the block: the temporaries stay in the processor's cache).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import isfinite

import numpy as np
from numpy.typing import NDArray

from outcomes.model import Observation, Period, Series, Unit
from outcomes.stats.intervals import Limits, poisson_limits, proportion_limits, rate_limits

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


def _kind(unit: Unit) -> tuple[int, float]:
    """How the limits of a series in ``unit`` are computed, and over how many (a rate's N)."""
    kind = unit.type
    if kind == "percentage":
        return _WILSON, 0.0
    if kind == "rate" and unit.per:
        return _RATE, float(unit.per)
    if kind == "count":
        return _COUNT, 0.0
    return _NONE, 0.0


def _column(values: list[float | None]) -> NDArray[np.float64]:
    """One field of many observations as floats, None as NaN."""
    try:
        return np.fromiter(values, np.float64, len(values))
    except TypeError:  # some None among the numbers: NumPy reads them as NaN
        return np.array(values, dtype=np.float64)


_LEVELS = (0.95, 0.998)
_NO_COLUMN = np.empty(0)
#: Observations whose limits are computed in one call (the limits are the same whatever the block).
_BLOCK = 8192


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
    obs_lists = [s.observations for s in series_list]
    sizes = list(map(len, obs_lists))
    total = sum(sizes)
    lengths = np.fromiter(sizes, np.intp, len(sizes))
    ends = np.cumsum(lengths)
    starts = ends - lengths

    # the series by how their limits are computed: one group per kind (and, for rates, per N)
    units = [s.unit for s in series_list]
    unit_ids = list(map(id, units))  # (a framework's series share a few unit objects)
    group_numbers: dict[tuple[int, float], int] = {(_NONE, 0.0): 0}
    group_of: dict[int, int] = {}
    for key, unit in dict(zip(unit_ids, units, strict=True)).items():
        group_of[key] = group_numbers.setdefault(_kind(unit), len(group_numbers))
    series_groups = np.fromiter(map(group_of.__getitem__, unit_ids), np.intp, len(unit_ids))

    # one pass over each group's observations reads the fields its method needs and looks at the
    # lower limit (any observation may have published limits): each observation is visited once
    published = False
    groups: list[tuple[int, float, NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]] = []
    for (kind, per), group in group_numbers.items():
        members = np.flatnonzero(series_groups == group).tolist()
        if not members:
            continue
        lists = [obs_lists[i] for i in members]
        if kind == _NONE:
            if not published:
                lows = [o.lower95 for obs in lists for o in obs]
                published = lows.count(None) != len(lows)
            continue
        first: list[float | None] = []
        second: list[float | None] = []
        put_first, put_second = first.append, second.append
        if kind == _COUNT:
            for obs in lists:
                for o in obs:
                    put_first(o.value)
                    if o.lower95 is not None:
                        published = True
        else:
            for obs in lists:
                for o in obs:
                    put_first(o.numerator)
                    put_second(o.denominator)
                    if o.lower95 is not None:
                        published = True
        chosen = np.asarray(members, dtype=np.intp)
        counts = lengths[chosen]
        offsets = np.cumsum(counts) - counts
        rows = np.repeat(starts[chosen] - offsets, counts) + np.arange(len(first))
        groups.append((kind, per, rows, _column(first), _column(second) if second else _NO_COLUMN))

    wanted: NDArray[np.bool_] | None = None  # the rows without published limits (None: all of them)
    if published:
        lo, hi, lo998, hi998, sources, wanted = _published(obs_lists)
    else:  # nothing published: every limit is computed, or none
        lo, hi, lo998, hi998 = (np.full(total, np.nan) for _ in range(4))
        sources = np.zeros(total, dtype=np.int8)

    # the computed limits, one group at a time, both levels in one call
    for kind, per, rows, first_column, second_column in groups:
        if kind == _COUNT:
            ok = np.isfinite(first_column) & (first_column >= 0)
        else:
            ok = np.isfinite(first_column) & np.isfinite(second_column)
        if wanted is not None:
            ok &= wanted[rows]
        if not ok.all():
            rows, first_column = rows[ok], first_column[ok]
            if kind != _COUNT:
                second_column = second_column[ok]
        # in blocks whose temporaries stay in the processor's cache (and in memory the allocator keeps:
        # an array of a whole framework's counts is handed back to the system and faulted in again)
        for at in range(0, len(rows), _BLOCK):
            block = slice(at, at + _BLOCK)
            if kind == _WILSON:
                levels = proportion_limits(first_column[block], second_column[block], _LEVELS, multiplier=100)
            elif kind == _RATE:
                levels = rate_limits(first_column[block], second_column[block], _LEVELS, multiplier=per)
            else:
                levels = poisson_limits(first_column[block], _LEVELS)
            _fill(rows[block], levels, lo, hi, lo998, hi998, sources, kind)

    columns: _Columns = (lo, hi, lo998, hi998, sources)
    # a series none of whose observations has limits gets the one window of its size onto empty arrays
    # (a third of a framework, often): the same answers, and one object for them all
    with_limits = np.concatenate(([0], np.cumsum(sources != 0)))
    empty = (with_limits[ends] == with_limits[starts]).tolist()
    nothing: dict[int, SeriesIntervals] = {}
    window = SeriesIntervals._window
    out: list[SeriesIntervals] = []
    keep = out.append
    for start, size, none in zip(starts.tolist(), sizes, empty, strict=True):
        if none:
            shared = nothing.get(size)
            if shared is None:
                shared = nothing[size] = _empty_window(size)
            keep(shared)
        else:
            keep(window(columns, start, size))
    return out


def _published(
    obs_lists: list[list[Observation]],
) -> tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.int8],
    NDArray[np.bool_],
]:
    """The published limits, their sources, and the rows that have none (to be computed)."""
    observations = [o for obs in obs_lists for o in obs]
    total = len(observations)
    lo = _column([o.lower95 for o in observations])
    given = np.isfinite(lo)
    if given.any():  # (no lower limit anywhere: no upper ones need reading)
        hi = _column([o.upper95 for o in observations])
        given &= np.isfinite(hi)
    given_rows = np.flatnonzero(given)
    sources = np.zeros(total, dtype=np.int8)
    if len(given_rows):  # published limits: the 99.8% ones only with both 95% ones, as is the method
        lo998 = _column([o.lower998 for o in observations])
        hi998 = _column([o.upper998 for o in observations])
        given998 = given & np.isfinite(lo998) & np.isfinite(hi998)
        lo998 = np.where(given998, lo998, np.nan)
        hi998 = np.where(given998, hi998, np.nan)
        lo = np.where(given, lo, np.nan)
        hi = np.where(given, hi, np.nan)
        sources[given_rows] = [_METHOD_CODES.get(observations[i].interval_method, _GIVEN) for i in given_rows.tolist()]
    else:
        lo, hi, lo998, hi998 = (np.full(total, np.nan) for _ in range(4))
    return lo, hi, lo998, hi998, sources, ~given


def _empty_window(size: int) -> SeriesIntervals:
    """The limits of ``size`` observations none of which has any (NaN, source 0), read-only."""
    nan = np.full(size, np.nan)
    nan.flags.writeable = False
    none = np.zeros(size, dtype=np.int8)
    none.flags.writeable = False
    return SeriesIntervals(nan, nan, nan, nan, none)


def _fill(
    rows: NDArray[np.intp],
    levels: Limits,
    lo: NDArray[np.float64],
    hi: NDArray[np.float64],
    lo998: NDArray[np.float64],
    hi998: NDArray[np.float64],
    sources: NDArray[np.int8],
    code: int,
) -> None:
    """Write computed limits (95% and 99.8%) into those of ``rows`` that got a finite 95% interval."""
    (l95, u95), (l998, u998) = levels
    ok = np.isfinite(l95) & np.isfinite(u95)
    if not ok.all():
        rows, l95, u95, l998, u998 = rows[ok], l95[ok], u95[ok], l998[ok], u998[ok]
    lo[rows], hi[rows] = l95, u95
    lo998[rows], hi998[rows] = l998, u998
    sources[rows] = code
