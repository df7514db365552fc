"""Validate a raw dataset and build the domain model, reporting every problem at once.

:func:`build_framework` walks ``framework.yaml``'s outcomes, indicators, measures, series and risks
(``_Builder``), reading each field with :mod:`outcomes.sources.build_fields` and each observation
row with :mod:`outcomes.sources.build_observations`; every name of those modules callers use is
imported from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from outcomes.model import (
    Area,
    Comparator,
    FocusOverride,
    Framework,
    Narrative,
    Observation,
    Officer,
    Outcome,
    PerformanceMeasure,
    Period,
    PeriodError,
    PeriodKind,
    Polarity,
    PopulationIndicator,
    PublishedSummary,
    ReportInfo,
    Risk,
    Series,
    Target,
)
from outcomes.sources.breakdowns import read_breakdowns
from outcomes.sources.build_fields import (
    _ID,
    COMPARATOR_WORDS,
    FORMAT,
    PERIOD_KINDS,
    POLARITIES,
    RAG,
    RISK_SCORES,
    RISK_TRENDS,
    TREND_WORDS,
    _Context,
    _focus,
    _int,
    _method,
    _number_field,
    _officers,
    _parse_period,
    _parse_unit,
    _published,
    _report_key,
    _suggest,
    _text,
    is_valid_id,
    parse_number,
)
from outcomes.sources.build_observations import read_observation
from outcomes.sources.derived import derive_observations
from outcomes.sources.problems import Problems
from outcomes.sources.raw import RawDataset, Row

__all__ = ["COMPARATOR_WORDS", "FORMAT", "PERIOD_KINDS", "POLARITIES", "RAG", "RISK_SCORES", "RISK_TRENDS",
           "TREND_WORDS", "build_framework", "is_valid_id", "parse_number", "read_observation"]


class _Builder:
    def __init__(self, raw: RawDataset, problems: Problems) -> None:
        self.raw = raw
        self.problems = problems
        self.ctx = _Context(raw, problems)
        self.series: dict[str, Series] = {}
        self.indicator_ids: set[str] = set()
        self.measure_ids: set[str] = set()
        self.outcome_ids: set[str] = set()

    # -- framework.yaml ----------------------------------------------------------------------
    def _id(self, node: dict[str, Any], path: str, seen: set[str], what: str) -> str:
        ident = _text(node, "id")
        if not ident:
            self.ctx.add(node, f"{path}.id", f"this {what} has no id.",
                         "add 'id:' with a short name of letters, digits and dashes, unique in the dataset.")
        elif not _ID.match(ident):
            self.ctx.add(node, f"{path}.id", f"'{ident}' is not a usable id.",
                         "use letters, digits, dots, dashes and underscores only.")
        elif ident in seen or ident in self.series:
            self.ctx.add(node, f"{path}.id", f"the id '{ident}' is used twice.", "give each item its own id.")
        seen.add(ident)
        return ident

    def _entries(self, parent: dict[str, Any], key: str, path: str, seen: set[str],
                 what: str) -> Iterator[tuple[dict[str, Any], str, str, str, tuple[Officer, ...]]]:
        """Each entry of ``parent[key]`` (an outcome's indicators, an indicator's measures) with its path,
        id, title and lead officers, each checked (``what`` names it in a problem: "population indicator",
        "performance measure"); an entry that is not a mapping is a problem and is passed over."""
        for i, node in enumerate(parent.get(key) or []):
            entry_path = f"{path}.{key}[{i}]"
            if not isinstance(node, dict):
                self.ctx.add(parent, entry_path, "must be a set of 'name: value' entries.", "")
                continue
            ident = self._id(node, entry_path, seen, what)
            title = _text(node, "title")
            if not title:
                self.ctx.add(node, f"{entry_path}.title", f"the {what.split()[-1]} has no title.", "add 'title:'.")
            yield node, entry_path, ident, title, _officers(self.ctx, node, "lead_officers", entry_path)

    def _series(self, node: dict[str, Any], path: str, *, kind: str, parent_id: str,
                default_id: str = "", default_title: str = "",
                inherited_leads: tuple[Officer, ...] = ()) -> Series | None:
        ident = _text(node, "id") or default_id
        if not ident:
            self.ctx.add(node, f"{path}.id", "this series has no id.", "add 'id:'.")
            return None
        if ident in self.series:
            self.ctx.add(node, f"{path}.id", f"the series id '{ident}' is used twice.", "give each series its own id.")
            return None
        title = _text(node, "title") or default_title
        if not title:
            self.ctx.add(node, f"{path}.title", "the title is missing.", "add 'title:'.")
        unit = _parse_unit(self.ctx, node, path)
        polarity: Polarity | None = None
        raw_pol = _text(node, "polarity").lower()
        if raw_pol:
            if raw_pol in POLARITIES:
                polarity = Polarity(raw_pol)
            else:
                self.ctx.add(node, f"{path}.polarity", f"'{raw_pol}' is not a polarity.",
                             f"use one of: {', '.join(POLARITIES)}.")
        polarity_source, polarity_confirmed = _text(node, "polarity_source"), _text(node, "polarity_confirmed")
        if (polarity_source or polarity_confirmed) and not raw_pol:
            key = "polarity_source" if polarity_source else "polarity_confirmed"
            self.ctx.add(node, f"{path}.{key}", "says where a polarity came from, but there is no polarity.",
                         "add 'polarity:' or remove it.")
        elif polarity_confirmed and not polarity_source:
            self.ctx.add(node, f"{path}.polarity_confirmed", "confirms a polarity the framework declares itself.",
                         "only a polarity taken from a source ('polarity_source:') needs confirming; remove it.")
        period_kind: PeriodKind | None = None
        raw_kind = _text(node, "period_kind")
        if not raw_kind:
            self.ctx.add(node, f"{path}.period_kind", "the kind of period is missing.",
                         f"add 'period_kind:' with one of: {', '.join(PERIOD_KINDS)}.")
        else:
            try:
                period_kind = PeriodKind(raw_kind)
            except ValueError:
                self.ctx.add(node, f"{path}.period_kind", f"'{raw_kind}' is not a kind of period.",
                             f"use one of: {', '.join(PERIOD_KINDS)}.")
        comparators = []
        for i, c in enumerate(node.get("comparators") or []):
            cpath = f"{path}.comparators[{i}]"
            if not isinstance(c, dict) or not _text(c, "name"):
                self.ctx.add(c if isinstance(c, dict) else node, cpath, "a comparator needs a 'name'.",
                             "write e.g. '{name: England, area: E92000001, value: 43.1}'.")
                continue
            ckind = _text(c, "kind") or "benchmark"
            if ckind not in ("benchmark", "group"):
                self.ctx.add(c, f"{cpath}.kind", f"'{ckind}' is not a comparator kind.", "use benchmark or group.")
            comparators.append(Comparator(
                name=_text(c, "name"), area=_text(c, "area"), kind=ckind,
                period=_parse_period(self.ctx, c, f"{cpath}.period", c.get("period"), period_kind),
                value=_number_field(self.ctx, c, cpath, "value"),
                home_value=_number_field(self.ctx, c, cpath, "home_value"),
                basis=_text(c, "basis"), members=tuple(str(m) for m in c.get("members") or ()),
                note=_text(c, "note"),
            ))
        target = None
        if node.get("target") is not None:
            t = node["target"]
            t = t if isinstance(t, dict) else {"value": t}
            value = _number_field(self.ctx, t, f"{path}.target", "value")
            if value is not None:
                target = Target(value, _parse_period(self.ctx, t, f"{path}.target.period", t.get("period"),
                                                     period_kind), _text(t, "note"))
        breaks = tuple(
            p for i, b in enumerate(node.get("breaks") or [])
            if (p := _parse_period(self.ctx, node, f"{path}.breaks[{i}]", b, period_kind))
        )
        published = _published(self.ctx, node, path, period_kind)
        focus = _focus(self.ctx, node, path)
        method = _method(self.ctx, node, path, unit)
        leads = _officers(self.ctx, node, "lead_officers", path) or inherited_leads
        if unit is None or period_kind is None:
            return None
        series = Series(
            id=ident, title=title, unit=unit, polarity=polarity, period_kind=period_kind, kind=kind,
            parent_id=parent_id, short_title=_text(node, "short_title"), comparators=comparators,
            target=target, published=published, lead_officers=leads,
            definition=_text(node, "definition"), source=_text(node, "source"), focus=focus, breaks=breaks,
            polarity_source=polarity_source, polarity_confirmed=polarity_confirmed, part_of=_text(node, "part_of"),
            method=method,
        )
        self.series[ident] = series
        return series

    def _series_list(self, node: dict[str, Any], path: str, *, kind: str, parent_id: str, title: str,
                     leads: tuple[Officer, ...]) -> list[Series]:
        items = node.get("series")
        if items is None:  # shorthand: the item is its own single series
            s = self._series(node, path, kind=kind, parent_id=parent_id, default_id=parent_id,
                             default_title=title, inherited_leads=leads)
            return [s] if s else []
        if not isinstance(items, list) or not items:
            self.ctx.add(node, f"{path}.series", "must be a list of series.", "")
            return []
        out = []
        for i, s_node in enumerate(items):
            if not isinstance(s_node, dict):
                self.ctx.add(node, f"{path}.series[{i}]", "must be a set of 'name: value' entries.", "")
                continue
            s = self._series(s_node, f"{path}.series[{i}]", kind=kind, parent_id=parent_id, inherited_leads=leads)
            if s:
                out.append(s)
        return out

    def framework(self) -> Framework | None:
        fw = self.raw.framework
        ctx = self.ctx
        if not fw:
            return None
        fmt = _text(fw, "format")
        if fmt and fmt != FORMAT:
            ctx.add(fw, "format", f"'{fmt}' is not a format this version reads.", f"use '{FORMAT}'.")
        area_node = fw.get("area")
        if not isinstance(area_node, dict) or not _text(area_node, "code"):
            ctx.add(fw, "area", "the home area is missing.",
                    "add 'area: {code: E10000009, name: Dorset}' (the ONS code of the area you report on).")
            home = Area("", "")
        else:
            home = Area(_text(area_node, "code"), _text(area_node, "name") or _text(area_node, "code"))
        period = _parse_period(ctx, fw, "reporting_period", fw.get("reporting_period"), None)
        if period is None and not fw.get("reporting_period"):
            ctx.add(fw, "reporting_period", "the reporting period is missing.",
                    "add e.g. 'reporting_period: Q4 2017-18'.")
        areas = {home.code: home} if home.code else {}
        for i, a in enumerate(fw.get("areas") or []):
            if isinstance(a, dict) and _text(a, "code"):
                areas[_text(a, "code")] = Area(_text(a, "code"), _text(a, "name") or _text(a, "code"))
            else:
                ctx.add(fw, f"areas[{i}]", "each area needs a 'code' and a 'name'.", "")
        report_node = fw.get("report") or {}
        report = ReportInfo(
            title=_text(report_node, "title") or ReportInfo.title,
            organisation=_text(fw, "organisation"),
            published=_text(report_node, "published"),
            status=_text(report_node, "status") or "draft",
            data_date=_text(report_node, "data_date"),
            **_report_key(ctx, report_node),
        )
        if report.status not in ("draft", "published"):
            ctx.add(report_node, "report.status", f"'{report.status}' is not a status.", "use draft or published.")
        outcomes = []
        raw_outcomes = fw.get("outcomes")
        if not isinstance(raw_outcomes, list) or not raw_outcomes:
            ctx.add(fw, "outcomes", "there are no outcomes.", "add 'outcomes:' with at least one outcome.")
            raw_outcomes = []
        for i, o in enumerate(raw_outcomes):
            if isinstance(o, dict):
                outcome = self._outcome(o, f"outcomes[{i}]")
                if outcome:
                    outcomes.append(outcome)
        settings = fw.get("settings") or {}
        if not isinstance(settings, dict):
            ctx.add(fw, "settings", "must be a set of 'name: value' entries.", "")
            settings = {}
        if period is None or not home.code:
            return None
        return Framework(organisation=_text(fw, "organisation"), home_area=home, reporting_period=period,
                         outcomes=outcomes, areas=areas, report=report, settings=dict(settings))

    def _outcome(self, o: dict[str, Any], path: str) -> Outcome | None:
        ident = self._id(o, path, self.outcome_ids, "outcome")
        if not _text(o, "title"):
            self.ctx.add(o, f"{path}.title", "the outcome has no title.", "add 'title:'.")
        sponsor_list = _officers(self.ctx, o, "sponsor", path)
        summary_node = o.get("published_summary") or {}
        summary = PublishedSummary(
            population_indicators=_int(self.ctx, summary_node, f"{path}.published_summary", "population_indicators"),
            performance_measures=_int(self.ctx, summary_node, f"{path}.published_summary", "performance_measures"),
            risks=_int(self.ctx, summary_node, f"{path}.published_summary", "risks"),
            focus_indicators=tuple(str(x) for x in summary_node.get("focus_indicators") or ()),
            focus_measures=tuple(str(x) for x in summary_node.get("focus_measures") or ()),
            focus_risks=tuple(str(x) for x in summary_node.get("focus_risks") or ()),
        )
        outcome = Outcome(
            id=ident, title=_text(o, "title"), sponsor=sponsor_list[0] if sponsor_list else None,
            lead_officers=_officers(self.ctx, o, "lead_officers", path),
            contacts=_officers(self.ctx, o, "contacts", path), introduction=_text(o, "introduction"),
            published_summary=summary,
        )
        for node, ipath, ind_id, title, leads in self._entries(o, "population_indicators", path, self.indicator_ids,
                                                               "population indicator"):
            vfm_node = node.get("value_for_money") or {}
            from outcomes.model import ValueForMoney

            vfm = ValueForMoney(
                status=_text(vfm_node, "status") or "not-measured",
                latest=_number_field(self.ctx, vfm_node, f"{ipath}.value_for_money", "latest"),
                rank=_int(self.ctx, vfm_node, f"{ipath}.value_for_money", "rank"),
                of=_int(self.ctx, vfm_node, f"{ipath}.value_for_money", "of"),
                note=_text(vfm_node, "note"),
            )
            indicator = PopulationIndicator(
                id=ind_id, number=_text(node, "number"), title=title, outcome_id=ident, lead_officers=leads,
                value_for_money=vfm, section=_text(node, "section"), section_title=_text(node, "section_title"),
            )
            indicator.series = self._series_list(node, ipath, kind="population_indicator", parent_id=ind_id,
                                                 title=title, leads=leads)
            for m, mpath, m_id, m_title, m_leads in self._entries(node, "measures", ipath, self.measure_ids,
                                                                  "performance measure"):
                m_leads = m_leads or leads
                measure = PerformanceMeasure(id=m_id, title=m_title, indicator_id=ind_id, lead_officers=m_leads,
                                             published_trend=_text(m, "published_trend").lower())
                measure.series = self._series_list(m, mpath, kind="performance_measure", parent_id=m_id,
                                                   title=m_title, leads=m_leads)
                indicator.measures.append(measure)
            outcome.indicators.append(indicator)
        return outcome

    # -- observations.csv ----------------------------------------------------------------------
    def observations(self) -> None:
        seen: dict[tuple[str, str, Period], int] = {}
        for row in self.raw.observations:
            obs = self._observation(row)
            if obs is None:
                continue
            key = (obs.series_id, obs.area, obs.period)
            if key in seen:
                self.problems.add(row.file, row.location, "period",
                                  f"{obs.series_id} already has a value for {obs.area} in {obs.period} "
                                  f"(row {seen[key]}).", "keep one row per series, area and period.")
                continue
            seen[key] = row.number
            series = self.series[obs.series_id]
            if self.home and obs.area == self.home:
                series.observations.append(obs)
            else:
                series.benchmark_observations.setdefault(obs.area, []).append(obs)
        for s in self.series.values():
            s.observations.sort(key=lambda o: o.period)
            for lst in s.benchmark_observations.values():
                lst.sort(key=lambda o: o.period)

    home: str = ""

    def _observation(self, row: Row) -> Observation | None:
        return read_observation(row, self.series, self.home, self.problems)

    # -- risks.csv ------------------------------------------------------------------------------
    def risks(self) -> list[Risk]:
        out = []
        seen: dict[str, int] = {}
        for row in self.raw.risks:
            before = len(self.problems)
            add = self.problems.add
            rid = row.get("id")
            if not rid:
                add(row.file, row.location, "id", "the risk id is empty.", "write the id from the risk register.")
            elif rid in seen:
                add(row.file, row.location, "id", f"the risk '{rid}' is listed twice (row {seen[rid]}).",
                    "keep one row per risk.")
            seen.setdefault(rid, row.number)
            if not row.get("title"):
                add(row.file, row.location, "title", "the title is empty.", "copy it from the risk register.")
            score = row.get("score").upper()
            if score not in RISK_SCORES:
                add(row.file, row.location, "score", f"'{row.get('score')}' is not a risk score.",
                    "use HIGH, MEDIUM or LOW.")
            trend_text = row.get("trend")
            trend = RISK_TRENDS.get(trend_text.lower())
            if trend is None:
                add(row.file, row.location, "trend", f"'{trend_text}' is not a risk trend.",
                    "use IMPROVING, UNCHANGED or WORSENING.")
            outcome = row.get("outcome")
            if outcome and outcome not in self.outcome_ids:
                add(row.file, row.location, "outcome", f"'{outcome}' is not an outcome in framework.yaml.",
                    "use an outcome id or leave it empty." + _suggest(outcome, self.outcome_ids))
            links = tuple(x.strip() for x in re.split(r"[;|]", row.get("indicators")) if x.strip())
            for link in links:
                if link not in self.indicator_ids:
                    add(row.file, row.location, "indicators", f"'{link}' is not a population indicator.",
                        "separate indicator ids with ';', or leave empty for an unassigned risk."
                        + _suggest(link, self.indicator_ids))
            ints: dict[str, int | None] = {}
            for name in ("likelihood", "impact"):
                text = row.get(name)
                ints[name] = None
                if text:
                    if text.isdigit() and 1 <= int(text) <= 5:
                        ints[name] = int(text)
                    else:
                        add(row.file, row.location, name, f"'{text}' is not a score from 1 to 5.",
                            "write a whole number from 1 to 5 or leave it empty.")
            focus = None
            if row.get("focus"):
                action = row.get("focus").lower()
                if action not in ("pin", "suppress") or not row.get("focus_reason"):
                    add(row.file, row.location, "focus", "focus must be 'pin' or 'suppress' with a focus_reason.",
                        "write pin or suppress, and say why in focus_reason.")
                else:
                    focus = FocusOverride(action, row.get("focus_reason"))
            if len(self.problems) > before:
                continue
            out.append(Risk(
                id=rid, title=row.get("title"), score=score, trend=trend or "", outcome_id=outcome,
                likelihood=ints["likelihood"], impact=ints["impact"], owner=row.get("owner"), indicators=links,
                trend_as_published=trend_text, focus=focus, origin=f"{row.file} {row.location}",
            ))
        return out

    # -- narrative ------------------------------------------------------------------------------
    def narrative(self, framework: Framework) -> None:
        targets: dict[str, Callable[[Narrative], None]] = {}
        for ind in framework.indicators():
            targets[ind.id] = ind.narrative.append
        for doc in self.raw.narrative:
            if doc.subject not in targets:
                self.problems.add(doc.file, "line 2", "subject", f"'{doc.subject}' is not a population indicator.",
                                  "write the id of an indicator in framework.yaml." + _suggest(doc.subject, targets))
                continue
            period = None
            if doc.period:
                try:
                    period = Period.parse(doc.period)
                except PeriodError as exc:
                    self.problems.add(doc.file, "line 3", "period", str(exc), "")
                    continue
            targets[doc.subject](Narrative(
                subject_id=doc.subject, period=period, story=doc.sections.get("story", ""),
                partners=doc.sections.get("partners", ""), actions=doc.sections.get("actions", ""),
                data_notes=doc.sections.get("data_notes", ""), origin=doc.file,
            ))


def build_framework(raw: RawDataset, problems: Problems) -> Framework | None:
    """Validate ``raw`` and build the framework; every problem goes into ``problems``."""
    builder = _Builder(raw, problems)
    framework = builder.framework()
    builder.home = framework.home_area.code if framework else ""
    builder.observations()
    derive_observations(raw.inputs, builder.series, builder.home, problems)
    read_breakdowns(raw.breakdowns, builder.series, problems)
    risks = builder.risks()
    if framework is None:
        return None
    framework.risks = risks
    builder.narrative(framework)
    return framework
