"""Benchmark: ``outcomes bulk`` on synthetic national files, and intervals ours vs plain numpy. Not a test.

For each size it writes a Fingertips-layout CSV (indicators × 1,000 areas × 10 years, plus England and
9 regions), then measures, each in a fresh child process: reading the file with pyarrow alone, and
``outcomes bulk`` on it (read, judge, write Parquet). It prints both times, their ratio, the peak
memory of the bulk process (``getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a process that only runs it)
and rows per second. Then 1M proportions and 1M rates with limits at 95% and 99.8%: our functions
against a plain numpy implementation of the same formulas.

Run: ``.venv/bin/python bench/bench_bulk.py [--sizes 100k,1M,10M] [--folder DIR]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIZES = {"100k": 10, "1M": 100, "10M": 1_000}  # indicators; × 1,000 areas × 10 years
AREAS, YEARS, CHUNK = 1_000, 10, 20


def write_file(path: Path, indicators: int) -> int:
    """The synthetic Fingertips CSV, written 20 indicators at a time (so 10M rows fit in memory)."""
    import pyarrow.csv as pacsv

    from outcomes.bulk.synthetic import fingertips_table

    rows = 0
    writer = None
    for first in range(0, indicators, CHUNK):
        table = fingertips_table(
            indicators=min(CHUNK, indicators - first),
            areas=AREAS,
            years=YEARS,
            seed=first,
            first_indicator=90000 + first,
        )
        if writer is None:
            writer = pacsv.CSVWriter(path, table.schema)
        writer.write_table(table)
        rows += table.num_rows
    assert writer is not None
    writer.close()
    return rows


def run_child(task: str, path: Path) -> dict[str, float]:
    """Time ``task`` in a grandchild, so that RUSAGE_CHILDREN of its parent is its peak memory alone."""
    code = (
        "import json, resource, subprocess, sys\n"
        f"done = subprocess.run([sys.executable, {__file__!r}, '--task', {task!r}, {str(path)!r}],"
        " capture_output=True, text=True, check=True)\n"
        "result = json.loads(done.stdout.strip().splitlines()[-1])\n"
        "result['peak_kib'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
        "print(json.dumps(result))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def task(name: str, path: Path) -> None:
    """Run in the grandchild: import first, then time only the work."""
    import pyarrow.csv as pacsv

    from outcomes.bulk import run_bulk

    start = time.perf_counter()
    parts = {}
    if name == "read":
        rows = pacsv.read_csv(path).num_rows
    else:
        out = path.with_suffix(".judged.parquet")
        summary = run_bulk(path, out)
        rows = summary.rows
        parts = {"read": summary.read_seconds, "judge": summary.judge_seconds, "write": summary.write_seconds}
        out.unlink()
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows, **parts}))


# ------------------------------------------------------------------------------------ intervals


def plain_numpy(x: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    """The same formulas written plainly: Wilson; exact Poisson below 10 (scipy on those), Byar's from 10."""
    from scipy.stats import chi2, norm

    z = norm.ppf(0.5 + confidence / 2)
    p = x / n
    root = z * np.sqrt(z * z + 4 * x * (1 - p))
    wilson = ((2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z)))
    lower = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    upper = (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * np.sqrt(x + 1))) ** 3
    small = x < 10
    alpha = 1 - confidence
    lower[small] = np.where(x[small] > 0, chi2.ppf(alpha / 2, 2 * x[small]) / 2, 0.0)
    upper[small] = chi2.ppf(1 - alpha / 2, 2 * x[small] + 2) / 2
    return p * 100, wilson[0] * 100, wilson[1] * 100, x / n * 1e5, lower / n * 1e5, upper / n * 1e5


def ours(x: np.ndarray, n: np.ndarray, confidence: float) -> tuple[np.ndarray, ...]:
    from outcomes.stats import proportion_interval, rate_interval

    return (*proportion_interval(x, n, confidence=confidence), *rate_interval(x, n, confidence=confidence))


def best_of(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def intervals() -> None:
    rng = np.random.default_rng(1)
    size = 1_000_000
    n = rng.integers(50, 200_000, size=size).astype(float)
    x = np.floor(rng.random(size) * n * rng.choice([0.0001, 0.01, 0.3], size=size))
    print(f"\nIntervals: {size:,} proportions and {size:,} rates, counts below 10: {np.mean(x < 10):.0%}")
    print(f"{'confidence':>10} {'plain numpy s':>14} {'ours s':>8} {'ours/plain':>11}")
    total_plain = total_ours = 0.0
    for confidence in (0.95, 0.998):
        with np.errstate(all="ignore"):
            mine, plain = ours(x, n, confidence), plain_numpy(x, n, confidence)
            for a, b in zip(mine, plain, strict=True):
                np.testing.assert_allclose(a, b, rtol=1e-12, equal_nan=True)
            t_plain = best_of(lambda c=confidence: plain_numpy(x, n, c))
        t_ours = best_of(lambda c=confidence: ours(x, n, c))
        total_plain += t_plain
        total_ours += t_ours
        print(f"{confidence:>10} {t_plain:>14.3f} {t_ours:>8.3f} {t_ours / t_plain:>11.2f}")
    print(f"{'both':>10} {total_plain:>14.3f} {total_ours:>8.3f} {total_ours / total_plain:>11.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M,10M", help="comma-separated: 100k, 1M, 10M")
    parser.add_argument("--folder", help="where to write the files (default: a temporary folder)")
    parser.add_argument("--no-intervals", action="store_true")
    parser.add_argument("--task", nargs=2, metavar=("NAME", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.task:
        task(args.task[0], Path(args.task[1]))
        return
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory(dir=args.folder) as folder:
        print(
            f"{'size':>5} {'rows':>11} {'MB':>6} {'pyarrow s':>10} {'bulk s':>8} {'ratio':>6} "
            f"{'peak MiB':>9} {'rows/s':>11}   bulk = read + judge + write s; pyarrow read peak MiB"
        )
        for label in args.sizes.split(","):
            path = Path(folder) / f"fingertips-{label}.csv"
            rows = write_file(path, SIZES[label])
            read = run_child("read", path)
            bulk = run_child("bulk", path)
            print(
                f"{label:>5} {rows:>11,} {path.stat().st_size / 1e6:>6.0f} {read['seconds']:>10.2f} "
                f"{bulk['seconds']:>8.2f} {bulk['seconds'] / read['seconds']:>6.1f} "
                f"{bulk['peak_kib'] / 1024:>9,.0f} {rows / bulk['seconds']:>11,.0f}   "
                f"{bulk['read']:.2f} + {bulk['judge']:.2f} + {bulk['write']:.2f}; {read['peak_kib'] / 1024:,.0f}",
                flush=True,
            )
            path.unlink()
    if not args.no_intervals:
        intervals()


if __name__ == "__main__":
    main()
