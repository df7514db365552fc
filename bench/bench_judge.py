"""Benchmark: judging synthetic frameworks of 1,000 and 10,000 series. Prints figures; not a test.

Run: ``.venv/bin/python bench/bench_judge.py [N ...] [--repeat R] [--phases] [--checks]``

* ``--repeat R`` judges each framework R times and prints every time and their median, wall clock and
  the process's CPU time (the machine is shared: quote medians, compare two versions in one session,
  alternately, and prefer the CPU times, which other people's work inflates far less).
* ``--phases`` adds one instrumented run that splits the CPU time of ``judge_framework`` by phase
  (intervals, SPC charts, recent-trend markers, the choice of trend method, the rest of the trend path,
  comparators, sentences, periods, the engine's result objects, focus, the rest).
  Each phase's time is its own, without the phases it calls (the period words printed inside a
  sentence count as periods, not sentences). The timers add their own cost (about 2 µs a call, some
  50,000 calls for 10,000 series), which lands mostly in "the rest", so the instrumented total is
  above the plain one; the split, not the sum, is the point. The phase functions are wrapped by the
  names their callers look them up by; names that exist but were never called are listed, so a
  phase that reads near zero because its code was inlined or moved shows itself.
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

#: phase -> (module, attribute) pairs whose calls count towards it; a class attribute is "Class.name".
#: A function is wrapped where its caller looks it up (the module that imports it), so each entry names
#: the calling module; entries for older versions' names are kept (a name a version lacks is skipped,
#: and ``--phases`` lists the names that exist but were never called).
PHASES: dict[str, tuple[tuple[str, str], ...]] = {
    "intervals": (
        ("outcomes.judge.engine", "compute_intervals"),
        ("outcomes.judge.comparator", "compute_intervals"),
        ("outcomes.judge.comparator_group", "compute_intervals"),
    ),
    "SPC charts": (
        ("outcomes.judge.trend", "xmr"),
        ("outcomes.judge.trend", "xmr_many"),
        ("outcomes.judge.trend", "xmr_rows"),
        ("outcomes.judge.trend", "decimals_of_rows"),
        ("outcomes.judge.trend", "decimals_of_block"),
    ),
    "trend markers": (("outcomes.judge.trend", "trend_marker_objects"),),
    "trend method": (  # which periods and which method each series' data support (before charts/markers)
        ("outcomes.judge.trend", "_begin"),
        ("outcomes.judge.trend", "_trend_window"),
        ("outcomes.judge.trend", "limited_windows"),
    ),
    "trend results": (  # the rest of the trend path: its passes, finishing each series, its result objects
        ("outcomes.judge.engine", "judge_trends"),
        ("outcomes.judge.engine", "judge_trend_parts"),
        ("outcomes.judge.engine", "judge_trend_tuples"),
    ),
    "comparators": (
        ("outcomes.judge.engine", "judge_comparators"),
        ("outcomes.judge.engine", "plan_comparators"),
        ("outcomes.judge.engine", "settle_comparisons"),
        ("outcomes.judge.comparator", "_group"),
        ("outcomes.judge.comparator", "_benchmark"),
        ("outcomes.judge.comparator", "_settle"),
    ),
    "sentences": (
        ("outcomes.judge.trend", "_spc_judgement"),
        ("outcomes.judge.trend", "_previous_vs_latest"),
        ("outcomes.judge.trend", "_describe_move"),
        ("outcomes.judge.trend", "_method_not_reproduced"),
        ("outcomes.judge.trend", "_not_judged"),
        ("outcomes.judge.trend", "_recent_trend_words"),
        ("outcomes.judge.trend_change", "_describe_move"),
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
        ("outcomes.judge.trend", "shape_of"),
        ("outcomes.judge.trend", "_shape"),
        ("outcomes.judge.trend", "_regular_run"),
        ("outcomes.judge.trend", "_annual_points"),
        ("outcomes.judge.trend", "_annual_first"),
        ("outcomes.judge.trend_change", "in_period"),
        ("outcomes.judge.trend_recent", "in_period"),
        ("outcomes.judge.comparator", "periods_behind"),
        ("outcomes.judge.trend_change", "is_next"),
        ("outcomes.judge.trend_change", "is_year_apart"),
        ("outcomes.judge.trend_change", "break_between"),
    ),
    "results": (("outcomes.judge.engine", "SeriesJudgement"),),  # the engine's record of each series
    "focus": (("outcomes.judge.engine", "rank_focus"),),
}


class _PhaseClock:
    """Exclusive time per phase: a phase called inside another is taken out of the outer one."""

    def __init__(self) -> None:
        self.seconds: Counter[str] = Counter()
        self.calls: Counter[str] = Counter()
        self.target_calls: Counter[str] = Counter()  # by "module:attribute", to see which are never called
        self._inner: list[float] = []  # time spent in nested phases, per open phase

    def wrap(self, phase: str, fn: Callable[..., Any], target: str = "") -> Callable[..., Any]:
        clock = self

        def timed(*args: Any, **kwargs: Any) -> Any:
            clock._inner.append(0.0)
            start = time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.process_time() - start
                inner = clock._inner.pop()
                clock.seconds[phase] += elapsed - inner
                clock.calls[phase] += 1
                clock.target_calls[target] += 1
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
            setattr(owner, attr, clock.wrap(phase, original, f"{module_name}:{attr}"))
            found.add(phase)
            clock.target_calls[f"{module_name}:{attr}"] += 0
    return undo, found


def _time(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def _cpu(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, float, float]:
    """The result, the wall-clock seconds and this process's CPU seconds (what a busy machine's other
    work does not inflate, or much less)."""
    start, cpu = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start, time.process_time() - cpu


def run(n: int, repeat: int, phases: bool, checks: bool) -> None:
    fw, build = _time(make_framework, n)
    times, cpu_times = [], []
    judged: Any = None
    for _ in range(repeat):
        judged, seconds, cpu_seconds = _cpu(judge_framework, fw)
        times.append(seconds)
        cpu_times.append(cpu_seconds)
    judge, cpu = statistics.median(times), statistics.median(cpu_times)
    _, to_json, to_json_cpu = _cpu(judged.to_json_dict)  # the first work after judging (see the docs)
    _, to_rows = _time(judged.to_rows)
    methods = Counter(sj.trend.method for sj in judged.series)
    comparators = Counter(sj.comparator.method for sj in judged.series)
    print(f"N = {n:,} series")
    print(f"  build framework   {build:8.3f} s")
    runs = ", ".join(f"{t:.3f}" for t in times)
    print(f"  judge_framework   {judge:8.3f} s   ({judge / n * 1e6:,.0f} µs per series; median of {runs})")
    cpu_runs = ", ".join(f"{t:.3f}" for t in cpu_times)
    print(f"    CPU time        {cpu:8.3f} s   ({cpu / n * 1e6:,.0f} µs per series; median of {cpu_runs})")
    print(f"  to_json_dict      {to_json:8.3f} s   (CPU {to_json_cpu:.3f} s; the first work after judging)")
    print(f"  to_rows           {to_rows:8.3f} s")
    if checks:
        _time_checks(fw)
    print(f"  trend methods     {dict(methods)}")
    print(f"  comparator        {dict(comparators)}")
    print(f"  focus listed      {len(judged.focus):,} of {len(judged.focus_items):,} items with a reason")
    if phases:
        clock = _PhaseClock()
        undo, found = _instrument(clock)
        try:
            _, _, total = _cpu(judge_framework, fw)
        finally:
            for owner, attr, original in reversed(undo):
                setattr(owner, attr, original)
        print(f"  phases of one instrumented judge_framework (CPU time; {total:.3f} s with the timers):")
        for phase in PHASES:
            if phase in found:
                share = clock.seconds[phase] / total * 100
                print(f"    {phase:<15}{clock.seconds[phase]:8.3f} s  {share:5.1f}%  ({clock.calls[phase]:,} calls)")
            else:
                print(f"    {phase:<15}     not measured (no such function in this version)")
        rest = total - sum(clock.seconds.values())
        print(f"    {'the rest':<15}{rest:8.3f} s  {rest / total * 100:5.1f}%  (the loops around these, result objects)")
        idle = sorted(target for target, count in clock.target_calls.items() if count == 0)
        if idle:  # a function no longer called by that name (inlined, moved, or not needed by this framework)
            print(f"    not called by these names in this run: {', '.join(idle)}")


def _time_checks(fw: Any) -> None:
    """Time run_checks, and each check within it (the three slowest are printed)."""
    import dataclasses

    from outcomes.judge.quality import CHECKS, run_checks

    per_check: Counter[str] = Counter()

    def timed(code: str, run: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(framework: Any) -> list[Any]:
            start = time.perf_counter()
            found = list(run(framework))
            per_check[code] += time.perf_counter() - start
            return found

        return wrapper

    originals = dict(CHECKS)
    for code, check in originals.items():
        CHECKS[code] = dataclasses.replace(check, run=timed(code, check.run))
    try:
        findings, seconds = _time(run_checks, fw)
    finally:
        CHECKS.update(originals)
    print(f"  quality checks    {seconds:8.3f} s   (run_checks: {len(findings):,} findings, {len(CHECKS)} checks)")
    slowest = ", ".join(f"{code} {s:.2f} s" for code, s in per_check.most_common(3))
    print(f"    slowest         {slowest} (a check that compares words judges the framework once)")


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
