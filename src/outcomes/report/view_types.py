"""The report's view objects: what each part of a report shows, already worded, formatted and drawn
(frozen dataclasses the templates, the Word writer and the web tracker read)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from .charts import Chart, responsive_charts
from .text import cap, rag_name

# --------------------------------------------------------------------------------------------------
# The view objects


@dataclass(frozen=True)
class RagView:
    """A judgement ready to print: word, RAG letter and its name, method, reason, why."""

    word: str  # "Improving"
    letter: str  # "G" | "A" | "R" | "" (no colour)
    colour: str  # "Green" | "Amber" | "Red" | "No rating"
    method: str  # the method's label
    reason: str
    why: str = ""
    css: str = "rag-none"
    judgement: str = ""  # the engine's own word, lower case ("improving"): filters, exports and the API use it
    method_code: str = ""  # the method's code ("ci-overlap")

    @property
    def badge(self) -> str:
        return self.letter or "–"

    @property
    def assessed(self) -> bool:
        return self.judgement not in ("", "not assessed", "not compared")


@dataclass(frozen=True)
class FigureView:
    """A previous or latest figure: '32.8 per 10,000' for '2017-18'."""

    label: str  # "Previous" | "Latest"
    value: str
    period: str
    note: str = ""  # "provisional"


@dataclass(frozen=True)
class PublishedCheck:
    """What the published report said against what the figures say."""

    what: str  # "Trend" | "Comparator" | "Previous figure" | ...
    said: str
    says: str
    agrees: bool
    reason: str = ""

    @property
    def sentence(self) -> str:
        if self.agrees:
            return f"Report said: {self.said} — figures say: {self.says}."
        tail = f" ({self.reason.rstrip('.')})" if self.reason else ""
        return f"Report said: {self.said} — figures say: {self.says}{tail}."


@dataclass(frozen=True)
class AuditView:
    """The published report against the figures: the checks that differ, and one line for those that agree."""

    differs: tuple[PublishedCheck, ...]
    agrees: str  # "Previous figure, latest figure and trend agree with the figures." or ""

    @classmethod
    def of(cls, checks: Sequence[PublishedCheck]) -> AuditView:
        agreeing = [c.what.lower() for c in checks if c.agrees]
        text = ""
        if agreeing:
            names = agreeing[0] if len(agreeing) == 1 else ", ".join(agreeing[:-1]) + " and " + agreeing[-1]
            text = f"{cap(names)} as published agree{'s' if len(agreeing) == 1 else ''} with the figures."
        return cls(tuple(c for c in checks if not c.agrees), text)


@dataclass(frozen=True)
class FindingView:
    code: str
    severity: str  # error | warning | info
    subject: str
    subject_anchor: str
    message: str
    title: str = ""  # the check's plain name ("A figure is out of date"); the code stays in the appendix


@dataclass(frozen=True)
class SeriesView:
    id: str
    anchor: str
    title: str
    short_title: str
    unit: str  # "Rate per 10,000"
    polarity: str  # "lower is better"
    previous: FigureView | None
    latest: FigureView | None
    trend: RagView
    comparator: RagView
    comparator_name: str  # "England" or ""
    comparator_label: str  # "England 43.1 per 10,000 (period not stated)" or ""
    other_comparators: tuple[tuple[str, RagView], ...]
    current_run: str
    chart: Chart
    chart_narrow: Chart | None  # the chart drawn for a phone (HTML only)
    notes: tuple[str, ...]
    findings: tuple[FindingView, ...]
    published: AuditView
    spc_used: bool
    kind: str
    funnel: Chart | None = None  # the latest period across a comparator group, when the group has the figures
    inequality: str = ""  # the slope index of inequality across deprivation quantiles, in words

    @property
    def chart_pair(self) -> str:
        """The wide chart and its phone variant, one shown at a time by the stylesheet (HTML only)."""
        return responsive_charts(self.chart, self.chart_narrow)


@dataclass(frozen=True)
class MeasureView:
    id: str
    anchor: str
    title: str
    series: tuple[SeriesView, ...]
    published: AuditView
    lead_officers: str


@dataclass(frozen=True)
class MeasureCard:
    """One series of a performance measure as a card (a measure with several series has several cards)."""

    title: str  # the measure's title, with the series' short title when it has several
    series: SeriesView
    measure_anchor: str  # set on the first card of a measure
    measure_audit: AuditView | None  # the measure's own published trend (first card only)


@dataclass(frozen=True)
class RiskView:
    id: str
    anchor: str
    title: str
    score: str  # HIGH | MEDIUM | LOW
    score_letter: str  # R | A | G (the tone the score is drawn in)
    trend: str  # "Unchanged"
    trend_printed: str  # as printed, when it differs ("IMPROVED")
    indicators: tuple[tuple[str, str], ...]  # (title, anchor)
    focus: str  # "Focus #3" or ""
    owner: str
    likelihood_impact: str


@dataclass(frozen=True)
class IndicatorView:
    id: str
    anchor: str
    number: str
    title: str
    heading: str  # "01 Rate of children subject to a child protection plan"
    lead_officers: str
    series: tuple[SeriesView, ...]
    measures: tuple[MeasureView, ...]
    measure_cards: tuple[MeasureCard, ...]
    risks: tuple[RiskView, ...]
    value_for_money: str
    value_for_money_measured: bool
    narrative: tuple[tuple[str, str], ...]  # (block title, safe HTML)
    narrative_period: str
    findings: tuple[FindingView, ...]  # about the indicator as a whole (not one of its series)


@dataclass(frozen=True)
class SectionView:
    id: str
    anchor: str
    number: str
    title: str
    heading: str  # "05 Rates of crime, antisocial behaviour and domestic abuse in Dorset"
    running: str  # running header text
    indicators: tuple[IndicatorView, ...]


@dataclass(frozen=True)
class FocusItemView:
    rank: int  # the focus number (series 1..N; risks 1..K)
    kind: str
    label: str  # "#3" for a series, "R2" for a risk (report/focus.py)
    title: str
    parent: str  # the indicator or measure a series belongs to
    anchor: str
    score: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class PublishedFocusItem:
    text: str
    anchor: str  # "" when it matches nothing
    matched: str  # the title it matched, or ""
    in_ours: str  # "Also ours (#2)" / "Not in ours: ..." / "Matches nothing in the framework"
    agrees: bool


@dataclass(frozen=True)
class FocusListView:
    kind: str  # population_indicator | performance_measure | risk
    title: str  # "Population indicators for focus"
    items: tuple[FocusItemView, ...]
    published: tuple[PublishedFocusItem, ...]
    published_title: str


@dataclass(frozen=True)
class CountView:
    what: str  # "Population indicators"
    count: int
    detail: str  # "11 series"
    stated: str  # "The published summary stated 22." or ""
    charts: tuple[Chart, ...]


@dataclass(frozen=True)
class GlanceRow:
    """One series in the executive summary's at-a-glance table."""

    anchor: str
    label: str  # "01 Rate of children subject to a child protection plan" / "... : Primary"
    latest: str  # "32.8 per 10,000"
    latest_period: str
    trend: RagView
    comparator: RagView
    comparator_name: str
    audit: str  # "Differs: previous figure, comparator" | "Agrees" | "–"
    audit_differs: bool
    focus: str  # "#3" or ""


@dataclass(frozen=True)
class GlanceTable:
    caption: str
    first_column: str
    rows: tuple[GlanceRow, ...]
    comparators: bool  # whether any row has a comparator (the column is left out otherwise)


@dataclass(frozen=True)
class OutcomeView:
    id: str
    anchor: str
    title: str
    sponsor: str
    sponsor_role: str
    introduction: str
    counts: tuple[CountView, ...]
    glance: tuple[GlanceTable, ...]
    focus: tuple[FocusListView, ...]
    focus_note: str  # how the focus numbers are made (report/focus.py), shown beside them
    sections: tuple[SectionView, ...]
    unassigned_risks: tuple[RiskView, ...]
    contacts: tuple[tuple[str, str], ...]
    lead_officers: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class KeyEntry:
    code: str  # what is printed: "G", "HIGH", "- - -"
    css: str
    meaning: str
    swatch: str = ""  # an inline SVG sample for chart marks


@dataclass(frozen=True)
class ContentsEntry:
    anchor: str
    text: str
    level: int


@dataclass(frozen=True)
class ReportView:
    doc_title: str
    title: str
    organisation: str
    area: str
    reporting_period: str
    reporting_period_dates: str
    published: str
    data_date: str
    status: str  # "Draft" | "Published"
    lang: str
    outcomes: tuple[OutcomeView, ...]
    contents: tuple[ContentsEntry, ...]
    key_rag: tuple[KeyEntry, ...]
    key_risk_scores: tuple[KeyEntry, ...]
    key_risk_trends: tuple[KeyEntry, ...]
    key_chart: tuple[KeyEntry, ...]
    key_severity: tuple[KeyEntry, ...]
    findings: tuple[FindingView, ...]
    findings_summary: str
    methods: tuple[tuple[str, int], ...]  # (method label, series judged with it)
    settings_text: str
    period_note: str  # when the report is for another period than the dataset's own
    charts: tuple[Chart, ...] = field(default=())  # every chart, for benchmarks and tests
    key_polarity: tuple[KeyEntry, ...] = field(default=())  # where the series' polarities came from


@dataclass(frozen=True)
class SeriesJudgementView:
    """One series' judgements in words, for pages that list many series (the tracker's scorecard)."""

    trend: RagView
    comparator: RagView
    current_run: str = ""
    focus_rank: int | None = None
    focus_reason: str = ""
    spc: str = ""
    #: every comparator judgement (benchmarks and groups): as ``ComparatorJudgement.to_dict`` records,
    #: and in words, in the same order
    comparators: tuple[dict[str, object], ...] = ()
    comparator_views: tuple[RagView, ...] = ()


NOT_ASSESSED = RagView("Not assessed", "", rag_name(""), "", "No judgement was made.", judgement="not assessed")
