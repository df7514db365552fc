"""manage.py serve: the same as `outcomes serve`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from outcomes_web.cli import run_serve


class Command(BaseCommand):
    help = "Migrate, import the bundled example if the database is empty, and serve. Same as `outcomes serve`."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args: Any, **options: Any) -> None:
        run_serve(host=options["host"], port=options["port"], echo=self.stdout.write)
