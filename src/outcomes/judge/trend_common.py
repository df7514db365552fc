"""Small helpers shared by the trend methods: a value as a float, whether it is finite, 'not assessed',
and the cheap number printing of the trend sentences (the same text as :func:`.method.format_value`).

The trend path prints tens of thousands of numbers for a large framework, so the pieces that do not
change from one number to the next are worked out once: a unit's prefix and suffix
(:func:`unit_affixes`), the decimals a value needs (:func:`decimals_of`, which remembers each
value's answer of :func:`.method.decimals_for`), and the format spec for a number of decimals
(:data:`GROUPED`, :data:`PLAIN`: looked up, not built in a nested f-string field; :data:`PRINTF` for
a figure that cannot reach 1,000, which has no thousands separator to place).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from outcomes.model import Observation, Period, PeriodKind, Unit

from .method import (
    KNOWN_DECIMALS,
    Judgement,
    decimals_for,
    judgement,
    method_label,
)

_isfinite = math.isfinite


def _finite(o: Observation) -> bool:
    return o.value is not None and math.isfinite(o.value)


def _f(x: float | None) -> float:
    return math.nan if x is None else float(x)


_NONE_LABEL = method_label("none")


def _not_assessed(reason: str, why: str, **values: object) -> Judgement:
    return judgement("not assessed", None, "none", _NONE_LABEL, reason, why, values)




def decimals_of(values: Iterable[float | None]) -> int:
    """``decimals_for(*values)``, each value's own answer remembered (the most any value needs).

    >>> decimals_of([59.4, 53.0, None, math.nan]), decimals_of([3553, 3766]), decimals_of([33.33, 28.7])
    (1, 0, 2)
    """
    most = 0
    cache = KNOWN_DECIMALS  # decimals_for's own cache: value -> the decimals it needs alone
    for v in values:
        d = cache.get(v)  # type: ignore[arg-type]
        if d is None:
            if v is None or v != v:  # None and NaN need no decimals (and NaN is never found again)
                continue
            d = decimals_for(v)  # remembers it in the shared cache
        if d > most:
            most = d
    return most


def decimals_of_rows(rows: list[list[float]]) -> list[int]:
    """``decimals_for(*row)`` of every row at once (numpy; rows of one length in one array each).

    The arithmetic is :func:`.method.decimals_for`'s: a value's decimals are those of
    ``round(|v| × 1000) % 1000`` without its trailing zeros (``np.rint`` rounds half to even as
    ``round`` does, on the same product); a whole number has none; NaN and infinities are skipped.

    >>> decimals_of_rows([[59.4, 53.0], [3553, 3766], [33.33, 28.7, math.nan], [1e15 + 2, 0.0005]])
    [1, 0, 2, 3]
    """
    out = [0] * len(rows)
    by_length: dict[int, list[int]] = {}
    for i, row in enumerate(rows):
        by_length.setdefault(len(row), []).append(i)
    for length, members in by_length.items():
        if length == 0:
            continue
        block = np.array([rows[i] for i in members], dtype=np.float64)
        for i, d in zip(members, decimals_of_block(block), strict=True):
            out[i] = d
    return out


def decimals_of_block(block: np.ndarray) -> list[int]:
    """:func:`decimals_of_rows` of the rows of a two-dimensional float array (at least one column).

    >>> decimals_of_block(np.array([[59.4, 53.0], [3553, 3766], [33.33, math.nan]]))
    [1, 0, 2]
    """
    with np.errstate(invalid="ignore", over="ignore"):
        frac = np.fmod(np.rint(np.abs(block) * 1000.0), 1000.0)
    frac = np.where(np.isfinite(frac), frac, 0.0)
    digits = np.where(
        frac == 0, 0, np.where(np.fmod(frac, 100.0) == 0, 1, np.where(np.fmod(frac, 10.0) == 0, 2, 3))
    )
    return digits.max(axis=1).tolist()  # type: ignore[no-any-return]


class _Specs(dict[int, str]):
    """Format specs by number of decimals: ``GROUPED[1] == ",.1f"`` (thousands separators) and
    ``PLAIN[1] == ".1f"``; any other number is worked out when asked (the same spec a nested f-string
    field would build, which costs more than looking it up)."""

    def __init__(self, template: str) -> None:
        super().__init__((d, template.format(d)) for d in range(16))
        self.template = template

    def __missing__(self, d: int) -> str:
        return self.template.format(d)


#: ``f"{x:{GROUPED[d]}}" == f"{x:,.{d}f}"`` and ``f"{x:{PLAIN[d]}}" == f"{x:.{d}f}"``
GROUPED = _Specs(",.{}f")
PLAIN = _Specs(".{}f")
#: ``PRINTF[d] % x == f"{x:,.{d}f}"`` when ``-999 < x < 999`` (no thousands separator to place; printf
#: rounds as format does, and costs less): the sentences print most figures this way
PRINTF = _Specs("%.{}f")


def unit_affixes(unit: Unit) -> tuple[int | None, str, str]:
    """The unit's fixed decimals (or None), and the text before and after a number, as
    :func:`.method.format_value` prints them: ``(None, "", "%")``, ``(None, "", " per 10,000")``.
    Remembered by the unit object's identity (units are immutable, and series share them)."""
    entry = _AFFIXES.get(id(unit))
    if entry is not None and entry[0] is unit:
        return entry[1]
    kind = unit.type
    if kind == "percentage":
        affixes = unit.decimals, "", "%"
    elif kind == "currency":
        affixes = unit.decimals, unit.currency, ""
    elif kind == "rate" and unit.per:
        affixes = unit.decimals, "", f" per {unit.per:,}"
    else:
        affixes = unit.decimals, "", ""
    if len(_AFFIXES) > 65_536:  # a loaded dataset may give each series its own Unit
        _AFFIXES.clear()
    _AFFIXES[id(unit)] = (unit, affixes)
    return affixes


#: :func:`unit_affixes` by the unit object's id; the entry keeps the unit alive, so its id is not
#: reused while the entry stands (a lookup without hashing the unit's fields)
_AFFIXES: dict[int, tuple[Unit, tuple[int | None, str, str]]] = {}


def fmt(affixes: tuple[int | None, str, str], value: float | None, decimals: int | None = None) -> str:
    """``format_value(unit, value, decimals)`` with the unit's :func:`unit_affixes`.

    >>> fmt(unit_affixes(Unit("rate", per=10_000)), 53, 1), fmt(unit_affixes(Unit("percentage")), 7.3)
    ('53.0 per 10,000', '7.3%')
    """
    if value is None or not _isfinite(value):
        return "no value"
    fixed, before, after = affixes
    d = fixed if fixed is not None else decimals
    if d is None:
        d = decimals_for(value)
    return f"{before}{value:{GROUPED[d]}}{after}"


def in_period(period: Period) -> str:
    """``period_phrase(period)``: 'in 2016-17', 'on 31 March 2018', 'in the 12 months to March 2017'."""
    kind = period.kind
    if kind is PeriodKind.DATE:
        return f"on {period!s}"
    if kind is PeriodKind.ROLLING:
        return f"in the {period!s}"
    return f"in {period!s}"
