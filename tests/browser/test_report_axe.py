"""The example's HTML report has no WCAG 2.2 AA violations (axe-core in headless Chromium), at desktop and
phone widths, and its skip link and landmarks work from the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, open_file, run_axe


@pytest.fixture(scope="module")
def report_file(tmp_path_factory: pytest.TempPathFactory, example: Any) -> Path:
    from outcomes.report import render_html

    path = tmp_path_factory.mktemp("report") / "dorset-safe-2018.html"
    path.write_text(render_html(example), encoding="utf-8")
    return path


def test_report_has_no_axe_violations(page: Any, report_file: Path) -> None:
    open_file(page, report_file)
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_report_has_no_axe_violations_on_a_phone(page: Any, report_file: Path) -> None:
    page.set_viewport_size({"width": 375, "height": 812})
    open_file(page, report_file)
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    # Nothing scrolls sideways on a phone.
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1


def test_report_with_figure_tables_open_has_no_axe_violations(page: Any, report_file: Path) -> None:
    open_file(page, report_file)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_skip_link_is_first_and_moves_focus_to_main(page: Any, report_file: Path) -> None:
    open_file(page, report_file)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => [document.activeElement.textContent, document.activeElement.getAttribute('href')]")
    assert focused == ["Skip to main content", "#main"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_landmarks_and_language(page: Any, report_file: Path) -> None:
    open_file(page, report_file)
    assert page.evaluate("() => document.documentElement.lang") == "en-GB"
    for selector in ("header", "nav", "main", "footer"):
        assert page.locator(selector).count() == 1, selector
    assert page.locator("h1").count() == 1
    assert page.locator("script").count() == 0


def test_the_dfe_example_report_has_no_axe_violations(page: Any, tmp_path: Path) -> None:
    """The second example, built from published DfE data, passes the same accessibility test."""
    from outcomes.report import render_html
    from outcomes.sources import load_dataset

    folder = Path(__file__).resolve().parents[2] / "examples" / "children-safeguarding"
    path = tmp_path / "children-safeguarding.html"
    path.write_text(render_html(load_dataset(folder)), encoding="utf-8")
    open_file(page, path)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = run_axe(page)
    assert not violations, format_violations(violations)


def test_the_public_health_example_report_has_no_axe_violations(page: Any, tmp_path: Path) -> None:
    """The worked example of computed figures (life expectancy, SMR, SII by decile) passes too."""
    from outcomes.report import render_html
    from outcomes.sources import load_dataset

    folder = Path(__file__).resolve().parents[2] / "examples" / "healthy-phe-methods"
    path = tmp_path / "healthy-phe-methods.html"
    path.write_text(render_html(load_dataset(folder)), encoding="utf-8")
    open_file(page, path)
    page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    violations = run_axe(page)
    assert not violations, format_violations(violations)
