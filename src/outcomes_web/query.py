"""What the public pages and the JSON API read from an address's query string, read once for both."""

from __future__ import annotations

from django.http import HttpRequest

from outcomes_web import adapter


def period_param(request: HttpRequest) -> str:
    """The canonical label of ``?period=`` ('Q3 17-18' gives 'Q3 2017-18'), or '' when none is given.

    Raises :class:`adapter.BadPeriod` with the reason when it is not a period; the pages answer that
    with their 400 page, the API with its JSON error.
    """
    text = request.GET.get("period", "").strip()
    return adapter.canonical_period(text) if text else ""
