"""The tracker's indicator page with a funnel plot passes axe-core, on a desktop and a phone.

Given the tracker running (as ``outcomes serve`` runs it) with examples/children-safeguarding
imported, when the page of an indicator whose statistical-neighbour group has counts and
populations is opened, then it shows the funnel plot and its table, axe finds no WCAG A/AA
violation, and the page does not get wider than a 375px phone.
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
EXAMPLE = ROOT / "examples" / "children-safeguarding"
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("funnel-site")
    env = site_environment(data)
    with live_site(data, env) as url:
        subprocess.run([sys.executable, "-m", "outcomes_web.manage", "import_dataset", str(EXAMPLE)], env=env,
                       check=True, capture_output=True, cwd=ROOT, timeout=120)
        yield url


def test_the_funnel_page_is_accessible_on_desktop_and_phone(page: Any, site: str) -> None:
    page.goto(site + "/outcomes/dorset-children-safeguarding/indicators/children-looked-after/")
    assert page.locator("svg.chart-funnel").count() == 1
    assert page.locator("#funnel-table-children-looked-after").count() == 1
    violations = run_axe(page)
    assert not violations, format_violations(violations)
    page.set_viewport_size(PHONE)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px phone"
    violations = run_axe(page)
    assert not violations, "(phone) " + format_violations(violations)
