"""The uncertainty of a rank: a 95% interval for one area's rank among a group, by simulation.

A group comparator ranks the home area among its statistical neighbours ("4th of 11"). Each area's
figure has a confidence interval, so its rank is uncertain too: :func:`rank_interval` gives the range
of ranks the area could plausibly hold ("could be 2nd–7th").

**Method** (parametric simulation, as in Marshall & Spiegelhalter 1998 and Goldstein & Spiegelhalter
1996): each area's true value is drawn ``draws`` times from a distribution matching its published or
computed 95% interval; in every draw the areas are ranked; the interval is the 2.5th and 97.5th
percentiles of the home area's simulated rank. Each draw is a *split normal*: a standard normal ``z``
scaled by ``(upper95 − value) / 1.959964`` above the value and ``(value − lower95) / 1.959964`` below
it, so an asymmetric interval (Wilson, Byar's, exact Poisson) keeps its shape. The random generator is
numpy's PCG64 with a fixed seed, so the same figures always give the same interval (and the draws
for a group size are made once and reused: a framework ranks many groups of the same size).

Sources: Marshall EC, Spiegelhalter DJ. Reliability of league tables of in vitro fertilisation
clinics: retrospective analysis of live birth rates. *BMJ* 1998;316:1701–4. Goldstein H,
Spiegelhalter DJ. League tables and their limitations: statistical issues in comparisons of
institutional performance. *J R Stat Soc A* 1996;159:385–443.

>>> r = rank_interval([50.0, 40.0, 60.0], [45.0, 39.0, 59.0], [55.0, 41.0, 61.0], higher_is_better=True)
>>> r.rank, r.of, r.lower, r.upper
(2, 3, 2, 2)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._common import as_float_array, z_value

__all__ = ["RANK_DRAWS", "RANK_SEED", "RankInterval", "rank_interval"]

#: Simulated draws per rank interval.
RANK_DRAWS = 10_000
#: The fixed seed of the simulation (any fixed number would do; this one is the seed report's date).
RANK_SEED = 20180701

_Z95 = z_value(0.95)


@dataclass(frozen=True)
class RankInterval:
    """The home area's ``rank`` (1 = best; ties share the better rank) of ``of`` areas, and the 95%
    interval of that rank, ``lower``–``upper`` (``lower <= upper``; 1 is the best rank)."""

    rank: int
    of: int
    lower: int
    upper: int

    def text(self) -> str:
        """'4th of 11 (could be 2nd–7th)'; '1st of 11 (certainly 1st)' when the interval is one rank.

        >>> RankInterval(4, 11, 2, 7).text(), RankInterval(1, 11, 1, 1).text()
        ('4th of 11 (could be 2nd–7th)', '1st of 11 (certainly 1st)')
        """
        if self.lower == self.upper:
            return f"{ordinal(self.rank)} of {self.of} (certainly {ordinal(self.lower)})"
        return f"{ordinal(self.rank)} of {self.of} (could be {ordinal(self.lower)}–{ordinal(self.upper)})"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st.

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_interval(
    values: ArrayLike,
    lower95: ArrayLike,
    upper95: ArrayLike,
    *,
    home: int = 0,
    higher_is_better: bool = True,
    draws: int = RANK_DRAWS,
    seed: int = RANK_SEED,
) -> RankInterval:
    """The rank of area ``home`` among ``values`` and its 95% interval, from every area's 95% limits.

    ``values``, ``lower95`` and ``upper95`` have one entry per area (the home area included, at
    index ``home``); every entry must be finite with ``lower95 <= value <= upper95``. Rank 1 is the
    highest value when ``higher_is_better``, else the lowest.

    Two areas whose difference has a known normal distribution give the interval exactly: with
    ``P(home ranks 1st) = Φ(d / √(s₀² + s₁²))``, the upper limit is 2 exactly when that probability is
    below 0.975.

    >>> rank_interval([10.0, 9.0], [9.0, 8.0], [11.0, 10.0]).text()
    '1st of 2 (could be 1st–2nd)'
    >>> rank_interval([10.0, 5.0], [9.0, 4.0], [11.0, 6.0]).text()
    '1st of 2 (certainly 1st)'
    """
    v = np.atleast_1d(as_float_array(values))
    lo = np.atleast_1d(as_float_array(lower95))
    hi = np.atleast_1d(as_float_array(upper95))
    if not (v.shape == lo.shape == hi.shape) or v.ndim != 1 or v.size < 2:
        raise ValueError("values, lower95 and upper95 need one entry per area, for at least two areas")
    if not (np.all(np.isfinite(v)) and np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        raise ValueError("every area needs a finite value and 95% limits")
    if np.any(lo > v) or np.any(hi < v):
        raise ValueError("each value must lie within its 95% limits")
    if not 0 <= home < v.size:
        raise ValueError(f"home must index one of the {v.size} areas")
    sign = 1.0 if higher_is_better else -1.0
    score = sign * v
    rank = int(np.sum(np.delete(score, home) > score[home])) + 1

    # Each area's draws are one contiguous row of the transposed normals (the same numbers as
    # ``default_rng(seed).standard_normal((draws, areas))``): value + z × its half-width on z's side.
    # Comparing with the sign flipped is comparing the other way, so lower-is-better needs no negation.
    z, positive = _standard_normals(seed, draws, v.size)
    simulated = z * np.where(positive, ((hi - v) / _Z95)[:, None], ((v - lo) / _Z95)[:, None])
    simulated += v[:, None]
    home_draws = simulated[home]
    beats = np.greater if higher_is_better else np.less
    ranks = np.ones(draws, dtype=np.int64)
    for area in range(v.size):
        if area != home:
            ranks += beats(simulated[area], home_draws)
    lower, upper = _rank_percentiles(ranks, v.size)
    return RankInterval(rank, int(v.size), lower, upper)


def _rank_percentiles(ranks: NDArray[np.int64], areas: int) -> tuple[int, int]:
    """``np.quantile(ranks, [0.025, 0.975], method="inverted_cdf")`` as whole ranks, without sorting:
    that method picks the values at two positions of the sorted draws that depend only on how many
    there are (:func:`_percentile_positions`), and with ranks 1…``areas`` the value at a position is
    read from the running count of each rank."""
    first, last = _percentile_positions(int(ranks.size))
    running = np.cumsum(np.bincount(ranks, minlength=areas + 1))
    lower, upper = np.searchsorted(running, [first, last], side="right").tolist()
    return int(lower), int(upper)


@lru_cache(maxsize=16)
def _percentile_positions(draws: int) -> tuple[int, int]:
    """The positions in ``draws`` sorted values that ``np.quantile(..., [0.025, 0.975],
    method="inverted_cdf")`` returns (asked of numpy itself, on the positions 0…draws−1)."""
    lower, upper = np.quantile(np.arange(draws), [0.025, 0.975], method="inverted_cdf").tolist()
    return int(lower), int(upper)


@lru_cache(maxsize=16)
def _standard_normals(seed: int, draws: int, areas: int) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The simulation's standard normal draws, transposed to ``(areas, draws)`` (one contiguous row per
    area), and where they are ``>= 0``. A fresh PCG64 from ``seed`` gives the same numbers every time,
    so they are drawn once per group size and shared (read-only)."""
    z = np.ascontiguousarray(np.random.default_rng(seed).standard_normal((draws, areas)).T)
    positive = z >= 0
    z.flags.writeable = False
    positive.flags.writeable = False
    return z, positive
