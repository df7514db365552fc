"""The audit trail: every change through the workspace records who, when, what, before and after.

Call :func:`record` inside the transaction that makes the change, so the change and its record
land together or not at all. ``fields_of`` turns a row into the plain dict kept as before/after.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import models

from outcomes_web.store import models as m

SKIP = {"id", "created_on", "created_by", "modified_on", "modified_by", "version", "snapshot", "position"}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def fields_of(instance: models.Model | None, names: Iterable[str] | None = None) -> dict[str, Any] | None:
    """The row's own fields as JSON-ready values (foreign keys as ids), or None for no row."""
    if instance is None:
        return None
    out: dict[str, Any] = {}
    for f in instance._meta.concrete_fields:
        name = f.name
        if (names is not None and name not in names) or (names is None and name in SKIP):
            continue
        out[name] = _plain(getattr(instance, f.attname))
    return out


def record(user: Any, action: str, item_type: str, item_key: str, *, snapshot: m.Snapshot | None = None,
           outcome_key: str = "", period_label: str = "", before: Any = None, after: Any = None,
           summary: str = "", comment: str = "") -> m.AuditEvent:
    if snapshot is not None:
        outcome_key = outcome_key or snapshot.outcome_key
        period_label = period_label or snapshot.reporting_period.label
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    return m.AuditEvent.objects.create(
        user=user if signed_in else None, username=user.get_username() if signed_in else "",
        action=action, item_type=item_type, item_key=item_key, outcome_key=outcome_key,
        period_label=period_label, snapshot=snapshot, summary=summary, before=before, after=after,
        comment=comment,
    )


def item_keys(outcome_key: str, item_key: str) -> set[str]:
    """The item and what it holds: an indicator's measures and series, a measure's series."""
    keys = {item_key}
    series = m.Series.objects.filter(snapshot__outcome_key=outcome_key)
    keys |= set(series.filter(indicator__key=item_key).values_list("key", flat=True))
    keys |= set(series.filter(measure__key=item_key).values_list("key", flat=True))
    keys |= set(m.Measure.objects.filter(snapshot__outcome_key=outcome_key, indicator__key=item_key)
                .values_list("key", flat=True))
    return keys


def history(*, outcome_key: str, item_key: str) -> list[m.AuditEvent]:
    """Every recorded change of an item of an outcome and of what it holds, newest first."""
    return list(m.AuditEvent.objects.filter(outcome_key=outcome_key, item_key__in=item_keys(outcome_key, item_key))
                .select_related("user"))


def diff_rows(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for each field that differs, for the history pages."""
    b, a = before or {}, after or {}
    return [(k, b.get(k), a.get(k)) for k in sorted(set(b) | set(a)) if b.get(k) != a.get(k)]
