"""Checking one entered figure: the import's rules (errors) and data-quality checks (warnings)."""

from __future__ import annotations

import pytest

from outcomes.judge.entry import check_series_entry
from outcomes.model import Observation, Period, PeriodKind, Polarity, Series, Unit


def _series(unit: str = "count", values: tuple[float, ...] = (10, 12, 11), per: int | None = None) -> Series:
    s = Series(id="s1", title="Referrals", unit=Unit(unit, per=per), polarity=Polarity.LOWER_IS_BETTER,
               period_kind=PeriodKind.QUARTER)
    periods = ["Q2 2017-18", "Q3 2017-18", "Q4 2017-18"][-len(values):] if values else []
    s.observations = [Observation("s1", "E1", Period.parse(p), v) for p, v in zip(periods, values, strict=True)]
    return s


def check(series: Series, **fields: str):  # type: ignore[no-untyped-def]
    return check_series_entry(series, {"period": "Q1 2018-19", **fields}, home="E1", file="form", location="row")


@pytest.mark.parametrize(("unit", "value", "message"), [
    ("percentage", "100.1", "outside 0–100"),
    ("percentage", "-1", "outside 0–100"),
    ("count", "-3", "cannot be negative"),
    ("rate", "-0.5", "cannot be negative"),
    ("count", "2.5", "whole number"),
    ("count", "ten", "is not a number"),
    ("count", "", "the value is empty"),
])
def test_impossible_values_are_errors(unit: str, value: str, message: str) -> None:
    result = check(_series(unit), value=value)
    assert not result.accepted and result.observation is None
    assert any(message in p.message for p in result.errors), [p.message for p in result.errors]
    assert all(p.file == "form" and p.location == "row" for p in result.errors)


def test_a_period_of_the_wrong_kind_is_refused() -> None:
    result = check_series_entry(_series(), {"period": "2018-19", "value": "3"}, home="E1")
    assert result.errors and result.errors[0].field == "period"


def test_numerator_above_denominator_for_a_percentage() -> None:
    result = check(_series("percentage", (50, 51, 52)), value="60", numerator="70", denominator="50")
    assert [p.field for p in result.errors] == ["numerator"]


def test_missing_value_with_a_reason_is_accepted() -> None:
    result = check(_series(), missing_reason="suppressed: fewer than 5")
    assert result.accepted and result.observation is not None and result.observation.value is None


@pytest.mark.parametrize(("values", "new", "code"), [
    ((10, 12, 12), "12", "repeated-value"),
    ((10, 12, 11), "0", "zero-after-non-zero"),
    ((10, 12, 11), "30", "large-movement-without-note"),
])
def test_suspicious_values_need_a_note(values: tuple[float, ...], new: str, code: str) -> None:
    result = check(_series(values=values), value=new)
    assert [w.code for w in result.warnings] == [code]
    assert result.needs_note and not result.accepted
    noted = check(_series(values=values), value=new, note="Explained")
    assert [w.code for w in noted.warnings] == [code]  # still shown to the reviewer
    assert noted.accepted


def test_an_ordinary_value_passes_without_a_note() -> None:
    result = check(_series(), value="12", status="provisional")
    assert result.accepted and not result.warnings
    assert result.observation is not None and result.observation.is_provisional


def test_old_runs_do_not_warn_about_a_new_figure() -> None:
    # 12, 12, 12 already repeated before the new period; a different new figure raises nothing
    result = check(_series(values=(12, 12, 12)), value="11")
    assert not result.warnings


def test_correcting_an_existing_period_replaces_it() -> None:
    s = _series(values=(10, 12, 11))
    result = check_series_entry(s, {"period": "Q4 2017-18", "value": "11.0"}, home="E1")
    assert result.accepted
    assert len(s.observations) == 3  # the series itself is untouched


def test_a_figure_for_a_period_not_begun_by_the_reporting_period_is_refused() -> None:
    reporting = Period.parse("Q1 2018-19")
    result = check_series_entry(_series(), {"period": "Q3 2018-19", "value": "3"}, home="E1", reporting=reporting)
    assert [p.field for p in result.errors] == ["period"] and "has not begun" in result.errors[0].message
    assert check_series_entry(_series(), {"period": "Q1 2018-19", "value": "11"}, home="E1",
                              reporting=reporting).accepted
