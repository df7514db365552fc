"""Checking one figure as a lead officer enters it (a form, a data-collection workbook).

An entry is checked with the same rules as an import, so a figure cannot get in one way that
would be refused the other:

* **errors** refuse the entry: what ``observations.csv`` refuses (not a number, a period the
  series does not use, a denominator that is not positive, a value missing without a reason),
  and values that cannot be true: a percentage outside 0-100, a negative count, rate or
  percentage, a count that is not a whole number, a numerator above its denominator for a
  percentage;
* **warnings** need a note to proceed: the import's data-quality checks that look at a new
  figure (:mod:`outcomes.judge.quality`: ``repeated-value``, ``zero-after-non-zero``,
  ``large-movement-without-note``), run on the series as it would be with the figure in it, and
  kept only when they concern the new figure. They are found with the note left out, so an
  officer always sees them; the note is the explanation the reviewer reads.

>>> from outcomes.model import Observation, Period, PeriodKind, Polarity, Series, Unit
>>> s = Series(id="s", title="Rate", unit=Unit("percentage"), polarity=Polarity.HIGHER_IS_BETTER,
...            period_kind=PeriodKind.QUARTER)
>>> s.observations = [Observation("s", "E1", Period.parse(q), 50.0) for q in ("Q1 2017-18", "Q2 2017-18")]
>>> check = check_series_entry(s, {"period": "Q3 2017-18", "value": "120"}, home="E1")
>>> [p.message for p in check.errors]
['120% is outside 0–100.']
>>> check = check_series_entry(s, {"period": "Q3 2017-18", "value": "80"}, home="E1")
>>> [w.code for w in check.warnings], check.needs_note, check.accepted
(['large-movement-without-note'], True, False)
>>> check_series_entry(s, {"period": "Q3 2017-18", "value": "80", "note": "New team"}, home="E1").accepted
True
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field, replace

from outcomes.judge import quality
from outcomes.model import Area, Framework, Observation, Outcome, Period, PopulationIndicator, Series
from outcomes.sources.build import read_observation
from outcomes.sources.problems import Problem, Problems
from outcomes.sources.raw import Row

ENTRY_FIELDS = ("period", "value", "numerator", "denominator", "status", "note", "missing_reason")
WARNING_CHECKS = ("repeated-value", "zero-after-non-zero", "large-movement-without-note")


class _Located(Row):
    """A row whose location is given (a form field set, a workbook cell range) rather than numbered."""

    def __init__(self, values: dict[str, str], file: str, location: str) -> None:
        super().__init__(values, file, 0)
        self._location = location

    @property
    def location(self) -> str:  # type: ignore[override]
        return self._location


@dataclass
class EntryCheck:
    """What checking one entry found: the observation it makes (when no error), errors and warnings."""

    observation: Observation | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[quality.Finding] = field(default_factory=list)
    note: str = ""

    @property
    def needs_note(self) -> bool:
        return bool(self.warnings) and not self.note.strip()

    @property
    def accepted(self) -> bool:
        """No error, and every warning explained by a note."""
        return self.observation is not None and not self.errors and not self.needs_note


def _impossible(series: Series, obs: Observation, row: Row, problems: Problems) -> None:
    add = problems.add
    unit = series.unit.type
    v = obs.value
    if v is not None and not math.isfinite(v):
        add(row.file, row.location, "value", f"{v} is not a finite number.", "write a plain number.")
        return
    if v is not None and unit == "percentage" and not 0 <= v <= 100:
        add(row.file, row.location, "value", f"{v:g}% is outside 0–100.",
            "write the percentage as a number from 0 to 100 (e.g. 45.2 for 45.2%).")
    elif v is not None and v < 0 and unit in ("percentage", "count", "rate"):
        add(row.file, row.location, "value", f"a {unit} cannot be negative ({v:g}).", "correct the figure.")
    elif v is not None and unit == "count" and v != int(v):
        add(row.file, row.location, "value", f"a count must be a whole number ({v:g}).", "correct the figure.")
    num, den = obs.numerator, obs.denominator
    if num is not None and num < 0:
        add(row.file, row.location, "numerator", f"the numerator {num:g} is negative.", "correct the figure.")
    if num is not None and den is not None and den > 0 and num > den and unit == "percentage":
        add(row.file, row.location, "numerator", f"the numerator {num:g} is above the denominator {den:g}.",
            "a percentage's numerator counts part of its denominator: check the two figures.")


def check_series_entry(series: Series, fields: dict[str, str], *, home: str, file: str = "entry",
                       location: str = "", reporting: Period | None = None) -> EntryCheck:
    """Check one figure for ``series`` (home area): ``fields`` are strings named as in observations.csv.

    With ``reporting`` (the period being reported on), a figure for a period that has not begun by
    its end is refused too.
    """
    values = {k: str(fields.get(k) or "").strip() for k in ENTRY_FIELDS}
    values["series"] = series.id
    values["area"] = home
    row = _Located(values, file, location or series.id)
    problems = Problems()
    obs = read_observation(row, {series.id: series}, home, problems)
    if obs is not None:
        _impossible(series, obs, row, problems)
        if reporting is not None and obs.period.start > reporting.end:
            problems.add(row.file, row.location, "period", f"{obs.period} has not begun by the end of {reporting}.",
                         f"enter the figure for {reporting} or an earlier period.")
    if problems or obs is None:
        return EntryCheck(None, list(problems.items), note=values["note"])
    return EntryCheck(obs, [], _warnings(series, obs), note=values["note"])


def _warnings(series: Series, obs: Observation) -> list[quality.Finding]:
    """The data-quality findings the new figure raises, with its note left out."""
    trial = copy.copy(series)
    silent = replace(obs, note="")
    trial.observations = sorted([o for o in series.observations if o.period != obs.period] + [silent],
                                key=lambda o: o.period)
    outcome = Outcome(id="entry", title="entry", indicators=[
        PopulationIndicator(id="entry", number="", title="entry", outcome_id="entry", series=[trial])])
    fw = Framework(organisation="", home_area=Area(obs.area, obs.area), reporting_period=obs.period,
                   outcomes=[outcome])
    period = str(obs.period)
    found = quality.run_checks(fw, codes=WARNING_CHECKS)
    return [f for f in found if f.subject_id == series.id and _concerns(f, period)]


def _concerns(finding: quality.Finding, period: str) -> bool:
    """The finding is about the new figure: the run it ends, or the movement or zero it makes."""
    key = "to" if finding.code == "repeated-value" else "period"
    return finding.values.get(key) == period


def entry_period(series: Series, reporting: Period) -> Period | None:
    """The period a form or workbook offers for ``series`` when reporting on ``reporting``.

    The first missing period when figures are behind; the reporting period's own figure when it is
    in (entered this cycle: offered again so it can be edited); otherwise the next period, for a
    figure published early. Never an older existing period, so a figure typed in is not a silent
    correction of published history. Periods step at the series' own pace
    (:func:`outcomes.judge.quality.next_period`): a yearly snapshot at 31 March is next due in March
    of the following year, not the next month.

    >>> from outcomes.model import Observation, Period, PeriodKind, Polarity, Series, Unit
    >>> s = Series(id="cic", title="Rate of children in care", unit=Unit("rate", per=10000),
    ...            polarity=Polarity.LOWER_IS_BETTER, period_kind=PeriodKind.MONTH)
    >>> s.observations = [Observation("cic", "E1", Period.parse(m), v) for m, v in (("March 2017", 63),
    ...                                                                             ("March 2018", 59.4))]
    >>> print(entry_period(s, Period.parse("Q1 2018-19")))
    March 2019
    >>> print(entry_period(s, Period.parse("Q4 2018-19")))
    March 2019
    """
    latest = series.latest
    if latest is None:
        return None
    this = quality.expected_latest(series, reporting) or latest.period
    if latest.period < this:
        return quality.next_period(series, latest.period)
    if this.end >= reporting.start:
        return this
    return quality.next_period(series, this)


def entry_is_due(period: Period | None, reporting: Period) -> bool:
    """Whether a figure for ``period`` is due by the end of ``reporting`` (the period has ended by then)."""
    return period is not None and period.end <= reporting.end
