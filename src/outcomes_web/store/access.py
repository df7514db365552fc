"""Who may do what: the one place the tracker decides access (views and the API ask here).

Roles are Django groups, so an administrator manages them in one place:

==================  ====================================================================
administrator       a superuser: everything, including accounts
performance team    group "Performance team": open periods, manage the framework, review,
                    publish, revise; reads every draft
lead officer        group "Lead officers": enters data and narrative for the indicators and
                    measures assigned to them (:class:`~outcomes_web.store.models.Assignment`);
                    sees their own drafts only
internal viewer     group "Internal viewers": reads every draft, changes nothing
public              anyone else, signed in or not: published snapshots only
==================  ====================================================================

A user in several groups has the widest role. The public site reads only published snapshots
(``Snapshot.objects.public()``); drafts are read only in the workspace, through views gated by
these functions, and a lead officer's returns through :func:`submissions_for`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from outcomes_web.store import models as m

ADMIN = "administrator"
PERFORMANCE = "performance team"
LEAD = "lead officer"
VIEWER = "internal viewer"
PUBLIC = "public"

GROUPS = {PERFORMANCE: "Performance team", LEAD: "Lead officers", VIEWER: "Internal viewers"}
ROLES = (ADMIN, PERFORMANCE, LEAD, VIEWER, PUBLIC)


def role(user: Any) -> str:
    """The widest role of ``user`` (anonymous and inactive users are public)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    if user.is_superuser:
        return ADMIN
    cached = getattr(user, "_outcomes_role", None)
    if cached:
        return str(cached)
    names = set(user.groups.values_list("name", flat=True))
    found = PUBLIC
    for r in (PERFORMANCE, VIEWER, LEAD):  # widest first
        if GROUPS[r] in names:
            found = r
            break
    user._outcomes_role = found
    return found


def is_internal(user: Any) -> bool:
    """Signed in with a role: may use the workspace at all."""
    return role(user) != PUBLIC


def manages(user: Any) -> bool:
    """Performance team or administrator: open periods, manage the framework, review, publish."""
    return role(user) in (ADMIN, PERFORMANCE)


def reads_all_drafts(user: Any) -> bool:
    return role(user) in (ADMIN, PERFORMANCE, VIEWER)


def assigned_items(user: Any, outcome_key: str | None = None) -> set[tuple[str, str]]:
    """(outcome key, item key) pairs ``user`` leads."""
    if not is_internal(user):
        return set()
    qs = m.Assignment.objects.filter(user=user)
    if outcome_key is not None:
        qs = qs.filter(outcome_key=outcome_key)
    return set(qs.values_list("outcome_key", "item_key"))


def _led(items: set[tuple[str, str]]) -> Q:
    """Returns whose indicator, or one of whose live measures, is among ``items`` (outcome, key)."""
    indicators, measures = Q(), Q()
    for outcome_key, key in items:
        indicators |= Q(snapshot__outcome_key=outcome_key, indicator_key=key)
        measures |= Q(snapshot__outcome_key=outcome_key, key=key)
    return indicators | Q(Exists(m.Measure.objects.filter(
        measures, snapshot=OuterRef("snapshot"), indicator__key=OuterRef("indicator_key"), archived_on__isnull=True)))


def leads_submission(user: Any, submission: m.Submission) -> bool:
    """``user`` is lead officer of the submission's indicator or of one of its measures."""
    items = assigned_items(user, submission.snapshot.outcome_key)
    return bool(items) and m.Submission.objects.filter(_led(items), pk=submission.pk).exists()


def editable_series(user: Any, submission: m.Submission) -> set[str] | None:
    """Series keys ``user`` may enter figures for in the submission (None: all of them)."""
    if manages(user):
        return None
    keys = {k for _, k in assigned_items(user, submission.snapshot.outcome_key)}
    series = m.Series.objects.filter(snapshot_id=submission.snapshot_id, indicator__key=submission.indicator_key)
    if submission.indicator_key in keys:
        return set(series.values_list("key", flat=True))
    return set(series.filter(measure__key__in=keys).values_list("key", flat=True))


def can_view_submission(user: Any, submission: m.Submission) -> bool:
    return reads_all_drafts(user) or (role(user) == LEAD and leads_submission(user, submission))


def can_edit_submission(user: Any, submission: m.Submission) -> bool:
    """Enter figures and narrative: the item's lead (or the performance team) while the return is open."""
    if submission.snapshot.published or submission.snapshot.is_archived:
        return False
    if submission.status in (m.Submission.Status.SUBMITTED, m.Submission.Status.ACCEPTED) and not manages(user):
        return False
    return manages(user) or (role(user) == LEAD and leads_submission(user, submission))


def signs_off(user: Any, submission: m.Submission) -> bool:
    """Whose sign-off the return takes, whatever its state: the indicator's lead officer (or the
    performance team). Anyone else asking is refused outright (403), not told to wait."""
    if manages(user):
        return True
    return role(user) == LEAD and (submission.snapshot.outcome_key, submission.indicator_key) in assigned_items(user)


def can_sign_off(user: Any, submission: m.Submission) -> bool:
    """Submit for review now: the indicator's lead officer (or the performance team), while it is open."""
    if submission.snapshot.published or submission.status not in (
            m.Submission.Status.IN_PROGRESS, m.Submission.Status.RETURNED, m.Submission.Status.NOT_STARTED):
        return False
    return signs_off(user, submission)


def submissions_for(user: Any) -> QuerySet[m.Submission]:
    """The returns ``user`` may see, in current draft snapshots."""
    qs = m.Submission.objects.filter(snapshot__archived_on__isnull=True).select_related(
        "snapshot__reporting_period", "signed_off_by")
    if reads_all_drafts(user):
        return qs
    if role(user) != LEAD:
        return qs.none()
    items = assigned_items(user)
    return qs.filter(_led(items)) if items else qs.none()
