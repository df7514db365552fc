"""What every row of a dataset's series tables is checked for first: that its series is in
``framework.yaml`` (:func:`row_series`) and that its period is one of that series' kind
(:func:`row_period`). Used by ``breakdowns.csv`` and ``inputs.csv``; each problem names the file,
the row, the column and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping

from outcomes.model import Period, PeriodError, Series
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row

#: The fix for a row whose series is not in framework.yaml.
UNKNOWN_SERIES_FIX = "correct the id, or add the series to framework.yaml."


def row_series(row: Row, series_by_id: Mapping[str, Series], problems: Problems, *,
               fix: str = UNKNOWN_SERIES_FIX) -> Series | None:
    """The series the row's ``series`` column names, or ``None`` with a problem on that column."""
    sid = row.get("series")
    series = series_by_id.get(sid)
    if series is None:
        problems.add(row.file, row.location, "series", f"'{sid}' is not a series in framework.yaml.", fix)
    return series


def row_period(row: Row, series: Series, problems: Problems) -> Period | None:
    """The row's ``period`` read as ``series`` declares its periods, or ``None`` with a problem on that column."""
    try:
        return Period.parse(row.get("period"), kind=series.period_kind)
    except PeriodError as exc:
        problems.add(row.file, row.location, "period", str(exc) if row.get("period") else "the period is empty.",
                     f"series {series.id} is declared as {series.period_kind.value}; write its periods that way.")
        return None
