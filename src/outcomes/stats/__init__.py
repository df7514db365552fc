"""Pure statistics for outcomes monitoring: intervals, standardised rates and ratios, life expectancy,
quantiles and inequality, funnel limits, benchmark comparison, trends and SPC charts.

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
from .funnel import FUNNEL_STATISTICS, Funnel, funnel_limits
from .inequality import SII, SII_VALUE_TYPES, quantile_groups, slope_index_of_inequality
from .intervals import (
    byar_interval,
    dsr_interval,
    poisson_interval,
    proportion_interval,
    rate_interval,
    wilson_interval,
)
from .life_expectancy import LIFE_TABLE_START_AGES, life_expectancy
from .means import mean_interval
from .spc import ASSURANCE_ICONS, POINT_TYPES, VARIATION_ICONS, XmR, xmr, xmr_many
from .standardised import isr_interval, smr_interval
from .trend import TREND_CRITICAL_CHI2, TREND_MARKERS, TrendMarker, trend_marker

__all__ = [
    "ASSURANCE_ICONS",
    "FUNNEL_STATISTICS",
    "LIFE_TABLE_START_AGES",
    "SII",
    "SII_VALUE_TYPES",
    "Funnel",
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
    "funnel_limits",
    "isr_interval",
    "life_expectancy",
    "mean_interval",
    "poisson_interval",
    "proportion_interval",
    "quantile_groups",
    "rate_interval",
    "slope_index_of_inequality",
    "smr_interval",
    "trend_marker",
    "wilson_interval",
    "xmr",
    "xmr_many",
]
