"""Accounts: Argon2 hashing, password rules, login throttling, session expiry, demo accounts, reminders."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.utils import timezone

from outcomes_web import cli as web_cli
from outcomes_web.store import access
from outcomes_web.store import models as m
from outcomes_web.workspace import accounts, reminders

pytestmark = pytest.mark.django_db


def test_adduser_stores_an_argon2_hash_and_role(settings) -> None:  # type: ignore[no-untyped-def]
    from tests.web.conftest import PRODUCTION_HASHERS

    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    status = web_cli.run_adduser("jo.bloggs", role="lead", name="Jo Bloggs", email="jo@example.org",
                                 leads=["safe/child-protection"], password="correct-horse-battery")
    assert status == 0
    user = get_user_model().objects.get(username="jo.bloggs")
    assert user.password.startswith("argon2$argon2id$")
    assert access.role(user) == access.LEAD
    assert access.assigned_items(user) == {("safe", "child-protection")}


def test_adduser_refuses_a_weak_password_and_saves_nothing() -> None:
    errors: list[str] = []
    status = web_cli.run_adduser("weak", role="viewer", name="", email="", leads=["nonsense"], password="12345",
                                 echo=lambda _: None, error=errors.append)
    assert status == 2
    assert any("password" in e and "too short" in e for e in errors)
    assert any("--lead 'nonsense'" in e for e in errors)
    assert errors[-1] == "Nothing was saved."
    assert not get_user_model().objects.filter(username="weak").exists()


def test_sign_in_is_locked_after_repeated_failures(cycle) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    for _ in range(4):
        r = c.post("/accounts/login/", {"username": "lead", "password": "wrong-password"})
        assert r.status_code == 200 and "Please enter a correct" in r.content.decode()
    r = c.post("/accounts/login/", {"username": "lead", "password": "wrong-password"})
    assert r.status_code == 429  # the fifth failure locks
    r = c.post("/accounts/login/", {"username": "lead", "password": cycle.PASSWORD})
    assert r.status_code == 429
    assert "Too many failed sign-in attempts" in r.content.decode()
    assert "_auth_user_id" not in c.session
    # another user from the same address is not locked out
    ok = Client().post("/accounts/login/", {"username": "perf", "password": cycle.PASSWORD})
    assert ok.status_code == 302


def test_a_session_expires(cycle) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    assert c.post("/accounts/login/", {"username": "perf", "password": cycle.PASSWORD}).status_code == 302
    assert c.get("/manage/").status_code == 200
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    r = c.get("/manage/")
    assert r.status_code == 302 and r["Location"].startswith("/accounts/login/")


def test_session_settings_expire_idle_sign_ins() -> None:
    from django.conf import settings

    assert settings.SESSION_SAVE_EVERY_REQUEST and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    from tests.web.conftest import PRODUCTION_HASHERS

    assert PRODUCTION_HASHERS[0].endswith("Argon2PasswordHasher")


def test_demo_accounts_lead_the_examples_indicators() -> None:
    made = accounts.create_demo_accounts()
    by_role: dict[str, list[accounts.DemoAccount]] = {}
    for a in made:
        by_role.setdefault(a.role, []).append(a)
    assert {access.ADMIN, access.PERFORMANCE, access.VIEWER, access.LEAD} <= set(by_role)
    leads = by_role[access.LEAD]
    named = {o.name for o in m.Officer.objects.filter(relation="lead", indicator__isnull=False,
                                                      snapshot__archived_on__isnull=True)}
    assert {a.name for a in leads} == named
    some = leads[0]
    user = get_user_model().objects.get(username=some.username)
    assert {k for _, k in access.assigned_items(user)} == set(some.leads)
    assert Client().post("/accounts/login/", {"username": some.username,
                                              "password": accounts.DEMO_PASSWORD}).status_code == 302
    again = accounts.create_demo_accounts()  # idempotent
    assert len(again) == len(made)


def test_reminders_go_to_leads_with_outstanding_returns(cycle, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    rp = cycle.draft.reporting_period
    rp.deadline = datetime.date(2018, 7, 31)
    rp.save()
    lines = reminders.send_reminders(dry_run=True)
    assert not mail.outbox and any("lead <lead@example.org>: 1 outstanding, would send" in x for x in lines)
    reminders.send_reminders()
    to = sorted(msg.to[0] for msg in mail.outbox)
    assert to == ["lead@example.org", "otherlead@example.org"]
    body = next(msg for msg in mail.outbox if msg.to == ["lead@example.org"])
    assert "31 July 2018" in body.subject
    assert f"/manage/returns/{cycle.sub.pk}/" in body.body and "Q1 2018-19" in body.body
    # once submitted, no reminder
    mail.outbox.clear()
    m.Submission.objects.filter(pk=cycle.sub.pk).update(status="submitted")
    reminders.send_reminders()
    assert [msg.to for msg in mail.outbox] == [["otherlead@example.org"]]


def test_behind_a_proxy_lockouts_follow_the_client_not_the_proxy(cycle, settings) -> None:  # type: ignore[no-untyped-def]
    """With OUTCOMES_PROXY_COUNT=1 (as settings.py sets it), two visitors behind one proxy are two addresses."""
    settings.PROXY_COUNT = 1
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    for _ in range(5):
        attacker.post("/accounts/login/", {"username": "lead", "password": "wrong-password"})
    assert attacker.post("/accounts/login/", {"username": "lead", "password": cycle.PASSWORD}).status_code == 429
    # the real lead officer, through the same proxy from another address, still signs in
    lead = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert lead.post("/accounts/login/", {"username": "lead", "password": cycle.PASSWORD}).status_code == 302
    # a forged left-most address does not get the attacker a fresh count
    forged = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7")
    assert forged.post("/accounts/login/", {"username": "lead", "password": cycle.PASSWORD}).status_code == 429
