"""The JSON API and its OpenAPI schema, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate
from tests.web.html import one, parse, text

from outcomes_web.api.openapi import schema

pytestmark = pytest.mark.django_db(databases="__all__")


def get(client: Any, url: str, **params: Any) -> tuple[int, dict[str, Any]]:
    r = client.get(url, params)
    assert r["Content-Type"] == "application/json"
    return r.status_code, json.loads(r.content)


# ------------------------------------------------------------------------------------------ schema
def test_openapi_schema_is_valid_openapi_3():
    spec = schema()
    validate(spec)  # raises on an invalid document
    assert spec["openapi"].startswith("3.")


def _api_routes() -> list[str]:
    """Every URL pattern under /api/, written as an OpenAPI path ('/outcomes/{outcome_id}/')."""
    resolver = get_resolver()
    api = next(p for p in resolver.url_patterns if isinstance(p, URLResolver) and str(p.pattern) == "api/")
    out = []
    for p in api.url_patterns:
        assert isinstance(p, URLPattern)
        route = str(p.pattern).lstrip("^").rstrip("$")
        route = re.sub(r"\(\?P<outcome_key>[^)]+\)", "{outcome_id}", route)
        route = re.sub(r"\(\?P<series_key>[^)]+\)", "{series_id}", route)
        out.append("/" + route)
    return out


def test_every_api_endpoint_is_in_the_schema():
    paths = set(schema()["paths"])
    routes = [r for r in _api_routes() if r != "/"]  # "/" is the human page about the API
    assert set(routes) == paths, "each API URL must be described in api/openapi.py (and nothing else)"


def test_schema_is_served_with_the_server_url(client, db_alias):
    status, spec = get(client, "/api/openapi.json")
    assert status == 200
    assert spec["servers"] == [{"url": "http://testserver/api"}]
    validate(spec)


def _required(spec: dict[str, Any], name: str) -> set[str]:
    node = spec["components"]["schemas"][name]
    keys: set[str] = set(node.get("required", []))
    for part in node.get("allOf", []):
        if "$ref" in part:
            keys |= _required(spec, part["$ref"].rsplit("/", 1)[-1])
        keys |= set(part.get("required", []))
    return keys


@pytest.mark.parametrize(("url", "component"), [
    ("/api/outcomes/", "OutcomePage"), ("/api/outcomes/safe/", "OutcomeDetail"),
    ("/api/series/child-protection/", "SeriesDetail"), ("/api/risks/", "RiskPage"), ("/api/periods/", "PeriodPage"),
])
def test_responses_carry_the_schema_required_keys(client, db_alias, url, component):
    spec = schema()
    status, data = get(client, url)
    assert status == 200
    assert _required(spec, component) <= set(data)
    if "results" in data:
        item = spec["components"]["schemas"][component]["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
        for result in data["results"]:
            assert _required(spec, item) <= set(result)


# ----------------------------------------------------------------------------------------- endpoints
def test_outcomes_list_has_stable_ids_and_links(client, db_alias):
    status, data = get(client, "/api/outcomes/")
    assert status == 200
    assert data["count"] == 2 and data["page"] == 1 and data["next"] is None and data["previous"] is None
    ids = [o["id"] for o in data["results"]]
    assert set(ids) == {"safe", "prosperous"}
    safe = next(o for o in data["results"] if o["id"] == "safe")
    assert safe["reporting_period"] == {"label": "Q4 2017-18", "kind": "quarter", "start": "2018-01-01",
                                        "end": "2018-03-31"}
    assert safe["url"] == "http://testserver/api/outcomes/safe/"
    assert safe["counts"]["indicators"] == 9 and safe["counts"]["series"] == 29


def test_pagination_gives_next_and_previous(client, db_alias):
    status, first = get(client, "/api/risks/", page_size=5)
    assert status == 200
    assert first["count"] == 18 and first["pages"] == 4 and len(first["results"]) == 5
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/risks/?page_size=5&page=2"
    status, last = get(client, "/api/risks/", page_size=5, page=4)
    assert len(last["results"]) == 3 and last["next"] is None
    assert last["previous"] == "http://testserver/api/risks/?page_size=5&page=3"
    ids = []
    for page in range(1, 5):
        ids += [r["id"] for r in get(client, "/api/risks/", page_size=5, page=page)[1]["results"]]
    assert len(ids) == len(set(ids)) == 18  # every risk once


@pytest.mark.parametrize(("params", "status", "message"), [
    ({"page": "0"}, 400, "'page' must be a whole number of 1 or more"),
    ({"page": "x"}, 400, "'page' must be a whole number"),
    ({"page_size": "101"}, 400, "'page_size' must be a whole number from 1 to 100"),
    ({"page": "9"}, 404, "Page 9 does not exist"),
    ({"period": "Q9"}, 400, "is not a period I recognise"),
])
def test_bad_parameters_are_json_errors(client, db_alias, params, status, message):
    got, data = get(client, "/api/outcomes/", **params)
    assert got == status and data["status"] == status and message in data["error"]


def test_outcome_detail(client, db_alias):
    status, data = get(client, "/api/outcomes/safe/")
    assert status == 200
    assert data["sponsor"] == {"name": "Nick Jarman", "role": "Director for Children's Services"}
    assert data["periods"] == ["Q4 2017-18", "Q3 2017-18"]
    first = data["indicators"][0]
    assert first["id"] == "child-protection" and first["number"] == "01"
    assert first["series"][0]["url"] == "http://testserver/api/series/child-protection/"
    assert [m["id"] for m in first["measures"]] == ["children-in-need", "re-referrals", "second-plans"]
    assert "04a" in data["unassigned_risks"]
    assert data["published_summary"]["performance_measures"] == 22
    status, q3 = get(client, "/api/outcomes/safe/", period="Q3 17-18")
    assert q3["reporting_period"]["label"] == "Q3 2017-18"
    assert q3["url"] == "http://testserver/api/outcomes/safe/?period=Q3+2017-18"
    assert get(client, "/api/outcomes/nowhere/")[0] == 404
    assert get(client, "/api/outcomes/prosperous/", period="Q1 2018-19")[0] == 404  # a draft


def test_series_detail_has_observations_and_judgements(client, db_alias):
    status, data = get(client, "/api/series/employment-rate/")
    assert status == 200
    assert data["outcome"] == "prosperous" and data["indicator"] == "employment-rate"
    assert [o["period"] for o in data["observations"]] == ["2013-14", "2014-15", "2015-16", "2016-17", "2017-18"]
    assert data["observations"][-1]["status"] == "provisional"
    assert data["observations"][0]["lower95"] == 72.9
    assert list(data["benchmark_observations"]) == ["E92000001"]
    j = data["judgements"]
    assert j["trend"]["judgement"] in ("improving", "similar", "worsening", "not assessed")
    assert j["trend"]["reason"] and j["trend"]["method"]
    assert data["latest"] == {"period": "2017-18", "value": 78.3, "status": "provisional"}
    assert data["html_url"].endswith("/outcomes/prosperous/indicators/employment-rate/#series-employment-rate")
    status, measure = get(client, "/api/series/defects-cat2-28-days/")
    assert measure["indicator"] == "killed-seriously-injured" and measure["parent"] == "defects-made-safe"
    assert [h["label"] for h in measure["published"]["extra"]] == ["Q3 2017/18"]
    assert get(client, "/api/series/nothing/")[0] == 404


def test_risks_filter_and_link_to_indicators(client, db_alias):
    status, data = get(client, "/api/risks/", score="HIGH", outcome="safe")
    assert status == 200 and data["count"] == 5
    risk = next(r for r in data["results"] if r["id"] == "14b")
    assert risk["indicators"] == [{"id": "child-protection",
                                   "title": "Rate of children subject to a child protection plan",
                                   "html_url": "http://testserver/outcomes/safe/indicators/child-protection/"}]
    status, unlinked = get(client, "/api/risks/", linked="no")
    assert all(r["indicators"] == [] for r in unlinked["results"])


def test_periods(client, db_alias):
    status, data = get(client, "/api/periods/")
    assert [p["label"] for p in data["results"]] == ["Q4 2017-18", "Q3 2017-18"]


def test_api_docs_page(client, db_alias):
    r = client.get("/api/")
    assert r.status_code == 200
    rows = {text(code): code for code in parse(r.content).select("main table th[scope=row] code")}
    for path in schema()["paths"]:
        shown = rows[f"GET /api{path}"]
        if "{" in path:  # a path with a parameter is shown, not linked
            assert not shown.select("a"), path
        else:  # a root path is a link to itself
            link = one(shown, "a")
            assert link["href"] == f"/api{path}" and text(link) == f"/api{path}"
