"""One presentation for every face (issue 13 item 1): the tracker draws and words a series through the
report's view-model, so the chart, the figures and the SPC markers are the same everywhere.

Given the bundled example stored, when the tracker's indicator page and the HTML report show the same
series, then the chart's ``<svg>`` is the same to the byte. Given the example with one monthly series
made long enough for an XmR chart (20 months, the last far above the rest, and figures with one and
two decimals), when the indicator page, the HTML report, the PDF and the Word document show it, then
each prints its figures the same way, and the indicator page marks the special-cause point.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db(databases="__all__")

INDICATOR = "/outcomes/safe/indicators/child-protection/"


def soup(content: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(content, "html.parser")


def words(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def report_dir(settings: Any, tmp_path: Path) -> Path:
    settings.REPORT_CACHE_DIR = tmp_path / "reports"
    return settings.REPORT_CACHE_DIR


def _current(outcome_key: str = "safe") -> Any:
    from outcomes_web.store import models as m

    return (m.Snapshot.objects.current().filter(outcome_key=outcome_key)
            .order_by("-reporting_period__end").first())


def test_the_tracker_and_the_html_report_draw_the_same_chart(client, db_alias, report_dir):
    from outcomes_web import adapter

    page = soup(client.get(INDICATOR).content)
    loaded = adapter.load_outcome(_current())
    report, _ = adapter.render_report(loaded, "html")
    html = soup(report)
    tracker_svg = page.select_one("svg#chart-child-protection")
    report_svg = html.select_one("svg#chart-child-protection")
    assert tracker_svg is not None and report_svg is not None
    assert str(tracker_svg) == str(report_svg)
    # and it is the report's chart, not a copy: comparators named, its title and description inside
    assert tracker_svg.select_one("title") is not None and tracker_svg.select_one("desc") is not None


# ---------------------------------------------------------------------------------- an SPC series
MONTHLY = [50.5, 51.25, 49.5, 50.75, 50.0, 51.5, 49.25, 50.5, 50.0, 49.75,
           51.0, 50.25, 49.5, 50.5, 51.25, 50.0, 49.75, 50.5, 50.25, 90.5]


def _spc_framework() -> Any:
    """The example with 'children-in-care' (monthly, rate per 10,000, lower is better) given 20 months
    to March 2018, the last one far above the process limits: a special cause, of concern."""
    from outcomes.model import Observation, Period  # tests may use the library directly
    from outcomes_web import adapter

    fw = adapter.load_dataset(adapter.EXAMPLE).framework
    s = fw.series_by_id()["children-in-care"]
    last = Period.parse("March 2018")
    periods = [last.shift(i - len(MONTHLY) + 1) for i in range(len(MONTHLY))]
    s.observations = [Observation(s.id, fw.home_area.code, p, v) for p, v in zip(periods, MONTHLY, strict=True)]
    return replace(fw, reporting_period=Period.parse("Q1 2018-19"))


@pytest.fixture
def spc_snapshot(db_alias: str) -> Any:
    from outcomes_web import adapter

    adapter.store_framework(_spc_framework())
    return _current()


def test_the_tracker_marks_spc_special_cause_points(client, spc_snapshot):
    from outcomes_web import adapter

    loaded = adapter.load_outcome(spc_snapshot)
    sj = loaded.judged.raw.by_series_id["children-in-care"]
    assert sj.spc is not None and sj.spc.point_types[-1] == "special_cause_concern"  # the engine's own word
    page = soup(client.get("/outcomes/safe/indicators/children-in-care/", {"period": "Q1 2018-19"}).content)
    chart = page.select_one("svg#chart-children-in-care")
    assert chart is not None
    # the special-cause point is drawn as the report draws it (an orange diamond) and said in the description
    assert chart.select('polygon[fill="#F46A25"]'), "no special-cause marker on the tracker's chart"
    desc = words(chart.select_one("desc").get_text())
    assert "Special-cause points:" in desc and desc.endswith("March 2018 (concern).")
    # and the sentence beside it names the latest point's signal with the engine's point type
    block = words(page.get_text(" "))
    assert "Latest point: special cause: concern." in block


def _pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext (poppler-utils) is needed: make system-deps")
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return words(out.stdout.decode("utf-8"))


def test_every_output_prints_a_series_figures_the_same_way(client, spc_snapshot, report_dir, tmp_path):
    docx = pytest.importorskip("docx")
    from outcomes.report.docx import render_docx  # tests may use the library directly
    from outcomes_web import adapter

    loaded = adapter.load_outcome(spc_snapshot)
    s = loaded.framework.series_by_id()["children-in-care"]
    latest, previous = adapter.series_value(s, 90.5), adapter.series_value(s, 50.25)
    # the series has figures with two decimals, so each is printed with two ('90.50', not '90.5')
    assert (latest, previous) == ("90.50 per 10,000", "50.25 per 10,000")

    tracker = soup(client.get("/outcomes/safe/indicators/children-in-care/", {"period": "Q1 2018-19"}).content)
    page = words(tracker.get_text(" "))
    # the page's own table of figures: every value as the report prints it
    cells = [words(td.get_text(" ")) for td in tracker.select("table td.num")]
    for v in MONTHLY:
        assert adapter.series_value(s, v) in cells, v
    html = words(soup(adapter.render_report(loaded, "html")[0]).get_text(" "))
    pdf = _pdf_text(adapter.render_report(loaded, "pdf")[0])
    path = render_docx(loaded.framework, loaded.judged.raw, tmp_path / "safe.docx", outcome_id="safe",
                       findings=loaded.judged.findings)
    doc = docx.Document(str(path))
    word = words(" ".join([p.text for p in doc.paragraphs]
                          + [c.text for t in doc.tables for row in t.rows for c in row.cells]))
    for name, text in (("tracker", page), ("HTML report", html), ("PDF", pdf), ("Word", word)):
        assert latest in text, f"{name} does not print {latest}"
        assert previous in text, f"{name} does not print {previous}"


def test_the_pages_sanitise_markdown_as_the_reports_do():
    from outcomes.report.text import markdown_html  # tests may use the library directly
    from outcomes_web.tracker.presenters import markdown

    text = "**Bold** <script>alert(1)</script> [a](javascript:alert(1)) and a list:\n\n- one\n- two"
    assert str(markdown(text)) == markdown_html(text)
    parsed = soup(str(markdown(text)))
    assert parsed.select("script") == [] and parsed.select('a[href^="javascript"]') == []
    assert [li.get_text() for li in parsed.select("ul li")] == ["one", "two"]

