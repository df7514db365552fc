"""Sign-in throttling behind the documented proxy (issue 11, item 2).

Requests are made as nginx would pass them on with the recipe of ``docs/deploy.md`` (read from the
document, so the recipe and the app cannot drift apart), with ``OUTCOMES_PROXY_COUNT=1``: nginx on
the app's machine (``REMOTE_ADDR`` 127.0.0.1), the visitor's own ``X-Forwarded-For`` (if any) with
nginx's ``$remote_addr`` appended. Time moves with time-machine, not by sleeping.
"""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
import time_machine
from axes.helpers import get_cool_off
from django.test import Client

pytestmark = pytest.mark.django_db(databases="__all__")  # on SQLite and on PostgreSQL (cycle below)

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
NGINX_ADDRESS = "127.0.0.1"
WRONG = "not-the-password-at-all"


def recipe() -> dict[str, str]:
    """``proxy_set_header`` lines of the nginx recipe in docs/deploy.md: header -> nginx variable."""
    blocks = re.findall(r"```nginx\n(.*?)```", DEPLOY.read_text(encoding="utf-8"), re.S)
    assert blocks, "docs/deploy.md has no nginx recipe"
    return dict(re.findall(r"proxy_set_header\s+(\S+)\s+(\S+?);", blocks[0]))


def through_nginx(visitor: str, *, sent: dict[str, str] | None = None) -> dict[str, str]:
    """The request headers (as WSGI META) the app receives when ``visitor`` sends ``sent`` to nginx."""
    sent = dict(sent or {})
    variables = {"$host": "testserver", "$scheme": "https", "$remote_addr": visitor,
                 "$request_id": uuid.uuid4().hex,
                 "$proxy_add_x_forwarded_for": f"{sent['X-Forwarded-For']}, {visitor}" if "X-Forwarded-For" in sent
                 else visitor}
    headers = dict(sent)  # what nginx does not set passes through as the visitor sent it
    for name, variable in recipe().items():
        assert variable in variables, f"the recipe uses {variable}, which this test does not know"
        headers[name] = variables[variable]
    meta = {"HTTP_" + name.upper().replace("-", "_"): value for name, value in headers.items()
            if name.lower() != "host"}
    meta["REMOTE_ADDR"] = NGINX_ADDRESS
    return meta


@pytest.fixture
def cycle(db_alias: str) -> Any:
    """The conftest cycle (users of every role) on SQLite and on PostgreSQL."""
    from tests.web.conftest import Cycle

    return Cycle()


@pytest.fixture
def behind_one_proxy(settings: Any) -> None:
    """OUTCOMES_PROXY_COUNT=1, as docs/deploy.md configures it."""
    settings.PROXY_COUNT = 1
    # what settings.py derived from OUTCOMES_PROXY_COUNT=1 before this change (harmless now)
    settings.AXES_IPWARE_PROXY_COUNT = 1
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")


def sign_in(meta: dict[str, str], username: str, password: str) -> int:
    return int(Client(**meta).post("/accounts/login/", {"username": username, "password": password}).status_code)


def test_the_recipe_sets_the_header_the_app_reads() -> None:
    assert recipe().get("X-Forwarded-For") == "$proxy_add_x_forwarded_for"


def test_a_changing_forged_x_forwarded_for_does_not_give_unlimited_attempts(cycle: Any, behind_one_proxy: None) -> None:
    """One visitor (203.0.113.7) sends a different two-entry X-Forwarded-For with every guess."""
    for i in range(1, 12):
        forged = {"X-Forwarded-For": f"198.51.100.{i}, 192.0.2.{i}"}
        status = sign_in(through_nginx("203.0.113.7", sent=forged), "lead", WRONG)
        assert status == (200 if i < 5 else 429), f"guess {i}: {status}"
    forged = {"X-Forwarded-For": "198.51.100.99, 192.0.2.99"}
    assert sign_in(through_nginx("203.0.113.7", sent=forged), "lead", cycle.PASSWORD) == 429
    # the lead officer, from their own address through the same nginx, still signs in
    assert sign_in(through_nginx("198.51.100.20"), "lead", cycle.PASSWORD) == 302


def test_without_the_header_one_visitor_does_not_lock_out_everyone(cycle: Any, behind_one_proxy: None) -> None:
    """Requests that reach the app directly (no X-Forwarded-For) are told apart by their own address."""
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.5").post("/accounts/login/", {"username": "lead", "password": WRONG})
    assert sign_in({"REMOTE_ADDR": "10.0.0.5"}, "lead", cycle.PASSWORD) == 429
    assert sign_in({"REMOTE_ADDR": "10.0.0.6"}, "lead", cycle.PASSWORD) == 302


def test_guesses_from_many_addresses_are_limited_per_account(cycle: Any, behind_one_proxy: None,
                                                             settings: Any) -> None:
    """Four guesses from each of five addresses (under the per-address limit) lock the account at 20."""
    assert getattr(settings, "ACCOUNT_FAILURE_LIMIT", 20) == 20 and settings.AXES_FAILURE_LIMIT == 5
    statuses = [sign_in(through_nginx(f"203.0.113.{a}"), "lead", WRONG) for a in range(1, 6) for _ in range(4)]
    assert statuses[:19] == [200] * 19 and statuses[19] == 429
    assert sign_in(through_nginx("198.51.100.20"), "lead", cycle.PASSWORD) == 429  # locked for everyone ...
    assert sign_in(through_nginx("203.0.113.1"), "perf", cycle.PASSWORD) == 302  # ... but only that account


def test_wrong_attempts_during_a_lockout_do_not_extend_it(cycle: Any, behind_one_proxy: None) -> None:
    """Locked at 09:00; a wrong guess every 40 s keeps being refused; at 09:15 the lockout ends."""
    cooloff = get_cool_off()
    assert cooloff == datetime.timedelta(minutes=15)
    attacker = through_nginx("203.0.113.7")
    start = datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(5):
            sign_in(attacker, "lead", WRONG)
        assert sign_in(attacker, "lead", cycle.PASSWORD) == 429
        elapsed = datetime.timedelta()
        while elapsed + datetime.timedelta(seconds=40) < cooloff:
            elapsed += datetime.timedelta(seconds=40)
            traveller.move_to(start + elapsed)
            assert sign_in(attacker, "lead", WRONG) == 429, f"at +{elapsed}"
        traveller.move_to(start + cooloff + datetime.timedelta(seconds=1))
        assert sign_in(attacker, "lead", cycle.PASSWORD) == 302


def test_the_account_lockout_is_not_extended_either(cycle: Any, behind_one_proxy: None) -> None:
    start = datetime.datetime(2026, 12, 4, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        for n in range(20):
            sign_in(through_nginx(f"203.0.113.{n + 1}"), "lead", WRONG)
        for minute in range(1, 15):
            traveller.move_to(start + datetime.timedelta(minutes=minute))
            assert sign_in(through_nginx(f"192.0.2.{minute}"), "lead", WRONG) == 429
        traveller.move_to(start + datetime.timedelta(minutes=15, seconds=1))
        assert sign_in(through_nginx("198.51.100.20"), "lead", cycle.PASSWORD) == 302
