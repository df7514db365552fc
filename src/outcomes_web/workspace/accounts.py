"""Accounts: the role groups, users made from the command line, and the demo accounts.

Demo accounts are for a demonstration on one machine only (``outcomes demo``): they share one
published password. A real installation makes its accounts with ``outcomes adduser``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from outcomes_web.store import access
from outcomes_web.store import models as m

DEMO_PASSWORD = "demo-only-Outcomes-2018"  # noqa: S105 - published in the README; demo data only
ROLE_CHOICES = {"admin": access.ADMIN, "performance": access.PERFORMANCE, "lead": access.LEAD,
                "viewer": access.VIEWER}


def ensure_groups() -> dict[str, Group]:
    return {role: Group.objects.get_or_create(name=name)[0] for role, name in access.GROUPS.items()}


def set_role(user: object, role: str) -> None:
    """Put ``user`` in the group of ``role`` (one of ROLE_CHOICES' values) and out of the others."""
    groups = ensure_groups()
    user.groups.remove(*groups.values())  # type: ignore[attr-defined]
    user.is_superuser = user.is_staff = role == access.ADMIN  # type: ignore[attr-defined]
    user.save()  # type: ignore[attr-defined]
    if role in groups:
        user.groups.add(groups[role])  # type: ignore[attr-defined]


def assign(user: object, outcome_key: str, item_key: str, kind: str = "indicator") -> m.Assignment:
    a, _ = m.Assignment.objects.get_or_create(user=user, outcome_key=outcome_key, item_key=item_key,
                                              defaults={"item_kind": kind})
    return a


@dataclass
class DemoAccount:
    username: str
    name: str
    role: str
    leads: list[str]


def _username(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", name.lower()).strip(".")[:150]


@transaction.atomic
def create_demo_accounts(password: str = DEMO_PASSWORD) -> list[DemoAccount]:
    """An administrator, a performance officer, an internal viewer, and a lead officer for every
    named lead officer of a population indicator in the stored examples (assigned to those)."""
    User = get_user_model()
    made: list[DemoAccount] = []

    def user(username: str, name: str, role: str) -> object:
        first, _, last = name.partition(" ")
        u, _ = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last,
                                                                        "email": f"{username}@example.org"})
        u.set_password(password)
        set_role(u, role)
        return u

    for username, name, role in (("admin", "Demo Administrator", access.ADMIN),
                                 ("performance", "Priya Performance", access.PERFORMANCE),
                                 ("viewer", "Victor Viewer", access.VIEWER)):
        user(username, name, role)
        made.append(DemoAccount(username, name, role, []))
    leads: dict[str, list[tuple[str, str]]] = {}
    for o in (m.Officer.objects.filter(relation="lead", indicator__isnull=False,
                                       snapshot__archived_on__isnull=True)
              .select_related("indicator__snapshot").order_by("snapshot__position", "indicator__position")):
        ind = o.indicator
        assert ind is not None  # indicator__isnull=False above
        pair = (ind.snapshot.outcome_key, ind.key)
        if pair not in leads.setdefault(o.name, []):
            leads[o.name].append(pair)
    for name, items in leads.items():
        username = _username(name)
        if not username:
            continue
        u = user(username, name, access.LEAD)
        for outcome_key, key in items:
            assign(u, outcome_key, key)
        made.append(DemoAccount(username, name, access.LEAD, [k for _, k in items]))
    return made
