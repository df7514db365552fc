"""Several authorities' datasets live in the tracker side by side.

Given LAIT data converted for Dorset and for Devon (each outcome id made from the area and the source),
when both are imported, then neither archives the other and both are served, by page and by API.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from outcomes.sources.build import build_framework
from outcomes.sources.lait import convert_lait, read_dictionary
from outcomes.sources.problems import Problems

pytestmark = pytest.mark.django_db(databases="__all__")

DATA = Path(__file__).resolve().parents[1] / "unit" / "sources" / "data"


def _framework(area: str):  # type: ignore[no-untyped-def]
    problems = Problems()
    raw, _ = convert_lait(DATA / "lait_sample.csv", area, problems,
                          dictionary=read_dictionary(DATA / "lait_dictionary.csv", problems))
    assert raw is not None, problems.items
    framework = build_framework(raw, problems)
    assert framework is not None and not problems, problems.items
    return framework


def test_two_authorities_imported_are_both_served(client, db_alias):
    from outcomes_web import adapter

    dorset, devon = _framework("838"), _framework("Devon")
    assert [o.id for o in dorset.outcomes] == ["dorset-lait"] and [o.id for o in devon.outcomes] == ["devon-lait"]
    first = adapter.store_framework(dorset)
    second = adapter.store_framework(devon)
    assert not first.archived and not second.archived
    for outcome, name in (("dorset-lait", "Dorset"), ("devon-lait", "Devon")):
        page = client.get(f"/outcomes/{outcome}/")
        assert page.status_code == 200, outcome
        assert name in page.content.decode("utf-8")
        api = client.get(f"/api/outcomes/{outcome}/")
        assert api.status_code == 200 and api.json()["id"] == outcome


def test_an_outcome_id_held_by_another_organisation_is_refused_and_nothing_is_written(client, db_alias):
    """Storing it would archive the first organisation's outcome as if the second superseded it."""
    from outcomes_web import adapter
    from outcomes_web.store import models as m

    first = _framework("838")
    adapter.store_framework(first)
    before = (m.Snapshot.objects.count(), m.ImportRecord.objects.count())
    other = _framework("838")
    other.organisation = "Somerset Council"
    with pytest.raises(adapter.DatasetProblems) as raised:
        adapter.store_framework(other)
    (problem,) = raised.value.problems
    assert "Outcome 'dorset-lait'" in problem and first.organisation in problem
    assert "'dorset-lait-somerset-council'" in problem and "the field 'id'" in problem
    assert (m.Snapshot.objects.count(), m.ImportRecord.objects.count()) == before
    kept = m.Snapshot.objects.get(outcome_key="dorset-lait")
    assert kept.archived_on is None and kept.organisation == first.organisation
    assert client.get("/outcomes/dorset-lait/").status_code == 200
    # the same organisation importing again still supersedes its own outcome
    again = adapter.store_framework(_framework("838"))
    assert [s.outcome_key for s in again.archived] == ["dorset-lait"]
