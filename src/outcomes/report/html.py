"""The report as one self-contained HTML file (CSS and SVG inline, no script) or as HTML for the PDF engine."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from .view import ReportView

__all__ = ["css_for", "render_view"]

TARGETS = ("html", "pdf")


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("outcomes.report", "templates"),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _read(name: str) -> str:
    return resources.files("outcomes.report").joinpath("templates", name).read_text(encoding="utf-8")


@lru_cache(maxsize=2)
def css_for(target: str) -> str:
    """The stylesheet for ``target``: the shared styles plus print rules (HTML) or page rules (PDF)."""
    extra = "print.css" if target == "html" else "pdf.css"
    return _read("report.css") + "\n" + _read(extra)


def render_view(view: ReportView, *, target: str = "html", back_url: str | None = None) -> str:
    """Fill the report template with a prepared :class:`~outcomes.report.view.ReportView`.

    ``back_url`` (HTML only): the address of the tracker page the report belongs to, linked at its top."""
    if target not in TARGETS:
        raise ValueError(f"target must be one of {', '.join(TARGETS)}, not {target!r}")
    template = _environment().get_template("report.html.j2")
    return template.render(v=view, target=target, css=css_for(target),
                           back_url=back_url if target == "html" else None)
