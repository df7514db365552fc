"""The bulk engine: judge every series of a national file with vectorised kernels, partitioned by indicator.

``judge_table`` takes the normalised table of :func:`~outcomes.bulk.read.read_national` and returns one
row per series key (indicator, sex, age, category) and area, for the area's latest period:

* ``trend`` and ``trend_chi2`` — the Fingertips recent-trend test over the latest five points
  (:func:`outcomes.stats.kernels.trend_markers`, the same method as :func:`outcomes.stats.trend_marker`).
  The chi-squared test for trend in proportions is used when all five points have a count and a
  denominator and the value is their percentage (``Value ≈ 100 × Count / Denominator``, within the
  tolerance the Fingertips converter uses to recognise a unit); otherwise the values with their 95% limits;
* ``compared_england`` and ``compared_region`` — the benchmark (England, ``E92000001``; the region, the
  row's ``Parent Code``) for the same series key and period, judged by
  :func:`outcomes.stats.compare_with_benchmark_array` (the kernel behind ``compare_with_benchmark``);
* ``rank``, ``rank_of`` and ``quartile`` — among the areas of the same type in the same parent area
  with a value for the same period (1 = best by polarity, or highest when there is no polarity);
* ``decile`` — the area's decile among all areas of the same type with a value for the same series key
  and period (nationally, not within the parent), by :func:`outcomes.stats.quantile_groups`
  (``phe_quantile``): decile 1 holds the best tenth by polarity (``invert`` unless lower is better),
  the highest values when there is no polarity; missing where fewer than ten areas have a value;
* ``funnel_lower95`` … ``funnel_upper998`` and ``funnel`` — the area's funnel-plot limits around the
  England value of the same series key and period (:func:`outcomes.stats.funnel_limits`) and where
  its value lies (see :func:`funnel_columns`).

Each indicator's rows carry everything its judgements need (its England and region rows too), so the
work partitions by indicator with no shared state: :func:`run_bulk` runs the partitions in this process
or, with ``scheduler``, on a Dask cluster; the output is the same row for row.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from numpy.typing import NDArray

from outcomes.sources.fingertips import ABSOLUTE_TOLERANCE, UNIT_MATCH
from outcomes.stats import JUDGEMENTS, TREND_MARKERS, compare_with_benchmark_array, quantile_groups
from outcomes.stats.funnel import funnel_limit_arrays
from outcomes.stats.kernels import (
    CANNOT,
    group_quartiles,
    group_ranks,
    segment_starts,
    segment_windows,
    trend_markers,
)
from outcomes.stats.trend import TREND_POINTS

from .read import ENGLAND, read_national

__all__ = [
    "OUTPUT_COLUMNS",
    "PARTITION_ROWS",
    "BulkSummary",
    "FUNNEL_FLAGS",
    "FUNNEL_KINDS",
    "funnel_columns",
    "judge_table",
    "national_deciles",
    "partitions",
    "run_bulk",
]

#: The columns ``outcomes bulk`` writes, in order.
OUTPUT_COLUMNS = (
    "indicator_id",
    "sex",
    "age",
    "category",
    "area_code",
    "area_type",
    "parent_code",
    "period",
    "value",
    "lower95",
    "upper95",
    "count",
    "denominator",
    "polarity",
    "trend",
    "trend_chi2",
    "trend_method",
    "compared_england",
    "compared_region",
    "rank",
    "rank_of",
    "quartile",
    "decile",
    "funnel_statistic",
    "funnel_lower95",
    "funnel_upper95",
    "funnel_lower998",
    "funnel_upper998",
    "funnel",
)
#: The sort order of the output (so that any partitioning gives the same file).
SORT_KEYS = ("indicator_id", "sex", "age", "category", "area_code")
#: A partition holds whole indicators and, where an indicator is smaller, about this many rows.
PARTITION_ROWS = 250_000
TREND_METHODS = ("", "proportion", "values")
#: Where a value lies against its funnel ("" where the row has no funnel).
FUNNEL_FLAGS = ("", "within", "above95", "above998", "below95", "below998")
#: The statistics a row's funnel can have ("" for none), and the multiplier of each rate.
FUNNEL_KINDS = ("", "proportion", "rate per 1000", "rate per 10000", "rate per 100000")
_FUNNEL_MULTIPLIERS = (0, 100, 1_000, 10_000, 100_000)


@dataclass(frozen=True)
class BulkSummary:
    """What :func:`run_bulk` did: rows read, series judged, partitions, seconds spent.

    ``judge_seconds`` includes writing the partitions as they are judged; ``write_seconds`` is closing
    the file.
    """

    rows: int
    series: int
    partitions: int
    read_seconds: float
    judge_seconds: float
    write_seconds: float


def _codes(column: pa.Array | pa.ChunkedArray) -> tuple[NDArray[np.int64], int]:
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    encoded = column if pa.types.is_dictionary(column.type) else pc.dictionary_encode(column)
    return encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64), len(encoded.dictionary)


def _combine(*parts: tuple[NDArray[np.int64], int]) -> NDArray[np.int64]:
    """One integer per distinct combination of coded columns (``np.unique`` if the product would overflow)."""
    total = 1
    for _, size in parts:
        total *= max(size, 1)
    if total < 2**62:
        key = np.zeros(len(parts[0][0]), dtype=np.int64)
        for codes, size in parts:
            key = key * max(size, 1) + codes
        return key
    stacked = np.stack([codes for codes, _ in parts], axis=1)
    return np.unique(stacked, axis=0, return_inverse=True)[1].astype(np.int64).ravel()


def _numbers(table: pa.Table, name: str) -> NDArray[np.float64]:
    return pc.fill_null(table.column(name), np.nan).to_numpy().astype(np.float64, copy=False)


def judge_table(table: pa.Table) -> pa.Table:
    """Judge every series of the normalised ``table`` (all rows of whole indicators); see the module doc."""
    size = table.num_rows
    if size == 0:
        return _empty_output()
    table = table.combine_chunks()
    category = _category(table.column("category_type"), table.column("category"))
    series = _combine(*(_codes(table.column(n)) for n in ("indicator_id", "sex", "age")), _codes(category))
    # area and parent codes in one numbering, so that a row's parent can be looked up as an area
    area_column, parent_column = table.column("area_code").chunk(0), table.column("parent_code").chunk(0)
    both = pc.dictionary_encode(pa.concat_arrays([area_column.dictionary, parent_column.dictionary]))
    joint = both.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    area_map, parent_map = joint[: len(area_column.dictionary)], joint[len(area_column.dictionary) :]
    area = area_map[area_column.indices.to_numpy(zero_copy_only=False)]
    parent = parent_map[parent_column.indices.to_numpy(zero_copy_only=False)]
    areas = len(both.dictionary)
    period_order = table.column("period_order").to_numpy()
    periods, period = np.unique(period_order, return_inverse=True)
    period = period.astype(np.int64).ravel()

    order = np.lexsort((period, area, series))
    s_series, s_area, s_period = series[order], area[order], period[order]
    starts = segment_starts(s_series, s_area)
    last, lengths, window = segment_windows(starts, size, TREND_POINTS)
    repeated = np.zeros(size, dtype=np.int64)
    repeated[1:] = (
        (s_series[1:] == s_series[:-1]) & (s_area[1:] == s_area[:-1]) & (s_period[1:] == s_period[:-1])
    )
    duplicated = np.add.reduceat(repeated, starts) > 0

    value = _numbers(table, "value")[order]
    lower95 = _numbers(table, "lower95")[order]
    upper95 = _numbers(table, "upper95")[order]
    count = _numbers(table, "count")[order]
    denominator = _numbers(table, "denominator")[order]

    # the recent-trend test over the latest five points of every series at once
    c, d, v = count[window], denominator[window], value[window]
    with np.errstate(divide="ignore", invalid="ignore"):
        percentage = 100.0 * c / d
        matches = np.abs(v - percentage) <= np.maximum(ABSOLUTE_TOLERANCE, UNIT_MATCH * np.abs(percentage))
    proportion = np.all(np.isfinite(c) & np.isfinite(d) & matches, axis=1)
    codes, chi2, _ = trend_markers(
        counts=c,
        denominators=d,
        values=v,
        lower95=lower95[window],
        upper95=upper95[window],
        proportion=proportion,
    )
    unusable = (lengths < TREND_POINTS) | duplicated
    codes[unusable] = CANNOT
    chi2[unusable] = np.nan
    method = np.where(unusable, 0, np.where(proportion, 1, 2)).astype(np.int8)

    # benchmarks: the England and the parent-area row of the same series key and period
    rows = order[last]
    row_key = (s_series * areas + s_area) * len(periods) + s_period  # sorted, as the rows are

    def lookup(benchmark_area: NDArray[np.int64]) -> NDArray[np.float64]:
        wanted = (s_series[last] * areas + benchmark_area) * len(periods) + s_period[last]
        at = np.minimum(np.searchsorted(row_key, wanted), size - 1)
        return np.where(row_key[at] == wanted, value[at], np.nan)

    england_codes = np.flatnonzero(both.dictionary.to_numpy(zero_copy_only=False) == ENGLAND)
    england = (
        lookup(np.full(last.size, england_codes[0], dtype=np.int64))
        if england_codes.size
        else np.full(last.size, np.nan)
    )
    region = lookup(parent[rows])
    polarity = pc.cast(table.column("polarity").take(pa.array(rows)), pa.string()).to_numpy(
        zero_copy_only=False
    )
    latest = value[last]
    compared = {
        name: compare_with_benchmark_array(
            latest, bench, lower95=lower95[last], upper95=upper95[last], polarity=polarity
        ).codes
        for name, bench in (("england", england), ("region", region))
    }

    # rank and quartile among the areas of the same type in the same parent area, same period
    group = _combine(
        (s_series[last], int(series.max()) + 1),
        _codes(table.column("area_type").take(pa.array(rows))),
        (parent[rows], areas),
        (s_period[last], len(periods)),
    )
    rank, rank_of = group_ranks(group, latest, descending=polarity != "lower-is-better")
    quartile = group_quartiles(rank, rank_of)
    decile = national_deciles(
        _combine(
            (s_series[last], int(series.max()) + 1),
            _codes(table.column("area_type").take(pa.array(rows))),
            (s_period[last], len(periods)),
        ),
        latest,
        polarity,
    )

    funnel = funnel_columns(latest, count[last], denominator[last], england)

    taken = pa.array(rows)
    out = {
        "indicator_id": table.column("indicator_id").take(taken),
        "sex": table.column("sex").take(taken),
        "age": table.column("age").take(taken),
        "category": category.take(taken),
        "area_code": table.column("area_code").take(taken),
        "area_type": table.column("area_type").take(taken),
        "parent_code": table.column("parent_code").take(taken),
        "period": table.column("period").take(taken),
        "value": _nullable(latest),
        "lower95": _nullable(lower95[last]),
        "upper95": _nullable(upper95[last]),
        "count": _nullable(count[last]),
        "denominator": _nullable(denominator[last]),
        "polarity": pa.array(polarity, pa.string()),
        "trend": _words(codes, TREND_MARKERS),
        "trend_chi2": _nullable(chi2),
        "trend_method": _words(method, TREND_METHODS),
        "compared_england": _words(compared["england"], JUDGEMENTS),
        "compared_region": _words(compared["region"], JUDGEMENTS),
        "rank": pa.array(rank, pa.int32(), mask=rank == 0),
        "rank_of": pa.array(rank_of, pa.int32()),
        "quartile": pa.array(quartile, pa.int8(), mask=quartile == 0),
        "decile": pa.array(np.nan_to_num(decile).astype(np.int8), pa.int8(), mask=np.isnan(decile)),
        "funnel_statistic": _words(funnel["kind"], FUNNEL_KINDS),
        **{f"funnel_{k}": _nullable(funnel[k]) for k in ("lower95", "upper95", "lower998", "upper998")},
        "funnel": _words(funnel["flag"], FUNNEL_FLAGS),
    }
    return pa.table({k: _plain(out[k]) for k in OUTPUT_COLUMNS}).sort_by(
        [(k, "ascending") for k in SORT_KEYS]
    )


def national_deciles(
    group: NDArray[np.int64], values: NDArray[np.float64], polarity: NDArray[Any]
) -> NDArray[np.float64]:
    """Each value's decile within its ``group`` (NaN where missing or fewer than ten values).

    Decile 1 is the best tenth: ``invert=True`` (highest values first) unless ``polarity`` is
    ``lower-is-better``, as the engine's ranks. A group's rows share one polarity (it is the
    indicator's), so each polarity's rows are divided separately.
    """
    decile = np.full(values.shape, np.nan)
    lower = polarity == "lower-is-better"
    for invert, rows in ((False, lower), (True, ~lower)):
        if rows.any():
            decile[rows] = quantile_groups(values[rows], groups=10, invert=invert, by=group[rows])
    return decile


def funnel_columns(
    value: NDArray[np.float64],
    count: NDArray[np.float64],
    denominator: NDArray[np.float64],
    england: NDArray[np.float64],
) -> dict[str, NDArray[Any]]:
    """Each row's funnel limits around ``england`` (its England value) and where its value lies.

    The statistic comes from the row's value type, recognised as the Fingertips converter does:
    a value equal to ``100 × Count / Denominator`` is a percentage (a ``proportion`` funnel, Wilson
    limits), one equal to ``Count / Denominator`` × 1,000, 10,000 or 100,000 a crude rate per that
    (a ``rate`` funnel, exact Poisson limits); within the tolerance :data:`UNIT_MATCH`. Other rows
    (no count or denominator; standardised rates, ratios, life expectancy…) get no funnel: ``kind``
    0, limits NaN, ``flag`` 0. ``flag`` indexes :data:`FUNNEL_FLAGS`, ``kind`` :data:`FUNNEL_KINDS`.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = value * denominator / count
    kind = np.zeros(value.shape, dtype=np.int8)
    for i, multiplier in enumerate(_FUNNEL_MULTIPLIERS[1:], start=1):
        kind[np.abs(scale - multiplier) <= UNIT_MATCH * multiplier] = i
    kind[~(np.isfinite(denominator) & (denominator > 0) & np.isfinite(value) & (count > 0))] = 0
    limits = {k: np.full(value.shape, np.nan) for k in ("lower95", "upper95", "lower998", "upper998")}
    for i, multiplier in enumerate(_FUNNEL_MULTIPLIERS[1:], start=1):
        rows = kind == i
        if rows.any():
            got = funnel_limit_arrays(
                denominator[rows],
                statistic="proportion" if multiplier == 100 else "rate",
                baselines=england[rows],
                multiplier=multiplier,
            )
            for k in limits:
                limits[k][rows] = got[k]
    has = np.isfinite(limits["lower95"])
    kind[~has] = 0
    flag = np.select(
        [
            ~has,
            value > limits["upper998"],
            value > limits["upper95"],
            value < limits["lower998"],
            value < limits["lower95"],
        ],
        [0, 3, 2, 5, 4],
        default=1,
    ).astype(np.int8)
    return {"kind": kind, "flag": flag, **limits}


def _plain(column: Any) -> pa.Array:
    column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    return pc.cast(column, pa.string()) if pa.types.is_dictionary(column.type) else column


def _category(category_type: pa.ChunkedArray, category: pa.ChunkedArray) -> pa.Array:
    """The category, prefixed by its type ("Deprivation decile: Most deprived") when there is one."""
    types, names = category_type.combine_chunks(), category.combine_chunks()
    if types.dictionary.to_pylist() == [""]:
        return names
    types, names = pc.cast(types, pa.string()), pc.cast(names, pa.string())
    joined = pc.binary_join_element_wise(types, names, ": ")
    return pc.dictionary_encode(pc.if_else(pc.equal(types, ""), names, joined))


def _nullable(x: NDArray[np.float64]) -> pa.Array:
    return pa.array(x, pa.float64(), mask=np.isnan(x))


def _words(codes: NDArray[Any], words: tuple[str, ...]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(codes.astype(np.int32)), pa.array(words)).cast(pa.string())


def _empty_output() -> pa.Table:
    floats = {"value", "lower95", "upper95", "count", "denominator", "trend_chi2"}
    floats |= {"funnel_lower95", "funnel_upper95", "funnel_lower998", "funnel_upper998"}
    types = {k: (pa.float64() if k in floats else pa.string()) for k in OUTPUT_COLUMNS}
    types.update(rank=pa.int32(), rank_of=pa.int32(), quartile=pa.int8(), decile=pa.int8())
    return pa.table({k: pa.array([], t) for k, t in types.items()})


def partitions(table: pa.Table, *, rows: int = PARTITION_ROWS) -> Iterator[pa.Table]:
    """Split ``table`` into tables of whole indicators, each about ``rows`` rows (one indicator may be more).

    The indicators come in the order of their ids as text, so the judged partitions, each sorted,
    follow one another in the order of the whole output.
    """
    column = table.column("indicator_id").combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    rank = np.empty(len(column.dictionary), dtype=np.int64)
    rank[pc.array_sort_indices(column.dictionary).to_numpy()] = np.arange(len(column.dictionary))
    keys = rank[column.indices.to_numpy(zero_copy_only=False)]
    order = np.argsort(keys, kind="stable")
    starts = segment_starts(keys[order])
    ends = np.append(starts[1:], len(order))
    begin = 0
    for i, end in enumerate(ends):
        if end - begin >= rows or i == len(ends) - 1:
            yield table.take(pa.array(order[begin:end]))
            begin = int(end)


def _judged(table: pa.Table, scheduler: str | None, partition_rows: int) -> Iterator[pa.Table]:
    """The judged partitions in output order: judged here one at a time, or on a Dask cluster."""
    if scheduler is None:
        for part in partitions(table, rows=partition_rows):
            yield judge_table(part)
        return
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise ValueError(
            "--scheduler needs Dask: install it with 'pip install outcomes-tracker[dask]'"
        ) from exc
    with Client(scheduler) as client:
        futures = [
            client.submit(judge_table, part, pure=False) for part in partitions(table, rows=partition_rows)
        ]
        for future in futures:
            yield future.result()
            future.release()


def run_bulk(
    source: str | Path,
    out: str | Path,
    *,
    scheduler: str | None = None,
    partition_rows: int = PARTITION_ROWS,
    progress: Callable[[str], None] | None = None,
) -> BulkSummary:
    """Read ``source``, judge it partition by partition, write ``out`` (Parquet) all at once at the end.

    ``scheduler`` is the address of a Dask scheduler (``tcp://host:8786``) to run the partitions on.
    Nothing is written when reading fails (a ``DatasetError`` lists the problems).
    """
    say = progress or (lambda _: None)
    start = time.perf_counter()
    table = read_national(source)
    read_done = time.perf_counter()
    say(f"read {table.num_rows:,} rows in {read_done - start:.2f} s")
    rows = table.num_rows
    target = Path(out)
    temporary = target.with_name(f".{target.name}.partial")
    series = count = 0
    try:
        writer = pq.ParquetWriter(temporary, _empty_output().schema)
        with writer:  # each judged partition is written as it comes; the file appears only when complete
            for judged in _judged(table, scheduler, partition_rows):
                writer.write_table(judged)
                series += judged.num_rows
                count += 1
        del table
        judge_done = time.perf_counter()
        say(f"judged and wrote {series:,} series in {count} partitions in {judge_done - read_done:.2f} s")
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    written = time.perf_counter()
    return BulkSummary(
        rows=rows,
        series=series,
        partitions=count,
        read_seconds=read_done - start,
        judge_seconds=judge_done - read_done,
        write_seconds=written - judge_done,
    )
