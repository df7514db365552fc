"""Reading and writing datasets: a folder (YAML + CSV + Markdown) or one Excel workbook.

>>> from pathlib import Path
>>> from outcomes.data import EXAMPLE
>>> fw = load_dataset(EXAMPLE)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from outcomes.model import Framework
from outcomes.sources.problems import DatasetError, Problem, Problems, collecting

__all__ = ["DatasetError", "Problem", "Problems", "collecting", "load_dataset", "read_raw"]


def read_raw(path: Path | str, problems: Problems):  # type: ignore[no-untyped-def]
    """Read a dataset folder or workbook into its raw form."""
    from outcomes.sources.folder import read_folder

    path = Path(path)
    if path.is_dir():
        return read_folder(path, problems)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from outcomes.sources.workbook import read_workbook

        return read_workbook(path, problems)
    if not path.exists():
        problems.add(str(path), "", "", "does not exist.", "check the path to the dataset folder or workbook.")
    else:
        problems.add(str(path), "", "", "is neither a dataset folder nor an .xlsx workbook.",
                     "point at a folder holding framework.yaml, or at an .xlsx workbook.")
    return None


def load_dataset(path: Path | str, *, problems: Problems | None = None) -> Framework:
    """Load and validate a dataset; raise :class:`DatasetError` listing every problem.

    Nothing is returned half-built: either the whole framework, or the error. ``problems`` is the
    collector to use (one writing to a problems file, see :func:`~outcomes.sources.problems.collecting`).
    """
    from outcomes.sources.build import build_framework

    problems = Problems() if problems is None else problems
    raw = read_raw(path, problems)
    framework = build_framework(raw, problems) if raw is not None else None
    problems.raise_if_any(source=str(path))
    assert framework is not None
    return framework
