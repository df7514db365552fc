"""Benchmark: judging synthetic frameworks of 1,000 and 10,000 series. Prints figures; not a test.

Run: ``.venv/bin/python bench/bench_judge.py [N ...] [--repeat R] [--phases] [--checks]``

* ``--repeat R`` judges each framework R times and prints every time and their median (the machine
  is shared: quote medians, and compare two versions in one session, alternately).
* ``--phases`` adds one instrumented run that splits the time of ``judge_framework`` by phase
  (intervals, SPC charts, recent-trend markers, comparators, sentences, periods, focus, the rest).
  Each phase's time is its own, without the phases it calls (the period words printed inside a
  sentence count as periods, not sentences). The timers add their own cost, so the instrumented
  total is above the plain one; the split, not the sum, is the point.
* ``--checks`` also times the data-quality checks (``run_checks``, which judges the framework once
  more for the checks that compare published words with ours).

The script works against any version of the library: a phase whose functions a version lacks is
shown as not measured. To compare with an older commit, check it out in a throwaway worktree and
run this script with ``PYTHONPATH=<that worktree>/src``.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_framework  # noqa: E402

from outcomes.judge import judge_framework  # noqa: E402

#: phase -> (module, attribute) pairs whose calls count towards it; a class attribute is "Class.name"
PHASES: dict[str, tuple[tuple[str, str], ...]] = {
    "intervals": (
        ("outcomes.judge.engine", "compute_intervals"),
        ("outcomes.judge.comparator", "compute_intervals"),
        ("outcomes.judge.comparator_group", "compute_intervals"),
    ),
    "SPC charts": (
        ("outcomes.judge.trend", "xmr"),
        ("outcomes.judge.trend", "xmr_many"),
    ),
    "trend markers": (("outcomes.judge.trend", "trend_marker_objects"),),
    "comparators": (
        ("outcomes.judge.engine", "plan_comparators"),
        ("outcomes.judge.engine", "settle_comparisons"),
        ("outcomes.judge.comparator", "_group"),
        ("outcomes.judge.comparator_group", "_group"),
        ("outcomes.judge.comparator", "_benchmark"),
    ),
    "sentences": (
        ("outcomes.judge.trend", "_spc_judgement"),
        ("outcomes.judge.trend", "_previous_vs_latest"),
        ("outcomes.judge.trend", "_describe_move"),
        ("outcomes.judge.trend", "_method_not_reproduced"),
        ("outcomes.judge.trend_recent", "_recent_trend_words"),
        ("outcomes.judge.comparator", "_tolerance"),
        ("outcomes.judge.comparator", "_count_not_compared"),
        ("outcomes.judge.comparator", "_interval_judgement"),
        ("outcomes.judge.comparator_interval", "_interval_judgement"),
    ),
    "periods": (
        ("outcomes.model.period", "Period.label"),
        ("outcomes.judge.trend", "is_next"),
        ("outcomes.judge.trend", "is_year_apart"),
        ("outcomes.judge.trend", "is_sub_annual"),
        ("outcomes.judge.trend", "segment_start"),
        ("outcomes.judge.trend", "_regular_run"),
        ("outcomes.judge.trend", "_annual_points"),
        ("outcomes.judge.comparator", "periods_behind"),
        ("outcomes.judge.trend_change", "is_next"),
        ("outcomes.judge.trend_change", "is_year_apart"),
        ("outcomes.judge.trend_change", "break_between"),
    ),
    "focus": (("outcomes.judge.engine", "rank_focus"),),
}


class _PhaseClock:
    """Exclusive time per phase: a phase called inside another is taken out of the outer one."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self._inner: list[float] = []  # time spent in nested phases, per open phase

    def wrap(self, phase: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            clock._inner.append(0.0)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                inner = clock._inner.pop()
                clock.seconds[phase] += elapsed - inner
                clock.calls[phase] += 1
                if clock._inner:
                    clock._inner[-1] += elapsed

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed


def _instrument(clock: _PhaseClock) -> tuple[list[tuple[Any, str, Any]], set[str]]:
    """Wrap every phase function that exists in this version; returns the undo list and the phases found."""
    undo: list[tuple[Any, str, Any]] = []
    found: set[str] = set()
    for phase, targets in PHASES.items():
        for module_name, attr in targets:
            try:
                owner: Any = importlib.import_module(module_name)
            except ImportError:
                continue
            if "." in attr:
                cls_name, attr = attr.split(".")
                owner = getattr(owner, cls_name, None)
            original = getattr(owner, attr, None) if owner is not None else None
            if original is None:
                continue
            undo.append((owner, attr, original))
            setattr(owner, attr, clock.wrap(phase, original))
            found.add(phase)
    return undo, found


def _time(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def run(n: int, repeat: int, phases: bool, checks: bool) -> None:
    fw, build = _time(make_framework, n)
    times = []
    judged: Any = None
    for _ in range(repeat):
        judged, seconds = _time(judge_framework, fw)
        times.append(seconds)
    judge = statistics.median(times)
    _, to_json = _time(judged.to_json_dict)
    _, to_rows = _time(judged.to_rows)
    methods = Counter(sj.trend.method for sj in judged.series)
    comparators = Counter(sj.comparator.method for sj in judged.series)
    print(f"N = {n:,} series")
    print(f"  build framework   {build:8.3f} s")
    runs = ", ".join(f"{t:.3f}" for t in times)
    print(f"  judge_framework   {judge:8.3f} s   ({judge / n * 1e6:,.0f} µs per series; median of {runs})")
    print(f"  to_json_dict      {to_json:8.3f} s")
    print(f"  to_rows           {to_rows:8.3f} s")
    if checks:
        from outcomes.judge.quality import run_checks

        findings, seconds = _time(run_checks, fw)
        print(f"  quality checks    {seconds:8.3f} s   (run_checks: {len(findings):,} findings; judges once more)")
    print(f"  trend methods     {dict(methods)}")
    print(f"  comparator        {dict(comparators)}")
    print(f"  focus listed      {len(judged.focus):,} of {len(judged.focus_items):,} items with a reason")
    if phases:
        clock = _PhaseClock()
        undo, found = _instrument(clock)
        try:
            _, total = _time(judge_framework, fw)
        finally:
            for owner, attr, original in reversed(undo):
                setattr(owner, attr, original)
        print(f"  phases of one instrumented judge_framework ({total:.3f} s with the timers):")
        for phase in PHASES:
            if phase in found:
                share = clock.seconds[phase] / total * 100
                print(f"    {phase:<15}{clock.seconds[phase]:8.3f} s  {share:5.1f}%  ({clock.calls[phase]:,} calls)")
            else:
                print(f"    {phase:<15}     not measured (no such function in this version)")
        rest = total - sum(clock.seconds.values())
        print(f"    {'the rest':<15}{rest:8.3f} s  {rest / total * 100:5.1f}%  (choosing methods, building results)")


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1_000, 10_000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--phases", action="store_true")
    parser.add_argument("--checks", action="store_true")
    args = parser.parse_args(argv)
    judge_framework(make_framework(50))  # warm up imports and caches
    for n in args.sizes:
        run(n, max(1, args.repeat), args.phases, args.checks)


if __name__ == "__main__":
    main(sys.argv[1:])
