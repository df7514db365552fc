"""No lost updates: optimistic concurrency on any :class:`~outcomes_web.store.models.Tracked` row.

A form carries the ``version`` of the row it was drawn from. :func:`claim` moves the row to the
next version in one conditional ``UPDATE ... WHERE version = seen``; when someone saved first it
matches no row and :class:`Conflict` is raised with the row as it now is, so the page can show
both versions and the second writer decides. Call it inside the transaction that saves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import router, transaction
from django.db.models import F, Model
from django.utils import timezone

from outcomes_web.store.models import Snapshot

T = TypeVar("T", bound=Model)


def atomic() -> transaction.Atomic:
    """A transaction on the store's database (the router's choice; tests run SQLite and PostgreSQL)."""
    return transaction.atomic(using=router.db_for_write(Snapshot))


class Conflict(Exception):
    """Someone saved the item after this form was drawn."""

    def __init__(self, current: Any, seen_version: int) -> None:
        super().__init__(f"{current} was changed by someone else (version {seen_version} -> {current.version}).")
        self.current = current
        self.seen_version = seen_version


def parse_version(text: object) -> int:
    try:
        return int(str(text))
    except (TypeError, ValueError):
        return -1


def claim(instance: T, seen_version: int, user: Any = None) -> T:
    """Bump ``instance`` from ``seen_version`` to the next, or raise :class:`Conflict`."""
    model = type(instance)
    fields: dict[str, Any] = {"version": F("version") + 1, "modified_on": timezone.now()}
    if user is not None and getattr(user, "is_authenticated", False):
        fields["modified_by"] = user
    updated = model._default_manager.filter(pk=instance.pk, version=seen_version).update(**fields)
    fresh = model._default_manager.get(pk=instance.pk)
    if not updated:
        raise Conflict(fresh, seen_version)
    return fresh
