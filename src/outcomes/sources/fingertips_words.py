"""Fingertips' words: its periods, the metadata file, the conversion summary and the published
trend and comparator statements, as the converter reads them.

Moved from :mod:`outcomes.sources.fingertips` (which re-exports these names).

>>> str(fingertips_period("2016 - 18")), str(fingertips_period("2017/18")), str(fingertips_period("2017/18 Q3"))
('36 months to December 2018', '2017-18', 'Q3 2017-18')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from outcomes.model import Period, PeriodError, PeriodKind, Polarity
from outcomes.model.period import parse_published
from outcomes.sources.areas import ENGLAND
from outcomes.sources.bulk import LeftOut
from outcomes.sources.fingertips_files import ABSOLUTE_TOLERANCE, METHODS, RELATIVE_TOLERANCE
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.textfiles import YamlRefused, load_yaml, utf8_fix

# ------------------------------------------------------------------------------------------ periods


def fingertips_period(text: str, *, kind: PeriodKind | None = None) -> Period:
    """A Fingertips ``Time period`` as a :class:`Period`.

    ``2018`` is a calendar year; ``2017/18`` a financial year (or academic, with ``kind``);
    ``2017/18 Q3`` a quarter; ``2016 - 18`` three calendar years (a 36-month rolling window);
    ``2015/16 - 17/18`` three financial years; anything else is read by :meth:`Period.parse`.

    >>> str(fingertips_period("2015/16 - 17/18")), str(fingertips_period("2017/18", kind=PeriodKind.ACADEMIC_YEAR))
    ('36 months to March 2018', 'AY 2017/18')
    """
    return parse_published(text, kind=kind)[0]


def row_period(row: Row, kind: PeriodKind | None, problems: Problems) -> Period | None:
    """A Fingertips row's ``Time period``, or None with the problem reported against its cell."""
    try:
        return fingertips_period(row.get("Time period"), kind=kind)
    except PeriodError as exc:
        problems.add(row.file, row.location, "Time period", str(exc),
                     "give the indicator's period_kind in a --metadata file if the notation is unusual.")
        return None


# ----------------------------------------------------------------------------------------- metadata


def read_metadata(path: Path, problems: Problems) -> dict[str, dict[str, str]]:
    """Per-indicator metadata: ``indicators: {ID: {polarity, unit, period_kind, title, method}}``."""
    label = Path(path).name
    try:
        data = load_yaml(Path(path).read_text(encoding="utf-8-sig"), file=label)
    except UnicodeDecodeError:
        problems.add(label, "", "", "is not UTF-8 text.", utf8_fix(label))
        return {}
    except YamlRefused as exc:
        problems.add(label, exc.location, "", exc.message, exc.fix)
        return {}
    except (OSError, yaml.YAMLError) as exc:
        problems.add(label, "", "", f"cannot be read ({exc}).", "write it as YAML: 'indicators: {90284: {polarity: lower-is-better}}'.")
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("indicators"), dict):
        problems.add(label, "", "indicators", "has no 'indicators:' mapping.",
                     "write 'indicators:' then one 'ID: {polarity: ..., unit: ...}' per indicator.")
        return {}
    out: dict[str, dict[str, str]] = {}
    for key, node in data["indicators"].items():
        if not isinstance(node, dict):
            problems.add(label, "", f"indicators.{key}", "must be a set of 'name: value' entries.", "")
            continue
        out[str(key)] = {str(k): str(v) for k, v in node.items() if v is not None}
    check_metadata(out, label, problems)
    return out


def check_metadata(meta: dict[str, dict[str, str]], label: str, problems: Problems) -> None:
    polarities = tuple(p.value for p in Polarity)
    for ind, node in meta.items():
        for key, value in node.items():
            where = f"indicators.{ind}.{key}"
            if key == "polarity" and value not in polarities:
                problems.add(label, "", where, f"'{value}' is not a polarity.", f"use one of: {', '.join(polarities)}.")
            elif key == "method" and value not in METHODS:
                problems.add(label, "", where, f"'{value}' is not an interval method.", f"use one of: {', '.join(METHODS)}.")
            elif key == "period_kind":
                try:
                    PeriodKind(value)
                except ValueError:
                    problems.add(label, "", where, f"'{value}' is not a kind of period.",
                                 f"use one of: {', '.join(k.value for k in PeriodKind)}.")
            elif key not in ("polarity", "polarity_source", "method", "period_kind", "unit", "title", "definition"):
                problems.add(label, "", where, f"'{key}' is not an indicator setting.",
                             "use polarity, polarity_source, unit, period_kind, method, title or definition.")


# --------------------------------------------------------------------------------------- converting


@dataclass
class FingertipsSummary:
    """What the conversion did, for the command to print."""

    home: str = ""
    home_name: str = ""
    region: str = ""
    region_name: str = ""
    series: dict[str, int] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)  # series -> unit and how it was found
    unjudged: list[str] = field(default_factory=list)
    interval_notes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    breakdowns_left_out: dict[str, int] = field(default_factory=dict)  # "indicator 90366: Male, 65+ yrs" -> rows
    breakdowns: dict[str, int] = field(default_factory=dict)  # series -> rows by category (breakdowns.csv)
    left_out: LeftOut = field(default_factory=LeftOut)
    layout: str = ""
    reporting_period: str = ""

    def lines(self) -> list[str]:
        out = [f"Read as {self.layout}." if self.layout else "",
               f"Home area: {self.home_name} ({self.home}); benchmarks: England ({ENGLAND.code})"
               + (f" and {self.region_name} ({self.region})." if self.region else "."),
               f"Reporting period: {self.reporting_period} (the latest in the data unless --period)."]
        out = [line for line in out if line]
        if self.breakdowns_left_out:
            total = sum(self.breakdowns_left_out.values())
            out.append(f"Left out {total} rows of {len(self.breakdowns_left_out)} other breakdowns (keep them with "
                       "--breakdowns all, or name them: --breakdowns Male,Female):")
            items = sorted(self.breakdowns_left_out.items())
            out.extend(f"  {what} ({n} rows)" for what, n in items[:15])
            if len(items) > 15:
                out.append(f"  ... and {len(items) - 15} more.")
        for sid, n in self.series.items():
            out.append(f"{sid}: {n} home values; unit {self.units.get(sid, '')}.")
        for sid, n in self.breakdowns.items():
            out.append(f"{sid}: {n} rows by category (Fingertips' Category rows) written to breakdowns.csv.")
        if self.unjudged:
            out.append("No polarity given for " + ", ".join(self.unjudged) + ": these series are described, not "
                       "judged. Give one with --polarity ID=higher-is-better (or lower-is-better, no-judgement) "
                       "or in a --metadata file.")
        for reason, n in sorted(self.skipped.items()):
            out.append(f"Skipped {n} rows: {reason}.")
        out.extend(self.notes)
        if self.interval_notes:
            out.append(f"{len(self.interval_notes)} published figures disagree with those recomputed from Count and "
                       f"Denominator (tolerance {ABSOLUTE_TOLERANCE} or {RELATIVE_TOLERANCE:.1%}, whichever is larger); "
                       "the published ones are kept:")
            out.extend(f"  {n}" for n in self.interval_notes)
        else:
            out.append("Every published interval that could be recomputed agrees.")
        out.extend(self.left_out.lines())
        return out


TREND_MAP = (("getting better", "improving"), ("getting worse", "worsening"), ("no significant change", "similar"))
COMPARATOR_MAP = {"better": "better", "similar": "similar", "worse": "worse", "higher": "higher", "lower": "lower",
                  "not compared": "not compared"}


def published_trend(text: str) -> str:
    """Our trend word for a Fingertips ``Recent Trend`` ('' when it carries no judgement).

    >>> published_trend("Increasing & getting worse"), published_trend("No significant change"), published_trend("Increasing")
    ('worsening', 'similar', '')
    """
    t = text.lower().replace("&", "and")
    return next((word for key, word in TREND_MAP if key in t), "")


def polarity_from_trend(text: str) -> str:
    """The polarity a Fingertips ``Recent Trend`` implies ('' when it carries no direction and judgement).

    >>> polarity_from_trend("Increasing & getting worse"), polarity_from_trend("Decreasing and getting worse")
    ('lower-is-better', 'higher-is-better')
    >>> polarity_from_trend("No significant change"), polarity_from_trend("Increasing")
    ('', '')
    """
    t = text.lower().replace("&", "and")
    up, down = "increasing" in t, "decreasing" in t
    better, worse = "getting better" in t, "getting worse" in t
    if (up and better) or (down and worse):
        return Polarity.HIGHER_IS_BETTER.value
    if (up and worse) or (down and better):
        return Polarity.LOWER_IS_BETTER.value
    return ""


def polarity_from_rows(rows: list[Any]) -> tuple[str, str] | None:
    """(polarity, where it was read) from the indicator's rows, when their ``Recent Trend`` words agree."""
    found: dict[str, str] = {}
    for row in rows:
        text = row.get("Recent Trend") or ""
        pol = polarity_from_trend(text)
        if pol and pol not in found:
            found[pol] = (f"Fingertips 'Recent Trend' '{text}' for {row.get('Area Name') or row.get('Area Code')}, "
                          f"{row.get('Time period')}")
    if len(found) != 1:
        return None  # none, or contradictory: declare it
    return next(iter(found.items()))


def published_comparator(text: str) -> str:
    """Our comparator word for a Fingertips ``Compared to England value or percentiles`` statement.

    >>> published_comparator("Worse 95%"), published_comparator("Not compared"), published_comparator("Highest quintile")
    ('worse', 'not compared', '')
    """
    t = " ".join(text.lower().split())
    if t in COMPARATOR_MAP:
        return COMPARATOR_MAP[t]
    first = t.split(" ")[0] if t else ""
    return COMPARATOR_MAP.get(first, "") if first != "not" else ""

