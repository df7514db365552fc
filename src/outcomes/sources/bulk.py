"""The bulk policy of the converters: a national file always has bad rows.

A series with any problem is left out *whole* (never part of one) and the rest are converted; with
``strict`` its problems stay problems and nothing is written. The problems themselves are counted,
kept and written to the problems file by :class:`~outcomes.sources.problems.Problems` (each series
collects into its own :meth:`~outcomes.sources.problems.Problems.part`, which writes to the same
file as it goes), so memory stays bounded however many rows are bad.

>>> from outcomes.sources.problems import Problems
>>> problems, left_out = Problems(), LeftOut()
>>> good, bad = problems.part(), problems.part()
>>> for n in range(30):
...     bad.add("f.csv", f"row {n + 2}", "Values", f"'n.a{n}' is neither a number nor a known suppression marker.")
>>> left_out.settle("good", good, problems), left_out.settle("bad", bad, problems)
(True, False)
>>> left_out.series, len(left_out.problems), len(problems)
({'bad': 30}, 30, 0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from outcomes.sources.problems import Problems

__all__ = ["LeftOut"]

#: Left-out series named on screen (the problems file has every one).
SERIES_NAMED = 20


@dataclass
class LeftOut:
    """Series left out of a conversion because they have problems.

    Give each series its own ``problems.part()``; :meth:`settle` decides: no problem → keep it; else
    leave the whole series out (``series`` counts its problems, ``problems`` counts them by kind with
    the first examples), or, when ``strict``, count its problems as the conversion's so that nothing
    is written.
    """

    strict: bool = False
    series: dict[str, int] = field(default_factory=dict)
    problems: Problems = field(default_factory=Problems)

    def settle(self, series_id: str, own: Problems, problems: Problems) -> bool:
        if not own:
            return True
        if self.strict:
            problems.absorb(own)
        else:
            if not self.series:
                self.problems = problems.part()  # names the same problems file
            self.series[series_id] = self.series.get(series_id, 0) + len(own)
            self.problems.absorb(own)
        return False

    def fail(self, problems: Problems) -> None:
        """Nothing is left to convert: the left-out series' problems become the conversion's."""
        self.strict = True
        problems.absorb(self.problems)

    def lines(self) -> list[str]:
        if not self.series:
            return []
        names = sorted(self.series)
        more = f" and {len(names) - SERIES_NAMED} more" if len(names) > SERIES_NAMED else ""
        return [f"Left out {len(names)} series with problems (the others are converted whole; --strict converts "
                f"nothing when any series has a problem): {', '.join(names[:SERIES_NAMED])}{more}.",
                *self.problems.lines()]
