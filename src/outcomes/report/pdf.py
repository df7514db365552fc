"""The report as a tagged PDF/UA-1 document, laid out by WeasyPrint."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["html_to_pdf", "quiet_weasyprint"]

_LOGGERS = ("weasyprint", "weasyprint.progress", "fontTools", "fontTools.subset", "fontTools.ttLib")


@contextmanager
def quiet_weasyprint() -> Iterator[None]:
    """Silence WeasyPrint's warnings (one per unknown SVG style property) while rendering only."""
    loggers = [logging.getLogger(name) for name in _LOGGERS]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


def html_to_pdf(html: str, *, base_url: str | None = None, timings: dict[str, float] | None = None) -> bytes:
    """Lay out ``html`` and write a tagged PDF that declares PDF/UA-1.

    ``timings``, when given, receives the seconds spent on ``layout`` and on ``write``.
    """
    from weasyprint import DEFAULT_OPTIONS, HTML

    options = {**DEFAULT_OPTIONS, "pdf_variant": "pdf/ua-1"}
    with quiet_weasyprint():
        start = time.perf_counter()
        document = HTML(string=html, base_url=base_url).render(**options)
        laid_out = time.perf_counter()
        pdf = document.write_pdf(**options)
        written = time.perf_counter()
    if timings is not None:
        timings["layout"] = laid_out - start
        timings["write"] = written - laid_out
    assert pdf is not None
    return bytes(pdf)
