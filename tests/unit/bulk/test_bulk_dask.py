"""The bulk engine on a Dask cluster gives the same file as in one process (needs the dask extra)."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from outcomes.bulk import run_bulk
from outcomes.bulk.synthetic import fingertips_table

distributed = pytest.importorskip("dask.distributed")


def test_local_cluster_gives_results_identical_to_one_process(tmp_path: Path) -> None:
    source = tmp_path / "national.csv"
    pacsv.write_csv(fingertips_table(indicators=5, areas=40, years=7, seed=8), source)
    run_bulk(source, tmp_path / "one.parquet")
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
    ) as cluster:
        summary = run_bulk(
            source, tmp_path / "dask.parquet", scheduler=cluster.scheduler_address, partition_rows=1
        )
    assert summary.partitions == 5  # one per indicator, each judged on the cluster
    one, many = pq.read_table(tmp_path / "one.parquet"), pq.read_table(tmp_path / "dask.parquet")
    assert one.num_rows == 5 * 50 and one.equals(many)
