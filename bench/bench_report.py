"""Benchmark: where the time and memory go when a report is made, whole or split. Prints figures; not a test.

Run:

    .venv/bin/python bench/bench_report.py                      # the example, one PDF (best of 3)
    .venv/bin/python bench/bench_report.py --split              # the example, one PDF per outcome
    .venv/bin/python bench/bench_report.py --synthetic 400 --repeat 1           # 400 series, one PDF
    .venv/bin/python bench/bench_report.py --synthetic 400 --split --jobs 2     # 400 series, split

Whole report: the stages are timed on their own (load, judge, checks, charts, the rest of the view-model,
templates, then the PDF engine's layout and writing) and the best of ``--repeat`` runs is shown, with
the pages and the peak memory of this process. Split (``outcomes report --split outcome``): the
framework is judged once here and each outcome is laid out in its own worker process; printed are each
part's pages, seconds and the worker's peak memory, the wall-clock time, and the peak of the largest
worker (each worker reads its own ``resource.getrusage(RUSAGE_SELF)``).

Our own work (charts, view-model and templates) must cost less than the PDF engine's layout and
writing: the ratio is printed, and the script exits 1 when it is not below 1.
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE  # noqa: E402
from outcomes.model import Framework  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _framework(dataset: Path, synthetic: int | None) -> Framework:
    if synthetic:
        from synthetic import make_framework

        return make_framework(synthetic)
    from outcomes.sources import load_dataset

    return load_dataset(dataset)


def _timer(store: dict[str, float], key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            store[key] = store.get(key, 0.0) + time.perf_counter() - start

    return wrapper


def run_once(dataset: Path, synthetic: int | None = None) -> dict[str, float]:
    import outcomes.report.view_series as view_series
    import outcomes.report.view_summary as view_summary
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks
    from outcomes.report.html import render_view
    from outcomes.report.pdf import html_to_pdf
    from outcomes.report.view import build_view

    t: dict[str, float] = {}
    start = time.perf_counter()
    fw = _framework(dataset, synthetic)
    t["load"] = time.perf_counter() - start

    start = time.perf_counter()
    findings = run_checks(fw)
    t["checks"] = time.perf_counter() - start

    start = time.perf_counter()
    judged = judge_framework(fw, quality_findings=findings)
    t["judge"] = time.perf_counter() - start

    charts: dict[str, float] = {}
    line, bar = view_series.line_chart, view_summary.bar_chart  # looked up where the view's parts call them
    view_series.line_chart = _timer(charts, "charts", line)  # type: ignore[assignment]
    view_summary.bar_chart = _timer(charts, "charts", bar)  # type: ignore[assignment]
    try:
        start = time.perf_counter()
        view = build_view(fw, judged, findings)
        total_view = time.perf_counter() - start
    finally:
        view_series.line_chart, view_summary.bar_chart = line, bar  # type: ignore[assignment]
    t["charts"] = charts.get("charts", 0.0)
    t["view (without charts)"] = total_view - t["charts"]

    start = time.perf_counter()
    render_view(view, target="html")
    html = render_view(view, target="pdf")
    t["templates (HTML + PDF's HTML)"] = time.perf_counter() - start

    engine: dict[str, float] = {}
    pdf = html_to_pdf(html, timings=engine)
    t["PDF layout (WeasyPrint)"] = engine["layout"]
    t["PDF writing (WeasyPrint)"] = engine["write"]
    t["_charts"] = len(view.charts)
    from pypdf import PdfReader

    t["_pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
    return t


def run_split(dataset: Path, synthetic: int | None, jobs: int | None) -> int:
    import tempfile

    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks
    from outcomes.report.split import write_split

    start = time.perf_counter()
    fw = _framework(dataset, synthetic)
    findings = run_checks(fw)
    judged = judge_framework(fw, quality_findings=findings)
    prepared = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as tmp:
        result = write_split(fw, Path(tmp) / "parts", jobs=jobs, judged=judged, findings=findings)
    wall = time.perf_counter() - start
    name = f"synthetic {synthetic} series" if synthetic else dataset.name
    print(f"Split report for {name}: {len(result.parts)} parts, {jobs or 'all'} jobs")
    print(f"{'part':<28}{'pages':>7}{'seconds':>10}{'CPU s':>8}{'peak MiB':>10}")
    for p in result.parts:
        print(f"{p.title[:27]:<28}{p.pages:>7}{p.seconds:>10.1f}{p.timings.get('cpu', 0.0):>8.1f}{p.peak_mib:>10.0f}")
    stages = ("view", "templates", "layout", "write")
    sums = {k: sum(p.timings.get(k, 0.0) for p in result.parts) for k in stages}
    ours, engine = sums["view"] + sums["templates"], sums["layout"] + sums["write"]
    print(f"load + judge + checks (once, this process): {prepared:.1f} s")
    print(f"summed over parts: view-model and charts {sums['view']:.1f} s, templates {sums['templates']:.1f} s, "
          f"PDF layout {sums['layout']:.1f} s, PDF writing {sums['write']:.1f} s")
    print(f"charts + view + templates = {ours:.1f} s; PDF engine = {engine:.1f} s; ratio = {ours / engine:.3f} "
          "(must be < 1)")
    # the workers are children of the forkserver, not of this process, so each reports its own peak
    # (resource.getrusage(RUSAGE_SELF) inside the worker); RUSAGE_CHILDREN here would see none of them
    largest = max(p.peak_mib for p in result.parts)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"pages {sum(p.pages for p in result.parts)} in all; wall clock {wall:.1f} s; "
          f"peak memory: largest worker {largest:.0f} MiB, this process {own:.0f} MiB")
    return 0 if ours < engine else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dataset", type=Path, default=BUNDLED_EXAMPLE)
    parser.add_argument("--synthetic", type=int, default=None, metavar="N",
                        help="a synthetic framework of N series (bench/synthetic.py) instead of --dataset")
    parser.add_argument("--split", action="store_true", help="one PDF per outcome, in worker processes")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes for --split (default: cores)")
    args = parser.parse_args(argv)
    if args.split:
        return run_split(args.dataset, args.synthetic, args.jobs)

    runs = [run_once(args.dataset, args.synthetic) for _ in range(max(1, args.repeat))]
    best = {key: min(r[key] for r in runs) for key in runs[0]}
    charts_count = int(best.pop("_charts"))
    pages = int(best.pop("_pages"))
    total = sum(best.values())
    name = f"synthetic {args.synthetic} series" if args.synthetic else args.dataset.name
    print(f"Report for {name}: best of {len(runs)} run(s), {charts_count} charts")
    print(f"{'stage':<32}{'seconds':>10}{'share':>9}")
    for key, seconds in best.items():
        print(f"{key:<32}{seconds:>10.3f}{seconds / total:>9.1%}")
    print(f"{'total':<32}{total:>10.3f}")
    ours = best["charts"] + best["templates (HTML + PDF's HTML)"]
    engine = best["PDF layout (WeasyPrint)"] + best["PDF writing (WeasyPrint)"]
    ratio = ours / engine
    print(f"charts + templates = {ours:.3f} s; PDF engine = {engine:.3f} s; ratio = {ratio:.3f} (must be < 1)")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"PDF: {pages} pages (A4 landscape); peak memory of this process {peak_mib:.0f} MiB; "
          f"processor time {usage.ru_utime + usage.ru_stime:.1f} s for {len(runs)} run(s)")
    return 0 if ratio < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
