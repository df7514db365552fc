"""The report's view-model: everything a template shows, already worded, formatted and drawn.

Templates present and never compute: every word, number (with its unit), RAG letter, chart (SVG
markup), reason and link target is prepared here by :func:`build_view` from the framework, its
judgements (:func:`outcomes.judge.judge_framework`) and its data-quality findings
(:func:`outcomes.judge.quality.run_checks`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from outcomes.judge import FocusItem, FrameworkJudgement, Judgement, SeriesJudgement
from outcomes.judge.inequality import inequality, latest_breakdown
from outcomes.judge.method import ComparatorJudgement, polarity_text
from outcomes.judge.quality import CHECKS, Finding, match_risk, match_title
from outcomes.model import (
    Framework,
    Observation,
    Outcome,
    Period,
    PeriodKind,
    PopulationIndicator,
    Risk,
    Series,
)

from .charts import (
    BarItem,
    Chart,
    ChartPoint,
    FunnelChartInput,
    FunnelPoint,
    LineChartInput,
    Reference,
    SpcLimits,
    axis_title,
    bar_chart,
    common_decimals,
    funnel_chart,
    line_chart,
    value_text,
)
from .focus import FOCUS_RANKING_SENTENCE, focus_numbers
from .select import ReportError, select_outcomes
from .text import (
    RISK_SCORES,
    RISK_TRENDS,
    cap,
    markdown_html,
    normalise_word,
    rag_name,
    slug,
    vfm_text,
)

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
    "SeriesView",
    "build_view",
]


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

    @property
    def badge(self) -> str:
        return self.letter or "–"


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
    chart_narrow: Chart | None  # a small version of a large chart, for phones (HTML only)
    notes: tuple[str, ...]
    findings: tuple[FindingView, ...]
    published: AuditView
    spc_used: bool
    kind: str
    funnel: Chart | None = None  # the latest period across a comparator group, when the group has the figures
    inequality: str = ""  # the slope index of inequality across deprivation quantiles, in words


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


# --------------------------------------------------------------------------------------------------
# Building


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


def polarity_with_provenance(series: Series) -> str:
    """'lower is better' with where it came from when the framework did not declare it itself.

    >>> from outcomes.model import PeriodKind, Polarity, Unit
    >>> s = Series("x", "X", Unit("percentage"), Polarity.LOWER_IS_BETTER, PeriodKind.CALENDAR_YEAR,
    ...            polarity_source="Fingertips 'Recent Trend'")
    >>> polarity_with_provenance(s)
    "lower is better (taken from Fingertips 'Recent Trend', not yet confirmed)"
    """
    text = polarity_text(series.polarity)
    if series.polarity_provenance == "source":
        confirmed = f"confirmed by {series.polarity_confirmed}" if series.polarity_confirmed else "not yet confirmed"
        text += f" (taken from {series.polarity_source}, {confirmed})"
    return text


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


def _officers(officers: Iterable[object]) -> str:
    out = []
    for o in officers:
        name, role = getattr(o, "name", ""), getattr(o, "role", "")
        out.append(f"{name} ({role})" if role else name)
    return "; ".join(out)


def _month_x(period: Period) -> float:
    """A position for a period on a time axis, in months (the period's end)."""
    end = period.end
    return end.year * 12 + end.month - 1 + end.day / 31


class _Builder:
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

    # ---- indexes ----------------------------------------------------------------------------------

    def _index(self) -> None:
        for outcome in self.fw.outcomes:
            self.anchors[outcome.id] = f"outcome-{slug(outcome.id)}"
            self.titles[outcome.id] = outcome.title
            for ind in outcome.indicators:
                self.anchors[ind.id] = f"ind-{slug(ind.id)}"
                self.titles[ind.id] = ind.title
                for s in ind.series:
                    self.series_anchors[s.id] = f"ser-{slug(s.id)}"
                    self.titles.setdefault(s.id, s.title)
                    self.parents[s.id] = ind.title
                for m in ind.measures:
                    self.anchors[m.id] = f"pm-{slug(m.id)}"
                    self.titles[m.id] = m.title
                    for s in m.series:
                        self.series_anchors[s.id] = f"ser-{slug(s.id)}"
                        self.titles.setdefault(s.id, s.title)
                        self.parents[s.id] = m.title
        for r in self.fw.risks:
            self.anchors[f"risk:{r.id}"] = f"risk-{slug(r.id)}"
            self.titles.setdefault(r.id, r.title)

    def anchor_for(self, subject_id: str) -> str:
        """The link target for an id: an indicator or measure, else a series, else a risk."""
        if subject_id in self.anchors:
            return self.anchors[subject_id]
        if subject_id in self.series_anchors:
            return self.series_anchors[subject_id]
        return self.anchors.get(f"risk:{subject_id}", "")

    # ---- judgements --------------------------------------------------------------------------------

    def rag(self, j: Judgement) -> RagView:
        letter = j.rag or ""
        return RagView(
            word=cap(j.word),
            letter=letter,
            colour=rag_name(letter),
            method=j.method_label,
            reason=j.reason,
            why=j.why,
            css=f"rag-{letter}" if letter else "rag-none",
        )

    def methods(self) -> tuple[tuple[str, int], ...]:
        counts: Counter[str] = Counter()
        for sj in self.judged.series:
            counts[sj.trend.method_label] += 1
            if sj.comparator.method != "none":
                counts[sj.comparator.method_label] += 1
        return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def settings_text(self) -> str:
        s = self.judged.settings
        return (
            f"Previous vs latest: 'similar' within ±{s.tolerance * 100:g}% of the earlier value "
            f"(comparators without an interval: ±{s.comparator_band * 100:g}%); the latest value is compared "
            f"with the {'previous period' if s.compare_with == 'previous' else 'same period last year'}. "
            f"SPC (XmR) needs {s.spc_min_points} consecutive quarterly or monthly points; the recent-trend test "
            f"needs {s.trend_min_points} annual points with counts or intervals. Focus lists items scoring at "
            f"least {s.focus_min_score:g}."
        )

    # ---- findings ------------------------------------------------------------------------------------

    def finding(self, f: Finding) -> FindingView:
        check = CHECKS.get(f.code)
        title = check.title if check else f.code.replace("-", " ").capitalize()
        return FindingView(f.code, f.severity, f.subject, self.anchor_for(f.subject_id), f.message, title)

    def findings_for(self, subject_id: str) -> tuple[FindingView, ...]:
        return tuple(self.finding(f) for f in self.findings_by_subject.get(subject_id, []))

    # ---- series ------------------------------------------------------------------------------------

    def series(self, s: Series, *, small: bool) -> SeriesView:
        sj = self.by_series.get(s.id)
        if sj is None:
            raise ReportError(f"The judgements do not include the series '{s.id}': judge the same framework.")
        decimals = common_decimals([o.value for o in s.observations] + [c.value for c in s.comparators])
        unit = s.unit

        def figure(label: str, at: object) -> FigureView | None:
            value = getattr(at, "value", None)
            when = getattr(at, "period", None)
            if at is None or value is None:
                return None
            obs = s.at(when) if isinstance(when, Period) else None
            note = "provisional" if obs is not None and obs.is_provisional else ""
            return FigureView(label, value_text(unit, value, decimals), str(when) if when else "period not stated",
                              note)

        comparator = sj.comparator
        chart = self.chart(s, sj, small=small, decimals=decimals)
        narrow = None if small else self.chart(s, sj, small=True, decimals=decimals, suffix="-narrow")
        others = tuple(
            (c.name or "Comparator", self.rag(c)) for c in sj.comparators[1:] if c.method != "none" or c.reason
        )
        return SeriesView(
            id=s.id,
            anchor=self.series_anchors.get(s.id, f"ser-{slug(s.id)}"),
            title=s.title,
            short_title=s.short_title or s.title,
            unit=axis_title(unit),
            polarity=polarity_with_provenance(s),
            previous=figure("Previous", sj.previous),
            latest=figure("Latest", sj.latest),
            trend=self.rag(sj.trend),
            comparator=self.rag(comparator),
            comparator_name=comparator.name or "",
            comparator_label=self.comparator_label(s, comparator, decimals),
            other_comparators=others,
            current_run=self.current_run(sj),
            chart=chart,
            chart_narrow=narrow,
            notes=self.notes(s, sj),
            findings=self.findings_for(s.id),
            published=AuditView.of(self.published(s, sj) if self.audit else ()),
            spc_used=sj.spc is not None,
            kind=s.kind,
            funnel=None if small else self.funnel(s),
            inequality="" if small else self.inequality(s, decimals),
        )

    def comparator_label(self, s: Series, c: ComparatorJudgement, decimals: int) -> str:
        if not c.name or c.value is None:
            return ""
        unit = s.unit
        basis = next((x.basis for x in s.comparators if x.name == c.name and x.basis), "")
        if c.kind == "group" and c.rank is not None and c.of:
            return f"{c.name}: rank {c.rank} of {c.of}" + (f", median {value_text(unit, c.median, decimals)}"
                                                           if c.median is not None else "")
        when = f" ({c.period})" if c.period is not None else " (period not stated)"
        if basis and c.home_value is not None:
            return f"{c.name} {c.value:,g} {basis}{when}; {self.home} {c.home_value:,g}"
        return f"{c.name} {value_text(unit, c.value, decimals)}{when}"

    def current_run(self, sj: SeriesJudgement) -> str:
        if not sj.current_run or not sj.current_direction:
            return ""
        n = sj.current_run
        word = "rising" if sj.current_direction == "up" else "falling"
        return f"{cap(word)} for {n} period{'s' if n != 1 else ''} in a row"

    def breakdown_chart(self, s: Series, *, small: bool, suffix: str = "") -> Chart | None:
        """For a series that has only a deprivation breakdown: its values by quantile, with their 95% limits."""
        rows = latest_breakdown(s, self.fw.home_area.code)
        if not rows:
            return None
        z = 1.959964
        points = tuple(
            ChartPoint(
                label=str(b.quantile), long_label=b.category, x=float(b.quantile or 0), value=b.value,
                lower=b.lower95 if b.lower95 is not None else (
                    b.value - z * b.standard_error if b.value is not None and b.standard_error is not None else None),
                upper=b.upper95 if b.upper95 is not None else (
                    b.value + z * b.standard_error if b.value is not None and b.standard_error is not None else None),
            )
            for b in rows
        )
        chart = line_chart(LineChartInput(
            id=f"chart-{slug(s.id)}{suffix}",
            title=f"{s.title}: {self.home}, {rows[0].category_type} ({rows[0].period}), 1 = most deprived",
            unit=s.unit, points=points, home_name=self.home, small=small,
        ))
        self.charts.append(chart)
        return chart

    def chart(self, s: Series, sj: SeriesJudgement, *, small: bool, decimals: int, suffix: str = "") -> Chart:
        if not s.observations and s.breakdowns:
            by_quantile = self.breakdown_chart(s, small=small, suffix=suffix)
            if by_quantile is not None:
                return by_quantile
        intervals = {ip.period: ip for ip in sj.intervals}
        special: dict[Period, str] = {}
        spc: SpcLimits | None = None
        if sj.spc is not None:
            x = sj.spc
            if all(math.isfinite(v) for v in (x.mean, x.lower_limit, x.upper_limit)):
                spc = SpcLimits(float(x.mean), float(x.lower_limit), float(x.upper_limit),
                                bool(getattr(x, "trial_limits", False)))
            for p, t in zip(sj.spc_periods, x.point_types, strict=False):
                if t == "special_cause_improvement":
                    special[p] = "improvement"
                elif t == "special_cause_concern":
                    special[p] = "concern"
                elif t.startswith("special_cause_neutral"):
                    special[p] = "neutral"
        points: list[ChartPoint] = []
        previous: Observation | None = None
        for o in s.observations:
            ip = intervals.get(o.period)
            joined = previous is None or previous.period.steps_between(o.period) == 1 or (
                o.period.kind is PeriodKind.ROLLING and previous.period.end.year + 1 == o.period.end.year
                and previous.period.end.month == o.period.end.month)
            points.append(ChartPoint(
                label=o.period.label("short"),
                long_label=str(o.period),
                x=_month_x(o.period),
                value=o.value,
                lower=ip.lower95 if ip is not None else None,
                upper=ip.upper95 if ip is not None else None,
                provisional=o.is_provisional,
                special=special.get(o.period, ""),
                joined=joined,
            ))
            previous = o
        references: list[Reference] = []
        for c in s.comparators:
            rows = [o for o in s.benchmark_observations.get(c.area, []) if o.value is not None]
            name = c.name or self.fw.area_name(c.area)
            if rows:
                references.append(Reference(name, points=tuple(
                    (_month_x(o.period), float(o.value), str(o.period)) for o in rows if o.value is not None)))
            elif c.value is not None and c.home_value is None:
                references.append(Reference(name, value=c.value, period_label=str(c.period) if c.period else ""))
        if s.target is not None:
            references.append(Reference("Target", value=s.target.value, kind="target",
                                        period_label=str(s.target.period) if s.target.period else ""))
        breaks = tuple(_month_x(b) - 0.5 for b in s.breaks)
        chart = line_chart(LineChartInput(
            id=f"chart-{slug(s.id)}{suffix}",
            title=f"{s.title}: {self.home}" + (f" and {', '.join(r.name for r in references)}" if references else ""),
            unit=s.unit,
            points=tuple(points),
            home_name=self.home,
            references=tuple(references),
            spc=spc,
            breaks=breaks,
            small=small,
        ))
        self.charts.append(chart)
        return chart

    def inequality(self, s: Series, decimals: int) -> str:
        """The slope index of inequality of the series' latest deprivation breakdown, in words ("" if none)."""
        return inequality_text(s, self.fw.home_area.code, decimals)

    def funnel(self, s: Series) -> Chart | None:
        chart = funnel_for(self.fw, s)
        if chart is not None:
            self.charts.append(chart)
        return chart

    def notes(self, s: Series, sj: SeriesJudgement) -> tuple[str, ...]:
        notes: list[str] = []
        if s.definition:
            notes.append(f"Definition: {' '.join(s.definition.split())}")
        for b in s.breaks:
            if any(o.period < b for o in s.observations):
                notes.append(f"Series break: the definition or method changed from {b}; values before it are "
                             "not directly comparable.")
            else:
                notes.append(f"Series break: the definition or method changed from {b}; earlier values are not "
                             "shown.")
        for o in s.observations:
            if o.is_provisional:
                notes.append(f"{o.period}: provisional" + (f" — {o.note}" if o.note else "") + ".")
            elif o.note:
                notes.append(f"{o.period}: {o.note.rstrip('.')}.")
        for c in s.comparators:
            if c.note:
                notes.append(f"{c.name}: {c.note}")
        notes.extend(w for w in sj.warnings if w not in notes)
        sources = sorted({o.source for o in s.observations if o.source})
        if s.source:
            sources.insert(0, s.source)
        if sources:
            notes.append(f"Source: {'; '.join(dict.fromkeys(sources))}.")
        return tuple(notes)

    def published(self, s: Series, sj: SeriesJudgement) -> tuple[PublishedCheck, ...]:
        pub = s.published
        checks: list[PublishedCheck] = []
        unit = s.unit
        decimals = common_decimals([o.value for o in s.observations])
        for label, headline, ours in (("Previous figure", pub.previous, sj.previous),
                                      ("Latest figure", pub.latest, sj.latest)):
            if headline is None or headline.value is None:
                continue
            said = f"{value_text(unit, headline.value, decimals)} for '{headline.label}'"
            if ours is None or ours.value is None:
                continue
            says = f"{value_text(unit, ours.value, decimals)} for {ours.period}"
            same_value = abs(headline.value - ours.value) < 1e-9 * max(1.0, abs(ours.value))
            same_period = headline.period is not None and ours.period == headline.period
            agrees = same_value and same_period
            reason = ""
            if not same_value:
                reason = "the printed figure is not the series' value for that period"
            elif not same_period:
                reason = "the printed label is not the period of the figure"
            checks.append(PublishedCheck(label, said, says, agrees, reason))
        if pub.trend:
            said = normalise_word(pub.trend)
            says = sj.trend.word
            rag = f" ({pub.trend_rag})" if pub.trend_rag else ""
            basis = f", {pub.trend_basis.lower()}" if pub.trend_basis else ""
            checks.append(PublishedCheck("Trend", f"{pub.trend.lower()}{rag}{basis}",
                                         f"{says}" + (f" ({sj.trend.rag})" if sj.trend.rag else ""),
                                         said == says or says == "not assessed" and said == "",
                                         "" if said == says else sj.trend.reason))
        if pub.comparator:
            said = normalise_word(pub.comparator)
            says = sj.comparator.word
            rag = f" ({pub.comparator_rag})" if pub.comparator_rag else ""
            checks.append(PublishedCheck("Comparator", f"{pub.comparator.lower()}{rag}",
                                         f"{says}" + (f" ({sj.comparator.rag})" if sj.comparator.rag else ""),
                                         said == says, "" if said == says else sj.comparator.reason))
        return tuple(checks)

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
        return FocusItemView(number or 0, item.kind, self.focus_numbers.label(item.kind, item.id), title, parent if parent != item.title else "", anchor,
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


def inequality_text(s: Series, home: str, decimals: int | None = None) -> str:
    """The slope index of inequality of ``home``'s latest deprivation breakdown of ``s``, in words ("" if none).

    The one wording for the HTML and PDF report (through the view) and the Word document.
    """
    found = inequality(s, home)
    if found is None:
        return ""
    unit = s.unit

    def v(x: float) -> str:
        text = value_text(unit, x, decimals)
        return text.replace("%", " percentage points") if unit.type == "percentage" else text

    return (
        f"Slope index of inequality across {found.quantiles} {found.category_type} ({found.period}): "
        f"{v(found.sii)} between the most and the least deprived ends of the fitted line "
        f"(95% interval {v(found.sii_lower)} to {v(found.sii_upper)}); relative index {found.rii:.2f} "
        f"(95% interval {found.rii_lower:.2f} to {found.rii_upper:.2f}). A positive value means the figure "
        "is higher at the least deprived end."
    )


def funnel_for(framework: Framework, s: Series) -> Chart | None:
    """A funnel plot of the latest period across the series' first comparator group, or None.

    Drawn for a percentage (Wilson limits) or a rate per N (exact Poisson limits) when the home
    area and at least three members of the group have a value and a denominator for the latest
    period. The funnel is centred on the group's pooled value (all numerators over all
    denominators, the home area included), as PHE's funnel plots are. The report and the tracker
    both draw it from here.
    """
    if s.unit.type == "percentage":
        statistic, multiplier = "proportion", 100.0
    elif s.unit.type == "rate" and s.unit.per:
        statistic, multiplier = "rate", float(s.unit.per)
    else:
        return None
    group = next((c for c in s.comparators if c.kind == "group" and c.members), None)
    latest = next((o for o in reversed(s.observations) if o.value is not None and o.denominator), None)
    if group is None or latest is None:
        return None

    def at(code: str) -> Observation | None:
        return next((o for o in s.benchmark_observations.get(code, []) if o.period == latest.period), None)

    rows = [(code, o) for code in group.members if code != latest.area and (o := at(code)) is not None
            and o.value is not None and o.denominator]
    if len(rows) < 3:
        return None
    everyone = [(latest.area, latest), *rows]
    events = sum(float(o.numerator) if o.numerator is not None
                 else float(o.value or 0) * float(o.denominator or 0) / multiplier for _, o in everyone)
    baseline = events / sum(float(o.denominator or 0) for _, o in everyone) * multiplier
    home = framework.home_area.name
    points = tuple(FunnelPoint(framework.area_name(code) if code != latest.area else home,
                               float(o.denominator or 0), float(o.value or 0), home=code == latest.area)
                   for code, o in everyone)
    return funnel_chart(FunnelChartInput(
        id=f"funnel-{slug(s.id)}",
        title=f"{s.title}, {latest.period}: {home} and {group.name or 'the comparator group'}, funnel plot",
        unit=s.unit, statistic=statistic, baseline=baseline, points=points, multiplier=multiplier,
        baseline_label=f"{group.name or 'Group'} average",
        denominator_label="Population" if statistic == "rate" else "Denominator",
    ))
