"""A synthetic outcomes framework of any size, for benchmarks and smoke tests (no files needed).

The mix exercises every method path of the judgement engine:

* 30% quarterly counts over 24 quarters (SPC), a third of them with a shift in the last 8 quarters;
* 30% annual percentages with numerator and denominator over 8 years (recent-trend test), with an
  England benchmark row per year (interval comparisons);
* 20% short series of 2–3 points (previous vs latest), with a single undated benchmark figure
  (tolerance comparison);
* 10% annual rates per 10,000 with counts over 6 years and a group of 10 statistical neighbours
  (recent-trend test on computed intervals; group rank);
* 10% series without a polarity (described, not judged).

Five series per population indicator (its own and four performance measures), twenty indicators per
outcome, one corporate risk per ten indicators.

    >>> fw = make_framework(100)
    >>> sum(1 for _ in fw.all_series())
    100
"""

from __future__ import annotations

import numpy as np

from outcomes.model import (
    Area,
    Comparator,
    FocusOverride,
    Framework,
    Observation,
    Outcome,
    PerformanceMeasure,
    Period,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    Risk,
    Series,
    Target,
    Unit,
)

__all__ = ["HOME", "make_framework"]

HOME = "E10000009"
ENGLAND = "E92000001"
NEIGHBOURS = tuple(f"E100000{n:02d}" for n in range(10, 20))

_QUARTERS = [Period.parse("Q1 2012-13").shift(i) for i in range(24)]
_YEARS = [Period.financial_year(2010 + i) for i in range(8)]
_COUNT = Unit("count")
_PERCENT = Unit("percentage")
_RATE = Unit("rate", per=10_000)
_POLARITIES = (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER)


def _quarterly(sid: str, i: int, rng: np.random.Generator) -> Series:
    base = rng.uniform(50, 500)
    values = rng.normal(base, base * 0.05, 24)
    if i % 3 == 0:
        values[-8:] += base * 0.2  # a shift: special cause
    obs = [Observation(sid, HOME, p, float(round(v))) for p, v in zip(_QUARTERS, values, strict=True)]
    target = Target(float(round(base))) if i % 4 == 0 else None
    return Series(
        sid,
        f"Quarterly count {sid}",
        _COUNT,
        _POLARITIES[i % 2],
        PeriodKind.QUARTER,
        observations=obs,
        target=target,
    )


def _annual_percentage(sid: str, i: int, rng: np.random.Generator) -> Series:
    denominators = rng.integers(2_000, 20_000, len(_YEARS)).astype(float)
    p0 = rng.uniform(0.1, 0.6)
    drift = rng.choice([-0.01, 0.0, 0.01])
    shares = np.clip(p0 + drift * np.arange(len(_YEARS)) + rng.normal(0, 0.005, len(_YEARS)), 0.01, 0.99)
    numerators = np.round(shares * denominators)
    obs = [
        Observation(sid, HOME, p, float(round(100 * x / n, 1)), numerator=float(x), denominator=float(n))
        for p, x, n in zip(_YEARS, numerators, denominators, strict=True)
    ]
    england = [Observation(sid, ENGLAND, p, float(round(100 * p0 + rng.normal(0, 2), 1))) for p in _YEARS]
    return Series(
        sid,
        f"Annual percentage {sid}",
        _PERCENT,
        _POLARITIES[i % 2],
        PeriodKind.FINANCIAL_YEAR,
        observations=obs,
        comparators=[Comparator("England", ENGLAND)],
        benchmark_observations={ENGLAND: england},
    )


def _short(sid: str, i: int, rng: np.random.Generator) -> Series:
    periods = _QUARTERS[-(2 + i % 2) :] if i % 2 else _YEARS[-2:]
    kind = PeriodKind.QUARTER if i % 2 else PeriodKind.FINANCIAL_YEAR
    base = rng.uniform(20, 80)
    obs = [Observation(sid, HOME, p, float(round(base * rng.uniform(0.95, 1.05), 1))) for p in periods]
    comparators = [Comparator("South West", "E12000009", value=float(round(base * rng.uniform(0.9, 1.1), 1)))]
    return Series(
        sid,
        f"Short series {sid}",
        _PERCENT,
        _POLARITIES[i % 2],
        kind,
        observations=obs,
        comparators=comparators,
        kind="performance_measure",
    )


def _rate_with_group(sid: str, i: int, rng: np.random.Generator) -> Series:
    years = _YEARS[-6:]
    population = rng.integers(50_000, 150_000)
    counts = rng.poisson(population * 0.005, len(years)).astype(float)
    obs = [
        Observation(
            sid,
            HOME,
            p,
            float(round(c / population * 10_000, 1)),
            numerator=float(c),
            denominator=float(population),
        )
        for p, c in zip(years, counts, strict=True)
    ]
    rows = {
        code: [Observation(sid, code, p, float(round(rng.normal(50, 8), 1))) for p in years]
        for code in NEIGHBOURS
    }
    group = Comparator("Statistical neighbours", "neighbours", kind="group", members=NEIGHBOURS)
    return Series(
        sid,
        f"Rate with neighbours {sid}",
        _RATE,
        Polarity.LOWER_IS_BETTER,
        PeriodKind.FINANCIAL_YEAR,
        observations=obs,
        comparators=[group],
        benchmark_observations=rows,
    )


def _no_polarity(sid: str, i: int, rng: np.random.Generator) -> Series:
    series = _quarterly(sid, i, rng) if i % 2 else _short(sid, i, rng)
    series.polarity = None if i % 4 < 2 else Polarity.NO_JUDGEMENT
    return series


_MAKERS = (
    [_quarterly] * 6 + [_annual_percentage] * 6 + [_short] * 4 + [_rate_with_group] * 2 + [_no_polarity] * 2
)


def make_framework(n: int, *, seed: int = 0) -> Framework:
    """A framework with ``n`` series (see the module docstring for the mix)."""
    rng = np.random.default_rng(seed)
    outcomes: list[Outcome] = []
    indicators: list[PopulationIndicator] = []
    indicator: PopulationIndicator | None = None
    for i in range(n):
        sid = f"s{i:06d}"
        series = _MAKERS[i % len(_MAKERS)](sid, i, rng)
        if i % 5 == 0:
            if len(indicators) % 20 == 0:
                outcomes.append(Outcome(f"o{len(outcomes)}", f"Outcome {len(outcomes)}"))
            ind_id = f"ind{len(indicators):05d}"
            indicator = PopulationIndicator(
                ind_id, str(len(indicators) + 1), f"Indicator {ind_id}", outcomes[-1].id
            )
            indicators.append(indicator)
            outcomes[-1].indicators.append(indicator)
            series.kind, series.parent_id = "population_indicator", ind_id
            indicator.series.append(series)
        else:
            assert indicator is not None
            series.kind = "performance_measure"
            measure = PerformanceMeasure(f"m{sid}", f"Measure {sid}", indicator.id, series=[series])
            series.parent_id = measure.id
            indicator.measures.append(measure)
        if i % 97 == 0:
            series.focus = FocusOverride("pin" if i % 2 else "suppress", "synthetic override")
    risks = [
        Risk(
            f"R{k:04d}",
            f"Risk {k}",
            ("HIGH", "MEDIUM", "LOW")[k % 3],
            ("improving", "unchanged", "worsening")[k % 3],
            indicators=(indicators[(k * 10) % len(indicators)].id,) if indicators and k % 4 else (),
        )
        for k in range(max(1, len(indicators) // 10))
    ]
    areas = {code: Area(code, name) for code, name in [(ENGLAND, "England"), ("E12000009", "South West")]}
    areas.update({code: Area(code, f"Neighbour {code[-2:]}") for code in NEIGHBOURS})
    return Framework(
        organisation="Synthetic Council",
        home_area=Area(HOME, "Synthetic"),
        reporting_period=_QUARTERS[-1],
        outcomes=outcomes,
        risks=risks,
        areas=areas,
    )
