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


@dataclass(frozen=True)
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
