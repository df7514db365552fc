"""The domain model: plain Python objects for an outcomes framework.

Words follow ``docs/glossary.md`` (Results-Based Accountability): an :class:`Outcome` has
:class:`PopulationIndicator` s (whole population, shared responsibility) and
:class:`PerformanceMeasure` s (services, direct responsibility). Both hold one or more
:class:`Series` of :class:`Observation` s over :class:`~outcomes.model.period.Period` s.

Nothing here reads files or computes judgements: see ``outcomes.sources`` and ``outcomes.judge``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from outcomes.model.period import Period, PeriodError, PeriodKind

__all__ = [
    "Area",
    "Comparator",
    "Dataset",
    "Framework",
    "Headline",
    "Narrative",
    "Observation",
    "Officer",
    "Outcome",
    "PerformanceMeasure",
    "Period",
    "PeriodError",
    "PeriodKind",
    "Polarity",
    "PopulationIndicator",
    "PublishedJudgement",
    "PublishedSummary",
    "ReportInfo",
    "Risk",
    "Series",
    "SeriesMethod",
    "Breakdown",
    "MethodInput",
    "Target",
    "Unit",
    "ValueForMoney",
    "FocusOverride",
]


class Polarity(StrEnum):
    """Which direction is good. Always declared, never guessed from a name."""

    HIGHER_IS_BETTER = "higher-is-better"
    LOWER_IS_BETTER = "lower-is-better"
    NO_JUDGEMENT = "no-judgement"


UNIT_TYPES = ("rate", "percentage", "count", "ratio", "currency", "number")


@dataclass(frozen=True)
class Unit:
    """How a value is measured: ``rate`` per ``per`` people, ``percentage``, ``count``, ...

    >>> Unit("rate", per=10_000).label
    'per 10,000'
    >>> Unit("percentage").format(28.9)
    '28.9%'
    >>> Unit("count").format(3766)
    '3,766'
    """

    type: str
    per: int | None = None
    currency: str = "£"
    decimals: int | None = None

    @property
    def label(self) -> str:
        if self.type == "rate" and self.per:
            return f"per {self.per:,}"
        if self.type == "percentage":
            return "%"
        if self.type == "currency":
            return self.currency
        return ""

    def format(self, value: float | None) -> str:
        if value is None or value != value:
            return "–"
        if self.decimals is not None:
            text = f"{value:,.{self.decimals}f}"
        elif float(value).is_integer() and self.type in ("count", "currency", "number"):
            text = f"{int(value):,}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        if self.type == "percentage":
            return f"{text}%"
        if self.type == "currency":
            return f"{self.currency}{text}"
        return text

    def describe(self) -> str:
        """A phrase for prose: 'rate per 10,000', 'percentage', 'count'."""
        if self.type == "rate" and self.per:
            return f"rate per {self.per:,}"
        return self.type


@dataclass(frozen=True)
class Officer:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Area:
    """A geography, ideally with its ONS code (E10000009 Dorset CC, E92000001 England)."""

    code: str
    name: str


@dataclass(slots=True)
class Observation:
    """One value of a series for one area and period, with what is known about it.

    Slotted (no ``__dict__``): a framework holds hundreds of thousands, and judging reads their fields
    column by column (:func:`outcomes.judge.intervals.compute_intervals`), which slots make quicker.
    Copy one with ``dataclasses.replace``.
    """

    series_id: str
    area: str
    period: Period
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    lower95: float | None = None
    upper95: float | None = None
    lower998: float | None = None
    upper998: float | None = None
    status: str = "final"  # final | provisional
    source: str = ""
    note: str = ""
    missing_reason: str = ""  # why value is None (suppressed 'c', not available 'x', ...)
    origin: str = ""  # where it was read: "observations.csv row 12"
    interval_method: str = ""  # the series method that computed value and limits from inputs; "" = read
    derived: bool = False  # computed from the series' inputs (inputs.csv), not read from observations.csv

    @property
    def is_provisional(self) -> bool:
        return self.status == "provisional"


@dataclass
class Comparator:
    """A benchmark (England, a region) or a group (statistical neighbours) for a series.

    ``value``/``period`` hold a single published benchmark figure; where the dataset carries the
    benchmark as a series (observation rows whose area is ``area``) those are used for matching
    periods. ``home_value`` is the home area's figure on the comparator's basis when that differs
    from the series itself (the seed compares a count of concerns as a rate per 100,000).
    """

    name: str
    area: str = ""
    kind: str = "benchmark"  # benchmark | group
    period: Period | None = None
    value: float | None = None
    home_value: float | None = None
    basis: str = ""  # e.g. "per 100,000 population"
    members: tuple[str, ...] = ()  # area codes of a group
    note: str = ""


@dataclass(frozen=True)
class Target:
    value: float
    period: Period | None = None
    note: str = ""


@dataclass(frozen=True)
class Headline:
    """A previous or latest figure as a report printed it (label kept exactly as published)."""

    label: str
    value: float | None
    period: Period | None = None
    text: str = ""


@dataclass
class PublishedJudgement:
    """What a published report said about a series, kept to audit it against the data."""

    previous: Headline | None = None
    latest: Headline | None = None
    extra: tuple[Headline, ...] = ()  # further figures a report printed (e.g. same quarter last year)
    trend: str = ""  # improving | similar | worsening (as printed, lower-cased)
    trend_rag: str = ""  # R | A | G
    trend_basis: str = ""  # what the report compared, e.g. "Compared to Q4 2016/17"
    comparator: str = ""  # better | similar | worse | no data
    comparator_rag: str = ""
    comparator_text: str = ""
    # the method the publisher used, when known (a code from PUBLISHED_TREND_METHODS /
    # PUBLISHED_COMPARATOR_METHODS): a word made by another method is a difference of method, not a
    # contradiction (docs/methods.md, "Methods told apart from contradictions")
    trend_method: str = ""
    comparator_method: str = ""


#: Methods a published trend word may declare it was made by (``published.trend_method``).
PUBLISHED_TREND_METHODS = ("fingertips-trend", "spc-xmr", "previous-vs-latest")
#: Methods a published comparator word may declare (``published.comparator_method``).
PUBLISHED_COMPARATOR_METHODS = ("interval-vs-benchmark", "tolerance-vs-benchmark", "group-rank")


@dataclass(frozen=True)
class FocusOverride:
    """A framework's decision to pin or suppress an item in the focus ranking, with its reason."""

    action: str  # pin | suppress
    reason: str


@dataclass(frozen=True)
class Breakdown:
    """One figure of a series for a category of an area, e.g. a deprivation decile (breakdowns.csv).

    ``quantile`` orders the categories of an inequality breakdown: 1 = the most deprived.
    """

    area: str
    period: Period
    category_type: str
    category: str
    value: float | None
    quantile: int | None = None
    lower95: float | None = None
    upper95: float | None = None
    population: float | None = None
    standard_error: float | None = None
    origin: str = ""


@dataclass(frozen=True)
class MethodInput:
    """One row of a series' raw inputs (inputs.csv): an age band's events and populations, or a value.

    The series' method computes one observation from the rows of each area and period; the rows are
    kept with the series so that a dataset written back out (or stored by the tracker) still has them.
    """

    area: str
    period: Period
    band: str = ""
    count: float | None = None
    population: float | None = None
    reference_count: float | None = None
    reference_population: float | None = None
    standard_population: float | None = None
    value: float | None = None
    origin: str = ""


#: The statistical methods a series can declare to have its values computed from raw inputs.
SERIES_METHODS = ("dsr", "isr", "smr", "life-expectancy", "mean")


@dataclass(frozen=True)
class SeriesMethod:
    """How a series' values and intervals are computed from the inputs a dataset carries.

    ``name`` is one of :data:`SERIES_METHODS`; ``reference_value`` scales a ratio (``smr``: 100 means
    the reference); ``age`` is the age whose life expectancy is reported (0 = at birth).
    """

    name: str
    reference_value: float = 100.0
    age: int = 0


@dataclass
class Series:
    """A time series: the unit of judgement."""

    id: str
    title: str
    unit: Unit
    polarity: Polarity | None
    period_kind: PeriodKind
    kind: str = "population_indicator"  # population_indicator | performance_measure
    parent_id: str = ""  # the indicator or measure holding it
    short_title: str = ""
    comparators: list[Comparator] = field(default_factory=list)
    target: Target | None = None
    published: PublishedJudgement = field(default_factory=PublishedJudgement)
    observations: list[Observation] = field(default_factory=list)  # the home area's, in period order
    benchmark_observations: dict[str, list[Observation]] = field(default_factory=dict)  # by area
    lead_officers: tuple[Officer, ...] = ()
    definition: str = ""
    source: str = ""
    focus: FocusOverride | None = None
    breaks: tuple[Period, ...] = ()  # first period after a change of definition or method
    # where the polarity came from: empty when the framework declares it; otherwise the source it was
    # taken from ("Fingertips 'Recent Trend': Increasing and getting worse"), until someone confirms it
    polarity_source: str = ""
    polarity_confirmed: str = ""  # who confirmed a source-taken polarity, and when
    part_of: str = ""  # the id of a series this one is a part of (its values can never exceed the whole's)

    @property
    def polarity_provenance(self) -> str:
        """Where the polarity came from: ``framework``, ``source`` or ``undeclared``.

        >>> s = Series("x", "X", Unit("rate", per=1000), Polarity.LOWER_IS_BETTER, PeriodKind.CALENDAR_YEAR)
        >>> s.polarity_provenance, Series("y", "Y", Unit("count"), None, PeriodKind.CALENDAR_YEAR).polarity_provenance
        ('framework', 'undeclared')
        """
        if self.polarity is None:
            return "undeclared"
        return "source" if self.polarity_source else "framework"

    @property
    def polarity_unconfirmed(self) -> bool:
        """A polarity taken from a source that nobody has confirmed yet."""
        return self.polarity_provenance == "source" and not self.polarity_confirmed
    method: SeriesMethod | None = None  # values computed from inputs by a statistical method
    breakdowns: list[Breakdown] = field(default_factory=list)  # figures by category (deprivation deciles)
    inputs: list[MethodInput] = field(default_factory=list)  # the raw inputs its method computes values from

    def values(self) -> list[float | None]:
        return [o.value for o in self.observations]

    def periods(self) -> list[Period]:
        return [o.period for o in self.observations]

    def observed(self) -> list[Observation]:
        """Observations that have a value, in period order."""
        return [o for o in self.observations if o.value is not None]

    @property
    def latest(self) -> Observation | None:
        obs = self.observed()
        return obs[-1] if obs else None

    @property
    def previous(self) -> Observation | None:
        obs = self.observed()
        return obs[-2] if len(obs) >= 2 else None

    def at(self, period: Period) -> Observation | None:
        for o in self.observations:
            if o.period == period:
                return o
        return None


@dataclass(frozen=True)
class ValueForMoney:
    status: str = "not-measured"  # not-measured | under-development | measured
    latest: float | None = None
    rank: int | None = None
    of: int | None = None
    note: str = ""

    @property
    def quartile(self) -> int | None:
        """Quartile of the rank (1 = best quarter)."""
        if self.rank is None or not self.of:
            return None
        return min(4, 1 + (4 * (self.rank - 1)) // self.of)


@dataclass
class Narrative:
    """What officers wrote about an indicator for a period (Markdown)."""

    subject_id: str
    period: Period | None
    story: str = ""
    partners: str = ""
    actions: str = ""
    data_notes: str = ""
    origin: str = ""

    def blocks(self) -> list[tuple[str, str]]:
        return [
            (title, text)
            for title, text in (
                ("Story behind the baseline", self.story),
                ("Partners with a significant role to play", self.partners),
                ("What we are doing", self.actions),
                ("Data notes", self.data_notes),
            )
            if text.strip()
        ]


@dataclass
class PerformanceMeasure:
    id: str
    title: str
    indicator_id: str
    series: list[Series] = field(default_factory=list)
    lead_officers: tuple[Officer, ...] = ()
    published_trend: str = ""  # a trend word printed for the measure as a whole


@dataclass
class PopulationIndicator:
    id: str
    number: str
    title: str
    outcome_id: str
    series: list[Series] = field(default_factory=list)
    measures: list[PerformanceMeasure] = field(default_factory=list)
    lead_officers: tuple[Officer, ...] = ()
    value_for_money: ValueForMoney = field(default_factory=ValueForMoney)
    narrative: list[Narrative] = field(default_factory=list)
    section: str = ""  # reports group indicators sharing a section ("05": crime, ASB, domestic abuse)
    section_title: str = ""

    def narrative_for(self, period: Period | None) -> Narrative | None:
        matches = [n for n in self.narrative if period is None or n.period in (None, period)]
        return matches[-1] if matches else None


@dataclass
class Risk:
    """A corporate risk from the risk register, linked to indicators or to none."""

    id: str
    title: str
    score: str  # HIGH | MEDIUM | LOW
    trend: str  # improving | unchanged | worsening (normalised); see trend_as_published
    outcome_id: str = ""
    likelihood: int | None = None
    impact: int | None = None
    owner: str = ""
    indicators: tuple[str, ...] = ()
    trend_as_published: str = ""
    focus: FocusOverride | None = None
    origin: str = ""

    @property
    def unassigned(self) -> bool:
        return not self.indicators


@dataclass
class PublishedSummary:
    """The executive summary as printed: counts and the suggested focus lists."""

    population_indicators: int | None = None
    performance_measures: int | None = None
    risks: int | None = None
    focus_indicators: tuple[str, ...] = ()
    focus_measures: tuple[str, ...] = ()
    focus_risks: tuple[str, ...] = ()


@dataclass
class Outcome:
    id: str
    title: str
    sponsor: Officer | None = None
    lead_officers: tuple[Officer, ...] = ()
    contacts: tuple[Officer, ...] = ()
    introduction: str = ""
    indicators: list[PopulationIndicator] = field(default_factory=list)
    published_summary: PublishedSummary = field(default_factory=PublishedSummary)

    def all_series(self) -> Iterator[Series]:
        for ind in self.indicators:
            yield from ind.series
            for m in ind.measures:
                yield from m.series

    def measures(self) -> Iterator[PerformanceMeasure]:
        for ind in self.indicators:
            yield from ind.measures


@dataclass(frozen=True)
class ReportInfo:
    title: str = "Outcomes Focused Monitoring Report"
    organisation: str = ""
    published: str = ""  # e.g. "July 2018"
    status: str = "draft"  # draft | published
    data_date: str = ""
    # the words the report's own key defines (as printed, e.g. IMPROVING); None when it declares none
    key_trend: tuple[str, ...] | None = None
    key_comparator: tuple[str, ...] | None = None
    key_risk_trend: tuple[str, ...] | None = None


@dataclass
class Framework:
    """Everything a dataset holds: the outcomes, their series, risks and narrative."""

    organisation: str
    home_area: Area
    reporting_period: Period
    outcomes: list[Outcome] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)
    areas: dict[str, Area] = field(default_factory=dict)
    report: ReportInfo = field(default_factory=ReportInfo)
    settings: dict[str, object] = field(default_factory=dict)

    def all_series(self) -> Iterator[Series]:
        for outcome in self.outcomes:
            yield from outcome.all_series()

    def series_by_id(self) -> dict[str, Series]:
        return {s.id: s for s in self.all_series()}

    def indicators(self) -> Iterator[PopulationIndicator]:
        for outcome in self.outcomes:
            yield from outcome.indicators

    def measures(self) -> Iterator[PerformanceMeasure]:
        for outcome in self.outcomes:
            yield from outcome.measures()

    def risks_for(self, indicator_id: str) -> list[Risk]:
        return [r for r in self.risks if indicator_id in r.indicators]

    def unassigned_risks(self, outcome_id: str | None = None) -> list[Risk]:
        return [
            r for r in self.risks if r.unassigned and (outcome_id is None or r.outcome_id in ("", outcome_id))
        ]

    def area_name(self, code: str) -> str:
        area = self.areas.get(code)
        return area.name if area else code


# The name used in docs and CLI for what a loader returns.
Dataset = Framework
