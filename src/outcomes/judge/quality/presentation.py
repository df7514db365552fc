"""Checks of how the report presents things: units in titles, seasonal comparisons, notation,
series breaks, empty tables, titles, focus lists, contacts, narrative dates."""

from __future__ import annotations

import re
from collections.abc import Iterator

from outcomes.model import Framework, Period, Series

from .registry import Finding, _fmt, _judged_cache, check
from .summary import match_risk, match_title

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
