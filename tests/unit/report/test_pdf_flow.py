"""The PDF never loses content: blocks taller than a page flow onto the next page instead of being clipped.

Given a framework built for it (two-year monthly series, a card with long definition and source notes,
long narrative), when it is rendered to PDF, then every value and every sentence of the dataset is in
the PDF's text. Before the fix, WeasyPrint clipped inline blocks taller than a page: 13 of 24 rows of a
monthly table and a card's notes vanished.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import normalise

MONTHS = ["April", "May", "June", "July", "August", "September", "October", "November", "December",
          "January", "February", "March"]


def _periods() -> list[str]:
    out = []
    for start in (2016, 2017):
        for i, month in enumerate(MONTHS):
            out.append(f"{month} {start if i < 9 else start + 1}")
    return out


def _sentences(what: str, n: int) -> list[str]:
    return [f"Sentence {i} of the {what} says something a reader must not lose" for i in range(1, n + 1)]


def _long_dataset(root: Path) -> dict[str, list[str]]:
    """Write the dataset and return what must survive into the PDF."""
    periods = _periods()
    ind_values = [f"{1000 + 37 * i:,}" for i in range(len(periods))]
    msr_values = [str(300 + 11 * i) for i in range(len(periods))]
    definition = _sentences("card definition", 25)
    source = _sentences("card source and licence note", 20)
    narrative = {title: _sentences(f"{title.lower()} narrative", 30)
                 for title in ("Story behind the baseline", "What we are doing")}

    def flat(lines: list[str]) -> str:
        return ". ".join(lines) + "."

    framework = f"""format: outcomes-tracker/1
organisation: Testshire County Council
area: {{code: E10000099, name: Testshire}}
reporting_period: March 2018
report:
  title: Long Content Report
  published: April 2018
  status: draft
  data_date: April 2018
areas:
  - {{code: E92000001, name: England}}
outcomes:
  - id: long
    title: Long
    population_indicators:
      - id: long-ind
        number: "01"
        title: Monthly referrals to the long service
        unit: count
        polarity: lower-is-better
        period_kind: month
        measures:
          - id: long-msr
            title: Monthly visits completed by the long service
            unit: count
            polarity: higher-is-better
            period_kind: month
            definition: "{flat(definition)}"
            source: "{flat(source)}"
"""
    (root / "framework.yaml").write_text(framework, encoding="utf-8")
    rows = ["series,area,period,value,status,source"]
    for p, a, b in zip(periods, ind_values, msr_values, strict=True):
        a = a.replace(",", "")
        rows.append(f"long-ind,E10000099,{p},{a},final,Testshire monthly return")
        rows.append(f"long-msr,E10000099,{p},{b},final,Testshire monthly return")
    (root / "observations.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (root / "risks.csv").write_text("id,title,score,trend,owner,indicators\n", encoding="utf-8")
    (root / "narrative").mkdir()
    body = "\n\n".join(f"## {title}\n\n" + " ".join(s + "." for s in lines) for title, lines in narrative.items())
    (root / "narrative" / "01-long.md").write_text(
        f"---\nsubject: long-ind\nperiod: March 2018\n---\n\n{body}\n", encoding="utf-8")
    return {"indicator values": ind_values, "measure values": msr_values, "definition": definition,
            "source": source, "narrative": [s for lines in narrative.values() for s in lines]}


@pytest.fixture(scope="module")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, dict[str, list[str]]]:
    from outcomes.report import render_pdf
    from outcomes.sources import load_dataset

    root = tmp_path_factory.mktemp("long")
    expected = _long_dataset(root)
    return render_pdf(load_dataset(root)), expected


def _text(pdf: bytes, tmp_path: Path) -> str:
    """The body text of every page, without the running header and footer lines (which would otherwise sit
    in the middle of a sentence that continues on the next page)."""
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is not installed: run scripts/install-system-deps.sh"
    path = tmp_path / "long.pdf"
    path.write_bytes(pdf)
    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    furniture = re.compile(r"^(Long|Long Content Report|LONG: .*|Page \d+ of \d+)$")
    return normalise("\n".join(line for line in raw.splitlines() if not furniture.match(line.strip())))


def test_every_value_and_sentence_reaches_the_pdf(long_pdf: tuple[bytes, Any], tmp_path: Path) -> None:
    pdf, expected = long_pdf
    text = _text(pdf, tmp_path)
    lost = {what: [x for x in items if normalise(x) not in text] for what, items in expected.items()}
    assert {what: items for what, items in lost.items() if items} == {}


def test_long_tables_repeat_their_header_row_on_the_next_page(long_pdf: tuple[bytes, Any]) -> None:
    from pypdf import PdfReader

    pages = [normalise(p.extract_text() or "") for p in PdfReader(io.BytesIO(long_pdf[0])).pages]
    assert len(pages) > 2  # the long content does not fit on one page after the cover and contents
    # the measure's monthly table is split across pages with its column headings on each part
    with_heading = [i for i, t in enumerate(pages) if "Monthly visits completed" in t and "Period" in t]
    assert with_heading
