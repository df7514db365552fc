"""The indicator page's chart fits a phone and its text is readable (issue 13 item 2).

Given the tracker running (as ``outcomes serve`` runs it) with the bundled example imported, when an
indicator page is opened on a 390 px wide phone, then the chart shown is the report's phone variant:
it lies inside the viewport, the page does not scroll sideways, and every piece of its text is 12 px
or more as computed and as rendered (the SVG's font size times its scale); on a desktop the wide
chart is shown instead. axe-core finds no WCAG A/AA violation at either width.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, run_axe
from live_site import live_site, site_environment

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "src" / "outcomes" / "data" / "examples" / "dorset-safe-2018"
PHONE = {"width": 390, "height": 844}
INDICATOR = "/outcomes/safe/indicators/child-protection/"

# for the chart on show: its box, the viewBox width, and each text's computed font size
MEASURE = """() => {
  const shown = [...document.querySelectorAll('.figure--chart svg')].filter(s => s.getBoundingClientRect().width > 0);
  return shown.map(svg => {
    const box = svg.getBoundingClientRect();
    const scale = box.width / svg.viewBox.baseVal.width;
    return {id: svg.id, left: box.left, right: box.right, scale,
            sizes: [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize))};
  });
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("phone-chart-site")
    env = site_environment(data)
    with live_site(data, env) as url:
        subprocess.run([sys.executable, "-m", "outcomes_web.manage", "import_dataset", str(EXAMPLE)], env=env,
                       check=True, capture_output=True, cwd=ROOT, timeout=120)
        yield url


def test_the_charts_fit_a_phone_with_readable_text(page: Any, site: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(site + INDICATOR)
    charts = page.evaluate(MEASURE)
    assert "chart-child-protection-narrow" in [c["id"] for c in charts]
    for chart in charts:  # the indicator's and its measures': each the phone variant, alone
        assert chart["id"].endswith("-narrow"), chart["id"]
        assert chart["left"] >= 0 and chart["right"] <= PHONE["width"], chart
        assert chart["sizes"] and min(chart["sizes"]) >= 12, (chart["id"], chart["sizes"])  # computed
        assert min(chart["sizes"]) * chart["scale"] >= 12, (chart["id"], chart["scale"])  # rendered
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
    violations = run_axe(page)
    assert not violations, "(phone) " + format_violations(violations)


def test_a_desktop_shows_the_wide_charts(page: Any, site: str) -> None:
    page.goto(site + INDICATOR)
    charts = page.evaluate(MEASURE)
    assert "chart-child-protection" in [c["id"] for c in charts]
    assert not any(c["id"].endswith("-narrow") for c in charts)
    violations = run_axe(page)
    assert not violations, format_violations(violations)


# the HTML report: the same mechanism, so the same phone charts (every series' chart, cards included)
REPORT_MEASURE = """() => [...document.querySelectorAll('figure.chart-figure svg.chart')]
  .filter(s => s.getBoundingClientRect().width > 0 && !s.classList.contains('chart-bar')
               && !s.classList.contains('chart-funnel'))
  .map(svg => {
    const box = svg.getBoundingClientRect();
    return {id: svg.id, right: box.right, scale: box.width / svg.viewBox.baseVal.width,
            smallest: Math.min(...[...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize)))};
  })"""


def test_the_html_report_shows_the_same_phone_charts(page: Any, tmp_path: Path) -> None:
    from outcomes.report import render_html  # tests may use the library directly
    from outcomes.sources import load_dataset

    path = tmp_path / "report.html"
    path.write_text(render_html(load_dataset(EXAMPLE)), encoding="utf-8")
    page.set_viewport_size(PHONE)
    page.goto(path.resolve().as_uri())
    charts = page.evaluate(REPORT_MEASURE)
    assert len(charts) > 10
    for chart in charts:  # each series' chart on show is its phone variant, inside the screen, text >= 12 px
        assert chart["id"].endswith("-narrow"), chart["id"]
        assert chart["right"] <= PHONE["width"], chart
        assert chart["smallest"] * chart["scale"] >= 12, chart
