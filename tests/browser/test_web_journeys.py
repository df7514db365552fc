"""The web tracker in a real browser: a reader's journey, axe-core on every page type, screenshots.

The site runs as ``outcomes serve`` would run it (``python -m outcomes_web.manage serve``) in a
subprocess on a free loopback port, with its own SQLite database in a temporary folder: the first
start migrates and imports the bundled example; the second outcome is imported while it runs.
With ``OUTCOMES_SCREENSHOTS=1``, screenshots of each page type (desktop and phone) go to
``out/screenshots/`` for people to look at (live_site.save_screenshot).
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, run_axe
from live_site import live_site, save_screenshot, site_environment, wait_for_report

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "tests" / "web" / "data" / "prosperous-2018"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("web-site")
    env = site_environment(data)
    with live_site(data, env) as url:
        subprocess.run([sys.executable, "-m", "outcomes_web.manage", "import_dataset", str(SECOND)], env=env,
                       check=True, capture_output=True, cwd=ROOT, timeout=120)
        yield url


def check(page: Any, name: str) -> None:
    """axe-core finds no WCAG 2.x A/AA violation; screenshots at desktop and phone width (when asked for)."""
    violations = run_axe(page)
    assert not violations, f"{name}: {page.url}\n" + format_violations(violations)
    save_screenshot(page, f"web-{name}-desktop.png")
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a {PHONE['width']}px phone"
    violations = run_axe(page)  # reflowed layout (WCAG 1.4.10) checked too
    assert not violations, f"{name} (phone): {page.url}\n" + format_violations(violations)
    save_screenshot(page, f"web-{name}-phone.png")
    page.set_viewport_size(size)


def test_home_to_outcome_to_indicator_to_download(page, site):
    page.goto(site + "/")
    assert page.title() == "Outcomes – Outcomes Tracker"
    check(page, "home")

    page.get_by_role("link", name="Safe", exact=True).click()
    page.wait_for_url("**/outcomes/safe/")
    assert page.get_by_role("heading", level=1).inner_text() == "Safe"
    check(page, "outcome")

    # filter with the GET form (one click away, below "Filter the scorecard"), sort by a column heading
    page.locator("summary", has_text="Filter the scorecard").click()
    page.get_by_label("Trend").select_option("worsening")
    page.get_by_role("button", name="Apply filters").click()
    assert "trend=worsening" in page.url
    page.get_by_role("link", name="Focus").click()
    assert page.locator("th[aria-sort='ascending']").inner_text().startswith("Focus")
    check(page, "outcome-filtered")
    page.get_by_role("link", name="Clear filters").click()

    page.get_by_role("link", name="Rate of children subject to a child protection plan").first.click()
    page.wait_for_url("**/outcomes/safe/indicators/child-protection/**")
    assert "child protection plan" in page.get_by_role("heading", level=1).inner_text()
    chart = page.locator("svg[role=img]").first
    assert chart.locator("title").count() >= 1
    check(page, "indicator")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Observations (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "safe-child-protection-q4-2017-18-observations.csv"
    content = Path(download.path()).read_text(encoding="utf-8")
    assert content.startswith("indicator,measure,series,series_title,area")
    assert "child-protection,,child-protection,Rate of children subject to a child protection plan,E10000009" in content

    response = page.request.get(site + "/outcomes/safe/indicators/child-protection/indicator.json")
    assert response.ok and response.json()["indicator"] == "child-protection"


def test_report_downloads(page, site):
    first = page.request.get(site + "/outcomes/safe/report.pdf")  # queued for the worker: said at once
    assert first.status == 202 and "being prepared" in first.text()
    response = wait_for_report(page.request, site + "/outcomes/safe/report.pdf")  # built once, then cached
    assert response.status == 200 and response.body().startswith(b"%PDF")
    assert response.headers["x-report-cache"] in ("hit", "miss")
    again = page.request.get(site + "/outcomes/safe/report.pdf")
    assert again.headers["x-report-cache"] == "hit"


def test_report_page_is_accessible(page, site):
    """The report's HTML (built by outcomes.report, served by the tracker) passes axe too."""
    assert wait_for_report(page.request, site + "/outcomes/safe/report.html").status == 200
    page.goto(site + "/outcomes/safe/report.html")
    assert page.locator("h1").count() >= 1
    check(page, "report")


def test_the_report_waiting_page_is_accessible_and_looks_again_by_itself(page, site):
    """The "being prepared" page passes axe at both widths (no timed meta refresh: WCAG 2.2.1), and its
    script file (allowed by the policy) looks again after the stated delay. The page's clock is held so
    axe runs on this page, then moved on."""
    page.clock.install()
    response = page.goto(site + "/outcomes/prosperous/report.pdf")  # never asked for before: queued
    assert response is not None and response.status == 202
    assert page.locator("[data-refresh-url]").count() == 1
    check(page, "report-waiting")
    page.clock.run_for(6_000)
    page.wait_for_url("**/outcomes/prosperous/report.pdf?wait=1*")


def test_the_content_security_policy_blocks_nothing_the_pages_need(page, site):
    """Every page type and the report load under the site's policy with no violation reported, and the
    report's own stylesheet (allowed by its hash) applies."""
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    for path in ("/", "/outcomes/safe/", "/outcomes/safe/indicators/child-protection/", "/risks/", "/search/?q=a",
                 "/api/", "/accounts/login/", "/outcomes/nowhere/", "/outcomes/safe/report.html"):
        response = page.goto(site + path)
        assert response is not None and "default-src 'none'" in response.headers["content-security-policy"], path
    assert not refused, refused
    # on the report (the last page): its <style> block applied, so the skip link is moved off screen
    assert page.evaluate("() => getComputedStyle(document.querySelector('.skip-link')).position") != "static"


@pytest.mark.parametrize(("name", "path"), [
    ("indicator-several-series", "/outcomes/safe/indicators/persistent-absence/"),
    ("indicator-benchmarks", "/outcomes/prosperous/indicators/employment-rate/"),
    ("indicator-rolling", "/outcomes/safe/indicators/killed-seriously-injured/"),
    ("risks", "/risks/"),
    ("risks-filtered", "/risks/?score=HIGH&linked=no"),
    ("search", "/search/?q=domestic+abuse"),
    ("search-empty", "/search/?q=qwertyuiop"),
    ("api", "/api/"),
    ("not-found", "/outcomes/nowhere/"),
    ("bad-period", "/?period=Q9"),
    ("home-earlier-period", "/?period=Q4+2017-18"),
])
def test_every_page_type_is_accessible(page, site, name, path):
    page.goto(site + path)
    check(page, name)


def test_keyboard_user_sees_the_skip_link_and_focus(page, site):
    page.goto(site + "/outcomes/safe/")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.textContent")
    assert focused == "Skip to main content"
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["x"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).backgroundColor")
    assert outline in ("rgb(255, 221, 0)",) or page.evaluate(
        "() => getComputedStyle(document.activeElement).outlineStyle") != "none"
