"""Reporting periods: the time a figure covers, as UK councils write it.

A :class:`Period` is a kind (financial year, quarter, calendar year, academic year, month, date or
rolling window) and the inclusive span of days it covers. It parses every notation the seed report
uses, prints one canonical form, orders, and knows its neighbours:

>>> q = Period.parse("Q4 17-18")
>>> q
Period.parse('Q4 2017-18')
>>> q.start, q.end
(datetime.date(2018, 1, 1), datetime.date(2018, 3, 31))
>>> print(q.previous(), q.next(), q.same_period_last_year(), sep=" | ")
Q3 2017-18 | Q1 2018-19 | Q4 2016-17
>>> Period.parse("2016/17") == Period.parse("16-17") == Period.parse("2016-17")
True
>>> print(Period.parse("2016/17", kind="academic-year"))
AY 2016/17
>>> sorted(Period.parse(t) for t in ["Q4 2017-18", "March 2018", "2017-18", "Q3 2017-18"])
[Period.parse('Q3 2017-18'), Period.parse('2017-18'), Period.parse('Q4 2017-18'), Period.parse('March 2018')]

See ``docs/periods.md`` for every accepted notation. Pure standard library. The type is here;
the kinds and the calendar rules a period follows are in :mod:`outcomes.model.period_rules`, and the
notation parser (``Period.parse``'s reader and :func:`parse_published`) in
:mod:`outcomes.model.period_notation`. Import all of them from here.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Any

from outcomes.model.period_rules import (
    _ACCEPTED,
    _KIND_RANK,
    _START_MONTHS,
    _STEP_MONTHS,
    MAX_ROLLING_MONTHS,
    MAX_YEAR,
    MIN_YEAR,
    PeriodError,
    PeriodKind,
    _a,
    _add_months,
    _as_date,
    _coerce_kind,
    _date,
    _long_date,
    _month_end,
    _month_index,
    _month_label,
    _problem,
    _quote,
    _range_message,
    _read_iso,
    _year_span,
)

__all__ = [
    "MAX_ROLLING_MONTHS",
    "MAX_YEAR",
    "MIN_YEAR",
    "Period",
    "PeriodError",
    "PeriodKind",
    "PUBLISHED_SUFFIXES",
    "parse_period",
    "parse_published",
    "period_is_complete",
]


# --------------------------------------------------------------------------------------------------
# The period


@dataclass(frozen=True, repr=False)
class Period:
    """A reporting period: its kind and the days it covers (``start`` to ``end`` inclusive).

    ``months`` is the length in months: 12 for a financial, calendar or academic year, 3 for a
    quarter, 1 for a month, 0 for a date and the window's length for a rolling window. Build one
    with :meth:`parse` or a named constructor; building one directly checks it is well formed:

    >>> Period(PeriodKind.QUARTER, datetime.date(2018, 4, 1), datetime.date(2018, 6, 30), 3)
    Period.parse('Q1 2018-19')
    >>> jan = datetime.date(2018, 1, 1)
    >>> Period("financial-year", jan, datetime.date(2018, 12, 31), 12)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    outcomes.model.period.PeriodError: A financial year runs from 1 April to 31 March, not from 1 January ...

    Periods order by end date, then start date (so of two periods ending the same day the longer comes
    first), then kind; equal periods are the same kind covering the same days, however written.
    """

    kind: PeriodKind
    start: datetime.date
    end: datetime.date
    months: int

    def __post_init__(self) -> None:
        kind = _coerce_kind(self.kind)
        start, end = _as_date(self.start), _as_date(self.end)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        problem = _problem(kind, start, end, self.months)
        if problem:
            raise PeriodError(problem)

    # ---- building -----------------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str | int, *, kind: PeriodKind | str | None = None) -> Period:
        """Read a period from any accepted notation (see ``docs/periods.md``).

        ``kind`` is a hint. It settles notations that are otherwise ambiguous, and the result is
        always of that kind: a text naming exactly the same days as a period of the hinted kind is
        converted (``'12 months to March 2018'`` as a financial year is ``2017-18``); any other
        text of a different kind is an error.

        >>> Period.parse("Q4 2017/18")
        Period.parse('Q4 2017-18')
        >>> Period.parse("201617", kind="academic-year")
        Period.parse('AY 2016/17')
        >>> Period.parse("2017", kind=PeriodKind.FINANCIAL_YEAR)  # DfE: year ending 31 March 2017
        Period.parse('2016-17')
        >>> Period.parse("12 months to March 2018").months
        12
        >>> Period.parse("Q5 2017-18")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        outcomes.model.period.PeriodError: 'Q5 2017-18' is not a period I recognise: quarters are Q1 to ...
        """
        if isinstance(text, bool) or not isinstance(text, str | int):
            raise TypeError(f"A period is read from text, not from {type(text).__name__}.")
        hint = None if kind is None else _coerce_kind(kind)
        cached = _PARSED.get((text, hint))
        if cached is not None:  # periods are immutable: a national file repeats a few dozen notations
            return cached
        period = cls._parse_uncached(text, hint)
        if len(_PARSED) > 100_000:
            _PARSED.clear()
        _PARSED[(text, hint)] = period
        return period

    @classmethod
    def _parse_uncached(cls, text: str | int, hint: PeriodKind | None) -> Period:
        original = str(text)
        cleaned = _clean(original)
        if not cleaned:
            raise PeriodError(
                f"{_quote(original)} is not a period I recognise: the text is empty. {_ACCEPTED}"
            )
        try:
            period = _parse(cleaned, original, hint)
        except PeriodError as error:
            if str(error).startswith(_quote(original)):
                raise
            reason = str(error)
            raise PeriodError(
                f"{_quote(original)} is not a period I recognise: {reason[:1].lower()}{reason[1:]}"
            ) from None
        if hint is not None and period.kind is not hint:
            try:
                period = period.as_kind(hint)
            except PeriodError:
                raise PeriodError(
                    f"{_quote(original)} is {_a(period.kind.noun)} ({period.label('dates')}), "
                    f"but {_a(hint.noun)} was expected, written like '{hint.example}'."
                ) from None
        return period

    @classmethod
    def financial_year(cls, first_year: int) -> Period:
        """The financial year starting 1 April of ``first_year``.

        >>> print(Period.financial_year(2017))
        2017-18
        """
        return cls(PeriodKind.FINANCIAL_YEAR, _date(first_year, 4, 1), _date(first_year + 1, 3, 31), 12)

    @classmethod
    def quarter(cls, first_year: int, number: int) -> Period:
        """Quarter ``number`` (1 = April to June) of the financial year starting in ``first_year``.

        >>> print(Period.quarter(2017, 4))
        Q4 2017-18
        """
        if number not in (1, 2, 3, 4):
            raise PeriodError(
                f"Quarter {number} does not exist: quarters are Q1 to Q4, written like 'Q4 2017-18'."
            )
        year, month = _add_months(first_year, 4, 3 * (number - 1))
        return cls(PeriodKind.QUARTER, _date(year, month, 1), _month_end(*_add_months(year, month, 2)), 3)

    @classmethod
    def calendar_year(cls, year: int) -> Period:
        """The calendar year ``year`` (January to December).

        >>> Period.calendar_year(2018).end
        datetime.date(2018, 12, 31)
        """
        return cls(PeriodKind.CALENDAR_YEAR, _date(year, 1, 1), _date(year, 12, 31), 12)

    @classmethod
    def academic_year(cls, first_year: int) -> Period:
        """The academic year starting 1 September of ``first_year``.

        >>> print(Period.academic_year(2016))
        AY 2016/17
        """
        return cls(PeriodKind.ACADEMIC_YEAR, _date(first_year, 9, 1), _date(first_year + 1, 8, 31), 12)

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One calendar month, e.g. a snapshot taken in it.

        >>> print(Period.month(2018, 3))
        March 2018
        """
        if not 1 <= month <= 12:
            raise PeriodError(f"Month {month} does not exist: months are 1 (January) to 12 (December).")
        return cls(PeriodKind.MONTH, _date(year, month, 1), _month_end(year, month), 1)

    @classmethod
    def snapshot(cls, day: datetime.date) -> Period:
        """A single day, such as 'at 31 March 2018'.

        >>> print(Period.snapshot(datetime.date(2018, 3, 31)))
        31 March 2018
        """
        day = _as_date(day)
        return cls(PeriodKind.DATE, day, day, 0)

    @classmethod
    def rolling(cls, months: int, end_year: int, end_month: int) -> Period:
        """The ``months`` months up to the end of ``end_month`` of ``end_year``.

        >>> print(Period.rolling(12, 2018, 3))
        12 months to March 2018
        """
        if not 1 <= end_month <= 12:
            raise PeriodError(f"Month {end_month} does not exist: months are 1 (January) to 12 (December).")
        if not 1 <= months <= MAX_ROLLING_MONTHS:
            raise PeriodError(f"A rolling window is 1 to {MAX_ROLLING_MONTHS} months long, not {months}.")
        start_year, start_month = _add_months(end_year, end_month, 1 - months)
        return cls(
            PeriodKind.ROLLING, _date(start_year, start_month, 1), _month_end(end_year, end_month), months
        )

    @classmethod
    def containing(cls, day: datetime.date, kind: PeriodKind | str, *, months: int = 12) -> Period:
        """The period of ``kind`` that contains ``day`` (a rolling window ends with ``day``'s month).

        >>> print(Period.containing(datetime.date(2018, 7, 1), "quarter"))
        Q2 2018-19
        >>> print(Period.containing(datetime.date(2018, 3, 15), "financial-year"))
        2017-18
        """
        day, kind = _as_date(day), _coerce_kind(kind)
        if kind is PeriodKind.DATE:
            return cls.snapshot(day)
        if kind is PeriodKind.ROLLING:
            return cls.rolling(months, day.year, day.month)
        step = _STEP_MONTHS[kind]
        first = _START_MONTHS[kind][0]
        offset = (_month_index(day) - (first - 1)) % step
        year, month = _add_months(day.year, day.month, -offset)
        return cls._spanning(kind, _date(year, month, 1), _month_end(*_add_months(year, month, step - 1)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Period:
        """Rebuild a period from :meth:`to_dict` output (or from just ``label`` and ``kind``).

        >>> p = Period.parse("3 months to June 2018")
        >>> Period.from_dict(p.to_dict()) == p
        True
        """
        if "start" in data and "end" in data:
            kind = _coerce_kind(data["kind"])
            period = cls._spanning(kind, _read_iso(data["start"]), _read_iso(data["end"]))
            if "months" in data and int(data["months"]) != period.months:
                raise PeriodError(f"{period} is {period.months} months long, not {data['months']}.")
            return period
        return cls.parse(data["label"], kind=data.get("kind"))

    @classmethod
    def _spanning(cls, kind: PeriodKind, start: datetime.date, end: datetime.date) -> Period:
        """The period of ``kind`` covering exactly ``start`` to ``end`` (PeriodError if there is none)."""
        if kind is PeriodKind.DATE:
            months = 0
        elif kind is PeriodKind.ROLLING:
            months = _month_index(end) - _month_index(start) + 1
        else:
            months = _STEP_MONTHS[kind]
        return cls(kind, start, end, months)

    # ---- printing -----------------------------------------------------------------------------

    def __str__(self) -> str:
        # the long label, worked out once per period: a period never changes, and a judged framework
        # prints each one many times (kept outside the fields, so equality and hashing ignore it)
        try:
            return self.__dict__["_long_label"]  # type: ignore[no-any-return]
        except KeyError:
            text = self.label("long")
            object.__setattr__(self, "_long_label", text)
            return text

    def __repr__(self) -> str:
        return f"Period.parse({str(self)!r})"

    def __format__(self, spec: str) -> str:
        if not spec:  # f"{period}": the long label
            return str(self)
        if spec in ("long", "short", "dates"):
            return self.label(spec)
        return format(str(self), spec)

    def label(self, style: str = "long") -> str:
        """The period as text. ``long`` is the canonical form (``str(period)``); ``short`` the seed's
        compact form; ``dates`` the first and last day in words, for screen readers and footnotes.

        The short form uses two-digit years only where they read back unambiguously (first years
        1969 to 2068); outside that window it is the long form.

        >>> q = Period.parse("Q4 2017-18")
        >>> q.label(), q.label("short"), q.label("dates")
        ('Q4 2017-18', 'Q4 17-18', '1 January 2018 to 31 March 2018')
        >>> [Period.parse(t).label("short") for t in ["2016-17", "AY 2016/17", "March 2018", "31 March 2018"]]
        ['16-17', 'AY 16/17', 'Mar 2018', '31 Mar 2018']
        """
        if style not in ("long", "short", "dates"):
            raise ValueError(f"Unknown label style {style!r}: use 'long', 'short' or 'dates'.")
        short = style == "short"
        kind, start, end = self.kind, self.start, self.end
        if style == "dates":
            if kind is PeriodKind.DATE:
                return _long_date(start)
            return f"{_long_date(start)} to {_long_date(end)}"
        if kind is PeriodKind.FINANCIAL_YEAR:
            return _year_span(start.year, "-", short)
        if kind is PeriodKind.QUARTER:
            first_year = start.year if start.month >= 4 else start.year - 1
            number = ((start.month - 4) % 12) // 3 + 1
            return f"Q{number} {_year_span(first_year, '-', short)}"
        if kind is PeriodKind.CALENDAR_YEAR:
            return str(start.year)
        if kind is PeriodKind.ACADEMIC_YEAR:
            return f"AY {_year_span(start.year, '/', short)}"
        if kind is PeriodKind.MONTH:
            return _month_label(end, short)
        if kind is PeriodKind.DATE:
            return f"{start.day} {_month_label(start, short)}"
        unit = "month" if self.months == 1 else "months"
        return f"{self.months} {unit} to {_month_label(end, short)}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description.

        >>> Period.parse("Q4 17-18").to_dict()
        {'kind': 'quarter', 'label': 'Q4 2017-18', 'start': '2018-01-01', 'end': '2018-03-31', 'months': 3}
        """
        return {
            "kind": self.kind.value,
            "label": str(self),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "months": self.months,
        }

    # ---- neighbours ---------------------------------------------------------------------------

    def shift(self, steps: int) -> Period:
        """The period ``steps`` periods of this kind and length later (earlier if negative).

        A rolling window steps by its own length, so the windows do not overlap; a date steps by a day.

        >>> print(Period.parse("Q1 2018-19").shift(-2))
        Q3 2017-18
        >>> print(Period.parse("3 months to June 2018").shift(1))
        3 months to September 2018
        """
        if self.kind is PeriodKind.DATE:
            try:
                day = self.start + datetime.timedelta(days=steps)
            except OverflowError:
                raise PeriodError(_range_message()) from None
            return Period.snapshot(day)
        return self._moved(self._step() * steps)

    def previous(self) -> Period:
        """The period immediately before: same kind and length, ending the day before this starts.

        >>> print(Period.parse("Q1 2018-19").previous())
        Q4 2017-18
        >>> print(Period.parse("12 months to March 2018").previous())
        12 months to March 2017
        """
        return self.shift(-1)

    def next(self) -> Period:
        """The period immediately after.

        >>> print(Period.parse("Q4 2017-18").next())
        Q1 2018-19
        """
        return self.shift(1)

    def same_period_last_year(self) -> Period:
        """The same period a year earlier (for a year, that is :meth:`previous`).

        A snapshot on 29 February compares with 28 February of the year before.

        >>> print(Period.parse("Q4 17-18").same_period_last_year())
        Q4 2016-17
        >>> print(Period.parse("29 February 2020").same_period_last_year())
        28 February 2019
        """
        if self.kind is PeriodKind.DATE:
            year, month = self.start.year - 1, self.start.month
            day = min(self.start.day, calendar.monthrange(year, month)[1])
            return Period.snapshot(_date(year, month, day))
        return self._moved(-12)

    def is_like_for_like(self, other: Period) -> bool:
        """Whether the two periods can be compared directly: same kind and same length.

        A rolling 12 months and a financial year are different kinds, so not like for like even when
        they cover the same days; convert one with :meth:`as_kind` first.

        >>> Period.parse("Q4 2017-18").is_like_for_like(Period.parse("Q3 2017-18"))
        True
        >>> Period.parse("Q4 2017-18").is_like_for_like(Period.parse("2017-18"))
        False
        >>> Period.parse("12 months to March 2018").is_like_for_like(Period.parse("2017-18"))
        False
        """
        return isinstance(other, Period) and self.kind is other.kind and self.months == other.months

    def steps_between(self, other: Period) -> int | None:
        """How many periods of this kind from this one to ``other`` (negative if ``other`` is earlier).

        None when the two are not like for like, or when ``other`` is not a whole number of steps away
        (rolling windows that overlap).

        >>> Period.parse("Q2 16-17").steps_between(Period.parse("Q4 17-18"))
        6
        >>> Period.parse("2017-18").steps_between(Period.parse("Q4 17-18")) is None
        True
        """
        if not self.is_like_for_like(other):
            return None
        if self.kind is PeriodKind.DATE:
            return (other.start - self.start).days
        months = _month_index(other.start) - _month_index(self.start)
        steps, remainder = divmod(months, self._step())
        return None if remainder else steps

    def as_kind(self, kind: PeriodKind | str) -> Period:
        """The same days seen as a period of another kind (PeriodError if they are not one).

        >>> print(Period.parse("12 months to March 2018").as_kind("financial-year"))
        2017-18
        >>> print(Period.parse("Q4 2017-18").as_kind("rolling"))
        3 months to March 2018
        """
        target = _coerce_kind(kind)
        if target is self.kind:
            return self
        try:
            return Period._spanning(target, self.start, self.end)
        except PeriodError:
            raise PeriodError(f"{self} ({self.label('dates')}) is not {_a(target.noun)}.") from None

    # ---- questions ----------------------------------------------------------------------------

    def contains(self, day: datetime.date | Period) -> bool:
        """Whether ``day`` (or every day of a period) falls within this period.

        >>> Period.parse("2017-18").contains(datetime.date(2018, 3, 31))
        True
        >>> Period.parse("2017-18").contains(Period.parse("Q1 18-19"))
        False
        """
        if isinstance(day, Period):
            return self.start <= day.start and day.end <= self.end
        return self.start <= _as_date(day) <= self.end

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date | Period) and self.contains(day)

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods share at least one day.

        >>> Period.parse("12 months to June 2018").overlaps(Period.parse("2017-18"))
        True
        """
        return self.start <= other.end and other.start <= self.end

    def is_complete(self, as_of: datetime.date) -> bool:
        """Whether the period is over by ``as_of``: its last day is before ``as_of``.

        >>> Period.parse("Q4 2017-18").is_complete(datetime.date(2018, 3, 31))
        False
        >>> Period.parse("Q4 2017-18").is_complete(datetime.date(2018, 4, 1))
        True
        """
        return self.end < _as_date(as_of)

    # ---- ordering -----------------------------------------------------------------------------

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.date, int]:
        """End date, then start date (the longer period first), then kind in declaration order."""
        return (self.end, self.start, _KIND_RANK[self.kind])

    def __eq__(self, other: object) -> bool:
        # what the dataclass would write, with the common case first: a parsed period is shared
        # (``parse`` remembers its notations), so the two sides are often the same object
        if self is other:
            return True
        if other.__class__ is not self.__class__:
            return NotImplemented
        return (  # the fields one by one, the likeliest to differ first
            self.end == other.end  # type: ignore[attr-defined]
            and self.start == other.start  # type: ignore[attr-defined]
            and self.kind == other.kind  # type: ignore[attr-defined]
            and self.months == other.months  # type: ignore[attr-defined]
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key <= other.sort_key

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key > other.sort_key

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key >= other.sort_key

    # ---- internals ----------------------------------------------------------------------------

    def _step(self) -> int:
        return self.months if self.kind is PeriodKind.ROLLING else _STEP_MONTHS[self.kind]

    def _moved(self, months: int) -> Period:
        start_year, start_month = _add_months(self.start.year, self.start.month, months)
        end_year, end_month = _add_months(self.end.year, self.end.month, months)
        return Period(
            self.kind, _date(start_year, start_month, 1), _month_end(end_year, end_month), self.months
        )


def parse_period(text: str | int, *, kind: PeriodKind | str | None = None) -> Period:
    """Read a period: the same as :meth:`Period.parse`.

    >>> print(parse_period("Mar 2018"))
    March 2018
    """
    return Period.parse(text, kind=kind)


_PARSED: dict[tuple[str | int, PeriodKind | None], Period] = {}


def period_is_complete(period: Period, as_of: datetime.date) -> bool:
    """Whether ``period`` has ended by ``as_of`` (its last day is before ``as_of``).

    >>> period_is_complete(Period.parse("2017-18"), datetime.date(2018, 7, 1))
    True
    >>> period_is_complete(Period.parse("2018-19"), datetime.date(2018, 7, 1))
    False
    """
    return period.is_complete(as_of)


# The notation parser builds Periods, so it is read once Period exists (``outcomes.model`` imports this
# module first, so the parser always finds Period defined).
from outcomes.model.period_notation import PUBLISHED_SUFFIXES, _clean, _parse, parse_published  # noqa: E402
