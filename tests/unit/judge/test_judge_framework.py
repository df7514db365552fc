"""judge_framework: output shapes, settings, documentation, layering, and a synthetic smoke run."""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import pytest

from outcomes.judge import (
    DEFAULT_FOCUS_WEIGHTS,
    DEFAULT_RAG,
    METHODS,
    SETTING_HELP,
    JudgementSettings,
    SettingsError,
    judge_framework,
)
from outcomes.model import (
    Area,
    Comparator,
    Framework,
    Observation,
    Outcome,
    PerformanceMeasure,
    Period,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    PublishedJudgement,
    Risk,
    Series,
    Unit,
)

ROOT = Path(__file__).resolve().parents[3]


def _section(path: Path, heading: str) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.find(heading)
    assert start >= 0, f"{path.name} has no '{heading}' section"
    following = text.find("\n## ", start + len(heading))
    return text[start : following if following > 0 else len(text)]


def small_framework(settings=None):
    cp = Series(
        "cp",
        "Child protection",
        Unit("rate", per=10_000),
        Polarity.LOWER_IS_BETTER,
        PeriodKind.FINANCIAL_YEAR,
        observations=[
            Observation("cp", "H", Period.parse(p), v) for p, v in [("2016-17", 58.5), ("2017-18", 32.8)]
        ],
        comparators=[Comparator("England", "E92000001", value=43.1)],
        published=PublishedJudgement(trend="improving", comparator="worse"),
    )
    cin = Series(
        "cin",
        "Children in need",
        Unit("rate", per=10_000),
        None,
        PeriodKind.QUARTER,
        kind="performance_measure",
        parent_id="m-cin",
        observations=[
            Observation("cin", "H", Period.parse(p), v) for p, v in [("Q3 17-18", 186.3), ("Q4 17-18", 196.4)]
        ],
    )
    ind = PopulationIndicator(
        "cp",
        "01",
        "Child protection",
        "safe",
        series=[cp],
        measures=[PerformanceMeasure("m-cin", "Children in need", "cp", series=[cin])],
    )
    risks = [
        Risk("14b", "Staff", "HIGH", "unchanged", indicators=("cp",)),
        Risk("04a", "Premises", "HIGH", "improving"),
    ]
    return Framework(
        "Dorset County Council",
        Area("H", "Dorset"),
        Period.parse("Q4 2017-18"),
        outcomes=[Outcome("safe", "Safe", indicators=[ind])],
        risks=risks,
        settings=settings or {},
    )


# ------------------------------------------------------------------------------------------- JSON


def test_json_shape_is_exactly_the_issue_spec():
    data = judge_framework(small_framework()).to_json_dict()
    assert set(data) == {"series", "risks"}
    record = data["series"][0]
    assert set(record) == {
        "id",
        "title",
        "kind",
        "unit",
        "polarity",
        "previous",
        "latest",
        "trend",
        "comparator",
        "comparators",
        "published",
        "focus",
    }
    assert set(record["previous"]) == set(record["latest"]) == {"period", "value"}
    assert set(record["trend"]) == {"judgement", "rag", "method", "reason", "current_run"}
    assert set(record["comparator"]) == {"name", "period", "value", "judgement", "rag", "method", "reason"}
    every = {"name", "kind", "area", "period", "value", "home_value", "judgement", "rag", "method", "method_label",
             "reason"}
    assert record["comparators"] and all(set(c) >= every for c in record["comparators"])
    assert record["comparators"][0]["name"] == record["comparator"]["name"]
    assert set(record["published"]) == {"trend", "comparator"}
    assert set(record["focus"]) == {"rank", "reasons"}
    assert set(data["risks"][0]) == {"id", "title", "score", "trend", "indicators", "focus"}
    json.dumps(data)  # plain data only


def test_json_values():
    data = judge_framework(small_framework()).to_json_dict()
    cp, cin = data["series"]
    assert cp["kind"] == "population_indicator" and cin["kind"] == "performance_measure"
    assert cp["unit"] == "per 10,000" and cp["polarity"] == "lower-is-better" and cin["polarity"] is None
    assert cp["previous"] == {"period": "2016-17", "value": 58.5}
    assert cp["latest"] == {"period": "2017-18", "value": 32.8}
    assert cp["trend"]["judgement"] == "improving" and cp["trend"]["rag"] == "G"
    assert cp["trend"]["method"] == "previous-vs-latest" and cp["trend"]["current_run"] == 1
    assert cp["comparator"] == {
        "name": "England",
        "period": None,
        "value": 43.1,
        "judgement": "better",
        "rag": "G",
        "method": "tolerance-vs-benchmark",
        "reason": "Better than England: 32.8 per 10,000 against 43.1, 23.9% lower, "
        "beyond the 2% tolerance band; "
        "no confidence interval was available.",
    }
    assert cp["published"] == {"trend": "improving", "comparator": "worse"}
    assert cp["focus"]["rank"] == 1 and cp["focus"]["reasons"][0].startswith("Linked to corporate risk 14b")
    assert cin["trend"]["judgement"] == "not assessed" and cin["trend"]["rag"] is None
    assert cin["comparator"]["judgement"] == "not compared" and cin["comparator"]["name"] is None
    assert cin["published"] == {"trend": None, "comparator": None}
    assert data["risks"][0] == {
        "id": "14b",
        "title": "Staff",
        "score": "HIGH",
        "trend": "unchanged",
        "indicators": ["cp"],
        "focus": data["risks"][0]["focus"],
    }
    assert data["risks"][0]["focus"]["rank"] is not None


def test_rows_are_flat_one_per_series_and_risk():
    rows = judge_framework(small_framework()).to_rows()
    assert [r["record"] for r in rows] == ["series", "series", "risk", "risk"]
    for row in rows:
        assert all(not isinstance(v, dict | list) for v in row.values())
    assert rows[0]["trend_why"].startswith("Only 2 annual points")
    assert rows[0]["warnings"] == "The England figure 43.1 has no period; it is taken to be for 2017-18."
    assert rows[2]["indicators"] == "cp"


def test_framework_judgement_accessors():
    judged = judge_framework(small_framework())
    sj = judged.by_series_id["cp"]
    assert (sj.id, sj.title, sj.kind, sj.unit.per, sj.polarity) == (
        "cp",
        "Child protection",
        "population_indicator",
        10_000,
        Polarity.LOWER_IS_BETTER,
    )
    assert sj.published.comparator == "worse"
    assert sj.trend.method_label == "Previous vs latest, within ±2% is similar"
    assert [r.risk.id for r in judged.risks] == ["14b", "04a"]
    assert judged.focus_for("risk")[0].id in ("14b", "04a")
    assert judged.settings == JudgementSettings(tolerance=0.02)


# -------------------------------------------------------------------------------------------- settings


def test_settings_come_from_the_framework():
    judged = judge_framework(small_framework({"tolerance": 0.5, "rag": {"improving": "A"}}))
    sj = judged.by_series_id["cp"]
    assert sj.trend.word == "similar" and "within the 50% tolerance band" in sj.trend.reason
    assert judged.settings.rag["improving"] == "A" and judged.settings.rag["worsening"] == "R"


def test_settings_errors_list_every_problem():
    with pytest.raises(SettingsError) as caught:
        JudgementSettings.from_mapping(
            {"tolerence": 0.1, "compare_with": "last", "spc_min_points": 3, "focus_weights": {"wrose": 1}}
        )
    problems = caught.value.problems
    assert len(problems) == 4
    assert "'tolerence' is not a judgement setting (did you mean 'tolerance'?)" in problems
    assert any("compare_with" in p for p in problems) and any("spc_min_points" in p for p in problems)
    assert any("did you mean 'worse'" in p for p in problems)
    with pytest.raises(SettingsError):
        judge_framework(small_framework({"tolerance": 2}))


def test_other_sections_of_settings_are_ignored():
    assert JudgementSettings.from_mapping({"report": {"logo": "x.png"}}) == JudgementSettings()


def test_every_setting_is_documented():
    section = _section(ROOT / "docs" / "settings.md", "## Judgement settings")
    names = [f.name for f in fields(JudgementSettings)]
    assert sorted(names) == sorted(SETTING_HELP)
    missing = [n for n in names if f"`{n}`" not in section]
    missing += [k for k in (*DEFAULT_RAG, *DEFAULT_FOCUS_WEIGHTS) if f"`{k}`" not in section]
    assert missing == []


def test_every_method_is_documented():
    section = _section(ROOT / "docs" / "methods.md", "## Judgements on a framework")
    assert [code for code in METHODS if f"`{code}`" not in section] == []


# -------------------------------------------------------------------------------------------- layering


def test_judge_imports_only_model_and_stats():
    code = (
        "import sys, outcomes.judge; "
        "pattern = r'(outcomes\\.(sources|report|exports|cli)|django)(\\.|$)'; "
        "bad = sorted(m for m in sys.modules if re.match(pattern, m)); "
        "print(bad)"
    )
    out = subprocess.run(
        [sys.executable, "-c", "import re; " + code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_judge_names_no_upper_layer_and_only_entry_reads_sources():
    """The judge layer sits above sources and below report/exports/cli (pyproject's layers contract).
    Only ``entry.py`` reads sources: it checks one entered figure with the import's own rules. The
    forbidden contract in pyproject.toml checks the same with import-linter."""
    readers = []
    for path in sorted((ROOT / "src" / "outcomes" / "judge").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(from|import)\s+(outcomes\.(report|exports|bulk|cli)|django)", text, re.M), path
        if re.search(r"^\s*(from|import)\s+outcomes\.sources", text, re.M):
            readers.append(path.name)
    assert readers == ["entry.py"]


# -------------------------------------------------------------------------------------------- synthetic


def _synthetic():
    path = ROOT / "bench" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("judge_bench_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_synthetic_framework_uses_every_method():
    fw = _synthetic().make_framework(200)
    judged = judge_framework(fw)
    assert len(judged.series) == 200
    assert {sj.trend.method for sj in judged.series} == {
        "spc-xmr",
        "fingertips-trend",
        "previous-vs-latest",
        "none",
    }
    assert {sj.comparator.method for sj in judged.series} == {
        "interval-vs-benchmark",
        "tolerance-vs-benchmark",
        "group-rank",
        "none",
    }
    for sj in judged.series:
        assert sj.trend.reason and sj.trend.why and sj.comparator.reason
        assert (sj.trend.rag is None) == (sj.trend.word == "not assessed")
        assert "nan" not in sj.trend.reason.lower() and "nan" not in sj.comparator.reason.lower()
    spc = next(sj for sj in judged.series if sj.trend.method == "spc-xmr")
    assert spc.spc is not None and len(spc.spc_periods) == 24
    with_limits = next(sj for sj in judged.series if sj.comparator.method == "interval-vs-benchmark")
    assert with_limits.intervals and with_limits.intervals[-1].source == "wilson"
    json.dumps(judged.to_json_dict())
