"""The notation parser: reading a period as people and publishers write it.

``_parse`` (behind :meth:`Period.parse <outcomes.model.period.Period.parse>`) tries each notation in
turn (dates, rolling windows, quarters, numeric months, year spans, years, months) and says why a
text is not a period; :func:`parse_published` also reads what publishers print (multi-year ranges,
``2017/18 Q3``, a bracketed suffix such as ``(Rev)``). Every accepted notation is in
``docs/periods.md``; the decision is ADR 0008.
"""

from __future__ import annotations

import calendar
import datetime
import difflib
import re
import unicodedata

from outcomes.model.period import Period
from outcomes.model.period_rules import (
    _ACCEPTED,
    _MONTH_NAMES,
    _MONTH_WORDS,
    _NUMBER_WORDS,
    _START_MONTHS,
    MAX_ROLLING_MONTHS,
    MAX_YEAR,
    MIN_YEAR,
    PeriodError,
    PeriodKind,
    _a,
    _add_months,
    _coerce_kind,
    _date,
    _expand_year,
    _month_end,
    _quote,
    _year_span,
)

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
