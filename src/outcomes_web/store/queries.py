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


# ------------------------------------------------------------------------------------------- search
@dataclass(frozen=True)
class Hit:
    kind: str  # outcome | indicator | measure | series | narrative | risk
    snapshot: m.Snapshot
    title: str
    indicator_key: str = ""
    anchor: str = ""
    text: str = ""  # the matching text, for a snippet


SEARCH_LIMIT = 50


def search(q: str, snapshots: list[m.Snapshot]) -> list[Hit]:
    """Titles, definitions and narrative containing ``q`` (case-insensitive), in the snapshots given."""
    q = q.strip()
    if not q:
        return []
    by_pk = {s.pk: s for s in snapshots}
    hits: list[Hit] = []
    for o in m.Outcome.objects.filter(snapshot__in=snapshots).filter(
            Q(title__icontains=q) | Q(introduction__icontains=q)):
        hits.append(Hit("outcome", by_pk[o.snapshot_id], o.title, text=o.introduction))
    for i in m.Indicator.objects.filter(snapshot__in=snapshots).filter(
            Q(title__icontains=q) | Q(section_title__icontains=q) | Q(key__icontains=q)):
        hits.append(Hit("indicator", by_pk[i.snapshot_id], i.numbered_title, i.key))
    for me in m.Measure.objects.filter(snapshot__in=snapshots, title__icontains=q).select_related("indicator"):
        hits.append(Hit("measure", by_pk[me.snapshot_id], me.title, me.indicator.key, f"measure-{me.key}"))
    for s in m.Series.objects.filter(snapshot__in=snapshots).filter(
            Q(title__icontains=q) | Q(short_title__icontains=q) | Q(definition__icontains=q)
    ).select_related("indicator"):
        hits.append(Hit("series", by_pk[s.snapshot_id], s.title, s.indicator.key, f"series-{s.key}",
                        s.definition))
    text_q = (Q(story__icontains=q) | Q(partners__icontains=q) | Q(actions__icontains=q)
              | Q(data_notes__icontains=q))
    for n in m.Narrative.objects.filter(indicator__snapshot__in=snapshots).filter(text_q).select_related("indicator"):
        body = next((t for t in (n.story, n.partners, n.actions, n.data_notes) if q.lower() in t.lower()), "")
        hits.append(Hit("narrative", by_pk[n.indicator.snapshot_id], f"{n.indicator.number} {n.indicator.title}",
                        n.indicator.key, "narrative", body))
    for r in m.Risk.objects.filter(snapshot__in=snapshots).filter(Q(title__icontains=q) | Q(key__icontains=q)):
        hits.append(Hit("risk", by_pk[r.snapshot_id], f"{r.key} {r.title}", anchor=f"risk-{r.key}"))
    return hits[:SEARCH_LIMIT]


def snippet(text: str, q: str, width: int = 90) -> tuple[str, str, str]:
    """(before, match, after) around the first match of ``q`` in ``text``, for highlighting."""
    plain = " ".join(text.split())
    at = plain.lower().find(q.lower())
    if at < 0:
        return (plain[: width * 2] + ("…" if len(plain) > width * 2 else ""), "", "")
    start = max(0, at - width)
    end = min(len(plain), at + len(q) + width)
    before = ("…" if start else "") + plain[start:at]
    after = plain[at + len(q):end] + ("…" if end < len(plain) else "")
    return before, plain[at:at + len(q)], after
