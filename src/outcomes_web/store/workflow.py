"""The quarterly cycle as operations on the store: open a period, enter returns, submit, review,
publish, revise. Views, the workbook upload and the commands call these; each runs in one
transaction, records what it changed (``audit``) and refuses a stale form (``concurrency``).

A period is collected in a **draft snapshot** per outcome, copied from the latest snapshot before
it. Each population indicator of a draft has a :class:`~outcomes_web.store.models.Submission`
(its own series, its measures' series and its narrative): lead officers enter and sign it off,
the performance team accepts or returns it, and when every return is accepted the snapshot can be
published. A published snapshot is frozen: a correction is a new draft *revision* of it, which on
publishing archives the old one (kept, and its report still regenerated exactly).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from outcomes_web import adapter
from outcomes_web.store import access, audit
from outcomes_web.store import models as m
from outcomes_web.store.concurrency import Conflict, atomic, claim

__all__ = ["Conflict", "WorkflowError", "open_period", "save_return", "submit", "review", "publish",
           "start_revision", "outstanding_by_user", "unanswered", "due_series"]

S = m.Submission.Status


class WorkflowError(Exception):
    """An operation that cannot be done now, with a message for the person who asked."""


def _atomic() -> transaction.Atomic:
    """A transaction on the store's database (:func:`~outcomes_web.store.concurrency.atomic`)."""
    return atomic()


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise WorkflowError(message)


# ------------------------------------------------------------------------------------- periods
def open_period(user: Any, label: str, deadline: datetime.date | None,
                outcome_keys: list[str] | None = None) -> list[m.Snapshot]:
    """Open ``label`` for returns: a draft per outcome, copied from its latest earlier snapshot."""
    _require(access.manages(user), "Only the performance team can open a reporting period.")
    try:
        period = adapter.parse_period(label)
    except adapter.BadPeriod as exc:
        raise WorkflowError(str(exc)) from None
    canonical = str(period)
    sources: dict[str, m.Snapshot] = {}
    for snap in (m.Snapshot.objects.current().select_related("reporting_period")
                 .filter(reporting_period__end__lt=period.end)
                 .order_by("-reporting_period__end", "-published", "-revision")):
        sources.setdefault(snap.outcome_key, snap)
    if outcome_keys:
        sources = {k: v for k, v in sources.items() if k in outcome_keys}
    _require(bool(sources), f"There is no earlier snapshot to start {canonical} from: import a dataset first.")
    # A draft keeps its source's kind of period (a quarterly outcome cannot report a financial year).
    kinds = {s.reporting_period.kind for s in sources.values()}
    sources = {k: v for k, v in sources.items() if v.reporting_period.kind == period.kind.value}
    _require(bool(sources), f"{canonical} is a {period.kind.value.replace('-', ' ')}, but the outcomes report "
             f"{' and '.join(sorted(k.replace('-', ' ') + 's' for k in kinds))}: open a period of that kind.")
    _check_deadline(deadline, period.start)
    created = []
    with _atomic():
        for key, source in sorted(sources.items(), key=lambda kv: kv[1].position):
            if m.Snapshot.objects.current().filter(outcome_key=key, reporting_period__label=canonical).exists():
                continue
            draft = adapter.copy_to_draft(source, period=canonical, user=user)
            _create_returns(draft, user, S.NOT_STARTED)
            created.append(draft)
        _require(bool(created), f"{canonical} is already open for every outcome.")
        rp = m.ReportingPeriod.objects.get(label=canonical)
        before = audit.fields_of(rp)
        rp.status = m.ReportingPeriod.Status.OPEN
        rp.deadline = deadline
        rp.modified_by = user
        rp.save()
        audit.record(user, "open-period", "period", canonical, period_label=canonical, before=before,
                     after=audit.fields_of(rp),
                     summary=f"Opened {canonical} for returns ({', '.join(s.outcome_key for s in created)})"
                     + (f", deadline {deadline:%d %B %Y}" if deadline else ""))
    return created


def _create_returns(draft: m.Snapshot, user: Any, status: str) -> None:
    """A return per live population indicator of a new draft."""
    m.Submission.objects.bulk_create([
        m.Submission(snapshot=draft, indicator_key=key, status=status, created_by=user, modified_by=user)
        for key in m.Indicator.objects.filter(snapshot=draft, archived_on__isnull=True).order_by("position")
        .values_list("key", flat=True)])


def _check_deadline(deadline: datetime.date | None, start: datetime.date) -> None:
    _require(deadline is None or deadline >= start,
             f"The deadline {deadline:%d %B %Y} is before the period starts ({start:%d %B %Y}): check the date."
             if deadline else "")


def set_deadline(user: Any, rp: m.ReportingPeriod, seen_version: int, deadline: datetime.date | None) -> None:
    """Change (or clear) the deadline of a period's returns."""
    _require(access.manages(user), "Only the performance team can change a deadline.")
    _check_deadline(deadline, rp.start)
    with _atomic():
        before = audit.fields_of(rp)
        rp = claim(rp, seen_version, user)
        rp.deadline = deadline
        rp.save(update_fields=["deadline"])
        audit.record(user, "update", "period", rp.label, period_label=rp.label, before=before,
                     after=audit.fields_of(rp), summary="Changed the deadline")


# ------------------------------------------------------------------------------------- returns
@dataclass
class EntryResult:
    """What checking a return found, per series key; ``saved`` when it was written."""

    errors: dict[str, list[Any]] = field(default_factory=dict)
    warnings: dict[str, list[Any]] = field(default_factory=dict)
    needs_note: set[str] = field(default_factory=set)
    saved: bool = False
    changes: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors and not self.needs_note


def check_return(submission: m.Submission, entries: dict[str, dict[str, str]], *, file: str = "entry form",
                 locations: dict[str, str] | None = None) -> tuple[EntryResult, dict[str, Any]]:
    """Check every entry (series key -> fields) with the import's rules; nothing is written."""
    result = EntryResult()
    checked: dict[str, Any] = {}
    for key, fields in entries.items():
        check = adapter.check_entry(submission.snapshot, key, fields, file=file,
                                    location=(locations or {}).get(key, key))
        if check.observation is not None and _unchanged(submission.snapshot, key, check.observation):
            continue  # a figure shown in the form and sent back as it was: nothing to check or write
        if check.errors:
            result.errors[key] = check.errors
        if check.warnings:
            result.warnings[key] = check.warnings
        if check.needs_note:
            result.needs_note.add(key)
        checked[key] = check
    return result, checked


def home_observation(snap: m.Snapshot, key: str, period: Any) -> m.Observation | None:
    """The home area's stored figure of series ``key`` for ``period`` (a library Period), if any."""
    return m.Observation.objects.filter(series__snapshot=snap, series__key=key, is_home=True,
                                        period_kind=period.kind.value, period_start=period.start,
                                        period_end=period.end).first()


FIGURE_FIELDS = ("value", "numerator", "denominator", "status", "note", "missing_reason")


def _unchanged(snap: m.Snapshot, key: str, obs: Any) -> bool:
    row = home_observation(snap, key, obs.period)
    values = adapter.observation_fields(obs)
    return row is not None and all(getattr(row, k) == values[k] for k in FIGURE_FIELDS)


def _entry_given(fields: dict[str, str]) -> bool:
    return any(str(fields.get(k) or "").strip() for k in ("value", "numerator", "denominator", "missing_reason"))


def save_return(user: Any, submission: m.Submission, seen_version: int, entries: dict[str, dict[str, str]],
                narrative: dict[str, str] | None = None, *, file: str = "entry form",
                locations: dict[str, str] | None = None, action: str = "update",
                confirm_carried: bool = False) -> EntryResult:
    """Check and write a lead officer's figures and narrative, all or nothing.

    ``entries`` maps series keys to fields named as in observations.csv (period, value, numerator,
    denominator, status, note, missing_reason); entries with no figure are left out. Refused
    (nothing written) when any entry has an error or a warning without a note, when the user may
    not edit the series, or (:class:`Conflict`) when the return changed since ``seen_version``.
    """
    _require(access.can_edit_submission(user, submission),
             "You cannot change this return: it is not assigned to you, or it is with the performance team.")
    allowed = access.editable_series(user, submission)
    entries = {k: v for k, v in entries.items() if _entry_given(v)}
    if allowed is not None:
        refused = sorted(set(entries) - allowed)
        _require(not refused, f"You are not the lead officer of {', '.join(refused)}.")
    # A return holds its own indicator's series only: another indicator's figures go through its return
    # (so a change to an accepted return is reviewed again, and is recorded against that return).
    own = set(m.Series.objects.filter(snapshot_id=submission.snapshot_id, indicator__key=submission.indicator_key)
              .values_list("key", flat=True))
    strays = sorted(set(entries) - own)
    _require(not strays, f"{', '.join(strays)} {'is' if len(strays) == 1 else 'are'} not a series of the return "
             f"for {submission.indicator_key}.")
    if narrative is not None and not access.signs_off(user, submission):
        # A measure's lead officer enters that measure's series only; the narrative is the indicator lead's.
        current = current_narrative(submission)
        _require(all(_clean(narrative.get(k)) == _clean(current.get(k)) for k in NARRATIVE_FIELDS),
                 f"Only the lead officer of {submission.indicator_key} can change its narrative.")
        narrative = None
    result, checked = check_return(submission, entries, file=file, locations=locations)
    if not result.ok:
        return result
    snap = submission.snapshot
    with _atomic():
        # Checked again under the snapshot's lock, taken first (the order every writer uses: snapshot,
        # then its returns and rows): the snapshot may have been published since ``submission`` was read,
        # and a published snapshot is frozen.
        locked = m.Snapshot.objects.select_for_update().get(pk=submission.snapshot_id)
        _require(not locked.published and not locked.is_archived,
                 "This return can no longer be changed: its snapshot has been published.")
        fresh = claim(submission, seen_version, user)
        stamp = f"entered by {user.get_username()} on {timezone.localdate():%d %B %Y}"
        for key, check in checked.items():
            result.changes += _write_observation(user, snap, key, check.observation, stamp)
        if narrative is not None:
            result.changes += _write_narrative(user, submission, narrative, stamp, confirm_carried)
        before = audit.fields_of(submission)
        fresh.status = S.IN_PROGRESS
        fresh.save(update_fields=["status"])
        if result.changes or before != audit.fields_of(fresh):
            audit.record(user, action, "submission", submission.indicator_key, snapshot=snap, before=before,
                         after=audit.fields_of(fresh),
                         summary=f"Saved the return ({result.changes} change{'s' if result.changes != 1 else ''})")
        adapter.refresh_content_hash(snap)
    submission.refresh_from_db()
    result.saved = True
    return result


def _write_observation(user: Any, snap: m.Snapshot, key: str, obs: Any, stamp: str) -> int:
    """Store a checked, changed figure (``check_return`` leaves unchanged ones out)."""
    values = adapter.observation_fields(obs)
    row = home_observation(snap, key, obs.period)
    before = audit.fields_of(row)
    if row is None:
        series = m.Series.objects.get(snapshot=snap, key=key)
        position = (m.Observation.objects.filter(series=series).aggregate(p=Max("position"))["p"] or 0) + 1
        row = m.Observation(series=series, position=position, area=snap.home_area_code, is_home=True,
                            source="", origin=stamp, **values)
    else:
        for name, value in values.items():
            setattr(row, name, value)
        row.origin = stamp
    row.save()
    audit.record(user, "create" if before is None else "update", "observation", key, snapshot=snap,
                 before=before, after=audit.fields_of(row),
                 summary=f"{'Added' if before is None else 'Changed'} the figure for {values['period_label']}")
    return 1


NARRATIVE_FIELDS = ("story", "partners", "actions", "data_notes")


def _clean(text: str | None) -> str:
    """Narrative as stored: trimmed, with the browser's CRLF line ends as LF."""
    return (text or "").strip().replace("\r\n", "\n")


def _narrative_row(snap: m.Snapshot, indicator_key: str) -> m.Narrative | None:
    """The indicator's narrative for the snapshot's own reporting period, if written."""
    period = snap.reporting_period
    return m.Narrative.objects.filter(indicator__snapshot=snap, indicator__key=indicator_key,
                                      period_kind=period.kind, period_start=period.start,
                                      period_end=period.end).first()


def _write_narrative(user: Any, submission: m.Submission, text: dict[str, str], stamp: str,
                     confirm_carried: bool = False) -> int:
    """Store the narrative. Text identical to the previous period's is marked as carried forward, not
    yet confirmed, until the officer edits it or confirms it (``confirm_carried``): never silently reused."""
    snap, indicator_key = submission.snapshot, submission.indicator_key
    period = snap.reporting_period
    row = _narrative_row(snap, indicator_key)
    new = {k: _clean(text.get(k)) for k in NARRATIVE_FIELDS}
    previous = previous_narrative(submission)
    if previous is not None and any(new.values()) and all(new[k] == _clean(previous[1][k]) for k in NARRATIVE_FIELDS):
        origin = (f"{CARRIED}{previous[0]}, confirmed by {user.get_username()} on {timezone.localdate():%d %B %Y}"
                  if confirm_carried else f"{CARRIED}{previous[0]}{UNCONFIRMED}")
        if row is not None and row.origin.startswith(CARRIED) and not row.origin.endswith(UNCONFIRMED):
            origin = row.origin  # confirmed before: stays confirmed
    else:
        origin = stamp
    before = audit.fields_of(row)
    if row is None:
        if not any(new.values()):
            return 0
        indicator = m.Indicator.objects.get(snapshot=snap, key=indicator_key)
        position = (m.Narrative.objects.filter(indicator=indicator).aggregate(p=Max("position"))["p"] or 0) + 1
        row = m.Narrative(indicator=indicator, position=position, period_label=period.label,
                          period_kind=period.kind, period_start=period.start, period_end=period.end,
                          period_months=period.months, origin=stamp, created_by=user)
    elif all(getattr(row, k) == v for k, v in new.items()) and (row.origin == origin
                                                                 or not row.origin.startswith(CARRIED)):
        return 0  # unchanged text, and no carried-forward mark to confirm
    for k, v in new.items():
        setattr(row, k, v)
    row.origin = origin
    row.modified_by = user
    row.save()
    summary = (f"Narrative for {period.label} carried forward from {previous[0]}"
               + (", confirmed" if confirm_carried else ", not yet confirmed")
               if previous is not None and origin.startswith(CARRIED) else f"Narrative for {period.label}")
    audit.record(user, "create" if before is None else "update", "narrative", indicator_key, snapshot=snap,
                 before=before, after=audit.fields_of(row), summary=summary)
    return 1


def previous_narrative(submission: m.Submission) -> tuple[str, dict[str, str]] | None:
    """The indicator's latest narrative for a period before this one (its label and text), to carry forward."""
    rp = submission.snapshot.reporting_period
    row = (m.Narrative.objects.filter(indicator__snapshot=submission.snapshot, indicator__key=submission.indicator_key,
                                      period_end__lt=rp.start).order_by("-period_end", "-position").first())
    if row is None or not any(_clean(getattr(row, k)) for k in NARRATIVE_FIELDS):
        return None
    return row.period_label, {k: getattr(row, k) for k in NARRATIVE_FIELDS}


CARRIED = "carried forward from "
UNCONFIRMED = " (not yet confirmed)"


def carried_from(submission: m.Submission) -> str:
    """The period whose narrative was carried into this one and not yet confirmed or edited, or ''."""
    row = _narrative_row(submission.snapshot, submission.indicator_key)
    if row is None or not row.origin.startswith(CARRIED) or not row.origin.endswith(UNCONFIRMED):
        return ""
    return row.origin[len(CARRIED):-len(UNCONFIRMED)]


def current_narrative(submission: m.Submission) -> dict[str, str]:
    row = _narrative_row(submission.snapshot, submission.indicator_key)
    return {k: getattr(row, k) if row else "" for k in NARRATIVE_FIELDS}


# --------------------------------------------------------------------------------- sign-off, review
def due_series(submission: m.Submission) -> list[tuple[str, str, Any]]:
    """The return's live series with a figure due this period: (key, title, period due)."""
    by_key = adapter.series_by_key(submission.snapshot)
    out = []
    for key, title in (m.Series.objects.filter(snapshot=submission.snapshot, indicator__key=submission.indicator_key,
                                               indicator__archived_on__isnull=True)
                       .exclude(measure__archived_on__isnull=False).order_by("position", "id")
                       .values_list("key", "title")):
        series = by_key.get(key)
        if series is None:
            continue
        period = adapter.default_entry_period(submission.snapshot, series)
        if period is not None and adapter.entry_is_due(submission.snapshot, period):
            out.append((key, title, period))
    return out


def unanswered(submission: m.Submission) -> list[tuple[str, str, Any]]:
    """Series due this period with neither a figure nor "nothing to report" and its reason stored."""
    out = []
    for key, title, period in due_series(submission):
        row = home_observation(submission.snapshot, key, period)
        if row is None or (row.value is None and not (row.missing_reason or "").strip()):
            out.append((key, title, period))
    return out


def submit(user: Any, submission: m.Submission, seen_version: int, *, declaration: bool) -> None:
    """Sign off a return and send it for review."""
    _require(access.can_sign_off(user, submission), "You cannot submit this return.")
    _require(declaration, "Confirm that the figures and narrative are complete and correct to submit them.")
    with _atomic():
        before = audit.fields_of(submission)
        fresh = claim(submission, seen_version, user)
        # Checked after the claim, so a stale form is refused as stale: a return is signed off only when
        # each series due has a figure or "nothing to report" with its reason, and the narrative is its own.
        carried = carried_from(submission)
        _require(not carried, f"The narrative was carried forward from {carried} and has not been checked: edit "
                 "it, or tick \u201cthe carried-forward narrative is still right\u201d, and save.")
        missing = unanswered(submission)
        _require(not missing, "Each series needs a figure for this period or \u201cnothing to report\u201d with a "
                 "reason: " + "; ".join(f"{title} ({period})" for _, title, period in missing) + ".")
        fresh.status = S.SUBMITTED
        fresh.signed_off_by = user
        fresh.signed_off_on = timezone.now()
        fresh.save(update_fields=["status", "signed_off_by", "signed_off_on"])
        audit.record(user, "submit", "submission", submission.indicator_key, snapshot=submission.snapshot,
                     before=before, after=audit.fields_of(fresh), summary="Signed off and submitted for review")


def review(user: Any, submission: m.Submission, seen_version: int, *, accept: bool, comment: str) -> None:
    """Accept a submitted return, or return it to the lead officer with a comment saying why."""
    _require(access.manages(user), "Only the performance team can review returns.")
    _require(submission.status == S.SUBMITTED, "Only a submitted return can be accepted or returned.")
    comment = comment.strip()
    _require(accept or bool(comment), "Say what needs changing: a return needs a comment.")
    with _atomic():
        before = audit.fields_of(submission)
        fresh = claim(submission, seen_version, user)
        fresh.status = S.ACCEPTED if accept else S.RETURNED
        fresh.reviewed_by = user
        fresh.reviewed_on = timezone.now()
        fresh.review_comment = comment
        fresh.save(update_fields=["status", "reviewed_by", "reviewed_on", "review_comment"])
        audit.record(user, "accept" if accept else "return", "submission", submission.indicator_key,
                     snapshot=submission.snapshot, before=before, after=audit.fields_of(fresh),
                     summary="Accepted" if accept else "Returned for changes", comment=comment)


# ------------------------------------------------------------------------------- publish, revise
def publish(user: Any, snapshot: m.Snapshot, seen_version: int) -> m.Snapshot:
    """Publish a draft once every return is accepted; a revision archives what it corrects."""
    _require(access.manages(user), "Only the performance team can publish.")
    _require(not snapshot.published and not snapshot.is_archived, "This snapshot is not a draft.")
    waiting = [s.indicator_key for s in snapshot.submissions.all() if s.status != S.ACCEPTED]
    _require(not waiting, f"{len(waiting)} return{'s are' if len(waiting) != 1 else ' is'} not accepted yet: "
             + ", ".join(waiting) + ".")
    now = timezone.now()
    with _atomic():
        before = audit.fields_of(snapshot)
        fresh = claim(snapshot, seen_version, user)
        # Again under the snapshot's lock: a return saved since the check above is no longer accepted.
        waiting = [s.indicator_key for s in fresh.submissions.all() if s.status != S.ACCEPTED]
        _require(not waiting, f"{', '.join(waiting)} changed since you opened this page and is not accepted now.")
        old = (m.Snapshot.objects.select_for_update().filter(
            outcome_key=snapshot.outcome_key, reporting_period=snapshot.reporting_period, published=True,
            archived_on__isnull=True).first())
        if old is not None:
            old.archived_on = now
            old.archived_by = user
            old.archived_reason = (f"Revised by revision {fresh.revision}: {fresh.revision_reason}"
                                   if fresh.revision_reason else f"Superseded by revision {fresh.revision}.")
            old.save(update_fields=["archived_on", "archived_by", "archived_reason"])
        fresh.published = True
        fresh.published_on = now
        fresh.report_status = "published"
        month = f"{timezone.localdate():%B %Y}"
        # The committee pack says it is a revision: "July 2018, revised (revision 2) December 2018".
        fresh.report_published = (f"{old.report_published or 'first published'}, revised (revision {fresh.revision}) "
                                  f"{month}" if old is not None else month)
        fresh.save(update_fields=["published", "published_on", "report_status", "report_published"])
        adapter.refresh_content_hash(fresh)
        rp = fresh.reporting_period
        if not m.Snapshot.objects.current().filter(reporting_period=rp, published=False).exists():
            rp.status = m.ReportingPeriod.Status.PUBLISHED
            rp.save(update_fields=["status"])
        audit.record(user, "publish", "snapshot", snapshot.outcome_key, snapshot=fresh, before=before,
                     after=audit.fields_of(fresh),
                     summary=f"Published revision {fresh.revision}" + (" (a correction)" if old else ""),
                     comment=fresh.revision_reason)
    adapter.clear_cache()
    return fresh


def start_revision(user: Any, snapshot: m.Snapshot, reason: str) -> m.Snapshot:
    """Start a correction of a published snapshot: a draft revision whose returns start accepted
    (a return that is changed goes back through sign-off and review)."""
    _require(access.manages(user), "Only the performance team can start a revision.")
    _require(snapshot.published and not snapshot.is_archived, "Only the current published snapshot can be revised.")
    reason = reason.strip()
    _require(bool(reason), "Say why the published figures are being corrected: the reason is shown to readers.")
    in_progress = "A revision of this outcome and period is already in progress."
    with _atomic():
        # Under the published snapshot's lock, so two requests cannot both start a revision.
        locked = m.Snapshot.objects.select_for_update().get(pk=snapshot.pk)
        _require(locked.published and not locked.is_archived, "Only the current published snapshot can be revised.")
        _require(not m.Snapshot.objects.current().filter(outcome_key=snapshot.outcome_key,
                                                          reporting_period=snapshot.reporting_period,
                                                          published=False).exists(), in_progress)
        draft = adapter.copy_to_draft(locked, user=user, reason=reason)
        _create_returns(draft, user, S.ACCEPTED)
        rp = draft.reporting_period
        rp.status = m.ReportingPeriod.Status.IN_REVIEW
        rp.save(update_fields=["status"])
        audit.record(user, "revise", "snapshot", snapshot.outcome_key, snapshot=draft,
                     before=audit.fields_of(snapshot), after=audit.fields_of(draft),
                     summary=f"Started revision {draft.revision}", comment=reason)
    return draft


def discard_draft(user: Any, snapshot: m.Snapshot, seen_version: int, reason: str) -> None:
    """Archive a draft that will not be published (a revision abandoned, an outcome not reported this
    period), with the reason. Nothing is deleted; a later revision can be started again."""
    _require(access.manages(user), "Only the performance team can discard a draft.")
    reason = reason.strip()
    _require(bool(reason), "Say why the draft is being discarded: the reason is kept in the audit trail.")
    with _atomic():
        before = audit.fields_of(snapshot)
        fresh = claim(snapshot, seen_version, user)
        _require(not fresh.published and not fresh.is_archived, "Only a current draft can be discarded.")
        fresh.archived_on = timezone.now()
        fresh.archived_by = user
        fresh.archived_reason = f"Discarded: {reason}"
        superseded = fresh.supersedes_id
        fresh.supersedes = None  # the published revision it corrected may be revised again
        fresh.save(update_fields=["archived_on", "archived_by", "archived_reason", "supersedes"])
        audit.record(user, "discard", "snapshot", snapshot.outcome_key, snapshot=fresh, before=before,
                     after=audit.fields_of(fresh), comment=reason,
                     summary=f"Discarded draft revision {fresh.revision}"
                     + (f" (a correction of snapshot {superseded})" if superseded else ""))


# ------------------------------------------------------------------------------------ reminders
def outstanding_by_user() -> dict[Any, list[m.Submission]]:
    """Lead officers with returns still to submit, in open periods: user -> their returns."""
    from django.contrib.auth import get_user_model

    out: dict[Any, list[m.Submission]] = {}
    for user in get_user_model().objects.filter(is_active=True, assignments__isnull=False).distinct():
        if access.role(user) != access.LEAD:  # an assignment outlives the role: no role, no reminder
            continue
        mine = [s for s in access.submissions_for(user).filter(
            snapshot__published=False, snapshot__reporting_period__status=m.ReportingPeriod.Status.OPEN,
        ).order_by("snapshot__reporting_period__end", "snapshot__position", "id") if s.outstanding]
        if mine:
            out[user] = mine
    return out
