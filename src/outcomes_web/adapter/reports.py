"""The reports (HTML and PDF) of one outcome and period, cached on disk; the report's charts."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from django.conf import settings

from outcomes.model import (
    Observation,
    Period,
    PeriodKind,
    Series,
)
from outcomes_web.adapter.errors import ReportUnavailable
from outcomes_web.adapter.library import library_version
from outcomes_web.adapter.loading import Loaded

# ========================================================================================== reports
REPORT_FORMATS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def report_cache_path(loaded: Loaded, fmt: str) -> Path:
    snap = loaded.snapshot
    slug = "".join(ch if ch.isalnum() else "-" for ch in f"{snap.outcome_key}-{loaded.period}").strip("-")
    name = f"{slug}-r{snap.revision}-{snap.content_hash[:16]}-v{library_version()}.{fmt}"
    return Path(settings.REPORT_CACHE_DIR) / name


def render_report(loaded: Loaded, fmt: str) -> tuple[bytes, bool]:
    """The report of one outcome and period as ``fmt`` (html or pdf): (content, came from the cache).

    Built by ``outcomes.report`` and kept on disk under ``OUTCOMES_DATA_DIR/cache/reports``, named by
    the snapshot's content hash and revision and the library version, so it is rebuilt when the data
    (or the renderer) changes.
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


# =========================================================================================== charts
def _month_x(period: Period) -> float:
    end = period.end
    return end.year * 12 + end.month - 1 + end.day / 31


def series_funnel(loaded: Loaded, series: Series) -> Any | None:
    """The report's funnel plot of a series' latest period across its comparator group, or ``None``.

    A chart object with ``.svg`` (``<title>`` and ``<desc>`` inside) and ``.table`` (the figures:
    each area, its denominator, value, limits and where it lies), drawn by the report's one chart
    renderer; ``None`` when the group lacks the figures or the report module is not installed.
    """
    try:
        from outcomes.report.view import funnel_for
    except ImportError:
        return None
    return funnel_for(loaded.framework, series)


def series_chart(loaded: Loaded, series: Series) -> str | None:
    """The report's line chart of a series (SVG with ``<title>`` and ``<desc>``), as the report draws it:
    comparators dashed and named, confidence intervals, SPC limits and special-cause points, target.

    ``None`` when the report's chart module is not installed (the page then draws its own).
    """
    try:
        from outcomes.report.charts import ChartPoint, LineChartInput, Reference, SpcLimits, line_chart
    except ImportError:
        return None
    import math

    raw = loaded.judged.raw
    sj = raw.by_series_id.get(series.id) if raw is not None else None
    intervals = {ip.period: ip for ip in (sj.intervals if sj is not None else [])}
    special: dict[Period, str] = {}
    spc = None
    if sj is not None and sj.spc is not None:
        x = sj.spc
        if all(math.isfinite(v) for v in (x.mean, x.lower_limit, x.upper_limit)):
            spc = SpcLimits(float(x.mean), float(x.lower_limit), float(x.upper_limit), bool(x.trial_limits))
        for p, t in zip(sj.spc_periods, x.point_types, strict=False):
            if t.startswith("special_cause_improving"):
                special[p] = "improvement"
            elif t.startswith("special_cause_concerning"):
                special[p] = "concern"
            elif t.startswith("special_cause_neutral"):
                special[p] = "neutral"
    points = []
    previous: Observation | None = None
    for o in series.observations:
        ip = intervals.get(o.period)
        joined = previous is None or previous.period.steps_between(o.period) == 1 or (
            o.period.kind is PeriodKind.ROLLING and previous.period.end.year + 1 == o.period.end.year
            and previous.period.end.month == o.period.end.month)
        points.append(ChartPoint(
            label=o.period.label("short"), long_label=str(o.period), x=_month_x(o.period), value=o.value,
            lower=getattr(ip, "lower95", None) if ip is not None else o.lower95,
            upper=getattr(ip, "upper95", None) if ip is not None else o.upper95,
            provisional=o.is_provisional, special=special.get(o.period, ""), joined=joined,
        ))
        previous = o
    fw = loaded.framework
    references = []
    for c in series.comparators:
        rows = [o for o in series.benchmark_observations.get(c.area, []) if o.value is not None]
        name = c.name or fw.area_name(c.area)
        if rows:
            references.append(Reference(name, points=tuple(
                (_month_x(o.period), float(o.value), str(o.period)) for o in rows if o.value is not None)))
        elif c.value is not None and c.home_value is None:
            references.append(Reference(name, value=c.value, period_label=str(c.period) if c.period else ""))
    if series.target is not None:
        references.append(Reference("Target", value=series.target.value, kind="target",
                                    period_label=str(series.target.period) if series.target.period else ""))
    home = fw.home_area.name or fw.home_area.code
    slug = "".join(ch if ch.isalnum() else "-" for ch in series.id)
    chart = line_chart(LineChartInput(
        id=f"chart-{slug}",
        title=f"{series.title}: {home}" + (f" and {', '.join(r.name for r in references)}" if references else ""),
        unit=series.unit, points=tuple(points), home_name=home, references=tuple(references), spc=spc,
        breaks=tuple(_month_x(b) - 0.5 for b in series.breaks),
    ))
    return chart.svg
