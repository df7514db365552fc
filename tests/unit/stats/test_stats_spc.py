"""XmR charts: each special-cause rule on a constructed series, precedence, screening, fixed and trial
limits, icons and missing values.

Most series start with a baseline ``[11, 9] * 6`` and fix the limits on it (``fix_after=12``): its
mean is 10 and its mean moving range 2, so the limits are 10 ± 5.32 (4.68 to 15.32) and the outer
thirds start at 10 ± 3.5467 (below 6.4533, above 13.5467).
"""

from __future__ import annotations

import numpy as np
import pytest

from outcomes.stats import POINT_TYPES, VARIATION_ICONS, xmr

BASE = [11.0, 9.0] * 6


def chart(tail: list[float], **kwargs):  # type: ignore[no-untyped-def]
    return xmr(BASE + tail, fix_after=12, **kwargs)


def test_baseline_limits() -> None:
    c = chart([])
    assert c.mean == pytest.approx(10.0)
    assert c.mean_moving_range == pytest.approx(2.0)
    assert (c.lower_limit, c.upper_limit) == pytest.approx((4.68, 15.32))
    assert (c.lower_near, c.upper_near) == pytest.approx((10 - 2 * 2.66 * 2 / 3, 10 + 2 * 2.66 * 2 / 3))
    assert set(c.point_types) == {"common_cause"} and set(c.rules) == {""}
    assert c.variation_icon == "common_cause"


def test_limits_by_hand_and_moving_ranges() -> None:
    values = [3.0, 5.0, 4.0, 8.0, 6.0]
    c = xmr(values)
    assert c.mean == pytest.approx(5.2)
    np.testing.assert_allclose(c.moving_ranges, [np.nan, 2, 1, 4, 2])
    assert c.mean_moving_range == pytest.approx(9 / 4)  # no range reaches 3.267 × 2.25
    assert c.upper_limit - c.mean == pytest.approx(2.66 * 9 / 4)


def test_rule_outside_limits() -> None:
    c = chart([10.0, 16.0, 10.0, 4.0])
    assert c.rules[13] == "outside_limits" and c.rules[15] == "outside_limits"
    assert c.point_types[13] == "special_cause_improvement"  # high is good by default
    assert c.point_types[15] == "special_cause_concern"
    assert c.rules[12] == c.rules[14] == ""
    assert c.variation_icon == "special_cause_concerning_low"


def test_point_exactly_on_a_limit_is_not_outside() -> None:
    c = chart([15.32 - 1e-9, 10.0])
    assert c.rules[12] == ""  # also in the outer third, but alone: not two of three


def test_rule_trend_flags_all_seven_points() -> None:
    tail = [9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0]
    c = chart(tail)
    assert c.rules[12:] == ("trend",) * 7
    assert c.point_types[12:] == ("special_cause_improvement",) * 7
    assert c.rules[11] == ""  # 9 after 11: the run starts at the 13th point
    assert c.variation_icon == "special_cause_improving_high"


def test_six_rising_points_are_not_a_trend() -> None:
    c = chart([9.0, 9.5, 10.0, 10.5, 11.0, 11.5])  # 9 after 9 is not a rise: six rising points
    assert set(c.rules) == {""}


def test_equal_neighbours_break_a_trend() -> None:
    c = chart([9.0, 9.5, 10.0, 10.0, 10.5, 11.0, 11.5, 12.0])
    assert "trend" not in c.rules


def test_rule_two_of_three_in_outer_third() -> None:
    c = chart([14.0, 10.5, 14.0, 10.0])
    assert c.rules[12:] == ("two_of_three", "", "two_of_three", "")
    assert c.point_types[12] == c.point_types[14] == "special_cause_improvement"
    assert c.point_types[13] == "common_cause"


def test_two_of_three_needs_all_three_on_one_side_of_the_mean() -> None:
    """NHSRplotthedots convention: the third point of the window must be on the same side too."""
    c = chart([14.0, 9.5, 14.0, 9.0])
    assert "two_of_three" not in c.rules


def test_two_of_three_low_side() -> None:
    c = chart([6.0, 6.0, 9.0], improvement="decrease")
    assert c.rules[12:] == ("two_of_three", "two_of_three", "")
    assert c.point_types[12] == "special_cause_improvement"


def test_rule_shift_seven_on_one_side() -> None:
    tail = [10.5, 11.0, 10.5, 11.5, 10.5, 11.0, 10.5]
    c = chart(tail)
    assert c.rules[12:] == ("shift",) * 7
    assert c.point_types[12:] == ("special_cause_improvement",) * 7
    assert chart(tail[:6]).rules[12:] == ("",) * 6  # six are not enough


def test_point_on_the_mean_breaks_a_shift() -> None:
    c = chart([10.5, 11.0, 10.5, 10.0, 11.5, 10.5, 11.0, 10.5])
    assert "shift" not in c.rules


def test_precedence_outside_over_trend() -> None:
    c = chart([9.5, 10.0, 10.5, 11.0, 12.0, 13.0, 16.0])
    assert c.rules[12:] == ("trend",) * 6 + ("outside_limits",)


def test_precedence_trend_over_two_of_three_and_shift_with_the_trend_direction() -> None:
    """A falling run above the mean is also a shift and has outer-third points: the trend wins, and its
    points are typed by the trend's direction (falling = concern when higher is better)."""
    c = chart([15.0, 14.5, 14.0, 13.0, 12.0, 11.0, 10.5])
    assert c.rules[12:] == ("trend",) * 7
    assert c.point_types[12:] == ("special_cause_concern",) * 7
    assert c.variation_icon == "special_cause_concerning_low"


def test_precedence_two_of_three_over_shift() -> None:
    c = chart([10.5, 14.0, 11.0, 14.0, 10.5, 11.0, 10.5])
    assert c.rules[12:] == ("shift", "two_of_three", "shift", "two_of_three", "shift", "shift", "shift")


def test_pivot_point_takes_the_direction_of_the_run_that_starts_there() -> None:
    rise = [6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0]
    fall = [8.5, 8.0, 7.5, 7.0, 6.5, 6.0]
    c = chart(rise + fall)
    assert c.rules[12:] == ("trend",) * 13
    directions = ["special_cause_improvement"] * 6 + ["special_cause_concern"] * 7
    assert list(c.point_types[12:]) == directions


def test_screening_removes_large_moving_ranges() -> None:
    values = [10.0, 11.0, 10.0, 11.0, 10.0, 30.0, 10.0, 11.0, 10.0, 11.0]
    screened = xmr(values)
    kept = xmr(values, screen_outliers=False)
    ranges = np.abs(np.diff(values))
    assert kept.mean_moving_range == pytest.approx(ranges.mean())
    assert screened.screened.tolist() == [False] * 5 + [True, True] + [False] * 3
    assert screened.mean_moving_range == pytest.approx(1.0)
    assert not kept.screened.any()
    assert screened.mean == kept.mean
    assert screened.rules[5] == "outside_limits"


def test_screen_cut_is_3267_mean_moving_ranges() -> None:
    # ranges 1, 1, 1, 1, x: x is screened when x >= 3.267 × (4 + x) / 5, that is from x ≈ 7.5407
    assert not xmr([0.0, 1.0, 0.0, 1.0, 0.0, 7.5]).screened.any()
    c = xmr([0.0, 1.0, 0.0, 1.0, 0.0, 7.6])
    assert c.screened.tolist() == [False] * 5 + [True]
    assert c.mean_moving_range == pytest.approx(1.0)


def test_fix_after_uses_only_the_first_points() -> None:
    values = [5.0, 7.0, 6.0, 5.0, 7.0, 30.0, 40.0, 50.0]
    fixed = xmr(values, fix_after=5)
    first = xmr(values[:5])
    assert (fixed.mean, fixed.lower_limit, fixed.upper_limit) == (
        first.mean,
        first.lower_limit,
        first.upper_limit,
    )
    assert fixed.points_used == 5
    assert fixed.rules[5:] == ("outside_limits",) * 3


def test_trial_limits() -> None:
    assert xmr(list(range(12))).trial_limits is True
    assert xmr([1.0, 2.0] * 6 + [1.0]).trial_limits is False
    assert xmr([1.0, 2.0] * 10, fix_after=12).trial_limits is True
    assert xmr([1.0, 2.0] * 10, fix_after=13).trial_limits is False
    with_gap = [1.0, 2.0] * 6 + [np.nan]
    assert xmr(with_gap).trial_limits is True and xmr(with_gap).points_used == 12


@pytest.mark.parametrize(
    ("improvement", "target", "icon"),
    [
        ("increase", 4.0, "consistent_pass"),
        ("increase", 16.0, "consistent_fail"),
        ("increase", 12.0, "inconsistent"),
        ("decrease", 16.0, "consistent_pass"),
        ("decrease", 4.0, "consistent_fail"),
        ("decrease", 8.0, "inconsistent"),
        ("neutral", 4.0, None),
        ("increase", None, None),
        ("increase", float("nan"), None),
    ],
)
def test_assurance_icons(improvement: str, target: float | None, icon: str | None) -> None:
    assert chart([], improvement=improvement, target=target).assurance_icon == icon


def test_assurance_target_on_a_limit_is_inconsistent() -> None:
    c = chart([], target=4.68)
    assert c.assurance_icon == "inconsistent"


@pytest.mark.parametrize(
    ("tail", "improvement", "icon"),
    [
        ([16.0], "increase", "special_cause_improving_high"),
        ([16.0], "decrease", "special_cause_concerning_high"),
        ([4.0], "increase", "special_cause_concerning_low"),
        ([4.0], "decrease", "special_cause_improving_low"),
        ([16.0], "neutral", "special_cause_neutral_high"),
        ([4.0], "neutral", "special_cause_neutral_low"),
        ([10.0], "neutral", "common_cause"),
    ],
)
def test_variation_icons(tail: list[float], improvement: str, icon: str) -> None:
    c = chart(tail, improvement=improvement)
    assert c.variation_icon == icon
    assert icon in VARIATION_ICONS


def test_missing_values() -> None:
    values = BASE + [10.5, 11.0, np.nan, 10.5, 11.5, 10.5, 11.0, 10.5, 16.0, np.nan]
    c = xmr(values, fix_after=12)
    assert c.point_types[14] == "missing" and c.point_types[-1] == "missing"
    assert c.rules[14] == ""
    assert "shift" not in c.rules  # the gap breaks the run of eight points above the mean
    assert c.variation_icon == "special_cause_improving_high"  # the last observed point (16)
    assert np.isnan(c.moving_ranges[14]) and np.isnan(c.moving_ranges[15])
    assert set(c.point_types) <= set(POINT_TYPES)


def test_missing_values_in_the_limit_period_are_skipped() -> None:
    c = xmr([10.0, np.nan, 12.0, 11.0, 13.0])
    assert c.mean == pytest.approx(11.5)
    assert c.mean_moving_range == pytest.approx(1.5)  # only 12→11 and 11→13 are moving ranges
    assert c.points_used == 4


def test_all_missing_and_single_point() -> None:
    c = xmr([np.nan, np.nan])
    assert np.isnan(c.mean) and c.variation_icon is None and c.point_types == ("missing", "missing")
    one = xmr([5.0], target=3.0)
    assert one.mean == 5.0 and np.isnan(one.upper_limit) and one.assurance_icon is None
    assert one.point_types == ("common_cause",)


def test_constant_series_has_no_special_cause() -> None:
    c = xmr([7.0] * 20)
    assert c.lower_limit == c.upper_limit == 7.0
    assert set(c.point_types) == {"common_cause"}


@pytest.mark.parametrize(
    "kwargs",
    [{"improvement": "up"}, {"fix_after": 1}, {"fix_after": 2.5}, {"fix_after": True}],
)
def test_bad_options(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        xmr([1.0, 2.0, 3.0], **kwargs)


def test_two_dimensional_values_are_rejected() -> None:
    with pytest.raises(ValueError):
        xmr([[1.0, 2.0], [3.0, 4.0]])
