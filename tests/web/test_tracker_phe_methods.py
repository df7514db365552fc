"""The tracker shows what a series' stored method, inputs and breakdowns give: the ISR's interval and
the slope index of inequality (examples/healthy-phe-methods, imported into the store).

Given the worked example stored in the database, when the indicator pages are asked for, then the
ISR page's table shows the interval computed from the age-band inputs, and the deprivation-decile
series' page says its slope index of inequality in the report's own words.
"""

from __future__ import annotations

from pathlib import Path

import bs4
import pytest

from outcomes.report.view import inequality_text
from outcomes.sources import load_dataset

pytestmark = pytest.mark.django_db(databases="__all__")

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "healthy-phe-methods"


def _page(client, indicator: str) -> bs4.BeautifulSoup:  # type: ignore[no-untyped-def]
    response = client.get(f"/outcomes/healthy/indicators/{indicator}/")
    assert response.status_code == 200
    return bs4.BeautifulSoup(response.content, "html.parser")


def _store() -> None:
    from outcomes_web import adapter

    adapter.store_framework(adapter.load_dataset(EXAMPLE))


def test_the_deciles_series_shows_its_sii_as_the_report_words_it(client, db_alias):
    _store()
    framework = load_dataset(EXAMPLE)
    series = framework.series_by_id()["life-expectancy-male-deciles"]
    expected = inequality_text(series, framework.home_area.code)
    assert expected.startswith("Slope index of inequality across 10")
    soup = _page(client, "life-expectancy-male-deciles")
    rows = {dt.get_text(strip=True): dd.get_text(" ", strip=True) for dt, dd in
            ((row.select_one("dt"), row.select_one("dd")) for row in soup.select(".summary-list__row"))}
    assert rows["Inequality"] == expected


def test_the_isr_page_shows_the_interval_computed_from_the_inputs(client, db_alias):
    _store()
    framework = load_dataset(EXAMPLE)
    latest = [o for o in framework.series_by_id()["mortality-isr"].observations if o.value is not None][-1]
    assert latest.derived and latest.interval_method == "isr" and latest.lower95 is not None
    text = _page(client, "mortality-isr").get_text(" ", strip=True)
    unit = framework.series_by_id()["mortality-isr"].unit
    assert f"{unit.format(latest.lower95)} to {unit.format(latest.upper95)}" in text
    assert "Inequality" not in [dt.get_text(strip=True) for dt in _page(client, "mortality-isr").select("dt")]
