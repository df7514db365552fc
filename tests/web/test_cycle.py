"""The quarterly cycle through the workspace pages: open, enter, check, submit, return, fix, accept,
publish, revise; the public sees only what is published; old reports regenerate unchanged."""

from __future__ import annotations

import shutil

import pytest
from django.conf import settings

from outcomes_web import adapter
from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db


def _form(sub: m.Submission, **entries: dict[str, str]) -> dict[str, str]:
    data = {"version": str(sub.version)}
    for key, fields in entries.items():
        for name, value in fields.items():
            data[f"e-{key}-{name}"] = value
    return data


def test_opening_a_period_makes_a_draft_and_a_return_per_indicator(cycle):
    assert not cycle.draft.published
    assert cycle.draft.reporting_period.status == "open"
    keys = set(m.Submission.objects.filter(snapshot=cycle.draft).values_list("indicator_key", flat=True))
    assert keys == set(m.Indicator.objects.filter(snapshot=cycle.draft).values_list("key", flat=True))
    assert m.AuditEvent.objects.filter(action="open-period", item_key="Q1 2018-19").exists()


def test_lead_officer_saves_figures_and_narrative(cycle):
    c = cycle.client(cycle.lead)
    page = c.get(f"/manage/returns/{cycle.sub.pk}/")
    assert page.status_code == 200
    assert b"Save the return" in page.content
    data = _form(cycle.sub, **{"children-in-need": {"period": "Q1 2018-19", "value": "341", "note": "Quarter end"}})
    data["n-story"] = "Numbers **rose** <script>alert(1)</script>"
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    obs = m.Observation.objects.get(series__snapshot=cycle.draft, series__key="children-in-need",
                                    period_label="Q1 2018-19")
    assert obs.value == 341 and obs.note == "Quarter end"
    ev = m.AuditEvent.objects.get(item_type="observation", item_key="children-in-need")
    assert ev.before is None and ev.after["value"] == 341 and ev.username == "lead"
    page = c.get(f"/manage/returns/{cycle.sub.pk}/")
    assert b"<strong>rose</strong>" in page.content and b"<script>alert" not in page.content


def test_impossible_value_is_refused_and_nothing_written(cycle):
    c = cycle.client(cycle.lead)
    before = m.Observation.objects.count()
    data = _form(cycle.sub, **{"re-referrals": {"period": "Q1 2018-19", "value": "140"},
                               "children-in-need": {"period": "Q1 2018-19", "value": "300"}})
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", data)
    assert r.status_code == 400
    assert "outside 0–100" in r.content.decode()
    assert m.Observation.objects.count() == before


def test_suspicious_value_needs_a_note(cycle):
    c = cycle.client(cycle.lead)
    series = adapter.series_by_key(cycle.draft)["children-in-need"]
    last = series.observations[-1].value
    data = _form(cycle.sub, **{"children-in-need": {"period": "Q1 2018-19", "value": f"{last * 3:g}"}})
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", data)
    assert r.status_code == 400 and "Add a note" in r.content.decode()
    data["e-children-in-need-note"] = "A change in the recording system"
    assert c.post(f"/manage/returns/{cycle.sub.pk}/", data).status_code == 302


def test_other_lead_cannot_see_or_edit(cycle):
    c = cycle.client(cycle.other_lead)
    assert c.get(f"/manage/returns/{cycle.sub.pk}/").status_code == 403
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", _form(cycle.sub, **{"children-in-need": {
        "period": "Q1 2018-19", "value": "1"}}))
    assert r.status_code == 403
    assert not m.Observation.objects.filter(series__snapshot=cycle.draft, period_label="Q1 2018-19").exists()


def test_a_measure_lead_writing_what_they_do_not_own_is_refused_not_dropped(cycle):
    # Given the lead officer of the measure re-referrals (not of the indicator child-protection)
    from outcomes_web.workspace import accounts

    measure_lead = accounts.assign(cycle.norole, "safe", "re-referrals", kind="measure").user
    accounts.set_role(measure_lead, "lead officer")
    c = cycle.client(measure_lead)
    version = cycle.sub.version
    events = m.AuditEvent.objects.count()
    # When they post a figure for the indicator's own series (there is no box for it on their form)
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", _form(cycle.sub, **{"children-in-need": {
        "period": "Q1 2018-19", "value": "341", "note": "not mine"}}))
    # Then it is refused, naming the series; nothing is written and the version is unchanged
    assert r.status_code == 403, r.status_code
    assert "children-in-need" in r.content.decode() and "Nothing was saved" in r.content.decode()
    cycle.sub.refresh_from_db()
    assert cycle.sub.version == version and m.AuditEvent.objects.count() == events
    assert not m.Observation.objects.filter(series__snapshot=cycle.draft, series__key="children-in-need",
                                            period_label="Q1 2018-19").exists()
    # and the same with the indicator's narrative, even alongside a figure they may enter
    data = _form(cycle.sub, **{"re-referrals": {"period": "Q1 2018-19", "value": "20", "note": "checked"}})
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", {**data, "n-story": "Not my story."})
    assert r.status_code == 403 and "only the lead officer of child-protection" in r.content.decode()
    cycle.sub.refresh_from_db()
    assert cycle.sub.version == version
    assert not m.Observation.objects.filter(series__snapshot=cycle.draft, series__key="re-referrals",
                                            period_label="Q1 2018-19").exists()
    # while their own figure alone still saves
    assert c.post(f"/manage/returns/{cycle.sub.pk}/", data).status_code == 302
    assert m.Observation.objects.filter(series__snapshot=cycle.draft, series__key="re-referrals",
                                        period_label="Q1 2018-19").exists()


@pytest.fixture
def any_db_cycle(db_alias):  # type: ignore[no-untyped-def]
    """The cycle on SQLite and on PostgreSQL."""
    from tests.web.conftest import Cycle

    return Cycle()


@pytest.mark.django_db(databases="__all__")
def test_whole_cycle_publish_then_revise(any_db_cycle):
    cycle = any_db_cycle
    lead, perf = cycle.client(cycle.lead), cycle.client(cycle.perf)
    url = f"/manage/returns/{cycle.sub.pk}/"
    assert lead.post(url, _form(cycle.sub, **{"children-in-need": {"period": "Q1 2018-19", "value": "351",
                                                                    "note": "n"}})).status_code == 302
    cycle.sub.refresh_from_db()
    assert lead.post(url + "submit/", {"version": cycle.sub.version}).status_code == 302
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "in-progress"  # no declaration: refused
    lead.post(url + "submit/", {"version": cycle.sub.version, "declaration": "1"})
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "submitted"
    perf.post(url + "review/", {"version": cycle.sub.version, "decision": "return", "comment": ""})
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "submitted"  # a return needs a comment
    perf.post(url + "review/", {"version": cycle.sub.version, "decision": "return", "comment": "Check 351"})
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "returned"
    assert "Check 351" in lead.get(url).content.decode()
    assert lead.post(url, _form(cycle.sub, **{"children-in-need": {"period": "Q1 2018-19", "value": "352",
                                                                    "note": "n"}})).status_code == 302
    cycle.sub.refresh_from_db()
    lead.post(url + "submit/", {"version": cycle.sub.version, "declaration": "1"})
    cycle.sub.refresh_from_db()
    perf.post(url + "review/", {"version": cycle.sub.version, "decision": "accept"})
    # publishing waits for every return
    cycle.draft.refresh_from_db()
    r = perf.post(f"/manage/snapshots/{cycle.draft.pk}/publish/", {"version": cycle.draft.version}, follow=True)
    assert "not accepted yet" in r.content.decode()
    assert cycle.client(None).get("/outcomes/safe/?period=Q1+2018-19").status_code == 404
    m.Submission.objects.filter(snapshot=cycle.draft).exclude(pk=cycle.sub.pk).update(status="accepted")
    cycle.draft.refresh_from_db()
    perf.post(f"/manage/snapshots/{cycle.draft.pk}/publish/", {"version": cycle.draft.version})
    cycle.draft.refresh_from_db()
    assert cycle.draft.published
    public = cycle.client(None)
    page = public.get("/outcomes/safe/indicators/child-protection/")
    assert page.status_code == 200 and "352" in page.content.decode()
    old_html = public.get("/outcomes/safe/report.html?period=Q1+2018-19").content
    # a correction
    r = perf.post(f"/manage/snapshots/{cycle.draft.pk}/revise/", {"reason": "The April count was wrong"})
    draft2 = m.Snapshot.objects.get(outcome_key="safe", reporting_period__label="Q1 2018-19", published=False,
                                    archived_on__isnull=True)
    assert draft2.revision == 2 and draft2.supersedes_id == cycle.draft.pk
    sub2 = m.Submission.objects.get(snapshot=draft2, indicator_key="child-protection")
    perf.post(f"/manage/returns/{sub2.pk}/", _form(sub2, **{"children-in-need": {
        "period": "Q1 2018-19", "value": "362", "note": "corrected"}}))
    sub2.refresh_from_db()
    assert sub2.status == "in-progress"
    perf.post(f"/manage/returns/{sub2.pk}/submit/", {"version": sub2.version, "declaration": "1"})
    sub2.refresh_from_db()
    perf.post(f"/manage/returns/{sub2.pk}/review/", {"version": sub2.version, "decision": "accept"})
    draft2.refresh_from_db()
    perf.post(f"/manage/snapshots/{draft2.pk}/publish/", {"version": draft2.version})
    draft2.refresh_from_db()
    assert draft2.published
    cycle.draft.refresh_from_db()
    assert cycle.draft.is_archived and "April count" in cycle.draft.archived_reason
    page = public.get("/outcomes/safe/indicators/child-protection/").content.decode()
    assert "362" in page and "Revised" in page and "The April count was wrong" in page
    assert "What revision 2 changed" in page and "352" in page  # the figure it was
    other = public.get("/outcomes/safe/indicators/killed-seriously-injured/").content.decode()
    assert "Revised" in other and "What revision 2 changed" not in other  # nothing changed in that one
    outcome_page = public.get("/outcomes/safe/").content.decode()
    assert "What revision 2 changed" in outcome_page
    # regenerated from the stored revision 1, not served from the report cache
    adapter.clear_cache()
    shutil.rmtree(settings.REPORT_CACHE_DIR, ignore_errors=True)
    again = public.get("/outcomes/safe/report.html?period=Q1+2018-19&revision=1")
    assert again["X-Report-Cache"] == "miss"
    assert again.content == old_html
    assert "352" in old_html.decode() and "362" not in old_html.decode()
    current = public.get("/outcomes/safe/report.html?period=Q1+2018-19").content.decode()
    assert "362" in current
    assert "revised (revision 2)" in current  # the pack says it is a revision
    assert "revised (revision 2)" not in old_html.decode()


def test_a_draft_revision_can_be_discarded_and_started_again(cycle):
    perf = cycle.client(cycle.perf)
    pub = cycle.published
    perf.post(f"/manage/snapshots/{pub.pk}/revise/", {"reason": "A typo"})
    draft = m.Snapshot.objects.get(outcome_key="safe", reporting_period=pub.reporting_period, published=False,
                                   archived_on__isnull=True)
    r = perf.post(f"/manage/snapshots/{draft.pk}/discard/", {"version": draft.version, "reason": ""}, follow=True)
    assert "Say why" in r.content.decode()
    draft.refresh_from_db()
    assert not draft.is_archived
    perf.post(f"/manage/snapshots/{draft.pk}/discard/", {"version": draft.version, "reason": "Not needed"})
    draft.refresh_from_db()
    assert draft.is_archived and draft.archived_reason == "Discarded: Not needed" and draft.supersedes_id is None
    assert m.AuditEvent.objects.filter(action="discard", snapshot=draft, comment="Not needed").exists()
    pub.refresh_from_db()
    assert pub.published and not pub.is_archived  # the published revision is untouched
    perf.post(f"/manage/snapshots/{pub.pk}/revise/", {"reason": "A typo, again"})
    again = m.Snapshot.objects.get(outcome_key="safe", reporting_period=pub.reporting_period, published=False,
                                   archived_on__isnull=True)
    assert again.supersedes_id == pub.pk and again.pk != draft.pk
    # a second, simultaneous-looking start is refused with a message, not a 500
    r = perf.post(f"/manage/snapshots/{pub.pk}/revise/", {"reason": "Twice"}, follow=True)
    assert r.status_code == 200 and "already in progress" in r.content.decode()


def test_the_performance_team_changes_a_deadline(cycle):
    perf = cycle.client(cycle.perf)
    rp = cycle.draft.reporting_period
    url = "/manage/periods/Q1%202018-19/"
    r = perf.post(url, {"version": rp.version, "deadline": "2018-03-01"}, follow=True)
    assert "before the period starts" in r.content.decode()
    r = perf.post(url, {"version": rp.version, "deadline": "2018-02-30"}, follow=True)
    assert "Enter the deadline as a date" in r.content.decode()
    perf.post(url, {"version": rp.version, "deadline": "2018-08-15"})
    rp.refresh_from_db()
    assert str(rp.deadline) == "2018-08-15"
    ev = m.AuditEvent.objects.get(action="update", item_type="period", item_key="Q1 2018-19")
    assert ev.before["deadline"] is None and ev.after["deadline"] == "2018-08-15"
    stale = perf.post(url, {"version": rp.version - 1, "deadline": "2018-09-01"}, follow=True)
    assert "Someone changed this period" in stale.content.decode()
    rp.refresh_from_db()
    assert str(rp.deadline) == "2018-08-15"
