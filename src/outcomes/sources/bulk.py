"""Problems in bulk: a national file always has bad rows.

One small place for what every converter (and ``outcomes check``/``import``) needs when there are
thousands of problems:

* :func:`group_problems` — problems grouped by *kind* (the message with its particular values taken
  out), each with its count and its first examples, biggest group first;
* :func:`write_problems` — the full list as a CSV file (``--problems FILE``);
* :class:`LeftOut` — the bulk policy for converters: a series with any problem is left out *whole*
  (never part of one) and the rest are converted; with ``strict`` the problems stay problems and
  nothing is written.

>>> from outcomes.sources.problems import Problem
>>> items = [Problem("f.csv", f"row {n}", "Values", f"'{v}' is neither a number nor a known suppression marker.")
...          for n, v in ((2, "n.a"), (3, "?"), (9, "n.a"))]
>>> [(g.kind, g.count, len(g.examples)) for g in group_problems(items, examples=2)]
[("'…' is neither a number nor a known suppression marker. [Values]", 3, 2)]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from outcomes.sources.problems import Problem, Problems

__all__ = ["LeftOut", "ProblemGroup", "group_problems", "problem_kind", "summary_lines", "write_problems"]

_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")
_NUMBERS = re.compile(r"\b[A-Z]?\d[\d,./-]*\b")


def problem_kind(problem: Problem) -> str:
    """The problem's message with its particular values (quoted text, codes, numbers) taken out."""
    text = _NUMBERS.sub("#", _QUOTED.sub("'…'", problem.message))
    return f"{text} [{problem.field}]" if problem.field else text


@dataclass
class ProblemGroup:
    kind: str
    count: int = 0
    examples: list[Problem] = field(default_factory=list)


def group_problems(problems: Iterable[Problem], *, examples: int = 3) -> list[ProblemGroup]:
    """Problems grouped by kind, biggest group first, with the first ``examples`` of each."""
    groups: dict[str, ProblemGroup] = {}
    for p in problems:
        g = groups.setdefault(problem_kind(p), ProblemGroup(problem_kind(p)))
        g.count += 1
        if len(g.examples) < examples:
            g.examples.append(p)
    return sorted(groups.values(), key=lambda g: -g.count)


def summary_lines(problems: list[Problem], *, examples: int = 3, full_list_below: int = 20) -> list[str]:
    """Lines to print: every problem when there are few, else each kind with its count and first examples."""
    if len(problems) <= full_list_below:
        return [f"  - {p}" for p in problems]
    lines = []
    for g in group_problems(problems, examples=examples):
        lines.append(f"  {g.count} × {g.kind}")
        lines.extend(f"      e.g. {p}" for p in g.examples)
    return lines


def write_problems(path: Path, problems: Iterable[Problem]) -> int:
    """Write every problem to a CSV file (file, location, field, message, fix, kind); return how many."""
    count = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "location", "field", "message", "fix", "kind"])
        for p in problems:
            writer.writerow([p.file, p.location, p.field, p.message, p.fix, problem_kind(p)])
            count += 1
    return count


@dataclass
class LeftOut:
    """Series left out of a conversion because they have problems (the bulk policy).

    Give each series its own :class:`Problems`; :meth:`settle` decides: no problem → keep it; else
    leave the whole series out (and remember why), or, when ``strict``, pass its problems on so that
    nothing is written.
    """

    strict: bool = False
    series: dict[str, list[Problem]] = field(default_factory=dict)

    def settle(self, series_id: str, own: Problems, problems: Problems) -> bool:
        if not own:
            return True
        if self.strict:
            problems.extend(own.items)
        else:
            self.series.setdefault(series_id, []).extend(own.items)
        return False

    @property
    def problems(self) -> list[Problem]:
        return [p for items in self.series.values() for p in items]

    def lines(self) -> list[str]:
        if not self.series:
            return []
        n = len(self.series)
        out = [f"Left out {n} series with problems (the others are converted whole; --strict converts nothing "
               f"when any series has a problem): {', '.join(sorted(self.series))}."]
        return out + summary_lines(self.problems)
