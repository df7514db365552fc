"""Every bundled example runs through `outcomes check`, `judge` and `report` without a traceback.

Given each folder in examples/, when checked, judged and reported through click's runner, then
check does not call it unusable (exit 2), judge prints one JSON record per series, and the HTML
report is written.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from outcomes_launcher import main

EXAMPLES = sorted(
    p for p in (Path(__file__).resolve().parents[2] / "examples").iterdir() if (p / "framework.yaml").exists()
)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_every_example_checks_judges_and_reports(example: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    check = runner.invoke(main, ["check", str(example)], catch_exceptions=False)
    assert check.exit_code in (0, 1), check.output
    judged = runner.invoke(main, ["judge", str(example), "--json"], catch_exceptions=False)
    assert judged.exit_code == 0, judged.output
    records = json.loads(judged.stdout)
    assert records["series"] and all(s["trend"]["judgement"] for s in records["series"])
    out = tmp_path / f"{example.name}.html"
    report = runner.invoke(main, ["report", str(example), "--out", str(out)], catch_exceptions=False)
    assert report.exit_code == 0, report.output
    assert "<html" in out.read_text(encoding="utf-8")


def test_the_public_health_example_is_among_them() -> None:
    assert "healthy-phe-methods" in [p.name for p in EXAMPLES]
