"""One snapshot's framework and judgements for the pages, cached in the process by the snapshot's
content hash and revision; the judgements as the pages read them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import Framework, Outcome, Period
from outcomes.report.focus import (
    FOCUS_RANKING_SENTENCE as FOCUS_RANKING_SENTENCE,  # re-exported: said beside the focus numbers
)
from outcomes.report.focus import focus_numbers
from outcomes.report.view import RagView as RagView  # re-exported: a judgement as every output prints it
from outcomes.report.view import SeriesJudgementView, series_judgement_view
from outcomes_web.adapter.mapping import snapshot_framework
from outcomes_web.store import models as m


# ===================================================================================== judgements
# The words, RAG letters and sentences of a judgement come from the report's view-model
# (outcomes.report.view: RagView, SeriesJudgementView), so the pages say what the reports say.
@dataclass
class Judged:
    """The judgements of one framework, by series id, plus risk focus ranks."""

    series: dict[str, SeriesJudgementView] = field(default_factory=dict)
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
    numbers = focus_numbers(result)  # the report's one focus numbering: series 1..N, risks R1..RK
    out = {sj.series.id: series_judgement_view(sj, numbers) for sj in result.series}
    for s in fw.all_series():
        out.setdefault(s.id, series_judgement_view(None))
    risk_focus = dict(numbers.risks)
    return Judged(out, risk_focus, result, findings)


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
