"""The read-only JSON API and its OpenAPI 3 schema."""
