"""Large frameworks: one PDF per outcome, laid out in parallel processes, with an index page.

A framework of several hundred series makes one PDF of hundreds of pages that takes minutes and
gigabytes in one process (the PDF engine holds the whole laid-out document). Split by outcome,
each part is an ordinary report of one outcome (the same pages as ``--outcome ID``), so:

* the framework is loaded, judged and checked **once**, in the calling process; the focus ranking
  and its numbers stay framework-wide, so a part shows the same focus numbers as the whole report;
* every part is laid out in its own worker process (``ProcessPoolExecutor``), which renders one
  outcome and then exits (``max_tasks_per_child=1``), so memory is bounded by the largest outcome
  and returned to the system after each part;
* parts are written into a temporary folder beside the destination and moved into place only when
  every part has succeeded: a failure leaves no half-written output behind;
* ``index.html`` lists each part with its outcome title, file and page count.

>>> result = write_split(framework, "reports/", jobs=2)  # doctest: +SKIP
>>> [(p.title, p.file, p.pages) for p in result.parts]  # doctest: +SKIP
[('Safe', 'safe.pdf', 23)]
"""

from __future__ import annotations

import html
import io
import multiprocessing
import os
import re
import resource
import shutil
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from outcomes.model import Framework, Period

from .select import ReportError, as_period

if TYPE_CHECKING:
    from outcomes.judge import FrameworkJudgement
    from outcomes.judge.quality import Finding

__all__ = ["SPLITS", "SplitPart", "SplitResult", "write_split"]

#: What a report can be split by. The framework model has outcomes but no themes, so only "outcome".
SPLITS: tuple[str, ...] = ("outcome",)


@dataclass(frozen=True)
class SplitPart:
    """One written part: its outcome, file name (inside the folder), pages and the cost of making it."""

    outcome_id: str
    title: str
    file: str
    pages: int
    seconds: float
    peak_mib: float  # peak resident memory of the worker process that made it
    timings: dict[str, float] = field(default_factory=dict)  # view, templates, PDF layout and writing


@dataclass(frozen=True)
class SplitResult:
    folder: Path
    index: Path
    parts: tuple[SplitPart, ...]
    seconds: float


def _file_name(outcome_id: str, taken: set[str]) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", outcome_id.lower()).strip("-") or "outcome"
    name, n = f"{stem}.pdf", 2
    while name in taken or name == "index.html":
        name, n = f"{stem}-{n}.pdf", n + 1
    taken.add(name)
    return name


def _render_part(framework: Framework, judged: FrameworkJudgement, findings: Sequence[Finding],
                 outcome_id: str, published_period: Period | None, path: str) -> tuple[int, float, float,
                                                                                        dict[str, float]]:
    """Worker: lay out one outcome's PDF into ``path``; return pages, seconds, peak MiB and stage timings."""
    from pypdf import PdfReader

    from .html import render_view
    from .pdf import html_to_pdf
    from .view import build_view

    start = time.perf_counter()
    timings: dict[str, float] = {}
    view = build_view(framework, judged, findings, outcome_id=outcome_id, period=framework.reporting_period,
                      published_period=published_period)
    timings["view"] = time.perf_counter() - start
    mark = time.perf_counter()
    page = render_view(view, target="pdf")
    timings["templates"] = time.perf_counter() - mark
    del view
    pdf = html_to_pdf(page, timings=timings)
    del page
    Path(path).write_bytes(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024  # kilobytes on Linux
    timings["cpu"] = usage.ru_utime + usage.ru_stime  # processor seconds of this worker (load-independent)
    return pages, time.perf_counter() - start, peak, timings


def _index_html(framework: Framework, parts: Sequence[SplitPart]) -> str:
    e = html.escape
    title = f"{framework.report.title}: {framework.organisation}, {framework.reporting_period}"
    rows = "\n".join(
        f'      <tr><th scope="row"><a href="{e(p.file)}">{e(p.title)}</a></th>'
        f"<td>{e(p.file)}</td><td class=\"num\">{p.pages}</td></tr>"
        for p in parts)
    total = sum(p.pages for p in parts)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>
body {{ font-family: Arial, sans-serif; margin: 2rem; color: #0B0C0C; max-width: 60rem; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: 0.4rem 0.8rem 0.4rem 0; border-bottom: 1px solid #B1B4B6; }}
.num {{ text-align: right; }}
a {{ color: #1D70B8; }}
</style>
</head>
<body>
<main>
<h1>{e(title)}</h1>
<p>The report is in {len(parts)} parts, one PDF for each outcome ({total} pages in all). Each part is the
full report for its outcome: executive summary, every indicator and measure, the key, the data-quality
findings for that outcome and how the judgements were made. Focus numbers are ranked across the whole
framework, so they are the same in every part.</p>
<table>
  <caption>Parts of the report</caption>
  <thead><tr><th scope="col">Outcome</th><th scope="col">File</th><th scope="col" class="num">Pages</th></tr></thead>
  <tbody>
{rows}
  </tbody>
</table>
</main>
</body>
</html>
"""


def write_split(
    framework: Framework,
    folder: Path | str,
    *,
    by: str = "outcome",
    period: Period | str | None = None,
    jobs: int | None = None,
    judged: FrameworkJudgement | None = None,
    findings: Sequence[Finding] | None = None,
) -> SplitResult:
    """Write one PDF per outcome of ``framework`` and an ``index.html`` into ``folder``.

    ``jobs`` worker processes (default: the machine's cores) lay the parts out in parallel. Raises
    :class:`ReportError` (and writes nothing into ``folder``) when a part cannot be made.
    """
    from . import prepare

    if by not in SPLITS:
        raise ReportError(f"A report can be split by {', '.join(SPLITS)}, not '{by}' "
                          "(the framework has outcomes but no themes).")
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise ReportError(f"Cannot write the parts into '{target}': it is a file. With --split, --out names a "
                          "folder.")
    if target.suffix.lower() in (".pdf", ".html", ".htm", ".docx"):
        raise ReportError(f"With --split, --out names a folder, not a file such as '{target.name}'.")
    if not framework.outcomes:
        raise ReportError("The framework has no outcomes to split the report by.")
    start = time.perf_counter()
    cut, judged_, found = prepare(framework, judged=judged, findings=findings, period=as_period(period))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(cut.outcomes)))
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        taken: set[str] = set()
        names = {o.id: _file_name(o.id, taken) for o in cut.outcomes}
        # each worker lays out one outcome and exits (memory goes back to the system after each part)
        context = multiprocessing.get_context("forkserver")
        futures: dict[str, Future[Any]] = {}
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, max_tasks_per_child=1) as pool:
            for o in cut.outcomes:
                futures[o.id] = pool.submit(_render_part, cut, judged_, found, o.id, framework.reporting_period,
                                            str(staging / names[o.id]))
            parts = []
            for o in cut.outcomes:
                try:
                    pages, seconds, peak, timings = futures[o.id].result()
                except ReportError:
                    raise
                except Exception as error:  # a worker's failure names the outcome it was making
                    for f in futures.values():
                        f.cancel()
                    why = str(error).rstrip(".")
                    raise ReportError(f"The part for outcome '{o.id}' ({o.title}) could not be made: {why}. "
                                      f"Nothing was written to '{target}'.") from error
                parts.append(SplitPart(o.id, o.title, names[o.id], pages, seconds, peak, timings))
        index = staging / "index.html"
        index.write_text(_index_html(cut, parts), encoding="utf-8")
        target.mkdir(parents=True, exist_ok=True)
        for name in [*names.values(), "index.html"]:
            os.replace(staging / name, target / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return SplitResult(target, target / "index.html", tuple(parts), time.perf_counter() - start)
