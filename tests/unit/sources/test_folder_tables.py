"""The dataset folder's four CSV tables, read and written from one table of files and columns."""

from __future__ import annotations

from pathlib import Path

from outcomes.sources.folder import read_folder, write_folder
from outcomes.sources.problems import Problems
from outcomes.sources.raw import RISK_COLUMNS, TABLE_COLUMNS, RawDataset, Row


def test_empty_tables_written_only_where_the_folder_always_has_them(tmp_path: Path) -> None:
    write_folder(RawDataset(framework={"council": "X"}, framework_file="framework.yaml"), tmp_path / "d")
    names = sorted(p.name for p in (tmp_path / "d").iterdir())
    assert names == ["framework.yaml", "observations.csv", "risks.csv"]
    assert (tmp_path / "d" / "risks.csv").read_text(encoding="utf-8").splitlines() == [",".join(RISK_COLUMNS)]


def test_each_table_reads_back_into_its_own_attribute(tmp_path: Path) -> None:
    raw = RawDataset(framework={"council": "X"}, framework_file="framework.yaml")
    for attr, (columns, _required) in TABLE_COLUMNS.items():
        setattr(raw, attr, [Row({c: f"{attr}-{c}" for c in columns}, f"{attr}.csv", 2)])
    write_folder(raw, tmp_path / "d")
    back = read_folder(tmp_path / "d", Problems())
    assert back is not None
    for attr, (columns, _required) in TABLE_COLUMNS.items():
        rows = getattr(back, attr)
        assert [r.values for r in rows] == [{c: f"{attr}-{c}" for c in columns}], attr
        assert rows[0].file == f"{attr}.csv"


def test_a_missing_observations_file_is_the_only_missing_table_reported(tmp_path: Path) -> None:
    (tmp_path / "framework.yaml").write_text("council: X\n", encoding="utf-8")
    problems = Problems()
    read_folder(tmp_path, problems)
    assert [p.file for p in problems.items] == ["observations.csv"]
