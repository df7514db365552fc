"""Checks of each series' declarations and movements: polarity, zeros, large moves, benchmark
periods, risk wording, provisional values."""

from __future__ import annotations

from collections.abc import Iterator

from outcomes.model import Framework

from .registry import Finding, _fmt, check


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
