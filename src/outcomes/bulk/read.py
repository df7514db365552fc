"""Read a national file (the Fingertips layout or the tidy observations table; CSV or Parquet) into Arrow.

The result is one normalised :class:`pyarrow.Table` with the columns of :data:`COLUMNS`, whatever the
layout. Every problem (a missing column, a number that is not one, an unknown polarity) is collected
and raised together as a :class:`~outcomes.sources.problems.DatasetError` naming the file, the row,
the field and the fix; nothing is judged or written from a file with a problem.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from numpy.typing import NDArray

from outcomes.sources.fingertips import fingertips_period
from outcomes.sources.problems import Problems

__all__ = ["COLUMNS", "FINGERTIPS", "TIDY", "ENGLAND", "read_national", "polarity_of"]

#: The area code of England, the national benchmark.
ENGLAND = "E92000001"

#: Normalised column -> (Fingertips column, tidy column); None where the layout has no such column.
FINGERTIPS = {
    "indicator_id": "Indicator ID",
    "sex": "Sex",
    "age": "Age",
    "category_type": "Category Type",
    "category": "Category",
    "area_code": "Area Code",
    "area_type": "Area Type",
    "parent_code": "Parent Code",
    "period": "Time period",
    "period_sortable": "Time period Sortable",
    "value": "Value",
    "lower95": "Lower CI 95.0 limit",
    "upper95": "Upper CI 95.0 limit",
    "count": "Count",
    "denominator": "Denominator",
    "polarity": "Polarity",
}
TIDY = {
    "indicator_id": "series",
    "sex": "sex",
    "age": "age",
    "category_type": "category_type",
    "category": "category",
    "area_code": "area",
    "area_type": "area_type",
    "parent_code": "parent",
    "period": "period",
    "period_sortable": "period_sortable",
    "value": "value",
    "lower95": "lower95",
    "upper95": "upper95",
    "count": "numerator",
    "denominator": "denominator",
    "polarity": "polarity",
}
_REQUIRED = ("indicator_id", "area_code", "period", "value")
_NUMBERS = ("value", "lower95", "upper95", "count", "denominator")
_TEXT = (
    "indicator_id",
    "sex",
    "age",
    "category_type",
    "category",
    "area_code",
    "area_type",
    "parent_code",
    "period",
    "polarity",
)
#: The normalised columns, in order.
COLUMNS = (*_TEXT[:-1], "period_order", *_NUMBERS, "polarity")

_POLARITY_WORDS = {
    "higher-is-better": "higher-is-better",
    "lower-is-better": "lower-is-better",
    "no-judgement": "no-judgement",
    "": "no-judgement",
    "rag - high is good": "higher-is-better",
    "rag - low is good": "lower-is-better",
    "bob - blue orange blue": "no-judgement",
    "not applicable": "no-judgement",
    "rag - neither high nor low is good": "no-judgement",
}
#: Text columns are read dictionary-encoded: a national file repeats the same few codes millions of times.
_DICTIONARY = pa.dictionary(pa.int32(), pa.string())
_EMPTY = ["", "NA", "NaN", "nan"]  # cells read as missing numbers
_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def polarity_of(text: str | None) -> str | None:
    """Our polarity for a Fingertips ``Polarity`` cell (or our own word); None when not recognised.

    >>> polarity_of("RAG - Low is good"), polarity_of("BOB - Blue orange blue"), polarity_of(None)
    ('lower-is-better', 'no-judgement', 'no-judgement')
    """
    return _POLARITY_WORDS.get(" ".join((text or "").lower().split()))


def _layout(names: list[str]) -> dict[str, str] | None:
    if "Indicator ID" in names and "Area Code" in names:
        return FINGERTIPS
    if "series" in names and "area" in names:
        return TIDY
    return None


def _read_raw(path: Path, problems: Problems) -> pa.Table | None:
    label = path.name
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return pq.read_table(path)
    if suffix != ".csv":
        problems.add(
            label, "", "", "is neither a .csv nor a .parquet file.", "save it as CSV (UTF-8) or Parquet."
        )
        return None
    header = _csv_header(path)
    layout = _layout(header) or {}
    wanted = {layout[k]: k for k in layout if layout[k] in header}
    types = {
        name: (pa.float64() if key in (*_NUMBERS, "period_sortable") else _DICTIONARY)
        for name, key in wanted.items()
    }
    options = pacsv.ConvertOptions(
        column_types=types,
        strings_can_be_null=True,
        include_columns=list(wanted) or None,
        null_values=_EMPTY,
        quoted_strings_can_be_null=True,
    )
    try:
        return _read_csv_columns(path, options)
    except pa.ArrowInvalid:
        # a cell that is not a number: read the numbers as text and say which rows
        texts = {name: pa.string() for name in wanted}
        table = pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                column_types=texts,
                include_columns=list(wanted) or None,
                strings_can_be_null=True,
                null_values=_EMPTY,
            ),
        )
        before = len(problems)
        for name, key in wanted.items():
            if key not in (*_NUMBERS, "period_sortable"):
                continue
            column = table.column(name)
            cells = column.to_pylist()
            bad = [i for i, cell in enumerate(cells) if cell is not None and not _NUMBER.match(cell)]
            for i in bad[:10]:
                problems.add(
                    label,
                    f"row {i + 2}",
                    name,
                    f"'{cells[i]}' is not a number.",
                    "write a plain number (no commas, % signs or notes), or leave the cell empty.",
                )
            if len(bad) > 10:
                problems.add(label, "", name, f"{len(bad) - 10} more cells are not numbers.", "")
        if len(problems) == before:
            problems.add(label, "", "", "has numbers that cannot be read.", "write plain numbers.")
        return None


#: Bytes of CSV parsed at a time (Arrow's default): the streaming reader holds a few dozen blocks ahead.
_BLOCK_BYTES = 1 << 20


def _read_csv_columns(path: Path, options: pacsv.ConvertOptions) -> pa.Table:
    """The CSV read block by block straight into one array per column, each allocated once.

    ``pyarrow.csv.read_csv`` holds the whole file as thousands of small blocks per column; turning
    those into whole columns then needs a second copy, and the freed blocks stay with the process
    (10M rows: about 1.7 GiB resident for an 0.9 GiB table). Here each block's cells go into
    arrays sized by the file's line count (an upper bound on its rows), text as codes into one
    dictionary per column, so the table is built once. Raises ``pyarrow.ArrowInvalid`` like
    ``read_csv`` when a number column holds text.
    """
    bound = _line_count(path)
    reader = pacsv.open_csv(
        path, read_options=pacsv.ReadOptions(block_size=_BLOCK_BYTES), convert_options=options
    )
    schema = reader.schema
    numbers: dict[str, NDArray[np.float64]] = {}
    codes: dict[str, NDArray[np.int32]] = {}
    words: dict[str, dict[str | None, int]] = {}
    for field in schema:
        if pa.types.is_dictionary(field.type):
            codes[field.name], words[field.name] = np.empty(bound, np.int32), {}
        else:
            numbers[field.name] = np.empty(bound, np.float64)
    at = 0
    for batch in reader:
        size = batch.num_rows
        for name, column in zip(batch.schema.names, batch.columns, strict=True):
            if name in numbers:  # a missing number reads as NaN (a NaN cell is missing too: _EMPTY)
                numbers[name][at : at + size] = column.to_numpy(zero_copy_only=False)
                continue
            known = words[name]
            texts = [*column.dictionary.to_pylist(), None]  # the last entry stands for a null cell
            lookup = np.fromiter((known.setdefault(t, len(known)) for t in texts), np.int32, len(texts))
            indices = pc.fill_null(column.indices, len(texts) - 1).to_numpy(zero_copy_only=False)
            codes[name][at : at + size] = lookup[indices]
        at += size
    columns: dict[str, pa.Array] = {}
    for field in schema:
        name = field.name
        if name in numbers:
            columns[name] = pa.array(numbers.pop(name)[:at], pa.float64(), from_pandas=True)
        else:
            dictionary = pa.array(list(words[name]), pa.string())
            columns[name] = pa.DictionaryArray.from_arrays(pa.array(codes.pop(name)[:at]), dictionary)
    return pa.table(columns)


def _line_count(path: Path) -> int:
    """How many line ends the file has, plus one: at least its number of data rows."""
    count = 1
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK_BYTES):
            count += block.count(b"\n")
    return count


def _csv_header(path: Path) -> list[str]:
    with path.open("rb") as handle:
        first = handle.readline()
    reader = pacsv.read_csv(pa.py_buffer(first + b"\n"), read_options=pacsv.ReadOptions())
    return reader.schema.names


def read_national(path: str | Path) -> pa.Table:
    """Read ``path`` into the normalised table (see the module docstring); raise ``DatasetError`` if unusable."""
    path = Path(path)
    label = path.name
    problems = Problems()
    if not path.is_file():
        problems.add(label, "", "", "does not exist or is not a file.", "check the path.")
        problems.raise_if_any(source=str(path))
    raw = _read_raw(path, problems)
    problems.raise_if_any(source=str(path))
    assert raw is not None
    layout = _layout(raw.schema.names)
    if layout is None:
        problems.add(
            label,
            "row 1",
            "",
            "is neither the Fingertips layout (Indicator ID, Area Code, Time "
            "period, Value, ...) nor the tidy observations table (series, area, period, value, ...).",
            "use one of the two layouts of docs/scale.md.",
        )
        problems.raise_if_any(source=str(path))
    assert layout is not None
    for key in _REQUIRED:
        if layout[key] not in raw.schema.names:
            problems.add(
                label,
                "row 1",
                layout[key],
                "this required column is missing.",
                f"add a '{layout[key]}' column.",
            )
    problems.raise_if_any(source=str(path))

    # column by column, each dropped from the raw table once converted: a national file is big
    size = raw.num_rows
    columns: dict[str, Any] = {}
    for key in _TEXT:
        name = layout[key]
        columns[key] = _text(raw.column(name) if name in raw.schema.names else pa.nulls(size, pa.string()))
        raw = raw.drop_columns([name]) if name in raw.schema.names else raw
    for key in (*_NUMBERS, "period_sortable"):
        name = layout[key]
        if name in raw.schema.names:
            try:
                columns[key] = pc.cast(raw.column(name), pa.float64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                problems.add(label, "", name, "holds values that are not numbers.", "write plain numbers.")
            raw = raw.drop_columns([name])
        else:
            columns[key] = pa.nulls(size, pa.float64())
    del raw
    for key in ("indicator_id", "area_code", "period"):
        for i in _rows_with(columns[key], "")[:10]:
            problems.add(label, f"row {i + 2}", layout[key], "is empty.", "fill it in, or delete the row.")
    polarity = columns["polarity"]
    words = [polarity_of(t) for t in polarity.dictionary.to_pylist()]
    for text, word in zip(polarity.dictionary.to_pylist(), words, strict=True):
        if word is None:
            first = _rows_with(polarity, text)[0]
            problems.add(
                label,
                f"row {first + 2}",
                layout["polarity"],
                f"'{text}' is not a polarity.",
                "write higher-is-better, lower-is-better or no-judgement (or the Fingertips words "
                "'RAG - High is good', 'RAG - Low is good', 'BOB - Blue orange blue').",
            )
    problems.raise_if_any(source=str(path))
    columns["polarity"] = _text(
        pa.DictionaryArray.from_arrays(polarity.indices, pa.array(words, pa.string()))
    )
    columns["period_order"] = _period_order(
        columns["period"], columns.pop("period_sortable"), layout, label, problems
    )
    problems.raise_if_any(source=str(path))
    return pa.table({key: columns[key] for key in COLUMNS})


def _text(column: pa.Array | pa.ChunkedArray) -> pa.DictionaryArray:
    """A text column as a dictionary array with trimmed, distinct values and no nulls (a null is "")."""
    if isinstance(column, pa.ChunkedArray):
        if pa.types.is_dictionary(column.type):  # the CSV reader gives each block its own dictionary
            column = pa.table({"c": column}).unify_dictionaries().column("c")
        column = column.combine_chunks()
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(pc.cast(column, pa.string()))
    values = pc.fill_null(pc.utf8_trim_whitespace(pc.cast(column.dictionary, pa.string())), "")
    values = pa.concat_arrays([values, pa.array([""], pa.string())])  # the last entry stands for null
    distinct = pc.dictionary_encode(values)
    indices = pc.fill_null(pc.cast(column.indices, pa.int32()), len(values) - 1)
    remapped = pc.take(pc.cast(distinct.indices, pa.int32()), indices)
    return pa.DictionaryArray.from_arrays(remapped, distinct.dictionary)


def _rows_with(column: pa.DictionaryArray, text: str) -> NDArray[np.intp]:
    """The row numbers (from 0) where the dictionary column holds ``text``."""
    where = np.flatnonzero(column.dictionary.to_numpy(zero_copy_only=False) == text)
    if where.size == 0:
        return np.zeros(0, dtype=np.intp)
    return np.flatnonzero(column.indices.to_numpy(zero_copy_only=False) == where[0])


def _period_order(
    period: pa.DictionaryArray,
    sortable: pa.Array | pa.ChunkedArray,
    layout: dict[str, str],
    label: str,
    problems: Problems,
) -> pa.Array:
    """An integer that sorts the periods: ``Time period Sortable`` when given, else the parsed period."""
    if len(sortable) and sortable.null_count == 0:
        try:
            return pc.cast(sortable, pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            problems.add(
                label,
                "",
                layout["period_sortable"],
                "holds values that are not whole numbers.",
                "keep the column as Fingertips writes it (e.g. 20180000), or delete it.",
            )
            return pa.nulls(len(period), pa.int64())
    labels = period.dictionary.to_pylist()
    keys: list[tuple[Any, ...]] = []
    for text in labels:
        try:
            keys.append(fingertips_period(text).sort_key)
        except Exception:  # noqa: BLE001 - any unreadable period is reported below
            rows = _rows_with(period, text)
            if rows.size:
                problems.add(
                    label,
                    f"row {rows[0] + 2}",
                    layout["period"],
                    f"'{text}' is not a period we can read.",
                    "write it as Fingertips does (2018, 2018/19, 2016 - 18) or see docs/periods.md.",
                )
            keys.append((datetime.date.min, datetime.date.min, 0))
    rank = np.empty(len(labels), dtype=np.int64)
    rank[sorted(range(len(labels)), key=keys.__getitem__)] = np.arange(len(labels))
    return pa.array(rank[period.indices.to_numpy(zero_copy_only=False)], pa.int64())
