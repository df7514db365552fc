"""Small helpers shared by the trend methods: a value as a float, whether it is finite, 'not assessed'."""

from __future__ import annotations

import math

from outcomes.model import Observation

from .method import (
    Judgement,
    method_label,
)


def _finite(o: Observation) -> bool:
    return o.value is not None and math.isfinite(o.value)


def _f(x: float | None) -> float:
    return math.nan if x is None else float(x)


def _not_assessed(reason: str, why: str, **values: object) -> Judgement:
    return Judgement("not assessed", None, "none", method_label("none"), reason, why, dict(values))
