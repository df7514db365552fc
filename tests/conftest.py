"""Shared fixtures: the bundled example."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE

# Timing is not what property tests check: machines here are shared and noisy (speed is shown by
# bench/, never by timed assertions), so no per-example deadline.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "default")

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = BUNDLED_EXAMPLE


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
