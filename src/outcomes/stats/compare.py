"""Comparison of an area's value with a benchmark, by confidence-interval overlap.

This is the comparison Fingertips (the UK public-health data platform) uses for its "compared with
benchmark" colours: the area is *similar* when the benchmark value lies inside the area's confidence
interval (limits included), otherwise *better* or *worse* according to the indicator's polarity
(*higher* or *lower* when the polarity makes no judgement). With 99.8% limits as well as 95% limits,
``level`` records whether the difference also holds at 99.8% or only at 95%.

:func:`compare_with_benchmark` judges one area and explains itself; :func:`compare_with_benchmark_array`
judges many at once and returns integer codes (indices into :data:`JUDGEMENTS`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ._common import as_float_array

__all__ = [
    "BETTER",
    "HIGHER",
    "JUDGEMENTS",
    "LOWER",
    "NOT_COMPARED",
    "POLARITIES",
    "SIMILAR",
    "WORSE",
    "Comparison",
    "ComparisonArray",
    "compare_with_benchmark",
    "compare_with_benchmark_array",
]

#: Judgements, indexed by the codes that :func:`compare_with_benchmark_array` returns.
JUDGEMENTS: tuple[str, ...] = ("not compared", "better", "similar", "worse", "higher", "lower")
NOT_COMPARED, BETTER, SIMILAR, WORSE, HIGHER, LOWER = range(6)
#: The accepted polarities.
POLARITIES: tuple[str, ...] = ("higher-is-better", "lower-is-better", "no-judgement")


@dataclass(frozen=True)
class Comparison:
    """The judgement of one area against its benchmark.

    ``judgement`` is one of :data:`JUDGEMENTS`; ``level`` is 0.998 when the difference holds at
    99.8%, 0.95 when it holds at 95% only (or no 99.8% limits were given), and ``None`` when the area
    is similar or not compared; ``reason`` states the numbers.
    """

    judgement: str
    level: float | None
    reason: str


@dataclass(frozen=True)
class ComparisonArray:
    """Judgements of many areas: ``codes`` index :data:`JUDGEMENTS`; ``levels`` is NaN where no difference."""

    codes: NDArray[np.int8]
    levels: NDArray[np.float64]

    @property
    def judgements(self) -> NDArray[np.str_]:
        """The judgements as strings (same shape as ``codes``)."""
        return np.asarray(JUDGEMENTS)[self.codes]


def _polarity_codes(polarity: str | ArrayLike) -> NDArray[np.int8]:
    p = np.asarray(polarity, dtype=object)
    known = np.isin(p, np.asarray(POLARITIES, dtype=object))
    if not np.all(known):
        bad = sorted({str(v) for v in np.atleast_1d(p)[~np.atleast_1d(known)]})
        raise ValueError(f"polarity must be one of {', '.join(POLARITIES)}; got {', '.join(bad)}")
    return np.select([p == POLARITIES[0], p == POLARITIES[1]], [0, 1], 2).astype(np.int8)


def _direction(
    benchmark: NDArray[np.float64], lower: NDArray[np.float64], upper: NDArray[np.float64]
) -> NDArray[np.int8]:
    """+1 where the whole interval is above the benchmark, −1 below, 0 where it contains it (or NaN)."""
    with np.errstate(invalid="ignore"):
        return np.where(lower > benchmark, 1, np.where(upper < benchmark, -1, 0)).astype(np.int8)


def compare_with_benchmark_array(
    values: ArrayLike,
    benchmarks: ArrayLike,
    *,
    lower95: ArrayLike,
    upper95: ArrayLike,
    lower998: ArrayLike | None = None,
    upper998: ArrayLike | None = None,
    polarity: str | ArrayLike,
) -> ComparisonArray:
    """Vectorised :func:`compare_with_benchmark`: integer codes and levels for many areas at once.

    All inputs broadcast together (``polarity`` may be one string or an array of strings). A code is
    ``NOT_COMPARED`` where the value, the benchmark or a 95% limit is missing.

    >>> result = compare_with_benchmark_array(
    ...     [12.0, 10.0, 8.0, np.nan], 10.0, lower95=[10.5, 9.0, 6.0, np.nan], upper95=[13.5, 11.0, 9.5, np.nan],
    ...     lower998=[10.1, 8.5, 5.5, np.nan], upper998=[14.0, 11.5, 10.2, np.nan], polarity="lower-is-better")
    >>> result.judgements.tolist()
    ['worse', 'similar', 'better', 'not compared']
    >>> result.levels.tolist()
    [0.998, nan, 0.95, nan]
    """
    v = as_float_array(values)
    b = as_float_array(benchmarks)
    lo = as_float_array(lower95)
    hi = as_float_array(upper95)
    lo998 = as_float_array(lower998)
    hi998 = as_float_array(upper998)
    pol = _polarity_codes(polarity)
    v, b, lo, hi, lo998, hi998, pol = np.broadcast_arrays(v, b, lo, hi, lo998, hi998, pol)

    compared = np.isfinite(v) & np.isfinite(b) & np.isfinite(lo) & np.isfinite(hi)
    direction = np.where(compared, _direction(b, lo, hi), 0)
    # codes for direction +1 / −1 by polarity (rows: higher-is-better, lower-is-better, no-judgement)
    up = np.array([BETTER, WORSE, HIGHER], dtype=np.int8)[pol]
    down = np.array([WORSE, BETTER, LOWER], dtype=np.int8)[pol]
    codes = np.where(direction > 0, up, np.where(direction < 0, down, SIMILAR))
    codes = np.where(compared, codes, NOT_COMPARED).astype(np.int8)

    holds_998 = (direction != 0) & (_direction(b, lo998, hi998) == direction)
    levels = np.where(direction != 0, np.where(holds_998, 0.998, 0.95), np.nan)
    return ComparisonArray(codes=codes, levels=levels)


def _fmt(x: float) -> str:
    return f"{x:.6g}"


def compare_with_benchmark(
    value: float,
    benchmark: float,
    *,
    lower95: float,
    upper95: float,
    lower998: float | None = None,
    upper998: float | None = None,
    polarity: str,
) -> Comparison:
    """Judge one area's value against a benchmark by whether the benchmark lies in its interval.

    The area is ``"similar"`` when ``lower95 <= benchmark <= upper95``; otherwise its whole interval
    is above or below the benchmark, which is ``"better"`` or ``"worse"`` by ``polarity``
    (``"higher-is-better"``, ``"lower-is-better"``), or ``"higher"``/``"lower"`` for
    ``"no-judgement"``. ``"not compared"`` when the value, benchmark or a 95% limit is missing.
    ``level`` is 0.998 when the 99.8% interval also excludes the benchmark, else 0.95.

    >>> c = compare_with_benchmark(12.0, 10.0, lower95=10.5, upper95=13.5, lower998=9.8, upper998=14.2,
    ...                            polarity="higher-is-better")
    >>> c.judgement, c.level
    ('better', 0.95)
    >>> print(c.reason)
    value 12 (95% CI 10.5 to 13.5) is higher than the benchmark 10, which lies below the 95% interval; the 99.8% interval (9.8 to 14.2) contains the benchmark, so the difference holds at 95% only; higher is better
    >>> compare_with_benchmark(9.0, 10.0, lower95=7.5, upper95=10.0, polarity="lower-is-better").judgement
    'similar'
    """
    result = compare_with_benchmark_array(
        value,
        benchmark,
        lower95=lower95,
        upper95=upper95,
        lower998=lower998,
        upper998=upper998,
        polarity=polarity,
    )
    code = int(result.codes)
    level = float(result.levels)
    inputs = {"value": value, "benchmark": benchmark, "lower95": lower95, "upper95": upper95}
    missing = [k for k, x in inputs.items() if x is None or not np.isfinite(float(x))]
    if code == NOT_COMPARED:
        return Comparison("not compared", None, f"not compared: missing {', '.join(missing)}")

    v, b, lo, hi = (float(x) for x in (value, benchmark, lower95, upper95))
    head = f"value {_fmt(v)} (95% CI {_fmt(lo)} to {_fmt(hi)})"
    if code == SIMILAR:
        return Comparison(
            "similar", None, f"{head}: the benchmark {_fmt(b)} lies inside the 95% interval, so similar"
        )
    above = lo > b
    side = "below" if above else "above"
    reason = f"{head} is {'higher' if above else 'lower'} than the benchmark {_fmt(b)}, which lies {side} the 95% interval"
    lo998, hi998 = float(as_float_array(lower998)), float(as_float_array(upper998))
    span = f"the 99.8% interval ({_fmt(lo998)} to {_fmt(hi998)})"
    if level == 0.998:
        reason += f"; {span} excludes it too, so the difference holds at 99.8%"
    elif np.isfinite(lo998) and np.isfinite(hi998):
        reason += f"; {span} contains the benchmark, so the difference holds at 95% only"
    else:
        reason += "; no 99.8% limits were given, so the difference is judged at 95%"
    if polarity != "no-judgement":
        reason += f"; {polarity.replace('-', ' ')}"
    return Comparison(JUDGEMENTS[code], level, reason)
