"""Means, ISR/SMR, quantiles and the SII against the PHEindicatormethods package's own outputs.

The package keeps its expected values for these methods in Excel workbooks that could not be read
here, so the reference values were produced by running the package's calculations (its R source,
outside this repository) on inputs it publishes: the examples of its documentation, its ISR sheet
and the inline reference vectors of ``testISRates.R``, and its ``NCMP_testdata.csv``. How each file
was made is in ``tests/data/phe-methods/README.md``. ``ncmp_deciles.csv`` also carries the
package's published proportions with Wilson limits, checked here against ``proportion_interval``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from outcomes.stats import (
    isr_interval,
    mean_interval,
    proportion_interval,
    quantile_groups,
    slope_index_of_inequality,
    smr_interval,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "phe-methods"

MEAN_INPUTS = {
    "rd_example_1": [30.0, 40.0, 50.0, 60.0],
    "rd_example_2_area1": [20.0, 30.0, 40.0],
    "rd_example_2_area2": [200.0, 300.0, 400.0],
}


def _read(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


NCMP = _read("ncmp_deciles.csv")


def _ncmp(period: str, year: str) -> list[dict[str, str]]:
    return [row for row in NCMP if row["Period"] == period and row["SchoolYear"] == year]


def _mean_input(case: str) -> list[float]:
    if case in MEAN_INPUTS:
        return MEAN_INPUTS[case]
    _, period, year, _ = case.split("_")
    return [float(row["Rate"]) for row in _ncmp(period, year)]


@pytest.mark.parametrize("row", _read("r_mean.csv"), ids=lambda r: f"{r['case']}@{r['confidence']}")
def test_mean_interval_reproduces_phe_mean(row: dict[str, str]) -> None:
    mean, lower, upper = mean_interval(_mean_input(row["case"]), confidence=float(row["confidence"]))
    assert float(mean) == pytest.approx(float(row["mean"]), rel=1e-12)
    assert float(lower) == pytest.approx(float(row["lowercl"]), rel=1e-12)
    assert float(upper) == pytest.approx(float(row["uppercl"]), rel=1e-12)


def test_quantile_groups_reproduce_phe_quantile_exactly() -> None:
    rows = _read("r_quantiles.csv")
    settings = sorted({(int(r["nquantiles"]), r["invert"]) for r in rows})
    assert len(settings) == 6
    for groups, invert in settings:
        subset = [r for r in rows if int(r["nquantiles"]) == groups and r["invert"] == invert]
        got = quantile_groups(
            [float(r["value"]) for r in subset],
            groups=groups,
            invert=invert == "TRUE",
            by=[r["SchoolYear"] for r in subset],
        )
        expected = [float(r["quantile"]) if r["quantile"] else np.nan for r in subset]
        np.testing.assert_array_equal(got, expected, err_msg=f"{groups} groups, invert={invert}")


def _isr_inputs(case: str) -> tuple[list[float], list[float], list[float], list[float]]:
    sheet = _read("isr_sheet.csv")
    pops = [float(r["pop"]) for r in sheet]
    ref_x = [float(r["refcount"]) for r in sheet]
    ref_n = [float(r["refpop"]) for r in sheet]
    counts = [float(r["obs"]) for r in sheet]
    if case == "inline_ref":
        # the x_ref / n_ref vectors printed in testISRates.R (band 3's reference count missing)
        ref_x = [10303, 2824, np.nan, 3615, 3641, 3490, 3789, 3213, 3031, 2771, 3089, 3490, 3595, 4745,
                 5514, 7125, 5694, 6210, 5757]  # fmt: skip
        ref_n = [50520, 57173, 60213, 54659, 44345, 50128, 62163, 67423, 62899, 55463, 60479, 49974,
                 44140, 40888, 37239, 30819, 18136, 15325, 13918]  # fmt: skip
    elif case == "small":
        counts = [0.0] * 16 + [2.0, 3.0, 2.0]
    return counts, pops, ref_x, ref_n


@pytest.mark.parametrize("row", _read("r_isr.csv"), ids=lambda r: f"{r['case']}@{r['confidence']}")
def test_isr_and_smr_reproduce_calculate_israte_and_isratio(row: dict[str, str]) -> None:
    counts, pops, ref_x, ref_n = _isr_inputs(row["case"])
    confidence = float(row["confidence"])
    isr = isr_interval(counts, pops, ref_x, ref_n, confidence=confidence)
    smr = smr_interval(counts, pops, ref_x, ref_n, confidence=confidence)
    for got, name in zip(isr, ("isr", "isr_lower", "isr_upper"), strict=True):
        assert float(got) == pytest.approx(float(row[name]), rel=1e-10), name
    for got, name in zip(smr, ("ratio", "ratio_lower", "ratio_upper"), strict=True):
        assert float(got) == pytest.approx(float(row[name]), rel=1e-10), name


@pytest.mark.parametrize(
    "row",
    _read("r_sii.csv"),
    ids=lambda r: f"{r['Period']}{r['SchoolYear']}-{r['value_type']}@{r['confidence']}",
)
def test_sii_reproduces_phe_sii(row: dict[str, str]) -> None:
    """The SII and RII exactly; the Monte-Carlo limits to 2% of the interval's width (the package's
    own tests allow 5% between runs; different random streams give different draws)."""
    deciles = _ncmp(row["Period"], row["SchoolYear"])
    populations = [float(r["Measured"]) for r in deciles]
    quantiles = [int(r["Decile"]) for r in deciles]
    if row["value_type"] == "normal":
        result = slope_index_of_inequality(
            quantiles, populations, [float(r["Rate"]) for r in deciles],
            standard_errors=[float(r["SE"]) for r in deciles],
            confidence=float(row["confidence"]), seed=18,
        )  # fmt: skip
    else:
        result = slope_index_of_inequality(
            quantiles, populations, [float(r["Rate"]) / 100 for r in deciles],
            lower95=[float(r["LCL"]) / 100 for r in deciles],
            upper95=[float(r["UCL"]) / 100 for r in deciles],
            value_type="proportion", confidence=float(row["confidence"]), seed=18,
        )  # fmt: skip
    assert result.sii == pytest.approx(float(row["sii"]), rel=1e-9)
    assert result.rii == pytest.approx(float(row["rii"]), rel=1e-9)
    for stat in ("sii", "rii"):
        width = float(row[f"{stat}_upper"]) - float(row[f"{stat}_lower"])
        for side in ("lower", "upper"):
            got = getattr(result, f"{stat}_{side}")
            assert got == pytest.approx(float(row[f"{stat}_{side}"]), abs=0.02 * width), f"{stat}_{side}"


def test_proportions_reproduce_the_packages_published_ncmp_wilson_limits() -> None:
    counts = [float(r["Count"]) for r in NCMP]
    measured = [float(r["Measured"]) for r in NCMP]
    value, lower, upper = proportion_interval(counts, measured, multiplier=100)
    np.testing.assert_allclose(value, [float(r["Rate"]) for r in NCMP], rtol=1e-12)
    np.testing.assert_allclose(lower, [float(r["LCL"]) for r in NCMP], rtol=1e-12)
    np.testing.assert_allclose(upper, [float(r["UCL"]) for r in NCMP], rtol=1e-12)


def test_grouped_quantiles_equal_each_group_divided_on_its_own() -> None:
    rng = np.random.default_rng(4)
    values = np.round(rng.normal(50, 10, 2_000), 0)  # rounded, so that ties occur
    values[rng.integers(0, 2_000, 50)] = np.nan
    labels = rng.integers(0, 40, 2_000)  # groups of about 50, some possibly below 10 after NaNs
    labels[:7] = 99  # one group too small to divide
    for invert in (False, True):
        grouped = quantile_groups(values, groups=10, invert=invert, by=labels)
        for label in np.unique(labels):
            members = labels == label
            np.testing.assert_array_equal(
                grouped[members], quantile_groups(values[members], groups=10, invert=invert)
            )
    assert np.isnan(quantile_groups(values, groups=10, by=labels)[:7]).all()
