"""The second example, built from published DfE statistics, is served by the tracker.

Given examples/children-safeguarding stored (inside the test's transaction, on SQLite and PostgreSQL),
when its scorecard, indicator page and API record are asked for, then they answer with its content
and cite England, the region and the statistical neighbours.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db(databases="__all__")

SECOND_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "children-safeguarding"


def test_the_dfe_example_is_served(client, db_alias):
    from outcomes_web import adapter

    adapter.store_framework(adapter.load_dataset(SECOND_EXAMPLE))
    scorecard = client.get("/outcomes/dorset-children-safeguarding/")
    assert scorecard.status_code == 200
    html = scorecard.content.decode("utf-8")
    assert "Children looked after" in html and "Children in need" in html
    page = client.get("/outcomes/dorset-children-safeguarding/indicators/children-looked-after/")
    assert page.status_code == 200
    text = page.content.decode("utf-8")
    for name in ("England", "South West", "statistical neighbours"):
        assert name.lower() in text.lower(), name
    api = client.get("/api/outcomes/dorset-children-safeguarding/")
    assert api.status_code == 200 and api.json()["id"] == "dorset-children-safeguarding"
