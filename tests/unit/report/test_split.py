"""Large frameworks (issue 13 item 5): ``outcomes report DATASET --out FOLDER --split outcome``.

Given a small framework of two outcomes (written here), when the report is split by outcome, then the
folder holds one PDF per outcome and an index.html that links each with its title and page count;
each part has the same pages and text as the report of that outcome alone (``--outcome ID``); bad
input gets a clear message, and a failed part leaves nothing behind.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import bs4
import pytest
from click.testing import CliRunner

from .conftest import normalise

OUTCOMES = {"healthy": "Healthy", "safe-roads": "Safe roads"}


def _dataset(root: Path) -> Path:
    years = ["2013-14", "2014-15", "2015-16", "2016-17", "2017-18"]
    blocks = []
    rows = ["series,area,period,value,status,source"]
    for n, (oid, title) in enumerate(OUTCOMES.items(), start=1):
        blocks.append(f"""  - id: {oid}
    title: {title}
    population_indicators:
      - id: {oid}-ind
        number: "0{n}"
        title: {title} indicator rate
        unit: {{type: rate, per: 1000}}
        polarity: lower-is-better
        period_kind: financial_year
        measures:
          - id: {oid}-msr
            title: {title} measure completed on time
            unit: percentage
            polarity: higher-is-better
            period_kind: financial_year
""")
        for i, y in enumerate(years):
            rows.append(f"{oid}-ind,E10000099,{y},{20 + 3 * n + i},final,Testshire return")
            rows.append(f"{oid}-msr,E10000099,{y},{60 + n + 2 * i},final,Testshire return")
    (root / "framework.yaml").write_text(f"""format: outcomes-tracker/1
organisation: Testshire County Council
area: {{code: E10000099, name: Testshire}}
reporting_period: 2017-18
report:
  title: Split Test Report
  published: April 2018
  status: draft
  data_date: April 2018
areas:
  - {{code: E92000001, name: England}}
outcomes:
{"".join(blocks)}""", encoding="utf-8")
    (root / "observations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "risks.csv").write_text("id,title,score,trend,owner,indicators\n", encoding="utf-8")
    return root


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [normalise(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(scope="module")
def split(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Any]:
    from outcomes.cli import main

    dataset = _dataset(tmp_path_factory.mktemp("two-outcomes"))
    out = tmp_path_factory.mktemp("out") / "parts"
    result = CliRunner().invoke(main, ["report", str(dataset), "--out", str(out), "--split", "outcome",
                                       "--jobs", "2"])
    assert result.exit_code == 0, result.output
    return dataset, out, result


def test_one_pdf_per_outcome_and_an_index_with_titles_and_pages(split: tuple[Path, Path, Any]) -> None:
    _, out, result = split
    assert sorted(p.name for p in out.iterdir()) == ["healthy.pdf", "index.html", "safe-roads.pdf"]
    soup = bs4.BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    rows = {r.select_one("th a")["href"]: (r.select_one("th a").get_text(strip=True), r.select("td")[-1].get_text())
            for r in soup.select("tbody tr")}
    assert set(rows) == {"healthy.pdf", "safe-roads.pdf"}
    for oid, title in OUTCOMES.items():
        name = f"{oid}.pdf"
        assert rows[name][0] == title
        pages = _pages((out / name).read_bytes())
        assert int(rows[name][1]) == len(pages)
        assert title in pages[0]  # the cover names the outcome
        other = next(t for o, t in OUTCOMES.items() if o != oid)
        assert not any(f"{other} indicator rate" in p for p in pages)  # the other outcome is not in this part
    assert "healthy.pdf" in result.output and "index.html" in result.output


def test_each_part_is_the_report_of_its_outcome_alone(split: tuple[Path, Path, Any]) -> None:
    from outcomes.report import render_pdf
    from outcomes.sources import load_dataset

    dataset, out, _ = split
    fw = load_dataset(dataset)
    for oid in OUTCOMES:
        alone = _pages(render_pdf(fw, outcome_id=oid))
        part = _pages((out / f"{oid}.pdf").read_bytes())
        assert part == alone


def test_bad_input_gets_a_clear_message_and_nothing_is_written(split: tuple[Path, Path, Any],
                                                               tmp_path: Path) -> None:
    from outcomes.cli import main

    dataset, _, _ = split
    runner = CliRunner()
    as_file = runner.invoke(main, ["report", str(dataset), "--out", str(tmp_path / "r.pdf"), "--split", "outcome"])
    assert as_file.exit_code != 0 and "names a folder" in as_file.output and "Traceback" not in as_file.output
    by_theme = runner.invoke(main, ["report", str(dataset), "--out", str(tmp_path / "t"), "--split", "theme"])
    assert by_theme.exit_code != 0 and "outcome" in by_theme.output
    jobs_alone = runner.invoke(main, ["report", str(dataset), "--out", str(tmp_path / "x.pdf"), "--jobs", "2"])
    assert jobs_alone.exit_code != 0 and "--jobs only applies with --split" in jobs_alone.output
    assert list(tmp_path.iterdir()) == []


def test_a_failed_part_leaves_nothing_behind(split: tuple[Path, Path, Any], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from outcomes.report import ReportError
    from outcomes.report import split as split_module
    from outcomes.sources import load_dataset

    dataset, _, _ = split
    # the second part is written into a folder that does not exist, so its worker fails after the first
    # part has been written into the staging folder
    monkeypatch.setattr(split_module, "_file_name",
                        lambda oid, taken: f"no-such-folder/{oid}.pdf" if oid == "safe-roads" else f"{oid}.pdf")
    target = tmp_path / "parts"
    with pytest.raises(ReportError, match=r"outcome 'safe-roads' \(Safe roads\) could not be made"):
        split_module.write_split(load_dataset(dataset), target, jobs=2)
    assert list(tmp_path.iterdir()) == []  # neither the folder nor the staging folder is left
