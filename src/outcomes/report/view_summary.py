"""The report's summaries: the executive summary's counts and charts, the at-a-glance tables, the
focus lists (with the published lists audited), the keys, the contents and the findings' summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from outcomes.judge import FocusItem, Judgement
from outcomes.judge.quality import Finding, match_risk, match_title
from outcomes.model import Outcome, Series

from .charts import BarItem, Chart, bar_chart
from .text import RISK_SCORES, RISK_TRENDS, cap, slug
from .view_series import _SeriesParts
from .view_types import (
    ContentsEntry,
    CountView,
    FocusItemView,
    FocusListView,
    GlanceRow,
    GlanceTable,
    KeyEntry,
    OutcomeView,
    PublishedFocusItem,
    SectionView,
    SeriesView,
)


def key_polarity(series: Sequence[Series]) -> tuple[KeyEntry, ...]:
    """The report's key to polarity: how many series' polarities the framework declares, how many were
    taken from a source (and which are unconfirmed), how many are undeclared."""
    counts = {"framework": 0, "source": 0, "undeclared": 0}
    for sr in series:
        counts[sr.polarity_provenance] += 1
    unconfirmed = [sr.short_title or sr.title for sr in series if sr.polarity_unconfirmed]

    def n(k: str) -> str:
        return f"{counts[k]} series" if counts[k] != 1 else "1 series"

    source = f"Taken from a source's metadata ({n('source')}): the report names the source beside the polarity"
    if unconfirmed:
        source += "; not yet confirmed by the council: " + "; ".join(unconfirmed)
    return (
        KeyEntry("Declared", "", f"Declared by the framework ({n('framework')})"),
        KeyEntry("From source", "", source),
        KeyEntry("Undeclared", "", f"No polarity declared ({n('undeclared')}): described, not rated"),
    )


_KEY_RAG = (
    KeyEntry("G", "rag-G", "Green: improving (trend) or better than the comparator"),
    KeyEntry("A", "rag-A", "Amber: similar — within the tolerance band or the confidence interval"),
    KeyEntry("R", "rag-R", "Red: worsening (trend) or worse than the comparator"),
    KeyEntry("–", "rag-none", "No rating: not assessed or not compared (the reason is given), or the "
             "series has no better direction"),
)

_KEY_SEVERITY = (
    KeyEntry("Error", "sev-error", "A figure or word that is wrong or contradicts the data"),
    KeyEntry("Warning", "sev-warning", "Something a reader should know before relying on the figure"),
    KeyEntry("Info", "sev-info", "Context: provisional figures, large movements"),
)


def _key_chart() -> tuple[KeyEntry, ...]:
    from .charts import PALETTE

    def sample(body: str, label: str) -> str:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="44" height="14" viewBox="0 0 44 14">'
                f"<title>{label}</title>{body}</svg>")

    line = '<line x1="2" y1="7" x2="42" y2="7" stroke="{c}" stroke-width="2.5"{d}/>'
    return (
        KeyEntry("Solid line", "", "The area's own series, one dot per period (a hollow dot is provisional)",
                 sample(line.format(c=PALETTE["series"], d="") +
                        f'<circle cx="22" cy="7" r="4" fill="{PALETTE["series"]}"/>', "Solid line with dots")),
        KeyEntry("Dashed line", "", "A comparator (England, the region), named at its end",
                 sample(line.format(c=PALETTE["comparator"], d=' stroke-dasharray="7 4"'), "Dashed line")),
        KeyEntry("Dotted line", "", "A target, where one is set",
                 sample(line.format(c=PALETTE["target"], d=' stroke-dasharray="2 3"'), "Dotted line")),
        KeyEntry("Whiskers", "", "The 95% confidence interval of a value, where known",
                 sample(f'<path d="M22 1V13M18 1H26M18 13H26" stroke="{PALETTE["series"]}" stroke-width="1.3" '
                        'fill="none"/>', "Whiskers")),
        KeyEntry("Grey dashed lines", "", "SPC process limits (mean as a solid grey line), where an XmR "
                 "chart is used", sample(line.format(c=PALETTE["limits"], d=' stroke-dasharray="6 4"'),
                                         "Grey dashed line")),
        KeyEntry("Square / diamond", "", "SPC special-cause point: improvement (turquoise square) or concern "
                 "(orange diamond)", sample(
                     f'<rect x="8" y="2" width="10" height="10" fill="{PALETTE["improvement"]}" stroke="#0B0C0C"/>'
                     f'<polygon points="32,1 38,7 32,13 26,7" fill="{PALETTE["concern"]}" stroke="#0B0C0C"/>',
                     "Square and diamond")),
    )


def _findings_summary(findings: Sequence[Finding]) -> str:
    if not findings:
        return "The data-quality checks found nothing to report."
    counts = Counter(f.severity for f in findings)
    parts = [f"{counts[s]} {s}{'s' if counts[s] != 1 else ''}" for s in ("error", "warning", "info") if counts[s]]
    return f"The data-quality checks found {len(findings)} thing{'s' if len(findings) != 1 else ''} to report: " \
        f"{', '.join(parts)}."


def _contents(outcomes: Sequence[OutcomeView]) -> tuple[ContentsEntry, ...]:
    entries: list[ContentsEntry] = []
    several = len(outcomes) > 1
    for o in outcomes:
        base = 1 if several else 0
        if several:
            entries.append(ContentsEntry(o.anchor, f"Outcome: {o.title}", 0))
        entries.append(ContentsEntry(f"{o.anchor}-summary", "Executive summary", base))
        for s in o.sections:
            entries.append(ContentsEntry(s.anchor, s.heading, base))
        entries.append(ContentsEntry(f"{o.anchor}-risks", "Corporate risks not linked to a population indicator", base))
    entries.append(ContentsEntry("key", "Key to ratings, codes and charts", 0))
    entries.append(ContentsEntry("responsibility", "Responsibility for indicators and measures", 0))
    entries.append(ContentsEntry("data-quality", "Data-quality appendix", 0))
    entries.append(ContentsEntry("methods", "How the judgements were made", 0))
    entries.append(ContentsEntry("contacts", "Contacts", 0))
    return tuple(entries)


class _SummaryParts(_SeriesParts):
    """The builder's parts for an outcome's summary (see :class:`outcomes.report.view._Builder`)."""

    # ---- executive summary ---------------------------------------------------------------------------

    def counts(self, outcome: Outcome) -> tuple[CountView, ...]:
        pis = outcome.indicators
        pi_series = [s for i in pis for s in i.series]
        measures = list(outcome.measures())
        pm_series = [s for m in measures for s in m.series]
        risks = [r for r in self.fw.risks if r.outcome_id in ("", outcome.id)]
        summary = outcome.published_summary
        oid = slug(outcome.id)

        def stated(number: int | None, found: int, alt: int | None = None) -> str:
            if number is None or number == found or (alt is not None and number == alt):
                return ""
            return f"The published summary stated {number}."

        def trend_items(series: Sequence[Series]) -> list[BarItem]:
            words = Counter(self._bucket(self.by_series[s.id].trend) for s in series)
            return [BarItem(label, words[label], letter) for label, letter in
                    (("Improving", "G"), ("Similar", "A"), ("Worsening", "R"), ("Not assessed", ""))]

        def comparator_items(series: Sequence[Series]) -> list[BarItem]:
            words = Counter(self._bucket(self.by_series[s.id].comparator, comparator=True) for s in series)
            return [BarItem(label, words[label], letter) for label, letter in
                    (("Better", "G"), ("Similar", "A"), ("Worse", "R"), ("Not compared", ""))]

        pi_charts = (
            self._bar(f"sum-{oid}-pi-trend", "Population indicator series: trend", trend_items(pi_series)),
            self._bar(f"sum-{oid}-pi-comp", "Population indicator series: against the comparator",
                      comparator_items(pi_series)),
        )
        pm_charts = (self._bar(f"sum-{oid}-pm-trend", "Performance measure series: trend", trend_items(pm_series)),)
        scores = Counter(r.score.strip().upper() for r in risks)
        trends = Counter(r.trend.strip().lower() for r in risks)
        risk_charts = (
            self._bar(f"sum-{oid}-risk-score", "Corporate risks: score",
                      [BarItem(s.capitalize(), scores[s], s[0], tone=RISK_SCORES[s][0]) for s in RISK_SCORES],
                      category="Score"),
            self._bar(f"sum-{oid}-risk-trend", "Corporate risks: trend",
                      [BarItem(cap(t), trends[t], "", badge=False) for t in RISK_TRENDS], category="Trend"),
        )
        return (
            CountView("Population indicators", len(pis),
                      f"{len(pi_series)} series judged", stated(summary.population_indicators, len(pis)), pi_charts),
            CountView("Performance measures", len(measures), f"{len(pm_series)} series judged",
                      stated(summary.performance_measures, len(measures), len(pm_series)), pm_charts),
            CountView("Corporate risks", len(risks),
                      f"{len([r for r in risks if r.unassigned])} not linked to an indicator",
                      stated(summary.risks, len(risks)), risk_charts),
        )

    def glance(self, sections: Sequence[SectionView]) -> tuple[GlanceTable, ...]:
        def row(sv: SeriesView, label: str, kind: str) -> GlanceRow:
            differs = [c.what.lower() for c in sv.published.differs]
            audit = f"Differs: {', '.join(differs)}" if differs else ("Agrees" if sv.published.agrees else "–")
            return GlanceRow(
                anchor=sv.anchor,
                label=label,
                latest=sv.latest.value if sv.latest else "no value",
                latest_period=sv.latest.period if sv.latest else "",
                trend=sv.trend,
                comparator=sv.comparator,
                comparator_name=sv.comparator_name,
                audit=audit,
                audit_differs=bool(differs),
                focus=self.focus_numbers.label(kind, sv.id),
            )

        indicator_rows: list[GlanceRow] = []
        measure_rows: list[GlanceRow] = []
        for section in sections:
            for ind in section.indicators:
                for sv in ind.series:
                    label = f"{ind.number} {ind.title}" + (f": {sv.short_title}" if len(ind.series) > 1 else "")
                    indicator_rows.append(row(sv, label, "population_indicator"))
                for card in ind.measure_cards:
                    measure_rows.append(row(card.series, f"{ind.number} {card.title}", "performance_measure"))
        return (
            GlanceTable("Population indicators at a glance: latest value, trend and comparator",
                        "Population indicator", tuple(indicator_rows),
                        any(r.comparator.letter or r.comparator_name for r in indicator_rows)),
            GlanceTable("Performance measures at a glance: latest value and trend (numbered by their indicator)",
                        "Performance measure", tuple(measure_rows),
                        any(r.comparator.letter or r.comparator_name for r in measure_rows)),
        )

    @staticmethod
    def _bucket(j: Judgement, *, comparator: bool = False) -> str:
        if comparator:
            return {"G": "Better", "A": "Similar", "R": "Worse"}.get(j.rag or "", "Not compared")
        return {"G": "Improving", "A": "Similar", "R": "Worsening"}.get(j.rag or "", "Not assessed")

    def _bar(self, chart_id: str, title: str, items: list[BarItem], category: str = "Rating") -> Chart:
        total = sum(i.count for i in items)
        chart = bar_chart(id=chart_id, title=title, items=items, total_label=f"{total} in all", category=category)
        self.charts.append(chart)
        return chart

    def focus(self, outcome: Outcome) -> tuple[FocusListView, ...]:
        in_outcome = {s.id for s in outcome.all_series()} | {
            r.id for r in self.fw.risks if r.outcome_id in ("", outcome.id)}
        summary = outcome.published_summary
        all_items = [i for i in self.judged.focus_items if i.id in in_outcome]
        lists: list[FocusListView] = []
        specs = (
            ("population_indicator", "Population indicators for focus", summary.focus_indicators,
             [(i.id, i.title) for i in outcome.indicators] + [(s.id, s.title) for i in outcome.indicators
                                                               for s in i.series], match_title),
            ("performance_measure", "Performance measures for focus", summary.focus_measures,
             [(m.id, m.title) for m in outcome.measures()] + [(s.id, s.title) for m in outcome.measures()
                                                               for s in m.series], match_title),
            ("risk", "Corporate risks for focus", summary.focus_risks,
             [(r.id, r.title) for r in self.fw.risks if r.outcome_id in ("", outcome.id)], match_risk),
        )
        for kind, title, published, pool, matcher in specs:
            ours = [i for i in all_items if i.kind == kind and i.rank is not None]
            items = tuple(self.focus_item(i) for i in ours)
            pub = tuple(self.published_focus(text, pool, matcher, all_items, kind) for text in published)
            lists.append(FocusListView(kind, title, items, pub, "Suggested for focus in the published report"))
        return tuple(lists)

    def focus_item(self, item: FocusItem) -> FocusItemView:
        parent = self.parents.get(item.id, "")
        anchor = self.anchor_for(f"risk:{item.id}") if item.kind == "risk" else self.anchor_for(item.id)
        title = item.title
        if parent and parent != title and item.kind != "risk":
            title = f"{item.title}"
        number = (self.focus_numbers.of_risk(item.id) if item.kind == "risk"
                  else self.focus_numbers.of_series(item.id))
        return FocusItemView(number or 0, item.kind, self.focus_numbers.label(item.kind, item.id), title,
                             parent if parent != item.title else "", anchor,
                             f"{item.score:g}", tuple(item.reasons))

    def published_focus(self, text: str, pool: list[tuple[str, str]], matcher: object, items: list[FocusItem],
                        kind: str) -> PublishedFocusItem:
        assert callable(matcher)
        matched = matcher(text, pool)
        if matched is None:
            return PublishedFocusItem(text, "", "", "Matches nothing in this framework", False)
        # an indicator or measure id stands for all its series
        wanted = {matched}
        for outcome in self.fw.outcomes:
            for ind in outcome.indicators:
                if ind.id == matched:
                    wanted |= {s.id for s in ind.series}
                for m in ind.measures:
                    if m.id == matched:
                        wanted |= {s.id for s in m.series}
        hits = [i for i in items if i.id in wanted and i.kind == kind]
        listed = sorted((i for i in hits if i.rank is not None), key=lambda i: i.rank or 0)
        anchor = self.anchor_for(f"risk:{matched}") if kind == "risk" else self.anchor_for(matched)
        title = self.titles.get(matched, matched)
        if listed:
            label = self.focus_numbers.label(kind, listed[0].id)
            return PublishedFocusItem(text, anchor, title, f"Also in our list ({label})", True)
        if hits and hits[0].reasons:
            return PublishedFocusItem(text, anchor, title, "Not in our list: " + " ".join(hits[0].reasons), False)
        return PublishedFocusItem(text, anchor, title, "Not in our list: the figures give no reason for focus", False)
