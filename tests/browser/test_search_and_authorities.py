"""Search and several authorities in a real browser, at 1366 and 390 px, with axe-core.

The site runs as ``outcomes serve`` runs it (see live_site.py), with the bundled example; two LAIT
datasets (Dorset and Devon, from tests/unit/sources/data) are imported while it runs. A member of the
public types each example search into the search box; the home page lists both authorities' outcomes;
an indicator page compares the two. No page scrolls sideways at 390 px and axe-core finds nothing.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, run_axe
from live_site import live_site, save_screenshot, site_environment

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})

IMPORT_LAIT = textwrap.dedent("""
    import django
    django.setup()
    from pathlib import Path
    from outcomes.sources.build import build_framework
    from outcomes.sources.lait import convert_lait, read_dictionary
    from outcomes.sources.problems import Problems
    from outcomes_web import adapter
    data = Path("tests/unit/sources/data")
    for area in ("838", "Devon"):
        problems = Problems()
        raw, _ = convert_lait(data / "lait_sample.csv", area, problems,
                              dictionary=read_dictionary(data / "lait_dictionary.csv", problems))
        adapter.store_framework(build_framework(raw, problems))
""")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("web-search")
    env = site_environment(data)
    with live_site(data, env) as url:
        subprocess.run([sys.executable, "-c", IMPORT_LAIT], env={**env, "DJANGO_SETTINGS_MODULE":
                                                                 "outcomes_web.settings"},
                       check=True, capture_output=True, cwd=ROOT, timeout=180)
        yield url


def check_both_widths(page: Any, name: str) -> None:
    """At each width: no sideways scrolling of the page, axe-core finds no violation, a screenshot (when asked for)."""
    for size in WIDTHS:
        page.set_viewport_size(size)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= size["width"], f"{name}: the page is {width}px wide at {size['width']}px"
        violations = run_axe(page)
        assert not violations, f"{name} at {size['width']}px: {page.url}\n" + format_violations(violations)
        save_screenshot(page, f"web-{name}-{size['width']}.png")


@pytest.mark.parametrize(("q", "first"), [
    ("children protection", "Rate of children subject to a child protection plan"),
    ("domestic violence", "Domestic abuse"),
    ("Claire Shiels", ""),  # one of her three pages
    ("KSI", "killed or seriously injured"),
])
def test_a_search_typed_in_finds_the_page_first(page, site, q, first):
    page.goto(site + "/search/")
    page.get_by_label("Search outcomes, indicators, measures, narrative, officers and risks").fill(q)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=*")
    links = page.locator(".results__link")
    assert links.count() >= 1, q
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) == len(set(hrefs)), f"{q}: a page twice"
    assert first.lower() in links.first.inner_text().lower(), links.first.inner_text()
    assert page.locator(".results mark").count() >= 1  # the passage is highlighted
    if q == "Claire Shiels":
        assert links.count() == 3
    check_both_widths(page, "search-" + q.lower().replace(" ", "-"))


def test_home_lists_both_authorities_and_an_indicator_compares_them(page, site):
    page.goto(site + "/")
    for org in ("Dorset", "Devon"):
        assert page.get_by_role("heading", level=2, name=org, exact=True).count() == 1
    assert page.get_by_role("link", name="Safe", exact=True).count() == 1
    check_both_widths(page, "home-several-authorities")

    page.goto(site + "/outcomes/devon-lait/indicators/lait-cla-rate/")
    section = page.locator("#authorities")
    assert section.get_by_role("heading", name="Compared with other authorities").count() == 1
    rows = section.locator("tbody tr")
    assert rows.count() == 2
    assert "Dorset" in rows.nth(0).inner_text() and "Devon" in rows.nth(1).inner_text()  # 66, then 49
    check_both_widths(page, "indicator-compared")
