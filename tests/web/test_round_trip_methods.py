"""The store keeps a series' method, its inputs and its breakdowns (examples/healthy-phe-methods).

Given the worked example whose series declare methods (ISR, SMR, life expectancy, DSR, mean) with
their age-band inputs in inputs.csv and deprivation-decile breakdowns in breakdowns.csv, when it is
imported into the database and exported again, then the framework rebuilt from the tables equals the
original (inputs, breakdowns, methods and the provenance of computed observations included), the
exported folder has inputs.csv and breakdowns.csv again, and its judgements (ISR/LE intervals, SII)
are the same.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from outcomes.judge.inequality import inequality
from outcomes.sources import load_dataset
from outcomes_launcher import main
from outcomes_web import adapter
from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db(databases="__all__")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "healthy-phe-methods"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_methods_inputs_and_breakdowns_survive_the_store(db_alias):
    dataset = adapter.load_dataset(EXAMPLE)
    fw = dataset.framework
    with_method = [s for s in fw.all_series() if s.method is not None]
    assert {s.method.name for s in with_method} >= {"isr", "life-expectancy"}  # type: ignore[union-attr]
    assert sum(len(s.inputs) for s in fw.all_series()) == len(_rows(EXAMPLE / "inputs.csv"))
    assert sum(len(s.breakdowns) for s in fw.all_series()) == len(_rows(EXAMPLE / "breakdowns.csv"))
    stored = adapter.store_framework(dataset)
    assert m.SeriesInput.objects.using(db_alias).count() == len(_rows(EXAMPLE / "inputs.csv"))
    assert m.SeriesBreakdown.objects.using(db_alias).count() == len(_rows(EXAMPLE / "breakdowns.csv"))
    assert set(m.Series.objects.using(db_alias).exclude(method_name="").values_list("key", flat=True)) == {
        s.id for s in with_method
    }
    rebuilt = adapter.snapshot_framework(stored.snapshots)
    assert rebuilt == fw  # every field, origins included
    derived = [o for s in rebuilt.all_series() for o in s.observations if o.derived]
    assert derived and all(o.interval_method in ("", o.source.split()[-2]) for o in derived)


def test_export_writes_inputs_and_breakdowns_and_judges_the_same(db_alias, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(EXAMPLE)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "exported"
    original = load_dataset(EXAMPLE)
    outcome = original.outcomes[0].id
    result = runner.invoke(main, ["export", str(out), "--outcome", outcome])
    assert result.exit_code == 0, result.output
    assert len(_rows(out / "inputs.csv")) == len(_rows(EXAMPLE / "inputs.csv"))
    assert len(_rows(out / "breakdowns.csv")) == len(_rows(EXAMPLE / "breakdowns.csv"))
    # computed figures are written as their inputs, not twice
    computed = {(r["series"], r["area"], r["period"]) for r in _rows(EXAMPLE / "inputs.csv")}
    assert not computed & {(r["series"], r["area"], r["period"]) for r in _rows(out / "observations.csv")}
    exported = load_dataset(out)
    s0, s1 = original.series_by_id(), exported.series_by_id()
    for sid, s in s0.items():
        t = s1[sid]
        assert s.method == t.method
        assert [(o.period, o.area, o.value, o.lower95, o.upper95, o.interval_method) for o in s.observations] == [
            (o.period, o.area, o.value, o.lower95, o.upper95, o.interval_method) for o in t.observations
        ]
        a, b = inequality(s, original.home_area.code), inequality(t, exported.home_area.code)
        assert a == b
    assert any(inequality(s, original.home_area.code) is not None for s in s0.values())
