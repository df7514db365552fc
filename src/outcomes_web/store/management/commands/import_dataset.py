"""manage.py import_dataset: the same as `outcomes import`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from outcomes_web.cli import run_import


class Command(BaseCommand):
    help = "Load a dataset folder or workbook into the database (all or nothing). Same as `outcomes import`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("dataset")
        parser.add_argument("--draft", action="store_true", help="Store it unpublished.")
        parser.add_argument("--warm-reports", action="store_true", help="Build the reports into the cache now.")

    def handle(self, *args: Any, **options: Any) -> None:
        status = run_import(options["dataset"], publish=not options["draft"], warm_reports=options["warm_reports"], echo=self.stdout.write,
                            error=self.stderr.write)
        if status:
            raise CommandError("The dataset was not imported.", returncode=status)
