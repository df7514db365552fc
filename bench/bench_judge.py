"""Benchmark: judging synthetic frameworks of 1,000 and 10,000 series. Prints figures; not a test.

Run: ``.venv/bin/python bench/bench_judge.py [N ...]``
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import make_framework  # noqa: E402

import outcomes.judge.trend as judge_trend_module  # noqa: E402
from outcomes.judge import judge_framework  # noqa: E402

_STATS_SECONDS = {"xmr": 0.0, "trend_marker_objects": 0.0}


def _timed(name, fn):  # type: ignore[no-untyped-def]
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _STATS_SECONDS[name] += time.perf_counter() - start

    return wrapper


# time the statistics calls: xmr once per SPC series, the recent-trend kernel once for the framework
judge_trend_module.xmr = _timed("xmr", judge_trend_module.xmr)  # type: ignore[assignment]
judge_trend_module.trend_marker_objects = _timed(  # type: ignore[assignment]
    "trend_marker_objects", judge_trend_module.trend_marker_objects
)


def _time(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def run(n: int) -> None:
    fw, build = _time(make_framework, n)
    for key in _STATS_SECONDS:
        _STATS_SECONDS[key] = 0.0
    judged, judge = _time(judge_framework, fw)
    _, to_json = _time(judged.to_json_dict)
    _, to_rows = _time(judged.to_rows)
    methods = Counter(sj.trend.method for sj in judged.series)
    comparators = Counter(sj.comparator.method for sj in judged.series)
    print(f"N = {n:,} series")
    print(f"  build framework   {build:8.3f} s")
    print(f"  judge_framework   {judge:8.3f} s   ({judge / n * 1e6:,.0f} µs per series)")
    print(
        f"    of which stats.xmr {_STATS_SECONDS['xmr']:.3f} s (one call per SPC series), recent-trend "
        f"markers {_STATS_SECONDS['trend_marker_objects']:.3f} s (one kernel call)"
    )
    print(f"  to_json_dict      {to_json:8.3f} s")
    print(f"  to_rows           {to_rows:8.3f} s")
    print(f"  trend methods     {dict(methods)}")
    print(f"  comparator        {dict(comparators)}")
    print(f"  focus listed      {len(judged.focus):,} of {len(judged.focus_items):,} items with a reason")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [1_000, 10_000]
    judge_framework(make_framework(50))  # warm up imports and caches
    for n in sizes:
        run(n)


if __name__ == "__main__":
    main(sys.argv[1:])
