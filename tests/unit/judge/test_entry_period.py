"""The period a figure falls due at the series' own pace (issue 16, item 2): a yearly snapshot at 31
March ("Rate of children in care", a month series with one figure a year) is next due the following
March, not the next month; a series that really is monthly still steps a month."""

from __future__ import annotations

from outcomes.judge import quality
from outcomes.judge.entry import entry_is_due, entry_period
from outcomes.model import (
    Area,
    Framework,
    Observation,
    Outcome,
    Period,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    Series,
    Unit,
)


def series(kind: PeriodKind, labels: list[str]) -> Series:
    s = Series(id="s", title="S", unit=Unit("rate", per=10000), polarity=Polarity.LOWER_IS_BETTER, period_kind=kind)
    s.observations = [Observation("s", "E1", Period.parse(p, kind=kind), 50.0 + i) for i, p in enumerate(labels)]
    return s


def test_a_yearly_month_snapshot_steps_a_year():
    s = series(PeriodKind.MONTH, ["March 2017", "March 2018"])
    assert quality.is_yearly_snapshot(s)
    assert str(quality.next_period(s, Period.parse("March 2018"))) == "March 2019"
    q1 = Period.parse("Q1 2018-19")
    assert str(entry_period(s, q1)) == "March 2019"
    assert not entry_is_due(entry_period(s, q1), q1)
    q4 = Period.parse("Q4 2018-19")
    assert str(entry_period(s, q4)) == "March 2019" and entry_is_due(entry_period(s, q4), q4)
    # a year later still without it: the March 2019 figure is behind, and due
    assert str(entry_period(s, Period.parse("Q1 2019-20"))) == "March 2019"


def test_a_dated_snapshot_steps_to_the_same_day_next_year():
    s = series(PeriodKind.DATE, ["31 March 2017", "31 March 2018"])
    assert str(quality.next_period(s, Period.parse("31 March 2018"))) == "31 March 2019"


def test_a_monthly_series_still_steps_a_month():
    s = series(PeriodKind.MONTH, ["January 2018", "February 2018", "March 2018"])
    assert not quality.is_yearly_snapshot(s)
    assert str(entry_period(s, Period.parse("Q1 2018-19"))) == "April 2018"


def test_a_yearly_snapshot_is_not_stale_within_its_year():
    s = series(PeriodKind.MONTH, ["March 2017", "March 2018"])
    outcome = Outcome(id="o", title="O", indicators=[PopulationIndicator(id="i", number="1", title="I",
                                                                         outcome_id="o", series=[s])])
    fw = Framework(organisation="", home_area=Area("E1", "E1"), reporting_period=Period.parse("Q2 2018-19"),
                   outcomes=[outcome])
    assert not [f for f in quality.run_checks(fw, codes=("stale-latest-value",))]
    late = Framework(organisation="", home_area=Area("E1", "E1"), reporting_period=Period.parse("Q1 2019-20"),
                     outcomes=[outcome])
    found = quality.run_checks(late, codes=("stale-latest-value",))
    assert found and found[0].values["expected_period"] == "March 2019"
