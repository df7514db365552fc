"""A synthetic national file in the Fingertips layout, for tests and ``bench/bench_bulk.py``.

Indicators alternate between percentages (count out of a denominator, Wilson limits) and rates per
100,000 (count over a population, Poisson limits); each has England, 9 regions and ``areas`` local
areas (type ``Counties & UAs``, spread over the regions) for ``years`` calendar years. Every area has
its own level and drift, so some series rise, some fall and most do not change significantly. A few
cells are left empty, as in real downloads.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from outcomes.stats import proportion_interval, rate_interval

from .read import ENGLAND, FINGERTIPS

__all__ = ["FINGERTIPS_COLUMNS", "fingertips_table"]

#: The columns of the Fingertips ``all_data/csv`` download, in order (plus ``Polarity`` when asked for).
FINGERTIPS_COLUMNS = (
    "Indicator ID",
    "Indicator Name",
    "Parent Code",
    "Parent Name",
    "Area Code",
    "Area Name",
    "Area Type",
    "Sex",
    "Age",
    "Category Type",
    "Category",
    "Time period",
    "Value",
    "Lower CI 95.0 limit",
    "Upper CI 95.0 limit",
    "Lower CI 99.8 limit",
    "Upper CI 99.8 limit",
    "Count",
    "Denominator",
    "Value note",
    "Recent Trend",
    "Compared to England value or percentiles",
    "Compared to percentiles",
    "Time period Sortable",
    "New data",
    "Compared to goal",
    "Time period range",
)
assert FINGERTIPS["indicator_id"] in FINGERTIPS_COLUMNS
REGIONS = 9
POLARITY_WORDS = ("RAG - High is good", "RAG - Low is good", "BOB - Blue orange blue")


def fingertips_table(
    *,
    indicators: int,
    areas: int,
    years: int,
    seed: int = 0,
    polarity: bool = True,
    first_year: int = 2010,
    first_indicator: int = 90000,
) -> pa.Table:
    """The synthetic file as an Arrow table (write it with ``pyarrow.csv`` or ``pyarrow.parquet``).

    >>> fingertips_table(indicators=2, areas=5, years=3).num_rows
    90
    """
    rng = np.random.default_rng(seed)
    codes = np.array(
        [ENGLAND]
        + [f"E120000{r + 1:02d}" for r in range(REGIONS)]
        + [f"E0{6000000 + a:07d}" for a in range(areas)]
    )
    kinds = np.array(["England"] + ["Regions"] * REGIONS + ["Counties & UAs"] * areas)
    region_of_area = np.arange(areas) % REGIONS
    parents = np.concatenate([[""], [ENGLAND] * REGIONS, codes[1 + region_of_area]])
    places = codes.size
    rows = indicators * places * years
    ind = np.repeat(np.arange(indicators), places * years)
    place = np.tile(np.repeat(np.arange(places), years), indicators)
    year = np.tile(np.arange(years), indicators * places)

    # the local areas' populations; England and the regions are the sums of their areas
    population = rng.integers(20_000, 400_000, size=(indicators, places)).astype(float)
    for r in range(REGIONS):
        population[:, 1 + r] = population[:, 1 + REGIONS + np.flatnonzero(region_of_area == r)].sum(axis=1)
    population[:, 0] = population[:, 1 : 1 + REGIONS].sum(axis=1)
    proportion = np.arange(indicators) % 2 == 0
    level = np.where(
        proportion[:, None],
        rng.uniform(0.05, 0.6, (indicators, places)),
        rng.uniform(5e-5, 2e-3, (indicators, places)),
    )
    drift = rng.normal(0.0, 0.03, size=(indicators, places)) * (rng.random((indicators, places)) < 0.4)
    denominator = np.round(population[ind, place] * (1.0 + 0.01 * year))
    chance = np.clip(level[ind, place] * (1.0 + drift[ind, place] * year), 1e-6, 0.99)
    count = rng.binomial(denominator.astype(np.int64), chance).astype(float)
    is_prop = proportion[ind]
    value = np.empty(rows)
    lo95, hi95, lo998, hi998 = (np.empty(rows) for _ in range(4))
    for mask, fn, kw in (
        (is_prop, proportion_interval, {"multiplier": 100}),
        (~is_prop, rate_interval, {"multiplier": 100_000}),
    ):
        v, lo, hi = fn(count[mask], denominator[mask], confidence=0.95, **kw)
        _, lo2, hi2 = fn(count[mask], denominator[mask], confidence=0.998, **kw)
        value[mask], lo95[mask], hi95[mask], lo998[mask], hi998[mask] = v, lo, hi, lo2, hi2
    gap = rng.random(rows) < 0.002
    for column in (value, lo95, hi95, lo998, hi998, count):
        column[gap] = np.nan

    def text(values: np.ndarray) -> pa.Array:
        return pa.array(values.astype(str), pa.string())

    def numbers(values: np.ndarray) -> pa.Array:
        return pa.array(values, pa.float64(), mask=np.isnan(values))

    indicator_ids = np.arange(indicators) + first_indicator
    names = np.array([f"Synthetic {'percentage' if p else 'rate'} {i + 1}" for i, p in enumerate(proportion)])
    periods = np.array([str(first_year + y) for y in range(years)])
    empty = pa.nulls(rows, pa.string())
    columns: dict[str, pa.Array] = {
        "Indicator ID": pa.array(indicator_ids[ind], pa.int64()),
        "Indicator Name": text(names[ind]),
        "Parent Code": text(parents[place]),
        "Parent Name": text(parents[place]),
        "Area Code": text(codes[place]),
        "Area Name": text(np.char.add("Area ", codes[place])),
        "Area Type": text(kinds[place]),
        "Sex": text(np.where(is_prop, "Persons", "Female")),
        "Age": text(np.where(is_prop, "All ages", "18+ yrs")),
        "Category Type": empty,
        "Category": empty,
        "Time period": text(periods[year]),
        "Value": numbers(value),
        "Lower CI 95.0 limit": numbers(lo95),
        "Upper CI 95.0 limit": numbers(hi95),
        "Lower CI 99.8 limit": numbers(lo998),
        "Upper CI 99.8 limit": numbers(hi998),
        "Count": numbers(count),
        "Denominator": numbers(denominator),
        "Value note": empty,
        "Recent Trend": empty,
        "Compared to England value or percentiles": empty,
        "Compared to percentiles": empty,
        "Time period Sortable": pa.array((first_year + year) * 10_000, pa.int64()),
        "New data": empty,
        "Compared to goal": empty,
        "Time period range": text(np.full(rows, "1y")),
    }
    if polarity:
        columns["Polarity"] = text(np.array(POLARITY_WORDS)[indicator_ids[ind] % 3])
    return pa.table(columns)
