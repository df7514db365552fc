"""Every row of the PHEindicatormethods reference vectors kept in tests/data/phe-methods.

The files (and their source and licence) are described in that folder's README; a missing file is an
error, never a skip.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from outcomes.stats import byar_interval, dsr_interval, proportion_interval, rate_interval, wilson_interval

REPO = Path(__file__).resolve().parents[3]
PHE = REPO / "tests" / "data" / "phe-methods"
RTOL = 1e-6


def _read(name: str) -> list[dict[str, str]]:
    with (PHE / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _rows(name: str) -> list:
    """One pytest param per CSV row."""
    return [pytest.param(row, id=f"row{i + 2}") for i, row in enumerate(_read(name))]


def num(text: str | None) -> float:
    """A CSV cell as a float; an empty cell (R's NA) is NaN."""
    return float(text) if text not in (None, "") else float("nan")


def close(actual: object, expected: float) -> None:
    np.testing.assert_allclose(float(actual), expected, rtol=RTOL, atol=0, equal_nan=True)  # type: ignore[arg-type]


@pytest.mark.parametrize("row", _rows("byars_wilson.csv"))
def test_byars_and_wilson_rows(row: dict[str, str]) -> None:
    confidence = num(row["confidence_level"])
    if row["method"] == "Byars":
        lower, upper = byar_interval(num(row["x"]), confidence=confidence)
    else:
        assert row["method"] == "Wilson"
        lower, upper = wilson_interval(num(row["x"]), num(row["n"]), confidence=confidence)
    close(lower, num(row["lowercl"]))
    close(upper, num(row["uppercl"]))


@pytest.mark.parametrize("row", _rows("proportion.csv"))
def test_proportion_rows(row: dict[str, str]) -> None:
    x, n, multiplier = num(row["Numerator"]), num(row["Denominator"]), num(row["multiplier"])
    value, lower95, upper95 = proportion_interval(x, n, multiplier=multiplier)
    _, lower998, upper998 = proportion_interval(x, n, multiplier=multiplier, confidence=0.998)
    close(value, num(row["value"]))
    close(lower95, num(row["lower95_0cl"]))
    close(upper95, num(row["upper95_0cl"]))
    close(lower998, num(row["lower99_8cl"]))
    close(upper998, num(row["upper99_8cl"]))


@pytest.mark.parametrize("row", _rows("rate.csv"))
def test_rate_rows(row: dict[str, str]) -> None:
    x, n, multiplier = num(row["Numerator"]), num(row["Denominator"]), num(row["multiplier"])
    value, lower95, upper95 = rate_interval(x, n, multiplier=multiplier)
    _, lower998, upper998 = rate_interval(x, n, multiplier=multiplier, confidence=0.998)
    close(value, num(row["value"]))
    close(lower95, num(row["lower95_0cl"]))
    close(upper95, num(row["upper95_0cl"]))
    close(lower998, num(row["lower99_8cl"]))
    close(upper998, num(row["upper99_8cl"]))
    if row["method"]:  # the method column says which formula applies: exact below 10 events
        assert row["method"] == ("Exact" if x < 10 else "Byars")


def test_proportion_and_rate_columns_vectorised() -> None:
    """The whole CSV in one call gives the same answers as row by row (no per-element loop needed)."""
    for name, function in (("proportion.csv", proportion_interval), ("rate.csv", rate_interval)):
        rows = _read(name)
        x = np.array([num(r["Numerator"]) for r in rows])
        n = np.array([num(r["Denominator"]) for r in rows])
        m = np.array([num(r["multiplier"]) for r in rows])
        value, lower, upper = function(x, n, multiplier=m)
        for column, got in (("value", value), ("lower95_0cl", lower), ("upper95_0cl", upper)):
            expected = np.array([num(r[column]) for r in rows])
            np.testing.assert_allclose(got, expected, rtol=RTOL, equal_nan=True)


def _dsr_inputs() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]]:
    """Area -> (counts, populations, standard populations, event frequencies or None)."""
    areas: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]] = {}
    grouped: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read("dsr_input_multiarea.csv"):
        grouped[row["area"]].append(row)
    for area, rows in grouped.items():
        areas[area] = (
            np.array([num(r["count"]) for r in rows]),
            np.array([num(r["pop"]) for r in rows]),
            np.array([num(r["esp2013"]) for r in rows]),
            None,
        )
    rows = _read("dsr_input_1976.csv")
    areas["testdata_1976"] = (
        np.array([num(r["count"]) for r in rows]),
        np.array([num(r["pop"]) for r in rows]),
        np.array([num(r["esp1976"]) for r in rows]),
        None,
    )
    grouped = defaultdict(list)
    for row in _read("dsr_input_nonindependent.csv"):
        grouped[row["area"]].append(row)
    for area, rows in grouped.items():
        bands = list(dict.fromkeys(r["ageband"] for r in rows))
        freqs = sorted({int(r["freq"]) for r in rows})
        persons = np.zeros((len(freqs), len(bands)))
        pop = np.zeros(len(bands))
        std = np.zeros(len(bands))
        for r in rows:
            j = bands.index(r["ageband"])
            persons[freqs.index(int(r["freq"])), j] = num(r["persons"])  # NaN kept: treated as 0
            pop[j], std[j] = num(r["pop"]), num(r["esp2013"])
        areas[area] = (persons, pop, std, np.array(freqs, dtype=float))
    return areas


@pytest.mark.parametrize("row", _rows("dsr_results.csv"))
def test_dsr_rows(row: dict[str, str]) -> None:
    counts, pop, std, freqs = _dsr_inputs()[row["area"]]
    multiplier = num(row["multiplier"])
    value, lower95, upper95 = dsr_interval(counts, pop, std, multiplier=multiplier, event_frequencies=freqs)
    _, lower998, upper998 = dsr_interval(
        counts, pop, std, multiplier=multiplier, confidence=0.998, event_frequencies=freqs
    )
    close(value, num(row["value"]))
    close(lower95, num(row["lower95_0cl"]))
    close(upper95, num(row["upper95_0cl"]))
    if row["tested_cis"] == "95 only":
        # README: for the 1976-standard rows the source's 99.8% cells are 10 times too large
        close(10 * lower998, num(row["lower99_8cl"]))
        close(10 * upper998, num(row["upper99_8cl"]))
    else:
        close(lower998, num(row["lower99_8cl"]))
        close(upper998, num(row["upper99_8cl"]))
    events = counts if freqs is None else (freqs[:, None] * np.nan_to_num(counts)).sum(axis=0)
    assert np.nansum(events) == num(row["total_count"])


def test_dsr_many_areas_in_one_call() -> None:
    """The three multi-area test areas as one (areas × bands) array give the three published rows."""
    inputs = _dsr_inputs()
    names = ["testdata_big", "testdata_small", "testdata_tiny"]
    counts = np.vstack([inputs[a][0] for a in names])
    pop = np.vstack([inputs[a][1] for a in names])
    std = inputs["testdata_big"][2]
    value, lower, upper = dsr_interval(counts, pop, std, multiplier=100_000)
    expected = {r["area"]: r for r in _read("dsr_results.csv") if r["multiplier"] == "100000"}
    for i, area in enumerate(names):
        close(value[i], num(expected[area]["value"]))
        close(lower[i], num(expected[area]["lower95_0cl"]))
        close(upper[i], num(expected[area]["upper95_0cl"]))
