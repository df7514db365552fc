"""The tracker's comparison across authorities gives each authority its decile (or quintile).

Given the LAIT sample converted for Dorset (tests/unit/sources/data, as in test_many_authorities.py)
and stored again under other organisation names with other latest figures, when the shared
indicator's page is asked for, then each authority's decile (from ten authorities) or quintile (from
five) is shown, 1 = best by the series' polarity, exactly as ``outcomes.stats.quantile_groups``
assigns them; with fewer than five authorities no quantile column appears.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

import bs4
import pytest

from outcomes.model import Observation, Polarity
from outcomes.sources.build import build_framework
from outcomes.sources.lait import convert_lait, read_dictionary
from outcomes.sources.problems import Problems
from outcomes.stats import quantile_groups

pytestmark = pytest.mark.django_db(databases="__all__")

DATA = Path(__file__).resolve().parents[1] / "unit" / "sources" / "data"
CLA = "/outcomes/authority-0-lait/indicators/lait-cla-rate/"


def _dorset():  # type: ignore[no-untyped-def]
    problems = Problems()
    raw, _ = convert_lait(DATA / "lait_sample.csv", "838", problems,
                          dictionary=read_dictionary(DATA / "lait_dictionary.csv", problems))
    assert raw is not None, problems.items
    framework = build_framework(raw, problems)
    assert framework is not None and not problems, problems.items
    return framework


def _store_authorities(values: list[float | None]) -> None:
    from outcomes_web import adapter

    base = _dorset()
    for i, value in enumerate(values):
        fw = copy.deepcopy(base)
        fw.organisation = f"Authority {i}"
        fw.report = dataclasses.replace(fw.report, organisation=fw.organisation)
        fw.outcomes[0].id = f"authority-{i}-lait"
        cla = next(s for s in fw.all_series() if s.id == "lait-cla-rate")
        cla.polarity = Polarity.LOWER_IS_BETTER
        latest = [o for o in cla.observations if o.area == fw.home_area.code][-1]
        others = [o for o in cla.observations if o.area != fw.home_area.code]
        cla.observations = [*others, Observation(series_id=cla.id, area=fw.home_area.code, period=latest.period,
                                                 value=value)] if value is not None else others
        adapter.store_framework(fw)


def _table(client) -> tuple[list[str], dict[str, str]]:  # type: ignore[no-untyped-def]
    soup = bs4.BeautifulSoup(client.get(CLA).content, "html.parser")
    table = soup.select_one("#authorities table")
    assert table is not None
    head = [th.get_text(strip=True) for th in table.select("thead th")]
    column = len(head) - 1
    rows = {}
    for tr in table.select("tbody tr"):
        cells = tr.select("th, td")
        name = tr.select_one("th strong, th a").get_text(strip=True)
        rows[name] = cells[column].get_text(strip=True)
    return head, rows


def test_ten_or_more_authorities_get_deciles_as_quantile_groups(client, db_alias):
    values = [66.0, 49.0, 80.0, 55.0, 49.0, 71.0, 90.0, 38.0, 62.0, 75.0, 58.0, None]
    _store_authorities(values)
    head, rows = _table(client)
    assert head[-1] == "Decile"
    expected = quantile_groups([v if v is not None else float("nan") for v in values], groups=10, invert=False)
    for i, want in enumerate(expected):
        shown = rows[f"Authority {i}"]
        assert shown == ("–" if want != want else str(int(want))), i
    assert rows["Authority 7"] == "1" and rows["Authority 6"] == "10"  # 38 is best (lower is better), 90 worst
    assert rows["Authority 1"] == rows["Authority 4"]  # equal figures share a decile


def test_five_to_nine_authorities_get_quintiles_and_fewer_get_none(client, db_alias):
    _store_authorities([66.0, 49.0, 80.0, 55.0, 70.0, 61.0])
    head, rows = _table(client)
    assert head[-1] == "Quintile"
    # worked by hand with phe_quantile's formula: N = 6, ranks (lower is better) 49→1, 55→2, 61→3,
    # 66→4, 70→5, 80→6; quintile = floor(6 − ceil((7 − r) / 1.2)), 0 → 1
    assert [rows[f"Authority {i}"] for i in range(6)] == ["3", "1", "5", "1", "4", "2"]


def test_four_authorities_get_no_quantile(client, db_alias):
    _store_authorities([66.0, 49.0, 80.0, 55.0])
    head, _ = _table(client)
    assert head[-1] == "95% interval"
