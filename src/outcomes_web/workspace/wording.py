"""Words for people: audit events as sentences naming people and items, local dates, field names in
plain English (the audit log, item histories and a return's history use these).

>>> local_datetime("2026-12-04T14:05:00+00:00")
'4 December 2026, 14:05'
>>> local_datetime("2026-07-04T14:05:00+00:00")  # British Summer Time
'4 July 2026, 15:05'
>>> field_name("reviewed_by")
'Reviewed by'
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model

from outcomes_web.store import models as m

FIELD_NAMES = {
    "signed_off_by": "Signed off by", "signed_off_on": "Signed off on", "reviewed_by": "Reviewed by",
    "reviewed_on": "Reviewed on", "review_comment": "Reviewer's comment", "status": "Status",
    "value": "Value", "numerator": "Numerator", "denominator": "Denominator", "note": "Note",
    "missing_reason": "Nothing to report because", "period_label": "Period", "published": "Published",
    "published_on": "Published on", "archived_on": "Archived on", "archived_by": "Archived by",
    "archived_reason": "Why archived", "deadline": "Deadline", "origin": "Where it came from",
    "data_notes": "Notes on the data", "story": "The story behind the baseline", "partners": "Partners",
    "actions": "What we are doing",
}
PERSON_FIELDS = {"signed_off_by", "reviewed_by", "archived_by", "modified_by", "created_by", "user"}

VERBS = {
    "create": "added", "update": "changed", "submit": "signed off and submitted", "accept": "accepted",
    "return": "returned for changes", "publish": "published", "revise": "started a revision of",
    "discard": "discarded", "open-period": "opened", "archive": "archived", "restore": "restored",
    "upload": "uploaded", "import": "imported", "delete": "removed",
}
THINGS = {"submission": "the return for", "observation": "a figure of", "narrative": "the narrative of",
          "snapshot": "", "period": "the reporting period", "series": "the series", "measure": "the measure",
          "indicator": "the indicator", "risk": "the risk", "outcome": "the outcome"}


def field_name(name: str) -> str:
    return FIELD_NAMES.get(name) or (name[:1].upper() + name[1:]).replace("_", " ")


def local_datetime(value: Any) -> str:
    """An ISO date-time (as the audit trail keeps it) in UK local time: '4 December 2026, 14:05'."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.UTC)
        local = value.astimezone(ZoneInfo(getattr(settings, "TIME_ZONE", "Europe/London") or "Europe/London"))
        return f"{local.day} {local:%B %Y, %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def _date_text(value: Any) -> str | None:
    """A date or date-time written as ISO text, in words; None when it is not one."""
    if not isinstance(value, str) or len(value) < 10 or value[4:5] != "-" or value[7:8] != "-":
        return None
    try:
        if len(value) == 10:
            day = datetime.date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        return local_datetime(datetime.datetime.fromisoformat(value))
    except ValueError:
        return None


def _people(events: Iterable[Any]) -> dict[str, str]:
    """Names of the users the events' before and after refer to, by id (as text)."""
    ids: set[int] = set()
    for e in events:
        for side in (e.before or {}, e.after or {}):
            for name in PERSON_FIELDS & set(side):
                if str(side[name] or "").isdigit():
                    ids.add(int(side[name]))
    users = get_user_model().objects.filter(pk__in=ids)
    return {str(u.pk): u.get_full_name() or u.get_username() for u in users}


def _titles(events: list[Any]) -> dict[tuple[str, str], str]:
    """Titles of the items the events name, by (outcome key, item key), from the store."""
    keys = {e.item_key for e in events}
    outcomes = {e.outcome_key for e in events} | keys
    out: dict[tuple[str, str], str] = {}
    for model, field in ((m.Series, "snapshot__outcome_key"), (m.Measure, "snapshot__outcome_key"),
                         (m.Indicator, "snapshot__outcome_key")):
        for okey, key, title in model.objects.filter(key__in=keys).values_list(field, "key", "title"):
            out.setdefault((okey, key), title)
    for okey, title in m.Outcome.objects.filter(key__in=outcomes).values_list("key", "title"):
        out.setdefault(("", okey), title)
    return out


def _value(name: str, value: Any, people: dict[str, str]) -> str:
    if value is None or value == "":
        return "(none)"
    if name in PERSON_FIELDS:
        return people.get(str(value), f"user {value}")
    if isinstance(value, bool):
        return "yes" if value else "no"
    when = _date_text(value)
    if when is not None:
        return when
    if name == "status" and isinstance(value, str):
        return value.replace("-", " ")
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe(events: Iterable[Any]) -> list[dict[str, Any]]:
    """Each event with ``sentence`` (who did what, to what) and ``changes`` (field, before, after in words)."""
    events = list(events)
    people, titles = _people(events), _titles(events)
    out = []
    for e in events:
        user = getattr(e, "user", None)
        who = (user.get_full_name() or user.get_username()) if user is not None else (e.username or "The system")
        title = titles.get((e.outcome_key, e.item_key)) or titles.get(("", e.item_key)) or e.item_key
        thing = THINGS.get(e.item_type, f"the {e.item_type.replace('-', ' ')}")
        if e.item_type == "snapshot":
            thing_text = f"{title}" + (f" for {e.period_label}" if e.period_label else "")
        elif e.item_type == "period":
            thing_text = f"{thing} {e.item_key}"
        else:
            thing_text = f"{thing} {title}" + (f" ({e.period_label})" if e.period_label else "")
        verb = VERBS.get(e.action, e.action.replace("-", " "))
        sentence = f"{who} {verb} {thing_text.strip()}."
        if e.summary:
            sentence += f" {e.summary[:1].upper()}{e.summary[1:]}" + ("" if e.summary.endswith(".") else ".")
        changes = [(field_name(k), _value(k, b, people), _value(k, a, people))
                   for k, b, a in _diff(e.before, e.after)]
        out.append({"e": e, "sentence": sentence, "when": local_datetime(e.at), "who": who, "changes": changes,
                    "diff": changes})
    return out


def _diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    b, a = before or {}, after or {}
    return [(k, b.get(k), a.get(k)) for k in sorted(set(b) | set(a)) if b.get(k) != a.get(k)]
