"""The API's 404 for an outcome or a series with no published snapshot: one wording, naming it and the period."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.mark.parametrize(("url", "params", "error"), [
    ("/api/outcomes/nowhere/", {}, "No published outcome 'nowhere'."),
    ("/api/outcomes/prosperous/", {"period": "Q1 2018-19"}, "No published outcome 'prosperous' for Q1 2018-19."),
    ("/api/series/nowhere/", {}, "No published series 'nowhere'."),
    ("/api/series/child-protection/", {"period": "2030-31"}, "No published series 'child-protection' for 2030-31."),
])
def test_not_published_is_a_json_404_naming_it(client: Any, db_alias: str, url: str, params: dict[str, str],
                                               error: str) -> None:
    r = client.get(url, params)
    assert r.status_code == 404 and r["Content-Type"] == "application/json"
    assert json.loads(r.content) == {"error": error, "status": 404}


def test_a_published_series_gives_its_snapshot_s_period(client: Any, db_alias: str) -> None:
    r = client.get("/api/series/child-protection/", {"period": "Q3 17-18"})
    assert r.status_code == 200 and json.loads(r.content)["reporting_period"]["label"] == "Q3 2017-18"
