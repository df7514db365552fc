"""Pure statistics for outcomes monitoring: intervals, benchmark comparison, trends and SPC charts.

Nothing here imports the rest of ``outcomes``; every function is a pure function of numbers.
The methods, formulas, sources and limitations are written up in ``docs/methods.md``.

>>> from outcomes.stats import proportion_interval
>>> value, lower, upper = proportion_interval(65, 100)
>>> round(float(value), 1), round(float(lower), 2), round(float(upper), 2)
(65.0, 55.25, 73.64)
"""

from .compare import (
    JUDGEMENTS,
    POLARITIES,
    Comparison,
    ComparisonArray,
    compare_with_benchmark,
    compare_with_benchmark_array,
)
from .intervals import (
    byar_interval,
    dsr_interval,
    poisson_interval,
    proportion_interval,
    rate_interval,
    wilson_interval,
)
from .spc import ASSURANCE_ICONS, POINT_TYPES, VARIATION_ICONS, XmR, xmr
from .trend import TREND_CRITICAL_CHI2, TREND_MARKERS, TrendMarker, trend_marker

__all__ = [
    "ASSURANCE_ICONS",
    "JUDGEMENTS",
    "POINT_TYPES",
    "POLARITIES",
    "TREND_CRITICAL_CHI2",
    "TREND_MARKERS",
    "VARIATION_ICONS",
    "Comparison",
    "ComparisonArray",
    "TrendMarker",
    "XmR",
    "byar_interval",
    "compare_with_benchmark",
    "compare_with_benchmark_array",
    "dsr_interval",
    "poisson_interval",
    "proportion_interval",
    "rate_interval",
    "trend_marker",
    "wilson_interval",
    "xmr",
]
