"""Every JSON API endpoint's whole response, success and error, validated against its OpenAPI 3.1
schema (api/openapi.py) with openapi-schema-validator. Stricter than the schema as published: every
object that lists its properties is checked with ``additionalProperties: false``, so a key the API
sends but the schema does not describe fails here."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator

from outcomes_web.api.openapi import schema

pytestmark = pytest.mark.django_db(databases="__all__")

EXAMPLES = {"{outcome_id}": "safe", "{series_id}": "child-protection"}


def _flat(node: Any, components: dict[str, Any]) -> Any:
    """``allOf`` of a ``$ref`` and more properties merged into one object schema (so it can be closed)."""
    if isinstance(node, list):
        return [_flat(v, components) for v in node]
    if not isinstance(node, dict):
        return node
    node = {k: _flat(v, components) for k, v in node.items()}
    if "allOf" in node:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in node.pop("allOf"):
            if "$ref" in part:
                part = _flat(components[part["$ref"].rsplit("/", 1)[-1]], components)
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += [r for r in part.get("required", []) if r not in merged["required"]]
        node = {**merged, **node}
    return node


def _closed(node: Any) -> Any:
    """The schema with ``additionalProperties: false`` on every object that lists its properties."""
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        if "properties" in out and "additionalProperties" not in out and out.get("type") == "object":
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node


def _validator(spec: dict[str, Any], path: str, status: str) -> OAS31Validator:
    response = spec["paths"][path]["get"]["responses"][status]
    body = response["content"]["application/json"]["schema"]
    schemas = spec["components"]["schemas"]
    flat = {"schemas": {name: _flat(node, schemas) for name, node in schemas.items()}}
    return OAS31Validator({**copy.deepcopy(body), "components": _closed(flat)})


def _url(path: str) -> str:
    for name, value in EXAMPLES.items():
        path = path.replace(name, value)
    return "/api" + path


def _check(client: Any, spec: dict[str, Any], path: str, status: str, url: str | None = None,
           **params: Any) -> dict[str, Any]:
    r = client.get(url or _url(path), params)
    assert r.status_code == int(status), r.content[:500]
    assert r["Content-Type"] == "application/json"
    data = json.loads(r.content)
    errors = sorted(_validator(spec, path, status).iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])
    return data


PATHS = sorted(schema()["paths"])


@pytest.mark.parametrize("path", PATHS)
def test_every_endpoint_answers_as_its_schema_says(client, db_alias, path):
    data = _check(client, schema(), path, "200")
    assert data  # something was validated


def test_every_page_of_every_list_and_every_series_is_valid(client, db_alias):
    spec = schema()
    for path in ("/outcomes/", "/risks/", "/periods/"):
        page = _check(client, spec, path, "200", page_size=5)
        while page.get("next"):
            page = _check(client, spec, path, "200", url=page["next"].replace("http://testserver", ""))
    outcome = _check(client, spec, "/outcomes/{outcome_id}/", "200")
    series_ids = set(re.findall(r'/api/series/([^/"?]+)/', json.dumps(outcome)))
    assert len(series_ids) > 5
    for sid in sorted(series_ids):
        _check(client, spec, "/series/{series_id}/", "200", url=f"/api/series/{sid}/")


@pytest.mark.parametrize(("path", "url", "status", "params"), [
    ("/outcomes/{outcome_id}/", "/api/outcomes/nowhere/", "404", {}),
    ("/series/{series_id}/", "/api/series/nothing/", "404", {}),
    ("/outcomes/", None, "400", {"page_size": "many"}),
    ("/periods/", None, "404", {"page": "999"}),
])
def test_errors_answer_as_the_schema_says(client, db_alias, path, url, status, params):
    data = _check(client, schema(), path, status, url=url, **params)
    assert data["status"] == int(status)
