"""Fingertips (OHID public health profiles) data downloads → a dataset folder.

:func:`convert_fingertips` reads the CSV that Fingertips' "Export data" button gives (columns
``Indicator ID``, ``Indicator Name``, ``Parent Code``, ``Area Code``, ``Sex``, ``Age``, ``Category
Type``, ``Time period``, ``Value``, the 95% and 99.8% limits, ``Count``, ``Denominator``, ``Value
note``, ``Recent Trend``, ``Compared to England value or percentiles``, ...) and makes one series
per indicator (per sex and age where the download has several), for a home area, with England
(E92000001) and the home area's parent (its region) as benchmark rows.

* The published limits are kept. Where the value is a percentage or a crude rate of ``Count`` over
  ``Denominator`` (found from the figures, or declared in the metadata), the limits are recomputed —
  Wilson for percentages, exact Poisson below 10 events and Byar's from 10 for rates — and every
  disagreement beyond :data:`ABSOLUTE_TOLERANCE` / :data:`RELATIVE_TOLERANCE` is noted on the row
  and listed in the summary. Standardised rates (DSRs) and survey estimates are not recomputed.
* ``Recent Trend`` and ``Compared to England...`` are kept as the *published* statements of the
  latest period, mapped to our words (``getting better`` → improving, ``Better`` → better, ...).
* Polarity is not in the download: it comes from ``polarity`` (``{indicator id: polarity}``) or the
  metadata file; a series without one is described, not judged, and the summary says so.

Column mapping: ``docs/sources.md``.

>>> str(fingertips_period("2016 - 18")), str(fingertips_period("2017/18")), str(fingertips_period("2017/18 Q3"))
('36 months to December 2018', '2017-18', 'Q3 2017-18')
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from outcomes.model import Period, PeriodError, PeriodKind, Polarity
from outcomes.sources.areas import ENGLAND
from outcomes.sources.build import FORMAT
from outcomes.sources.problems import Problems
from outcomes.sources.raw import OBSERVATION_COLUMNS, RawDataset, Row
from outcomes.sources.table import format_number, read_cell, read_csv_file, slug
from outcomes.sources.textfiles import YamlRefused, load_yaml, utf8_fix
from outcomes.stats import proportion_interval, rate_interval

__all__ = [
    "ABSOLUTE_TOLERANCE",
    "FINGERTIPS_COLUMNS",
    "RELATIVE_TOLERANCE",
    "FingertipsSummary",
    "convert_fingertips",
    "fingertips_period",
    "read_metadata",
]

FINGERTIPS_COLUMNS = (
    "Indicator ID", "Indicator Name", "Parent Code", "Parent Name", "Area Code", "Area Name", "Area Type",
    "Sex", "Age", "Category Type", "Category", "Time period", "Value", "Lower CI 95.0 limit",
    "Upper CI 95.0 limit", "Lower CI 99.8 limit", "Upper CI 99.8 limit", "Count", "Denominator", "Value note",
    "Recent Trend", "Compared to England value or percentiles", "Compared to percentiles",
    "Time period Sortable", "New data", "Compared to goal", "Time period range",
)
REQUIRED = ("Indicator ID", "Indicator Name", "Area Code", "Area Name", "Time period", "Value")
LIMITS = {"lower95": "Lower CI 95.0 limit", "upper95": "Upper CI 95.0 limit",
          "lower998": "Lower CI 99.8 limit", "upper998": "Upper CI 99.8 limit"}
#: A published limit agrees with the recomputed one when it is within this much (in the unit of the value)...
ABSOLUTE_TOLERANCE = 0.05
#: ... or within this fraction of the recomputed limit, whichever is larger.
RELATIVE_TOLERANCE = 0.005
#: How close Value must be to Count / Denominator × multiplier for the multiplier to be taken as the unit.
UNIT_MATCH = 0.005
MULTIPLIERS = {100: "percentage", 1_000: "rate per 1000", 10_000: "rate per 10000", 100_000: "rate per 100000"}
METHODS = ("wilson", "byar", "none")


# ------------------------------------------------------------------------------------------ periods


def fingertips_period(text: str, *, kind: PeriodKind | None = None) -> Period:
    """A Fingertips ``Time period`` as a :class:`Period`.

    ``2018`` is a calendar year; ``2017/18`` a financial year (or academic, with ``kind``);
    ``2017/18 Q3`` a quarter; ``2016 - 18`` three calendar years (a 36-month rolling window);
    ``2015/16 - 17/18`` three financial years; anything else is read by :meth:`Period.parse`.

    >>> str(fingertips_period("2015/16 - 17/18")), str(fingertips_period("2017/18", kind=PeriodKind.ACADEMIC_YEAR))
    ('36 months to March 2018', 'AY 2017/18')
    """
    t = " ".join(text.split())
    if m := re.fullmatch(r"(\d{4}) ?- ?(\d{2}|\d{4})", t):
        first, last = int(m.group(1)), _full_year(m.group(1), m.group(2))
        if last > first:
            return Period.rolling(12 * (last - first + 1), last, 12)
    if m := re.fullmatch(r"(\d{4})/(\d{2}) ?- ?(\d{2}|\d{4})/(\d{2})", t):
        first = int(m.group(1))
        last = _full_year(m.group(1), m.group(3))
        if last > first:
            return Period.rolling(12 * (last - first + 1), last + 1, 3)
    if m := re.fullmatch(r"(\d{4})/(\d{2}) ?(Q[1-4])", t, re.I):
        return Period.parse(f"{m.group(3).upper()} {m.group(1)}-{m.group(2)}")
    if re.fullmatch(r"\d{4}/\d{2}", t):
        return Period.parse(t.replace("/", "-"), kind=kind or PeriodKind.FINANCIAL_YEAR)
    if re.fullmatch(r"\d{4}", t):
        return Period.parse(t, kind=kind or PeriodKind.CALENDAR_YEAR)
    return Period.parse(t, kind=kind)


def _full_year(first: str, digits: str) -> int:
    if len(digits) == 4:
        return int(digits)
    century = int(first) // 100 * 100
    year = century + int(digits)
    return year if year >= int(first) else year + 100


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
            elif key not in ("polarity", "method", "period_kind", "unit", "title", "definition"):
                problems.add(label, "", where, f"'{key}' is not an indicator setting.",
                             "use polarity, unit, period_kind, method, title or definition.")


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

    def lines(self) -> list[str]:
        out = [f"Home area: {self.home_name} ({self.home}); benchmarks: England ({ENGLAND.code})"
               + (f" and {self.region_name} ({self.region})." if self.region else ".")]
        for sid, n in self.series.items():
            out.append(f"{sid}: {n} home values; unit {self.units.get(sid, '')}.")
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


@dataclass
class _Obs:
    row: Row
    area: str
    period: Period
    values: dict[str, float | None]
    missing_reason: str
    note: str


def _numbers(row: Row, problems: Problems, header: list[str]) -> tuple[dict[str, float | None], str] | None:
    before = len(problems)
    out: dict[str, float | None] = {}
    reason = ""
    for key, column in (("value", "Value"), ("numerator", "Count"), ("denominator", "Denominator"), *LIMITS.items()):
        if column not in header:
            out[key] = None
            continue
        cell = read_cell(row.get(column), allow_percent=False)
        if cell.error:
            problems.add(row.file, row.location, column, cell.error + ".",
                         "Fingertips writes numbers, or leaves the cell empty; check the file was not edited.")
        out[key] = cell.value
        if key == "value" and cell.value is None and cell.missing_reason != "empty":
            reason = cell.missing_reason
    if len(problems) > before:
        return None
    return out, reason


def convert_fingertips(path: Path, area: str, problems: Problems, *,
                       polarity: dict[str, str] | None = None,
                       metadata: dict[str, dict[str, str]] | None = None,
                       organisation: str = "") -> tuple[RawDataset | None, FingertipsSummary]:
    """Read a Fingertips download and build ``area``'s dataset (None, with every problem, on any error)."""
    summary = FingertipsSummary()
    meta: dict[str, dict[str, str]] = {k: dict(v) for k, v in (metadata or {}).items()}
    for ind, pol in (polarity or {}).items():
        meta.setdefault(str(ind), {})["polarity"] = pol
    check_metadata(meta, "--polarity/--metadata", problems)
    label = Path(path).name
    header, rows = read_csv_file(path, problems, required=REQUIRED)
    if not header or any(c not in header for c in REQUIRED):
        return None, summary
    home = area.strip().upper()
    home_rows = [r for r in rows if r.get("Area Code").upper() == home]
    if not home_rows:
        codes = sorted({(r.get("Area Code"), r.get("Area Name")) for r in rows})
        problems.add(label, "", "Area Code", f"no row is for the area '{area}'.",
                     "give --area one of the file's area codes: "
                     + ", ".join(f"{c} ({n})" for c, n in codes[:15]) + ("..." if len(codes) > 15 else "") + ".")
        return None, summary
    summary.home, summary.home_name = home, home_rows[0].get("Area Name")
    parents = {r.get("Parent Code") for r in home_rows if r.get("Parent Code")}
    region = sorted(parents)[0] if parents else ""
    if len(parents) > 1:
        summary.notes.append(f"{summary.home_name} has several parent areas ({', '.join(sorted(parents))}); "
                             f"{region} is used as the region.")
    names = {r.get("Area Code"): r.get("Area Name") for r in rows}
    summary.region, summary.region_name = region, names.get(region, region)
    wanted = {home, ENGLAND.code} | ({region} if region else set())
    # -- choose the rows
    kept: dict[tuple[str, str, str], list[Row]] = {}
    for row in rows:
        if row.get("Category Type"):
            summary.skipped["inequality breakdowns (Category Type set)"] = summary.skipped.get(
                "inequality breakdowns (Category Type set)", 0) + 1
            continue
        if row.get("Area Code").upper() not in wanted:
            summary.skipped["other areas"] = summary.skipped.get("other areas", 0) + 1
            continue
        ind = row.get("Indicator ID")
        if not ind:
            problems.add(row.file, row.location, "Indicator ID", "the indicator id is empty.", "")
            continue
        kept.setdefault((ind, row.get("Sex"), row.get("Age")), []).append(row)
    by_indicator: dict[str, list[tuple[str, str]]] = {}
    for ind, sex, age in kept:
        by_indicator.setdefault(ind, []).append((sex, age))
    indicator_nodes: list[dict[str, Any]] = []
    out_rows: list[Row] = []
    latest: list[Period] = []
    for ind, groups in by_indicator.items():
        imeta = meta.get(ind, {})
        series_nodes = []
        sexes = {s for s, _ in groups}
        ages = {a for _, a in groups}
        for sex, age in groups:
            parts = ([slug(sex)] if len(sexes) > 1 else []) + ([slug(age)] if len(ages) > 1 else [])
            sid = "-".join([f"fingertips-{slug(ind)}", *parts])
            shown = ([sex] if len(sexes) > 1 else []) + ([age] if len(ages) > 1 else [])
            node, obs_rows, last = _series(sid, ind, sex, age, shown, kept[(ind, sex, age)], imeta,
                                           home, region, names, header, problems, summary)
            if node is None:
                continue
            series_nodes.append(node)
            out_rows.extend(obs_rows)
            if last is not None:
                latest.append(last)
        if not series_nodes:
            continue
        title = imeta.get("title") or kept[(ind, *groups[0])][0].get("Indicator Name")
        inode: dict[str, Any] = {"id": f"fingertips-{slug(ind)}", "number": f"{len(indicator_nodes) + 1:02d}",
                                 "title": title}
        if len(series_nodes) == 1 and series_nodes[0]["id"] == inode["id"]:
            inode.update({k: v for k, v in series_nodes[0].items() if k not in ("id", "title")})
        else:
            inode["series"] = series_nodes
        indicator_nodes.append(inode)
    if problems:
        return None, summary
    for i, r in enumerate(out_rows, start=2):
        r.number = i
    areas = [{"code": ENGLAND.code, "name": names.get(ENGLAND.code, ENGLAND.name)}]
    if region:
        areas.append({"code": region, "name": names.get(region, region)})
    framework = {
        "format": FORMAT,
        "organisation": organisation or summary.home_name,
        "area": {"code": home, "name": summary.home_name},
        "reporting_period": str(max(latest)) if latest else "",
        "report": {"title": f"Public health indicators: {summary.home_name}", "status": "draft"},
        "areas": areas,
        "outcomes": [{
            "id": "public-health",
            "title": "Public health",
            "introduction": f"Indicators from a Fingertips (OHID) data download ({label}), converted by "
                            "'outcomes convert fingertips'. Contains public sector information licensed under the "
                            "Open Government Licence v3.0.",
            "population_indicators": indicator_nodes,
        }],
    }
    if not latest:
        problems.add(label, "", "Value", f"no indicator has a value for {home}.", "check the download and --area.")
        return None, summary
    return RawDataset(framework=framework, framework_file="framework.yaml", observations=out_rows), summary


def _series(sid: str, ind: str, sex: str, age: str, split_parts: list[str], rows: list[Row], imeta: dict[str, str],
            home: str, region: str, names: dict[str, str], header: list[str], problems: Problems,
            summary: FingertipsSummary) -> tuple[dict[str, Any] | None, list[Row], Period | None]:
    before = len(problems)
    kind_hint = PeriodKind(imeta["period_kind"]) if imeta.get("period_kind") else None
    observations: dict[tuple[str, Period], _Obs] = {}
    kinds: dict[PeriodKind, Row] = {}
    for row in rows:
        try:
            period = fingertips_period(row.get("Time period"), kind=kind_hint)
        except PeriodError as exc:
            problems.add(row.file, row.location, "Time period", str(exc),
                         "give the indicator's period_kind in a --metadata file if the notation is unusual.")
            continue
        kinds.setdefault(period.kind, row)
        read = _numbers(row, problems, header)
        if read is None:
            continue
        values, reason = read
        area = row.get("Area Code").upper()
        key = (area, period)
        if key in observations:
            if observations[key].values != values:
                problems.add(row.file, row.location, "Time period",
                             f"{sid} has two different values for {area} in {row.get('Time period')} "
                             f"(see {observations[key].row.location}).", "keep one row per area and period.")
            else:
                summary.skipped["repeated rows (the same figures twice)"] = summary.skipped.get(
                    "repeated rows (the same figures twice)", 0) + 1
            continue
        note = row.get("Value note")
        if values["value"] is None:
            reason = reason or note or "no value in the Fingertips download"
            note = "" if reason == note else note
        observations[key] = _Obs(row, area, period, values, reason, note)
    if len(kinds) > 1:
        first, second = list(kinds.values())[:2]
        problems.add(second.file, second.location, "Time period",
                     f"indicator {ind} mixes kinds of period ('{first.get('Time period')}' and "
                     f"'{second.get('Time period')}').", "download one kind of period per indicator.")
    if len(problems) > before or not observations:
        return None, [], None
    kind = next(iter(kinds))
    unit, multiplier, method, how = _unit(list(observations.values()), imeta)
    summary.units[sid] = how
    title = imeta.get("title") or rows[0].get("Indicator Name")
    if split_parts:
        title = f"{title} ({', '.join(split_parts)})"
    out_rows: list[Row] = []
    for obs in sorted(observations.values(), key=lambda o: (o.area != home, o.area, o.period)):
        notes = [obs.note] if obs.note else []
        if method != "none" and multiplier:
            notes.extend(_check_intervals(sid, obs, multiplier, method, names, summary))
        v = obs.values
        out_rows.append(Row({c: "" for c in OBSERVATION_COLUMNS} | {
            "series": sid, "area": obs.area, "period": str(obs.period), "value": format_number(v["value"]),
            "numerator": format_number(v["numerator"]), "denominator": format_number(v["denominator"]),
            **{k: format_number(v[k]) for k in LIMITS}, "status": "final",
            "source": f"Fingertips indicator {ind} ({obs.row.file} {obs.row.location})",
            "note": " ".join(notes), "missing_reason": obs.missing_reason,
        }, "observations.csv", 0))
    home_obs = sorted((o for o in observations.values() if o.area == home), key=lambda o: o.period)
    with_value = [o for o in home_obs if o.values["value"] is not None]
    summary.series[sid] = len(with_value)
    node: dict[str, Any] = {"id": sid, "title": title, "unit": unit}
    if imeta.get("polarity"):
        node["polarity"] = imeta["polarity"]
    else:
        summary.unjudged.append(sid)
    node["period_kind"] = kind.value
    node["definition"] = imeta.get("definition") or (
        f"Fingertips indicator {ind}: {rows[0].get('Indicator Name')}; sex {sex or 'n/a'}, age {age or 'n/a'}.")
    node["source"] = ("Office for Health Improvement and Disparities, Fingertips public health profiles. Contains "
                      "public sector information licensed under the Open Government Licence v3.0.")
    comparators = [{"name": names.get(ENGLAND.code) or ENGLAND.name, "area": ENGLAND.code}]
    if region:
        comparators.append({"name": names.get(region, region), "area": region})
    node["comparators"] = comparators
    if with_value:
        last = with_value[-1]
        published: dict[str, Any] = {"latest": {"label": str(last.period), "value": last.values["value"],
                                                 "text": f"Fingertips time period '{last.row.get('Time period')}'"}}
        trend_text = last.row.get("Recent Trend")
        if trend_text:
            word = published_trend(trend_text)
            if word:
                published["trend"] = word
            published["trend_basis"] = f"Fingertips 'Recent Trend' for {last.row.get('Time period')}: {trend_text}"
            if not word and trend_text.lower().replace("&", "and") not in (
                    "increasing", "decreasing", "cannot be calculated", "could not be calculated"):
                summary.notes.append(f"{sid}: the Recent Trend '{trend_text}' is kept as text only.")
        comp_text = last.row.get("Compared to England value or percentiles")
        if comp_text:
            word = published_comparator(comp_text)
            if word:
                published["comparator"] = word
            published["comparator_text"] = (f"Fingertips 'Compared to England value or percentiles' for "
                                             f"{last.row.get('Time period')}: {comp_text}")
        node["published"] = published
    return node, out_rows, (with_value[-1].period if with_value else None)


def _unit(observations: list[_Obs], imeta: dict[str, str]) -> tuple[str, int | None, str, str]:
    """(unit, multiplier, interval method, how it was decided)."""
    if imeta.get("unit"):
        unit = imeta["unit"]
        words = unit.replace(",", "").split()
        multiplier = 100 if words[0] == "percentage" else next((int(w) for w in words if w.isdigit()), None)
        method = imeta.get("method") or ("wilson" if words[0] == "percentage" else "byar" if multiplier else "none")
        return unit, multiplier, method, f"{unit} (metadata); intervals {'not recomputed' if method == 'none' else method}"
    ratios = []
    for o in observations:
        v, n, d = o.values["value"], o.values["numerator"], o.values["denominator"]
        if v is not None and n and d and d > 0:
            ratios.append(v / (n / d))
    for mult, unit in MULTIPLIERS.items():
        close = [r for r in ratios if abs(r - mult) <= UNIT_MATCH * mult]
        if ratios and len(close) >= 0.8 * len(ratios):
            method = imeta.get("method") or ("wilson" if mult == 100 else "byar")
            return unit, mult, method, f"{unit} (Value = Count / Denominator × {mult:,}); intervals recomputed ({method})"
    why = ("Value is not Count / Denominator × a power of ten (a standardised rate or survey estimate?)"
           if ratios else "no Count and Denominator")
    return "number", None, "none", f"number ({why}; published intervals kept, not recomputed; set 'unit' in --metadata)"


def _check_intervals(sid: str, obs: _Obs, multiplier: int, method: str, names: dict[str, str],
                     summary: FingertipsSummary) -> list[str]:
    v = obs.values
    n, d = v["numerator"], v["denominator"]
    if n is None or d is None or d <= 0:
        return []
    notes = []
    where = f"{sid} {names.get(obs.area, obs.area)} {obs.period}"
    recomputed_value = n / d * multiplier
    if v["value"] is not None and not _agree(v["value"], recomputed_value):
        text = (f"Published value {v['value']:g} differs from Count/Denominator × {multiplier:,} = "
                f"{recomputed_value:.3f}.")
        notes.append(text)
        summary.interval_notes.append(f"{where}: {text}")
    for level, (lo, hi) in ((0.95, ("lower95", "upper95")), (0.998, ("lower998", "upper998"))):
        pub_low, pub_high = v[lo], v[hi]
        if pub_low is None or pub_high is None:
            continue
        if method == "wilson":
            _, low, high = proportion_interval(n, d, multiplier=multiplier, confidence=level)
            name = "Wilson"
        else:
            _, low, high = rate_interval(n, d, multiplier=multiplier, confidence=level)
            name = "exact Poisson" if n < 10 else "Byar's"
        low, high = float(low), float(high)
        if math.isnan(low) or math.isnan(high):
            continue
        if not (_agree(pub_low, low) and _agree(pub_high, high)):
            text = (f"Published {level:.1%} limits {pub_low:.2f} to {pub_high:.2f} differ from the {name} limits "
                    f"recomputed from Count and Denominator, {low:.2f} to {high:.2f}; the published limits are kept.")
            notes.append(text)
            summary.interval_notes.append(f"{where}: {text}")
    return notes


def _agree(published: float, recomputed: float) -> bool:
    return abs(published - recomputed) <= max(ABSOLUTE_TOLERANCE, RELATIVE_TOLERANCE * abs(recomputed)) + 1e-12
