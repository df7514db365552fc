"""The framework views' shared first step: the kind of item they take, and the draft open for change."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from tests.web.test_framework_admin import draft, people  # noqa: F401 - fixtures

from outcomes_web.store import models as m
from outcomes_web.store.framework import EDITORS
from outcomes_web.workspace.framework_views import ARCHIVABLE, NEW_FORMS, _draft_and_editor

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.mark.parametrize("kinds", [NEW_FORMS, ARCHIVABLE])
def test_a_kind_the_view_does_not_take_is_not_found(kinds: Any, draft: m.Snapshot) -> None:  # noqa: F811
    with pytest.raises(Http404, match="no such kind"):
        _draft_and_editor(RequestFactory().get("/"), draft.pk, "outcome", kinds, "no such kind")


def test_a_draft_gives_itself_and_the_kind_s_editor(draft: m.Snapshot) -> None:  # noqa: F811
    assert _draft_and_editor(RequestFactory().get("/"), draft.pk, "risk", NEW_FORMS, "x") == (draft, EDITORS["risk"])


def test_a_published_snapshot_is_the_refusal_page(draft: m.Snapshot) -> None:  # noqa: F811
    published = m.Snapshot.objects.public().get(outcome_key="safe", reporting_period__label="Q4 2017-18")
    found = _draft_and_editor(RequestFactory().get("/"), published.pk, "risk", ARCHIVABLE, "x")
    assert isinstance(found, HttpResponse) and found.status_code == 403
    assert "start a revision" in found.content.decode("utf-8")
