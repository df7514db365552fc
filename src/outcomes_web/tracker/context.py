"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    path = request.path
    return {
        "service_name": "Outcomes Tracker",
        "nav": [
            {"label": "Outcomes", "href": "/", "current": path == "/" or path.startswith("/outcomes/")},
            {"label": "Risk register", "href": "/risks/", "current": path.startswith("/risks/")},
            {"label": "Search", "href": "/search/", "current": path.startswith("/search/")},
            {"label": "API", "href": "/api/", "current": path == "/api/"},
        ],
    }
