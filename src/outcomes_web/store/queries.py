"""Queries over the store that the pages and the API share (plain ORM; no library objects).

"Public" means published and not archived. Without a period, each outcome shows its latest
reporting period; with one, only outcomes reported for that period are shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from outcomes_web.store import models as m


def _public() -> QuerySet[m.Snapshot]:
    return m.Snapshot.objects.public().select_related("reporting_period", "outcome", "supersedes")


def public_snapshots(period_label: str | None = None) -> list[m.Snapshot]:
    """Published snapshots to show: one per outcome (its latest period, or the period given)."""
    qs = _public()
    if period_label:
        return sorted(qs.filter(reporting_period__label=period_label), key=lambda s: (s.position, s.outcome_key))
    latest: dict[str, m.Snapshot] = {}
    for snap in qs.order_by("-reporting_period__end", "-reporting_period__start", "-id"):
        latest.setdefault(snap.outcome_key, snap)
    return sorted(latest.values(), key=lambda s: (s.import_record_id or 0, s.position, s.outcome_key))


def public_periods() -> list[m.ReportingPeriod]:
    """Reporting periods with at least one published snapshot, latest first."""
    return list(
        m.ReportingPeriod.objects.filter(snapshots__published=True, snapshots__archived_on__isnull=True)
        .distinct().order_by("-end", "-start")
    )


def find_snapshot(outcome_key: str, period_label: str | None = None,
                  revision: int | None = None) -> m.Snapshot | None:
    """The public snapshot of an outcome (its latest period unless one is given); with ``revision``,
    that revision as it was published, even if a later one has since superseded it."""
    if revision is not None:
        qs = ever_published().filter(outcome_key=outcome_key, revision=revision)
    else:
        qs = _public().filter(outcome_key=outcome_key)
    if period_label:
        qs = qs.filter(reporting_period__label=period_label)
    return qs.order_by("-reporting_period__end", "-reporting_period__start", "-id").first()


def ever_published() -> QuerySet[m.Snapshot]:
    """Snapshots that were published, current or superseded (archived) since: past reports stay public."""
    return m.Snapshot.objects.filter(published=True, published_on__isnull=False).select_related(
        "reporting_period", "outcome", "supersedes")


def revisions(snapshot: m.Snapshot) -> list[m.Snapshot]:
    """Every published revision of the snapshot's outcome and period, oldest first."""
    return list(ever_published().filter(outcome_key=snapshot.outcome_key,
                                        reporting_period=snapshot.reporting_period).order_by("revision", "id"))


def periods_of(outcome_key: str) -> list[m.ReportingPeriod]:
    return [s.reporting_period for s in _public().filter(outcome_key=outcome_key)
            .order_by("-reporting_period__end", "-reporting_period__start")]


def find_series_snapshot(series_key: str, period_label: str | None = None) -> m.Snapshot | None:
    """The public snapshot holding a series (its latest period unless one is given)."""
    qs = _public().filter(series__key=series_key)
    if period_label:
        qs = qs.filter(reporting_period__label=period_label)
    return qs.order_by("-reporting_period__end", "-reporting_period__start", "-id").first()


# -------------------------------------------------------------------------------------- risk register
@dataclass(frozen=True)
class RiskFilters:
    score: str = ""
    trend: str = ""
    outcome: str = ""
    linked: str = ""  # "yes" | "no" | ""
    q: str = ""


SCORE_ORDER = {"HIGH": 0, "MEDIUM": 1, "LOW": 2}


def risk_register(snapshots: list[m.Snapshot], filters: RiskFilters) -> list[m.Risk]:
    """Risks held by the snapshots, one per (outcome, risk id), filtered, highest score first."""
    qs = (m.Risk.objects.filter(snapshot__in=snapshots)
          .select_related("snapshot__outcome", "snapshot__reporting_period")
          .prefetch_related("links__indicator"))
    if filters.score:
        qs = qs.filter(score=filters.score.upper())
    if filters.trend:
        qs = qs.filter(trend=filters.trend.lower())
    if filters.outcome:
        qs = qs.filter(snapshot__outcome_key=filters.outcome)
    if filters.linked == "yes":
        qs = qs.filter(links__isnull=False).distinct()
    elif filters.linked == "no":
        qs = qs.filter(links__isnull=True)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(key__icontains=filters.q) | Q(owner__icontains=filters.q))
    return sorted(qs, key=lambda r: (SCORE_ORDER.get(r.score, 9), r.snapshot.position, r.position))
