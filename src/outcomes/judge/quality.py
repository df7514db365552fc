"""Data-quality checks: the slips a real monitoring report contains, found before a committee does.

Each check has a stable code, a severity (``error``, ``warning``, ``info``) and names its subject by
id and title, with the figures involved. ``docs/checks.md`` lists them all.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from outcomes.model import Framework, Period, PeriodKind, Polarity, Series

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    subject_id: str
    subject_title: str
    message: str
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def subject(self) -> str:
        return f"{self.subject_id}: {self.subject_title}" if self.subject_title else self.subject_id

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "subject": self.subject,
            "subject_id": self.subject_id,
            "subject_title": self.subject_title,
            "message": self.message,
            "values": self.values,
        }


@dataclass(frozen=True)
class Check:
    code: str
    severity: str
    title: str
    run: Callable[[Framework], Iterator[Finding]]


CHECKS: dict[str, Check] = {}


def check(code: str, severity: str, title: str) -> Callable[[Callable[[Framework], Iterator[Finding]]], Check]:
    def register(fn: Callable[[Framework], Iterator[Finding]]) -> Check:
        c = Check(code, severity, title, fn)
        CHECKS[code] = c
        return c

    return register


def _fmt(series: Series, value: float | None) -> str:
    return series.unit.format(value)



# -------------------------------------------------------------------------------------------------
@check("headline-disagrees-with-series", "error", "A printed previous or latest figure disagrees with the series")
def _headline_disagrees(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        for name, headline in (("previous", s.published.previous), ("latest", s.published.latest),
                               *(("earlier", h) for h in s.published.extra)):
            if headline is None or headline.value is None or headline.period is None:
                continue
            obs = s.at(headline.period)
            if obs is None or obs.value is None or not headline.period.is_like_for_like(obs.period):
                continue
            if abs(obs.value - headline.value) > 1e-9 * max(1.0, abs(obs.value)):
                holder = [o.period for o in s.observed() if abs((o.value or 0) - headline.value) < 1e-9]
                where = f" ({_fmt(s, headline.value)} is the series' value for {holder[0]})" if holder else ""
                yield Finding(
                    "headline-disagrees-with-series", "error", s.id, s.title,
                    f"The {name} figure is printed as {_fmt(s, headline.value)} for {headline.label}, but the "
                    f"series gives {_fmt(s, obs.value)} for {obs.period}{where}.",
                    {"headline": name, "label": headline.label, "printed": headline.value,
                     "series_value": obs.value, "period": str(obs.period)},
                )


@check("repeated-value", "warning", "The same value three or more periods running (suspected copy-forward)")
def _repeated(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        obs = s.observed()
        run_start = 0
        for i in range(1, len(obs) + 1):
            if i < len(obs) and obs[i].value == obs[run_start].value:
                continue
            length = i - run_start
            if length >= 3:
                first, last = obs[run_start], obs[i - 1]
                yield Finding(
                    "repeated-value", "warning", s.id, s.title,
                    f"{_fmt(s, first.value)} is repeated for {length} consecutive periods, {first.period} to "
                    f"{last.period}: check the figures were not carried forward without new data.",
                    {"value": first.value, "periods": length, "from": str(first.period), "to": str(last.period)},
                )
            run_start = i


@check("percentage-out-of-range", "error", "A percentage below 0 or above 100")
def _percentages(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        if s.unit.type != "percentage":
            continue
        for o in s.observations + [o for lst in s.benchmark_observations.values() for o in lst]:
            if o.value is not None and not 0 <= o.value <= 100:
                yield Finding("percentage-out-of-range", "error", s.id, s.title,
                              f"{o.value:g}% for {o.area} in {o.period} is outside 0–100.",
                              {"value": o.value, "period": str(o.period), "area": o.area, "origin": o.origin})


_PERCENT = re.compile(r"(?<![\d.])(\d{3,}(?:\.\d+)?)\s?%")


@check("narrative-percentage-over-100", "warning", "Narrative quotes a percentage above 100")
def _narrative_percentages(fw: Framework) -> Iterator[Finding]:
    for ind in fw.indicators():
        for n in ind.narrative:
            for title, text in n.blocks():
                for m in _PERCENT.finditer(text):
                    if float(m.group(1)) > 100:
                        yield Finding("narrative-percentage-over-100", "warning", ind.id, ind.title,
                                      f"'{title}' quotes {m.group(0)}: a share cannot exceed 100%; say what it "
                                      "is a percentage of, or correct it.",
                                      {"value": float(m.group(1)), "section": title, "file": n.origin})


def is_yearly_snapshot(series: Series) -> bool:
    """Whether a monthly or dated series is in fact a yearly figure at a fixed date (a snapshot such as
    "children in care at 31 March"): its latest two figures are the same month (or day) a year apart.

    Such a series steps a year at a time, not a month or a day: after March 2018 the next figure due
    is March 2019.
    """
    if series.period_kind not in (PeriodKind.MONTH, PeriodKind.DATE):
        return False
    latest, previous = series.latest, series.previous
    if latest is None or previous is None:
        return False
    return previous.period.kind is latest.period.kind and previous.period == latest.period.same_period_last_year()


def next_period(series: Series, period: Period) -> Period:
    """The period after ``period`` at the series' own pace: a year on for a yearly snapshot, else the next."""
    if is_yearly_snapshot(series) and period.kind in (PeriodKind.MONTH, PeriodKind.DATE):
        return period.shift(12) if period.kind is PeriodKind.MONTH else _year_on(period)
    return period.next()


def _year_on(day: Period) -> Period:
    """The same date a year later (28 February after a 29 February)."""
    year, month = day.start.year + 1, day.start.month
    return Period.snapshot(datetime.date(year, month, min(day.start.day, calendar.monthrange(year, month)[1])))


def expected_latest(series: Series, reporting: Period) -> Period | None:
    """The most recent period at the series' pace (:func:`next_period`) that had ended when the
    reporting period ended."""
    latest = series.latest
    if latest is None:
        return None
    candidate = latest.period
    while next_period(series, candidate).end <= reporting.end:
        candidate = next_period(series, candidate)
    return candidate


@check("stale-latest-value", "warning", "The latest value is older than the reporting period allows")
def _stale(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        latest = s.latest
        expected = expected_latest(s, fw.reporting_period)
        if latest is None or expected is None or expected == latest.period:
            continue
        behind = latest.period.steps_between(expected) or 0
        yield Finding(
            "stale-latest-value", "warning", s.id, s.title,
            f"The latest value is for {latest.period}, but this report covers {fw.reporting_period}: "
            f"{behind} period{'s' if behind != 1 else ''} behind (expected {expected}).",
            {"latest_period": str(latest.period), "expected_period": str(expected),
             "reporting_period": str(fw.reporting_period), "periods_behind": behind},
        )


@check("future-or-incomplete-period", "error", "A printed period had not ended when the report was written")
def _incomplete(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        for name, headline in (("previous", s.published.previous), ("latest", s.published.latest)):
            if headline is None or headline.period is None:
                continue
            if headline.period.end > fw.reporting_period.end:
                data = s.latest.period if s.latest else None
                yield Finding(
                    "future-or-incomplete-period", "error", s.id, s.title,
                    f"The {name} figure is labelled '{headline.label}' ({headline.period.label('dates')}), which "
                    f"had not ended by the end of the reporting period {fw.reporting_period}"
                    + (f"; the data are for {data}" if data else "") + ". Label the period the figure covers.",
                    {"headline": name, "label": headline.label, "label_period_end": str(headline.period.end),
                     "reporting_period": str(fw.reporting_period), "data_period": str(data) if data else None},
                )


@check("period-label-mismatch", "warning", "A printed period label is not the period of the data")
def _label_mismatch(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        for name, headline in (("previous", s.published.previous), ("latest", s.published.latest)):
            if headline is None or headline.value is None:
                continue
            matching = [o for o in s.observed() if abs((o.value or 0) - headline.value) < 1e-9]
            if headline.period is not None and s.at(headline.period) is not None:
                continue
            if headline.period is not None and headline.period.end > fw.reporting_period.end:
                continue  # reported as future-or-incomplete-period
            if len(matching) == 1:
                yield Finding(
                    "period-label-mismatch", "warning", s.id, s.title,
                    f"The {name} figure {_fmt(s, headline.value)} is labelled '{headline.label}', but the data "
                    f"give it for {matching[0].period}.",
                    {"headline": name, "label": headline.label, "data_period": str(matching[0].period)},
                )


@check("unlike-periods", "warning", "Previous and latest are not like-for-like")
def _unlike(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        prev, latest = s.published.previous, s.published.latest
        if prev and latest and prev.period and latest.period and not prev.period.is_like_for_like(latest.period):
            yield Finding("unlike-periods", "warning", s.id, s.title,
                          f"The printed previous ({prev.label}) and latest ({latest.label}) are different kinds "
                          "of period, so they cannot be compared.",
                          {"previous": prev.label, "latest": latest.label})
        obs_prev, obs_latest = s.previous, s.latest
        if obs_prev and obs_latest:
            gap = obs_prev.period.steps_between(obs_latest.period)
            for brk in s.breaks:
                if obs_prev.period < brk <= obs_latest.period:
                    yield Finding("unlike-periods", "warning", s.id, s.title,
                                  f"The definition changed from {brk}: {obs_prev.period} and {obs_latest.period} "
                                  "are not directly comparable.",
                                  {"break": str(brk), "previous": str(obs_prev.period),
                                   "latest": str(obs_latest.period)})
            annual = obs_prev.period == obs_latest.period.same_period_last_year()
            if gap is not None and gap > 1 and not annual and s.published.trend_basis == "":
                yield Finding("unlike-periods", "info", s.id, s.title,
                              f"Previous ({obs_prev.period}) and latest ({obs_latest.period}) are {gap} periods "
                              "apart; the periods between are missing.",
                              {"previous": str(obs_prev.period), "latest": str(obs_latest.period), "gap": gap})


def framework_counts(fw: Framework) -> dict[str, int]:
    return {
        "outcomes": len(fw.outcomes),
        "population_indicators": len(list(fw.indicators())),
        "series": len(list(fw.all_series())),
        "performance_measures": len(list(fw.measures())),
        "risks": len(fw.risks),
    }


@check("stated-count-mismatch", "error", "A count in the executive summary disagrees with the framework")
def _counts(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        summary = outcome.published_summary
        actual = {
            "population indicators": len(outcome.indicators),
            "performance measures": len(list(outcome.measures())),
            "risks": len([r for r in fw.risks if r.outcome_id in ("", outcome.id)]),
        }
        measure_series = len([s for s in outcome.all_series() if s.kind == "performance_measure"])
        stated = {
            "population indicators": summary.population_indicators,
            "performance measures": summary.performance_measures,
            "risks": summary.risks,
        }
        for what, number in stated.items():
            if number is None or number == actual[what]:
                continue
            extra = ""
            if what == "performance measures":
                extra = f" ({measure_series} counting each series of a measure separately)"
                if number == measure_series:
                    continue
            yield Finding(
                "stated-count-mismatch", "error", outcome.id, outcome.title,
                f"The executive summary states {number} {what}, but the sections contain {actual[what]}{extra}.",
                {"what": what, "stated": number, "found": actual[what]},
            )


_STOP = {"a", "an", "the", "of", "to", "in", "on", "for", "and", "or", "no", "number", "percentage", "per",
         "rate", "who", "have", "has", "been", "be", "become", "by", "via", "with", "what", "is", "are", "that"}


def _words(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("-", " "))
    return {w[:6] for w in words if w not in _STOP and not (len(w) == 1 and not w.isdigit())}


def match_title(item: str, candidates: Iterable[tuple[str, str]]) -> str | None:
    """The id of the candidate (id, title) whose title covers at least half the item's words.

    Words are compared on their first six letters, ignoring small words ("no.", "of", "per").

    >>> match_title("Adult Safeguarding", [("x", "Total crime"), ("a", "The number of adult safeguarding concerns")])
    'a'
    >>> match_title("Roads in need of maintenance", [("s", "Percentage roads with skidding resistance")]) is None
    True
    """
    wanted = _words(item)
    if not wanted:
        return None
    best: tuple[float, str] | None = None
    for ident, title in candidates:
        have = _words(title) | _words(ident)
        score = len(wanted & have) / len(wanted)
        if score >= 0.5 and (best is None or score > best[0]):
            best = (score, ident)
    return best[1] if best else None


def match_risk(item: str, risks: Iterable[tuple[str, str]]) -> str | None:
    head = re.split(r"\s+[-–—]\s+|\s+", item.strip(), maxsplit=1)[0].lower()
    for ident, _ in risks:
        if ident.lower() == head:
            return ident
    return match_title(item, risks)


@check("focus-item-unmatched", "warning", "A focus item in the executive summary matches nothing in the framework")
def _focus_unmatched(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        summary = outcome.published_summary
        indicators = [(i.id, i.title) for i in outcome.indicators] + [
            (s.id, s.title) for i in outcome.indicators for s in i.series]
        measures = [(m.id, m.title) for m in outcome.measures()] + [
            (s.id, s.title) for m in outcome.measures() for s in m.series]
        risks = [(r.id, r.title) for r in fw.risks if r.outcome_id in ("", outcome.id)]
        for kind, items, pool, matcher in (
            ("indicators", summary.focus_indicators, indicators, match_title),
            ("measures", summary.focus_measures, measures, match_title),
            ("risks", summary.focus_risks, risks, match_risk),
        ):
            for item in items:
                if matcher(item, pool) is None:
                    yield Finding("focus-item-unmatched", "warning", outcome.id, outcome.title,
                                  f"The suggested {kind} for focus include '{item}', which matches no "
                                  f"{kind[:-1]} in the framework.", {"list": kind, "item": item})


@check("missing-polarity", "warning", "A series has no declared polarity")
def _polarity(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        if s.polarity is None:
            yield Finding("missing-polarity", "warning", s.id, s.title,
                          "No polarity is declared, so the series is described but not judged. Declare "
                          "higher-is-better, lower-is-better or no-judgement.", {})


@check("polarity-unconfirmed", "warning", "A polarity taken from a source that nobody has confirmed")
def _polarity_unconfirmed(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        if s.polarity_unconfirmed:
            yield Finding("polarity-unconfirmed", "warning", s.id, s.title,
                          f"The polarity '{s.polarity}' was taken from {s.polarity_source}, and nobody has "
                          "confirmed it: check which direction is better for this council, then add "
                          "'polarity_confirmed: <name, date>' to the series in framework.yaml (or declare the "
                          "polarity yourself and remove 'polarity_source').",
                          {"polarity": str(s.polarity), "source": s.polarity_source})


@check("zero-after-non-zero", "warning", "A zero follows a non-zero value")
def _zero(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        obs = s.observed()
        for a, b in zip(obs, obs[1:], strict=False):
            if a.value and b.value == 0 and not b.note:
                yield Finding("zero-after-non-zero", "warning", s.id, s.title,
                              f"{b.period} is 0 after {_fmt(s, a.value)} in {a.period}, with no note: check the "
                              "figure is a true zero, not a missing return.",
                              {"previous": a.value, "previous_period": str(a.period), "period": str(b.period)})


LARGE_MOVEMENT = 0.25


@check("large-movement-without-note", "info", "A large movement between periods with no note")
def _large(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        obs = s.observed()
        for a, b in zip(obs, obs[1:], strict=False):
            if a.value and b.value and not b.note and abs(b.value - a.value) / abs(a.value) >= LARGE_MOVEMENT:
                change = (b.value - a.value) / abs(a.value)
                yield Finding("large-movement-without-note", "info", s.id, s.title,
                              f"{_fmt(s, a.value)} in {a.period} to {_fmt(s, b.value)} in {b.period} is a change of "
                              f"{change:+.0%} with no note on the figure.",
                              {"previous": a.value, "latest": b.value, "change": round(change, 4),
                               "period": str(b.period)})


@check("comparator-without-period", "warning", "A benchmark figure has no period")
def _comparator_period(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        for c in s.comparators:
            if c.value is not None and c.period is None and not s.benchmark_observations.get(c.area):
                yield Finding("comparator-without-period", "warning", s.id, s.title,
                              f"The {c.name} figure {_fmt(s, c.value)} has no period, so nobody can tell whether it "
                              "matches the period of the value it is compared with.",
                              {"comparator": c.name, "value": c.value})


@check("risk-trend-wording", "info", "A risk trend uses a word outside the report's key")
def _risk_words(fw: Framework) -> Iterator[Finding]:
    words = fw.report.key_risk_trend if fw.report.key_risk_trend is not None else (
        "IMPROVING", "UNCHANGED", "WORSENING")
    key = {w.upper() for w in words}
    for r in fw.risks:
        if r.trend_as_published and r.trend_as_published.upper() not in key:
            yield Finding("risk-trend-wording", "info", r.id, r.title,
                          f"The trend is printed as '{r.trend_as_published}'; the key uses {', '.join(words)}. "
                          f"Read as '{r.trend}'.", {"printed": r.trend_as_published, "read_as": r.trend})


@check("provisional-latest", "info", "The latest value is provisional")
def _provisional(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        if s.latest and s.latest.is_provisional:
            yield Finding("provisional-latest", "info", s.id, s.title,
                          f"The latest value ({_fmt(s, s.latest.value)}, {s.latest.period}) is provisional and may "
                          "change.", {"period": str(s.latest.period)})


@check("published-trend-contradicts", "error", "A published trend word contradicts the data")
def _published_trend(fw: Framework) -> Iterator[Finding]:
    yield from _published_words(fw, "trend")


@check("published-comparator-contradicts", "error", "A published comparator word contradicts the data")
def _published_comparator(fw: Framework) -> Iterator[Finding]:
    yield from _published_words(fw, "comparator")


_TREND_SYNONYMS = {"declining": "worsening", "improved": "improving"}


def _published_words(fw: Framework, which: str) -> Iterator[Finding]:
    from outcomes.judge import judge_framework

    judged = _judged_cache(fw, judge_framework)
    for sj in judged.series:
        s = sj.series
        published = s.published.trend if which == "trend" else s.published.comparator
        published = _TREND_SYNONYMS.get(published, published)
        if not published or published in ("no data", "not compared"):
            continue
        judgement = sj.trend if which == "trend" else sj.comparator
        computed = judgement.word
        declared = s.published.trend_method if which == "trend" else s.published.comparator_method
        if declared and declared != judgement.method and computed != published:
            yield from _method_difference(s, sj, which, published, declared, judgement)
            continue
        if computed in ("not assessed", "not compared") or computed == published:
            continue
        if which == "trend" and (basis := _published_basis_word(fw, s)) is not None and basis[0] == published:
            yield Finding(
                "published-trend-basis", "info", s.id, s.title,
                f"The report's '{published}' compares {basis[1]} ({s.published.trend_basis}); against the "
                f"previous period the figures say '{computed}': {judgement.reason}",
                {"published": published, "computed": computed, "basis": s.published.trend_basis},
            )
            continue
        yield Finding(
            f"published-{which}-contradicts", "error", s.id, s.title,
            f"The report says '{published}' but the figures say '{computed}': {judgement.reason}",
            {"published": published, "computed": computed, "method": judgement.method,
             "reason": judgement.reason},
        )


def _method_difference(s: Series, sj: Any, which: str, published: str, declared: str,
                       judgement: Any) -> Iterator[Finding]:
    """A published word made by another method: info, unless plain arithmetic contradicts it."""
    from outcomes.judge.method import METHODS

    arithmetic = _arithmetic_contradiction(s, sj, which, published)
    theirs = METHODS.get(declared, declared)
    ours = judgement.method_label or judgement.method
    if arithmetic:
        yield Finding(
            f"published-{which}-contradicts", "error", s.id, s.title,
            f"The report says '{published}' ({theirs}), and whatever the method, the figures contradict it: "
            f"{arithmetic}",
            {"published": published, "computed": judgement.word, "published_method": declared,
             "method": judgement.method, "arithmetic": arithmetic},
        )
        return
    yield Finding(
        f"published-{which}-method-differs", "info", s.id, s.title,
        f"The source says '{published}' by {theirs}; this report's judgement is '{judgement.word}' by "
        f"{ours}. A difference of method, not a contradiction: {judgement.reason}",
        {"published": published, "computed": judgement.word, "published_method": declared,
         "method": judgement.method},
    )


_GOOD = {"improving": 1, "worsening": -1, "better": 1, "worse": -1}


def _arithmetic_contradiction(s: Series, sj: Any, which: str, published: str) -> str:
    """Why the published word cannot hold under the declared polarity, whatever the method ('' if it can).

    A trend word is contradicted when the values moved the other way over the points the publisher's
    test uses (the latest five at most) and every step went that way; a comparator word when the value
    is on the other side of the benchmark. 'Similar' is never contradicted by arithmetic alone.
    """
    from outcomes.judge.method import is_judged, polarity_text

    if published not in _GOOD or not is_judged(s.polarity):
        return ""
    good = 1 if s.polarity == Polarity.HIGHER_IS_BETTER else -1
    wanted = _GOOD[published] * good  # the direction of movement (or difference) the word needs
    if which == "trend":
        points = [o for o in s.observed()][-5:]
        values = [float(o.value or 0.0) for o in points]
        steps = [b - a for a, b in zip(values, values[1:], strict=False)]
        if len(points) >= 2 and steps and all(step * wanted < 0 for step in steps):
            moved = "fell" if wanted > 0 else "rose"
            return (f"the values {moved} at every step from {_fmt(s, values[0])} in {points[0].period} to "
                    f"{_fmt(s, values[-1])} in {points[-1].period}, and {polarity_text(s.polarity)}.")
        return ""
    c = sj.comparator
    if c.home_value is None or c.value is None or c.kind == "group":
        return ""
    if (c.home_value - c.value) * wanted < 0:
        side = "below" if c.home_value < c.value else "above"
        return (f"{_fmt(s, c.home_value)} is {side} {c.name}'s {_fmt(s, c.value)}, and "
                f"{polarity_text(s.polarity)}.")
    return ""


def _published_basis_word(fw: Framework, s: Series) -> tuple[str, str] | None:
    """The trend word on the report's own stated basis (e.g. "Compared to Q4 2016/17"), if it has one."""
    from outcomes.judge.method import classify_change
    from outcomes.judge.settings import JudgementSettings

    prev, latest = s.published.previous, s.published.latest
    if not s.published.trend_basis or not prev or not latest or prev.value is None or latest.value is None:
        return None
    tolerance = JudgementSettings.from_mapping(fw.settings).tolerance
    word = classify_change(prev.value, latest.value, tolerance=tolerance, polarity=s.polarity)
    return word, f"{prev.label} with {latest.label}"


# -------------------------------------------------------------------------------------------------
# What a published report gets wrong (issue 15): each check works on any dataset from what it declares.

_OUR_TREND_WORDS = ("improving", "similar", "worsening")
_OUR_COMPARATOR_WORDS = ("better", "similar", "worse")
_RAG_OF = {"improving": "G", "better": "G", "similar": "A", "worsening": "R", "declining": "R", "worse": "R"}


def _key_words(words: tuple[str, ...] | None, default: tuple[str, ...]) -> tuple[set[str], str]:
    if words is None:
        return set(default), "the report's words (no key is declared: report.key)"
    return {w.lower() for w in words}, "the report's key (" + (", ".join(words) or "no words") + ")"


@check("word-outside-key", "warning", "A trend or comparator word the report's own key does not define")
def _word_outside_key(fw: Framework) -> Iterator[Finding]:
    trend_key, trend_where = _key_words(fw.report.key_trend, _OUR_TREND_WORDS)
    comp_key, comp_where = _key_words(fw.report.key_comparator, _OUR_COMPARATOR_WORDS)
    for s in fw.all_series():
        p = s.published
        for what, word, key, where in (("trend", p.trend, trend_key, trend_where),
                                       ("comparator", p.comparator, comp_key, comp_where)):
            if word and word not in ("no data",) and word not in key:
                yield Finding("word-outside-key", "warning", s.id, s.title,
                              f"The {what} is printed as '{word.upper()}', a word {where} does not define: a "
                              "reader cannot tell what it means. Use the key's words, or add it to the key.",
                              {"what": what, "word": word, "key": sorted(key)})


@check("word-rating-unpaired", "warning", "A judgement printed without a RAG rating, or a rating without a word")
def _word_rating_unpaired(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        p = s.published
        for what, word, rag in (("trend", p.trend, p.trend_rag), ("comparator", p.comparator, p.comparator_rag)):
            word = "" if word == "no data" else word
            if word and not rag and (what != "comparator" or word in _RAG_OF):
                yield Finding("word-rating-unpaired", "warning", s.id, s.title,
                              f"The {what} '{word}' is printed without a RAG rating, while other judgements have "
                              "one: print the rating beside every word, or none.", {"what": what, "word": word})
            elif rag and not word:
                yield Finding("word-rating-unpaired", "warning", s.id, s.title,
                              f"The {what} rating {rag} is printed without a word: a colour alone does not say "
                              "what was judged.", {"what": what, "rag": rag})


@check("rating-contradicts-word", "error", "A RAG rating that is not the colour of its word")
def _rating_contradicts_word(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        p = s.published
        for what, word, rag in (("trend", p.trend, p.trend_rag), ("comparator", p.comparator, p.comparator_rag)):
            if word in _RAG_OF and rag and rag != _RAG_OF[word]:
                yield Finding("rating-contradicts-word", "error", s.id, s.title,
                              f"The {what} '{word}' is rated {rag}; its colour is {_RAG_OF[word]}.",
                              {"what": what, "word": word, "rag": rag})


@check("rating-without-polarity", "error", "A red or green rating on a series with no declared polarity")
def _rating_without_polarity(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        if s.polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER):
            continue
        p = s.published
        for what, rag in (("trend", p.trend_rag), ("comparator", p.comparator_rag)):
            if rag in ("R", "G"):
                why = "its polarity is 'no judgement'" if s.polarity is not None else "no polarity is declared"
                yield Finding("rating-without-polarity", "error", s.id, s.title,
                              f"The {what} is rated {rag}, but {why}: red and green say one direction is better. "
                              "Declare the polarity, or print the movement without a colour.",
                              {"what": what, "rag": rag, "polarity": str(s.polarity) if s.polarity else None})


_RATE_WORDS = re.compile(r"\b(rates?|per\s+\d[\d,]*|per\s+(?:thousand|hundred|100k))\b", re.I)
_NUMBER_WORDS = re.compile(r"\b(number of|no\.\s|count of|total)\b", re.I)
_SHARE_WORDS = re.compile(r"(%|\bpercentage\b|\bproportion\b|\bshare\b)", re.I)


def _title_unit_problem(title: str, series: list[Series]) -> str:
    units = {x.unit.type for x in series}
    if not units:
        return ""
    if _RATE_WORDS.search(title) and units == {"count"}:
        return f"the title says '{_RATE_WORDS.search(title).group(0)}' but the figures are counts"  # type: ignore[union-attr]
    if _SHARE_WORDS.search(title) and "percentage" not in units and units <= {"count", "number"}:
        return f"the title says '{_SHARE_WORDS.search(title).group(0)}' but the figures are counts"  # type: ignore[union-attr]
    if _NUMBER_WORDS.search(title) and units <= {"count", "number"}:
        rated = [c for x in series for c in x.comparators if c.basis and re.search(r"\bper\b", c.basis)]
        if rated:
            return (f"the title says '{_NUMBER_WORDS.search(title).group(0).strip()}' but the comparator "  # type: ignore[union-attr]
                    f"'{rated[0].name}' is benchmarked as a rate ({rated[0].basis})")
    if _NUMBER_WORDS.search(title) and units <= {"rate", "percentage"}:
        return f"the title says '{_NUMBER_WORDS.search(title).group(0).strip()}' but the figures are rates or shares"  # type: ignore[union-attr]
    return ""


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


@check("title-unit-mismatch", "warning", "A unit in a title that the figures contradict")
def _title_unit_mismatch(fw: Framework) -> Iterator[Finding]:
    sections: dict[str, tuple[str, list[Series]]] = {}
    for ind in fw.indicators():
        own = list(ind.series)
        problem = _title_unit_problem(ind.title, own)
        if problem:
            yield Finding("title-unit-mismatch", "warning", ind.id, ind.title, f"{_cap(problem)}.",
                          {"title": ind.title, "units": sorted({x.unit.type for x in own})})
        if ind.section_title:
            sections.setdefault(ind.section, (ind.section_title, []))[1].extend(own)
        for m in ind.measures:
            problem = _title_unit_problem(m.title, list(m.series))
            if problem:
                yield Finding("title-unit-mismatch", "warning", m.id, m.title, f"{_cap(problem)}.",
                              {"title": m.title, "units": sorted({x.unit.type for x in m.series})})
    for section, (title, members) in sections.items():
        problem = _title_unit_problem(title, members)
        if problem:
            yield Finding("title-unit-mismatch", "warning", f"section {section}", title,
                          f"The section title: {problem}.", {"title": title,
                                                            "units": sorted({x.unit.type for x in members})})


@check("seasonal-quarter-on-quarter", "warning", "Seasonal counts compared quarter on quarter")
def _seasonal_quarter_on_quarter(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        p = s.published
        if s.unit.type != "count" or not p.trend or p.trend == "no data" or p.trend_basis:
            continue
        prev, latest = p.previous, p.latest
        if not (prev and latest and prev.period and latest.period) or latest.period.kind.value != "quarter":
            continue
        if prev.period.next() != latest.period:
            continue
        try:
            last_year = latest.period.same_period_last_year()
        except Exception:  # noqa: BLE001 - a period without a year-earlier twin: nothing to suggest
            continue
        had = s.at(last_year)
        hint = (f" The series has {last_year}: {_fmt(s, had.value)}." if had is not None and had.value is not None
                else f" The dataset has no figure for {last_year} to do so.")
        yield Finding("seasonal-quarter-on-quarter", "warning", s.id, s.title,
                      f"'{p.trend}' compares {prev.label} with {latest.label}: counts of events vary with the "
                      f"season, so the like-for-like comparison is the same quarter last year ({last_year})."
                      + hint, {"previous": prev.label, "latest": latest.label, "same_quarter_last_year": str(last_year)})


def _decimals(value: float) -> int:
    text = f"{value:.6f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


_NOTATION = (
    ("Q YY-YY", re.compile(r"^Q[1-4]\s+\d{2}-\d{2}$", re.I)),
    ("Q YYYY-YY", re.compile(r"^Q[1-4]\s+\d{4}-\d{2}$", re.I)),
    ("Q YYYY/YY", re.compile(r"^Q[1-4]\s+\d{4}/\d{2}$", re.I)),
    ("YYYY-YY", re.compile(r"^\d{4}-\d{2}$")),
    ("YYYY/YY", re.compile(r"^\d{4}/\d{2}$")),
    ("YY-YY", re.compile(r"^\d{2}-\d{2}$")),
    ("YYYY", re.compile(r"^\d{4}$")),
    ("Month YYYY", re.compile(r"^[A-Za-z]+\s+\d{4}$")),
)


def _notation(label: str) -> str:
    return next((name for name, rx in _NOTATION if rx.match(label.strip())), "other")


@check("notation-drift", "info", "Precision or period notation that drifts within one series")
def _notation_drift(fw: Framework) -> Iterator[Finding]:
    for s in fw.all_series():
        p = s.published
        heads = [h for h in (p.previous, *p.extra, p.latest) if h is not None]
        values = [h.value for h in heads if h.value is not None and s.unit.type != "count"]
        places = sorted({_decimals(v) for v in values})
        if len(places) > 1 and s.unit.decimals is None:
            shown = ", ".join(f"{v:g}" for v in values)
            yield Finding("notation-drift", "info", s.id, s.title,
                          f"The printed figures use {' and '.join(str(d) for d in places)} decimal places ({shown}): "
                          "print one precision throughout a series.", {"what": "precision", "decimals": places})
        styles = {h.label: _notation(h.label) for h in heads if h.label}
        kinds = sorted(set(styles.values()) - {"other"})
        if len(kinds) > 1:
            yield Finding("notation-drift", "info", s.id, s.title,
                          f"The period labels use {len(kinds)} notations ({', '.join(styles)}): write periods one "
                          "way throughout a series.", {"what": "period", "labels": list(styles)})


@check("periods-written-many-ways", "info", "One kind of period written several ways in one report")
def _periods_many_ways(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        by_kind: dict[str, dict[str, list[str]]] = {}
        for s in outcome.all_series():
            for h in (s.published.previous, *s.published.extra, s.published.latest):
                if h is None or not h.label or h.period is None:
                    continue
                style = _notation(h.label)
                if style != "other":
                    by_kind.setdefault(h.period.kind.noun, {}).setdefault(style, []).append(h.label)
        for kind, styles in by_kind.items():
            if len(styles) > 1:
                examples = "; ".join(f"'{labels[0]}'" for labels in styles.values())
                yield Finding("periods-written-many-ways", "info", outcome.id, outcome.title,
                              f"The report writes a {kind} {len(styles)} ways ({examples}): pick one notation "
                              "(docs/periods.md).", {"kind": kind, "notations": sorted(styles)})


_BREAK_WORDS = re.compile(
    r"(definition (?:of [\w\s]+ )?(?:has )?changed|changed? (?:in|of) (?:the )?definition|not directly comparable|"
    r"no longer comparable|new (?:client )?(?:database|system|recording system)|break in the series|"
    r"will (?:now )?be based on|methodology (?:has )?changed|change (?:in|of) method)", re.I)


@check("break-without-marker", "warning", "A series break the text announces but no break marker records")
def _break_without_marker(fw: Framework) -> Iterator[Finding]:
    for ind in fw.indicators():
        series = list(ind.series) + [x for m in ind.measures for x in m.series]
        if any(x.breaks for x in ind.series):
            continue
        texts = [(f"narrative '{title}'", text) for n in ind.narrative for title, text in n.blocks()]
        texts += [(f"definition of {x.id}", x.definition) for x in series if x.definition]
        texts += [(f"note on {x.id} {o.period}", o.note) for x in series for o in x.observations if o.note]
        for where, text in texts:
            m = _BREAK_WORDS.search(text or "")
            if m:
                yield Finding("break-without-marker", "warning", ind.id, ind.title,
                              f"The {where} announces a change ('{m.group(0)}'), but no series of the indicator "
                              "has a break marker: add 'breaks: [<first period after the change>]' so that trends "
                              "are not judged across it.", {"where": where, "phrase": m.group(0)})
                break


@check("placeholder-table", "info", "A table printed with headings but no figures")
def _placeholder_table(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        empty = [i for i in outcome.indicators
                 if i.value_for_money.status != "not-measured" and i.value_for_money.latest is None
                 and i.value_for_money.rank is None]
        if empty:
            status = sorted({i.value_for_money.status for i in empty})
            yield Finding("placeholder-table", "info", outcome.id, outcome.title,
                          f"{len(empty)} of {len(outcome.indicators)} indicators print a Value for Money table "
                          f"(Latest, Rank) with no figures ({', '.join(status)}): leave the table out until it has "
                          "figures, or say in one line that it is under development.",
                          {"indicators": [i.id for i in empty], "status": status})


def _norm_title(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("–", "-").replace("—", "-")).strip().lower()


@check("summary-title-inexact", "info", "A title in the summary that matches no item exactly")
def _summary_title_inexact(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        summary = outcome.published_summary
        pools = {
            "indicators": [i.title for i in outcome.indicators] + [x.title for i in outcome.indicators
                                                                    for x in i.series],
            "measures": [m.title for m in outcome.measures()] + [x.title for m in outcome.measures()
                                                                  for x in m.series],
            "risks": [f"{r.id} - {r.title}" for r in fw.risks],
        }
        risks = [(r.id, r.title) for r in fw.risks]
        for kind, items in (("indicators", summary.focus_indicators), ("measures", summary.focus_measures),
                            ("risks", summary.focus_risks)):
            exact = {_norm_title(t) for t in pools[kind]}
            for item in items:
                if _norm_title(item) in exact:
                    continue
                matched = match_risk(item, risks) if kind == "risks" else match_title(item, [
                    (t, t) for t in pools[kind]])
                if matched is None:
                    continue  # reported as focus-item-unmatched
                title = next((f"{r.id} - {r.title}" for r in fw.risks if r.id == matched), matched)
                yield Finding("summary-title-inexact", "info", outcome.id, outcome.title,
                              f"The summary lists '{item}', which matches no item exactly; the nearest is "
                              f"'{title}'. Use the item's own title so a reader can find it.",
                              {"list": kind, "item": item, "nearest": title})


@check("focus-list-unexplained", "warning", "A focus list that no stated rule reproduces")
def _focus_unexplained(fw: Framework) -> Iterator[Finding]:
    from outcomes.judge import judge_framework

    judged = _judged_cache(fw, judge_framework)
    computed = {sj.series.id: sj for sj in judged.series}
    for outcome in fw.outcomes:
        listed_items = outcome.published_summary.focus_indicators
        if not listed_items:
            continue
        pool = [(i.id, i.title) for i in outcome.indicators] + [
            (i.id, x.title) for i in outcome.indicators for x in i.series]
        listed = {m for item in listed_items if (m := match_title(item, pool)) is not None}
        rules: dict[str, set[str]] = {
            "a published red rating or a worsening or worse word": set(),
            "a published worsening trend": set(),
            "a worsening trend or worse comparison in the figures": set(),
        }
        for ind in outcome.indicators:
            for x in ind.series:
                p, sj = x.published, computed.get(x.id)
                if "R" in (p.trend_rag, p.comparator_rag) or p.trend in ("worsening", "declining") or \
                        p.comparator == "worse":
                    rules["a published red rating or a worsening or worse word"].add(ind.id)
                if p.trend in ("worsening", "declining"):
                    rules["a published worsening trend"].add(ind.id)
                if sj is not None and (sj.trend.word == "worsening" or sj.comparator.word == "worse"):
                    rules["a worsening trend or worse comparison in the figures"].add(ind.id)
        if any(chosen == listed for chosen in rules.values()):
            continue
        titles = {i.id: f"{i.number} {i.title}" for i in outcome.indicators}
        details = []
        for rule, chosen in rules.items():
            extra, missing = sorted(chosen - listed), sorted(listed - chosen)
            part = f"{rule} would " + " and ".join(
                x for x in (("also list " + "; ".join(titles[i] for i in extra)) if extra else "",
                            ("leave out " + "; ".join(titles[i] for i in missing)) if missing else "") if x)
            details.append(part)
        yield Finding("focus-list-unexplained", "warning", outcome.id, outcome.title,
                      f"The suggested indicators for focus ({'; '.join(listed_items)}) follow from no stated rule: "
                      + "; ".join(details) + ". State the rule the list follows, or use the engine's focus "
                      "ranking.", {"listed": sorted(listed), "rules": {k: sorted(v) for k, v in rules.items()}})


@check("part-larger-than-whole", "error", "A series declared part of another is larger than its whole")
def _part_larger(fw: Framework) -> Iterator[Finding]:
    by_id = fw.series_by_id()
    for s in fw.all_series():
        if not s.part_of:
            continue
        whole = by_id.get(s.part_of)
        if whole is None:
            yield Finding("part-larger-than-whole", "error", s.id, s.title,
                          f"'part_of: {s.part_of}' names no series of the framework.", {"part_of": s.part_of})
            continue
        for w in whole.observed():
            inside = [o for o in s.observed() if o.period == w.period or
                      (o.period.kind != w.period.kind and w.period.start <= o.period.start and o.period.end <= w.period.end)]
            if not inside:
                continue
            same = len(inside) == 1 and inside[0].period == w.period
            total = sum(float(o.value or 0) for o in inside)
            additive = s.unit.type in ("count", "currency", "number")
            if (additive or same) and total > float(w.value or 0) + 1e-9:
                what = (f"{_fmt(s, total)} in {w.period}" if same else
                        f"{_fmt(s, total)} over {', '.join(str(o.period) for o in inside)}")
                yield Finding("part-larger-than-whole", "error", s.id, s.title,
                              f"The part is {what}, more than the whole '{whole.title}' ({_fmt(whole, w.value)} "
                              f"in {w.period}): a part cannot exceed its whole.",
                              {"part": total, "whole": w.value, "period": str(w.period), "whole_id": whole.id})


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.I)


@check("contact-incomplete", "warning", "Incomplete contact details")
def _contact_incomplete(fw: Framework) -> Iterator[Finding]:
    for outcome in fw.outcomes:
        if not outcome.contacts:
            yield Finding("contact-incomplete", "warning", outcome.id, outcome.title,
                          "The report names no contact for questions about it: add 'contacts:' with a name, role, "
                          "email and telephone.", {})
        for person in outcome.contacts:
            missing = [k for k in ("role", "email", "phone") if not getattr(person, k)]
            bad = []
            if person.email and not _EMAIL.match(person.email):
                bad.append(f"the email '{person.email}' is not an address")
            digits = re.sub(r"\D", "", person.phone)
            if person.phone and not 10 <= len(digits) <= 13:
                bad.append(f"the telephone '{person.phone}' has {len(digits)} digits")
            if missing or bad:
                what = "; ".join(([f"no {', '.join(missing)}"] if missing else []) + bad)
                yield Finding("contact-incomplete", "warning", outcome.id, outcome.title,
                              f"The contact {person.name}: {what}.", {"name": person.name, "missing": missing})
        names: dict[str, set[str]] = {}
        for person in (*outcome.lead_officers, *(o for i in outcome.indicators for o in i.lead_officers)):
            names.setdefault(re.sub(r"[^a-z]", "", person.name.lower()), set()).add(person.name)
        for spellings in names.values():
            if len(spellings) > 1:
                yield Finding("contact-incomplete", "warning", outcome.id, outcome.title,
                              f"One officer's name is printed {len(spellings)} ways: {', '.join(sorted(spellings))}.",
                              {"spellings": sorted(spellings)})


_QUARTER_MENTION = re.compile(r"\bQ([1-4])\s*(\d{2}|\d{4})[-/](\d{2})\b")


@check("narrative-older-than-period", "warning", "Narrative older than the period it is shown for")
def _narrative_older(fw: Framework) -> Iterator[Finding]:
    for ind in fw.indicators():
        series = list(ind.series) + [x for m in ind.measures for x in m.series]
        if not ind.narrative:
            continue
        dated = [n for n in ind.narrative if n.period is not None]
        if dated and not any(n.period == fw.reporting_period for n in dated) and \
                all(n.period is not None and n.period.end < fw.reporting_period.end for n in dated):
            newest = max((n.period for n in dated if n.period is not None), key=lambda p: p.end)
            yield Finding("narrative-older-than-period", "warning", ind.id, ind.title,
                          f"The newest narrative is for {newest}, older than the reporting period "
                          f"{fw.reporting_period}: the page repeats or omits the story. Update it for "
                          f"{fw.reporting_period}.", {"narrative_period": str(newest)})
            continue
        latest_quarters = [x.latest.period for x in series if x.latest is not None
                           and x.latest.period.kind.value == "quarter"]
        if not latest_quarters:
            continue
        data_latest = max(latest_quarters, key=lambda p: p.end)
        for n in ind.narrative:
            mentioned = []
            for title, text in n.blocks():
                if title == "Data notes":
                    continue  # notes about the data quote printed labels, slips included
                for m in _QUARTER_MENTION.finditer(text):
                    try:
                        mentioned.append(Period.parse(m.group(0)))
                    except Exception:  # noqa: BLE001, S112 - a mention that is not a period is skipped
                        continue
            if mentioned:
                newest = max(mentioned, key=lambda p: p.end)
                if newest.end < data_latest.end:
                    yield Finding("narrative-older-than-period", "warning", ind.id, ind.title,
                                  f"The narrative's newest period is {newest}, but the figures it is shown with run "
                                  f"to {data_latest}: the story describes an older quarter.",
                                  {"narrative_period": str(newest), "data_period": str(data_latest)})


#: The judgements of the frameworks checked by the current :func:`run_checks` call, so that two checks
#: do not judge the same framework twice. A context variable: each thread (and each asyncio task) has its
#: own, so concurrent runs never see or clear each other's; the framework is kept with its judgements, so
#: a reused ``id()`` cannot return another framework's.
_RUN_JUDGED: ContextVar[dict[int, tuple[Framework, Any]] | None] = ContextVar("outcomes_quality_judged",
                                                                             default=None)


def _judged_cache(fw: Framework, judge: Callable[[Framework], Any]) -> Any:
    memo = _RUN_JUDGED.get()
    if memo is None:  # a check run on its own: nothing to share
        return judge(fw)
    hit = memo.get(id(fw))
    if hit is None or hit[0] is not fw:
        hit = (fw, judge(fw))
        memo[id(fw)] = hit
    return hit[1]


def run_checks(fw: Framework, *, codes: Iterable[str] | None = None) -> list[Finding]:
    """Run every registered check (or those named) and return the findings, errors first."""
    wanted = set(codes) if codes is not None else None
    findings: list[Finding] = []
    token = _RUN_JUDGED.set({})
    try:
        for code, c in CHECKS.items():
            if wanted is None or code in wanted:
                findings.extend(c.run(fw))
    finally:
        _RUN_JUDGED.reset(token)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(findings, key=lambda f: order[f.severity])
