"""docs/dataset-format.md cannot drift from the builder: every column each CSV file may have (the
reader refuses any other) is documented, with the required ones marked required, and every field
the builder reads from a series in framework.yaml is documented, and nothing else is."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from outcomes.data import EXAMPLE
from outcomes.sources import build, load_dataset
from outcomes.sources.raw import (
    BREAKDOWN_COLUMNS,
    INPUT_COLUMNS,
    OBSERVATION_COLUMNS,
    REQUIRED_BREAKDOWN_COLUMNS,
    REQUIRED_INPUT_COLUMNS,
    REQUIRED_OBSERVATION_COLUMNS,
    REQUIRED_RISK_COLUMNS,
    RISK_COLUMNS,
)

ROOT = Path(__file__).resolve().parents[2]
TEXT = (ROOT / "docs" / "dataset-format.md").read_text(encoding="utf-8")


def _first_table(heading: str) -> list[list[str]]:
    """The first table after ``heading`` (a line of the document), as rows of cells."""
    start = TEXT.index(f"\n{heading}\n")
    rows: list[list[str]] = []
    for line in TEXT[start:].splitlines()[1:]:
        if line.startswith("|"):
            rows.append([c.strip() for c in line.strip("|").split("|")])
        elif rows:
            break
    return rows[2:]


def _documented(rows: list[list[str]]) -> dict[str, str]:
    """Each name in the first column (``a``, ``b``) -> the second column (required or not)."""
    return {name: row[1] for row in rows for name in re.findall(r"`([a-z_0-9]+)`", row[0])}


CSV_FILES = [
    ("## observations.csv", OBSERVATION_COLUMNS, REQUIRED_OBSERVATION_COLUMNS),
    ("## inputs.csv — figures computed from deaths, populations or values", INPUT_COLUMNS, REQUIRED_INPUT_COLUMNS),
    ("## breakdowns.csv — figures by category, and the slope index of inequality", BREAKDOWN_COLUMNS,
     REQUIRED_BREAKDOWN_COLUMNS),
    ("## risks.csv", RISK_COLUMNS, REQUIRED_RISK_COLUMNS),
]


@pytest.mark.parametrize("heading,columns,required", CSV_FILES, ids=[h.split()[1] for h, _, _ in CSV_FILES])
def test_every_column_the_reader_accepts_is_documented_and_vice_versa(heading: str, columns: tuple[str, ...],
                                                                       required: tuple[str, ...]) -> None:
    documented = _documented(_first_table(heading))
    assert sorted(documented) == sorted(columns)
    if heading.startswith("## inputs.csv"):  # this table has no "required" column (series, area, period are)
        return
    marked = {name for name, need in documented.items() if need.startswith("yes")}
    assert marked == set(required)


def test_every_series_field_the_builder_reads_is_documented_and_vice_versa(monkeypatch: pytest.MonkeyPatch) -> None:
    read: set[str] = set()

    class Recording(dict):  # type: ignore[type-arg]
        def get(self, key: Any, default: Any = None) -> Any:
            read.add(key)
            return super().get(key, default)

        def __getitem__(self, key: Any) -> Any:
            read.add(key)
            return super().__getitem__(key)

        def __contains__(self, key: object) -> bool:
            read.add(str(key))
            return super().__contains__(key)

    original = build._Builder._series

    def recording(self: Any, node: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        return original(self, Recording(node), *args, **kwargs)

    monkeypatch.setattr(build._Builder, "_series", recording)
    for dataset in (EXAMPLE, ROOT / "examples" / "healthy-phe-methods", ROOT / "examples" / "children-safeguarding"):
        load_dataset(dataset)
    assert sorted(_documented(_first_table("### Series fields"))) == sorted(read)
