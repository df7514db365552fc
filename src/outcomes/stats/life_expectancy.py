"""Life expectancy from an abridged life table (Chiang II) with Silcocks' variance for the last band.

As the OHID Life Expectancy Calculator and PHEindicatormethods ``phe_life_expectancy`` define it,
for the 20 standard age bands 0, 1–4, 5–9, …, 85–89 and 90+. For band ``i`` with start age ``xᵢ``,
width ``nᵢ`` (the last band has no width), population (person-years) ``Pᵢ`` and deaths ``Dᵢ``::

    Mᵢ = Dᵢ/Pᵢ;  aᵢ = 0.1 for the first band (age 0), 0.5 otherwise
    qᵢ = nᵢMᵢ / (1 + nᵢMᵢ(1 − aᵢ))   (1 if Dᵢ > Pᵢ/nᵢ/aᵢ);  q = 1 in the last band
    l₀ = 100,000;  lᵢ₊₁ = lᵢ(1 − qᵢ);  dᵢ = lᵢ − lᵢ₊₁
    Lᵢ = nᵢ(lᵢ₊₁ + aᵢdᵢ);  L_last = l_last / M_last
    Tᵢ = Σ_{j≥i} Lⱼ;  eᵢ = Tᵢ / lᵢ
    var(qᵢ) = qᵢ²(1 − qᵢ)/Dᵢ (0 where dᵢ = 0);  var_last = 4 / (D_last · M_last²)   (Silcocks)
    var(eᵢ) = Σ_{j≥i} lⱼ²((1 − aⱼ)nⱼ + eⱼ₊₁)² var(qⱼ) + (l_last/2)² var_last, all over lᵢ²
    limits = eᵢ ∓ z·√var(eᵢ)

Suppression (the guide's rules): every value and limit is missing when any band has negative
deaths, a population of zero or less, more deaths than population, or when the total population
is 5,000 or less. A single age's life expectancy (not its limits) is missing when its 95%
confidence interval is wider than 20 years.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._common import FloatResult, as_float_array, out, z_value

__all__ = ["LIFE_TABLE_START_AGES", "life_expectancy"]

#: Start ages of the 20 standard bands: 0, 1–4, 5–9, …, 85–89, 90+.
LIFE_TABLE_START_AGES = (0, 1, *range(5, 95, 5))
#: A life table is not calculated for a total population at or below this (Toson & Baker 2003).
MINIMUM_TOTAL_POPULATION = 5_000
#: A single life expectancy is suppressed when its 95% interval is wider than this (years).
MAXIMUM_INTERVAL_WIDTH = 20.0


def life_expectancy(
    populations: ArrayLike, deaths: ArrayLike, *, confidence: float = 0.95
) -> tuple[FloatResult, FloatResult, FloatResult]:
    """Life expectancy at each start age of the 20 standard bands, with confidence limits.

    ``populations`` and ``deaths`` have the 20 bands (0, 1–4, 5–9, …, 85–89, 90+, in that order)
    along their last axis; a 2-D input is areas × bands. Returns ``(value, lower, upper)``, each
    with the same shape: the life expectancy at age 0, 1, 5, …, 90. See the module notes for the
    suppression rules (a suppressed area is all NaN; a value with an interval wider than 20 years
    is NaN with its limits kept). There must be at least one death in the 90+ band.

    >>> pops = [7060, 35059, 46974, 48489, 43219, 38561, 46009, 57208, 61435, 55601, 50209,
    ...         56416, 46411, 39820, 37978, 37039, 33288, 23306, 11936, 11936]
    >>> deaths = [17, 9, 4, 8, 20, 15, 24, 33, 50, 71, 100, 163, 263, 304, 536, 872, 1390,
    ...           1605, 1936, 1937]
    >>> value, lower, upper = life_expectancy(pops, deaths)
    >>> round(float(value[0]), 2), round(float(lower[0]), 2), round(float(upper[0]), 2)
    (80.17, 79.88, 80.46)
    """
    z = z_value(confidence)
    pop = as_float_array(populations)
    dth = as_float_array(deaths)
    if pop.shape != dth.shape or pop.ndim == 0 or pop.shape[-1] != len(LIFE_TABLE_START_AGES):
        raise ValueError(
            f"populations and deaths need the {len(LIFE_TABLE_START_AGES)} standard age bands "
            f"(0, 1-4, 5-9, ..., 85-89, 90+) along their last axis; got shapes {pop.shape} and {dth.shape}"
        )
    bad = (
        np.any(~np.isfinite(pop) | ~np.isfinite(dth), axis=-1)
        | np.any(dth < 0, axis=-1)
        | np.any(pop <= 0, axis=-1)
        | np.any(dth > pop, axis=-1)
        | (np.nansum(pop, axis=-1) <= MINIMUM_TOTAL_POPULATION)
    )
    p = np.where(bad[..., None], 1.0, pop)
    d = np.where(bad[..., None], 0.0, dth)
    starts = np.asarray(LIFE_TABLE_START_AGES, dtype=np.float64)
    width = np.append(np.diff(starts), np.nan)
    a = np.where(starts == 0, 0.1, 0.5)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        m = d / p
        width = np.where(np.isnan(width), 2.0 / m, width)  # last band: only used in its own test
        q = np.where(d <= p / width / a, m * width / (1.0 + m * width * (1.0 - a)), 1.0)
        survive = np.cumprod(1.0 - q, axis=-1)
        alive = 100_000.0 * np.concatenate([np.ones(q.shape[:-1] + (1,)), survive[..., :-1]], axis=-1)
        l_next = np.concatenate([alive[..., 1:], np.zeros(q.shape[:-1] + (1,))], axis=-1)
        dying = alive - l_next
        big_l = width * (l_next + a * dying)
        big_l[..., -1] = alive[..., -1] / m[..., -1]
        t = np.flip(np.cumsum(np.flip(big_l, axis=-1), axis=-1), axis=-1)
        e = np.where(alive == 0, 0.0, t / alive)
        var_q = np.where(dying == 0, 0.0, q**2 * (1.0 - q) / d)
        var_q[..., -1] = 4.0 / (d[..., -1] * m[..., -1] ** 2)
        e_next = np.concatenate([e[..., 1:], np.zeros(q.shape[:-1] + (1,))], axis=-1)
        weighted = var_q * alive**2 * ((1.0 - a) * width + e_next) ** 2
        weighted[..., -1] = (alive[..., -1] / 2.0) ** 2 * var_q[..., -1]
        st = np.flip(np.cumsum(np.flip(weighted, axis=-1), axis=-1), axis=-1)
        se = np.sqrt(st / alive**2)
    value = np.where(np.isfinite(e), e, np.nan)
    lower = value - z * se
    upper = value + z * se
    too_wide = z_value(0.95) * se > MAXIMUM_INTERVAL_WIDTH / 2.0
    value = np.where(too_wide, np.nan, value)
    suppressed = bad[..., None] | ~np.isfinite(se)
    value, lower, upper = (np.where(suppressed, np.nan, v) for v in (value, lower, upper))
    return out(value), out(lower), out(upper)
