"""The Fingertips recent-trend marker.

Several series come from the test suite of the Fingertips source code (PHE / UKHSA ``fingertips-open``,
``TrendMarkerCalculatorTest`` and ``WhenUsingTrendMarkerCalculator``) with the marker it expects.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from outcomes.stats import TREND_CRITICAL_CHI2, trend_marker
from outcomes.stats.trend import TREND_SE_DIVISOR

YEARS = [2014, 2015, 2016, 2017, 2018]
PUBLISHED = Path(__file__).resolve().parents[2] / "data" / "fingertips-trend" / "published_chi_squared.csv"


def test_critical_value_is_the_998_point_of_chi2_1() -> None:
    assert abs(TREND_CRITICAL_CHI2 - 9.54953570608324) < 1e-9


def test_fingertips_proportion_vector() -> None:
    """Fingertips expects chi-squared 47.9 (2 dp) and a significant trend for this series."""
    t = trend_marker(
        YEARS, counts=[994, 1023, 1199, 1332, 1367], denominators=[40299, 41527, 42811, 44064, 44701]
    )
    assert round(t.chi2, 2) == 47.9
    assert t.marker == "increasing" and t.slope > 0
    assert t.method.startswith("chi-squared test for trend")
    assert t.periods == tuple(YEARS)


def test_fingertips_value_vector() -> None:
    """Fingertips expects chi-squared 46.77 (2 dp): its SE is the 95% interval's width over 3.92."""
    t = trend_marker(
        YEARS,
        values=[24.67, 24.6, 28, 30.2, 30.6],
        lower95=[23.16, 23.15, 26.44, 28.63, 28.98],
        upper95=[26.25, 26.19, 29.64, 31.9, 32.25],
    )
    assert t.marker == "increasing"
    assert round(t.chi2, 2) == 46.77
    assert TREND_SE_DIVISOR == 3.92
    # the weighted least-squares slope, by hand
    se = (np.array([26.25, 26.19, 29.64, 31.9, 32.25]) - [23.16, 23.15, 26.44, 28.63, 28.98]) / 3.92
    slope = np.polyfit(np.arange(1, 6), [24.67, 24.6, 28, 30.2, 30.6], 1, w=1 / se)[0]
    assert t.slope == pytest.approx(slope, rel=1e-6)


def _published_cases() -> dict[str, list[dict[str, str]]]:
    cases: dict[str, list[dict[str, str]]] = {}
    with PUBLISHED.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            cases.setdefault(row["case"], []).append(row)
    return cases


@pytest.mark.parametrize("case", sorted(_published_cases()))
def test_fingertips_published_chi_squared_to_its_printed_precision(case: str) -> None:
    """tests/data/fingertips-trend: Fingertips' own calculator's asserted results (source in its README)."""
    rows = _published_cases()[case]
    years = [int(r["year"]) for r in rows]
    if rows[0]["method"] == "proportions":
        t = trend_marker(years, counts=[float(r["count"]) for r in rows],
                         denominators=[float(r["denominator"]) for r in rows])
    else:
        t = trend_marker(years, values=[float(r["value"]) for r in rows],
                         lower95=[float(r["lower95"]) for r in rows], upper95=[float(r["upper95"]) for r in rows])
    significant = rows[0]["published_significant"] == "TRUE"
    assert (t.marker in ("increasing", "decreasing")) is significant
    if rows[0]["published_chi2"]:
        decimals = int(rows[0]["printed_decimals"])
        assert round(t.chi2, decimals) == float(rows[0]["published_chi2"])


def test_fingertips_value_vector_without_trend() -> None:
    t = trend_marker(
        YEARS,
        values=[20.5506, 19.5952, 19.0349, 21.3966, 18.4372],
        lower95=[18.1803, 17.3444, 16.8421, 19.0918, 16.2925],
        upper95=[23.1427, 22.0602, 21.4394, 23.8975, 20.7941],
    )
    assert t.marker == "no significant change"


@pytest.mark.parametrize(
    ("counts", "denominators", "marker"),
    [
        ([621, 599, 556, 535, 447], [3454, 3195, 3256, 3227, 3121], "decreasing"),
        ([2157, 2090, 2194, 2134.81, 2094], [3454, 3195, 3256, 3152, 3062], "increasing"),
        ([8116, 8145, 8222, 8506, 8728], [91530, 91773, 92088, 92238, 92665.89], "increasing"),
        ([5, 7, 6, 8, 8, 9], [22, 35, 42, 50, 100, 200], "decreasing"),
        ([5405, 5500, 5435, 5480, 5315], [18095, 18170, 18005, 17890, 17860], "no significant change"),
        (
            [5455, 5645, 5405, 5500, 5435, 5480, 5315],
            [18590, 18285, 18095, 18170, 18005, 17890, 17860],
            "no significant change",
        ),
        ([22435, 22445, 21365, 20955, 19055], [65880, 67900, 68705, 69835, 70910], "decreasing"),
        (
            [22460, 23490, 22435, 22445, 21365, 20955, 19055],
            [64600, 64830, 65880, 67900, 68705, 69835, 70910],
            "decreasing",
        ),
    ],
)
def test_fingertips_proportion_series(counts: list[float], denominators: list[float], marker: str) -> None:
    t = trend_marker(list(range(len(counts))), counts=counts, denominators=denominators)
    assert t.marker == marker


def test_clearly_increasing_proportion() -> None:
    t = trend_marker(YEARS, counts=[100, 130, 160, 190, 220], denominators=[1000] * 5)
    assert t.marker == "increasing"
    assert t.chi2 > 50 and t.slope > 0
    assert "keeps its sign" in t.reason


def test_flat_proportion() -> None:
    t = trend_marker(YEARS, counts=[100, 101, 99, 100, 100], denominators=[1000] * 5)
    assert t.marker == "no significant change"
    assert t.chi2 < TREND_CRITICAL_CHI2
    assert "not reached" in t.reason


def test_chi_squared_for_trend_by_hand() -> None:
    """Cochran–Armitage with scores 1..5 equals N·(Σ r t − R Σ n t / N)² / (R(N−R)/N · (Σ n t² − (Σ n t)²/N))."""
    r = np.array([30.0, 35, 33, 45, 50])
    n = np.array([200.0, 210, 190, 205, 200])
    t = np.arange(1.0, 6.0)
    big_r, big_n = r.sum(), n.sum()
    p = big_r / big_n
    u = (r * t).sum() - p * (n * t).sum()
    v = p * (1 - p) * ((n * t * t).sum() - (n * t).sum() ** 2 / big_n)
    result = trend_marker(YEARS, counts=r, denominators=n)
    assert result.chi2 == pytest.approx(u * u / v, rel=1e-12)


def test_four_points_cannot_be_calculated() -> None:
    t = trend_marker(YEARS[:4], counts=[1, 2, 3, 4], denominators=[10] * 4)
    assert t.marker == "cannot be calculated"
    assert t.reason == "too few points: 4 given, 5 needed"
    assert np.isnan(t.chi2) and np.isnan(t.slope)


def test_duplicate_periods_cannot_be_calculated() -> None:
    t = trend_marker(["2019/20", "2020/21", "2020/21", "2021/22", "2022/23", "2023/24"], values=[1] * 6)
    assert t.marker == "cannot be calculated"
    assert t.reason == "duplicate periods: 2020/21"


def test_missing_value_or_limit_cannot_be_calculated() -> None:
    t = trend_marker(YEARS, counts=[1, 2, np.nan, 4, 5], denominators=[10] * 5)
    assert (t.marker, t.reason) == (
        "cannot be calculated",
        "missing count or denominator among the latest 5 points",
    )
    t = trend_marker(YEARS, values=[1, 2, 3, 4, 5], lower95=[0, 1, 2, 3, 4], upper95=[2, 3, np.nan, 5, 6])
    assert t.marker == "cannot be calculated" and "missing value or 95% limit" in t.reason
    t = trend_marker(YEARS, values=[1, 2, 3, 4, 5], lower95=[0, 1, 3, 3, 4], upper95=[2, 3, 3, 5, 6])
    assert t.marker == "cannot be calculated" and "zero or negative width" in t.reason
    t = trend_marker(YEARS, values=[1, 2, 3, 4, 5])
    assert t.marker == "cannot be calculated" and "needs counts and denominators" in t.reason
    t = trend_marker(YEARS, counts=[1, 2, 11, 4, 5], denominators=[10] * 5)
    assert t.marker == "cannot be calculated" and "exceeds its denominator" in t.reason


def test_a_gap_before_the_latest_five_does_not_matter() -> None:
    counts = [np.nan, 5, 100, 130, 160, 190, 220]
    t = trend_marker(list(range(7)), counts=counts, denominators=[1000] * 7)
    assert t.marker == "increasing" and t.periods == (2, 3, 4, 5, 6)


def test_uses_latest_five_in_the_order_given() -> None:
    values = [50.0, 1.0, 10.0, 10.5, 11.0, 11.5, 12.0]
    lower = [v - 0.2 for v in values]
    upper = [v + 0.2 for v in values]
    whole = trend_marker(["a", "b", "c", "d", "e", "f", "g"], values=values, lower95=lower, upper95=upper)
    last = trend_marker(["c", "d", "e", "f", "g"], values=values[2:], lower95=lower[2:], upper95=upper[2:])
    assert whole == last
    assert whole.marker == "increasing"


def test_one_point_driving_the_slope_fails_the_leave_one_out_check() -> None:
    values = [10.0, 10.2, 10.1, 10.0, 20.0]
    t = trend_marker(
        YEARS, values=values, lower95=[v - 0.3 for v in values], upper95=[v + 0.3 for v in values]
    )
    assert t.chi2 > TREND_CRITICAL_CHI2
    assert t.marker == "no significant change"
    assert "changes sign" in t.reason


def test_zero_and_full_proportions() -> None:
    t = trend_marker(YEARS, counts=[0] * 5, denominators=[50] * 5)
    assert t.marker == "no significant change" and "every count is 0" in t.reason
    t = trend_marker(YEARS, counts=[0, 0, 5, 20, 40], denominators=[40] * 5)  # 0% and 100% points
    assert t.marker == "increasing" and np.isfinite(t.slope)


def test_proportion_method_wins_when_both_are_given() -> None:
    t = trend_marker(
        YEARS,
        counts=[100, 130, 160, 190, 220],
        denominators=[1000] * 5,
        values=[5, 4, 3, 2, 1],
        lower95=[4, 3, 2, 1, 0],
        upper95=[6, 5, 4, 3, 2],
    )
    assert t.marker == "increasing" and t.method.startswith("chi-squared")


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="one entry per period"):
        trend_marker(YEARS, counts=[1, 2, 3], denominators=[10] * 5)
