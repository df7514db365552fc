"""The bulk engine against the per-series API, series by series, on a synthetic national file.

The file is generated in the test (``outcomes.bulk.synthetic``); no external data is used.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from outcomes.bulk import ENGLAND, judge_table, partitions, read_national, run_bulk
from outcomes.bulk.synthetic import fingertips_table
from outcomes.cli import main
from outcomes.judge.comparator import group_quartile
from outcomes.sources.problems import DatasetError
from outcomes.stats import TREND_MARKERS, compare_with_benchmark, trend_marker
from outcomes.stats.kernels import group_quartiles, group_ranks, trend_markers


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """6 indicators × (England, 9 regions, 60 areas) × 8 years, with a few awkward series added."""
    table = fingertips_table(indicators=6, areas=60, years=8, seed=11)
    rows = table.to_pylist()
    extra = []
    for row in rows:
        if row["Area Code"] == "E06000000" and row["Indicator ID"] == 90001:
            extra.append(dict(row))  # a duplicated period: the trend cannot be calculated
        if row["Area Code"] == "E06000001" and row["Indicator ID"] == 90002 and row["Time period"] < "2014":
            row["Area Code"] = "E06000099"  # a series of four points only
    path = tmp_path_factory.mktemp("bulk") / "national.csv"
    pacsv.write_csv(pa.Table.from_pylist(rows + extra, schema=table.schema), path)
    return path


@pytest.fixture(scope="module")
def judged(national: Path, tmp_path_factory: pytest.TempPathFactory) -> list[dict]:
    out = tmp_path_factory.mktemp("bulk-out") / "judged.parquet"
    run_bulk(national, out)
    return pq.read_table(out).to_pylist()


def _inputs(national: Path) -> list[dict]:
    text = {name: pa.string() for name in ("Time period", "Area Code", "Parent Code", "Sex", "Age")}
    return pacsv.read_csv(national, convert_options=pacsv.ConvertOptions(column_types=text)).to_pylist()


def _f(x: object) -> float:
    return math.nan if x is None else float(x)  # type: ignore[arg-type]


def _close(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def test_random_series_match_the_per_series_api(national: Path, judged: list[dict]) -> None:
    rows = _inputs(national)
    by_series: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (str(row["Indicator ID"]), row["Sex"], row["Age"], row["Area Code"])
        by_series.setdefault(key, []).append(row)
    rng = np.random.default_rng(5)
    sample = [judged[i] for i in rng.choice(len(judged), size=150, replace=False)]
    sample += [j for j in judged if j["area_code"] in ("E06000000", "E06000099")]
    markers_seen = set()
    for out in sample:
        series = sorted(
            by_series[(out["indicator_id"], out["sex"], out["age"], out["area_code"])],
            key=lambda r: r["Time period Sortable"],
        )
        latest = series[-1]
        periods = [r["Time period"] for r in series]
        if out["trend_method"] == "proportion":
            expected = trend_marker(
                periods,
                counts=[_f(r["Count"]) for r in series],
                denominators=[_f(r["Denominator"]) for r in series],
            )
        else:
            expected = trend_marker(
                periods,
                values=[_f(r["Value"]) for r in series],
                lower95=[_f(r["Lower CI 95.0 limit"]) for r in series],
                upper95=[_f(r["Upper CI 95.0 limit"]) for r in series],
            )
        assert out["trend"] == expected.marker, (out, expected)
        assert _close(_f(out["trend_chi2"]), expected.chi2)
        markers_seen.add(out["trend"])
        assert out["period"] == latest["Time period"] and _close(_f(out["value"]), _f(latest["Value"]))
        for column, area in (("compared_england", ENGLAND), ("compared_region", latest["Parent Code"])):
            bench = [
                r
                for r in by_series.get((out["indicator_id"], out["sex"], out["age"], area), [])
                if r["Time period"] == latest["Time period"]
            ]
            expected_word = compare_with_benchmark(
                _f(latest["Value"]),
                _f(bench[0]["Value"]) if bench else math.nan,
                lower95=_f(latest["Lower CI 95.0 limit"]),
                upper95=_f(latest["Upper CI 95.0 limit"]),
                polarity=out["polarity"],
            ).judgement
            assert out[column] == expected_word, (column, out)
    assert markers_seen == set(TREND_MARKERS)  # the sample exercises every marker


def test_the_method_follows_the_unit_and_odd_series_cannot_be_calculated(judged: list[dict]) -> None:
    odd = {(j["area_code"], j["indicator_id"]): j for j in judged}
    assert odd["E06000000", "90001"]["trend"] == "cannot be calculated"  # a repeated period
    assert odd["E06000099", "90002"]["trend"] == "cannot be calculated"  # four points
    assert odd["E06000001", "90002"]["trend"] == "cannot be calculated"  # the other four points
    assert odd["E06000000", "90003"]["trend"] != "cannot be calculated"
    methods = {(j["indicator_id"], j["trend_method"]) for j in judged if j["trend_method"]}
    assert ("90000", "proportion") in methods and ("90001", "values") in methods  # percentage vs rate
    assert all(m == "values" for i, m in methods if int(i) % 2 == 1)  # a rate is never a proportion


def test_rank_and_quartile_among_areas_of_the_same_type_in_the_region(judged: list[dict]) -> None:
    groups: dict[tuple, list[dict]] = {}
    for j in judged:
        groups.setdefault((j["indicator_id"], j["area_type"], j["parent_code"], j["period"]), []).append(j)
    checked = 0
    for members in groups.values():
        valued = [m for m in members if m["value"] is not None]
        for m in members:
            if m["value"] is None:
                assert m["rank"] is None and m["quartile"] is None
                continue
            low_first = m["polarity"] == "lower-is-better"
            better = [
                o for o in valued if (o["value"] < m["value"] if low_first else o["value"] > m["value"])
            ]
            assert m["rank"] == len(better) + 1
            assert m["rank_of"] == len(valued)
            assert m["quartile"] == group_quartile(m["rank"], len(valued))
            checked += 1
    assert checked > 300


def test_partitions_are_whole_indicators_and_give_the_same_answers(national: Path) -> None:
    table = read_national(national)
    assert [p.num_rows for p in partitions(table, rows=1_000)] == [1_128, 1_120, 1_120]
    parts = list(partitions(table, rows=1))
    assert len(parts) == 6
    for part in parts:
        assert len(set(part.column("indicator_id").to_pylist())) == 1
    one = judge_table(table)
    many = pa.concat_tables([judge_table(p) for p in parts]).sort_by(
        [(k, "ascending") for k in ("indicator_id", "sex", "age", "category", "area_code")]
    )
    assert one.equals(many)


def test_tidy_layout_and_parquet_give_the_same_judgements(tmp_path: Path) -> None:
    source = fingertips_table(indicators=2, areas=20, years=6, seed=3, polarity=False)
    tidy = pa.table(
        {
            "series": pc_str(source.column("Indicator ID")),
            "area": source.column("Area Code"),
            "period": source.column("Time period"),
            "value": source.column("Value"),
            "numerator": source.column("Count"),
            "denominator": source.column("Denominator"),
            "lower95": source.column("Lower CI 95.0 limit"),
            "upper95": source.column("Upper CI 95.0 limit"),
            "sex": source.column("Sex"),
            "age": source.column("Age"),
            "area_type": source.column("Area Type"),
            "parent": source.column("Parent Code"),
        }
    )
    pacsv.write_csv(tidy, tmp_path / "tidy.csv")
    pq.write_table(source, tmp_path / "fingertips.parquet")
    run_bulk(tmp_path / "tidy.csv", tmp_path / "a.parquet")
    run_bulk(tmp_path / "fingertips.parquet", tmp_path / "b.parquet")
    a, b = pq.read_table(tmp_path / "a.parquet"), pq.read_table(tmp_path / "b.parquet")
    assert a.equals(b)
    # without a polarity the comparison says higher or lower, never better or worse
    words = set(a.column("compared_england").to_pylist())
    assert words <= {"higher", "lower", "similar", "not compared"} and {"higher", "lower"} & words


def pc_str(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(pa.string())


def test_kernel_matches_trend_marker_on_awkward_windows() -> None:
    rng = np.random.default_rng(2)
    size = 3_000
    n = rng.integers(1, 300, size=(size, 5)).astype(float)
    r = np.floor(rng.random((size, 5)) * (n + 1))
    r[rng.random(size) < 0.1, 2] = 0.0  # a 0% point: the empirical logit
    full = rng.random(size) < 0.05
    r[full] = n[full]  # every point 100%
    r[rng.random(size) < 0.02, 4] = np.nan
    above = rng.random(size) < 0.02
    r[above, 1] = n[above, 1] + 1  # a count above its denominator
    v = rng.normal(50, 5, size=(size, 5)) + np.arange(5) * rng.normal(0, 2, size=(size, 1))
    half = rng.uniform(0.1, 3, size=(size, 5))
    lo, hi = v - half, v + half
    hi[rng.random(size) < 0.02, 3] = np.nan  # a missing limit
    zero_width = rng.random(size) < 0.03
    hi[zero_width, 0] = lo[zero_width, 0]
    proportion = rng.random(size) < 0.5
    codes, chi2, slope = trend_markers(
        counts=r, denominators=n, values=v, lower95=lo, upper95=hi, proportion=proportion
    )
    years = [2014, 2015, 2016, 2017, 2018]
    for i in range(size):
        if proportion[i]:
            expected = trend_marker(years, counts=r[i], denominators=n[i])
        else:
            expected = trend_marker(years, values=v[i], lower95=lo[i], upper95=hi[i])
        assert TREND_MARKERS[codes[i]] == expected.marker, i
        assert _close(chi2[i], expected.chi2) and _close(slope[i], expected.slope), i
    assert len(set(codes.tolist())) == 4


def test_vectorised_quartiles_and_ranks() -> None:
    for of in range(1, 30):
        ranks = np.arange(1, of + 1)
        assert group_quartiles(ranks, np.full(of, of)).tolist() == [group_quartile(k, of) for k in ranks]
    ranks, sizes = group_ranks(
        np.array([4, 4, 4, 9]),
        np.array([2.0, 2.0, 1.0, 7.0]),
        descending=np.array([False, False, False, True]),
    )
    assert ranks.tolist() == [2, 2, 1, 1] and sizes.tolist() == [3, 3, 3, 1]


def test_bad_file_is_refused_with_file_row_field_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "Indicator ID,Area Code,Time period,Value,Polarity\n"
        "1,E06000001,2018,12.5,RAG - High is good\n"
        "1,E06000002,2018,n/a,Up is good\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as caught:
        read_national(bad)
    text = str(caught.value)
    assert "bad.csv, row 3 [Value]: 'n/a' is not a number" in text
    missing = tmp_path / "missing.csv"
    missing.write_text("Indicator ID,Area Code,Value\n1,E06000001,3\n", encoding="utf-8")
    with pytest.raises(
        DatasetError, match=r"missing.csv, row 1 \[Time period\]: this required column is missing"
    ):
        read_national(missing)
    polarity = tmp_path / "polarity.csv"
    polarity.write_text(
        "Indicator ID,Area Code,Time period,Value,Polarity\n1,E06000002,2018,3,Up is good\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError, match=r"row 2 \[Polarity\]: 'Up is good' is not a polarity"):
        read_national(polarity)


def test_cli_writes_parquet_or_nothing(national: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "judged.parquet"
    result = runner.invoke(main, ["bulk", str(national), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == len(
        {(r["Indicator ID"], r["Sex"], r["Age"], r["Area Code"]) for r in _inputs(national)}
    )
    bad = tmp_path / "bad.csv"
    bad.write_text("series,area,period,value\nx,E06000001,2018,abc\n", encoding="utf-8")
    result = runner.invoke(main, ["bulk", str(bad), "--out", str(tmp_path / "no.parquet")])
    assert result.exit_code == 2
    assert "row 2 [value]: 'abc' is not a number" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "no.parquet").exists()


def test_text_columns_from_several_csv_blocks_share_one_clean_dictionary() -> None:
    from outcomes.bulk.read import _text

    first = pa.array(["E06000001 ", "E06000002", None]).dictionary_encode()
    second = pa.array(["E06000002", "E06000001", "E06000003"]).dictionary_encode()  # another dictionary
    column = _text(pa.chunked_array([first, second]))
    assert column.to_pylist() == ["E06000001", "E06000002", "", "E06000002", "E06000001", "E06000003"]
    assert sorted(column.dictionary.to_pylist()) == ["", "E06000001", "E06000002", "E06000003"]


def test_periods_without_a_sortable_column_are_put_in_time_order(tmp_path: Path) -> None:
    path = tmp_path / "tidy.csv"
    path.write_text(
        "series,area,period,value\n"
        "x,E06000001,2010/11,3\nx,E06000001,2009/10,2\nx,E06000001,2011/12,4\n"
        "y,E06000001,2016 - 18,7\nx,E06000001,2008/09,1\n",
        encoding="utf-8",
    )
    table = read_national(path)
    order = dict(
        zip(table.column("period").to_pylist(), table.column("period_order").to_pylist(), strict=True)
    )
    assert order["2008/09"] < order["2009/10"] < order["2010/11"] < order["2011/12"] < order["2016 - 18"]
    judged = judge_table(table)
    assert judged.column("period").to_pylist() == ["2011/12", "2016 - 18"]
    assert judged.column("value").to_pylist() == [4.0, 7.0]
    assert judged.column("trend").to_pylist() == ["cannot be calculated"] * 2  # 4 points and 1 point


def test_a_csv_read_block_by_block_gives_the_whole_file_read_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The streaming reader (tiny blocks here: many per file) gives the cells pyarrow reads in one go."""
    from outcomes.bulk import read as bulk_read

    lines = ["Indicator ID,Area Code,Area Type,Time period,Value,Count,Denominator,Sex,Polarity"]
    for i in range(300):
        value = "" if i % 17 == 0 else ("NaN" if i % 23 == 0 else f"{i * 1.5}")
        sex = " Persons " if i % 5 == 0 else ("" if i % 7 == 0 else '"Male, all"')
        polarity = "RAG - Low is good" if i % 2 else "RAG - High is good"
        lines.append(
            f"{100 + i % 4},E0600{i % 50:04d},UA,{2010 + i % 9},{value},{i},{1000 + i},{sex},{polarity}"
        )
    path = tmp_path / "national.csv"
    path.write_text("\n".join(lines), encoding="utf-8")  # no line end after the last row
    whole = read_national(path)
    monkeypatch.setattr(bulk_read, "_BLOCK_BYTES", 256)
    blocks = read_national(path)
    assert blocks.num_rows == whole.num_rows == 300
    for name in whole.schema.names:
        assert blocks.column(name).to_pylist() == whole.column(name).to_pylist(), name
    raw = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={"Value": pa.float64(), "Sex": pa.string()}, strings_can_be_null=True
        ),
    )
    assert blocks.column("value").to_pylist() == [
        None if v is None or v != v else v for v in raw.column("Value").to_pylist()
    ]
    assert blocks.column("sex").to_pylist() == [(s or "").strip() for s in raw.column("Sex").to_pylist()]
    assert blocks.column("sex").to_pylist()[3] == "Male, all"

    late = tmp_path / "late.csv"  # a bad number far into the file, in a later block
    late.write_text(
        "\n".join([*lines[:250], "101,E06000001,UA,2012,n/a,1,2,Persons,RAG - Low is good"]), encoding="utf-8"
    )
    with pytest.raises(DatasetError, match=r"late.csv, row 251 \[Value\]: 'n/a' is not a number"):
        read_national(late)
