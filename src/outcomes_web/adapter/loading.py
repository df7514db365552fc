"""One snapshot's framework and judgements for the pages, cached in the process by the snapshot's
content hash and revision; the judgements as the pages read them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import (
    Framework,
    Outcome,
    Period,
)
from outcomes_web.adapter.mapping import snapshot_framework
from outcomes_web.store import models as m


# ===================================================================================== judgements
@dataclass(frozen=True)
class Verdict:
    """A judgement as the pages show it: word, RAG letter, method and reason."""

    word: str
    rag: str = ""
    method: str = ""
    reason: str = ""
    method_label: str = ""
    why: str = ""

    @property
    def assessed(self) -> bool:
        return self.word not in ("", "not assessed", "not compared")


@dataclass(frozen=True)
class SeriesVerdict:
    trend: Verdict
    comparator: Verdict
    current_run: str = ""
    focus_rank: int | None = None
    focus_reason: str = ""
    spc: str = ""
    #: every comparator judgement (benchmarks and groups), as ``ComparatorJudgement.to_dict`` records
    comparators: tuple[dict[str, Any], ...] = ()


def _verdict(j: Any) -> Verdict:
    if j is None:
        return Verdict("not assessed", reason="No judgement was made.")
    word = str(getattr(j, "word", "") or getattr(j, "judgement", "") or "not assessed")
    rag = getattr(j, "rag", "") or ""
    method = str(getattr(j, "method", "") or "")
    return Verdict(word=word, rag=str(getattr(rag, "value", rag) or ""), method=method,
                   reason=str(getattr(j, "reason", "") or ""),
                   method_label=str(getattr(j, "method_label", "") or method), why=str(getattr(j, "why", "") or ""))


@dataclass
class Judged:
    """The judgements of one framework, by series id, plus risk focus ranks."""

    series: dict[str, SeriesVerdict] = field(default_factory=dict)
    risk_focus: dict[str, int] = field(default_factory=dict)
    raw: Any = None  # the library's FrameworkJudgement, for the report renderer and JSON
    findings: list[Any] = field(default_factory=list)  # data-quality findings (outcomes.judge.quality)

    def findings_for(self, subject_id: str) -> list[Any]:
        return [f for f in self.findings if f.subject_id == subject_id]


def judge(fw: Framework) -> Judged:
    """Judge a framework with ``outcomes.judge`` (and run its data-quality checks)."""
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks

    findings = run_checks(fw)
    result = judge_framework(fw, quality_findings=findings)
    out: dict[str, SeriesVerdict] = {}
    for sj in result.series:
        focus = getattr(sj, "focus", None)
        rank = focus.rank if focus is not None else None
        out[sj.series.id] = SeriesVerdict(
            trend=_verdict(sj.trend), comparator=_verdict(sj.comparator),
            current_run=_run_text(sj), focus_rank=rank,
            focus_reason=" ".join(focus.reasons) if focus is not None and rank is not None else "",
            spc=_spc_text(sj),
            comparators=tuple(j.to_dict() for j in getattr(sj, "comparators", ())),
        )
    for s in fw.all_series():
        out.setdefault(s.id, SeriesVerdict(_verdict(None), _verdict(None)))
    risk_focus = {rj.risk.id: rj.focus.rank for rj in result.risks
                  if rj.focus is not None and rj.focus.rank is not None}
    return Judged(out, risk_focus, result, findings)


def _run_text(sj: Any) -> str:
    """'Rising for 3 periods in a row' from the engine's current run, or ''."""
    n, direction = getattr(sj, "current_run", 0), getattr(sj, "current_direction", None)
    if not n or not direction:
        return ""
    word = "Rising" if direction == "up" else "Falling"
    return f"{word} for {n} period{'s' if n != 1 else ''} in a row"


_SPC_WORDS = {
    "common_cause": "common cause variation (no signal)",
    "special_cause_improving_high": "special cause: improvement (high)",
    "special_cause_improving_low": "special cause: improvement (low)",
    "special_cause_concerning_high": "special cause: concern (high)",
    "special_cause_concerning_low": "special cause: concern (low)",
    "special_cause_neutral_high": "special cause: high (neither direction is better)",
    "special_cause_neutral_low": "special cause: low (neither direction is better)",
}


def _spc_text(sj: Any) -> str:
    """A sentence about the XmR chart, when the engine drew one."""
    x = getattr(sj, "spc", None)
    if x is None:
        return ""
    unit = sj.series.unit
    text = (f"XmR chart over {x.points_used} points{' (trial limits)' if x.trial_limits else ''}: "
            f"mean {unit.format(x.mean)}, process limits {unit.format(x.lower_limit)} to {unit.format(x.upper_limit)}.")
    latest = next((t for t in reversed(x.point_types) if t), "")
    if latest:
        text += f" Latest point: {_SPC_WORDS.get(latest, latest.replace('_', ' '))}."
    return text


def judged_json(loaded: Loaded) -> dict[str, Any]:
    """The library's JSON form of the judgements."""
    raw = loaded.judged.raw
    if raw is None or not hasattr(raw, "to_json_dict"):
        return {}
    return raw.to_json_dict()


# ========================================================================================== loading
@dataclass
class Loaded:
    """One snapshot's framework and judgements, ready for the pages.

    ``memo`` lives as long as the cache entry: pages keep view-models and rendered HTML there, so
    they too are rebuilt only when the snapshot's data changes.
    """

    snapshot: m.Snapshot
    framework: Framework
    judged: Judged
    memo: dict[Any, Any] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        return self.framework.outcomes[0]

    @property
    def period(self) -> Period:
        return self.framework.reporting_period


_CACHE: OrderedDict[tuple[Any, ...], tuple[Framework, Judged, dict[Any, Any]]] = OrderedDict()
_CACHE_SIZE = 32
_LOCK = threading.Lock()


def clear_cache() -> None:
    with _LOCK:
        _CACHE.clear()


def load_outcome(snapshot: m.Snapshot) -> Loaded:
    """The framework and judgements of ``snapshot``, from the process cache when its data is unchanged."""
    alias = snapshot._state.db or "default"
    key = (alias, snapshot.pk, snapshot.revision, snapshot.content_hash)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None:
            _CACHE.move_to_end(key)
    if hit is None:
        fw = snapshot_framework([snapshot], using=alias)
        hit = (fw, judge(fw), {})
        with _LOCK:
            _CACHE[key] = hit
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return Loaded(snapshot, hit[0], hit[1], hit[2])


def warm_imports() -> None:
    """Import the library's heavy modules (numpy, scipy, the charts) now, not in the first request."""
    import outcomes.judge
    import outcomes.judge.quality
    import outcomes.report.charts  # noqa: F401
