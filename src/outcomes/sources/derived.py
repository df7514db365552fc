"""Observations computed from raw inputs by a series' declared method (inputs.csv).

A series may declare ``method: dsr | isr | smr | life-expectancy | mean`` in framework.yaml and
carry its raw inputs in ``inputs.csv``: one row per age band (or, for a mean, per value) for each
area and period. Each group of rows becomes one observation whose value and 95%/99.8% limits are
computed with :mod:`outcomes.stats`, exactly as the PHE/OHID methods define them; the judge then
compares benchmarks on those limits as on any other. See docs/dataset-format.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from outcomes.model import MethodInput, Observation, Period, Series, SeriesMethod
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.rows import row_period, row_series
from outcomes.stats import dsr_interval, isr_interval, life_expectancy, mean_interval, smr_interval
from outcomes.stats.life_expectancy import LIFE_TABLE_START_AGES

__all__ = ["METHOD_COLUMNS", "derive_observations"]

#: The inputs.csv columns each method needs on every row.
METHOD_COLUMNS: dict[str, tuple[str, ...]] = {
    "dsr": ("band", "count", "population", "standard_population"),
    "isr": ("band", "count", "population", "reference_count", "reference_population"),
    "smr": ("band", "count", "population", "reference_count", "reference_population"),
    "life-expectancy": ("band", "count", "population"),
    "mean": ("value",),
}
_WHAT = {
    "band": "the age band (e.g. 0-4, 85-89, 90+)",
    "count": "the events (deaths, admissions) in the band",
    "population": "the population (or person-years) of the band",
    "reference_count": "the reference (e.g. England) events in the band",
    "reference_population": "the reference population of the band",
    "standard_population": "the standard population of the band (e.g. the European Standard Population 2013)",
    "value": "one value",
}
_BAND_START = re.compile(r"^\s*(\d+)")


@dataclass
class _Group:
    series: Series
    area: str
    period: Period
    rows: list[Row] = field(default_factory=list)
    numbers: list[dict[str, float]] = field(default_factory=list)


def _number(text: str) -> float:
    from outcomes.sources.build import parse_number  # build imports this module

    return parse_number(text)


def _read_rows(
    rows: list[Row], series_by_id: Mapping[str, Series], problems: Problems
) -> dict[tuple, _Group]:
    groups: dict[tuple, _Group] = {}
    for row in rows:
        add = problems.add
        before = len(problems)
        sid = row.get("series")
        series = row_series(row, series_by_id, problems,
                            fix="correct the id, or add the series (with its method) to framework.yaml.")
        if series is None:
            continue
        if series.method is None:
            add(
                row.file,
                row.location,
                "series",
                f"series {sid} declares no method, so its inputs cannot be used.",
                "add 'method:' (dsr, isr, smr, life-expectancy or mean) to the series in framework.yaml, "
                "or put its figures in observations.csv instead.",
            )
            continue
        area = row.get("area")
        if not area:
            add(row.file, row.location, "area", "the area is empty.", "write the area code.")
        period = row_period(row, series, problems)
        numbers: dict[str, float] = {}
        for column in METHOD_COLUMNS[series.method.name]:
            text = row.get(column)
            if not text:
                add(
                    row.file,
                    row.location,
                    column,
                    f"{column} is empty; the {series.method.name} method needs it.",
                    f"write {_WHAT[column]}.",
                )
                continue
            if column == "band":
                continue
            try:
                numbers[column] = _number(text)
            except ValueError:
                add(row.file, row.location, column, f"'{text}' is not a number.", "write a plain number.")
                continue
            if numbers[column] < 0 and column != "value":
                add(
                    row.file,
                    row.location,
                    column,
                    f"{column} {text} is negative.",
                    "counts and populations cannot be below zero.",
                )
        if len(problems) > before or period is None:
            continue
        key = (sid, area, period)
        group = groups.setdefault(key, _Group(series, area, period))
        group.rows.append(row)
        group.numbers.append(numbers)
    return groups


def _check_bands(group: _Group, problems: Problems) -> list[int] | None:
    """Rows in band order for the age-band methods, with problems for repeated or missing bands."""
    method = group.series.method
    assert method is not None
    if method.name == "mean":
        return list(range(len(group.rows)))
    labels = [row.get("band") for row in group.rows]
    first = group.rows[0]
    seen: dict[str, int] = {}
    for row, label in zip(group.rows, labels, strict=True):
        if label.lower() in seen:
            problems.add(
                row.file,
                row.location,
                "band",
                f"band '{label}' of {group.series.id}, {group.area}, {group.period} is also on row "
                f"{seen[label.lower()]}.",
                "keep one row per band.",
            )
            return None
        seen[label.lower()] = row.number
    if method.name != "life-expectancy":
        return list(range(len(group.rows)))
    starts: list[int] = []
    for row, label in zip(group.rows, labels, strict=True):
        match = _BAND_START.match(label)
        if not match:
            problems.add(
                row.file,
                row.location,
                "band",
                f"'{label}' is not an age band.",
                "write the band as its start age or range: 0, 1-4, 5-9, ..., 85-89, 90+.",
            )
            return None
        starts.append(int(match.group(1)))
    if sorted(starts) != list(LIFE_TABLE_START_AGES):
        missing = sorted(set(LIFE_TABLE_START_AGES) - set(starts))
        extra = sorted(set(starts) - set(LIFE_TABLE_START_AGES))
        detail = (f"missing {', '.join(map(str, missing))}" if missing else "") + (
            f"{'; ' if missing else ''}not standard: {', '.join(map(str, extra))}" if extra else ""
        )
        problems.add(
            first.file,
            first.location,
            "band",
            f"life expectancy for {group.series.id}, {group.area}, {group.period} needs the 20 standard "
            f"bands (0, 1-4, 5-9, ..., 85-89, 90+); {detail}.",
            "give one row for each of the 20 bands.",
        )
        return None
    return sorted(range(len(starts)), key=starts.__getitem__)


def _compute(method: SeriesMethod, series: Series, numbers: list[dict[str, float]]) -> tuple[float, ...]:
    def col(name: str) -> np.ndarray:
        return np.array([n[name] for n in numbers], dtype=float)

    results = []
    for confidence in (0.95, 0.998):
        if method.name == "dsr":
            r = dsr_interval(
                col("count"),
                col("population"),
                col("standard_population"),
                multiplier=float(series.unit.per or 100_000),
                confidence=confidence,
            )
        elif method.name in ("isr", "smr"):  # indirect standardisation: the same four columns
            bands = (col("count"), col("population"), col("reference_count"), col("reference_population"))
            if method.name == "isr":
                r = isr_interval(*bands, multiplier=float(series.unit.per or 100_000), confidence=confidence)
            else:
                r = smr_interval(*bands, reference_value=method.reference_value, confidence=confidence)
        elif method.name == "life-expectancy":
            value, lower, upper = life_expectancy(col("population"), col("count"), confidence=confidence)
            at = LIFE_TABLE_START_AGES.index(method.age)
            r = (value[at], lower[at], upper[at])
        else:
            r = mean_interval(col("value"), confidence=confidence)
        results.append(tuple(float(x) for x in r))
    (value, lower95, upper95), (_, lower998, upper998) = results
    return value, lower95, upper95, lower998, upper998


_SUPPRESSED = {
    "dsr": "not calculated: fewer than 10 events in total (a DSR is not published below 10)",
    "isr": "not calculated: no expected events",
    "smr": "not calculated: no expected events",
    "life-expectancy": (
        "suppressed: a band with no population, more deaths than population or negative deaths, a total "
        "population of 5,000 or less, no deaths at 90+, or a 95% interval wider than 20 years"
    ),
    "mean": "not calculated: fewer than two values",
}


def _kept(row: Row, area: str, period: Period) -> MethodInput:
    """The row as the series keeps it (numbers as read; a column the method does not use, if not a
    number, is dropped)."""
    numbers: dict[str, float | None] = {}
    for column in ("count", "population", "reference_count", "reference_population", "standard_population",
                   "value"):
        try:
            numbers[column] = _number(row.get(column)) if row.get(column) else None
        except ValueError:
            numbers[column] = None
    return MethodInput(area=area, period=period, band=row.get("band"), origin=f"{row.file} {row.location}",
                       **numbers)


def _opt(x: float) -> float | None:
    return x if np.isfinite(x) else None


def derive_observations(
    rows: list[Row], series_by_id: Mapping[str, Series], home: str, problems: Problems
) -> None:
    """Compute an observation for each series, area and period in ``rows`` and add it to its series.

    A period that observations.csv already gives for the same series and area is a problem (one
    figure, one source). Every problem names the file, row and column.
    """
    for (sid, area, period), group in _read_rows(rows, series_by_id, problems).items():
        series = group.series
        method = series.method
        assert method is not None
        existing = series.observations if area == home else series.benchmark_observations.get(area, [])
        clash = next((o for o in existing if o.period == period), None)
        first = group.rows[0]
        if clash is not None:
            problems.add(
                first.file,
                first.location,
                "period",
                f"{sid} already has a figure for {area} in {period} ({clash.origin}).",
                "give each period either in observations.csv or as inputs here, not both.",
            )
            continue
        order = _check_bands(group, problems)
        if order is None:
            continue
        numbers = [group.numbers[i] for i in order]
        value, lower95, upper95, lower998, upper998 = _compute(method, series, numbers)
        shown = np.isfinite(value)
        limits = np.isfinite(lower95) and np.isfinite(upper95)
        last = group.rows[-1]
        obs = Observation(
            series_id=sid,
            area=area,
            period=period,
            value=_opt(value),
            lower95=_opt(lower95) if limits else None,
            upper95=_opt(upper95) if limits else None,
            lower998=_opt(lower998) if limits and np.isfinite(lower998) else None,
            upper998=_opt(upper998) if limits and np.isfinite(lower998) else None,
            source=f"computed by the {method.name} method",
            missing_reason="" if shown else _SUPPRESSED[method.name],
            origin=f"{first.file} rows {first.number}-{last.number}"
            if len(group.rows) > 1
            else f"{first.file} {first.location}",
            interval_method=method.name if limits else "",
            derived=True,
        )
        series.inputs.extend(_kept(row, area, period) for row in group.rows)
        if area == home:
            series.observations.append(obs)
            series.observations.sort(key=lambda o: o.period)
        else:
            series.benchmark_observations.setdefault(area, []).append(obs)
            series.benchmark_observations[area].sort(key=lambda o: o.period)
