"""manage.py export_dataset: the same as `outcomes export`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from outcomes_web.cli import run_export


class Command(BaseCommand):
    help = "Write the stored framework back out as a dataset folder. Same as `outcomes export`."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("directory")
        parser.add_argument("--outcome")
        parser.add_argument("--period")

    def handle(self, *args: Any, **options: Any) -> None:
        status = run_export(options["directory"], outcome=options["outcome"], period=options["period"],
                            echo=self.stdout.write, error=self.stderr.write)
        if status:
            raise CommandError("Nothing was exported.", returncode=status)
