"""Benchmark: how fast, and in how little memory, hostile files are refused. Prints figures; not a test.

* a "billion laughs" framework.yaml (nine levels of nine aliases: 387 million values once expanded);
* an observations.csv whose header has a million columns that do not exist (a million problems);
* a workbook of 65-odd kB whose sheet holds one row of a million cells, declared and undeclared;
* the same workbook checked as a tracker upload (the returns workbook's limits).

Run: ``.venv/bin/python bench/bench_hostile_files.py``
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes.sources import DatasetError, collecting, load_dataset
from outcomes.sources.folder import read_folder
from outcomes.sources.problems import Problems
from outcomes.sources.spreadsheet import WorkbookLimits, WorkbookRefused, check_workbook
from outcomes.sources.workbook import write_workbook

EXAMPLE = BUNDLED_EXAMPLE
BOMB = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{','.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
RETURNS_LIMITS = WorkbookLimits(max_uncompressed=64 * 1024 * 1024, max_members=1000, max_cells=200_000,
                                what="returns workbook")


def measure(label: str, work: Callable[[], Any]) -> None:
    """Seconds (a plain run) and peak Python memory (a second run under tracemalloc, which is slower)."""
    start = time.perf_counter()
    outcome = work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        work()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(f"{label:<58} {seconds:7.2f} s {peak / 2**20:7.1f} MB peak  {outcome}")


def refused(path: Path, problems_file: Path | None = None) -> Callable[[], str]:
    def work() -> str:
        try:
            with collecting(problems_file) as problems:
                load_dataset(path, problems=problems)
        except DatasetError as exc:
            return f"refused: {exc.total:,} problem(s), {len(exc.problems)} kept, {len(exc.lines())} lines printed"
        return "loaded (not refused!)"
    return work


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="bench-hostile-"))
    try:
        bomb = work / "bomb"
        shutil.copytree(EXAMPLE, bomb)
        (bomb / "framework.yaml").write_text(BOMB + "outcomes: *i\n", encoding="utf-8")
        measure("billion-laughs framework.yaml", refused(bomb))

        columns = work / "columns"
        shutil.copytree(EXAMPLE, columns)
        obs = columns / "observations.csv"
        lines = obs.read_text(encoding="utf-8").splitlines()
        obs.write_text("\n".join([lines[0] + "," + ",".join(f"x{n}" for n in range(1_000_000)), *lines[1:]]) + "\n",
                       encoding="utf-8")
        print(f"(observations.csv with a million bad columns: {obs.stat().st_size / 2**20:.1f} MB)")
        measure("a million bad columns: outcomes check", refused(columns))
        measure("a million bad columns: outcomes check --problems FILE", refused(columns, work / "problems.csv"))
        print(f"(problems file: {(work / 'problems.csv').stat().st_size / 2**20:.1f} MB)")

        raw = read_folder(EXAMPLE, Problems())
        assert raw is not None
        for declare in (True, False):
            book = work / f"million-{declare}.xlsx"
            write_workbook(raw, book)
            source = zipfile.ZipFile(io.BytesIO(book.read_bytes()))
            with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
                for info in source.infolist():
                    data = source.read(info.filename)
                    if info.filename == "xl/worksheets/sheet9.xml":  # Observations
                        if declare:
                            data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:ALNQ5000"', data)
                        data = data.replace(b"</sheetData>", b'<row r="5000">' + b"<c><v>1</v></c>" * 1_000_000
                                            + b"</row></sheetData>")
                    z.writestr(info.filename, data)
            what = "declared" if declare else "undeclared"
            print(f"(workbook with a million-cell row, {what}: {book.stat().st_size / 1024:.0f} kB)")
            measure(f"million-cell row ({what}): outcomes check book.xlsx", refused(book))

            def upload(content: bytes = book.read_bytes()) -> str:
                try:
                    check_workbook(content, name="upload.xlsx", limits=RETURNS_LIMITS)
                except WorkbookRefused as exc:
                    return "refused: " + exc.message[:60] + "..."
                return "accepted (not refused!)"

            measure(f"million-cell row ({what}): tracker upload check", upload)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
