"""docs/periods.md cannot drift: its developer examples run as doctests, and every notation in its
tables is read as the table says (accepted notations, printed and short forms, previous/next/same
period last year, what is not a period)."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from outcomes.model.period import Period, PeriodError, PeriodKind

DOC = Path(__file__).resolve().parents[2] / "docs" / "periods.md"
TEXT = DOC.read_text(encoding="utf-8")
KINDS = {"Financial year": PeriodKind.FINANCIAL_YEAR, "Quarter": PeriodKind.QUARTER,
         "Quarter (calendar)": PeriodKind.QUARTER, "Calendar year": PeriodKind.CALENDAR_YEAR,
         "Academic year": PeriodKind.ACADEMIC_YEAR, "Month": PeriodKind.MONTH, "Date": PeriodKind.DATE,
         "Rolling window": PeriodKind.ROLLING}


def _section(heading: str) -> str:
    start = TEXT.index(heading)
    following = re.search(r"^#{2,3} ", TEXT[start + len(heading):], re.M)
    return TEXT[start:start + len(heading) + following.start()] if following else TEXT[start:]


def _table(section: str) -> list[list[str]]:
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def _code(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def test_the_developer_examples_run_as_doctests() -> None:
    parser = doctest.DocTestParser()
    test = parser.get_doctest(TEXT, {}, "docs/periods.md", str(DOC), 0)
    assert len(test.examples) >= 10
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


ACCEPTED = [(kind, text) for kind, cell, _ in _table(_section("## What you can write")) for text in _code(cell)]


@pytest.mark.parametrize("kind,text", ACCEPTED)
def test_every_accepted_notation_is_read_as_its_kind(kind: str, text: str) -> None:
    assert Period.parse(text).kind == KINDS[kind]


def test_the_accepted_notations_cover_every_kind() -> None:
    assert len(ACCEPTED) >= 45 and {KINDS[k] for k, _ in ACCEPTED} == set(PeriodKind)


KIND_TABLE = _table(TEXT[:TEXT.index("Quarters of the financial year")])


@pytest.mark.parametrize("row", KIND_TABLE, ids=[r[0] for r in KIND_TABLE])
def test_the_printed_and_short_forms(row: list[str]) -> None:
    name, printed, short = row[0], _code(row[2])[0], _code(row[3])[0]
    period = Period.parse(printed)
    assert period.kind.value == _code(name)[0]
    assert str(period) == printed and period.label("short") == short and Period.parse(short) == period


STEPS = _table(_section("## Previous, next and same period last year"))


@pytest.mark.parametrize("row", STEPS, ids=[r[0] for r in STEPS])
def test_previous_next_and_same_period_last_year(row: list[str]) -> None:
    period = Period.parse(_code(row[0])[0])
    assert [str(period.previous()), str(period.next()), str(period.same_period_last_year())] == [
        _code(cell)[0] for cell in row[1:4]]


NOT_PERIODS = [t for line in _section("### What is not a period").splitlines() if line.startswith("- **")
               for t in _code(line.split(". Write")[0])]  # not the suggestions after "Write"


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_what_is_not_a_period_is_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        Period.parse(text)


def test_the_refusals_are_listed() -> None:
    assert len(NOT_PERIODS) >= 10
