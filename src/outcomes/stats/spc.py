"""XmR statistical process control charts as NHS England's "Making Data Count" defines them.

The centre line is the mean; the process limits are ``mean ± 2.66 × mean moving range``, after
screening out moving ranges of ``3.267 ×`` the mean moving range or more. Special-cause variation is
flagged by four rules, in this precedence (a point takes the type of the first rule that flags it):

1. a point outside the process limits;
2. a run of 7 points each strictly higher (or each strictly lower) than the one before — all 7 flagged;
3. two of three consecutive points in the outer third (beyond ``mean ± ⅔ × 2.66 × mean moving range``
   but not outside the limits), all three on the same side of the mean — the outer-third points flagged;
4. a run of 7 points on the same side of the mean (a point exactly on the mean breaks it) — all flagged.

The detailed conventions follow the NHS-R Community package NHSRplotthedots (the R implementation of
the Making Data Count Excel tool); ``docs/methods.md`` records each one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "ASSURANCE_ICONS",
    "IMPROVEMENT_DIRECTIONS",
    "POINT_TYPES",
    "SPECIAL_CAUSE_RULES",
    "VARIATION_ICONS",
    "XmR",
    "xmr",
    "xmr_many",
    "xmr_rows",
]

#: Limits are the mean ± this many mean moving ranges.
LIMIT_FACTOR = 2.66
#: Moving ranges of this many mean moving ranges or more are screened out before the limits are set.
SCREEN_FACTOR = 3.267
#: Length of a trend (rule 2) or a shift (rule 4).
RUN_LENGTH = 7
#: Limits from fewer points than this are trial limits.
TRIAL_BELOW = 13

IMPROVEMENT_DIRECTIONS: tuple[str, ...] = ("increase", "decrease", "neutral")
#: ``point_types`` values; "missing" marks a NaN value (which is never judged).
POINT_TYPES: tuple[str, ...] = (
    "common_cause",
    "special_cause_improvement",
    "special_cause_concern",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
    "missing",
)
#: ``rules`` values: the rule that flagged each point ("" when none).
SPECIAL_CAUSE_RULES: tuple[str, ...] = ("outside_limits", "trend", "two_of_three", "shift")
VARIATION_ICONS: tuple[str, ...] = (
    "common_cause",
    "special_cause_improving_high",
    "special_cause_improving_low",
    "special_cause_concerning_high",
    "special_cause_concerning_low",
    "special_cause_neutral_high",
    "special_cause_neutral_low",
)
ASSURANCE_ICONS: tuple[str, ...] = ("consistent_pass", "consistent_fail", "inconsistent")

_POINT_TYPE_ARRAY = np.array(POINT_TYPES)
# index 0 is "no rule"; then the rules from the lowest precedence to the highest
_RULE_ARRAY = np.array(("", "shift", "two_of_three", "trend", "outside_limits"))


@dataclass(frozen=True, init=False)
class XmR:
    """An XmR chart: limits, per-point special-cause types and the Making Data Count icons.

    ``moving_ranges`` has one entry per value (the first is NaN: no previous point) and ``screened``
    marks the moving ranges that the outlier screen removed from ``mean_moving_range``.
    ``point_types`` (one of :data:`POINT_TYPES` per value) and ``rules`` (the rule that flagged each
    point, one of :data:`SPECIAL_CAUSE_RULES` or "") follow the values. ``points_used`` counts the
    non-missing values that set the limits; ``trial_limits`` is True when that is fewer than 13.
    ``lower_near``/``upper_near`` bound the outer thirds used by the two-of-three rule.
    ``variation_icon`` describes the last non-missing point (None when there is none);
    ``assurance_icon`` compares the limits with ``target`` (None without a target, with a neutral
    direction, or without limits).
    """

    values: NDArray[np.float64]
    mean: float
    lower_limit: float
    upper_limit: float
    lower_near: float
    upper_near: float
    moving_ranges: NDArray[np.float64]
    mean_moving_range: float
    screened: NDArray[np.bool_]
    points_used: int
    trial_limits: bool
    point_types: tuple[str, ...]
    rules: tuple[str, ...]
    variation_icon: str | None
    assurance_icon: str | None
    improvement: str
    target: float | None

    def __init__(
        self,
        values: NDArray[np.float64],
        mean: float,
        lower_limit: float,
        upper_limit: float,
        lower_near: float,
        upper_near: float,
        moving_ranges: NDArray[np.float64],
        mean_moving_range: float,
        screened: NDArray[np.bool_],
        points_used: int,
        trial_limits: bool,
        point_types: tuple[str, ...],
        rules: tuple[str, ...],
        variation_icon: str | None,
        assurance_icon: str | None,
        improvement: str,
        target: float | None,
    ) -> None:
        # frozen: the fields are written once, straight into the instance's dictionary (thousands are
        # drawn at once; seventeen object.__setattr__ calls cost more than the dictionary they avoid)
        self.__dict__.update(
            values=values,
            mean=mean,
            lower_limit=lower_limit,
            upper_limit=upper_limit,
            lower_near=lower_near,
            upper_near=upper_near,
            moving_ranges=moving_ranges,
            mean_moving_range=mean_moving_range,
            screened=screened,
            points_used=points_used,
            trial_limits=trial_limits,
            point_types=point_types,
            rules=rules,
            variation_icon=variation_icon,
            assurance_icon=assurance_icon,
            improvement=improvement,
            target=target,
        )


def _window_sums(
    flags: NDArray[np.bool_], width: int, skip_first: tuple[bool, ...] | None = None
) -> NDArray[np.bool_] | NDArray[np.int64]:
    """Per row of ``flags``, how many entries are True in each full window of ``width`` (counts), or,
    with ``skip_first``, whether every entry of the window is True, ignoring its first entry in the rows
    where ``skip_first`` is True (a window of 7 points holds 6 steps)."""
    rows, length = flags.shape
    count = max(length - width + 1, 0)
    total = np.zeros((rows, length + 1), dtype=np.int64)
    np.cumsum(flags, axis=1, out=total[:, 1:])
    sums = total[:, width : width + count] - total[:, :count]
    if skip_first is None:
        return sums
    skip = np.asarray(skip_first)[:, None]
    sums = sums - np.where(skip, flags[:, :count], 0)
    return sums == np.where(skip, width - 1, width)


def _members(window_ok: NDArray[np.bool_], width: int, size: int) -> NDArray[np.bool_]:
    """Per row, the points covered by at least one True window (``window_ok[:, k]`` covers points
    k..k+width-1)."""
    rows, count = window_ok.shape
    if count == 0:
        return np.zeros((rows, size), dtype=bool)
    total = np.zeros((rows, count + 1), dtype=np.int64)
    np.cumsum(window_ok, axis=1, out=total[:, 1:])
    point = np.arange(size)
    return (total[:, np.minimum(point + 1, count)] - total[:, np.maximum(point - width + 1, 0)]) > 0


def _mean(a: NDArray[np.float64]) -> float:
    finite = a[np.isfinite(a)]
    return float(finite.mean()) if finite.size else float("nan")


def xmr(
    values: ArrayLike,
    *,
    improvement: str = "increase",
    target: float | None = None,
    fix_after: int | None = None,
    screen_outliers: bool = True,
) -> XmR:
    """An XmR chart of ``values`` (in time order) with Making Data Count special-cause rules and icons.

    ``improvement`` is "increase", "decrease" or "neutral"; ``fix_after`` sets the mean and limits
    from the first ``fix_after`` points only (then applied to every point); ``screen_outliers=False``
    keeps large moving ranges in the mean moving range. NaN values are skipped when setting the mean,
    give no moving range on either side, break runs and trends, and get the point type "missing".

    >>> chart = xmr([5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 12], improvement="decrease", target=8)
    >>> round(chart.mean, 3), round(chart.lower_limit, 3), round(chart.upper_limit, 3)
    (6.286, 3.182, 9.389)
    >>> chart.point_types[-1], chart.rules[-1], chart.variation_icon
    ('special_cause_concern', 'outside_limits', 'special_cause_concerning_high')
    >>> chart.assurance_icon, chart.trial_limits
    ('inconsistent', False)
    """
    if improvement not in IMPROVEMENT_DIRECTIONS:
        raise ValueError(
            f"improvement must be one of {', '.join(IMPROVEMENT_DIRECTIONS)}, got {improvement!r}"
        )
    if fix_after is not None and (
        isinstance(fix_after, bool) or int(fix_after) != fix_after or fix_after < 2
    ):
        raise ValueError(f"fix_after must be a whole number of at least 2, got {fix_after!r}")
    y = np.atleast_1d(np.asarray(values, dtype=np.float64))
    if y.ndim != 1:
        raise ValueError(f"values must be one-dimensional, got shape {y.shape}")
    size = y.shape[0]
    target_value = None if target is None or not np.isfinite(target) else float(target)

    # --- limits -------------------------------------------------------------------------------
    base_size = size if fix_after is None else min(int(fix_after), size)
    base = y[:base_size]
    mean = _mean(base)
    moving_ranges = np.concatenate([[np.nan], np.abs(np.diff(y))])
    base_ranges = moving_ranges[1:base_size]
    mean_moving_range = _mean(base_ranges)
    screened = np.zeros(size, dtype=bool)
    if screen_outliers and mean_moving_range > 0:
        with np.errstate(invalid="ignore"):
            too_big = np.isfinite(base_ranges) & (base_ranges >= SCREEN_FACTOR * mean_moving_range)
        screened[1:base_size] = too_big
        mean_moving_range = _mean(np.where(too_big, np.nan, base_ranges))
    lower_limit = mean - LIMIT_FACTOR * mean_moving_range
    upper_limit = mean + LIMIT_FACTOR * mean_moving_range
    lower_near = mean - 2.0 * LIMIT_FACTOR / 3.0 * mean_moving_range
    upper_near = mean + 2.0 * LIMIT_FACTOR / 3.0 * mean_moving_range
    points_used = int(np.isfinite(base).sum())

    # --- special-cause rules --------------------------------------------------------------------
    observed = np.isfinite(y)
    with np.errstate(invalid="ignore"):
        outside = observed & ((y > upper_limit) | (y < lower_limit))
        near = observed & ~outside & ((y > upper_near) | (y < lower_near))
        side = np.where(observed, np.sign(y - mean), 0.0).astype(np.int64)  # NaN: on neither side
        change = np.diff(y)
        steps = np.where(np.isnan(change), 0.0, np.sign(change)).astype(np.int64)

    # runs of 7, all windows at once: rows are rising, falling (steps *into* each point, so a window
    # starting at point k uses the steps into points k+1..k+6), above and below the mean
    step_into = np.concatenate([[0], steps])
    flags = np.stack([step_into == 1, step_into == -1, side == 1, side == -1])
    run_ok = _window_sums(flags, RUN_LENGTH, skip_first=(True, True, False, False))
    covered = _members(np.stack([run_ok[0], run_ok[1], run_ok[2] | run_ok[3]]), RUN_LENGTH, size)
    rising, falling, shift = covered[0], covered[1], covered[2]
    near_count = _window_sums(near[None, :], 3)[0]
    side_sum = _window_sums(np.stack([side == 1, side == -1]), 3)
    qualifying = (near_count >= 2) & ((side_sum[0] == 3) | (side_sum[1] == 3))
    two_of_three = _members(qualifying[None, :], 3, size)[0] & near

    # direction of each special cause (+1 high/increasing, -1 low/decreasing) and the rule that set
    # it, as an index into _RULE_ARRAY; applied from the lowest precedence up so that higher ones win
    direction = np.zeros(size, dtype=np.int64)
    rule = np.zeros(size, dtype=np.int64)
    after = np.concatenate([steps, [0]])  # step to the next point: the run that starts at a pivot
    trend_direction = np.where(rising & falling, after, np.where(rising, 1, -1))
    for code, (flagged, sign) in enumerate(
        ((shift, side), (two_of_three, side), (rising | falling, trend_direction), (outside, side)), start=1
    ):
        direction = np.where(flagged, sign, direction)
        rule = np.where(flagged, code, rule)

    # point type as an index into POINT_TYPES
    if improvement == "neutral":
        kind = np.where(direction > 0, 3, 4)
    else:
        better = direction if improvement == "increase" else -direction
        kind = np.where(better > 0, 1, 2)
    kind = np.where(observed, np.where(direction == 0, 0, kind), 5)
    rule = np.where(observed, rule, 0)
    types = _POINT_TYPE_ARRAY[kind]

    # --- icons ----------------------------------------------------------------------------------
    variation_icon: str | None = None
    if observed.any():
        last = int(np.flatnonzero(observed)[-1])
        high_low = "high" if direction[last] > 0 else "low"
        variation_icon = {
            "common_cause": "common_cause",
            "special_cause_improvement": f"special_cause_improving_{high_low}",
            "special_cause_concern": f"special_cause_concerning_{high_low}",
        }.get(str(types[last]), str(types[last]))

    assurance_icon: str | None = None
    if (
        target_value is not None
        and improvement != "neutral"
        and np.isfinite([lower_limit, upper_limit]).all()
    ):
        if lower_limit > target_value:
            assurance_icon = "consistent_pass" if improvement == "increase" else "consistent_fail"
        elif upper_limit < target_value:
            assurance_icon = "consistent_fail" if improvement == "increase" else "consistent_pass"
        else:
            assurance_icon = "inconsistent"

    return XmR(
        values=y,
        mean=mean,
        lower_limit=float(lower_limit),
        upper_limit=float(upper_limit),
        lower_near=float(lower_near),
        upper_near=float(upper_near),
        moving_ranges=moving_ranges,
        mean_moving_range=float(mean_moving_range),
        screened=screened,
        points_used=points_used,
        trial_limits=points_used < TRIAL_BELOW,
        point_types=tuple(types.tolist()),
        rules=tuple(_RULE_ARRAY[rule].tolist()),
        variation_icon=variation_icon,
        assurance_icon=assurance_icon,
        improvement=improvement,
        target=target_value,
    )


def xmr_many(
    values: list[ArrayLike], *, improvements: list[str], targets: list[float | None]
) -> list[XmR]:
    """:func:`xmr` of many series at once (default options), the same charts, vectorised.

    Series given as plain lists are grouped by length into one array per length; each group's limits
    and special-cause rules are computed for all its rows together (row-wise means, cumulative sums
    for the runs of 7 and the two-of-three windows), with exactly the arithmetic of :func:`xmr`. A
    series given otherwise (an array, a tuple) is charted on its own the same way. A series with a
    missing (None, NaN) or infinite value, or fewer than two values, is charted by :func:`xmr` itself.

    >>> values = [5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 12]
    >>> many = xmr_many([values, [1, 2, 3]], improvements=["decrease", "increase"], targets=[8, None])
    >>> one = xmr(values, improvement="decrease", target=8)
    >>> (many[0].upper_limit, many[0].rules, many[0].assurance_icon) == (one.upper_limit, one.rules,
    ...                                                                   one.assurance_icon)
    True
    """
    if not len(values) == len(improvements) == len(targets):
        raise ValueError("values, improvements and targets must have one entry per series")
    for improvement in set(improvements):
        if improvement not in IMPROVEMENT_DIRECTIONS:
            raise ValueError(
                f"improvement must be one of {', '.join(IMPROVEMENT_DIRECTIONS)}, got {improvement!r}"
            )
    out: list[XmR | None] = [None] * len(values)
    by_length: dict[int, list[int]] = {}  # lists of plain numbers, by length: one array per length
    for i, v in enumerate(values):
        if isinstance(v, list) and len(v) >= 2 and not any(isinstance(x, (list, tuple)) for x in v[:1]):
            by_length.setdefault(len(v), []).append(i)
        else:
            _xmr_alone(values, improvements, targets, i, out)
    for rows in by_length.values():
        block = np.array([values[i] for i in rows], dtype=np.float64)
        if block.ndim != 2:  # nested values: each one charted (and refused) on its own
            for i in rows:
                _xmr_alone(values, improvements, targets, i, out)
            continue
        charts = xmr_rows(block, improvements=[improvements[i] for i in rows], targets=[targets[i] for i in rows])
        for i, chart in zip(rows, charts, strict=True):
            out[i] = chart
    return [chart for chart in out if chart is not None]


def xmr_rows(
    values: NDArray[np.float64], *, improvements: list[str], targets: list[float | None]
) -> list[XmR]:
    """:func:`xmr_many` of the rows of a two-dimensional float array (at least two columns), for a
    caller that has put the series of one length in one array itself: the same charts, each row's
    values a view of ``values`` where every value of the row is finite (a row with a missing or
    infinite value is charted by :func:`xmr` itself).

    >>> block = np.array([[5, 6, 5, 7, 6, 5, 6, 7, 5, 6, 6, 5, 7, 12.0], [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4, 5]])
    >>> xmr_rows(block, improvements=["decrease", "increase"], targets=[8, None])[0].rules[-1]
    'outside_limits'
    """
    if values.ndim != 2 or values.shape[1] < 2:
        raise ValueError(f"xmr_rows needs a two-dimensional array of at least two columns, got shape {values.shape}")
    for improvement in set(improvements):
        if improvement not in IMPROVEMENT_DIRECTIONS:
            raise ValueError(
                f"improvement must be one of {', '.join(IMPROVEMENT_DIRECTIONS)}, got {improvement!r}"
            )
    finite = np.isfinite(values).all(axis=1)
    if finite.all():
        return _xmr_block(values, improvements, targets)
    out: list[XmR | None] = [None] * values.shape[0]
    for row in np.flatnonzero(~finite).tolist():  # a missing or infinite value: charted by xmr itself
        out[row] = xmr(values[row], improvement=improvements[row], target=targets[row])
    rows = np.flatnonzero(finite).tolist()
    if rows:
        charts = _xmr_block(values[finite], [improvements[r] for r in rows], [targets[r] for r in rows])
        for row, chart in zip(rows, charts, strict=True):
            out[row] = chart
    return [chart for chart in out if chart is not None]


def _xmr_alone(
    values: list[ArrayLike], improvements: list[str], targets: list[float | None], i: int, out: list[XmR | None]
) -> None:
    """Series ``i`` of :func:`xmr_many` that is not a plain list of numbers: an array of its own."""
    y = np.atleast_1d(np.asarray(values[i], dtype=np.float64))
    if y.ndim != 1 or y.shape[0] < 2 or not np.isfinite(y).all():
        out[i] = xmr(y, improvement=improvements[i], target=targets[i])
    else:
        out[i] = _xmr_block(y[None, :], [improvements[i]], [targets[i]])[0]


def _rows_window_sums(flags: NDArray[np.bool_], width: int) -> NDArray[np.int32]:
    """Per row (last axis), how many entries are True in each full window of ``width``."""
    length = flags.shape[-1]
    count = max(length - width + 1, 0)
    total = np.zeros((*flags.shape[:-1], length + 1), dtype=np.int32)  # (counts of a row: int32 is ample)
    np.cumsum(flags, axis=-1, out=total[..., 1:])
    return total[..., width : width + count] - total[..., :count]


def _rows_members(window_ok: NDArray[np.bool_], width: int, size: int) -> NDArray[np.bool_]:
    """Per row, the points covered by at least one True window (as :func:`_members`)."""
    count = window_ok.shape[-1]
    if count == 0:
        return np.zeros((*window_ok.shape[:-1], size), dtype=bool)
    total = np.zeros((*window_ok.shape[:-1], count + 1), dtype=np.int32)
    np.cumsum(window_ok, axis=-1, out=total[..., 1:])
    point = np.arange(size)
    return (total[..., np.minimum(point + 1, count)] - total[..., np.maximum(point - width + 1, 0)]) > 0


#: small codes as int8 scalars (so that np.where keeps int8 blocks)
_I8 = {k: np.int8(k) for k in range(-1, 8)}


def _xmr_block(y: NDArray[np.float64], improvements: list[str], targets: list[float | None]) -> list[XmR]:
    """:func:`xmr` of each row of ``y`` (all values finite, at least two per row), default options."""
    rows, size = y.shape
    # --- limits (row-wise means reduce each row as the 1-D mean does) --------------------------
    mean = y.mean(axis=1)
    ranges = np.abs(np.diff(y, axis=1))
    mean_moving_range = ranges.mean(axis=1)
    with np.errstate(invalid="ignore"):
        too_big = (ranges >= SCREEN_FACTOR * mean_moving_range[:, None]) & (mean_moving_range > 0)[:, None]
    # screened rows: the mean of the ranges kept, each row's kept ranges side by side (rows keeping
    # as many reduced together, each row as the 1-D mean of its kept ranges does)
    screened_rows = np.flatnonzero(too_big.any(axis=1))
    if screened_rows.size:
        kept = ~too_big[screened_rows]
        counts = kept.sum(axis=1)
        for count in np.unique(counts).tolist():
            same = counts == count
            members = screened_rows[same]
            if count == 0:
                mean_moving_range[members] = np.nan
                continue
            compact = ranges[members][kept[same]].reshape(members.size, count)
            mean_moving_range[members] = compact.mean(axis=1)
    screened = np.zeros((rows, size), dtype=bool)
    screened[:, 1:] = too_big
    moving_ranges = np.empty((rows, size))
    moving_ranges[:, 0] = np.nan
    moving_ranges[:, 1:] = ranges
    lower_limit = mean - LIMIT_FACTOR * mean_moving_range
    upper_limit = mean + LIMIT_FACTOR * mean_moving_range
    lower_near = mean - 2.0 * LIMIT_FACTOR / 3.0 * mean_moving_range
    upper_near = mean + 2.0 * LIMIT_FACTOR / 3.0 * mean_moving_range

    # --- special-cause rules (as xmr, one row per series) -------------------------------------
    with np.errstate(invalid="ignore"):
        outside = (y > upper_limit[:, None]) | (y < lower_limit[:, None])
        near = ~outside & ((y > upper_near[:, None]) | (y < lower_near[:, None]))
        side = np.sign(y - mean[:, None]).astype(np.int8)
        steps = np.sign(np.diff(y, axis=1)).astype(np.int8)
    step_into = np.zeros((rows, size), dtype=np.int8)  # (small codes: int8 keeps the blocks small)
    step_into[:, 1:] = steps
    up, down, above, below = step_into == 1, step_into == -1, side == 1, side == -1
    count = max(size - RUN_LENGTH + 1, 0)
    # a window of 7 points holds 6 steps: its first point's step in does not count
    rising_ok = _rows_window_sums(up, RUN_LENGTH) - up[:, :count] == RUN_LENGTH - 1
    falling_ok = _rows_window_sums(down, RUN_LENGTH) - down[:, :count] == RUN_LENGTH - 1
    shift_ok = (_rows_window_sums(above, RUN_LENGTH) == RUN_LENGTH) | (
        _rows_window_sums(below, RUN_LENGTH) == RUN_LENGTH
    )
    covered = _rows_members(np.stack([rising_ok, falling_ok, shift_ok]), RUN_LENGTH, size)
    rising, falling, shift = covered[0], covered[1], covered[2]
    near_count = _rows_window_sums(near, 3)
    qualifying = (near_count >= 2) & (
        (_rows_window_sums(above, 3) == 3) | (_rows_window_sums(below, 3) == 3)
    )
    two_of_three = _rows_members(qualifying, 3, size) & near

    direction = np.zeros((rows, size), dtype=np.int8)
    rule = np.zeros((rows, size), dtype=np.int8)
    after = np.zeros((rows, size), dtype=np.int8)
    after[:, :-1] = steps
    trend_direction = np.where(rising & falling, after, np.where(rising, _I8[1], _I8[-1]))
    for code, (flagged, sign) in enumerate(
        ((shift, side), (two_of_three, side), (rising | falling, trend_direction), (outside, side)), start=1
    ):
        direction = np.where(flagged, sign, direction)
        rule = np.where(flagged, _I8[code], rule)

    improvement = np.asarray(improvements)
    neutral = (improvement == "neutral")[:, None]
    better = np.where((improvement == "increase")[:, None], direction, -direction)
    kind = np.where(neutral, np.where(direction > 0, _I8[3], _I8[4]), np.where(better > 0, _I8[1], _I8[2]))
    kind = np.where(direction == 0, _I8[0], kind)
    # codes to names through Python tuples (the names are shared, not made anew for every point)
    types = _names_by_row(kind, POINT_TYPES)
    rule_names = _names_by_row(rule, _RULE_NAMES)
    last_high = (direction[:, -1] > 0).tolist()

    points_used = size
    trial = points_used < TRIAL_BELOW
    charts: list[XmR] = []
    # each row a view of the block, as y[r] is (iterating makes them all in one step)
    value_rows, range_rows, screened_rows_out = list(y), list(moving_ranges), list(screened)
    for r, (m, lo, hi, low_near, high_near, mmr) in enumerate(
        zip(
            mean.tolist(),
            lower_limit.tolist(),
            upper_limit.tolist(),
            lower_near.tolist(),
            upper_near.tolist(),
            mean_moving_range.tolist(),
            strict=True,
        )
    ):
        point_types = types[r]
        last_type = point_types[-1]
        variation_icon = _VARIATION_ICON.get((last_type, last_high[r]), last_type)
        target = targets[r]
        target_value = None if target is None or not math.isfinite(target) else float(target)
        how = improvements[r]
        assurance_icon: str | None = None
        if target_value is not None and how != "neutral" and math.isfinite(lo) and math.isfinite(hi):
            if lo > target_value:
                assurance_icon = "consistent_pass" if how == "increase" else "consistent_fail"
            elif hi < target_value:
                assurance_icon = "consistent_fail" if how == "increase" else "consistent_pass"
            else:
                assurance_icon = "inconsistent"
        charts.append(
            XmR(  # positionally, in the fields' order (quicker than by name, thousands at once)
                value_rows[r], m, lo, hi, low_near, high_near, range_rows[r], mmr, screened_rows_out[r],
                points_used, trial, point_types, rule_names[r], variation_icon, assurance_icon, how, target_value,
            )
        )
    return charts


_RULE_NAMES: tuple[str, ...] = tuple(_RULE_ARRAY.tolist())


def _names_by_row(codes: NDArray[np.integer], names: tuple[str, ...]) -> list[tuple[str, ...]]:
    """Each row of ``codes`` as a tuple of ``names``; rows that are alike share one tuple (most charts
    are common-cause throughout)."""
    rows, size = codes.shape
    if size == 0:
        return [() for _ in range(rows)]
    packed = codes.astype(np.uint8).tobytes()  # a row's codes as its key (fewer than 256 names)
    name = names.__getitem__
    seen: dict[bytes, tuple[str, ...]] = {}
    out: list[tuple[str, ...]] = []
    for start in range(0, rows * size, size):
        key = packed[start : start + size]
        row = seen.get(key)
        if row is None:
            row = seen[key] = tuple(map(name, key))
        out.append(row)
    return out
#: (the last point's type, whether it is high) -> its variation icon (any other type is its own icon)
_VARIATION_ICON = {
    ("special_cause_improvement", True): "special_cause_improving_high",
    ("special_cause_improvement", False): "special_cause_improving_low",
    ("special_cause_concern", True): "special_cause_concerning_high",
    ("special_cause_concern", False): "special_cause_concerning_low",
}
