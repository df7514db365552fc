"""One observations.csv row as an :class:`~outcomes.model.Observation` (:func:`read_observation`), with
the import's rules: the series and period must exist and agree, numbers are numbers, a missing value
has its reason. The web form and the workbook check a lead officer's figure with the same function
(through ``outcomes.judge.entry``).
"""

from __future__ import annotations

from collections.abc import Mapping

from outcomes.model import (
    Observation,
    Period,
    PeriodError,
    Series,
)
from outcomes.sources.build_fields import _suggest, parse_number
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row


def read_observation(row: Row, series_by_id: Mapping[str, Series], home: str,
                     problems: Problems) -> Observation | None:
    """One observations.csv row as an Observation, or None with its problems added.

    The same rules for an import, a form and a data-collection workbook (``outcomes.judge.entry``).
    """
    add = problems.add
    before = len(problems)
    sid = row.get("series")
    series = series_by_id.get(sid)
    if not sid:
        add(row.file, row.location, "series", "the series id is empty.", "write the id of a series in framework.yaml.")
    elif series is None:
        add(row.file, row.location, "series", f"'{sid}' is not a series in framework.yaml.",
            "correct the id, or add the series to framework.yaml." + _suggest(sid, series_by_id))
    area = row.get("area")
    if not area:
        add(row.file, row.location, "area", "the area is empty.",
            f"write the area code (the home area is {home or 'set in framework.yaml'}).")
    period: Period | None = None
    ptext = row.get("period")
    if not ptext:
        add(row.file, row.location, "period", "the period is empty.", "write a period such as 'Q4 2017-18'.")
    elif series is not None:
        try:
            period = Period.parse(ptext, kind=series.period_kind)
        except PeriodError as exc:
            add(row.file, row.location, "period", str(exc),
                f"series {sid} is declared as {series.period_kind.value}; write its periods that way.")
    allow_pct = series is not None and series.unit.type == "percentage"
    numbers: dict[str, float | None] = {}
    for name in ("value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998"):
        text = row.get(name)
        if not text:
            numbers[name] = None
            continue
        try:
            numbers[name] = parse_number(text, allow_percent=allow_pct)
        except ValueError:
            fix = "write a plain number (no units or text)"
            if text.strip().lower() in ("x", "c", "z", "low", "..", ":", "n/a", "-"):
                fix = f"leave '{name}' empty and put the reason in 'missing_reason' (e.g. 'suppressed')"
            add(row.file, row.location, name, f"'{text}' is not a number.", fix + ".")
    status = row.get("status").lower() or "final"
    if status not in ("final", "provisional"):
        add(row.file, row.location, "status", f"'{row.get('status')}' is not a status.",
            "write final or provisional (or leave it empty for final).")
    if numbers.get("value") is None and not row.get("missing_reason") and not row.get("value"):
        add(row.file, row.location, "value", "the value is empty and no reason is given.",
            "write the value, or say why it is missing in 'missing_reason'.")
    den = numbers.get("denominator")
    if den is not None and den <= 0:
        add(row.file, row.location, "denominator", f"the denominator {den:g} is not positive.",
            "a denominator counts people or events, so it must be above zero.")
    for lo, hi in (("lower95", "upper95"), ("lower998", "upper998")):
        lv, hv = numbers.get(lo), numbers.get(hi)
        if (lv is None) != (hv is None):
            add(row.file, row.location, lo if lv is None else hi, "only one limit of the interval is given.",
                "give both limits or neither.")
        elif lv is not None and hv is not None and lv > hv:
            add(row.file, row.location, lo, f"the lower limit {lv:g} is above the upper limit {hv:g}.",
                "swap them.")
    if len(problems) > before or series is None or period is None:
        return None
    return Observation(
        series_id=sid, area=area, period=period, value=numbers["value"], numerator=numbers["numerator"],
        denominator=numbers["denominator"], lower95=numbers["lower95"], upper95=numbers["upper95"],
        lower998=numbers["lower998"], upper998=numbers["upper998"], status=status, source=row.get("source"),
        note=row.get("note"), missing_reason=row.get("missing_reason"), origin=f"{row.file} {row.location}",
    )
