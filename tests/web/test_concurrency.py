"""No lost updates: two people editing the same return, a stale publish, a stale review, and two
threads racing for the same row.

Every form carries the version of the row it was drawn from; the first save wins and the second is
refused (409 on the return page, which then shows both versions) with nothing written.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError
from tests.web.html import one, parse

from outcomes_web.store import concurrency, workflow
from outcomes_web.store import models as m

PERIOD = "Q1 2018-19"
SERIES = "children-in-need"


def home_obs(snapshot: m.Snapshot, key: str = SERIES, period: str = PERIOD) -> m.Observation | None:
    return m.Observation.objects.filter(series__snapshot=snapshot, series__key=key, is_home=True,
                                        period_label=period).first()


def form_version(html: str, form_id: str = "return-form") -> str:
    """The version the return form was drawn at (its hidden field)."""
    return str(one(parse(html), f"form#{form_id} input[type=hidden][name=version]")["value"])


def counts() -> tuple[int, int, int]:
    return m.Observation.objects.count(), m.AuditEvent.objects.count(), m.Narrative.objects.count()


def entry(version: str, value: str, note: str, story: str) -> dict[str, str]:
    return {"version": version, f"e-{SERIES}-period": PERIOD, f"e-{SERIES}-value": value,
            f"e-{SERIES}-note": note, "n-story": story}


# ------------------------------------------------------------------------------ two people, one form
@pytest.mark.django_db
def test_second_writer_of_a_return_gets_a_409_showing_both_versions(cycle):
    url = f"/manage/returns/{cycle.sub.pk}/"
    lead, perf = cycle.client(cycle.lead), cycle.client(cycle.perf)
    seen_by_lead = form_version(lead.get(url).content.decode())
    seen_by_perf = form_version(perf.get(url).content.decode())
    assert seen_by_lead == seen_by_perf == str(cycle.sub.version)

    first = lead.post(url, entry(seen_by_lead, "341", "Lead's count", "The lead's story"))
    assert first.status_code == 302, first.content.decode()[:2000]
    before = counts()
    second = perf.post(url, entry(seen_by_perf, "355", "Perf's count", "The team's story"))
    html = second.content.decode()
    assert second.status_code == 409, html[:2000]
    assert "Someone else saved this return" in html
    assert "Your version" in html and "Saved version" in html
    assert "355" in html and "341" in html  # both figures, side by side
    assert "The team&#x27;s story" in html and "The lead&#x27;s story" in html  # both narratives
    assert "Lead saved it at" in html  # who saved first
    # nothing of the second writer's was written
    assert counts() == before
    obs = home_obs(cycle.draft)
    assert obs is not None and obs.value == 341 and obs.note == "Lead's count"
    assert workflow.current_narrative(cycle.sub)["story"] == "The lead's story"
    assert not m.AuditEvent.objects.filter(username="perf", item_type__in=["observation", "narrative"]).exists()
    # the 409 page's form is drawn at the saved version and holds the second writer's figures, so saving
    # it again is a deliberate overwrite
    assert form_version(html) == str(m.Submission.objects.get(pk=cycle.sub.pk).version)
    assert one(parse(html), f"form#return-form input[name=e-{SERIES}-value]")["value"] == "355"
    again = perf.post(url, entry(form_version(html), "355", "Perf's count", "The team's story"))
    assert again.status_code == 302
    assert home_obs(cycle.draft).value == 355


@pytest.mark.django_db
def test_a_stale_save_is_a_conflict_at_the_service_level_and_writes_nothing(cycle):
    seen = cycle.sub.version
    workflow.save_return(cycle.lead, cycle.sub, seen, {SERIES: {"period": PERIOD, "value": "341", "note": "n"}},
                         {"story": "First"})
    before = counts()
    sub_before = m.Submission.objects.values().get(pk=cycle.sub.pk)
    stale = m.Submission.objects.get(pk=cycle.sub.pk)
    with pytest.raises(concurrency.Conflict) as caught:
        workflow.save_return(cycle.perf, stale, seen, {SERIES: {"period": PERIOD, "value": "355", "note": "n"},
                                                       "re-referrals": {"period": PERIOD, "value": "20", "note": "n"}},
                             {"story": "Second"})
    assert caught.value.seen_version == seen and caught.value.current.version == seen + 1
    assert counts() == before
    assert m.Submission.objects.values().get(pk=cycle.sub.pk) == sub_before
    assert home_obs(cycle.draft).value == 341 and home_obs(cycle.draft, "re-referrals") is None
    assert workflow.current_narrative(cycle.sub)["story"] == "First"


@pytest.mark.django_db
def test_a_stale_publish_is_refused(cycle):
    m.Submission.objects.filter(snapshot=cycle.draft).update(status=m.Submission.Status.ACCEPTED)
    cycle.draft.refresh_from_db()
    seen = cycle.draft.version
    concurrency.claim(cycle.draft, seen, cycle.admin)  # someone changed the draft since the page was drawn
    events = m.AuditEvent.objects.count()
    with pytest.raises(concurrency.Conflict):
        workflow.publish(cycle.perf, m.Snapshot.objects.get(pk=cycle.draft.pk), seen)
    draft = m.Snapshot.objects.get(pk=cycle.draft.pk)
    assert not draft.published and draft.published_on is None
    assert m.AuditEvent.objects.count() == events
    # through the page: a message, and still a draft
    r = cycle.client(cycle.perf).post(f"/manage/snapshots/{cycle.draft.pk}/publish/", {"version": seen}, follow=True)
    assert "changed since you opened it" in r.content.decode()
    assert not m.Snapshot.objects.get(pk=cycle.draft.pk).published
    assert m.AuditEvent.objects.count() == events
    assert cycle.client(None).get("/outcomes/safe/?period=Q1+2018-19").status_code == 404
    # at the current version it publishes
    cycle.client(cycle.perf).post(f"/manage/snapshots/{cycle.draft.pk}/publish/", {"version": seen + 1})
    assert m.Snapshot.objects.get(pk=cycle.draft.pk).published


@pytest.mark.django_db
def test_a_stale_review_is_refused(cycle):
    workflow.save_return(cycle.lead, cycle.sub, cycle.sub.version,
                         {SERIES: {"period": PERIOD, "value": "341", "note": "n"}})
    cycle.nothing_to_report(cycle.sub, cycle.lead)
    workflow.submit(cycle.lead, cycle.sub, cycle.sub.version, declaration=True)
    sub = m.Submission.objects.get(pk=cycle.sub.pk)
    seen = sub.version
    concurrency.claim(sub, seen, cycle.lead)  # changed after the reviewer opened it
    events = m.AuditEvent.objects.count()
    with pytest.raises(concurrency.Conflict):
        workflow.review(cycle.perf, m.Submission.objects.get(pk=sub.pk), seen, accept=True, comment="")
    r = cycle.client(cycle.perf).post(f"/manage/returns/{sub.pk}/review/",
                                      {"version": seen, "decision": "return", "comment": "Check it"}, follow=True)
    assert "changed since you opened it" in r.content.decode()
    after = m.Submission.objects.get(pk=sub.pk)
    assert after.status == m.Submission.Status.SUBMITTED and after.reviewed_by is None and not after.review_comment
    assert m.AuditEvent.objects.count() == events
    # a stale sign-off likewise
    workflow.save_return(cycle.perf, m.Submission.objects.get(pk=cycle.other_sub.pk), cycle.other_sub.version, {},
                         {"story": "Edited"})
    with pytest.raises(concurrency.Conflict):
        workflow.submit(cycle.other_lead, m.Submission.objects.get(pk=cycle.other_sub.pk), cycle.other_sub.version,
                        declaration=True)
    assert m.Submission.objects.get(pk=cycle.other_sub.pk).status == m.Submission.Status.IN_PROGRESS


# ------------------------------------------------------------------------------------ a real race
ROUNDS = 20


def test_two_threads_racing_to_claim_a_row_let_exactly_one_win(tmp_path, django_db_blocker, monkeypatch):
    """Two threads, two connections to one SQLite file, the same row at the same version: in every
    round exactly one claim succeeds and the other is a Conflict.

    Not a ``transaction=True`` test: that flushes the database afterwards and would take the example
    stored once per session with it. A scratch SQLite file gets its own alias instead; SQLite
    serialises writers with its file lock, and the conditional UPDATE decides the winner."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from tests.web.conftest import ACTIVE_ALIAS

    # After the browser tests, Playwright's event loop lives on in this process and Django would refuse
    # to open the scratch connections ("SynchronousOnlyOperation"); the ORM here is plain threads.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    alias = "concurrency-race"
    config = dict(connections.settings["default"])
    config.update({"NAME": str(tmp_path / "race.sqlite3"), "TEST": {"NAME": str(tmp_path / "race.sqlite3")},
                   "CONN_MAX_AGE": 0})
    if config.get("ENGINE") != "django.db.backends.sqlite3":
        pytest.skip("the race runs on a scratch SQLite file")
    connections.settings[alias] = config
    token = ACTIVE_ALIAS.set(alias)
    try:
        with django_db_blocker.unblock():
            with connections[alias].schema_editor() as editor:
                editor.create_model(get_user_model())
                editor.create_model(m.ReportingPeriod)
            import datetime

            row = m.ReportingPeriod.objects.create(label="Q1 2030-31", kind="quarter",
                                                   start=datetime.date(2030, 4, 1), end=datetime.date(2030, 6, 30),
                                                   months=3)
            assert row._state.db == alias
            for round_ in range(ROUNDS):
                seen = m.ReportingPeriod.objects.get(pk=row.pk).version
                outcomes = _race(alias, row, seen)
                assert sorted(outcomes) == ["conflict", "won"], f"round {round_}: {outcomes}"
                assert m.ReportingPeriod.objects.get(pk=row.pk).version == seen + 1
    finally:
        ACTIVE_ALIAS.reset(token)
        connections[alias].close()
        del connections[alias]
        del connections.settings[alias]


def _race(alias: str, row: Any, seen: int) -> list[str]:
    from django.db import connections
    from tests.web.conftest import ACTIVE_ALIAS

    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def contender() -> None:
        ACTIVE_ALIAS.set(alias)  # this thread's context: its queries go to the scratch database
        try:
            barrier.wait(timeout=10)
            for _ in range(50):  # SQLite may answer "database is locked" past its timeout: try again
                try:
                    concurrency.claim(row, seen)
                except concurrency.Conflict:
                    outcomes.append("conflict")
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
                    continue
                else:
                    outcomes.append("won")
                break
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connections[alias].close()

    threads = [threading.Thread(target=contender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return outcomes
