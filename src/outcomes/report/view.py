"""The report's view-model: everything a template shows, already worded, formatted and drawn.

Templates present and never compute: every word, number (with its unit), RAG letter, chart (SVG
markup), reason and link target is prepared here by :func:`build_view` from the framework, its
judgements (:func:`outcomes.judge.judge_framework`) and its data-quality findings
(:func:`outcomes.judge.quality.run_checks`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from outcomes.judge import FrameworkJudgement
from outcomes.judge.quality import Finding
from outcomes.model import Framework, Outcome, Period, PopulationIndicator, Risk

from .charts import Chart
from .focus import FOCUS_RANKING_SENTENCE, focus_numbers
from .select import ReportError, select_outcomes
from .text import RISK_SCORES, RISK_TRENDS, cap, markdown_html, normalise_word, slug, vfm_text

# The view's parts live beside it, each named for what it holds (ADR 0011: the old import path keeps
# working): the view objects (view_types), one series in words and charts (view_series), and the
# summaries, keys and contents (view_summary).
from .view_series import NOT_ASSESSED as NOT_ASSESSED
from .view_series import SPC_WORDS as SPC_WORDS
from .view_series import breakdown_chart as breakdown_chart
from .view_series import current_run_text as current_run_text
from .view_series import funnel_for as funnel_for
from .view_series import inequality_text as inequality_text
from .view_series import polarity_with_provenance as polarity_with_provenance
from .view_series import rag_view as rag_view
from .view_series import series_chart as series_chart
from .view_series import series_decimals as series_decimals
from .view_series import series_judgement_view as series_judgement_view
from .view_series import series_short_value as series_short_value
from .view_series import series_value as series_value
from .view_series import spc_text as spc_text
from .view_summary import (
    _KEY_RAG,
    _KEY_SEVERITY,
    _contents,
    _findings_summary,
    _key_chart,
    _SummaryParts,
    key_polarity,
)
from .view_types import (
    AuditView,
    IndicatorView,
    KeyEntry,
    MeasureCard,
    MeasureView,
    OutcomeView,
    PublishedCheck,
    ReportView,
    RiskView,
    SectionView,
)
from .view_types import ContentsEntry as ContentsEntry
from .view_types import CountView as CountView
from .view_types import FigureView as FigureView
from .view_types import FindingView as FindingView
from .view_types import FocusItemView as FocusItemView
from .view_types import FocusListView as FocusListView
from .view_types import GlanceRow as GlanceRow
from .view_types import GlanceTable as GlanceTable
from .view_types import PublishedFocusItem as PublishedFocusItem
from .view_types import RagView as RagView
from .view_types import SeriesJudgementView as SeriesJudgementView
from .view_types import SeriesView as SeriesView

__all__ = [
    "FigureView",
    "FindingView",
    "FocusItemView",
    "FocusListView",
    "IndicatorView",
    "MeasureView",
    "OutcomeView",
    "PublishedCheck",
    "RagView",
    "ReportView",
    "RiskView",
    "SectionView",
    "SeriesJudgementView",
    "SeriesView",
    "build_view",
    "current_run_text",
    "funnel_for",
    "rag_view",
    "series_chart",
    "series_decimals",
    "series_judgement_view",
    "series_short_value",
    "series_value",
    "spc_text",
]


def build_view(
    framework: Framework,
    judged: FrameworkJudgement,
    findings: Sequence[Finding],
    *,
    outcome_id: str | None = None,
    period: Period | None = None,
    published_period: Period | None = None,
) -> ReportView:
    """The report's view-model.

    ``framework``, ``judged`` and ``findings`` must describe the same data: pass the framework already
    cut to ``period`` (see :func:`outcomes.report.select.select_period`). ``published_period`` is the
    period the dataset's published judgements belong to (default: ``framework.reporting_period``); the
    published words are audited only when the report is for that period.
    """
    period = period or framework.reporting_period
    published_period = published_period or framework.reporting_period
    ids = select_outcomes(framework, outcome_id)
    builder = _Builder(framework, judged, findings, period, audit=(period == published_period))
    outcomes = tuple(builder.outcome(o) for o in framework.outcomes if o.id in ids)
    if not outcomes:
        raise ReportError("The framework has no outcomes to report.")
    report = framework.report
    titles = ", ".join(o.title for o in outcomes)
    doc_title = f"{titles}: {report.title}, {period} — {framework.organisation}"
    note = "" if period == published_period else (
        f"This report is for {period}, not the dataset's own reporting period {published_period}: later "
        "figures are left out and the published report's words are not audited.")
    return ReportView(
        doc_title=doc_title,
        title=report.title,
        organisation=framework.organisation,
        area=framework.home_area.name,
        reporting_period=str(period),
        reporting_period_dates=period.label("dates"),
        published=report.published,
        data_date=report.data_date or report.published,
        status=cap(report.status or "draft"),
        lang="en-GB",
        outcomes=outcomes,
        contents=_contents(outcomes),
        key_rag=_KEY_RAG,
        key_risk_scores=tuple(KeyEntry(score, f"risk-{tone}", meaning) for score, (tone, meaning) in RISK_SCORES.items()),
        key_risk_trends=tuple(KeyEntry(cap(word), "", meaning) for word, meaning in RISK_TRENDS.items()),
        key_chart=_key_chart(),
        key_severity=_KEY_SEVERITY,
        findings=tuple(builder.finding(f) for f in findings),
        findings_summary=_findings_summary(findings),
        methods=builder.methods(),
        settings_text=builder.settings_text(),
        period_note=note,
        charts=tuple(builder.charts),
        key_polarity=key_polarity(
            [sr for o in framework.outcomes if o.id in ids for sr in o.all_series()]),
    )


def _officers(officers: Iterable[object]) -> str:
    out = []
    for o in officers:
        name, role = getattr(o, "name", ""), getattr(o, "role", "")
        out.append(f"{name} ({role})" if role else name)
    return "; ".join(out)


class _Builder(_SummaryParts):
    """Builds the view of a framework: the indexes and the outcome, its sections, indicators and risks;
    the parts for a series and for the summary come from :mod:`.view_series` and :mod:`.view_summary`."""

    def __init__(
        self,
        framework: Framework,
        judged: FrameworkJudgement,
        findings: Sequence[Finding],
        period: Period,
        *,
        audit: bool,
    ) -> None:
        self.fw = framework
        self.judged = judged
        self.by_series = judged.by_series_id
        self.findings = list(findings)
        self.period = period
        self.audit = audit
        self.charts: list[Chart] = []
        self.anchors: dict[str, str] = {}  # outcomes, indicators, measures; risks as "risk:<id>"
        self.series_anchors: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.parents: dict[str, str] = {}
        self.home = framework.home_area.name
        self._index()
        # the one focus numbering (series 1..N, risks R1..RK) every output shows: report/focus.py
        self.focus_numbers = focus_numbers(judged)
        self.findings_by_subject: dict[str, list[Finding]] = defaultdict(list)
        for f in self.findings:
            self.findings_by_subject[f.subject_id].append(f)

    # ---- risks -------------------------------------------------------------------------------------

    def risk(self, r: Risk) -> RiskView:
        score = r.score.strip().upper()
        tone = RISK_SCORES.get(score, ("", ""))[0]
        rj = next((x for x in self.judged.risks if x.risk.id == r.id), None)
        focus = ""
        if rj is not None and rj.focus is not None and rj.focus.rank is not None:
            focus = f"For focus ({self.focus_numbers.label('risk', r.id)})"
        printed = r.trend_as_published.strip()
        trend = cap(r.trend.strip().lower())
        return RiskView(
            id=r.id,
            anchor=self.anchor_for(f"risk:{r.id}") or f"risk-{slug(r.id)}",
            title=r.title,
            score=score,
            score_letter=tone,
            trend=trend,
            trend_printed=printed if printed and printed.lower() != r.trend.lower() else "",
            indicators=tuple((self.titles.get(i, i), self.anchors.get(i, "")) for i in r.indicators),
            focus=focus,
            owner=r.owner,
            likelihood_impact=(f"{r.likelihood} × {r.impact} = {r.likelihood * r.impact}"
                               if r.likelihood is not None and r.impact is not None else ""),
        )

    # ---- indicators and sections ---------------------------------------------------------------------

    def indicator(self, ind: PopulationIndicator) -> IndicatorView:
        series = tuple(self.series(s, small=False) for s in ind.series)
        measures = tuple(self.measure(m) for m in ind.measures)
        narrative = ind.narrative_for(self.period)
        blocks = tuple((title, markdown_html(text)) for title, text in narrative.blocks()) if narrative else ()
        vfm = ind.value_for_money
        return IndicatorView(
            id=ind.id,
            anchor=self.anchors[ind.id],
            number=ind.number,
            title=ind.title,
            heading=f"{ind.number} {ind.title}".strip(),
            lead_officers=_officers(ind.lead_officers),
            series=series,
            measures=measures,
            measure_cards=tuple(
                MeasureCard(
                    title=pm.title + (f": {sv.short_title}" if len(pm.series) > 1 else ""),
                    series=sv,
                    measure_anchor=pm.anchor if i == 0 else "",
                    measure_audit=pm.published if i == 0 else None,
                )
                for pm in measures for i, sv in enumerate(pm.series)
            ),
            risks=tuple(self.risk(r) for r in self.fw.risks_for(ind.id)),
            value_for_money=vfm_text(vfm),
            value_for_money_measured=vfm.status == "measured",
            narrative=blocks,
            narrative_period=str(narrative.period) if narrative and narrative.period else "",
            findings=self.findings_for(ind.id) if ind.id not in {s.id for s in ind.series} else (),
        )

    def measure(self, m: object) -> MeasureView:
        from outcomes.model import PerformanceMeasure

        assert isinstance(m, PerformanceMeasure)
        series = tuple(self.series(s, small=True) for s in m.series)
        published: tuple[PublishedCheck, ...] = ()
        if self.audit and m.published_trend:
            words = {sv.trend.word.lower() for sv in series}
            said = normalise_word(m.published_trend)
            published = (PublishedCheck("Trend", m.published_trend.lower(), " / ".join(sorted(words)),
                                        words == {said}),)
        return MeasureView(m.id, self.anchors[m.id], m.title, series, AuditView.of(published),
                           _officers(m.lead_officers))

    def sections(self, outcome: Outcome) -> tuple[SectionView, ...]:
        groups: dict[str, list[PopulationIndicator]] = {}
        order: list[str] = []
        for ind in outcome.indicators:
            key = ind.section or f"indicator:{ind.id}"
            if key not in groups:
                groups[key] = []
                order.append(key)
            groups[key].append(ind)
        out: list[SectionView] = []
        for key in order:
            members = groups[key]
            first = members[0]
            if first.section:
                number = first.section
                title = first.section_title or " / ".join(i.title for i in members)
                sid = f"sec-{slug(first.section)}"
            else:
                number = first.number
                title = first.title
                sid = f"sec-{slug(first.id)}"
            heading = f"{number} {title}".strip()
            out.append(SectionView(
                id=key,
                anchor=sid,
                number=number,
                title=title,
                heading=heading,
                running=f"{outcome.title.upper()}: {heading}",
                indicators=tuple(self.indicator(i) for i in members),
            ))
        return tuple(out)

    # ---- the outcome ---------------------------------------------------------------------------------

    def outcome(self, outcome: Outcome) -> OutcomeView:
        sponsor = outcome.sponsor
        sections = self.sections(outcome)
        return OutcomeView(
            id=outcome.id,
            anchor=self.anchors[outcome.id],
            title=outcome.title,
            sponsor=sponsor.name if sponsor else "",
            sponsor_role=sponsor.role if sponsor else "",
            introduction=" ".join(outcome.introduction.split()),
            counts=self.counts(outcome),
            glance=self.glance(sections),
            focus=self.focus(outcome),
            focus_note=FOCUS_RANKING_SENTENCE,
            sections=sections,
            unassigned_risks=tuple(self.risk(r) for r in self.fw.unassigned_risks(outcome.id)),
            contacts=tuple((c.name, c.role) for c in outcome.contacts),
            lead_officers=tuple((c.name, c.role) for c in outcome.lead_officers),
        )
