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

See ``docs/periods.md`` for every accepted notation. Pure standard library; nothing else in
``outcomes`` is imported here.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

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

MIN_YEAR = 1900
"""The earliest year a period may touch."""
MAX_YEAR = 2199
"""The latest year a period may touch."""
MAX_ROLLING_MONTHS = 120
"""The longest rolling window, in months (ten years)."""


class PeriodError(ValueError):
    """A period could not be read or built; the message says why and how to write it."""


class PeriodKind(StrEnum):
    """What sort of period a :class:`Period` is.

    Besides the values below, ``PeriodKind(...)`` accepts the member names and common words, case
    and punctuation ignored, including DfE ``time_identifier`` values:

    >>> PeriodKind("Financial year"), PeriodKind("academic_year")
    (<PeriodKind.FINANCIAL_YEAR: 'financial-year'>, <PeriodKind.ACADEMIC_YEAR: 'academic-year'>)
    >>> PeriodKind("Reporting year")  # DfE: the reporting year ending 31 March
    <PeriodKind.FINANCIAL_YEAR: 'financial-year'>
    >>> str(PeriodKind.QUARTER)
    'quarter'
    """

    FINANCIAL_YEAR = "financial-year"
    QUARTER = "quarter"
    CALENDAR_YEAR = "calendar-year"
    ACADEMIC_YEAR = "academic-year"
    MONTH = "month"
    DATE = "date"
    ROLLING = "rolling"

    @property
    def noun(self) -> str:
        """The kind in words: 'financial year', 'rolling window', ..."""
        return _NOUNS[self]

    @property
    def example(self) -> str:
        """A canonical example of the kind, for messages: '2017-18', 'Q4 2017-18', ..."""
        return _EXAMPLES[self]

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if isinstance(value, str):
            return _KIND_ALIASES.get(re.sub(r"[\s_\-]+", " ", value.strip().lower()))
        return None


_NOUNS = {
    PeriodKind.FINANCIAL_YEAR: "financial year",
    PeriodKind.QUARTER: "quarter",
    PeriodKind.CALENDAR_YEAR: "calendar year",
    PeriodKind.ACADEMIC_YEAR: "academic year",
    PeriodKind.MONTH: "month",
    PeriodKind.DATE: "date",
    PeriodKind.ROLLING: "rolling window",
}
_EXAMPLES = {
    PeriodKind.FINANCIAL_YEAR: "2017-18",
    PeriodKind.QUARTER: "Q4 2017-18",
    PeriodKind.CALENDAR_YEAR: "2018",
    PeriodKind.ACADEMIC_YEAR: "AY 2017/18",
    PeriodKind.MONTH: "March 2018",
    PeriodKind.DATE: "31 March 2018",
    PeriodKind.ROLLING: "12 months to March 2018",
}
_KIND_ALIASES = {
    **{kind.name.lower().replace("_", " "): kind for kind in PeriodKind},
    **{kind.value.replace("-", " "): kind for kind in PeriodKind},
    "fy": PeriodKind.FINANCIAL_YEAR,
    "financial": PeriodKind.FINANCIAL_YEAR,
    "reporting year": PeriodKind.FINANCIAL_YEAR,  # DfE: the reporting year ending 31 March
    "q": PeriodKind.QUARTER,
    "financial quarter": PeriodKind.QUARTER,
    "cy": PeriodKind.CALENDAR_YEAR,
    "calendar": PeriodKind.CALENDAR_YEAR,
    "ay": PeriodKind.ACADEMIC_YEAR,
    "academic": PeriodKind.ACADEMIC_YEAR,
    "snapshot": PeriodKind.DATE,
    "snapshot date": PeriodKind.DATE,
    "day": PeriodKind.DATE,
    "rolling window": PeriodKind.ROLLING,
    "rolling months": PeriodKind.ROLLING,
}
_KIND_RANK = {kind: rank for rank, kind in enumerate(PeriodKind)}
# Months a step of each kind moves; a rolling window steps by its own length; a date by one day.
_STEP_MONTHS = {
    PeriodKind.FINANCIAL_YEAR: 12,
    PeriodKind.QUARTER: 3,
    PeriodKind.CALENDAR_YEAR: 12,
    PeriodKind.ACADEMIC_YEAR: 12,
    PeriodKind.MONTH: 1,
}
# The month each fixed kind may start in.
_START_MONTHS = {
    PeriodKind.FINANCIAL_YEAR: (4,),
    PeriodKind.QUARTER: (1, 4, 7, 10),
    PeriodKind.CALENDAR_YEAR: (1,),
    PeriodKind.ACADEMIC_YEAR: (9,),
    PeriodKind.MONTH: tuple(range(1, 13)),
}

_MONTH_NAMES = tuple(calendar.month_name)[1:]
_MONTH_ABBRS = tuple(calendar.month_abbr)[1:]
_MONTH_WORDS = {
    **{name.lower(): n for n, name in enumerate(_MONTH_NAMES, 1)},
    **{abbr.lower(): n for n, abbr in enumerate(_MONTH_ABBRS, 1)},
    "sept": 9,
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty four": 24,
    "twenty-four": 24, "thirty six": 36, "thirty-six": 36,
}  # fmt: skip

_ACCEPTED = (
    "Write a financial year like '2017-18', '2017/18' or '17-18'; a quarter like 'Q4 2017-18' or "
    "'Q4 17-18'; a calendar year like '2018'; an academic year like 'AY 2017/18'; a month like "
    "'March 2018'; a date like '31 March 2018', '31/03/2018' or '2018-03-31'; or a rolling window "
    "like '12 months to March 2018'."
)


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
        return self.label("long")

    def __repr__(self) -> str:
        return f"Period.parse({str(self)!r})"

    def __format__(self, spec: str) -> str:
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

#: Suffixes publishers print after a period, and what they say (kept as the observation's note).
#: ``(Rev)``/``(R)``/``(r)``: revised figures (GSS symbol ``r``; LAIT prints ``(Rev)``); ``(P)``/``(p)``:
#: provisional (GSS ``p``); ``(F)``: final. Any other bracketed letters (LAIT prints ``(OT)``) are
#: kept as written: the notation is read, the marker is not interpreted.
PUBLISHED_SUFFIXES = {"rev": "revised", "r": "revised", "revised": "revised", "p": "provisional",
                      "prov": "provisional", "provisional": "provisional", "f": "final", "final": "final"}
_SUFFIX = re.compile(r"^(?P<body>.*?\d)\s*[(\[](?P<mark>[A-Za-z][A-Za-z .]{0,15})[)\]]$")
_RANGE_YEARS = re.compile(r"^(?P<a>\d{4})\s*-\s*(?P<b>\d{2}|\d{4})$")
_RANGE_SPLIT = re.compile(r"^(?P<a>\d{4})/(?P<a2>\d{2})\s*-\s*(?P<b>\d{2}|\d{4})/(?P<b2>\d{2})$")
_SPLIT_QUARTER = re.compile(r"^(?P<a>\d{4})/(?P<b>\d{2})\s*(?P<q>Q[1-4])$", re.IGNORECASE)


def parse_published(text: str | int, *, kind: PeriodKind | str | None = None) -> tuple[Period, str]:
    """Read a period as a publisher prints it; return it with what its suffix says ('' for none).

    Everything :meth:`Period.parse` reads, and: multi-year ranges (Fingertips, LAIT), which are rolling
    windows ending with the last year (``2014-16``, ``2016 - 18``: three calendar years, 36 months to
    December; ``2015/16 - 17/18``: three financial years, 36 months to March, or to August with the
    academic-year hint); ``2017/18 Q3`` (Fingertips); and a bracketed suffix (``2018 (Rev)``,
    ``2016-17 (OT)``), which is kept, not guessed at. See ``docs/periods.md``.

    >>> [(str(p), note) for p, note in map(parse_published, ["2014-16", "2016 - 18", "2018 (Rev)", "2016-17 (OT)"])]
    [('36 months to December 2016', ''), ('36 months to December 2018', ''), ('2018', 'revised'), ('2016-17', "published as '(OT)'")]
    >>> str(parse_published("2015/16 - 17/18")[0]), str(parse_published("2015/16 - 17/18", kind="academic-year")[0])
    ('36 months to March 2018', '36 months to August 2018')
    >>> str(parse_published("2017/18 Q3")[0]), str(parse_published("2018 Q1")[0])
    ('Q3 2017-18', 'Q4 2017-18')
    """
    hint = None if kind is None else _coerce_kind(kind)
    cached = _PUBLISHED.get((text, hint))
    if cached is None:
        cached = _parse_published(text, hint)
        if len(_PUBLISHED) > 100_000:
            _PUBLISHED.clear()
        _PUBLISHED[(text, hint)] = cached
    return cached


_PUBLISHED: dict[tuple[str | int, PeriodKind | None], tuple[Period, str]] = {}


def _parse_published(text: str | int, hint: PeriodKind | None) -> tuple[Period, str]:
    t = " ".join(_DASHES.sub("-", str(text)).split())
    note = ""
    if m := _SUFFIX.match(t):
        mark = m.group("mark").strip()
        note = PUBLISHED_SUFFIXES.get(mark.lower().rstrip("."), f"published as '({mark})'")
        t = m.group("body").strip()
    if m := _RANGE_YEARS.match(t):
        first, last = int(m.group("a")), _full_year(int(m.group("a")), m.group("b"))
        if last - first >= 2 or (last - first == 1 and len(m.group("b")) == 4 and hint is PeriodKind.ROLLING):
            return Period.rolling(12 * (last - first + 1), last, 12), note
    if m := _RANGE_SPLIT.match(t):
        first, last = int(m.group("a")), _full_year(int(m.group("a")), m.group("b"))
        if last > first:
            academic = hint is PeriodKind.ACADEMIC_YEAR
            return Period.rolling(12 * (last - first + 1), last + 1, 8 if academic else 3), note
    if m := _SPLIT_QUARTER.match(t):
        return Period.parse(f"{m.group('q').upper()} {m.group('a')}-{m.group('b')}"), note
    if hint is PeriodKind.ROLLING:
        return Period.parse(t), note
    return Period.parse(t, kind=hint), note


def _full_year(first: int, digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    year = first // 100 * 100 + int(digits)
    return year if year >= first else year + 100


def period_is_complete(period: Period, as_of: datetime.date) -> bool:
    """Whether ``period`` has ended by ``as_of`` (its last day is before ``as_of``).

    >>> period_is_complete(Period.parse("2017-18"), datetime.date(2018, 7, 1))
    True
    >>> period_is_complete(Period.parse("2018-19"), datetime.date(2018, 7, 1))
    False
    """
    return period.is_complete(as_of)


# --------------------------------------------------------------------------------------------------
# Validation and date arithmetic


def _problem(kind: PeriodKind, start: datetime.date, end: datetime.date, months: int) -> str:
    """Why these fields do not make a period of ``kind`` ('' if they do)."""
    if start.year < MIN_YEAR or end.year > MAX_YEAR:
        return _range_message()
    span = f"from {_long_date(start)} to {_long_date(end)}"
    if end < start:
        return f"A period cannot end before it starts ({span})."
    if kind is PeriodKind.DATE:
        if start != end or months != 0:
            return f"A date is a single day with a length of 0 months, not {span} ({months} months)."
        return ""
    if start.day != 1 or end != _month_end(end.year, end.month):
        return f"{_a(kind.noun, capital=True)} runs from the first to the last day of a month, not {span}."
    length = _month_index(end) - _month_index(start) + 1
    if kind is PeriodKind.ROLLING:
        if not 1 <= length <= MAX_ROLLING_MONTHS:
            return f"A rolling window is 1 to {MAX_ROLLING_MONTHS} months long, not {length} ({span})."
        if months != length:
            return f"A rolling window {span} is {length} months long, not {months}."
        return ""
    expected = _STEP_MONTHS[kind]
    if length != expected or start.month not in _START_MONTHS[kind]:
        return f"{_a(kind.noun, capital=True)} {_RULES[kind]}, not {span}."
    if months != expected:
        return f"{_a(kind.noun, capital=True)} is {expected} months long, not {months}."
    return ""


_RULES = {
    PeriodKind.FINANCIAL_YEAR: "runs from 1 April to 31 March",
    PeriodKind.QUARTER: "is three months starting in January, April, July or October",
    PeriodKind.CALENDAR_YEAR: "runs from 1 January to 31 December",
    PeriodKind.ACADEMIC_YEAR: "runs from 1 September to 31 August",
    PeriodKind.MONTH: "is one whole calendar month",
}


def _range_message() -> str:
    return f"Periods must fall within the years {MIN_YEAR} to {MAX_YEAR}."


def _coerce_kind(kind: PeriodKind | str) -> PeriodKind:
    try:
        return PeriodKind(kind)
    except ValueError:
        known = ", ".join(repr(k.value) for k in PeriodKind)
        raise PeriodError(f"{_quote(str(kind))} is not a kind of period: use one of {known}.") from None


def _as_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        return _read_iso(value)
    raise TypeError(f"Expected a date, not {type(value).__name__}.")


def _read_iso(value: Any) -> datetime.date:
    if isinstance(value, datetime.date):
        return _as_date(value)
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise PeriodError(f"{_quote(str(value))} is not a date written like '2018-03-31'.") from None


def _date(year: int, month: int, day: int) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_range_message())
    return datetime.date(year, month, day)


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    new_year, new_month = divmod(year * 12 + month - 1 + months, 12)
    return new_year, new_month + 1


def _month_end(year: int, month: int) -> datetime.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_range_message())
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# --------------------------------------------------------------------------------------------------
# Printing helpers


def _two_digit_reads_back(year: int) -> bool:
    return _expand_year(year % 100) == year and _expand_year((year + 1) % 100) == year + 1


def _year_span(first_year: int, sep: str, short: bool) -> str:
    second = f"{(first_year + 1) % 100:02d}"
    if short and _two_digit_reads_back(first_year):
        return f"{first_year % 100:02d}{sep}{second}"
    return f"{first_year}{sep}{second}"


def _month_label(day: datetime.date, short: bool) -> str:
    names = _MONTH_ABBRS if short else _MONTH_NAMES
    return f"{names[day.month - 1]} {day.year}"


def _long_date(day: datetime.date) -> str:
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


def _a(noun: str, *, capital: bool = False) -> str:
    article = "an" if noun[0] in "aeiou" else "a"
    return f"{article.capitalize() if capital else article} {noun}"


def _quote(text: str) -> str:
    text = text if len(text) <= 60 else text[:57] + "..."
    return repr(text)


# --------------------------------------------------------------------------------------------------
# Parsing

_DASHES = re.compile("[\u2010-\u2015\u2212\ufe58\ufe63]")
_YEAR_MARKERS = {
    "fy": PeriodKind.FINANCIAL_YEAR,
    "financial year": PeriodKind.FINANCIAL_YEAR,
    "ay": PeriodKind.ACADEMIC_YEAR,
    "academic year": PeriodKind.ACADEMIC_YEAR,
}
_MARKER = r"fy|financial year|ay|academic year"
_SPAN = r"(?P<a>\d{2}|\d{4})[-/](?P<b>\d{2}|\d{4})"

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_NUMERIC_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})", re.ASCII)
_WORD_DATE = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?(?: of)?[ -]([a-z]+)\.?,?[ -](\d{4}|\d{2})", re.ASCII)
_ROLLING = re.compile(
    r"(?:rolling )?(?:(?P<year>year|twelve months)|(?P<n>[a-z0-9-]+(?: four| six)?) months?)(?: rolling)?"
    r" (?:to|ending|ended|up to|to end of|to the end of)(?: (?P<rest>.*))?",
    re.ASCII,
)
_QUARTER_FIRST = re.compile(r"(?:q|quarter ?)(?P<q>\d+)(?: of)?(?: (?P<rest>.*))?", re.ASCII)
_QUARTER_LAST = re.compile(r"(?P<rest>.+?) ?(?:q|quarter ?)(?P<q>\d+)", re.ASCII)
_CALENDAR_QUARTER = re.compile(r"(?P<year>\d{4})[ -]?(?:q|quarter ?)(?P<q>\d+)", re.ASCII)
_YEAR_SPAN = re.compile(rf"(?:(?P<pre>{_MARKER}):? ?)?{_SPAN}(?: (?P<post>{_MARKER}))?", re.ASCII)
_DFE_CODE = re.compile(r"(?P<a>\d{4})(?P<b>\d{2})", re.ASCII)
_YEAR = re.compile(
    r"(?:(?P<pre>cy|calendar year|year) ?)?(?P<year>\d{4})(?: (?P<post>calendar year))?", re.ASCII
)
_MARKED_YEAR = re.compile(rf"(?P<marker>{_MARKER}):? ?(?P<year>\d{{4}})", re.ASCII)
_MONTH_YEAR = re.compile(r"(?P<mon>[a-z]+)\.?(?P<sep>[ -])(?P<year>\d{4}|\d{2})", re.ASCII)
_NUMERIC_MONTH = re.compile(r"(?:(?P<y1>\d{4})-(?P<m1>\d{1,2})|(?P<m2>\d{1,2})/(?P<y2>\d{4}))", re.ASCII)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = _DASHES.sub("-", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = re.sub(r"\s*([-/])\s*", r"\1", text)
    return re.sub(r"^(?:as at|as of|at)\s+", "", text)


def _expand_year(two_digits: int) -> int:
    """A two-digit year, read as strptime's %y does: 69-99 are the 1900s, 00-68 the 2000s."""
    return 1900 + two_digits if two_digits >= 69 else 2000 + two_digits


def _year(digits: str, text: str) -> int:
    year = int(digits) if len(digits) == 4 else _expand_year(int(digits))
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(
            f"{_quote(text)} is not a period I recognise: years must be {MIN_YEAR} to {MAX_YEAR}."
        )
    return year


def _fail(text: str, reason: str) -> PeriodError:
    return PeriodError(f"{_quote(text)} is not a period I recognise: {reason}")


def _parse(text: str, original: str, hint: PeriodKind | None) -> Period:
    for reader in (_read_date, _read_rolling, _read_quarter, _read_numeric_month, _read_year_span, _read_year,
                   _read_month):  # fmt: skip
        period = reader(text, original, hint)
        if period is not None:
            return period
    if re.search(r"\bq\d", text):
        raise _fail(original, "a quarter is written like 'Q4 2017-18' (Q1 is April to June).")
    if re.search(r"\bmonths?\b", text):
        raise _fail(original, "a rolling window is written like '12 months to March 2018'.")
    raise PeriodError(f"{_quote(original)} is not a period I recognise. {_ACCEPTED}")


def _read_date(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = match.group(1), match.group(2), match.group(3)
    elif match := _NUMERIC_DATE.fullmatch(text):
        day, month, year = match.group(1), match.group(3), match.group(4)
    elif match := _WORD_DATE.fullmatch(text):
        day, year = match.group(1), match.group(3)
        month = str(_month_number(match.group(2), original))
    else:
        return None
    return Period.snapshot(_real_date(_year(year, original), int(month), int(day), original))


def _real_date(year: int, month: int, day: int, original: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise PeriodError(
            f"{_quote(original)} is not a real date: there are only 12 months "
            "(dates are written day first, like '31/03/2018', or as '2018-03-31')."
        )
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise PeriodError(
            f"{_quote(original)} is not a real date: {_MONTH_NAMES[month - 1]} {year} has {last} days."
        )
    return datetime.date(year, month, day)


def _month_number(word: str, original: str) -> int:
    number = _MONTH_WORDS.get(word)
    if number is not None:
        return number
    close = difflib.get_close_matches(word, list(_MONTH_WORDS), n=1, cutoff=0.6)
    suggestion = ""
    if close:
        suggestion = f" (did you mean '{_MONTH_NAMES[_MONTH_WORDS[close[0]] - 1]}'?)"
    raise _fail(
        original,
        f"'{word.capitalize()}' is not a month{suggestion}. Write months like 'March 2018' or 'Mar 2018'.",
    )


def _read_rolling(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    match = _ROLLING.fullmatch(text)
    if match is None:
        return None
    if match.group("year"):
        months = 12
    else:
        word = match.group("n")
        if word.isdigit():
            months = int(word)
        elif word in _NUMBER_WORDS:
            months = _NUMBER_WORDS[word]
        else:
            raise _fail(original, f"'{word}' is not a number of months; write rolling windows like "
                                  "'12 months to March 2018'.")  # fmt: skip
    if not 1 <= months <= MAX_ROLLING_MONTHS:
        raise _fail(original, f"a rolling window is 1 to {MAX_ROLLING_MONTHS} months long, "
                              "written like '12 months to March 2018'.")  # fmt: skip
    rest = match.group("rest")
    if not rest:
        raise _fail(
            original, "a rolling window needs the month it ends in, written like '12 months to March 2018'."
        )
    end = _read_month(rest, original, PeriodKind.MONTH) or _read_numeric_month(
        rest, original, PeriodKind.MONTH
    )
    if end is None:
        last_day = _read_date(rest, original, None)
        if last_day is None:
            raise _fail(original, "a rolling window ends in a month, written like '12 months to March 2018'.")
        if last_day.end != _month_end(last_day.end.year, last_day.end.month):
            raise _fail(original, "a rolling window ends at the end of a month, written like "
                                  "'12 months to March 2018'.")  # fmt: skip
        end = last_day
    return Period.rolling(months, end.end.year, end.end.month)


def _read_quarter(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    calendar_quarter = _CALENDAR_QUARTER.fullmatch(text)
    match = calendar_quarter or _QUARTER_FIRST.fullmatch(text) or _QUARTER_LAST.fullmatch(text)
    if match is None:
        return None
    number = int(match.group("q"))
    if not 1 <= number <= 4:
        raise _fail(original, "quarters are Q1 to Q4, written like 'Q4 2017-18'.")
    if calendar_quarter:
        # Calendar quarter: 2018 Q1 is January to March 2018, which is Q4 of 2017-18.
        year = _year(match.group("year"), original)
        start_year, start_month = year, 3 * number - 2
        return Period(PeriodKind.QUARTER, _date(start_year, start_month, 1),
                      _month_end(start_year, start_month + 2), 3)  # fmt: skip
    rest = match.group("rest")
    if not rest:
        raise _fail(
            original, "a quarter needs its financial year, written like 'Q4 2017-18' (Q1 is April to June)."
        )
    if re.fullmatch(r"\d{4}", rest):
        year = int(rest)
        raise PeriodError(
            f"{_quote(original)} is ambiguous: write 'Q{number} {_year_span(year, '-', False)}' for the "
            f"financial quarter, or '{year} Q{number}' for the calendar quarter "
            f"({_MONTH_NAMES[3 * number - 3]} to {_MONTH_NAMES[3 * number - 1]} {year})."
        )
    span = _YEAR_SPAN.fullmatch(rest)
    if span is None or _YEAR_MARKERS.get(span.group("pre") or span.group("post") or "fy") is not (
        PeriodKind.FINANCIAL_YEAR
    ):
        if match.re is _QUARTER_LAST:
            return None
        raise _fail(
            original, "a quarter is written with its financial year, like 'Q4 2017-18' (Q1 is April to June)."
        )
    first_year = _span_first_year(span, original, PeriodKind.FINANCIAL_YEAR)
    return Period.quarter(first_year, number)


def _span_first_year(match: re.Match[str], original: str, kind: PeriodKind) -> int:
    first = _year(match.group("a"), original)
    second = match.group("b")
    if int(second) != (first + 1 if len(second) == 4 else (first + 1) % 100):
        example = Period._spanning(kind, *_year_bounds(kind, first)).label()
        month = ""
        digits = match.group("a")
        if len(digits) == 4 and len(second) == 2 and 1 <= int(second) <= 12:
            month = f" For a month, write '{_MONTH_NAMES[int(second) - 1]} {digits}'."
        elif len(digits) == 2 and len(second) == 4 and 1 <= int(digits) <= 12:
            month = f" For a month, write '{_MONTH_NAMES[int(digits) - 1]} {second}'."
        raise _fail(
            original,
            f"{_a(kind.noun)} runs from one year into the next, written like '{example}'; "
            f"periods of several years, or running backwards, are not supported.{month}",
        )
    return first


def _year_bounds(kind: PeriodKind, first_year: int) -> tuple[datetime.date, datetime.date]:
    start_month = _START_MONTHS[kind][0]
    end_year, end_month = _add_months(first_year, start_month, 11)
    return _date(first_year, start_month, 1), _month_end(end_year, end_month)


def _read_year_span(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    match = _YEAR_SPAN.fullmatch(text)
    if match is None:
        return _read_dfe_code(text, original, hint)
    markers = {_YEAR_MARKERS[m] for m in (match.group("pre"), match.group("post")) if m}
    if len(markers) > 1:
        raise _fail(original, "it says both financial and academic year.")
    if markers:
        kind = markers.pop()
    else:
        kind = PeriodKind.ACADEMIC_YEAR if hint is PeriodKind.ACADEMIC_YEAR else PeriodKind.FINANCIAL_YEAR
    first = _span_first_year(match, original, kind)
    return Period._spanning(kind, *_year_bounds(kind, first))


def _read_dfe_code(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    match = _DFE_CODE.fullmatch(text)
    if match is None:
        return None
    if hint not in (PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR):
        raise PeriodError(
            f"{_quote(original)} looks like a DfE time_period code: say whether it is a financial or an "
            "academic year by passing kind='financial-year' or kind='academic-year'."
        )
    first = _span_first_year(match, original, hint)
    return Period._spanning(hint, *_year_bounds(hint, first))


def _read_year(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    if marked := _MARKED_YEAR.fullmatch(text):
        kind = _YEAR_MARKERS[marked.group("marker")]
        year = _year(marked.group("year"), original)
        before, after = (Period._spanning(kind, *_year_bounds(kind, y)) for y in (year - 1, year))
        raise PeriodError(
            f"{_quote(original)} is ambiguous: write the {kind.noun} in full, like '{before}' or '{after}'."
        )
    match = _YEAR.fullmatch(text)
    if match is None:
        return None
    year = _year(match.group("year"), original)
    explicit = bool(match.group("pre") or match.group("post"))
    if explicit or hint in (None, PeriodKind.CALENDAR_YEAR):
        return Period.calendar_year(year)
    if hint in (PeriodKind.FINANCIAL_YEAR, PeriodKind.ACADEMIC_YEAR):
        # DfE style: a bare year names the reporting year that ends in it.
        return Period._spanning(hint, *_year_bounds(hint, year - 1))
    assert hint is not None
    raise PeriodError(
        f"{_quote(original)} is a year, but {_a(hint.noun)} was expected, written like '{hint.example}'."
    )


def _read_numeric_month(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    """'2018-03' or '03/2018' as a month, only when a month is expected ('2002-03' is a financial year)."""
    if hint is not PeriodKind.MONTH:
        return None
    match = _NUMERIC_MONTH.fullmatch(text)
    if match is None:
        return None
    year, month = int(match.group("y1") or match.group("y2")), int(match.group("m1") or match.group("m2"))
    if not 1 <= month <= 12:
        return None
    return Period.month(_year(str(year), original), month)


def _read_month(text: str, original: str, hint: PeriodKind | None) -> Period | None:
    match = _MONTH_YEAR.fullmatch(text)
    if match is None:
        return None
    month = _month_number(match.group("mon"), original)
    digits = match.group("year")
    if len(digits) == 2 and match.group("sep") != "-":
        raise _fail(original, "write the year in full, like 'March 2018' (or 'Mar-18').")
    return Period.month(_year(digits, original), month)
