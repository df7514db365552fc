"""The reports (HTML and PDF) of one outcome and period, cached on disk; the report's charts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from outcomes.model import Series
from outcomes.report.charts import responsive_charts
from outcomes.report.view import funnel_for, inequality_text, series_decimals
from outcomes.report.view import series_chart as _series_chart
from outcomes.report.view import series_short_value as _series_short_value
from outcomes.report.view import series_value as _series_value
from outcomes_web.adapter.errors import ReportUnavailable
from outcomes_web.adapter.library import renderer_version
from outcomes_web.adapter.loading import Loaded

# ========================================================================================== reports
REPORT_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def report_cache_path(loaded: Loaded, fmt: str) -> Path:
    snap = loaded.snapshot
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"{snap.outcome_key}-{loaded.period}").strip("-")
    name = f"{slug}-r{snap.revision}-{snap.content_hash[:16]}-v{renderer_version()}.{fmt}"
    return Path(settings.REPORT_CACHE_DIR) / name


def render_report(loaded: Loaded, fmt: str) -> tuple[bytes, bool]:
    """The report of one outcome and period as ``fmt`` (html or pdf): (content, came from the cache).

    Built by ``outcomes.report`` and kept on disk under ``OUTCOMES_DATA_DIR/cache/reports``, named by
    the snapshot's content hash and revision and the renderer's version (the library version and a
    fingerprint of its files, :func:`~outcomes_web.adapter.library.renderer_version`), so it is rebuilt
    when the data or the renderer changes, also between two commits of one release.
    """
    if fmt not in REPORT_FORMATS:
        raise ValueError(f"Unknown report format {fmt!r}.")
    path = report_cache_path(loaded, fmt)
    if path.exists():
        return path.read_bytes(), True
    from outcomes.report import ReportError, render_html, render_pdf

    fn = render_html if fmt == "html" else render_pdf
    kwargs: dict[str, Any] = {"outcome_id": loaded.outcome.id, "period": loaded.period}
    if loaded.judged.raw is not None:
        kwargs["judged"] = loaded.judged.raw
        kwargs["findings"] = loaded.judged.findings
    if fmt == "html":  # served at .../report.html: "./" is the page it belongs to (scorecard or snapshot)
        from urllib.parse import quote_plus

        kwargs["back_url"] = f"./?period={quote_plus(str(loaded.period))}"
    try:
        content = fn(loaded.framework, **kwargs)
    except ReportError as exc:
        raise ReportUnavailable(str(exc)) from exc
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + f".{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return data, False


# ===================================================================== the report's view-model
# The pages draw and word a series exactly as the reports do: the same chart (SVG), the same figures.
def series_funnel(loaded: Loaded, series: Series) -> Any | None:
    """The report's funnel plot of a series' latest period across its comparator group, or ``None``.

    A chart object with ``.svg`` (``<title>`` and ``<desc>`` inside) and ``.table`` (the figures:
    each area, its denominator, value, limits and where it lies), drawn by the report's one chart
    renderer; ``None`` when the group lacks the figures.
    """
    return funnel_for(loaded.framework, series)


def series_inequality(loaded: Loaded, series: Series) -> str:
    """The slope index of inequality of the home area's latest deprivation breakdown of ``series``,
    in the report's own words ("" when it has none)."""
    if not series.breakdowns:
        return ""
    return inequality_text(series, loaded.framework.home_area.code, series_decimals(series))  # as the report


def series_chart(loaded: Loaded, series: Series, *, narrow: bool = False) -> Any:
    """The report's line chart of a series (``.svg`` with ``<title>`` and ``<desc>``, ``.table``), the
    same chart the HTML report draws: comparators named in a legend, confidence intervals, SPC limits
    and special-cause points, target. ``narrow`` gives the report's phone variant (id ``...-narrow``)."""
    raw = loaded.judged.raw
    sj = raw.by_series_id[series.id]
    return _series_chart(loaded.framework, sj, series, narrow=narrow, suffix="-narrow" if narrow else "")


def series_charts_html(loaded: Loaded, series: Series) -> str:
    """The series' wide chart and its phone variant, as the HTML report shows them (one at a time, by the
    stylesheet's ``.chart-wide`` / ``.chart-narrow`` rules)."""
    return responsive_charts(series_chart(loaded, series), series_chart(loaded, series, narrow=True))


def series_value(series: Series, value: float | None) -> str:
    """A figure of ``series`` with its unit, as every report prints it ('28.12 per 10,000')."""
    return _series_value(series, value)


def series_short_value(series: Series, value: float | None) -> str:
    """A figure of ``series`` without 'per N', for a table whose heading names the unit ('28.12')."""
    return _series_short_value(series, value)
