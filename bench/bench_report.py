"""Benchmark: where the time goes when the example's report is made. Prints figures; not a test.

Run: ``.venv/bin/python bench/bench_report.py [--repeat 3] [--dataset src/outcomes/data/examples/dorset-safe-2018]``

Prints the pages of the PDF and the peak memory of the process too. Stages: load the dataset, judge it, run the data-quality checks, draw the charts, prepare the rest of
the view-model, fill the templates (HTML and the PDF's HTML), and the PDF engine (WeasyPrint layout,
then writing the tagged PDF). Each stage is timed on its own; the best of ``--repeat`` runs is shown.
Our own work (charts and templates) must cost less than the PDF engine's layout and writing: the
ratio is printed, and the script exits 1 when it is not below 1.
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

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE

ROOT = Path(__file__).resolve().parents[1]


def _timer(store: dict[str, float], key: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            store[key] = store.get(key, 0.0) + time.perf_counter() - start

    return wrapper


def run_once(dataset: Path) -> dict[str, float]:
    import outcomes.report.view_series as view_series
    import outcomes.report.view_summary as view_summary
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks
    from outcomes.report.html import render_view
    from outcomes.report.pdf import html_to_pdf
    from outcomes.report.view import build_view
    from outcomes.sources import load_dataset

    t: dict[str, float] = {}
    start = time.perf_counter()
    fw = load_dataset(dataset)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dataset", type=Path, default=BUNDLED_EXAMPLE)
    args = parser.parse_args(argv)

    runs = [run_once(args.dataset) for _ in range(max(1, args.repeat))]
    best = {key: min(r[key] for r in runs) for key in runs[0]}
    charts_count = int(best.pop("_charts"))
    pages = int(best.pop("_pages"))
    total = sum(best.values())
    print(f"Report for {args.dataset.name}: best of {len(runs)} run(s), {charts_count} charts")
    print(f"{'stage':<32}{'seconds':>10}{'share':>9}")
    for key, seconds in best.items():
        print(f"{key:<32}{seconds:>10.3f}{seconds / total:>9.1%}")
    print(f"{'total':<32}{total:>10.3f}")
    ours = best["charts"] + best["templates (HTML + PDF's HTML)"]
    engine = best["PDF layout (WeasyPrint)"] + best["PDF writing (WeasyPrint)"]
    ratio = ours / engine
    print(f"charts + templates = {ours:.3f} s; PDF engine = {engine:.3f} s; ratio = {ratio:.3f} (must be < 1)")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(f"PDF: {pages} pages (A4 landscape); peak memory of this process {peak_mib:.0f} MiB")
    return 0 if ratio < 1 else 1


if __name__ == "__main__":
    sys.exit(main())
