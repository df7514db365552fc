"""Every change to a draft's framework, each in one transaction with its audit record.

The framework pages (:mod:`outcomes_web.workspace.framework_views`) check the forms and call these;
nothing else writes the framework rows. Each operation locks the draft snapshot (refusing with
:class:`Frozen` when it was published or archived meanwhile), claims the row at the version the form
was drawn from (:func:`~outcomes_web.store.concurrency.claim`, raising
:class:`~outcomes_web.store.concurrency.Conflict`), writes the rows, records before and after
(:mod:`~outcomes_web.store.audit`) and refreshes the snapshot's content hash, so the change and its
record land together or not at all (ADR 0003).

* :func:`update_item`: change an outcome, population indicator, performance measure, series or risk;
* :func:`create_item`: add an indicator or measure (with its first series), a series or a risk;
* :func:`archive_item`: archive (never delete) an indicator, measure or risk, with the reason.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from outcomes_web import adapter
from outcomes_web.store import audit
from outcomes_web.store import models as m
from outcomes_web.store.concurrency import Conflict, atomic, claim

__all__ = ["EDITORS", "Conflict", "Editor", "Frozen", "archive_item", "comparators", "create_item",
           "live_indicators", "update_item"]

S = m.Submission.Status


def live_indicators(snapshot: m.Snapshot) -> list[m.Indicator]:
    return list(m.Indicator.objects.filter(snapshot=snapshot, archived_on__isnull=True).order_by("position"))


class Frozen(Exception):
    """The draft was published or archived while the form was open."""


@contextmanager
def _draft_transaction(snap: m.Snapshot) -> Iterator[None]:
    """A transaction holding the snapshot's row lock, in which it is still a current draft (else Frozen):
    a framework change cannot land in a snapshot published a moment ago."""
    with atomic():
        locked = m.Snapshot.objects.select_for_update().get(pk=snap.pk)
        if locked.published or locked.is_archived:
            raise Frozen
        yield




# ================================================================================== the operations
def update_item(user: Any, snap: m.Snapshot, kind: str, row: Any, seen_version: int, data: dict[str, Any],
                comparator_rows: list[dict[str, Any]] | None = None) -> Any:
    """Change ``row`` (an item of ``kind`` in the draft ``snap``) to the form's cleaned ``data`` (a
    series also takes its comparators' rows, ``comparator_rows``); returns the saved row. A change that alters nothing is
    not recorded. Raises :class:`Frozen` or :class:`Conflict`, having written nothing."""
    editor = EDITORS[kind]
    key = snap.outcome_key if kind == "outcome" else row.key
    with _draft_transaction(snap):
        before = audit_state(editor, row)
        fresh = claim(row, seen_version, user)
        editor.apply(user, snap, fresh, data, comparator_rows)
        fresh.save()
        after = audit_state(editor, fresh)
        if before != after:
            audit.record(user, "update", editor.item_type, key, snapshot=snap, before=before,
                         after=after, summary=f"Changed the {editor.noun} in the framework")
        adapter.refresh_content_hash(snap)
    return fresh


def create_item(user: Any, snap: m.Snapshot, kind: str, data: dict[str, Any],
                first: dict[str, Any] | None = None) -> Any:
    """Add an item of ``kind`` from a valid form (an indicator or measure with its first series from
    ``first``); returns the new row. Raises :class:`Frozen`, or ``IntegrityError`` when the id was
    taken a moment ago, having written nothing."""
    editor = EDITORS[kind]
    with _draft_transaction(snap):
        row = _create(user, snap, kind, data, first)
        audit.record(user, "create", editor.item_type, row.key, snapshot=snap, before=None,
                     after=audit_state(editor, row), summary=f"Added the {editor.noun} to the framework")
        for srow in m.Series.objects.filter(snapshot=snap, key=row.key) if first is not None else []:
            audit.record(user, "create", "series", srow.key, snapshot=snap, before=None,
                         after=audit_state(EDITORS["series"], srow),
                         summary=f"Added the series of the new {editor.noun}")
        adapter.refresh_content_hash(snap)
    return row


ARCHIVABLE: dict[str, type[Any]] = {"indicator": m.Indicator, "measure": m.Measure, "risk": m.Risk}


def archive_item(user: Any, snap: m.Snapshot, kind: str, row: Any, seen_version: int, reason: str) -> Any:
    """Archive ``row`` (an indicator, measure or risk of ``kind``) for ``reason``; an indicator's return
    is then accepted and risks lose their link to it, each recorded. Returns the saved row; raises
    :class:`Frozen` or :class:`Conflict`, having written nothing."""
    editor = EDITORS[kind]
    with _draft_transaction(snap):
        before = audit_state(editor, row)
        fresh = claim(row, seen_version, user)
        fresh.archived_on = timezone.now()
        fresh.archived_by = user
        fresh.archived_reason = reason.strip()
        fresh.save()
        audit.record(user, "archive", editor.item_type, row.key, snapshot=snap, before=before,
                     after=audit_state(editor, fresh), summary=f"Archived the {editor.noun}",
                     comment=fresh.archived_reason)
        if kind == "indicator":
            _accept_archived_return(user, snap, row.key)
            _unlink_risks(user, snap, row.key)
        adapter.refresh_content_hash(snap)
    return fresh


# ======================================================================================= the parts
def _lead_of(snap: m.Snapshot, kind: str, key: str) -> Any:
    a = (m.Assignment.objects.filter(outcome_key=snap.outcome_key, item_kind=kind, item_key=key)
         .select_related("user").order_by("id").first())
    return a.user if a else None


def _lead_names(row: m.Indicator | m.Measure) -> list[str]:
    return [o.name for o in row.officers.filter(relation=m.Officer.Relation.LEAD).order_by("position")]


def _set_lead(user: Any, snap: m.Snapshot, kind: str, row: m.Indicator | m.Measure, lead: Any) -> None:
    """Make ``lead`` the item's lead officer: its Assignment and its named lead officer in the report."""
    assignments = m.Assignment.objects.filter(outcome_key=snap.outcome_key, item_kind=kind, item_key=row.key)
    current = [a.user_id for a in assignments]
    if lead is None:
        assignments.delete()
        return
    if current == [lead.pk]:
        return
    assignments.exclude(user=lead).delete()
    m.Assignment.objects.update_or_create(
        user=lead, outcome_key=snap.outcome_key, item_key=row.key,
        defaults={"item_kind": kind, "modified_by": user}, create_defaults={
            "item_kind": kind, "created_by": user, "modified_by": user})
    officers = row.officers.filter(relation=m.Officer.Relation.LEAD).order_by("position")
    first = officers.first()
    role = first.role if first is not None else (
        "Population Indicator Lead Officer" if kind == "indicator" else "Performance Measure Lead Officer")
    officers.delete()
    holder = {"indicator": row} if kind == "indicator" else {"measure": row}
    m.Officer.objects.create(snapshot=snap, relation=m.Officer.Relation.LEAD, position=0,
                             name=lead.get_full_name() or lead.get_username(), role=role, **holder)


def _period_text(data: dict[str, Any] | None) -> str:
    if not data:
        return ""
    if data.get("label"):
        return str(data["label"])
    return adapter.period_label(data["kind"], datetime.date.fromisoformat(data["start"]),
                                datetime.date.fromisoformat(data["end"]))


def _next_position(qs: Any) -> int:
    return int(qs.aggregate(p=Max("position"))["p"] or 0) + 1


@dataclass
class Editor:
    """How one kind of item is shown, changed and recorded."""

    item_type: str  # audit item type: outcome | indicator | measure | series | risk
    noun: str  # for headings and messages
    initial: Callable[[m.Snapshot, Any], dict[str, Any]]  # row -> form initial (also the conflict's "saved")
    apply: Callable[[Any, m.Snapshot, Any, dict[str, Any], Any], None]  # (user, snap, row, cleaned, comparators)
    state: Callable[[Any], dict[str, Any]]  # row -> what the audit records beside its own fields


def _outcome_initial(snap: m.Snapshot, row: m.Outcome) -> dict[str, Any]:
    return {"title": row.title, "introduction": row.introduction}


def _outcome_apply(user: Any, snap: m.Snapshot, row: m.Outcome, data: dict[str, Any], extra: Any) -> None:
    row.title = data["title"].strip()
    row.introduction = data["introduction"].strip().replace("\r\n", "\n")


def _indicator_initial(snap: m.Snapshot, row: m.Indicator) -> dict[str, Any]:
    return {"number": row.number, "title": row.title, "section": row.section, "section_title": row.section_title,
            "lead": _lead_of(snap, "indicator", row.key)}


def _indicator_apply(user: Any, snap: m.Snapshot, row: m.Indicator, data: dict[str, Any], extra: Any) -> None:
    for name in ("number", "title", "section", "section_title"):
        setattr(row, name, str(data.get(name) or "").strip())
    _set_lead(user, snap, "indicator", row, data.get("lead"))


def _lead_state(kind: str) -> Callable[[Any], dict[str, Any]]:
    def state(row: Any) -> dict[str, Any]:
        lead = _lead_of(row.snapshot, kind, row.key)
        return {"lead_officers": _lead_names(row), "lead_account": lead.get_username() if lead else ""}

    return state


def _measure_initial(snap: m.Snapshot, row: m.Measure) -> dict[str, Any]:
    return {"title": row.title, "lead": _lead_of(snap, "measure", row.key)}


def _measure_apply(user: Any, snap: m.Snapshot, row: m.Measure, data: dict[str, Any], extra: Any) -> None:
    row.title = data["title"].strip()
    _set_lead(user, snap, "measure", row, data.get("lead"))


def _series_initial(snap: m.Snapshot, row: m.Series) -> dict[str, Any]:
    return {"title": row.title, "short_title": row.short_title, "unit_type": row.unit_type,
            "unit_per": row.unit_per, "unit_decimals": row.unit_decimals, "polarity": row.polarity,
            "definition": row.definition, "source": row.source,
            "target_value": row.target_value if row.has_target else None,
            "target_period": _period_text(row.target_period) if row.has_target else "",
            "target_note": row.target_note if row.has_target else ""}


def _series_apply(user: Any, snap: m.Snapshot, row: m.Series, data: dict[str, Any], extra: Any) -> None:
    for name in ("title", "short_title", "definition", "source"):
        setattr(row, name, str(data.get(name) or "").strip().replace("\r\n", "\n"))
    row.unit_type = data["unit_type"]
    row.unit_per = data.get("unit_per") if row.unit_type == "rate" else None
    row.unit_decimals = data.get("unit_decimals")
    row.polarity = data["polarity"]
    row.has_target = data.get("target_value") is not None
    row.target_value = data.get("target_value")
    row.target_period = data.get("target_period_json") if row.has_target else None
    row.target_note = str(data.get("target_note") or "").strip() if row.has_target else ""
    if extra is not None:
        _save_comparators(row, extra)


def _save_comparators(row: m.Series, comparators: list[dict[str, Any]]) -> None:
    """Existing comparators in order, then one new row when it was filled in; rows marked DELETE are
    removed. ``comparators`` holds the comparator formset's cleaned data, one dict a row (empty when
    the row was left blank)."""
    existing = list(row.comparators.order_by("position"))
    position = 0
    for i, data in enumerate(comparators):
        current = existing[i] if i < len(existing) else None
        if not data or data.get("DELETE"):
            if current is not None and data.get("DELETE"):
                current.delete()
            elif current is not None:
                current.position = position
                current.save(update_fields=["position"])
                position += 1
            continue
        target = current or m.Comparator(series=row, kind="benchmark")
        target.position = position
        target.name = data["name"].strip()
        target.area = str(data.get("area") or "").strip()
        target.value = data.get("value")
        target.period = data.get("period")
        target.save()
        position += 1


def comparators(row: m.Series) -> list[dict[str, Any]]:
    """The series' comparators as the form shows them (and the audit records them)."""
    return [{"name": c.name, "area": c.area, "value": c.value, "period": _period_text(c.period)}
            for c in row.comparators.order_by("position")]


def _series_state(row: m.Series) -> dict[str, Any]:
    return {"comparators": comparators(row)}


def _risk_initial(snap: m.Snapshot, row: m.Risk) -> dict[str, Any]:
    return {"title": row.title, "score": row.score, "trend": row.trend, "owner": row.owner,
            "likelihood": row.likelihood, "impact": row.impact, "indicators": _linked_keys(row)}


def _risk_apply(user: Any, snap: m.Snapshot, row: m.Risk, data: dict[str, Any], extra: Any) -> None:
    row.title = data["title"].strip()
    row.score = data["score"]
    row.trend = data["trend"]
    row.owner = str(data.get("owner") or "").strip()
    row.likelihood = data.get("likelihood")
    row.impact = data.get("impact")
    offered = [i.key for i in live_indicators(snap)]
    chosen = set(data.get("indicators") or [])
    existing = _linked_keys(row) if row.pk else []
    # Links to indicators not offered here (another outcome's, or an archived one) are kept as they are.
    keys = [k for k in existing if k in chosen or k not in offered]
    keys += [k for k in offered if k in chosen and k not in keys]
    if keys != existing:
        _set_links(snap, row, keys)


def _linked_keys(risk: m.Risk) -> list[str]:
    return [x.indicator_key for x in risk.links.order_by("position")]


def _set_links(snap: m.Snapshot, risk: m.Risk, keys: list[str]) -> None:
    """Link ``risk`` to the indicators ``keys``, in that order (a key the snapshot lacks is kept unlinked)."""
    by_key = {i.key: i for i in m.Indicator.objects.filter(snapshot=snap, key__in=keys)}
    risk.links.all().delete()
    m.RiskLink.objects.bulk_create([m.RiskLink(risk=risk, position=j, indicator_key=k, indicator=by_key.get(k))
                                    for j, k in enumerate(keys)])


def _risk_state(row: m.Risk) -> dict[str, Any]:
    return {"indicators": _linked_keys(row)}


EDITORS: dict[str, Editor] = {
    "outcome": Editor("outcome", "outcome", _outcome_initial, _outcome_apply, lambda row: {}),
    "indicator": Editor("indicator", "population indicator", _indicator_initial, _indicator_apply,
                        _lead_state("indicator")),
    "measure": Editor("measure", "performance measure", _measure_initial, _measure_apply, _lead_state("measure")),
    "series": Editor("series", "series", _series_initial, _series_apply, _series_state),
    "risk": Editor("risk", "risk", _risk_initial, _risk_apply, _risk_state),
}


def audit_state(editor: Editor, row: Any) -> dict[str, Any]:
    return {**(audit.fields_of(row) or {}), **editor.state(row)}


def _create_series(user: Any, snap: m.Snapshot, key: str, ind: m.Indicator, measure: m.Measure | None,
                   data: dict[str, Any]) -> m.Series:
    row = m.Series(snapshot=snap, indicator=ind, measure=measure, key=key, period_kind=data["period_kind"],
                   kind=(m.Series.Kind.PERFORMANCE_MEASURE if measure else m.Series.Kind.POPULATION_INDICATOR),
                   position=_next_position(m.Series.objects.filter(indicator=ind, measure=measure)),
                   created_by=user, modified_by=user)
    _series_apply(user, snap, row, data, None)
    row.save()
    m.PublishedStatement.objects.create(series=row)
    return row


def _create(user: Any, snap: m.Snapshot, kind: str, data: dict[str, Any], first: dict[str, Any] | None) -> Any:
    """Write a new item of ``kind`` from a valid form (and, for an indicator or a measure, its first
    series from ``first``); returns the row."""
    tracked = {"created_by": user, "modified_by": user}
    key = data["key"]
    if kind == "indicator":
        row: Any = m.Indicator(snapshot=snap, outcome=m.Outcome.objects.get(snapshot=snap), key=key,
                               position=_next_position(m.Indicator.objects.filter(snapshot=snap)), title="",
                               **tracked)
        for name in ("number", "title", "section", "section_title"):
            setattr(row, name, str(data.get(name) or "").strip())
        row.save()
        _set_lead(user, snap, "indicator", row, data.get("lead"))
        if first is not None:
            _create_series(user, snap, key, row, None, {**first, "title": row.title, "short_title": ""})
        if not m.Submission.objects.filter(snapshot=snap, indicator_key=key).exists():
            m.Submission.objects.create(snapshot=snap, indicator_key=key, **tracked)
    elif kind == "measure":
        ind = m.Indicator.objects.get(snapshot=snap, key=data["indicator"])
        row = m.Measure.objects.create(snapshot=snap, indicator=ind, key=key, title=data["title"].strip(),
                                       position=_next_position(m.Measure.objects.filter(indicator=ind)), **tracked)
        _set_lead(user, snap, "measure", row, data.get("lead"))
        if first is not None:
            _create_series(user, snap, key, ind, row, {**first, "title": row.title, "short_title": ""})
    elif kind == "series":
        holder_kind, holder_key = str(data["holder"]).split(":", 1)
        measure = m.Measure.objects.get(snapshot=snap, key=holder_key) if holder_kind == "measure" else None
        ind = measure.indicator if measure is not None else m.Indicator.objects.get(snapshot=snap, key=holder_key)
        row = _create_series(user, snap, key, ind, measure, data)
    else:
        row = m.Risk(snapshot=snap, key=key, outcome_key=snap.outcome_key, origin=f"added by {user.get_username()}",
                     position=_next_position(m.Risk.objects.filter(snapshot=snap)), **tracked)
        _risk_apply(user, snap, row, {**data, "indicators": []}, None)
        row.save()
        _risk_apply(user, snap, row, data, None)
    return row


def _accept_archived_return(user: Any, snap: m.Snapshot, key: str) -> None:
    """An archived indicator's return no longer holds publishing up: it is accepted, and that recorded."""
    sub = m.Submission.objects.filter(snapshot=snap, indicator_key=key).first()
    if sub is None or sub.status == S.ACCEPTED:
        return
    before = audit.fields_of(sub)
    sub.status = S.ACCEPTED
    sub.review_comment = "Indicator archived"
    sub.reviewed_by = user
    sub.reviewed_on = timezone.now()
    sub.modified_by = user
    sub.version += 1
    sub.save()
    audit.record(user, "accept", "submission", key, snapshot=snap, before=before, after=audit.fields_of(sub),
                 summary="Accepted: the indicator was archived", comment="Indicator archived")


def _unlink_risks(user: Any, snap: m.Snapshot, key: str) -> None:
    """Risks of the snapshot linked to an archived indicator lose the link (a dataset's risk may link only
    to indicators it holds); each change is recorded."""
    editor = EDITORS["risk"]
    for risk in m.Risk.objects.filter(snapshot=snap, links__indicator_key=key).distinct():
        before = audit_state(editor, risk)
        _set_links(snap, risk, [k for k in _linked_keys(risk) if k != key])
        risk.version += 1
        risk.modified_by = user
        risk.save(update_fields=["version", "modified_by", "modified_on"])
        audit.record(user, "update", "risk", risk.key, snapshot=snap, before=before,
                     after=audit_state(editor, risk), summary=f"Unlinked from the archived indicator {key}")
