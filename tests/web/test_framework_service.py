"""store/framework.py: every framework change and its audit record commit or roll back together.

Given the example stored and Q1 2018-19 opened as a draft of "safe", when a framework operation
fails part-way (after its rows are written, before or after its audit record), then neither the rows
nor the record stay; when it succeeds, both are there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from outcomes_web.store import access, workflow
from outcomes_web.store import framework as service
from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db(databases="__all__")


class Boom(RuntimeError):
    """The failure forced in the middle of an operation."""


@pytest.fixture
def perf(db_alias: str) -> User:
    user = User.objects.create_user("pat", password="not-used-here", first_name="Pat", last_name="Perform")
    user.groups.add(Group.objects.get_or_create(name=access.GROUPS[access.PERFORMANCE])[0])
    return user


@pytest.fixture
def draft(perf: User) -> m.Snapshot:
    (snap,) = [s for s in workflow.open_period(perf, "Q1 2018-19", None) if s.outcome_key == "safe"]
    return snap


def _indicator(snap: m.Snapshot) -> m.Indicator:
    return m.Indicator.objects.get(snapshot=snap, key="child-protection")


def _edit(ind: m.Indicator, title: str) -> dict[str, Any]:
    return {"number": ind.number, "title": title, "section": ind.section, "section_title": ind.section_title,
            "lead": None}


def _state(snap: m.Snapshot) -> tuple[Any, ...]:
    ind = _indicator(snap)
    return (ind.title, ind.version, ind.archived_on, m.AuditEvent.objects.count(),
            m.Indicator.objects.filter(snapshot=snap).count(),
            m.Snapshot.objects.get(pk=snap.pk).content_hash)


def _fail_in_audit(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the audit record fail *after* the row is written (and note that the row was written)."""
    seen: list[str] = []
    real = service.audit.record

    def record(user: Any, action: str, item_type: str, item_key: str, **kwargs: Any) -> Any:
        seen.append(m.Indicator.objects.get(snapshot=kwargs["snapshot"], key="child-protection").title)
        real(user, action, item_type, item_key, **kwargs)  # the record is written, then the failure
        raise Boom

    monkeypatch.setattr(service.audit, "record", record)
    return seen


def test_an_edit_and_its_audit_record_commit_together(perf: User, draft: m.Snapshot) -> None:
    ind = _indicator(draft)
    events = m.AuditEvent.objects.count()
    service.update_item(perf, draft, "indicator", ind, ind.version, _edit(ind, "Children safe from harm"))
    assert _indicator(draft).title == "Children safe from harm"
    (event,) = m.AuditEvent.objects.order_by("-id")[:1]
    assert m.AuditEvent.objects.count() == events + 1
    assert (event.action, event.item_type, event.item_key) == ("update", "indicator", "child-protection")
    assert event.before["title"] == ind.title and event.after["title"] == "Children safe from harm"


def test_an_edit_whose_audit_record_fails_leaves_neither(perf: User, draft: m.Snapshot,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    ind = _indicator(draft)
    before = _state(draft)
    seen = _fail_in_audit(monkeypatch)
    with pytest.raises(Boom):
        service.update_item(perf, draft, "indicator", ind, ind.version, _edit(ind, "Never saved"))
    assert seen == ["Never saved"]  # the row had been written inside the transaction ...
    assert _state(draft) == before  # ... and the row, its version and the audit record are all rolled back


def test_an_edit_failing_after_its_audit_record_leaves_neither(perf: User, draft: m.Snapshot,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    ind = _indicator(draft)
    before = _state(draft)

    def refresh(snap: m.Snapshot) -> None:
        assert m.AuditEvent.objects.count() == before[3] + 1  # written, not yet committed
        raise Boom

    monkeypatch.setattr(service.adapter, "refresh_content_hash", refresh)
    with pytest.raises(Boom):
        service.update_item(perf, draft, "indicator", ind, ind.version, _edit(ind, "Never saved"))
    assert _state(draft) == before


def test_a_new_item_whose_audit_record_fails_leaves_nothing(perf: User, draft: m.Snapshot,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    before = _state(draft)
    submissions = m.Submission.objects.filter(snapshot=draft).count()
    monkeypatch.setattr(service.audit, "record", lambda *a, **k: (_ for _ in ()).throw(Boom()))
    data = {"key": "new-indicator", "number": "9", "title": "A new one", "section": "", "section_title": "",
            "lead": None}
    first = {"period_kind": "quarter", "unit_type": "count", "unit_per": None, "unit_decimals": None,
             "polarity": "higher-is-better", "definition": "", "source": "", "target_value": None}
    with pytest.raises(Boom):
        service.create_item(perf, draft, "indicator", data, first)
    assert _state(draft) == before
    assert not m.Indicator.objects.filter(snapshot=draft, key="new-indicator").exists()
    assert not m.Series.objects.filter(snapshot=draft, key="new-indicator").exists()
    assert m.Submission.objects.filter(snapshot=draft).count() == submissions


def test_an_archive_whose_audit_record_fails_leaves_the_item_live(perf: User, draft: m.Snapshot,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    ind = _indicator(draft)
    before = _state(draft)
    links = sorted(m.RiskLink.objects.filter(risk__snapshot=draft).values_list("risk__key", "indicator_key"))
    statuses = sorted(m.Submission.objects.filter(snapshot=draft).values_list("indicator_key", "status"))
    monkeypatch.setattr(service.adapter, "refresh_content_hash", lambda snap: (_ for _ in ()).throw(Boom()))
    with pytest.raises(Boom):
        service.archive_item(perf, draft, "indicator", ind, ind.version, "No longer collected")
    assert _state(draft) == before
    assert sorted(m.RiskLink.objects.filter(risk__snapshot=draft)
                  .values_list("risk__key", "indicator_key")) == links  # risks keep their links
    assert sorted(m.Submission.objects.filter(snapshot=draft).values_list("indicator_key", "status")) == statuses


def test_a_stale_version_writes_nothing(perf: User, draft: m.Snapshot) -> None:
    ind = _indicator(draft)
    service.update_item(perf, draft, "indicator", ind, ind.version, _edit(ind, "First"))
    before = _state(draft)
    with pytest.raises(service.Conflict):
        service.update_item(perf, draft, "indicator", ind, ind.version, _edit(ind, "Second, from a stale form"))
    assert _state(draft) == before


def test_a_published_draft_is_frozen(perf: User, draft: m.Snapshot) -> None:
    ind = _indicator(draft)
    m.Snapshot.objects.filter(pk=draft.pk).update(published=True)
    before = _state(draft)
    with pytest.raises(service.Frozen):
        service.update_item(perf, draft, "indicator", ind, ind.version, _edit(ind, "Too late"))
    assert _state(draft) == before


def test_the_framework_pages_write_nothing_themselves() -> None:
    """framework_forms and framework_views hold forms and thin views: no audit call, no row write, no
    transaction of their own."""
    import ast
    from pathlib import Path

    from outcomes_web.workspace import framework_forms, framework_views

    for module in (framework_forms, framework_views):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
        assert not names & {"save", "create", "bulk_create", "update_or_create", "delete", "record", "_atomic",
                            "select_for_update"}, module.__name__
        assert "audit" not in imported and "workflow" not in imported, module.__name__
