"""A series' figures by category (breakdowns.csv): e.g. life expectancy by deprivation decile.

Each row is one category of one area and period (Fingertips calls these ``Category`` rows). Rows
with a ``quantile`` (1 = the most deprived) form an inequality breakdown, from which the judge
computes the slope index of inequality. See docs/dataset-format.md.
"""

from __future__ import annotations

from collections.abc import Mapping

from outcomes.model import Breakdown, Period, Series
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.rows import row_period, row_series

__all__ = ["read_breakdowns"]


def _number(text: str) -> float:
    from outcomes.sources.build import parse_number  # build imports this module

    return parse_number(text, allow_percent=True)


def read_breakdowns(rows: list[Row], series_by_id: Mapping[str, Series], problems: Problems) -> None:
    """Validate ``rows`` and add each as a :class:`Breakdown` to its series; problems name row and column."""
    seen: dict[tuple[str, str, Period, str, str], int] = {}
    for row in rows:
        add = problems.add
        before = len(problems)
        sid = row.get("series")
        series = row_series(row, series_by_id, problems)
        if series is None:
            continue
        period = row_period(row, series, problems)
        for column in ("area", "category_type", "category"):
            if not row.get(column):
                add(row.file, row.location, column, f"{column} is empty.",
                    "write the area code, the kind of breakdown (e.g. 'Deprivation deciles (IMD2019)') "
                    "and the category (e.g. 'Most deprived decile').")
        numbers: dict[str, float | None] = {}
        for column in ("value", "lower95", "upper95", "standard_error", "population"):
            text = row.get(column)
            if not text:
                numbers[column] = None
                continue
            try:
                numbers[column] = _number(text)
            except ValueError:
                add(row.file, row.location, column, f"'{text}' is not a number.", "write a plain number.")
        if numbers.get("value") is None and not row.get("value"):
            add(row.file, row.location, "value", "the value is empty.", "write the figure for this category.")
        lower, upper = numbers.get("lower95"), numbers.get("upper95")
        if (lower is None) != (upper is None):
            add(row.file, row.location, "lower95" if lower is None else "upper95",
                "only one limit of the interval is given.", "give both limits or neither.")
        elif lower is not None and upper is not None and lower > upper:
            add(row.file, row.location, "lower95", f"the lower limit {lower:g} is above the upper limit {upper:g}.",
                "swap them.")
        se = numbers.get("standard_error")
        if se is not None and se < 0:
            add(row.file, row.location, "standard_error", f"the standard error {se:g} is negative.",
                "a standard error is zero or more.")
        population = numbers.get("population")
        if population is not None and population <= 0:
            add(row.file, row.location, "population", f"the population {population:g} is not positive.",
                "give the population of the category (above zero).")
        quantile: int | None = None
        if row.get("quantile"):
            text = row.get("quantile")
            if text.isdigit() and int(text) >= 1:
                quantile = int(text)
            else:
                add(row.file, row.location, "quantile", f"'{text}' is not a quantile number.",
                    "number the categories 1, 2, 3, ... with 1 the most deprived.")
        if len(problems) > before or period is None:
            continue
        key = (sid, row.get("area"), period, row.get("category_type"), row.get("category"))
        if key in seen:
            add(row.file, row.location, "category", f"this category is also on row {seen[key]}.",
                "keep one row per series, area, period and category.")
            continue
        seen[key] = row.number
        series.breakdowns.append(Breakdown(
            area=row.get("area"), period=period, category_type=row.get("category_type"),
            category=row.get("category"), value=numbers["value"], quantile=quantile, lower95=lower, upper95=upper,
            population=population, standard_error=numbers.get("standard_error"), origin=f"{row.file} {row.location}",
        ))
