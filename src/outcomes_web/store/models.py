"""The store: a whole outcomes framework per (outcome, reporting period), in normalised tables.

A :class:`Snapshot` holds one outcome of a framework for one reporting period, with everything
needed to rebuild it exactly (``outcomes_web.adapter`` maps rows to domain objects and back):
framework facts (organisation, home area, report details), the outcome, its population
indicators, performance measures, series, observations, comparators, published statements,
narrative and risks.

Built for a data-entry cycle to come (see ``docs/web.md``):

* every row records when it was created and last modified, and by whom (:class:`Tracked`);
* snapshots are archived, never deleted: a re-import (later, a revision) archives the current
  snapshot and points the new one at it (``supersedes``), bumping ``revision``;
* a snapshot is ``published`` or a draft; the public pages show published, unarchived ones;
* :class:`ReportingPeriod` carries a workflow ``status`` for submissions and review;
* :class:`ImportRecord` is the audit trail of what came in, from where, with its raw content.

Periods are stored as canonical text plus kind and start/end dates, for ordering and querying.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone

PERIOD_KINDS = [
    ("financial-year", "Financial year"),
    ("quarter", "Quarter"),
    ("calendar-year", "Calendar year"),
    ("academic-year", "Academic year"),
    ("month", "Month"),
    ("date", "Date"),
    ("rolling", "Rolling window"),
]


class Tracked(models.Model):
    """Created/modified on/by, for audit. ``*_by`` are empty for command-line imports."""

    created_on = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    modified_on = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Optimistic concurrency: a form carries the version it was drawn from and a save succeeds only
    # while the row is still at that version (``outcomes_web.store.concurrency``).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True


class Archivable(models.Model):
    """Archive, never delete: an archived row stays for the record and leaves the public pages."""

    archived_on = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    archived_reason = models.TextField(blank=True, default="")

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_on is not None


class PeriodFields(models.Model):
    """A period as canonical text (``Q4 2017-18``), kind, first and last day, and length in months."""

    period_label = models.CharField(max_length=40, blank=True, default="")
    period_kind = models.CharField(max_length=20, choices=PERIOD_KINDS, blank=True, default="")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        abstract = True


class ReportingPeriod(Tracked):
    """A period the organisation reports on (a quarter, usually), with its workflow status."""

    class Status(models.TextChoices):
        OPEN = "open", "Open for submissions"
        IN_REVIEW = "in-review", "In review"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    label = models.CharField(max_length=40, unique=True)
    kind = models.CharField(max_length=20, choices=PERIOD_KINDS)
    start = models.DateField()
    end = models.DateField()
    months = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PUBLISHED)
    deadline = models.DateField(null=True, blank=True)  # for lead officers' returns

    class Meta:
        ordering = ["end", "start"]

    def __str__(self) -> str:
        return self.label


class ImportRecord(Tracked):
    """One import of a dataset: where it came from and what it held (the audit trail)."""

    source = models.TextField()
    source_format = models.CharField(max_length=20, default="folder")  # folder | workbook
    organisation = models.CharField(max_length=300)
    reporting_period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="imports")
    raw_framework = models.JSONField(default=dict)  # the framework.yaml content as read, for audit
    content_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["created_on", "id"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.source}"


class SnapshotQuerySet(models.QuerySet["Snapshot"]):
    def current(self) -> SnapshotQuerySet:
        return self.filter(archived_on__isnull=True)

    def public(self) -> SnapshotQuerySet:
        return self.current().filter(published=True)


class Snapshot(Tracked, Archivable):
    """One outcome of a framework for one reporting period: the unit of publishing and revision."""

    outcome_key = models.CharField(max_length=100, db_index=True)
    reporting_period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="snapshots")
    import_record = models.ForeignKey(
        ImportRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="snapshots"
    )
    position = models.PositiveIntegerField(default=0)  # the outcome's place in its framework
    published = models.BooleanField(default=False)
    published_on = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    revision_reason = models.TextField(blank=True, default="")  # why this revision was made
    content_hash = models.CharField(max_length=64)  # of the snapshot's data: the cache key of pages and reports

    # Framework facts, as the dataset gave them.
    organisation = models.CharField(max_length=300)
    home_area_code = models.CharField(max_length=20)
    home_area_name = models.CharField(max_length=200)
    report_title = models.CharField(max_length=300, blank=True, default="")
    report_organisation = models.CharField(max_length=300, blank=True, default="")
    report_published = models.CharField(max_length=100, blank=True, default="")
    report_status = models.CharField(max_length=20, blank=True, default="draft")
    report_data_date = models.CharField(max_length=100, blank=True, default="")
    report_key = models.JSONField(default=dict, blank=True)  # {trend|comparator|risk_trend: [words]}
    settings = models.JSONField(default=dict, blank=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        ordering = ["reporting_period__end", "position", "id"]
        constraints = [
            # At most one published and one draft (a period being collected, or a revision being
            # prepared) of each outcome and period.
            models.UniqueConstraint(
                fields=["outcome_key", "reporting_period", "published"],
                condition=Q(archived_on__isnull=True),
                name="one_current_snapshot_per_outcome_period_and_state",
            )
        ]

    def __str__(self) -> str:
        return f"{self.outcome_key} {self.reporting_period_id} r{self.revision}"


class Area(models.Model):
    """A geography named in the framework (the home area first)."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveIntegerField()
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "code"], name="unique_area_per_snapshot")]


class Outcome(Tracked):
    """What the population should experience ("Safe"), with its published executive summary."""

    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="outcome")
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=300)
    introduction = models.TextField(blank=True, default="")
    summary_population_indicators = models.IntegerField(null=True, blank=True)
    summary_performance_measures = models.IntegerField(null=True, blank=True)
    summary_risks = models.IntegerField(null=True, blank=True)
    summary_focus_indicators = models.JSONField(default=list, blank=True)  # item texts as printed, in order
    summary_focus_measures = models.JSONField(default=list, blank=True)
    summary_focus_risks = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.title


class Indicator(Tracked, Archivable):
    """A population indicator: the ends, shared responsibility."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=100)
    number = models.CharField(max_length=20, blank=True, default="")
    title = models.CharField(max_length=500)
    section = models.CharField(max_length=40, blank=True, default="")
    section_title = models.CharField(max_length=500, blank=True, default="")
    vfm_status = models.CharField(max_length=40, default="not-measured")
    vfm_latest = models.FloatField(null=True, blank=True)
    vfm_rank = models.IntegerField(null=True, blank=True)
    vfm_of = models.IntegerField(null=True, blank=True)
    vfm_note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "key"], name="unique_indicator_per_snapshot")]

    def __str__(self) -> str:
        return self.title

    @property
    def numbered_title(self) -> str:
        """'01 Rate of children ...', as the report and the workspace name an indicator."""
        return f"{self.number} {self.title}".strip()


class Measure(Tracked, Archivable):
    """A performance measure: the means, direct responsibility."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="measures")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measures")
    position = models.PositiveIntegerField()
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    published_trend = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "key"], name="unique_measure_per_snapshot")]

    def __str__(self) -> str:
        return self.title


class Series(Tracked):
    """A time series of an indicator or a measure: the unit of judgement."""

    class Kind(models.TextChoices):
        POPULATION_INDICATOR = "population_indicator", "Population indicator"
        PERFORMANCE_MEASURE = "performance_measure", "Performance measure"

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="series")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")  # always set
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="series")
    position = models.PositiveIntegerField()  # within its holder
    key = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=500)
    short_title = models.CharField(max_length=200, blank=True, default="")
    unit_type = models.CharField(max_length=20)
    unit_per = models.IntegerField(null=True, blank=True)
    unit_currency = models.CharField(max_length=8, default="£")
    unit_decimals = models.SmallIntegerField(null=True, blank=True)
    polarity = models.CharField(max_length=30, blank=True, default="")  # "" = not declared
    period_kind = models.CharField(max_length=20, choices=PERIOD_KINDS)
    definition = models.TextField(blank=True, default="")
    source = models.TextField(blank=True, default="")
    breaks = models.JSONField(default=list, blank=True)  # [{kind,label,start,end,months}, ...]
    target_value = models.FloatField(null=True, blank=True)
    target_period = models.JSONField(null=True, blank=True)
    target_note = models.TextField(blank=True, default="")
    has_target = models.BooleanField(default=False)
    focus_action = models.CharField(max_length=20, blank=True, default="")  # pin | suppress
    focus_reason = models.TextField(blank=True, default="")
    polarity_source = models.TextField(blank=True, default="")  # where a source-taken polarity came from
    polarity_confirmed = models.TextField(blank=True, default="")  # who confirmed it, and when
    part_of = models.CharField(max_length=100, blank=True, default="")  # the key of the whole series
    # the statistical method that computes its values from inputs (SeriesInput); "" = values as given
    method_name = models.CharField(max_length=30, blank=True, default="")
    method_reference_value = models.FloatField(default=100.0)
    method_age = models.PositiveSmallIntegerField(default=0)
    has_breakdowns = models.BooleanField(default=False)  # any SeriesBreakdown rows (saves a query without)

    class Meta:
        ordering = ["position"]
        verbose_name_plural = "series"
        constraints = [models.UniqueConstraint(fields=["snapshot", "key"], name="unique_series_per_snapshot")]
        indexes = [models.Index(fields=["key"])]

    def __str__(self) -> str:
        return self.title


class Officer(models.Model):
    """A named person with a role: an outcome's sponsor, leads and contacts; lead officers of the rest."""

    class Relation(models.TextChoices):
        SPONSOR = "sponsor", "Sponsor"
        LEAD = "lead", "Lead officer"
        CONTACT = "contact", "Contact"

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="officers")
    outcome = models.ForeignKey(Outcome, null=True, blank=True, on_delete=models.CASCADE, related_name="officers")
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="officers"
    )
    measure = models.ForeignKey(Measure, null=True, blank=True, on_delete=models.CASCADE, related_name="officers")
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.CASCADE, related_name="officers")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=300, blank=True, default="")
    email = models.CharField(max_length=254, blank=True, default="")
    phone = models.CharField(max_length=50, blank=True, default="")

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["name"])]


class Comparator(models.Model):
    """A benchmark (England, a region) or a group (statistical neighbours) of a series."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="comparators")
    position = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=20, blank=True, default="")
    kind = models.CharField(max_length=20, default="benchmark")
    period = models.JSONField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    home_value = models.FloatField(null=True, blank=True)
    basis = models.CharField(max_length=200, blank=True, default="")
    members = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]


class PublishedStatement(models.Model):
    """What a published report said about a series, kept to audit it against the data."""

    series = models.OneToOneField(Series, on_delete=models.CASCADE, related_name="statement")
    trend = models.CharField(max_length=40, blank=True, default="")
    trend_rag = models.CharField(max_length=1, blank=True, default="")
    trend_basis = models.TextField(blank=True, default="")
    comparator = models.CharField(max_length=40, blank=True, default="")
    comparator_rag = models.CharField(max_length=1, blank=True, default="")
    comparator_text = models.TextField(blank=True, default="")
    trend_method = models.CharField(max_length=40, blank=True, default="")  # the publisher's method, if known
    comparator_method = models.CharField(max_length=40, blank=True, default="")


class PublishedFigure(PeriodFields):
    """A previous, latest or further figure as a report printed it (label exactly as published)."""

    class Role(models.TextChoices):
        PREVIOUS = "previous", "Previous"
        LATEST = "latest", "Latest"
        EXTRA = "extra", "Further figure"

    statement = models.ForeignKey(PublishedStatement, on_delete=models.CASCADE, related_name="figures")
    role = models.CharField(max_length=20, choices=Role.choices)
    position = models.PositiveIntegerField()
    label = models.CharField(max_length=100)
    value = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]


class Observation(PeriodFields):
    """One value of a series for one area and period, with what is known about it."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="observations")
    position = models.PositiveIntegerField()  # row order in the dataset
    area = models.CharField(max_length=20)
    is_home = models.BooleanField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField(null=True, blank=True)
    upper95 = models.FloatField(null=True, blank=True)
    lower998 = models.FloatField(null=True, blank=True)
    upper998 = models.FloatField(null=True, blank=True)
    status = models.CharField(max_length=20, default="final")
    source = models.TextField(blank=True, default="")
    note = models.TextField(blank=True, default="")
    missing_reason = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=200, blank=True, default="")
    interval_method = models.CharField(max_length=30, blank=True, default="")  # the method that computed it
    derived = models.BooleanField(default=False)  # computed from the series' inputs, not given

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "area", "period_kind", "period_start", "period_end"],
                                    name="one_observation_per_series_area_period")
        ]
        indexes = [models.Index(fields=["series", "area", "period_end"])]


class SeriesInput(PeriodFields):
    """One row of a series' raw inputs (inputs.csv): an age band's events and populations, or a value."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="inputs")
    position = models.PositiveIntegerField()
    area = models.CharField(max_length=20)
    band = models.CharField(max_length=40, blank=True, default="")
    count = models.FloatField(null=True, blank=True)
    population = models.FloatField(null=True, blank=True)
    reference_count = models.FloatField(null=True, blank=True)
    reference_population = models.FloatField(null=True, blank=True)
    standard_population = models.FloatField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    origin = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["series", "area", "period_end"])]


class SeriesBreakdown(PeriodFields):
    """A series' figure for a category of an area, e.g. a deprivation decile (breakdowns.csv)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="breakdowns")
    position = models.PositiveIntegerField()
    area = models.CharField(max_length=20)
    category_type = models.CharField(max_length=200)
    category = models.CharField(max_length=200)
    quantile = models.PositiveSmallIntegerField(null=True, blank=True)  # 1 = the most deprived
    value = models.FloatField(null=True, blank=True)
    lower95 = models.FloatField(null=True, blank=True)
    upper95 = models.FloatField(null=True, blank=True)
    population = models.FloatField(null=True, blank=True)
    standard_error = models.FloatField(null=True, blank=True)
    origin = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["position"]


class Narrative(Tracked, PeriodFields):
    """What officers wrote about an indicator for a period (Markdown)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="narrative")
    position = models.PositiveIntegerField()
    story = models.TextField(blank=True, default="")
    partners = models.TextField(blank=True, default="")
    actions = models.TextField(blank=True, default="")
    data_notes = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=300, blank=True, default="")

    class Meta:
        ordering = ["position"]


class Risk(Tracked, Archivable):
    """A corporate risk, linked to indicators or to none."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="risks")
    position = models.PositiveIntegerField()  # row order in the risk register
    key = models.CharField(max_length=100)
    title = models.TextField()
    score = models.CharField(max_length=10)  # HIGH | MEDIUM | LOW
    trend = models.CharField(max_length=20)  # improving | unchanged | worsening | new
    trend_as_published = models.CharField(max_length=40, blank=True, default="")
    outcome_key = models.CharField(max_length=100, blank=True, default="")  # as the register gave it
    likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    impact = models.PositiveSmallIntegerField(null=True, blank=True)
    owner = models.CharField(max_length=200, blank=True, default="")
    focus_action = models.CharField(max_length=20, blank=True, default="")
    focus_reason = models.TextField(blank=True, default="")
    origin = models.CharField(max_length=200, blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "key"], name="unique_risk_per_snapshot")]


class RiskLink(models.Model):
    """A risk's link to a population indicator (by id; the row when it is in the same snapshot)."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="links")
    position = models.PositiveIntegerField()
    indicator_key = models.CharField(max_length=100)
    indicator = models.ForeignKey(
        Indicator, null=True, blank=True, on_delete=models.CASCADE, related_name="risk_links"
    )

    class Meta:
        ordering = ["position"]


# ============================================================================ the quarterly cycle
class Assignment(Tracked):
    """A user is lead officer of an indicator (with its measures) or of one measure, in an outcome.

    Kept by keys, not rows, so it carries from one period's snapshot to the next.
    """

    class Kind(models.TextChoices):
        INDICATOR = "indicator", "Population indicator"
        MEASURE = "measure", "Performance measure"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    outcome_key = models.CharField(max_length=100)
    item_kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INDICATOR)
    item_key = models.CharField(max_length=100)

    class Meta:
        ordering = ["outcome_key", "item_key"]
        constraints = [models.UniqueConstraint(fields=["user", "outcome_key", "item_key"],
                                               name="one_assignment_per_user_and_item")]

    def __str__(self) -> str:
        return f"{self.user} leads {self.outcome_key}/{self.item_key}"


class Submission(Tracked):
    """A lead officer's return for one population indicator (its series, its measures' series and
    narrative) in a draft snapshot: the unit of sign-off and review."""

    class Status(models.TextChoices):
        NOT_STARTED = "not-started", "Not started"
        IN_PROGRESS = "in-progress", "In progress"
        SUBMITTED = "submitted", "Submitted for review"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="submissions")
    indicator_key = models.CharField(max_length=100)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    signed_off_on = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_on = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["snapshot", "id"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "indicator_key"],
                                               name="one_submission_per_indicator_and_snapshot")]

    def __str__(self) -> str:
        return f"Return for {self.indicator_key} ({self.get_status_display()})"

    @property
    def outstanding(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS, self.Status.RETURNED)


class AuditEvent(models.Model):
    """One change: who, when, what, and the item's fields before and after. Never updated or deleted."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    username = models.CharField(max_length=150, blank=True, default="")  # kept if the user goes
    action = models.CharField(max_length=40)
    item_type = models.CharField(max_length=40)  # observation | narrative | submission | indicator | ...
    item_key = models.CharField(max_length=200, db_index=True)  # series key, indicator key, ...
    outcome_key = models.CharField(max_length=100, blank=True, default="", db_index=True)
    period_label = models.CharField(max_length=40, blank=True, default="")
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    summary = models.TextField(blank=True, default="")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username or 'system'} {self.action} {self.item_type} {self.item_key}"


class PendingUpload(Tracked):
    """A data-collection workbook uploaded and previewed, waiting for the officer to commit it."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Awaiting confirmation"
        COMMITTED = "committed", "Committed"
        DISCARDED = "discarded", "Discarded"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reporting_period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEW)
    # {"snapshot_versions": {snapshot pk: version}, "submission_versions": {...}} at preview time
    seen_versions = models.JSONField(default=dict, blank=True)
    # The workbook as read once, on upload (``workbook.parsed_to_json``): every view of the preview and
    # the commit use it instead of parsing the file again. Empty for uploads kept from before it existed.
    parsed = models.JSONField(default=dict, blank=True)


# ================================================================================== public search
class SearchDocument(models.Model):
    """One public page's words, for full-text search (``outcomes_web.store.search``): an outcome's
    scorecard, one indicator page, or an outcome's part of the risk register. Built only for published
    snapshots, from their rows, and rebuilt when the snapshot changes (``stamp``).

    On SQLite an FTS5 table (``store_searchdocument_fts``, porter stemming) mirrors ``title`` and ``body``
    through triggers; on PostgreSQL ``vector`` holds the weighted 'english' tsvector, with a GIN index.
    Both are made by migration 0005 for their own database only.
    """

    class Kind(models.TextChoices):
        OUTCOME = "outcome", "Outcome"
        INDICATOR = "indicator", "Population indicator"
        RISKS = "risks", "Risks"

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="search_documents")
    stamp = models.CharField(max_length=120)  # the snapshot's content hash and modification time when built
    kind = models.CharField(max_length=20, choices=Kind.choices)
    indicator_key = models.CharField(max_length=100, blank=True, default="")
    position = models.PositiveIntegerField(default=0)  # page order within the snapshot
    title = models.TextField()
    body = models.TextField(blank=True, default="")
    vector = SearchVectorField(null=True, blank=True)  # PostgreSQL only; empty on SQLite

    class Meta:
        ordering = ["snapshot", "position"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "kind", "indicator_key"],
                                               name="one_search_document_per_page")]
