"""The monitoring report: an accessible HTML page and a tagged PDF/UA-1 document (Word via ``docx``).

The pipeline: choose the period and outcomes (:mod:`.select`) → judge and check (``outcomes.judge``)
→ prepare every word, number and chart (:func:`build_view`, :mod:`.charts`) → fill the template
(:mod:`.html`) → lay out the PDF (:mod:`.pdf`). Templates never compute.

>>> from outcomes.sources import load_dataset  # doctest: +SKIP
>>> fw = load_dataset("src/outcomes/data/examples/dorset-safe-2018")  # doctest: +SKIP
>>> write_report(fw, "out/dorset-safe-2018.pdf")  # doctest: +SKIP
PosixPath('out/dorset-safe-2018.pdf')
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from outcomes.model import Framework, Period

from .select import ReportError, as_period, select_outcomes, select_period
from .view import ReportView
from .view import build_view as _build_view

if TYPE_CHECKING:
    from outcomes.judge import FrameworkJudgement
    from outcomes.judge.quality import Finding

__all__ = [
    "FORMATS",
    "ReportError",
    "ReportView",
    "build_view",
    "prepare",
    "render_html",
    "render_pdf",
    "write_report",
]

#: File extensions and the format each one writes.
FORMATS: dict[str, str] = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


def prepare(
    framework: Framework,
    *,
    judged: FrameworkJudgement | None = None,
    findings: Sequence[Finding] | None = None,
    period: Period | str | None = None,
) -> tuple[Framework, FrameworkJudgement, list[Finding]]:
    """The framework cut to ``period`` with its judgements and data-quality findings.

    Judgements and findings passed in are used as they are when the report is for the framework's own
    reporting period; for another period they are computed again on the cut framework (they would
    otherwise describe figures the report leaves out).
    """
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks

    chosen = as_period(period)
    cut = select_period(framework, chosen)
    if cut is not framework:
        judged, findings = None, None
    found = list(findings) if findings is not None else run_checks(cut)
    if judged is None:
        judged = judge_framework(cut, quality_findings=found)
    return cut, judged, found


def build_view(
    framework: Framework,
    judged: FrameworkJudgement | None,
    findings: Sequence[Finding] | None,
    *,
    outcome_id: str | None = None,
    period: Period | str | None = None,
) -> ReportView:
    """The report's view-model (see :mod:`outcomes.report.view`): what the templates present.

    ``period`` (a Period or its text, default the framework's reporting period) leaves out later
    observations; for another period than the framework's own, ``judged`` and ``findings`` are
    computed again on the cut framework; ``None`` computes them. ``outcome_id`` selects one outcome
    (default: all, each its own part).
    """
    chosen = as_period(period)
    select_outcomes(framework, outcome_id)
    cut, judged_, found = prepare(framework, judged=judged, findings=findings, period=chosen)
    return _build_view(cut, judged_, found, outcome_id=outcome_id, period=cut.reporting_period,
                       published_period=framework.reporting_period)


def render_html(
    framework: Framework,
    *,
    judged: FrameworkJudgement | None = None,
    findings: Sequence[Finding] | None = None,
    outcome_id: str | None = None,
    period: Period | str | None = None,
    back_url: str | None = None,
) -> str:
    """The report as one self-contained, accessible HTML page (CSS and SVG inline, no script).

    ``back_url``: where "Back to the tracker" at the top of the page goes, when a tracker serves the report
    (none in a report built by the command line)."""
    from .html import render_view

    return render_view(build_view(framework, judged, findings, outcome_id=outcome_id, period=period), target="html",
                       back_url=back_url)


def render_pdf(
    framework: Framework,
    *,
    judged: FrameworkJudgement | None = None,
    findings: Sequence[Finding] | None = None,
    outcome_id: str | None = None,
    period: Period | str | None = None,
) -> bytes:
    """The report as a tagged PDF declaring PDF/UA-1 (A4 landscape, bookmarks, page X of Y)."""
    from .html import render_view
    from .pdf import html_to_pdf

    html = render_view(build_view(framework, judged, findings, outcome_id=outcome_id, period=period), target="pdf")
    return html_to_pdf(html)


def write_report(
    framework: Framework,
    out_path: Path | str,
    *,
    outcome_id: str | None = None,
    period: Period | str | None = None,
) -> Path:
    """Write the report to ``out_path``; the extension chooses the format (.html, .pdf or .docx)."""
    path = Path(out_path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ReportError(f"Cannot write '{path.name}': the report is written as "
                          f"{', '.join(sorted(set(FORMATS)))} (the format follows the extension).")
    select_outcomes(framework, outcome_id)
    if fmt == "docx":
        return _write_docx(framework, path, outcome_id=outcome_id, period=period)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "html":
        path.write_text(render_html(framework, outcome_id=outcome_id, period=period), encoding="utf-8")
    else:
        path.write_bytes(render_pdf(framework, outcome_id=outcome_id, period=period))
    return path


def _write_docx(framework: Framework, path: Path, *, outcome_id: str | None, period: Period | str | None) -> Path:
    try:
        module = importlib.import_module("outcomes.report.docx")
    except ModuleNotFoundError as error:
        if error.name not in ("outcomes.report.docx", "docx"):
            raise
        missing = "the Word writer (outcomes.report.docx)" if error.name == "outcomes.report.docx" \
            else "the python-docx package"
        raise ReportError(f"Cannot write '{path.name}': {missing} is not installed. Write .html or .pdf "
                          "instead, or install the Word support.") from None
    render_docx = getattr(module, "render_docx", None)
    if render_docx is None:
        raise ReportError(f"Cannot write '{path.name}': outcomes.report.docx has no render_docx().")
    cut, judged, _ = prepare(framework, period=period)
    path.parent.mkdir(parents=True, exist_ok=True)
    result = render_docx(cut, judged, path, outcome_id=outcome_id)
    return Path(result) if result is not None else path
