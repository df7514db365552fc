"""The register of data-quality checks, their findings, and the run of them all.

Each check has a stable code, a severity (``error``, ``warning``, ``info``) and names its subject by
id and title, with the figures involved. ``docs/checks.md`` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import Framework, Series

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    subject_id: str
    subject_title: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        return f"{self.subject_id}: {self.subject_title}" if self.subject_title else self.subject_id

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "subject": self.subject,
            "subject_id": self.subject_id,
            "subject_title": self.subject_title,
            "message": self.message,
            "values": self.values,
        }


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    title: str
    run: Callable[[Framework], Iterator[Finding]]


CHECKS: dict[str, Check] = {}


def check(code: str, severity: str, title: str) -> Callable[[Callable[[Framework], Iterator[Finding]]], Check]:
    def register(fn: Callable[[Framework], Iterator[Finding]]) -> Check:
        c = Check(code, severity, title, fn)
        CHECKS[code] = c
        return c

    return register


def _fmt(series: Series, value: float | None) -> str:
    return series.unit.format(value)


#: The judgements of the frameworks checked by the current :func:`run_checks` call, so that two checks
#: do not judge the same framework twice. A context variable: each thread (and each asyncio task) has its
#: own, so concurrent runs never see or clear each other's; the framework is kept with its judgements, so
#: a reused ``id()`` cannot return another framework's.
_RUN_JUDGED: ContextVar[dict[int, tuple[Framework, Any]] | None] = ContextVar("outcomes_quality_judged",
                                                                             default=None)


def _judged_cache(fw: Framework, judge: Callable[[Framework], Any]) -> Any:
    memo = _RUN_JUDGED.get()
    if memo is None:  # a check run on its own: nothing to share
        return judge(fw)
    hit = memo.get(id(fw))
    if hit is None or hit[0] is not fw:
        hit = (fw, judge(fw))
        memo[id(fw)] = hit
    return hit[1]


def run_checks(fw: Framework, *, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered check (or those named) and return the findings, errors first."""
    wanted = set(codes) if codes is not None else None
    findings: list[Finding] = []
    token = _RUN_JUDGED.set({})
    try:
        for code, c in CHECKS.items():
            if wanted is None or code in wanted:
                findings.extend(c.run(fw))
    finally:
        _RUN_JUDGED.reset(token)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: order[f.severity])
