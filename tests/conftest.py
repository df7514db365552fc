"""Shared fixtures: the bundled example and the shared reference data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "dorset-safe-2018"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture(scope="session")
def example():
    from outcomes.sources import load_dataset

    return load_dataset(EXAMPLE)


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A writable copy of the example, for tests that break it on purpose."""
    target = tmp_path / "dataset"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture(scope="session")
def seed_text() -> str:
    path = SHARED / "seed" / "outcomes-focused-monitoring-report-safe-july-2018.txt"
    if not path.exists():
        pytest.skip(f"the seed report is not at {path}")
    return path.read_text(encoding="utf-8")
