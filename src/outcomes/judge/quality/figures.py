"""Checks of printed figures: headlines against the series, repeated values, impossible percentages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from outcomes.model import Framework

from .registry import Finding, _fmt, check


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
