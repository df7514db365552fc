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


def test_every_comparator_is_judged_on_the_page_and_in_the_api(client, db_alias):
    """Given the DfE example, when the indicator page and the series' API record are asked for, then both
    carry a judgement for England, the South West and the statistical neighbours (with the group's rank)."""
    from outcomes_web import adapter

    adapter.store_framework(adapter.load_dataset(SECOND_EXAMPLE))
    status = client.get("/api/series/children-looked-after/")
    assert status.status_code == 200
    records = status.json()["judgements"]["comparators"]
    assert [r["name"] for r in records] == ["England", "South West", "Statistical neighbours"]
    assert [r["kind"] for r in records] == ["benchmark", "benchmark", "group"]
    assert all(r["period"] == "2024-25" and r["method"] and r["reason"] for r in records)
    group = records[2]
    assert group["of"] == 11 and 1 <= group["rank"] <= 11 and group["median"] is not None
    page = client.get("/outcomes/dorset-children-safeguarding/indicators/children-looked-after/").content.decode("utf-8")
    for r in records:
        assert r["reason"].split(":")[0] in page  # each comparator's sentence, not only the headline one
    low, high = group["rank_interval"]
    assert low <= group["rank"] <= high and group["rank_text"] in page  # "4th of 11 (could be 3rd–5th)"

    download = client.get("/outcomes/dorset-children-safeguarding/indicators/children-looked-after/judgements.csv")
    cell = download.content.decode("utf-8-sig").splitlines()[1]
    assert "England: similar" in cell and "South West:" in cell and group["rank_text"] in cell
