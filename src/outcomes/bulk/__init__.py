"""The bulk engine: judge every area and indicator of a national file at once (``outcomes bulk``).

Read with :func:`read_national` (Fingertips layout or the tidy observations table, CSV or Parquet),
judge with :func:`judge_table` (vectorised kernels from :mod:`outcomes.stats.kernels`), or do both and
write Parquet with :func:`run_bulk`, optionally on a Dask cluster. See ``docs/scale.md``.
"""

from .engine import OUTPUT_COLUMNS, BulkSummary, judge_table, partitions, run_bulk
from .read import ENGLAND, read_national

__all__ = [
    "ENGLAND",
    "OUTPUT_COLUMNS",
    "BulkSummary",
    "judge_table",
    "partitions",
    "read_national",
    "run_bulk",
]
