"""The `outcomes` command, driven through click's runner."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from outcomes_launcher import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_check_json_counts_and_findings(run, example_path):
    result = run("check", str(example_path), "--json")
    assert result.exit_code == 1, result.output  # the seed has error-level slips
    data = json.loads(result.stdout)
    assert data["counts"] == {"outcomes": 1, "population_indicators": 9, "series": 29,
                              "performance_measures": 16, "risks": 17}
    codes = {(f["code"], f["subject_id"]) for f in data["findings"]}
    assert ("headline-disagrees-with-series", "child-protection") in codes
    assert ("stated-count-mismatch", "safe") in codes
    for f in data["findings"]:
        assert set(f) >= {"code", "severity", "subject", "message", "values"}
        assert f["severity"] in ("error", "warning", "info")


def test_check_on_a_broken_dataset_exits_2_without_traceback(run, example_copy):
    obs = example_copy / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("Q4 2017-18,4776", "Q9 2017-18,4776"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(example_copy)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "observations.csv" in result.output and "Q9 2017-18" in result.output


def test_check_on_a_missing_path(run, tmp_path):
    result = CliRunner().invoke(main, ["check", str(tmp_path / "nowhere")])
    assert result.exit_code == 2 and "does not exist" in result.output


def test_report_refuses_an_unknown_extension(example_path, tmp_path):
    result = CliRunner().invoke(main, ["report", str(example_path), "--out", str(tmp_path / "r.txt")])
    assert result.exit_code == 2 and ".html, .pdf or .docx" in result.output


def test_every_command_has_help(run):
    for name, cmd in main.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0 and (cmd.help or "").split("\n")[0][:20] in result.output


def test_cli_reference_is_up_to_date():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from gen_cli_docs import DOC, render
    finally:
        sys.path.pop(0)
    assert DOC.read_text(encoding="utf-8") == render(), "run: .venv/bin/python scripts/gen_cli_docs.py"


def test_bad_settings_are_a_user_error(example_copy):
    fw = example_copy / "framework.yaml"
    fw.write_text(fw.read_text(encoding="utf-8").replace("  tolerance: 0.02", "  tolerence: 0.02"), encoding="utf-8")
    result = CliRunner().invoke(main, ["judge", str(example_copy), "--json"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "tolerence" in result.output


def test_judge_json_shape(run, example_path, tmp_path):
    result = run("judge", str(example_path), "--json", "--out", str(tmp_path / "j.csv"))
    data = json.loads(result.stdout)
    record = next(s for s in data["series"] if s["id"] == "children-in-care")
    assert set(record) == {"id", "title", "kind", "unit", "polarity", "previous", "latest", "trend",
                           "comparator", "comparators", "published", "focus"}
    assert record["trend"]["judgement"] == "improving" and record["comparator"]["judgement"] == "worse"
    assert record["comparators"][0]["name"] == "South West" and record["comparators"][0]["kind"] == "benchmark"
    assert record["comparator"]["name"] == "South West" and record["focus"]["reasons"]
    assert "children-in-care" in (tmp_path / "j.csv").read_text(encoding="utf-8")


def test_judge_json_lists_every_comparator_of_the_dfe_example(run):
    """Done-when of issue 15: England, the region and the neighbours for each series, with periods."""
    example = Path(__file__).resolve().parents[2] / "examples" / "children-safeguarding"
    data = json.loads(run("judge", str(example), "--json").stdout)
    for record in data["series"]:
        names = [c["name"] for c in record["comparators"]]
        assert names == ["England", "South West", "Statistical neighbours"], record["id"]
        assert all(c["period"] for c in record["comparators"]), record["id"]
        group = record["comparators"][2]
        assert {"rank", "of", "quartile", "median"} <= set(group), record["id"]
        low, high = group["rank_interval"]  # every DfE figure has counts, so every rank has its interval
        assert 1 <= low <= group["rank"] <= high <= group["of"] and "could be" in group["rank_text"]
