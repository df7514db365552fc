"""Problems found while reading a dataset, collected and raised together.

Every problem names the file, the row or line, the field and a plain-English fix, so that a
performance officer can correct a spreadsheet without reading a traceback.

Memory stays bounded however broken the file: :class:`Problems` counts every problem by *kind*
(its file and message with the quoted names and numbers taken out, so "'x1' is not a column" and
"'x2' is not a column" are one kind) and keeps only the first :data:`EXAMPLES_PER_KIND` of each
kind (and :data:`MAX_KEPT` in all). The full list goes to a file when one is asked for
(``--problems FILE`` on ``check``, ``import`` and every converter): :func:`collecting` opens it as
a CSV file (:data:`PROBLEMS_FILE_COLUMNS`, which opens in Excel) and each problem is written to it
as it is found. :func:`report_lines` is what every command prints: every problem when there are
few, else each kind with its count and first examples, and where the full list is.

>>> problems = Problems()
>>> for n in range(1000):
...     problems.add("observations.csv", "row 1", f"x{n}", f"'x{n}' is not a column this file can have.")
>>> len(problems), len(problems.items)
(1000, 10)
>>> print("\\n".join(problems.lines()[:2]))
  1000 × observations.csv: '…' is not a column this file can have.
      e.g. observations.csv, row 1 [x0]: 'x0' is not a column this file can have.
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

from outcomes.sources.spreadsheet import escape_formula

#: Examples of each kind of problem kept in memory.
EXAMPLES_PER_KIND = 10
#: Problems kept in memory in all; the rest are counted (and written to the problems file, if any).
MAX_KEPT = 200
#: Kinds counted separately; any more are counted together as "other problems".
MAX_KINDS = 500
OTHER_KIND = "other problems"
#: Up to this many problems, every one is printed; above it, each kind with its count and first examples.
LIST_ALL_UP_TO = 20
#: Examples printed under each kind.
EXAMPLES_SHOWN = 3
#: Kinds printed (the most frequent first); the rest are counted in one line.
KINDS_SHOWN = 20
#: The columns of the problems file (``--problems FILE``), a CSV file with a header row.
PROBLEMS_FILE_COLUMNS = ("file", "location", "field", "message", "fix", "kind")


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
        return _kind(self.file, self.message)


_FORMULA_FIRST = frozenset("'=+-@\t\r")  # the first characters escape_formula may escape (a fast test)
_QUOTED = re.compile(r"'[^'\n]*'")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _kind(file: str, message: str) -> str:
    text = _NUMBER.sub("N", _QUOTED.sub("'…'", message))
    return f"{file}: {text}" if file else text


def _csv_row(cells: list[str] | tuple[str, ...]) -> str:
    """One CSV record, every cell quoted (RFC 4180; a few times quicker than ``csv.writer`` per row).

    >>> _csv_row(["a.csv", 'say "hi", twice'])
    '"a.csv","say ""hi"", twice"\\r\\n'
    """
    return ",".join(['"' + cell.replace('"', '""') + '"' for cell in cells]) + "\r\n"


def report_lines(shown: list[Problem], total: int, counts: dict[str, int], *, problems_file: str = "") -> list[str]:
    """The lines every command prints under its headline ("N problems to fix").

    Every problem when there are few (up to :data:`LIST_ALL_UP_TO`, all kept); else each kind, the most
    frequent first, with its count and its first :data:`EXAMPLES_SHOWN` examples. The last line says
    where the full list is, or how to get it.

    >>> few = [Problem("a.csv", "row 2", "value", "'x' is not a number.", "write a number.")]
    >>> print(*report_lines(few, 1, {few[0].kind: 1}))
      - a.csv, row 2 [value]: 'x' is not a number. Fix: write a number.
    """
    if total <= LIST_ALL_UP_TO and len(shown) == total:
        lines = [f"  - {p}" for p in shown]
        if problems_file:
            lines.append(f"Every problem is also listed in {problems_file}.")
        return lines
    examples: dict[str, list[Problem]] = {}
    for p in shown:
        examples.setdefault(p.kind, []).append(p)
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])  # stable: kinds found first come first among equals
    lines = []
    for kind, n in ranked[:KINDS_SHOWN]:
        lines.append(f"  {n} × {kind}")
        lines.extend(f"      e.g. {p}" for p in examples.get(kind, [])[:EXAMPLES_SHOWN])
    if len(ranked) > KINDS_SHOWN:
        rest = sum(n for _, n in ranked[KINDS_SHOWN:])
        lines.append(f"  ... and {rest} more problems of {len(ranked) - KINDS_SHOWN} other kinds.")
    if problems_file:
        lines.append(f"Every problem is listed in {problems_file}.")
    else:
        lines.append("To list every problem in a file that opens in Excel, run the command again with "
                     "--problems FILE.csv.")
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
    With ``sink`` (an open text file, see :func:`collecting`), every problem is also written to it as a
    CSV row (:data:`PROBLEMS_FILE_COLUMNS`) as it is added. Only :meth:`add` and :meth:`absorb` change
    the counts: never append to ``items``.
    """

    items: list[Problem] = field(default_factory=list)
    sink: TextIO | None = None
    sink_name: str = ""
    total: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, file: str, location: str, field_name: str, message: str, fix: str = "") -> None:
        self.total += 1
        kind = self._count(_kind(file, message), 1)
        keep = self.counts[kind] <= EXAMPLES_PER_KIND and len(self.items) < MAX_KEPT
        if keep or self.sink is not None:
            problem = Problem(file, location, field_name, message, fix)
            if keep:
                self.items.append(problem)
            if self.sink is not None:
                self.sink.write(_csv_row([escape_formula(text) if text[:1] in _FORMULA_FIRST else text
                                          for text in (file, location, field_name, message, fix, kind)]))

    def _count(self, kind: str, n: int) -> str:
        if kind not in self.counts and len(self.counts) >= MAX_KINDS:
            kind = OTHER_KIND
        self.counts[kind] += n
        return kind

    def part(self) -> Problems:
        """A collector for one part of the work (a series) writing to the same problems file: its
        problems are counted apart, until :meth:`absorb` takes them in (or they are set aside)."""
        return Problems(sink=self.sink, sink_name=self.sink_name)

    def absorb(self, other: Problems) -> None:
        """Count ``other``'s problems as this collector's (its :meth:`part`: they are in the problems
        file already); its examples are kept as :meth:`add` would keep them."""
        self.total += other.total
        for kind, n in other.counts.items():
            self._count(kind, n)
        kept = Counter(p.kind for p in self.items)
        for p in other.items:
            kept[p.kind] += 1
            if kept[p.kind] <= EXAMPLES_PER_KIND and len(self.items) < MAX_KEPT:
                self.items.append(p)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def error(self, *, source: str = "") -> DatasetError:
        return DatasetError(self.items, source=source, total=self.total, counts=dict(self.counts),
                            problems_file=self.sink_name)

    def lines(self) -> list[str]:
        """What to print (see :func:`report_lines`)."""
        return report_lines(self.items, self.total, dict(self.counts), problems_file=self.sink_name)

    def raise_if_any(self, *, source: str = "") -> None:
        if self.total:
            raise self.error(source=source)


@contextmanager
def collecting(problems_file: str | Path | None = None) -> Iterator[Problems]:
    """A :class:`Problems` collector; with ``problems_file``, every problem is also written there.

    The file is CSV with a header row (:data:`PROBLEMS_FILE_COLUMNS`), UTF-8 with a byte-order mark so
    that Excel opens it as such; text that a spreadsheet would take for a formula is escaped as in
    every export. It is written to a temporary name beside it and renamed into place when the work
    ends (also when it ends with an error), so it is never left half-written; it holds only the
    header when there was no problem.
    """
    if not problems_file:
        yield Problems()
        return
    path = Path(problems_file)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8-sig", newline="", buffering=1 << 20) as sink:
            sink.write(_csv_row(PROBLEMS_FILE_COLUMNS))
            try:
                yield Problems(sink=sink, sink_name=str(path))
            finally:
                sink.flush()
                os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
