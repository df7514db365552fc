"""Problems found while reading a dataset, collected and raised together.

Every problem names the file, the row or line, the field and a plain-English fix, so that a
performance officer can correct a spreadsheet without reading a traceback.

Memory stays bounded however broken the file: :class:`Problems` counts every problem by *kind*
(its file and message with the quoted names and numbers taken out, so "'x1' is not a column" and
"'x2' is not a column" are one kind) and keeps only the first :data:`EXAMPLES_PER_KIND` of each
kind (and :data:`MAX_KEPT` in all). The full list goes to a file when one is asked for
(``outcomes check --problems FILE``): each problem is written to it as it is found.

>>> problems = Problems()
>>> for n in range(1000):
...     problems.add("observations.csv", "row 1", f"x{n}", f"'x{n}' is not a column this file can have.")
>>> len(problems), len(problems.items)
(1000, 10)
>>> print("\\n".join(report_lines(problems.items, problems.total, problems.counts)[-3:-1]))
1000 problems in all, by kind:
  1000 × observations.csv: '…' is not a column this file can have.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

#: Examples of each kind of problem kept in memory (and printed).
EXAMPLES_PER_KIND = 10
#: Problems kept in memory in all; the rest are counted (and written to the problems file, if any).
MAX_KEPT = 200
#: Kinds counted separately; any more are counted together as "other problems".
MAX_KINDS = 500
OTHER_KIND = "other problems"


@dataclass(frozen=True)
class Problem:
    file: str
    location: str  # "row 12", "line 40", "sheet Observations cell C12", "" for the whole file
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = ", ".join(part for part in (self.file, self.location) if part)
        what = f" [{self.field}]" if self.field else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{what}: {self.message}{fix}"

    def as_dict(self) -> dict[str, str]:
        return {
            "file": self.file,
            "location": self.location,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
        }

    @property
    def kind(self) -> str:
        """The file and the message with its quoted names and numbers taken out.

        >>> Problem("a.csv", "row 9", "", "has 12 cells but the header has 5.").kind
        'a.csv: has N cells but the header has N.'
        """
        return f"{self.file}: {_kind_of(self.message)}" if self.file else _kind_of(self.message)


_QUOTED = re.compile(r"'[^'\n]*'")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _kind_of(message: str) -> str:
    return _NUMBER.sub("N", _QUOTED.sub("'…'", message))


def report_lines(shown: list[Problem], total: int, counts: dict[str, int], *, problems_file: str = "") -> list[str]:
    """The lines to print: each problem kept, then (when some were not kept) the count of each kind."""
    lines = [f"  - {p}" for p in shown]
    if total > len(shown):
        lines.append(f"{total} problems in all, by kind:")
        for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]:
            lines.append(f"  {n} × {kind}")
        if len(counts) > 20:
            lines.append(f"  ... and {len(counts) - 20} more kinds.")
        if problems_file:
            lines.append(f"Every problem is listed in {problems_file}.")
        else:
            lines.append("To list every problem in a file, run the command again with --problems FILE.")
    elif problems_file:
        lines.append(f"The problems are also listed in {problems_file}.")
    return lines


class DatasetError(Exception):
    """The dataset cannot be used; ``problems`` lists the problems kept (every one, up to
    :data:`MAX_KEPT`); ``total`` and ``counts`` (by kind) count every problem found."""

    def __init__(self, problems: list[Problem], *, source: str = "", total: int | None = None,
                 counts: dict[str, int] | None = None, problems_file: str = "") -> None:
        self.problems = list(problems)
        self.source = source
        self.total = len(self.problems) if total is None else total
        self.counts = dict(counts) if counts is not None else dict(Counter(p.kind for p in self.problems))
        self.problems_file = problems_file
        super().__init__(self.summary())

    def headline(self) -> str:
        return f"{self.total} problem{'s' if self.total != 1 else ''} in {self.source or 'the dataset'}"

    def lines(self) -> list[str]:
        """What to print under the headline (see :func:`report_lines`)."""
        return report_lines(self.problems, self.total, self.counts, problems_file=self.problems_file)

    def summary(self) -> str:
        return self.headline() + ":\n" + "\n".join(self.lines())


@dataclass
class Problems:
    """A collector: add problems as you go, then :meth:`raise_if_any`.

    ``items`` holds the problems kept (the first :data:`EXAMPLES_PER_KIND` of each kind, at most
    :data:`MAX_KEPT`); ``len()`` and ``total`` count every problem; ``counts`` counts them by kind.
    With ``sink`` (an open text file), every problem is also written to it, one a line, as it is added.
    With ``keep_all`` every problem is kept: the converters group and write their problems from
    ``items`` (``outcomes.sources.bulk``), so their collectors keep them all.
    """

    items: list[Problem] = field(default_factory=list)
    sink: TextIO | None = None
    sink_name: str = ""
    total: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    keep_all: bool = False

    def add(self, file: str, location: str, field_name: str, message: str, fix: str = "") -> None:
        self.total += 1
        kind = f"{file}: {_kind_of(message)}" if file else _kind_of(message)
        if kind not in self.counts and len(self.counts) >= MAX_KINDS:
            kind = OTHER_KIND
        count = self.counts[kind] = self.counts[kind] + 1
        keep = self.keep_all or (count <= EXAMPLES_PER_KIND and len(self.items) < MAX_KEPT)
        if keep or self.sink is not None:
            problem = Problem(file, location, field_name, message, fix)
            if keep:
                self.items.append(problem)
            if self.sink is not None:
                self.sink.write(f"{problem}\n")

    def extend(self, found: list[Problem]) -> None:
        """Add problems found elsewhere (a series' own collector), each counted as :meth:`add` counts it."""
        for p in found:
            self.add(p.file, p.location, p.field, p.message, p.fix)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def error(self, *, source: str = "") -> DatasetError:
        return DatasetError(self.items, source=source, total=self.total, counts=dict(self.counts),
                            problems_file=self.sink_name)

    def lines(self) -> list[str]:
        return report_lines(self.items, self.total, dict(self.counts), problems_file=self.sink_name)

    def raise_if_any(self, *, source: str = "") -> None:
        if self.total:
            raise self.error(source=source)


@contextmanager
def collecting(problems_file: str | Path | None = None) -> Iterator[Problems]:
    """A :class:`Problems` collector; with ``problems_file``, every problem is also written there.

    The file is written to a temporary name beside it and renamed into place when the work ends
    (also when it ends with an error), so it is never left half-written; it is empty when there
    was no problem.
    """
    if not problems_file:
        yield Problems()
        return
    path = Path(problems_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as sink:
            try:
                yield Problems(sink=sink, sink_name=str(path))
            finally:
                sink.flush()
                os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
