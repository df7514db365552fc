"""Ten people saving the same return at once, through the whole web stack, on a real database with
real transactions (a SQLite file with the production settings, and a fresh PostgreSQL database).

On SQLite the default "deferred" transactions let two writers both read, then fail with "database is
locked" (a 500) when both try to write; IMMEDIATE transactions, WAL and a busy timeout make the loser
wait, and the version check then answers 409 (the conflict page). Never a 500, never a lost update.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from tests.web import livedb
from tests.web.conftest import Cycle
from tests.web.test_concurrency import PERIOD, SERIES, entry, form_version

WRITERS = 10


def _threads(n: int, work: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    results: list[Any] = [None] * n

    def run(i: int) -> None:
        from django.db import connections

        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except BaseException as exc:  # noqa: BLE001 - the main thread asserts on it
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


@pytest.mark.parametrize("kind", livedb.KINDS)
def test_ten_concurrent_writers_get_302_or_409_never_500_and_no_update_is_lost(kind, tmp_path, django_db_blocker,
                                                                                monkeypatch):
    from outcomes_web.store import models as m

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's loop may live on in this process
    with django_db_blocker.unblock(), livedb.live_database(kind, tmp_path, name="writers") as (alias, _url):
        with livedb.using(alias):
            cycle = Cycle()
            perf_users = [cycle.perf] + [_performance_user(f"perf{i}") for i in range(1, WRITERS)]
            clients = [cycle.client(u) for u in perf_users]
            url = f"/manage/returns/{cycle.sub.pk}/"
            start = m.Submission.objects.get(pk=cycle.sub.pk).version

        def post(i: int, version: str, round_: int) -> int:
            with livedb.using(alias):
                r = clients[i].post(url, entry(version, str(100 * round_ + i), f"writer {i} round {round_}",
                                               f"story {i}"))
                return r.status_code

        # 1. all ten post the form drawn at the same version: one wins, nine are told of the conflict
        first = _threads(WRITERS, lambda i: post(i, str(start), 1))
        assert not [r for r in first if not isinstance(r, int)], first
        assert sorted(first) == [302] + [409] * (WRITERS - 1), first

        # 2. all ten keep trying (read the form, save, on 409 read again): every save lands, in turn
        def persistent(i: int) -> list[int]:
            seen: list[int] = []
            for _ in range(60):
                with livedb.using(alias):
                    version = form_version(clients[i].get(url).content.decode())
                code = post(i, version, 2)
                seen.append(code)
                if code != 409:
                    break
            return seen

        second = _threads(WRITERS, persistent)
        assert not [r for r in second if not isinstance(r, list)], second
        codes = [c for attempts in second for c in attempts]
        assert set(codes) <= {302, 409}, codes
        assert all(attempts[-1] == 302 for attempts in second), second

        with livedb.using(alias):
            sub = m.Submission.objects.get(pk=cycle.sub.pk)
            # every accepted save moved the version on by one: 1 + 10 saves, none lost or merged
            assert sub.version == start + 1 + WRITERS
            saves = list(m.AuditEvent.objects.filter(item_type="observation").order_by("pk"))
            assert len(saves) == 1 + WRITERS, [e.__dict__ for e in saves]
            # the figure stored is the last writer's, and each writer's save is in the audit log
            obs = m.Observation.objects.get(series__snapshot=cycle.draft, series__key=SERIES, is_home=True,
                                            period_label=PERIOD)
            last = saves[-1]
            assert obs.note == f"writer {int(last.username.removeprefix('perf') or 0)} round 2"
            assert {e.username for e in saves[1:]} == {u.username for u in perf_users}


def _performance_user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    from outcomes_web.store import access
    from outcomes_web.workspace import accounts

    user = get_user_model().objects.create_user(username, f"{username}@example.org", Cycle.PASSWORD)
    accounts.set_role(user, access.PERFORMANCE)
    return user
