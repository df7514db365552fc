"""The library's failures as the web app's own exceptions."""

from __future__ import annotations


# ============================================================================================ errors
class DatasetProblems(Exception):
    """A dataset cannot be used; ``problems`` are the library's messages, one per problem kept (the
    first of each kind); ``total`` counts every problem and ``lines`` is what to print (the problems
    kept, then a count by kind when some were not kept)."""

    def __init__(self, problems: list[str], source: str = "", *, total: int | None = None,
                 lines: list[str] | None = None) -> None:
        self.problems = problems
        self.source = source
        self.total = len(problems) if total is None else total
        self.lines = lines if lines is not None else [f"  - {p}" for p in problems]
        super().__init__(f"{self.total} problem(s) in {source or 'the dataset'}")


class ReportUnavailable(Exception):
    """The report renderer (``outcomes.report``) is not installed or cannot render this report."""


class BadPeriod(ValueError):
    """A period given in a URL or option could not be read; the message says how to write it."""
