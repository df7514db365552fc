"""Benchmark: converting one authority from a national LAIT-layout file of 640,000 rows. Prints figures; not a test.

Run: ``.venv/bin/python bench/bench_convert.py [ROWS]``

Writes a synthetic LAIT long file (``Short Desc, Data item, Years, LA and Regions, Values, LA Number,
Region``) for every authority in the bundled lookup, England and the regions, with the markers and
notations LAIT prints (``-``, ``c``, ``9.511E-2``, ``2014-16``, ``2018 (Rev)``), as CSV and as
Parquet, then times ``convert_lait`` for Dorset (838) on each, and the reading step alone.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from outcomes.sources.areas import bundled_directory
from outcomes.sources.build import build_framework
from outcomes.sources.lait import convert_lait
from outcomes.sources.problems import Problems
from outcomes.sources.reading import read_table


def make_file(folder: Path, rows: int) -> tuple[Path, Path]:
    rng = random.Random(14)
    d = bundled_directory()
    areas = [a for a in d.by_code.values() if a.level != "local authority" or "2025" in a.periods]
    years = [str(y) for y in range(2011, 2025)]
    per_item = len(areas) * len(years)
    items = rows // per_item + 1
    data: dict[str, list[object]] = {c: [] for c in ("Short Desc", "Data item", "Years", "LA and Regions", "Values",
                                                     "LA Number", "Region")}
    n = 0
    for i in range(items):
        kind = i % 3
        for y in years:
            year = {0: f"{int(y) - 1}-{y[2:]}", 1: y if i % 2 else f"{y} (Rev)", 2: f"{int(y) - 2}-{y[2:]}"}[kind]
            for a in areas:
                if n >= rows:
                    break
                r = rng.random()
                value = "-" if r < 0.05 else "c" if r < 0.07 else (f"{rng.random():.3E}" if kind == 1 else
                                                                 f"{rng.uniform(1, 120):.1f}")
                data["Short Desc"].append(f"Indicator {i}")
                data["Data item"].append(f"ITEM_{i:04d}")
                data["Years"].append(year)
                data["LA and Regions"].append(a.name)
                data["Values"].append(value)
                data["LA Number"].append(a.la)
                data["Region"].append(a.region_name)
                n += 1
    csv_path, parquet_path = folder / "lait.csv", folder / "lait.parquet"
    with open(csv_path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(list(data))
        w.writerows(zip(*data.values(), strict=True))
    pq.write_table(pa.table(data), parquet_path)
    return csv_path, parquet_path


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 640_000
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        csv_path, parquet_path = make_file(Path(tmp), rows)
        print(f"generated {rows:,} rows in {time.perf_counter() - start:.1f} s "
              f"(CSV {csv_path.stat().st_size / 1e6:.1f} MB, Parquet {parquet_path.stat().st_size / 1e6:.1f} MB)")
        for path in (csv_path, parquet_path):
            problems = Problems()
            start = time.perf_counter()
            table = read_table(path, problems, keep={"LA Number": ["838", "878"], "LA and Regions": ["ENGLAND"]},
                               any_of=True)
            read_s = time.perf_counter() - start
            start = time.perf_counter()
            raw, summary = convert_lait(path, "838", problems)
            convert_s = time.perf_counter() - start
            assert raw is not None and table is not None, problems.items[:5]
            start = time.perf_counter()
            build_framework(raw, problems)
            build_s = time.perf_counter() - start
            print(f"{path.suffix[1:]:8} read+filter {read_s:5.2f} s ({table.total:,} rows -> {len(table):,}); "
                  f"convert Dorset {convert_s:5.2f} s ({len(raw.observations):,} observations, "
                  f"{len(summary.series)} series); validate {build_s:5.2f} s")


if __name__ == "__main__":
    main()
