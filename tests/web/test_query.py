"""?period= read once for the public pages and the JSON API (outcomes_web.query)."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from outcomes_web import adapter
from outcomes_web.query import period_param


@pytest.mark.parametrize(("query", "label"), [
    ({}, ""), ({"period": "  "}, ""), ({"period": "Q3 17-18"}, "Q3 2017-18"), ({"period": " 2017/18 "}, "2017-18"),
])
def test_the_canonical_label_or_nothing(query: dict[str, str], label: str) -> None:
    assert period_param(RequestFactory().get("/", query)) == label


def test_not_a_period_is_bad_period_with_the_reason() -> None:
    with pytest.raises(adapter.BadPeriod, match="is not a period I recognise"):
        period_param(RequestFactory().get("/", {"period": "Q9"}))
