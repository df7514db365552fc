"""The browser harness itself: Chromium starts, axe-core really runs, and it finds what it should."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe import format_violations, open_file, run_axe

pytestmark = pytest.mark.browser

ACCESSIBLE = """<!doctype html>
<html lang="en-GB">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Harness check: an accessible page</title>
</head>
<body>
  <header><p>Outcomes Tracker</p></header>
  <main>
    <h1>Children are safe</h1>
    <p>Fewer children became the subject of a plan for a second time.</p>
    <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A chart of repeat plans falling from 2015 to 2018">
    <table>
      <caption>Repeat child protection plans</caption>
      <thead><tr><th scope="col">Year</th><th scope="col">Per cent</th></tr></thead>
      <tbody><tr><td>2017</td><td>19.0</td></tr><tr><td>2018</td><td>16.5</td></tr></tbody>
    </table>
    <form>
      <label for="area">Area</label>
      <input id="area" name="area" type="text">
      <button type="submit">Show</button>
    </form>
  </main>
</body>
</html>
"""

# The same page, but the chart has no text alternative.
INACCESSIBLE = ACCESSIBLE.replace(' alt="A chart of repeat plans falling from 2015 to 2018"', "")


def write(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_accessible_page_has_no_violations(page, tmp_path):
    response = open_file(page, write(tmp_path, "ok.html", ACCESSIBLE))
    assert response is None or response.ok
    assert page.title() == "Harness check: an accessible page"
    violations = run_axe(page)
    assert violations == [], format_violations(violations)


def test_missing_alt_text_is_found(page, tmp_path):
    open_file(page, write(tmp_path, "bad.html", INACCESSIBLE))
    violations = run_axe(page)
    assert [v["id"] for v in violations] == ["image-alt"], format_violations(violations)
    message = format_violations(violations)
    assert "image-alt [critical]" in message
    assert "at img" in message


def test_axe_runs_under_a_strict_content_security_policy(page, tmp_path):
    """Pages are checked under their own CSP: injecting axe must not need 'unsafe-inline'."""
    strict = INACCESSIBLE.replace(
        '<meta charset="utf-8">',
        '<meta charset="utf-8">\n  <meta http-equiv="Content-Security-Policy" content="default-src \'self\'; script-src \'none\'">',
    )
    open_file(page, write(tmp_path, "csp.html", strict))
    assert [v["id"] for v in run_axe(page)] == ["image-alt"]


def test_format_violations_is_readable():
    violations = [
        {
            "id": "color-contrast",
            "impact": "serious",
            "help": "Elements must meet minimum color contrast ratio thresholds",
            "helpUrl": "https://dequeuniversity.com/rules/axe/4.14/color-contrast",
            "nodes": [{"target": [f"#n{i}"], "failureSummary": "Fix any of the following:\n  low contrast"} for i in range(5)],
        }
    ]
    text = format_violations(violations)
    assert text.splitlines()[0] == "1 accessibility violation(s):"
    assert "- color-contrast [serious]: Elements must meet minimum color contrast ratio thresholds (5 element(s))" in text
    assert "at #n0" in text and "at #n2" in text and "at #n3" not in text
    assert "... and 2 more" in text
    assert format_violations([]) == ""
