"""WSGI entry point: ``gunicorn outcomes_web.wsgi``."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outcomes_web.settings")

application = get_wsgi_application()

from outcomes_web.adapter import warm_imports  # noqa: E402 - needs Django set up

warm_imports()  # each worker imports numpy/scipy/charts at start-up, not in its first request
