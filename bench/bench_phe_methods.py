"""Benchmark: the public-health methods over every local authority at once. Prints figures; not a test.

Run: ``.venv/bin/python bench/bench_phe_methods.py [AREAS]`` (default 10,000 areas). Inputs are
synthetic (random deaths and populations by age band); only the timings matter.
"""

from __future__ import annotations

import sys
import time

import numpy as np

from outcomes.stats import (
    funnel_limits,
    isr_interval,
    life_expectancy,
    mean_interval,
    quantile_groups,
    slope_index_of_inequality,
)


def _time(label: str, fn, repeat: int = 3) -> None:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<58} {best * 1000:9.1f} ms")


def main(areas: int) -> None:
    rng = np.random.default_rng(1)
    pops = rng.integers(2_000, 60_000, size=(areas, 20)).astype(float)
    rates = np.array(
        [
            0.004,
            0.0002,
            0.0001,
            0.0001,
            0.0003,
            0.0004,
            0.0005,
            0.0006,
            0.0009,
            0.0013,
            0.002,
            0.003,
            0.005,
            0.008,
            0.013,
            0.022,
            0.037,
            0.065,
            0.11,
            0.2,
        ]
    )
    deaths = rng.poisson(pops * rates).astype(float) + 1
    ref_counts, ref_pops = deaths.sum(axis=0), pops.sum(axis=0)
    print(f"{areas:,} areas × 20 age bands")
    _time("life_expectancy (all 20 ages, 95% limits)", lambda: life_expectancy(pops, deaths))
    _time("isr_interval (per 100,000)", lambda: isr_interval(deaths, pops, ref_counts, ref_pops))
    values = rng.normal(50, 10, size=(areas, 30))
    _time("mean_interval (30 values each)", lambda: mean_interval(values))
    _time(
        "quantile_groups (deciles, 9 regions)",
        lambda: quantile_groups(values[:, 0], groups=10, by=rng.integers(0, 9, size=areas)),
    )
    _time("funnel_limits, proportion", lambda: funnel_limits(pops[:, 0], statistic="proportion", baseline=20))
    _time(
        "funnel_limits, rate (exact Poisson)",
        lambda: funnel_limits(pops.sum(axis=1), statistic="rate", baseline=900, multiplier=100_000),
    )
    deciles = np.arange(1, 11)
    _time(
        "slope_index_of_inequality (one area, 100,000 draws)",
        lambda: slope_index_of_inequality(
            deciles, pops[0, :10], values[0, :10], standard_errors=np.ones(10), seed=1
        ),
        repeat=1,
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
