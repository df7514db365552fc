"""Fixtures for the browser tests: Debian's Chromium driven by Playwright, with axe-core at hand.

Every test in this folder is marked ``browser`` (``pytest -m "not browser"`` leaves them out).

- ``browser``: one headless Chromium for each test file (module). Not for the whole session: while
  Playwright's sync API is open, its event loop counts as running in the test process's thread, and
  Django then refuses every database call ("SynchronousOnlyOperation") in the tests that follow in the
  same process (under pytest-xdist a worker goes on from a browser test file to tests/web files).
- ``page``: a fresh browser context (1280x900, en-GB) and page for each test.

When Chromium, Playwright or axe-core is missing the tests are skipped with the reason, except
under ``CI=true``, where they fail: CI must not pass by skipping them. The helpers (``run_axe``,
``format_violations``, ``open_file``, ``assert_accessible``) are in ``axe.py`` beside this file.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.append(str(HERE))  # so tests can `from axe import run_axe, ...`

from axe import CHROMIUM, CHROMIUM_ARGS, missing_requirements  # noqa: E402

VIEWPORT = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true and the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium (not a Playwright download: none can be fetched here), for one test file;
    closed after it, so no event loop is left running for the tests after it (see above)."""
    missing = missing_requirements()
    if missing:
        _unavailable("missing " + "; ".join(missing))
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        except Exception as error:  # noqa: BLE001 - any launch failure means "no browser"
            _unavailable(f"Chromium at {CHROMIUM} did not start: {error}")
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A new page in its own context, so no cookies, storage or cache leak between tests."""
    # Playwright's sync API keeps an event loop in this thread, which makes Django's ORM refuse to
    # run ("SynchronousOnlyOperation") in tests that also use the database (live_server and so on).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()
