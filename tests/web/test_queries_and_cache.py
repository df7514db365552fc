"""No query per row: the scorecard and indicator pages run a fixed, small number of queries,
cold (framework rebuilt from the tables) and warm (from the process cache keyed by content hash)."""

from __future__ import annotations

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from outcomes_web import adapter
from outcomes_web.store import models as m

pytestmark = pytest.mark.django_db(databases="__all__")

# Cold: snapshot lookup + one query per table (areas, outcome, indicators, measures, series with
# their statements, figures, comparators, observations, narrative, risks, links, officers).
COLD = 16
WARM = 4


URLS = ["/outcomes/safe/", "/outcomes/safe/indicators/child-protection/",
        "/outcomes/safe/indicators/killed-seriously-injured/"]


@pytest.mark.parametrize("url", URLS)
def test_page_queries_are_bounded(client, db_alias, django_assert_max_num_queries, url):
    adapter.clear_cache()
    with django_assert_max_num_queries(COLD, using=db_alias):
        assert client.get(url).status_code == 200
    with django_assert_max_num_queries(WARM, using=db_alias):
        assert client.get(url).status_code == 200


def _count(client, alias: str, url: str) -> int:  # type: ignore[no-untyped-def]
    adapter.clear_cache()
    with CaptureQueriesContext(connections[alias]) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_rows(client, db_alias, example_path):
    """An outcome with another indicator and its series costs the same number of queries."""
    from dataclasses import replace

    adapter.store_framework(adapter.load_dataset(example_path))  # a revision, so both counts include the
    before = {url: _count(client, db_alias, url) for url in URLS}  # "what changed" comparison
    big = adapter.load_dataset(example_path).framework
    twin = replace(big.outcomes[0].indicators[0], id="child-protection-copy")
    twin.series = [replace(s, id=s.id + "-copy") for s in twin.series]
    for s in twin.series:
        s.observations = [replace(o, series_id=s.id) for o in s.observations]
    twin.measures = []
    big.outcomes[0].indicators.append(twin)
    adapter.store_framework(big)
    assert "Showing 30 of 30 series." in client.get("/outcomes/safe/").content.decode()
    assert {url: _count(client, db_alias, url) for url in URLS} == before


def test_cache_follows_the_snapshot_revision_and_hash(db_alias):
    snap = m.Snapshot.objects.public().get(outcome_key="safe", reporting_period__label="Q4 2017-18")
    first = adapter.load_outcome(snap)
    assert adapter.load_outcome(snap).framework is first.framework  # cached
    m.Snapshot.objects.filter(pk=snap.pk).update(revision=snap.revision + 1)  # another process changed it
    snap.refresh_from_db()
    again = adapter.load_outcome(snap)
    assert again.framework is not first.framework
    assert again.framework == first.framework
