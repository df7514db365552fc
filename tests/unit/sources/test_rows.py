"""A series-table row's series and period, checked once for breakdowns.csv and inputs.csv."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from outcomes.data import EXAMPLE
from outcomes.model import Period, PeriodKind, Series
from outcomes.sources import load_dataset
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.rows import UNKNOWN_SERIES_FIX, row_period, row_series


@pytest.fixture(scope="module")
def series() -> Mapping[str, Series]:
    return load_dataset(EXAMPLE).series_by_id()


def _row(**values: str) -> Row:
    return Row(values, "breakdowns.csv", 7)


def test_a_known_series_and_its_period(series: Mapping[str, Series]) -> None:
    problems = Problems()
    found = row_series(_row(series="child-protection", period="2017/18"), series, problems)
    assert found is series["child-protection"]
    period = row_period(_row(series="child-protection", period="2017/18"), found, problems)
    assert period == Period.parse("2017-18", kind=PeriodKind.FINANCIAL_YEAR) and not problems.items


def test_an_unknown_series_names_row_column_and_the_fix_given(series: Mapping[str, Series]) -> None:
    problems = Problems()
    assert row_series(_row(series="nope"), series, problems) is None
    assert row_series(_row(series="nope"), series, problems, fix="add it with its method.") is None
    assert [(p.file, p.location, p.field, p.message, p.fix) for p in problems.items] == [
        ("breakdowns.csv", "row 7", "series", "'nope' is not a series in framework.yaml.", UNKNOWN_SERIES_FIX),
        ("breakdowns.csv", "row 7", "series", "'nope' is not a series in framework.yaml.", "add it with its method."),
    ]


@pytest.mark.parametrize(("text", "message"), [("", "the period is empty."), ("Q9 2017", "Q9")])
def test_a_bad_period_names_the_series_kind(series: Mapping[str, Series], text: str, message: str) -> None:
    problems = Problems()
    assert row_period(_row(series="children-in-need", period=text), series["children-in-need"], problems) is None
    [problem] = problems.items
    assert (problem.field, problem.location) == ("period", "row 7") and message in problem.message
    assert problem.fix == "series children-in-need is declared as quarter; write its periods that way."


def test_breakdowns_and_inputs_use_them(series: Mapping[str, Series]) -> None:
    from outcomes.sources.breakdowns import read_breakdowns
    from outcomes.sources.derived import derive_observations

    rows = [Row({"series": "nope"}, "t.csv", 2),
            Row({"series": "children-in-need", "area": "E06000059", "period": "Q9 2017"}, "t.csv", 3)]
    problems = Problems()
    read_breakdowns(rows, series, problems)
    assert [(p.location, p.field, p.fix) for p in problems.items][:2] == [
        ("row 2", "series", UNKNOWN_SERIES_FIX),
        ("row 3", "period", "series children-in-need is declared as quarter; write its periods that way."),
    ]
    problems = Problems()
    derive_observations(rows[:1], series, "E06000059", problems)
    assert [(p.location, p.field, p.fix) for p in problems.items] == [
        ("row 2", "series", "correct the id, or add the series (with its method) to framework.yaml.")]
