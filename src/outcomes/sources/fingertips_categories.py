"""Fingertips ``Category`` rows (deprivation deciles and the like) as breakdowns.csv rows.

Fingertips publishes an indicator's figures by category beside its standard figures: rows with a
``Category Type`` (e.g. ``County & UA deprivation deciles in England (IMD2019, 4/21 geog.)`` for
England, ``LSOA11 deprivation deciles within area (IMD trend)`` for a local area) and a ``Category``
(``Most deprived decile (IMD2019)`` … ``Least deprived decile (IMD2019)``). The converter turns each
into a row of the dataset's ``breakdowns.csv`` (docs/dataset-format.md) on the series of the same
indicator, sex and age, with the category's place among the quantiles (1 = the most deprived) read
from its name, and its ``Denominator`` as its population — what the slope index of inequality needs.
"""

from __future__ import annotations

import re
from typing import Any

from outcomes.model import PeriodKind
from outcomes.sources.fingertips_words import row_period
from outcomes.sources.raw import BREAKDOWN_COLUMNS, Row
from outcomes.sources.table import format_number

__all__ = ["category_quantile", "quantile_count", "category_breakdowns"]

_ORDINALS = {"": 1, "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
             "fifth": 5, "5th": 5}
_KINDS = {"decile": 10, "quintile": 5, "quartile": 4, "tertile": 3}
_NAME = re.compile(r"^\s*(?:(\w+)\s+)?(most|more|less|least)\s+deprived\s+(decile|quintile|quartile|tertile)\b",
                   re.IGNORECASE)
_MIDDLE = re.compile(r"^\s*middle\s+(quintile|tertile)\b", re.IGNORECASE)


def quantile_count(category: str) -> int | None:
    """How many quantiles a category's name speaks of (10 for a decile), or None.

    >>> quantile_count("Second most deprived decile (IMD2019)"), quantile_count("Male")
    (10, None)
    """
    match = re.search(r"\b(decile|quintile|quartile|tertile)\b", category, re.IGNORECASE)
    return _KINDS[match.group(1).lower()] if match else None


def category_quantile(category: str) -> int | None:
    """The quantile (1 = the most deprived) that a Fingertips category name gives, or None.

    Fingertips names deciles ``Most deprived decile``, ``Second most deprived decile``, ``Third more
    deprived decile`` … ``Fifth more deprived decile``, then ``Fifth less deprived decile`` …
    ``Second least deprived decile``, ``Least deprived decile`` (with the index in brackets);
    quintiles likewise, with a ``Middle quintile``.

    >>> [category_quantile(c) for c in ("Most deprived decile (IMD2019)", "Third more deprived decile (IMD2019)",
    ...                                 "Fifth less deprived decile (IMD2019)", "Least deprived decile (IMD2019)",
    ...                                 "Middle quintile", "Second least deprived quintile", "Urban")]
    [1, 3, 6, 10, 3, 4, None]
    """
    middle = _MIDDLE.match(category)
    if middle:
        return (_KINDS[middle.group(1).lower()] + 1) // 2
    match = _NAME.match(category)
    if not match:
        return None
    ordinal, side, kind = (match.group(1) or "").lower(), match.group(2).lower(), match.group(3).lower()
    count = _KINDS[kind]
    place = _ORDINALS.get(ordinal)
    if place is None or place > (count + 1) // 2 or (side in ("most", "least")) != (place <= 2):
        return None
    return place if side in ("most", "more") else count + 1 - place


def category_breakdowns(
    rows: list[Row], series_id: str, *, kind_hint: PeriodKind | None, numbers: Any,
    problems: Any, header: list[str],
) -> list[Row]:
    """breakdowns.csv rows for one indicator's category rows (one sex and age), on ``series_id``.

    ``numbers`` reads a row's Value, Count, Denominator and limits (the converter's reader, which
    reports unreadable cells); A category's quantile is
    given only when its type's categories make a whole set (one of each place 1…N).
    """
    out: list[dict[str, str]] = []
    places: dict[str, set[tuple[int, int]]] = {}
    for row in rows:
        period = row_period(row, kind_hint, problems)
        if period is None:
            continue
        read = numbers(row, problems, header)
        if read is None:
            continue
        values, _ = read
        if values["value"] is None:
            continue
        category_type, category = row.get("Category Type"), row.get("Category")
        quantile = category_quantile(category)
        count = quantile_count(category)
        if quantile is not None and count is not None:
            places.setdefault(f"{category_type}|{row.get('Area Code').upper()}|{period}", set()).add((quantile, count))
        out.append({
            "series": series_id, "area": row.get("Area Code").upper(), "period": str(period),
            "category_type": category_type, "category": category,
            "quantile": str(quantile) if quantile is not None else "",
            "value": format_number(values["value"]), "lower95": format_number(values["lower95"]),
            "upper95": format_number(values["upper95"]), "standard_error": "",
            "population": format_number(values["denominator"]),
            "_set": f"{category_type}|{row.get('Area Code').upper()}|{period}",
        })
    result = []
    for values in out:
        found = places.get(values.pop("_set"), set())
        counts = {c for _, c in found}
        whole = len(counts) == 1 and {q for q, _ in found} == set(range(1, next(iter(counts)) + 1))
        if not whole:
            values["quantile"] = ""
        result.append(Row({c: values.get(c, "") for c in BREAKDOWN_COLUMNS}, "breakdowns.csv", 0))
    return result
