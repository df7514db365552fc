"""Framework management: the performance team edits, adds and archives framework items of drafts.

Given the example stored (Q4 2017-18 published) and Q1 2018-19 opened as a draft of "safe", when
someone uses /manage/framework/, then only the performance team may change anything, only drafts
change, invalid or stale forms write nothing, and every change is audited with before and after.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from tests.web.html import BeautifulSoup, one, page
from tests.web.html import text as words

from outcomes_web import adapter
from outcomes_web.store import access, audit, workflow
from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db(databases="__all__")

BASE = "/manage/framework/"


def _problems(soup: BeautifulSoup) -> dict[str, str]:
    """The error summary: each link's target (``#field``) and its message."""
    summary = one(soup, ".error-summary[role=alert]")
    assert words(one(summary, "h2")) == "There is a problem"
    return {str(a["href"]): words(a) for a in summary.select("li a[href]")}


def text(response: Any) -> str:
    return response.content.decode("utf-8")


@pytest.fixture
def people(db_alias: str) -> SimpleNamespace:
    groups = {role: Group.objects.get_or_create(name=name)[0] for role, name in access.GROUPS.items()}

    def user(username: str, role: str | None, first: str = "", last: str = "") -> User:
        u = User.objects.create_user(username, password="not-used-here", first_name=first, last_name=last)
        if role:
            u.groups.add(groups[role])
        return u

    return SimpleNamespace(perf=user("pat", access.PERFORMANCE, "Pat", "Perform"),
                           lead=user("lee", access.LEAD, "Lee", "Leader"),
                           lead2=user("lou", access.LEAD, "Lou", "Other"),
                           viewer=user("vic", access.VIEWER), nobody=user("nora", None))


@pytest.fixture
def draft(people: SimpleNamespace) -> m.Snapshot:
    created = workflow.open_period(people.perf, "Q1 2018-19", None)
    (snap,) = [s for s in created if s.outcome_key == "safe"]
    return snap


@pytest.fixture
def perf_client(client: Any, people: SimpleNamespace) -> Any:
    client.force_login(people.perf)
    return client


def indicator_post(ind: m.Indicator, **changes: Any) -> dict[str, Any]:
    data = {"number": ind.number, "title": ind.title, "section": ind.section, "section_title": ind.section_title,
            "lead": "", "version": ind.version}
    data.update(changes)
    return data


def series_post(s: m.Series, **changes: Any) -> dict[str, Any]:
    comparators = list(s.comparators.order_by("position"))
    data: dict[str, Any] = {
        "title": s.title, "short_title": s.short_title, "unit_type": s.unit_type, "unit_per": s.unit_per or "",
        "unit_decimals": "" if s.unit_decimals is None else s.unit_decimals, "polarity": s.polarity,
        "definition": s.definition, "source": s.source, "target_value": "", "target_period": "", "target_note": "",
        "version": s.version, "comparators-TOTAL_FORMS": len(comparators) + 1,
        "comparators-INITIAL_FORMS": len(comparators), "comparators-MIN_NUM_FORMS": 0,
        "comparators-MAX_NUM_FORMS": 1000,
    }
    for i, c in enumerate(comparators):
        data.update({f"comparators-{i}-name": c.name, f"comparators-{i}-area": c.area,
                     f"comparators-{i}-value": "" if c.value is None else c.value,
                     f"comparators-{i}-period": c.period["label"] if c.period else ""})
    data.update(changes)
    return data


def first_series(**changes: str) -> dict[str, str]:
    """The fields of a new indicator's or measure's own series."""
    data = {"series-period_kind": "quarter", "series-unit_type": "count", "series-unit_per": "",
            "series-unit_decimals": "", "series-polarity": "higher-is-better", "series-definition": "",
            "series-source": "", "series-target_value": "", "series-target_period": "", "series-target_note": ""}
    data.update({f"series-{k}": v for k, v in changes.items()})
    return data


def assert_the_draft_is_a_valid_dataset(snap: m.Snapshot) -> None:
    """What the pages made still passes the library's checks: exported and read back, no problems."""
    fw = adapter.framework_for_export(outcome_key=snap.outcome_key, period=snap.reporting_period.label)
    folder = Path(tempfile.mkdtemp(prefix="framework-admin-")) / "dataset"
    adapter.write_dataset_folder(fw, folder)
    try:
        adapter.load_dataset(folder)
    except adapter.DatasetProblems as exc:
        pytest.fail("\n".join(exc.problems))


def unchanged(snap: m.Snapshot) -> tuple[Any, ...]:
    """What a refused save must not touch: the rows' fields, the audit trail, the content hash."""
    snap = m.Snapshot.objects.get(pk=snap.pk)
    return (
        [audit.fields_of(r) for r in m.Indicator.objects.filter(snapshot=snap)],
        [audit.fields_of(r) for r in m.Series.objects.filter(snapshot=snap)],
        [(r.version, r.title) for r in m.Risk.objects.filter(snapshot=snap)],
        m.Indicator.objects.filter(snapshot=snap).count(), m.AuditEvent.objects.count(), snap.content_hash,
    )


# --------------------------------------------------------------------------------------------- list
def test_the_list_shows_drafts_with_their_items_and_edit_links(perf_client: Any, draft: m.Snapshot) -> None:
    r = perf_client.get(BASE)
    assert r.status_code == 200
    soup = page(r)
    card = one(soup, f"section#snapshot-{draft.pk}")
    assert "Q1 2018-19" in words(one(card, "h2"))
    edits = {str(a["href"]) for a in card.select("a[href]")}
    for path in ("indicators/child-protection/", "measures/children-in-need/", "series/children-in-need/",
                 "risks/02a/", "indicator/child-protection/archive/", "outcome/"):
        assert f"{BASE}{draft.pk}/{path}" in edits, path
    published = m.Snapshot.objects.public().get(outcome_key="safe", reporting_period__label="Q4 2017-18")
    every = [str(a["href"]) for a in soup.select("a[href]")]
    assert not any(h.startswith(f"{BASE}{published.pk}/") for h in every)  # published ones are listed, not editable


# ------------------------------------------------------------------------------------------- access
def test_only_the_performance_team_may_use_the_pages(client: Any, people: SimpleNamespace,
                                                      draft: m.Snapshot) -> None:
    ind = m.Indicator.objects.get(snapshot=draft, key="child-protection")
    url = f"{BASE}{draft.pk}/indicators/child-protection/"
    before = unchanged(draft)
    r = client.get(BASE)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    r = client.post(url, indicator_post(ind, title="Changed"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    for who in (people.lead, people.viewer, people.nobody):
        client.force_login(who)
        assert client.get(BASE).status_code == 403
        assert client.get(url).status_code == 403
        assert client.post(url, indicator_post(ind, title="Changed")).status_code == 403
        assert client.post(f"{BASE}{draft.pk}/indicator/child-protection/archive/",
                           {"reason": "no", "version": ind.version}).status_code == 403
        client.logout()
    assert unchanged(draft) == before


# -------------------------------------------------------------------------------------------- edits
def test_performance_team_edits_an_indicator_title_and_it_is_audited(perf_client: Any, draft: m.Snapshot,
                                                                     people: SimpleNamespace) -> None:
    ind = m.Indicator.objects.get(snapshot=draft, key="child-protection")
    old_hash = m.Snapshot.objects.get(pk=draft.pk).content_hash
    url = f"{BASE}{draft.pk}/indicators/child-protection/"
    opened = perf_client.get(url)
    assert opened.status_code == 200 and ind.title in text(opened)
    assert one(page(opened), "form input[type=hidden][name=version]")["value"] == str(ind.version)
    r = perf_client.post(url, indicator_post(ind, title="Children on a protection plan, per 10,000"))
    assert r.status_code == 302, text(r)
    fresh = m.Indicator.objects.get(pk=ind.pk)
    assert fresh.title == "Children on a protection plan, per 10,000"
    assert fresh.version == ind.version + 1 and fresh.modified_by == people.perf
    event = m.AuditEvent.objects.filter(item_type="indicator", item_key="child-protection").first()
    assert event is not None and event.action == "update" and event.user == people.perf
    assert event.snapshot_id == draft.pk and event.period_label == "Q1 2018-19"
    assert event.before["title"] == ind.title
    assert event.after["title"] == "Children on a protection plan, per 10,000"
    snap = m.Snapshot.objects.get(pk=draft.pk)
    assert snap.content_hash != old_hash
    loaded = adapter.load_outcome(snap)
    titles = {i.id: i.title for i in loaded.outcome.indicators}
    assert titles["child-protection"] == "Children on a protection plan, per 10,000"
    # the published snapshot it came from is untouched
    published = m.Snapshot.objects.public().get(outcome_key="safe", reporting_period__label="Q4 2017-18")
    assert m.Indicator.objects.get(snapshot=published, key="child-protection").title == ind.title


def test_choosing_a_lead_officer_assigns_them_and_names_them(perf_client: Any, draft: m.Snapshot,
                                                             people: SimpleNamespace) -> None:
    ind = m.Indicator.objects.get(snapshot=draft, key="children-in-care")
    url = f"{BASE}{draft.pk}/indicators/children-in-care/"
    assert perf_client.post(url, indicator_post(ind, lead=people.lead.pk)).status_code == 302
    assert list(m.Assignment.objects.filter(outcome_key="safe", item_key="children-in-care")
                .values_list("user__username", "item_kind")) == [("lee", "indicator")]
    loaded = adapter.load_outcome(m.Snapshot.objects.get(pk=draft.pk))
    leads = {i.id: i.lead_officers for i in loaded.outcome.indicators}["children-in-care"]
    assert [o.name for o in leads] == ["Lee Leader"]
    assert access.leads_submission(people.lead, m.Submission.objects.get(snapshot=draft,
                                                                          indicator_key="children-in-care"))
    event = m.AuditEvent.objects.filter(item_key="children-in-care", item_type="indicator").first()
    assert event.before["lead_account"] == "" and event.after["lead_account"] == "lee"
    # another lead officer replaces the first; a measure gets its own assignment
    ind.refresh_from_db()
    assert perf_client.post(url, indicator_post(ind, lead=people.lead2.pk)).status_code == 302
    assert list(m.Assignment.objects.filter(outcome_key="safe", item_key="children-in-care")
                .values_list("user__username", flat=True)) == ["lou"]
    meas = m.Measure.objects.get(snapshot=draft, key="adopted")
    r = perf_client.post(f"{BASE}{draft.pk}/measures/adopted/",
                         {"title": meas.title, "lead": people.lead.pk, "version": meas.version})
    assert r.status_code == 302
    assert m.Assignment.objects.get(outcome_key="safe", item_key="adopted").item_kind == "measure"


def test_a_series_unit_target_and_comparators_are_edited(perf_client: Any, draft: m.Snapshot) -> None:
    s = m.Series.objects.get(snapshot=draft, key="child-protection")
    url = f"{BASE}{draft.pk}/series/child-protection/"
    assert perf_client.get(url).status_code == 200
    data = series_post(s, unit_per="1000", target_value="40", target_period="2018-19", target_note="Council plan",
                       **{"comparators-0-value": "43.3", "comparators-1-name": "South West",
                          "comparators-1-area": "E12000009", "comparators-1-value": "39.5",
                          "comparators-1-period": "2017-18"})
    r = perf_client.post(url, data)
    assert r.status_code == 302, text(r)
    loaded = adapter.load_outcome(m.Snapshot.objects.get(pk=draft.pk))
    series = loaded.framework.series_by_id()["child-protection"]
    assert series.unit.per == 1000
    assert series.target is not None and series.target.value == 40 and str(series.target.period) == "2018-19"
    assert [(c.name, c.area, c.value) for c in series.comparators] == [
        ("England", "E92000001", 43.3), ("South West", "E12000009", 39.5)]
    assert str(series.comparators[1].period) == "2017-18"
    event = m.AuditEvent.objects.filter(item_type="series", item_key="child-protection").first()
    assert event.before["unit_per"] == 10000 and event.after["unit_per"] == 1000
    assert len(event.after["comparators"]) == 2


def test_a_risk_is_edited_with_its_linked_indicators(perf_client: Any, draft: m.Snapshot) -> None:
    risk = m.Risk.objects.get(snapshot=draft, key="02a")
    r = perf_client.post(f"{BASE}{draft.pk}/risks/02a/", {
        "title": risk.title, "score": "LOW", "trend": "improving", "owner": "Someone", "likelihood": "2",
        "impact": "4", "indicators": ["child-protection", "children-in-care"], "version": risk.version})
    assert r.status_code == 302, text(r)
    risk.refresh_from_db()
    assert (risk.score, risk.trend, risk.likelihood, risk.impact) == ("LOW", "improving", 2, 4)
    assert [x.indicator_key for x in risk.links.all()] == ["child-protection", "children-in-care"]
    loaded = adapter.load_outcome(m.Snapshot.objects.get(pk=draft.pk))
    (found,) = [x for x in loaded.framework.risks if x.id == "02a"]
    assert found.indicators == ("child-protection", "children-in-care") and found.score == "LOW"


def test_the_outcome_is_edited(perf_client: Any, draft: m.Snapshot) -> None:
    outcome = m.Outcome.objects.get(snapshot=draft)
    r = perf_client.post(f"{BASE}{draft.pk}/outcome/", {"title": "Safe and well", "introduction": "New words.",
                                                         "version": outcome.version})
    assert r.status_code == 302
    assert adapter.load_outcome(m.Snapshot.objects.get(pk=draft.pk)).outcome.title == "Safe and well"


# ------------------------------------------------------------------------------------------ refusals
def test_a_published_snapshot_is_frozen(perf_client: Any, draft: m.Snapshot) -> None:
    published = m.Snapshot.objects.public().get(outcome_key="safe", reporting_period__label="Q4 2017-18")
    ind = m.Indicator.objects.get(snapshot=published, key="child-protection")
    before = unchanged(published)
    url = f"{BASE}{published.pk}/indicators/child-protection/"
    for r in (perf_client.get(url), perf_client.post(url, indicator_post(ind, title="Changed")),
              perf_client.post(f"{BASE}{published.pk}/new/risk/", {"key": "zz", "title": "x", "score": "LOW",
                                                                    "trend": "new"}),
              perf_client.post(f"{BASE}{published.pk}/indicator/child-protection/archive/",
                               {"reason": "gone", "version": ind.version})):
        assert r.status_code == 403
        assert "start a revision" in text(r)
    assert unchanged(published) == before


@pytest.mark.parametrize("changes, field, message", [
    ({"unit_type": "rate", "unit_per": ""}, "unit_per", "A rate needs to say per how many people"),
    ({"unit_type": "count", "unit_per": "100"}, "unit_per", "Only a rate is per a number of people"),
    ({"polarity": "up-is-good"}, "polarity", "Select a valid choice"),
    ({"target_value": "40", "target_period": "Q1 2018-19"}, "target_period", "financial year"),
    ({"target_value": "", "target_period": "2018-19"}, "target_value", "Enter the target value"),
    ({"target_value": "lots"}, "target_value", "Enter a number"),
    ({"comparators-0-period": "Q7 2017"}, "comparators-0-period", "Comparator 1"),
])
def test_invalid_series_input_gives_field_errors_and_writes_nothing(perf_client: Any, draft: m.Snapshot,
                                                                    changes: dict[str, str], field: str,
                                                                    message: str) -> None:
    s = m.Series.objects.get(snapshot=draft, key="child-protection")
    before = unchanged(draft)
    r = perf_client.post(f"{BASE}{draft.pk}/series/child-protection/", series_post(s, **changes))
    assert r.status_code == 400
    soup = page(r)
    assert message in _problems(soup)[f"#{field}"]
    assert one(soup, f"#{field}").find_parent(class_="form-group--error")  # the field is marked too
    assert unchanged(draft) == before


@pytest.mark.parametrize("key, message", [
    ("child-protection", "There is already a population indicator with the id"),
    ("children-in-need", "There is already a series with the id"),  # its first series would take the id
    ("-bad id", "Enter an id of letters, digits"),
])
def test_a_new_indicator_needs_a_unique_valid_id(perf_client: Any, draft: m.Snapshot, key: str,
                                                 message: str) -> None:
    before = unchanged(draft)
    r = perf_client.post(f"{BASE}{draft.pk}/new/indicator/", {"key": key, "title": "A new one", **first_series()})
    assert r.status_code == 400
    assert message in _problems(page(r))["#key"]
    assert unchanged(draft) == before


def test_a_new_indicator_needs_its_first_series(perf_client: Any, draft: m.Snapshot) -> None:
    before = unchanged(draft)
    r = perf_client.post(f"{BASE}{draft.pk}/new/indicator/", {
        "key": "new-one", "title": "A new one", **first_series(period_kind="", unit_type="rate", polarity="sideways")})
    assert r.status_code == 400
    soup = page(r)
    problems = _problems(soup)
    for field in ("series-period_kind", "series-unit_per", "series-polarity"):
        assert f"#{field}" in problems and one(soup, f"#{field}"), field  # each link leads to its field
    assert unchanged(draft) == before


def test_a_stale_form_is_a_409_showing_both_versions_and_writes_nothing(perf_client: Any, draft: m.Snapshot,
                                                                       people: SimpleNamespace) -> None:
    ind = m.Indicator.objects.get(snapshot=draft, key="child-protection")
    url = f"{BASE}{draft.pk}/indicators/child-protection/"
    assert perf_client.post(url, indicator_post(ind, title="Saved first")).status_code == 302
    before = unchanged(draft)
    r = perf_client.post(url, indicator_post(ind, title="Saved second"))  # drawn from the old version
    assert r.status_code == 409
    html = text(r)
    assert "Someone else changed this since you opened it" in html
    assert "Saved first" in html and "Saved second" in html  # saved and yours, side by side
    assert unchanged(draft) == before
    assert m.Indicator.objects.get(pk=ind.pk).title == "Saved first"
    # the form now carries the current version: saving again overwrites, knowingly
    current = m.Indicator.objects.get(pk=ind.pk).version
    assert one(page(r), "form input[name=version]")["value"] == str(current)


# ---------------------------------------------------------------------------------------- additions
def test_new_items_are_added_to_the_draft(perf_client: Any, draft: m.Snapshot, people: SimpleNamespace) -> None:
    assert perf_client.get(f"{BASE}{draft.pk}/new/series/").status_code == 200
    assert perf_client.get(f"{BASE}{draft.pk}/new/indicator/").status_code == 200
    r = perf_client.post(f"{BASE}{draft.pk}/new/indicator/", {
        "key": "youth-violence", "number": "07", "title": "Youth violence", "lead": people.lead.pk,
        **first_series(period_kind="financial-year", unit_type="rate", unit_per="10000")})
    assert r.status_code == 302, text(r)
    r = perf_client.post(f"{BASE}{draft.pk}/new/measure/", {"indicator": "youth-violence", "key": "yv-referrals",
                                                             "title": "Referrals", **first_series()})
    assert r.status_code == 302, text(r)
    r = perf_client.post(f"{BASE}{draft.pk}/new/series/", {
        "holder": "measure:yv-referrals", "key": "yv-referrals-count", "period_kind": "quarter",
        "title": "Referrals a quarter", "unit_type": "count", "polarity": "no-judgement",
        "target_value": "10", "target_period": "Q4 2018-19"})
    assert r.status_code == 302, text(r)
    r = perf_client.post(f"{BASE}{draft.pk}/new/risk/", {"key": "99z", "title": "A new risk", "score": "HIGH",
                                                         "trend": "new", "indicators": ["youth-violence"]})
    assert r.status_code == 302, text(r)
    loaded = adapter.load_outcome(m.Snapshot.objects.get(pk=draft.pk))
    ind = {i.id: i for i in loaded.outcome.indicators}["youth-violence"]
    assert ind.title == "Youth violence" and [x.id for x in ind.measures] == ["yv-referrals"]
    assert [(s.id, s.title, s.unit.per) for s in ind.series] == [("youth-violence", "Youth violence", 10000)]
    assert [x.id for x in ind.measures[0].series] == ["yv-referrals", "yv-referrals-count"]
    series = ind.measures[0].series[1]
    assert series.target is not None and series.target.value == 10
    assert [x.indicators for x in loaded.framework.risks if x.id == "99z"] == [("youth-violence",)]
    assert m.Submission.objects.filter(snapshot=draft, indicator_key="youth-violence").exists()
    assert set(m.AuditEvent.objects.filter(action="create", snapshot=draft).values_list("item_type", "item_key")) == {
        ("indicator", "youth-violence"), ("series", "youth-violence"), ("measure", "yv-referrals"),
        ("series", "yv-referrals"), ("series", "yv-referrals-count"), ("risk", "99z")}
    assert_the_draft_is_a_valid_dataset(draft)
    # ids are unique per kind in the snapshot
    r = perf_client.post(f"{BASE}{draft.pk}/new/series/", {
        "holder": "indicator:youth-violence", "key": "child-protection", "period_kind": "quarter",
        "title": "Dup", "unit_type": "count", "polarity": "no-judgement"})
    assert r.status_code == 400 and "There is already a series with the id" in text(r)


def test_a_new_series_target_period_must_be_of_its_kind(perf_client: Any, draft: m.Snapshot) -> None:
    before = unchanged(draft)
    r = perf_client.post(f"{BASE}{draft.pk}/new/series/", {
        "holder": "indicator:child-protection", "key": "cp-new", "period_kind": "quarter", "title": "New",
        "unit_type": "rate", "unit_per": "", "polarity": "lower-is-better", "target_value": "3",
        "target_period": "2018-19"})
    assert r.status_code == 400
    assert {"#target_period", "#unit_per"} <= set(_problems(page(r)))
    assert unchanged(draft) == before


# ------------------------------------------------------------------------------------------- archive
def test_archiving_needs_a_reason_then_the_indicator_leaves_the_framework(perf_client: Any, draft: m.Snapshot,
                                                                          people: SimpleNamespace) -> None:
    ind = m.Indicator.objects.get(snapshot=draft, key="domestic-abuse-crimes")
    url = f"{BASE}{draft.pk}/indicator/domestic-abuse-crimes/archive/"
    assert perf_client.get(url).status_code == 200
    before = unchanged(draft)
    r = perf_client.post(url, {"reason": "  ", "version": ind.version})
    assert r.status_code == 400 and _problems(page(r))["#reason"].endswith(": Say why the item is being archived.")
    assert unchanged(draft) == before
    r = perf_client.post(url, {"reason": "Merged into domestic abuse incidents", "version": ind.version})
    assert r.status_code == 302, text(r)
    ind.refresh_from_db()
    assert ind.is_archived and ind.archived_by == people.perf
    assert ind.archived_reason == "Merged into domestic abuse incidents"
    snap = m.Snapshot.objects.get(pk=draft.pk)
    framework = adapter.load_outcome(snap).framework
    assert "domestic-abuse-crimes" not in {i.id for i in framework.outcomes[0].indicators}
    assert "domestic-abuse-crimes" not in framework.series_by_id()
    sub = m.Submission.objects.get(snapshot=draft, indicator_key="domestic-abuse-crimes")
    assert sub.status == m.Submission.Status.ACCEPTED and sub.review_comment == "Indicator archived"
    actions = set(m.AuditEvent.objects.filter(snapshot=draft, item_key="domestic-abuse-crimes")
                  .values_list("action", "item_type"))
    assert actions == {("archive", "indicator"), ("accept", "submission")}
    event = m.AuditEvent.objects.get(action="archive", item_key="domestic-abuse-crimes")
    assert event.before["archived_on"] is None and event.after["archived_reason"].startswith("Merged")
    # kept, not deleted; no longer editable; listed as archived
    assert m.Indicator.objects.filter(pk=ind.pk).exists()
    assert perf_client.get(f"{BASE}{draft.pk}/indicators/domestic-abuse-crimes/").status_code == 403
    series = perf_client.get(f"{BASE}{draft.pk}/series/domestic-abuse-crimes/")  # nor are its series
    assert series.status_code == 403 and "population indicator is archived" in text(series)
    assert "Merged into domestic abuse incidents" in text(perf_client.get(BASE))


def test_archiving_a_measure_and_a_risk_and_a_stale_archive(perf_client: Any, draft: m.Snapshot) -> None:
    meas = m.Measure.objects.get(snapshot=draft, key="assaults")
    r = perf_client.post(f"{BASE}{draft.pk}/measure/assaults/archive/", {"reason": "Dropped",
                                                                        "version": meas.version})
    assert r.status_code == 302
    risk = m.Risk.objects.get(snapshot=draft, key="02a")
    before = unchanged(draft)
    r = perf_client.post(f"{BASE}{draft.pk}/risk/02a/archive/", {"reason": "Closed", "version": risk.version - 1})
    assert r.status_code == 409 and "Someone else changed this since you opened it" in text(r)
    assert unchanged(draft) == before
    r = perf_client.post(f"{BASE}{draft.pk}/risk/02a/archive/", {"reason": "Closed", "version": risk.version})
    assert r.status_code == 302
    framework = adapter.load_outcome(m.Snapshot.objects.get(pk=draft.pk)).framework
    assert "assaults" not in framework.series_by_id()
    assert "02a" not in {x.id for x in framework.risks}


def test_archiving_an_indicator_unlinks_its_risks_and_the_draft_stays_valid(perf_client: Any,
                                                                            draft: m.Snapshot) -> None:
    linked = sorted(m.Risk.objects.filter(snapshot=draft, links__indicator_key="child-protection")
                    .values_list("key", flat=True))
    assert linked  # the example links risks to it
    ind = m.Indicator.objects.get(snapshot=draft, key="child-protection")
    r = perf_client.post(f"{BASE}{draft.pk}/indicator/child-protection/archive/",
                         {"reason": "Replaced", "version": ind.version})
    assert r.status_code == 302
    assert not m.RiskLink.objects.filter(risk__snapshot=draft, indicator_key="child-protection").exists()
    events = m.AuditEvent.objects.filter(snapshot=draft, action="update", item_type="risk")
    assert sorted(e.item_key for e in events) == linked
    assert all("child-protection" in e.before["indicators"] and "child-protection" not in e.after["indicators"]
               for e in events)
    assert_the_draft_is_a_valid_dataset(draft)
