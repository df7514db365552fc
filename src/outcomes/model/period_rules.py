"""The kinds of reporting period and the calendar rules they follow.

:class:`PeriodKind` and :class:`PeriodError` (both shown, and imported, as ``outcomes.model.period``'s),
the years a period may touch, what each kind is called and how long it is, the checks that a
kind and a span of days make a period, month arithmetic, and the helpers that print a period's
parts. Pure standard library; the type itself is :class:`outcomes.model.period.Period`.
"""

from __future__ import annotations

import calendar
import datetime
import re
from enum import StrEnum
from typing import Any

MIN_YEAR = 1900
"""The earliest year a period may touch."""
MAX_YEAR = 2199
"""The latest year a period may touch."""
MAX_ROLLING_MONTHS = 120
"""The longest rolling window, in months (ten years)."""


class PeriodError(ValueError):
    """A period could not be read or built; the message says why and how to write it."""


PeriodError.__module__ = "outcomes.model.period"  # where it is imported from, shown in tracebacks and pickles


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


PeriodKind.__module__ = "outcomes.model.period"

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


def _expand_year(two_digits: int) -> int:
    """A two-digit year, read as strptime's %y does: 69-99 are the 1900s, 00-68 the 2000s."""
    return 1900 + two_digits if two_digits >= 69 else 2000 + two_digits
