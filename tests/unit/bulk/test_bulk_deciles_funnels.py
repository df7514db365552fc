"""The national engine's deciles and funnels against ``quantile_groups`` and ``funnel_limits`` called directly.

The national file is generated in the test (``outcomes.bulk.synthetic``: percentages and rates per
100,000 for England, 9 regions and 60 areas); no external data is used.
"""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from outcomes.bulk import ENGLAND, run_bulk
from outcomes.bulk.engine import funnel_columns
from outcomes.bulk.synthetic import fingertips_table
from outcomes.stats import funnel_limits, quantile_groups


@pytest.fixture(scope="module")
def judged(tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    folder = tmp_path_factory.mktemp("bulk-deciles")
    table = fingertips_table(indicators=4, areas=47, years=6, seed=5)
    rows = table.to_pylist()
    for row in rows:  # one indicator where lower is better, and some areas without a value
        if row["Indicator ID"] == 90001:
            row["Polarity"] = "RAG - Low is good"
        if row["Area Code"] in ("E06000003", "E06000010") and row["Indicator ID"] == 90002:
            row["Value"] = None
    pacsv.write_csv(pa.Table.from_pylist(rows, schema=table.schema), folder / "national.csv")
    run_bulk(folder / "national.csv", folder / "out.parquet")
    return pq.read_table(folder / "out.parquet").to_pylist()


def test_deciles_are_quantile_groups_of_the_areas_of_one_type(judged: list[dict]) -> None:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in judged:
        groups[
            (row["indicator_id"], row["sex"], row["age"], row["category"], row["area_type"], row["period"])
        ].append(row)
    checked = set()
    for key, members in groups.items():
        values = [math.nan if m["value"] is None else m["value"] for m in members]
        invert = members[0]["polarity"] != "lower-is-better"
        expected = quantile_groups(values, groups=10, invert=invert)
        got = [math.nan if m["decile"] is None else float(m["decile"]) for m in members]
        np.testing.assert_array_equal(got, expected, err_msg=str(key))
        checked.add((key[4], invert, len([v for v in values if not math.isnan(v)])))
    # the local areas (47, and 45 where two have no value) get deciles, either way round;
    # England (1) and the 9 regions are too few to divide into tenths
    assert ("Counties & UAs", True, 47) in checked and ("Counties & UAs", False, 47) in checked
    assert ("Counties & UAs", True, 45) in checked
    assert all(r["decile"] is None for r in judged if r["area_type"] in ("England", "Regions"))
    areas = [r for r in judged if r["area_type"] == "Counties & UAs" and r["value"] is not None]
    assert {r["decile"] for r in areas} == set(range(1, 11))
    # decile 1 holds the best value, decile 10 the worst: highest first, or lowest where lower is better
    for key in {(r["indicator_id"], r["period"]) for r in areas}:
        same = sorted((r for r in areas if (r["indicator_id"], r["period"]) == key), key=lambda r: r["value"])
        best, worst = (same[0], same[-1]) if same[0]["polarity"] == "lower-is-better" else (same[-1], same[0])
        assert (best["decile"], worst["decile"]) == (1, 10)


def test_funnel_limits_are_funnel_limits_around_the_england_value(judged: list[dict]) -> None:
    england = {
        (r["indicator_id"], r["sex"], r["age"], r["category"], r["period"]): r["value"]
        for r in judged
        if r["area_code"] == ENGLAND
    }
    kinds = defaultdict(int)
    flags = defaultdict(int)
    for row in judged:
        kinds[row["funnel_statistic"]] += 1
        if row["value"] is None:
            assert row["funnel_statistic"] == "" and row["funnel"] == "" and row["funnel_lower95"] is None
            continue
        statistic, multiplier = (
            ("proportion", 100) if row["funnel_statistic"] == "proportion" else ("rate", 100_000)
        )
        assert row["funnel_statistic"] in ("proportion", "rate per 100000")
        baseline = england[(row["indicator_id"], row["sex"], row["age"], row["category"], row["period"])]
        funnel = funnel_limits(
            row["denominator"], statistic=statistic, baseline=baseline, multiplier=multiplier
        )
        for name in ("lower95", "upper95", "lower998", "upper998"):
            assert row[f"funnel_{name}"] == pytest.approx(float(getattr(funnel, name)), rel=1e-12), name
        value = row["value"]
        if value > funnel.upper998:
            expected = "above998"
        elif value > funnel.upper95:
            expected = "above95"
        elif value < funnel.lower998:
            expected = "below998"
        elif value < funnel.lower95:
            expected = "below95"
        else:
            expected = "within"
        assert row["funnel"] == expected
        flags[expected] += 1
    assert kinds["proportion"] > 100 and kinds["rate per 100000"] > 100
    assert flags["within"] and flags["above998"] and flags["below998"]


def test_rows_without_a_recognisable_unit_get_no_funnel() -> None:
    value = np.array([50.0, 12.3, 50.0, 50.0])
    count = np.array([50.0, 7.0, np.nan, 50.0])
    denominator = np.array([100.0, 100.0, 100.0, 100.0])
    england = np.array([40.0, 40.0, 40.0, np.nan])
    got = funnel_columns(value, count, denominator, england)
    # a percentage; a value that is no multiple of count/denominator (a DSR, say); no count; no England value
    assert got["kind"].tolist() == [1, 0, 0, 0]
    assert got["flag"].tolist()[1:] == [0, 0, 0]
    assert np.isfinite(got["lower95"][0]) and np.isnan(got["lower95"][1:]).all()
