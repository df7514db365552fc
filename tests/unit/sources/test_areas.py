"""Areas: the succession table, stitching plans, resolving codes and a value's place in its group."""

from __future__ import annotations

import pytest

from outcomes.model import Period, Polarity
from outcomes.sources.areas import (
    AreaDirectory,
    group_position,
    load_successions,
    parse_successions,
    stitch_plan,
)


def test_the_succession_table_names_dorset_and_bcp():
    table = {(s.successor.code, s.kind): s for s in load_successions()}
    dorset = table[("E06000059", "boundary")]
    assert [a.code for a in dorset.predecessors] == ["E10000009"] and dorset.predecessor_las == ("835",)
    assert str(dorset.first_period) == "2019-20" and dorset.is_break
    bcp = table[("E06000058", "merge")]
    assert sorted(a.code for a in bcp.predecessors) == ["E06000028", "E06000029"] and bcp.successor_la == "839"
    assert not table[("E06000060", "recode")].is_break


def test_dorset_stitches_across_2019_20_with_a_break():
    plan = stitch_plan("E06000059")
    assert plan.codes_for(Period.parse("2018-19")) == ("E10000009",)
    assert plan.codes_for(Period.parse("2019-20")) == ("E06000059",)
    assert [str(p) for p in plan.breaks] == ["2019-20"]


def test_bcp_sums_bournemouth_and_poole_before_the_merger():
    plan = stitch_plan("E06000058")
    assert plan.codes_for(Period.parse("2015-16")) == ("E06000028", "E06000029")
    assert plan.codes_for(Period.parse("2020-21")) == ("E06000058",)


def test_a_split_is_not_stitched_and_a_recode_has_no_break():
    north = stitch_plan("E06000061")
    assert north.segments == () and [s.kind for s in north.not_stitched] == ["split"]
    bucks = stitch_plan("E06000060")
    assert bucks.codes_for(Period.parse("2019-20")) == ("E10000002",) and bucks.breaks == ()


def test_an_area_without_successions_is_itself():
    assert stitch_plan("E09000007").codes_for(Period.parse("2012-13")) == ("E09000007",)


def test_a_malformed_succession_table_names_the_entry():
    with pytest.raises(ValueError, match=r"successions\[0\]\.kind"):
        parse_successions({"successions": [{"predecessors": [{"code": "A"}], "successor": {"code": "B"},
                                            "from": "2019-20", "kind": "renamed"}]})


def test_the_directory_resolves_ons_codes_and_la_numbers_to_the_latest_code():
    d = AreaDirectory()
    d.add("E10000027", "Somerset", la="933", level="Local authority", period="2023")
    d.add("E06000066", "Somerset", la="933", level="Local authority", period="2025", region="E12000009",
          region_name="South West")
    d.add("E09000007", "Camden", la="202", level="Local authority", period="2025", region="E13000001",
          region_name="Inner London")
    assert d.resolve("933").code == "E06000066"
    assert d.resolve("e10000027").code == "E10000027"
    assert d.get("E09000007").region == "E12000007"  # Inner London boroughs belong to the London region
    assert d.resolve("999") is None
    assert "E06000066" in d.suggestion("Somerst")


def test_group_position_ranks_by_polarity_and_gives_the_members_median():
    lower = group_position(20.0, [10.0, 30.0, 25.0, None], polarity=Polarity.LOWER_IS_BETTER)
    assert (lower.rank, lower.of, lower.quartile, lower.median) == (2, 4, 2, 25.0)
    higher = group_position(20.0, [10.0, 30.0, 25.0], polarity=Polarity.HIGHER_IS_BETTER)
    assert higher.rank == 3 and higher.quartile == 3
    assert "highest first" in group_position(5.0, [1.0], polarity=None).describe(None)
    assert group_position(None, [1.0], polarity=None) is None
