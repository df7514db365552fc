"""One series in the report's words and charts: its judgements (RagView, the run and SPC sentences),
its figures at one number of decimals, its line chart (wide, small and for phones) and funnel plot,
its notes and the audit of what the published report said. The report's builder and the web
tracker (through its adapter) both use these, so every output says, prints and draws the same."""

from __future__ import annotations

import math
from collections import Counter

from outcomes.judge import FrameworkJudgement, Judgement, SeriesJudgement
from outcomes.judge.inequality import inequality, latest_breakdown
from outcomes.judge.method import ComparatorJudgement, polarity_text
from outcomes.judge.quality import CHECKS, Finding
from outcomes.model import (
    Framework,
    Observation,
    PerformanceMeasure,
    Period,
    PeriodKind,
    PopulationIndicator,
    Series,
)

from .charts import (
    Chart,
    ChartPoint,
    FunnelChartInput,
    FunnelPoint,
    LineChartInput,
    Reference,
    SpcLimits,
    axis_title,
    common_decimals,
    funnel_chart,
    line_chart,
    short_value,
    value_text,
)
from .focus import FocusNumbers
from .select import ReportError
from .text import cap, normalise_word, rag_name, slug
from .view_types import (
    NOT_ASSESSED,
    AuditView,
    FigureView,
    FindingView,
    PublishedCheck,
    RagView,
    SeriesJudgementView,
    SeriesView,
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


def _month_x(period: Period) -> float:
    """A position for a period on a time axis, in months (the period's end)."""
    end = period.end
    return end.year * 12 + end.month - 1 + end.day / 31


# --------------------------------------------------------------------------------------------------
# One series' judgements and figures in words: the report's builder and the web tracker (through its
# adapter) both use these, so every output says and prints the same.


def rag_view(j: Judgement) -> RagView:
    """A judgement ready to print: 'Improving', its RAG letter and colour, the method and reason."""
    letter = j.rag or ""
    return RagView(
        word=cap(j.word),
        letter=letter,
        colour=rag_name(letter),
        method=j.method_label,
        reason=j.reason,
        why=j.why,
        css=f"rag-{letter}" if letter else "rag-none",
        judgement=j.word,
        method_code=j.method,
    )


def current_run_text(sj: SeriesJudgement) -> str:
    """'Rising for 3 periods in a row' from the engine's current run, or ''."""
    if not sj.current_run or not sj.current_direction:
        return ""
    n = sj.current_run
    word = "rising" if sj.current_direction == "up" else "falling"
    return f"{cap(word)} for {n} period{'s' if n != 1 else ''} in a row"


#: the words for :data:`outcomes.stats.spc.POINT_TYPES` (what ``XmR.point_types`` holds)
SPC_WORDS = {
    "common_cause": "common cause variation (no signal)",
    "special_cause_improvement": "special cause: improvement",
    "special_cause_concern": "special cause: concern",
    "special_cause_neutral_high": "special cause: high (neither direction is better)",
    "special_cause_neutral_low": "special cause: low (neither direction is better)",
}


def spc_text(sj: SeriesJudgement) -> str:
    """A sentence about the series' XmR chart, when the engine drew one ('' otherwise)."""
    x = sj.spc
    if x is None:
        return ""
    s = sj.series
    text = (f"XmR chart over {x.points_used} points{' (trial limits)' if x.trial_limits else ''}: "
            f"mean {series_value(s, x.mean)}, process limits {series_value(s, x.lower_limit)} to "
            f"{series_value(s, x.upper_limit)}.")
    latest = next((t for t in reversed(x.point_types) if t and t != "missing"), "")
    if latest:
        text += f" Latest point: {SPC_WORDS.get(latest, latest.replace('_', ' '))}."
    return text


def series_decimals(s: Series) -> int:
    """The decimals every output prints a series' figures with (its values and comparators, at most 2)."""
    return common_decimals([o.value for o in s.observations] + [c.value for c in s.comparators])


def series_value(s: Series, value: float | None) -> str:
    """A figure of ``s`` with its unit, as every output prints it: '32.8 per 10,000', '28.9%'."""
    return value_text(s.unit, value, series_decimals(s))


def series_short_value(s: Series, value: float | None) -> str:
    """A figure of ``s`` without 'per N' (for a table whose heading names the unit): '32.8', '28.9%'."""
    return short_value(s.unit, value, series_decimals(s))


def series_judgement_view(sj: SeriesJudgement | None, numbers: FocusNumbers | None = None) -> SeriesJudgementView:
    """``numbers`` (:func:`outcomes.report.focus.focus_numbers` of the framework) gives the focus number
    every output shows; without it, the judge's own rank (which counts risks too)."""
    if sj is None:
        return SeriesJudgementView(NOT_ASSESSED, NOT_ASSESSED)
    focus = sj.focus
    rank = focus.rank if focus is not None else None
    if numbers is not None:
        rank = numbers.of_series(sj.series.id)
    return SeriesJudgementView(
        trend=rag_view(sj.trend), comparator=rag_view(sj.comparator), current_run=current_run_text(sj),
        focus_rank=rank, focus_reason=" ".join(focus.reasons) if focus is not None and rank is not None else "",
        spc=spc_text(sj), comparators=tuple(c.to_dict() for c in sj.comparators),
        comparator_views=tuple(rag_view(c) for c in sj.comparators),
    )


class _SeriesParts:
    """The builder's parts for one series (see :class:`outcomes.report.view._Builder`).

    The builder's state (set by ``_Builder.__init__``), its indexes of anchors and titles, and how it
    words a judgement, a finding and a series."""

    fw: Framework
    judged: FrameworkJudgement
    by_series: dict[str, SeriesJudgement]
    findings: list[Finding]
    findings_by_subject: dict[str, list[Finding]]
    period: Period
    audit: bool
    charts: list[Chart]
    anchors: dict[str, str]
    series_anchors: dict[str, str]
    titles: dict[str, str]
    parents: dict[str, str]
    home: str
    focus_numbers: FocusNumbers

    # ---- indexes ----------------------------------------------------------------------------------

    def _index(self) -> None:
        for outcome in self.fw.outcomes:
            self.anchors[outcome.id] = f"outcome-{slug(outcome.id)}"
            self.titles[outcome.id] = outcome.title
            for ind in outcome.indicators:
                owners: list[tuple[str, PopulationIndicator | PerformanceMeasure]] = [("ind", ind)]
                owners += [("pm", m) for m in ind.measures]
                for prefix, owner in owners:  # the indicator, then each of its measures
                    self.anchors[owner.id] = f"{prefix}-{slug(owner.id)}"
                    self.titles[owner.id] = owner.title
                    for s in owner.series:
                        self.series_anchors[s.id] = f"ser-{slug(s.id)}"
                        self.titles.setdefault(s.id, s.title)
                        self.parents[s.id] = owner.title
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

    # ---- judgements and findings --------------------------------------------------------------------------------

    def rag(self, j: Judgement) -> RagView:
        return rag_view(j)

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
        # every series has a phone chart (the HTML shows it instead at 48rem and below; the PDF never does)
        narrow = self.chart(s, sj, small=False, narrow=True, decimals=decimals, suffix="-narrow")
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
        return current_run_text(sj)

    def chart(self, s: Series, sj: SeriesJudgement, *, small: bool, decimals: int, suffix: str = "",
              narrow: bool = False) -> Chart:
        chart = series_chart(self.fw, sj, s, small=small, narrow=narrow, suffix=suffix)
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


def breakdown_chart(framework: Framework, s: Series, *, small: bool, suffix: str = "",
                    narrow: bool = False) -> Chart | None:
    """For a series that has only a deprivation breakdown: its values by quantile, with their 95% limits."""
    rows = latest_breakdown(s, framework.home_area.code)
    home = framework.home_area.name
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
        title=f"{s.title}: {home}, {rows[0].category_type} ({rows[0].period}), 1 = most deprived",
        unit=s.unit, points=points, home_name=home, small=small, narrow=narrow,
    ))
    return chart

def series_chart(framework: Framework, sj: SeriesJudgement, s: Series, *, small: bool = False,
                 narrow: bool = False, suffix: str = "") -> Chart:
    """The line chart of a series, as every output draws it (the HTML and PDF report, Word through its
    PNG, the tracker's indicator page): home values with their 95% intervals, comparators and target,
    SPC limits and special-cause points, series breaks. ``small`` is the small variant (a measure's card),
    ``narrow`` the phone variant (shown instead of the wide one on a narrow screen)."""
    home = framework.home_area.name
    if not s.observations and s.breakdowns:
        by_quantile = breakdown_chart(framework, s, small=small, narrow=narrow, suffix=suffix)
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
        name = c.name or framework.area_name(c.area)
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
        title=f"{s.title}: {home}" + (f" and {', '.join(r.name for r in references)}" if references else ""),
        unit=s.unit,
        points=tuple(points),
        home_name=home,
        references=tuple(references),
        spc=spc,
        breaks=breaks,
        small=small,
        narrow=narrow,
    ))
    return chart


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
