"""Thin wrappers over the library: reading and writing datasets, periods, spreadsheet helpers."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes.model import Framework, Period, PeriodError
from outcomes.sources import DatasetError, collecting, read_raw
from outcomes.sources.build import build_framework
from outcomes.sources.serialise import write_dataset
from outcomes.sources.spreadsheet import FORMULA_START as FORMULA_START  # re-exported for the web workbook
from outcomes.sources.spreadsheet import WorkbookLimits as WorkbookLimits
from outcomes.sources.spreadsheet import WorkbookRefused as WorkbookRefused
from outcomes.sources.spreadsheet import cell_text as cell_text
from outcomes.sources.spreadsheet import check_workbook as _check_workbook
from outcomes.sources.spreadsheet import neutralise_cell as _neutralise_cell
from outcomes.sources.spreadsheet import unescape_formula as _unescape_formula
from outcomes_web.adapter.errors import BadPeriod, DatasetProblems

#: The bundled example dataset (the seed report, Dorset "Safe", July 2018), as ``outcomes demo`` uses it.
EXAMPLE = BUNDLED_EXAMPLE  # shipped in the wheel (outcomes.data)


# ================================================================================ library wrappers
@dataclass(frozen=True)
class DatasetFile:
    framework: Framework
    raw_framework: dict[str, Any]
    source: str
    source_format: str


def load_dataset(path: str | Path, *, problems_file: str | Path | None = None) -> DatasetFile:
    """Read and validate a dataset folder or workbook; :class:`DatasetProblems` lists every problem
    (each one also written to ``problems_file`` when given)."""
    try:
        with collecting(problems_file) as problems:
            raw = read_raw(path, problems)
            framework = build_framework(raw, problems) if raw is not None else None
            problems.raise_if_any(source=str(path))
    except DatasetError as exc:
        raise DatasetProblems([str(p) for p in exc.problems], str(path), total=exc.total,
                              lines=exc.lines()) from None
    assert raw is not None and framework is not None
    source_format = "folder" if Path(path).is_dir() else "workbook"
    return DatasetFile(framework, raw.framework, str(Path(path).resolve()), source_format)


def write_dataset_folder(framework: Framework, path: str | Path) -> None:
    """Write ``framework`` as a dataset folder (atomically, by the library's writer)."""
    write_dataset(framework, Path(path))


def canonical_period(text: str) -> str:
    """The canonical label of a period written any accepted way: 'Q4 17-18' -> 'Q4 2017-18'."""
    try:
        return str(Period.parse(text.strip()))
    except PeriodError as exc:
        raise BadPeriod(str(exc)) from None
    except TypeError as exc:
        raise BadPeriod(str(exc)) from None


def period_sort_key(label: str) -> tuple[datetime.date, datetime.date, int]:
    return Period.parse(label).sort_key


def neutralise_cell(value: object) -> object:
    """Stop a spreadsheet running text as a formula (CSV injection), as the library's exports do."""
    return _neutralise_cell(value)


def unescape_formula(text: str) -> str:
    """The text :func:`neutralise_cell` was given (its apostrophe taken off again)."""
    return _unescape_formula(text)


def check_workbook(content: bytes, *, name: str, limits: WorkbookLimits) -> None:
    """The library's checks on a workbook before it is parsed (:class:`WorkbookRefused` says why not):
    encryption, zip bombs, macros, and the cell budget (declared dimension, then counted)."""
    _check_workbook(content, name=name, limits=limits)


def library_version() -> str:
    try:
        from importlib.metadata import version

        return version("outcomes-tracker")
    except Exception:  # pragma: no cover - not installed as a distribution
        return "0"


#: The library's files that decide what a report says and looks like (code, templates, styles, tables)
RENDERER_SUFFIXES = (".py", ".j2", ".html", ".css", ".js", ".yaml", ".csv", ".json")


@lru_cache(maxsize=1)
def renderer_version() -> str:
    """The library version and a fingerprint of its installed files (:func:`source_fingerprint`): what
    a cached report is keyed by besides its data, so a changed template, style or method between two
    releases (or in a checkout) never serves a stale report."""
    import outcomes

    return f"{library_version()}-{source_fingerprint(Path(outcomes.__file__).parent)}"


def source_fingerprint(root: Path) -> str:
    """Twelve hex digits of a SHA-256 over the relative paths and bytes of the files under ``root``
    whose names end in one of :data:`RENDERER_SUFFIXES` (about 20 ms for the library, once per process)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in RENDERER_SUFFIXES and p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def authority_quantiles(values: list[float | None], *, polarity: str) -> tuple[int | None, list[int | None]]:
    """Each value's decile (or quintile) among ``values``, 1 = best by ``polarity``, by the library's
    ``quantile_groups`` (the ``phe_quantile`` method): deciles from ten values, quintiles from five,
    nothing below that or without a better direction. Returns ``(groups, quantiles)``, ``None`` for a
    missing value."""
    from outcomes.stats import quantile_groups

    present = sum(v is not None for v in values)
    groups = 10 if present >= 10 else 5 if present >= 5 else 0
    if not groups or polarity not in ("higher-is-better", "lower-is-better"):
        return None, [None] * len(values)
    got = quantile_groups([float("nan") if v is None else v for v in values], groups=groups,
                          invert=polarity == "higher-is-better")
    return groups, [None if q != q else int(q) for q in got]
