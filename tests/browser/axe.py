"""Accessibility checks in a real browser: axe-core run by Playwright in Debian's Chromium.

Browser tests import these helpers directly (``tests/browser/conftest.py`` puts this folder on
``sys.path``)::

    from axe import assert_accessible, format_violations, open_file, run_axe

    def test_report_is_accessible(page, tmp_path):
        open_file(page, tmp_path / "report.html")
        violations = run_axe(page)
        assert not violations, format_violations(violations)

axe-core comes from npm (``package.json``; ``make install`` runs ``npm ci``) and is injected into
the page by Playwright's ``evaluate``, which the page's Content-Security-Policy does not block, so
pages are checked under their real CSP.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

#: Debian's chromium; ``npx playwright install`` cannot download browsers here.
CHROMIUM = Path(os.environ.get("OUTCOMES_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # we run as root in CI
    "--disable-gpu",
    # Chromium phones home at start-up; the network is closed, so stop it trying.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

#: The standard the reports and the tracker are held to: WCAG 2.2 AA (which includes 2.0/2.1 A and AA).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_axe_source: str | None = None


def missing_requirements() -> list[str]:
    """What the browser tests need but cannot find, each with how to get it (empty when all is there)."""
    missing = []
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append('the Python package playwright (pip install -e ".[dev]", or `make install`)')
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        missing.append(f"Chromium at {CHROMIUM} (apt-get install chromium, or `make system-deps`)")
    if not AXE_JS.is_file():
        missing.append(f"axe-core at {AXE_JS.relative_to(ROOT)} (npm ci, or `make install`)")
    return missing


def axe_source() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = AXE_JS.read_text(encoding="utf-8")
    return _axe_source


def open_file(page: Any, path: Path | str) -> Any:
    """Load a local HTML file in ``page`` (a ``file://`` URL) and return Playwright's response."""
    return page.goto(Path(path).resolve().as_uri())


def inject_axe(page: Any) -> None:
    """Put ``window.axe`` into the page and each of its frames (once; again after a navigation)."""
    source = axe_source()
    for frame in page.frames:
        if frame.is_detached():
            continue
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            # A script, not a function: evaluate runs it as-is. The trailing `0` keeps the completion
            # value serialisable.
            frame.evaluate(source + "\n;0")


def run_axe(
    page: Any,
    *,
    context: str | dict[str, Any] | None = None,
    tags: list[str] | None = None,
    rules: dict[str, dict[str, bool]] | None = None,
) -> list[dict[str, Any]]:
    """Run axe-core on the page (or ``context``, a CSS selector or axe context) and return its violations.

    Only the WCAG 2.0/2.1/2.2 A and AA rules run (``tags`` overrides that); ``rules`` switches single
    rules on or off, e.g. ``{"color-contrast": {"enabled": False}}`` (say why in the test).
    Each violation is axe's dict: ``id``, ``impact``, ``help``, ``helpUrl``, ``nodes`` (with ``target``,
    ``html``, ``failureSummary``) and so on.
    """
    inject_axe(page)
    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": tags or WCAG_TAGS}}
    if rules:
        options["rules"] = rules
    result = page.evaluate(
        """async ([context, options]) => {
            const results = await window.axe.run(context === null ? document : context, options);
            return results.violations;
        }""",
        [context, options],
    )
    return list(result)


def format_violations(violations: list[dict[str, Any]], *, max_nodes: int = 3) -> str:
    """A readable account of axe violations for an assertion message (empty string when there are none)."""
    if not violations:
        return ""
    lines = [f"{len(violations)} accessibility violation(s):"]
    for violation in violations:
        nodes = violation.get("nodes") or []
        lines.append(
            f"- {violation.get('id')} [{violation.get('impact') or 'no impact given'}]: "
            f"{violation.get('help')} ({len(nodes)} element(s)) {violation.get('helpUrl', '')}".rstrip()
        )
        for node in nodes[:max_nodes]:
            target = " ".join(str(part) for part in node.get("target") or [])
            lines.append(f"    at {target}")
            summary = (node.get("failureSummary") or "").strip().splitlines()
            if len(summary) > 1:
                lines.append(f"       {summary[1].strip()}")
        if len(nodes) > max_nodes:
            lines.append(f"    ... and {len(nodes) - max_nodes} more")
    return "\n".join(lines)


def assert_accessible(page: Any, **kwargs: Any) -> None:
    """Fail with a readable list unless axe finds no WCAG 2.2 AA violation in the page."""
    violations = run_axe(page, **kwargs)
    assert not violations, format_violations(violations)
