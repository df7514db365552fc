"""The audit trail: every change through the workspace records who, what and the item's fields
before and after; nothing later deletes or rewrites an event; the history pages show them.

Given the ``cycle`` fixture (the example's 'safe' outcome opened for Q1 2018-19; ``lead`` leads
child-protection, ``otherlead`` leads killed-seriously-injured), each step of the quarterly cycle is
done through the workspace pages and its event checked.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import ProtectedError
from tests.web.html import parse, texts

from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db

PERIOD = "Q1 2018-19"
RETURN = "child-protection"  # the return cycle.sub is for
SERIES = "children-in-need"  # one of its series


def latest(action: str, item_type: str, item_key: str, **where: Any) -> m.AuditEvent:
    event = m.AuditEvent.objects.filter(action=action, item_type=item_type, item_key=item_key, **where).first()
    assert event is not None, (f"no '{action}' event for {item_type} {item_key}; events: "
                               f"{list(m.AuditEvent.objects.values_list('action', 'item_type', 'item_key'))}")
    return event


def assert_change(event: m.AuditEvent, user: Any, field: str, old: Any, new: Any) -> None:
    """The event names the user, and before/after hold ``field``'s old and new values."""
    assert event.user_id == user.pk and event.username == user.get_username(), event
    assert isinstance(event.after, dict), event.after
    if old is None and event.before is None:  # a new row: nothing before
        pass
    else:
        assert isinstance(event.before, dict), event.before
        assert event.before.get(field) == old, (field, event.before.get(field), old)
    assert event.after.get(field) == new, (field, event.after.get(field), new)


def entry(sub: m.Submission, value: str, note: str = "n", **narrative: str) -> dict[str, str]:
    data = {"version": str(sub.version), f"e-{SERIES}-period": PERIOD, f"e-{SERIES}-value": value,
            f"e-{SERIES}-note": note}
    data.update({f"n-{k}": v for k, v in narrative.items()})
    return data


class Trail:
    """Every event so far, as first seen: later operations must neither delete nor rewrite one."""

    def __init__(self) -> None:
        self.seen: dict[int, tuple[Any, ...]] = {}

    @staticmethod
    def _row(e: m.AuditEvent) -> tuple[Any, ...]:
        return (e.at, e.user_id, e.username, e.action, e.item_type, e.item_key, e.outcome_key, e.period_label,
                e.snapshot_id, e.summary, e.before, e.after, e.comment)

    def check(self, step: str) -> None:
        now = {e.pk: self._row(e) for e in m.AuditEvent.objects.all()}
        gone = sorted(set(self.seen) - set(now))
        assert not gone, f"after {step}: audit events {gone} were deleted"
        rewritten = [pk for pk, row in self.seen.items() if now[pk] != row]
        assert not rewritten, f"after {step}: audit events {rewritten} were changed"
        self.seen = now


def test_every_step_of_the_cycle_is_recorded_with_before_and_after(cycle):
    trail = Trail()
    trail.check("opening Q1")
    lead, perf = cycle.client(cycle.lead), cycle.client(cycle.perf)
    url = f"/manage/returns/{cycle.sub.pk}/"

    # open period (done by the fixture as perf)
    e = latest("open-period", "period", PERIOD)
    assert_change(e, cycle.perf, "status", e.before["status"], "open")
    assert e.before["status"] != "open" and e.period_label == PERIOD

    # saving a return: an observation created, the narrative created, the return's status
    r = lead.post(url, entry(cycle.sub, "341", "Quarter end", story="First story"))
    assert r.status_code == 302, r.content.decode()[:1000]
    obs = latest("create", "observation", SERIES, outcome_key="safe", period_label=PERIOD)
    assert_change(obs, cycle.lead, "value", None, 341)
    assert obs.before is None and obs.after["note"] == "Quarter end" and obs.snapshot_id == cycle.draft.pk
    narr = latest("create", "narrative", RETURN)
    assert narr.before is None
    assert_change(narr, cycle.lead, "story", None, "First story")
    sub_event = latest("update", "submission", RETURN)
    assert_change(sub_event, cycle.lead, "status", "not-started", "in-progress")
    trail.check("the first save")

    # ... then updated: old and new values
    cycle.sub.refresh_from_db()
    r = lead.post(url, entry(cycle.sub, "352", "Recounted", story="Second story"))
    assert r.status_code == 302, r.content.decode()[:1000]
    obs = latest("update", "observation", SERIES)
    assert_change(obs, cycle.lead, "value", 341, 352)
    assert obs.before["note"] == "Quarter end" and obs.after["note"] == "Recounted"
    assert_change(latest("update", "narrative", RETURN), cycle.lead, "story", "First story", "Second story")
    trail.check("the second save")

    # a save that changes nothing records nothing
    cycle.sub.refresh_from_db()
    count = m.AuditEvent.objects.count()
    assert lead.post(url, entry(cycle.sub, "352", "Recounted", story="Second story")).status_code == 302
    assert m.AuditEvent.objects.count() == count
    trail.check("an unchanged save")

    # submit (each series due answered: a figure, or nothing to report with a reason)
    cycle.nothing_to_report(cycle.sub, cycle.lead)
    trail.check("nothing to report")
    assert lead.post(url + "submit/", {"version": cycle.sub.version, "declaration": "1"}).status_code == 302
    e = latest("submit", "submission", RETURN)
    assert_change(e, cycle.lead, "status", "in-progress", "submitted")
    assert e.before["signed_off_by"] is None and e.after["signed_off_by"] == cycle.lead.pk
    trail.check("submit")

    # return, with the comment
    cycle.sub.refresh_from_db()
    perf.post(url + "review/", {"version": cycle.sub.version, "decision": "return", "comment": "Check 352"})
    e = latest("return", "submission", RETURN)
    assert_change(e, cycle.perf, "status", "submitted", "returned")
    assert_change(e, cycle.perf, "review_comment", "", "Check 352")
    assert e.comment == "Check 352"
    trail.check("return")

    # resubmitted and accepted
    cycle.sub.refresh_from_db()
    lead.post(url + "submit/", {"version": cycle.sub.version, "declaration": "1"})
    cycle.sub.refresh_from_db()
    perf.post(url + "review/", {"version": cycle.sub.version, "decision": "accept"})
    e = latest("accept", "submission", RETURN)
    assert_change(e, cycle.perf, "status", "submitted", "accepted")
    assert e.after["reviewed_by"] == cycle.perf.pk
    trail.check("accept")

    # publish
    m.Submission.objects.filter(snapshot=cycle.draft).exclude(pk=cycle.sub.pk).update(status="accepted")
    cycle.draft.refresh_from_db()
    perf.post(f"/manage/snapshots/{cycle.draft.pk}/publish/", {"version": cycle.draft.version})
    e = latest("publish", "snapshot", "safe", snapshot=cycle.draft)
    assert_change(e, cycle.perf, "published", False, True)
    assert e.before["published_on"] is None and e.after["published_on"]
    trail.check("publish")

    # start a revision: before is the published snapshot, after the new draft
    reason = "The April count was wrong"
    perf.post(f"/manage/snapshots/{cycle.draft.pk}/revise/", {"reason": reason})
    draft2 = m.Snapshot.objects.get(outcome_key="safe", reporting_period__label=PERIOD, published=False,
                                    archived_on__isnull=True)
    e = latest("revise", "snapshot", "safe", snapshot=draft2)
    assert_change(e, cycle.perf, "revision", 1, 2)
    assert_change(e, cycle.perf, "published", True, False)
    assert e.comment == reason and e.after["revision_reason"] == reason
    trail.check("start revision")

    # open another period, with a deadline
    r = perf.post("/manage/periods/", {"label": "Q2 2018-19", "deadline": "2018-10-31"})
    assert r.status_code == 302, r.content.decode()[:1000]
    e = latest("open-period", "period", "Q2 2018-19")
    assert_change(e, cycle.perf, "deadline", e.before["deadline"], "2018-10-31")
    assert e.after["status"] == "open"
    trail.check("open period")

    # the events keep their snapshots: a snapshot with a recorded change cannot be deleted
    with pytest.raises(ProtectedError):
        m.Snapshot.objects.filter(pk=cycle.draft.pk).delete()
    trail.check("a refused delete")


def _indicator_form(cycle: Any, **changes: str) -> dict[str, str]:
    ind = m.Indicator.objects.get(snapshot=cycle.draft, key=RETURN)
    lead = m.Assignment.objects.filter(outcome_key="safe", item_key=RETURN).first()
    data = {"version": str(ind.version), "number": ind.number, "title": ind.title, "section": ind.section,
            "section_title": ind.section_title, "lead": str(lead.user_id) if lead else ""}
    data.update(changes)
    return data


def test_editing_an_indicator_in_the_framework_is_recorded(cycle):
    trail = Trail()
    trail.check("start")
    old = m.Indicator.objects.get(snapshot=cycle.draft, key=RETURN).title
    url = f"/manage/framework/{cycle.draft.pk}/indicators/{RETURN}/"
    perf = cycle.client(cycle.perf)
    assert perf.get(url).status_code == 200
    r = perf.post(url, _indicator_form(cycle, title="Children kept safe from harm"))
    assert r.status_code == 302, r.content.decode()[:2000]
    e = latest("update", "indicator", RETURN, snapshot=cycle.draft)
    assert_change(e, cycle.perf, "title", old, "Children kept safe from harm")
    assert e.outcome_key == "safe" and e.period_label == PERIOD
    assert [k for k in sorted(set(e.before) | set(e.after)) if e.before.get(k) != e.after.get(k)] == ["title"]
    trail.check("the framework edit")
    # a refused edit records nothing
    count = m.AuditEvent.objects.count()
    assert cycle.client(cycle.lead).post(url, _indicator_form(cycle, title="Not mine")).status_code == 403
    assert m.AuditEvent.objects.count() == count
    trail.check("a refused edit")
    page = perf.get(f"/manage/history/safe/{RETURN}/").content.decode()
    assert old in page and "Children kept safe from harm" in page


def test_history_page_shows_the_events_to_those_who_may_see_them(cycle):
    lead = cycle.client(cycle.lead)
    url = f"/manage/returns/{cycle.sub.pk}/"
    assert lead.post(url, entry(cycle.sub, "341", story="Story one")).status_code == 302
    cycle.nothing_to_report(cycle.sub, cycle.lead)
    lead.post(url + "submit/", {"version": cycle.sub.version, "declaration": "1"})
    history = f"/manage/history/safe/{RETURN}/"
    for user in (cycle.perf, cycle.admin, cycle.viewer, cycle.lead):
        r = cycle.client(user).get(history)
        html = r.content.decode()
        assert r.status_code == 200, user
        assert "Lead signed off and submitted the return for" in html, user  # a sentence naming the person
        assert "Lead added the narrative of" in html, user
        changes = texts(parse(html), "td li:has(> span.diff-before)")  # each change: name: before → after
        assert "Status: in progress → submitted" in changes, (user, changes)
        assert "Story one" in html and "Signed off by: (none) → Lead" in changes, user
    series = cycle.client(cycle.perf).get(f"/manage/history/safe/{SERIES}/").content.decode()
    assert "Lead added a figure of" in series and "341" in series
    assert cycle.client(cycle.other_lead).get(history).status_code == 403
    assert cycle.client(cycle.norole).get(history).status_code == 403
    assert cycle.client(None).get(history)["Location"].startswith("/accounts/login/")
    # the audit log: every change, for readers of drafts only
    log = cycle.client(cycle.perf).get("/manage/audit/").content.decode()
    assert "signed off and submitted the return for" in log and "Perf opened the reporting period Q1 2018-19" in log
    by_outcome = cycle.client(cycle.perf).get("/manage/audit/?outcome=safe").content.decode()
    assert "signed off and submitted the return for" in by_outcome
    assert cycle.client(cycle.other_lead).get("/manage/audit/").status_code == 403
