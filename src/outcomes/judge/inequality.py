"""The slope index of inequality of a series across deprivation quantiles (from its breakdowns).

For the latest period at which the home area has a complete inequality breakdown (5 to 100
categories numbered by ``quantile``, 1 = the most deprived, each with a value, 95% limits and a
population), the SII and RII are computed with :func:`outcomes.stats.slope_index_of_inequality`:
rates are simulated on the log scale and percentages on the logit scale, as the PHE/OHID guide
says; other values as they are. The Monte-Carlo seed is fixed, so a report says the same each time.
"""

from __future__ import annotations

from dataclasses import dataclass

from outcomes.model import Breakdown, Period, Series
from outcomes.stats import slope_index_of_inequality

__all__ = ["Inequality", "inequality", "latest_breakdown"]

#: Fixed so that the same data give the same limits in every report.
SEED = 20_180_701


@dataclass(frozen=True)
class Inequality:
    """The SII (in the series' units, least minus most deprived end of the fitted line) and the RII."""

    category_type: str
    period: Period
    quantiles: int
    sii: float
    sii_lower: float
    sii_upper: float
    rii: float
    rii_lower: float
    rii_upper: float


def _spread_known(b: Breakdown) -> bool:
    return (b.lower95 is not None and b.upper95 is not None) or b.standard_error is not None


def _complete(rows: list[Breakdown]) -> bool:
    quantiles = sorted(b.quantile for b in rows if b.quantile is not None)
    return (
        5 <= len(rows) <= 100
        and quantiles == list(range(1, len(rows) + 1))
        and all(b.value is not None and _spread_known(b) and b.population for b in rows)
    )


def latest_breakdown(series: Series, home: str) -> list[Breakdown]:
    """The rows of ``home``'s latest complete inequality breakdown, in quantile order ([] if none)."""
    groups: dict[tuple[Period, str], list[Breakdown]] = {}
    for b in series.breakdowns:
        if b.area == home and b.quantile is not None:
            groups.setdefault((b.period, b.category_type), []).append(b)
    complete = sorted((key for key, rows in groups.items() if _complete(rows)), key=lambda k: k[0])
    if not complete:
        return []
    return sorted(groups[complete[-1]], key=lambda b: b.quantile or 0)


def inequality(series: Series, home: str, *, repetitions: int = 100_000) -> Inequality | None:
    """The SII and RII of the latest complete inequality breakdown of ``home``, or None."""
    rows = latest_breakdown(series, home)
    if not rows:
        return None
    period, category_type = rows[0].period, rows[0].category_type
    scale = 100.0 if series.unit.type == "percentage" else 1.0
    value_type = {"rate": "rate", "percentage": "proportion"}.get(series.unit.type, "normal")
    use_se = all(b.standard_error is not None for b in rows)
    if not use_se and not all(b.lower95 is not None and b.upper95 is not None for b in rows):
        return None
    if use_se and value_type != "normal":
        # a standard error is on the value's own scale; the transforms need the limits
        if not all(b.lower95 is not None and b.upper95 is not None for b in rows):
            return None
        use_se = False
    if value_type == "proportion" and not all((b.lower95 or 0) > 0 and (b.upper95 or 100) < 100 for b in rows):
        value_type = "normal"
    if value_type == "rate" and not all((b.lower95 or 0) > 0 for b in rows):
        value_type = "normal"
    result = slope_index_of_inequality(
        [b.quantile or 0 for b in rows],
        [float(b.population or 0) for b in rows],
        [float(b.value or 0) / scale for b in rows],
        lower95=None if use_se else [float(b.lower95 or 0) / scale for b in rows],
        upper95=None if use_se else [float(b.upper95 or 0) / scale for b in rows],
        standard_errors=[float(b.standard_error or 0) / scale for b in rows] if use_se else None,
        value_type=value_type,
        repetitions=repetitions,
        seed=SEED,
    )
    return Inequality(
        category_type=category_type, period=period, quantiles=len(rows),
        sii=result.sii * scale, sii_lower=result.sii_lower * scale, sii_upper=result.sii_upper * scale,
        rii=result.rii, rii_lower=result.rii_lower, rii_upper=result.rii_upper,
    )
