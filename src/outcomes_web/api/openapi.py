"""The OpenAPI 3.1 description of the JSON API, written by hand (served at /api/openapi.json).

``tests/web/test_api.py`` validates it with openapi-spec-validator and checks that every API URL
is described and every response matches its schema's required keys.
"""

from __future__ import annotations

from typing import Any

VERSION = "1.0.0"

_NULLABLE_NUMBER = {"type": ["number", "null"]}
_NULLABLE_STRING = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _page(item: str) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "page", "page_size", "pages", "next", "previous", "results"],
        "properties": {
            "count": {"type": "integer", "description": "Items across all pages."},
            "page": {"type": "integer", "minimum": 1},
            "page_size": {"type": "integer", "minimum": 1, "maximum": 100},
            "pages": {"type": "integer", "minimum": 1},
            "next": {"type": ["string", "null"], "format": "uri", "description": "The next page, or null."},
            "previous": {"type": ["string", "null"], "format": "uri", "description": "The previous page, or null."},
            "results": {"type": "array", "items": _ref(item)},
        },
    }


PERIOD_PARAM = {
    "name": "period", "in": "query", "required": False,
    "description": "A reporting period in any accepted notation ('Q4 2017-18', 'Q4 17-18'). "
                   "Default: each outcome's latest published period.",
    "schema": {"type": "string"}, "example": "Q4 2017-18",
}
PAGE_PARAMS = [
    {"name": "page", "in": "query", "required": False, "description": "Page number, from 1.",
     "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "page_size", "in": "query", "required": False,
     "description": "Items per page (default OUTCOMES_API_PAGE_SIZE, 20; at most 100).",
     "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
]


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: dict[str, Any], description: str = "OK") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def schema(*, server: str = "/api") -> dict[str, Any]:
    """The OpenAPI document; ``server`` is the API's base URL as the client reached it."""
    verdict = {
        "type": "object",
        "required": ["judgement", "rag", "method", "reason"],
        "properties": {
            "judgement": {"type": "string", "description": "improving | similar | worsening | not assessed; "
                          "better | similar | worse | higher | lower | not compared"},
            "rag": {"type": ["string", "null"], "enum": ["R", "A", "G", None],
                    "description": "The RAG letter derived from the word; null when not assessed."},
            "method": {"type": "string", "description": "Method code (docs/methods.md)."},
            "method_label": {"type": "string"},
            "reason": {"type": "string", "description": "A sentence with the numbers."},
            "why": {"type": "string", "description": "Why this method was chosen."},
        },
    }
    observation = {
        "type": "object",
        "required": ["area", "period", "value", "status"],
        "properties": {
            "area": {"type": "string"}, "period": {"type": "string"},
            "period_start": {"type": "string", "format": "date"}, "period_end": {"type": "string", "format": "date"},
            "value": _NULLABLE_NUMBER, "numerator": _NULLABLE_NUMBER, "denominator": _NULLABLE_NUMBER,
            "lower95": _NULLABLE_NUMBER, "upper95": _NULLABLE_NUMBER, "lower998": _NULLABLE_NUMBER,
            "upper998": _NULLABLE_NUMBER, "status": {"type": "string", "enum": ["final", "provisional"]},
            "source": {"type": "string"}, "note": {"type": "string"}, "missing_reason": {"type": "string"},
        },
    }
    comparator_verdict = {
        "type": "object",
        "required": ["name", "kind", "period", "value", "judgement", "rag", "method", "reason"],
        "properties": {
            "name": _NULLABLE_STRING, "kind": {"type": "string", "enum": ["benchmark", "group"]},
            "area": _NULLABLE_STRING, "period": _NULLABLE_STRING,
            "value": {**_NULLABLE_NUMBER, "description": "The benchmark figure, or the group median."},
            "home_value": _NULLABLE_NUMBER, "judgement": {"type": "string"}, "rag": _NULLABLE_STRING,
            "method": {"type": "string"}, "method_label": {"type": "string"}, "reason": {"type": "string"},
            "rank": {"type": ["integer", "null"], "description": "Group only: 1 = best by polarity."},
            "of": {"type": ["integer", "null"], "description": "Group only: areas ranked, the home area included."},
            "quartile": {"type": ["integer", "null"], "description": "Group only: 1 = best quarter."},
            "median": {**_NULLABLE_NUMBER, "description": "Group only: the members' median."},
            "rank_interval": {"type": ["array", "null"], "items": {"type": "integer"}, "minItems": 2, "maxItems": 2,
                              "description": "Group only: the rank's 95% interval [best, worst], simulated from "
                                             "every area's confidence interval; null without intervals."},
            "rank_text": {"type": "string", "description": "Group only: '4th of 11 (could be 2nd–7th)'."},
        },
    }
    person = {"type": "object", "required": ["name", "role"],
              "properties": {"name": {"type": "string"}, "role": {"type": "string"}}}
    series_summary = {
        "type": "object",
        "required": ["id", "title", "kind", "unit", "polarity", "period_kind", "latest", "trend", "comparator", "url"],
        "properties": {
            "id": {"type": "string", "description": "The dataset's series id: stable across imports."},
            "title": {"type": "string"}, "short_title": {"type": "string"},
            "kind": {"type": "string", "enum": ["population_indicator", "performance_measure"]},
            "unit": {"type": "object", "properties": {"type": {"type": "string"}, "per": {"type": ["integer", "null"]},
                                                      "label": {"type": "string"}}},
            "polarity": {"type": ["string", "null"], "enum": ["higher-is-better", "lower-is-better", "no-judgement", None]},
            "period_kind": {"type": "string"},
            "latest": {"type": ["object", "null"], "properties": {
                "period": {"type": "string"}, "value": _NULLABLE_NUMBER, "status": {"type": "string"}}},
            "trend": _ref("Verdict"), "comparator": _ref("Verdict"),
            "focus_rank": {"type": ["integer", "null"]},
            "url": {"type": "string", "format": "uri"},
        },
    }
    period = {"type": "object", "required": ["label", "kind", "start", "end"], "properties": {
        "label": {"type": "string"}, "kind": {"type": "string"},
        "start": {"type": "string", "format": "date"}, "end": {"type": "string", "format": "date"}}}
    outcome_summary = {
        "type": "object",
        "required": ["id", "title", "organisation", "reporting_period", "revision", "counts", "url", "html_url"],
        "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "organisation": {"type": "string"},
            "reporting_period": _ref("Period"), "revision": {"type": "integer"},
            "published_on": {"type": ["string", "null"], "format": "date-time",
                             "description": "When this revision was published."},
            "revision_reason": {"type": "string",
                                "description": "Why this revision corrected the one before (empty for the first)."},
            "content_hash": {"type": "string", "description": "Changes whenever the outcome's data changes."},
            "counts": {"type": "object", "properties": {
                "indicators": {"type": "integer"}, "measures": {"type": "integer"}, "series": {"type": "integer"},
                "trend": {"type": "object", "additionalProperties": {
                    "type": "object", "additionalProperties": {"type": "integer"}}}}},
            "url": {"type": "string", "format": "uri"}, "html_url": {"type": "string", "format": "uri"},
        },
    }
    outcome_detail = {
        "allOf": [_ref("OutcomeSummary"), {
            "type": "object",
            "required": ["sponsor", "lead_officers", "introduction", "published_summary", "indicators",
                         "unassigned_risks", "periods"],
            "properties": {
                "sponsor": {"oneOf": [_ref("Person"), {"type": "null"}]},
                "lead_officers": {"type": "array", "items": _ref("Person")},
                "contacts": {"type": "array", "items": _ref("Person")},
                "introduction": {"type": "string"},
                "published_summary": {"type": "object"},
                "periods": {"type": "array", "items": {"type": "string"}},
                "indicators": {"type": "array", "items": {
                    "type": "object", "required": ["id", "number", "title", "series", "measures"],
                    "properties": {
                        "id": {"type": "string"}, "number": {"type": "string"}, "title": {"type": "string"},
                        "section": {"type": "string"}, "lead_officers": {"type": "array", "items": _ref("Person")},
                        "html_url": {"type": "string", "format": "uri"},
                        "series": {"type": "array", "items": _ref("SeriesSummary")},
                        "measures": {"type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "string"}, "title": {"type": "string"},
                            "lead_officers": {"type": "array", "items": _ref("Person")},
                            "series": {"type": "array", "items": _ref("SeriesSummary")}}}},
                    }}},
                "unassigned_risks": {"type": "array", "items": {"type": "string"}},
            },
        }],
    }
    series_detail = {
        "allOf": [_ref("SeriesSummary"), {
            "type": "object",
            "required": ["outcome", "indicator", "reporting_period", "comparators", "published", "observations",
                         "benchmark_observations", "judgements"],
            "properties": {
                "outcome": {"type": "string"}, "indicator": {"type": "string"}, "parent": {"type": "string"},
                "reporting_period": _ref("Period"), "definition": {"type": "string"}, "source": {"type": "string"},
                "breaks": {"type": "array", "items": {"type": "string"}},
                "lead_officers": {"type": "array", "items": _ref("Person")},
                "target": {"type": ["object", "null"]},
                "comparators": {"type": "array", "items": {"type": "object", "required": ["name", "kind"],
                                                            "properties": {"name": {"type": "string"},
                                                                           "area": _NULLABLE_STRING,
                                                                           "kind": {"type": "string"},
                                                                           "value": _NULLABLE_NUMBER,
                                                                           "period": _NULLABLE_STRING,
                                                                           "home_value": _NULLABLE_NUMBER,
                                                                           "basis": {"type": "string"},
                                                                           "members": {"type": "array",
                                                                                       "items": {"type": "string"}},
                                                                           "note": {"type": "string"}}}},
                "published": {"type": "object", "description": "What the published report said."},
                "observations": {"type": "array", "items": _ref("Observation")},
                "benchmark_observations": {"type": "object",
                                           "additionalProperties": {"type": "array", "items": _ref("Observation")}},
                "judgements": {"type": "object", "required": ["trend", "comparator", "comparators"], "properties": {
                    "trend": _ref("Verdict"), "comparator": _ref("Verdict"),
                    "comparators": {"type": "array", "items": _ref("ComparatorVerdict"),
                                    "description": "Every benchmark and group, in the series' order; "
                                                   "'comparator' is the headline one."},
                    "current_run": {"type": "string"}, "focus_rank": {"type": ["integer", "null"]},
                    "spc": {"type": "string"},
                    "detail": {"type": ["object", "null"],
                               "description": "The judgement engine's full record of the series."}}},
                "html_url": {"type": "string", "format": "uri"},
            },
        }],
    }
    risk = {
        "type": "object",
        "required": ["id", "title", "score", "trend", "outcome", "reporting_period", "indicators"],
        "properties": {
            "id": {"type": "string", "description": "The risk register's id."},
            "title": {"type": "string"}, "score": {"type": "string", "enum": ["HIGH", "MEDIUM", "LOW"]},
            "trend": {"type": "string", "enum": ["improving", "unchanged", "worsening", "new"]},
            "trend_as_published": {"type": "string"},
            "likelihood": {"type": ["integer", "null"]}, "impact": {"type": ["integer", "null"]},
            "owner": {"type": "string"}, "outcome": {"type": "string"}, "reporting_period": {"type": "string"},
            "focus": {"type": ["object", "null"]},
            "indicators": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "string"}, "title": _NULLABLE_STRING, "html_url": _NULLABLE_STRING}}},
        },
    }
    not_found = _error("Nothing published with that id (for that period).")
    bad = _error("A parameter could not be read; the message says how to write it.")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Outcomes Tracker API",
            "version": VERSION,
            "summary": "Read-only access to published outcomes, indicators, series, judgements and risks.",
            "description": "Ids are the dataset's own and stable across imports. See docs/web.md.",
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server}],
        "paths": {
            "/outcomes/": {"get": {
                "operationId": "listOutcomes", "summary": "List published outcomes",
                "description": "Each outcome at its latest published period, or at ?period=.",
                "parameters": [PERIOD_PARAM, *PAGE_PARAMS],
                "responses": {"200": _ok(_ref("OutcomePage")), "400": bad, "404": _error("No such page.")},
            }},
            "/outcomes/{outcome_id}/": {"get": {
                "operationId": "getOutcome", "summary": "One outcome with its indicators, measures and series",
                "parameters": [{"name": "outcome_id", "in": "path", "required": True, "schema": {"type": "string"},
                                "example": "safe"}, PERIOD_PARAM],
                "responses": {"200": _ok(_ref("OutcomeDetail")), "400": bad, "404": not_found},
            }},
            "/series/{series_id}/": {"get": {
                "operationId": "getSeries", "summary": "One series: observations and judgements",
                "parameters": [{"name": "series_id", "in": "path", "required": True, "schema": {"type": "string"},
                                "example": "child-protection"}, PERIOD_PARAM],
                "responses": {"200": _ok(_ref("SeriesDetail")), "400": bad, "404": not_found},
            }},
            "/risks/": {"get": {
                "operationId": "listRisks", "summary": "The corporate risk register",
                "description": "Risks of the outcomes shown, highest score first.",
                "parameters": [
                    PERIOD_PARAM,
                    {"name": "score", "in": "query", "schema": {"type": "string", "enum": ["HIGH", "MEDIUM", "LOW"]}},
                    {"name": "trend", "in": "query",
                     "schema": {"type": "string", "enum": ["improving", "unchanged", "worsening", "new"]}},
                    {"name": "outcome", "in": "query", "schema": {"type": "string"}},
                    {"name": "linked", "in": "query", "description": "yes: linked to an indicator; no: unassigned.",
                     "schema": {"type": "string", "enum": ["yes", "no"]}},
                    {"name": "q", "in": "query", "description": "Text in the id, title or owner.",
                     "schema": {"type": "string"}},
                    *PAGE_PARAMS,
                ],
                "responses": {"200": _ok(_ref("RiskPage")), "400": bad, "404": _error("No such page.")},
            }},
            "/periods/": {"get": {
                "operationId": "listPeriods", "summary": "Reporting periods with published data",
                "parameters": PAGE_PARAMS,
                "responses": {"200": _ok(_ref("PeriodPage")), "400": bad, "404": _error("No such page.")},
            }},
            "/openapi.json": {"get": {
                "operationId": "getSchema", "summary": "This OpenAPI document",
                "responses": {"200": _ok({"type": "object"})},
            }},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error", "status"],
                      "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
            "Period": period,
            "Person": person,
            "Verdict": verdict,
            "ComparatorVerdict": comparator_verdict,
            "Observation": observation,
            "SeriesSummary": series_summary,
            "SeriesDetail": series_detail,
            "OutcomeSummary": outcome_summary,
            "OutcomeDetail": outcome_detail,
            "Risk": risk,
            "OutcomePage": _page("OutcomeSummary"),
            "RiskPage": _page("Risk"),
            "PeriodPage": _page("Period"),
        }},
    }
