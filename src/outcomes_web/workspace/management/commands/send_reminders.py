"""manage.py send_reminders: e-mail lead officers the returns they still owe."""

from typing import Any

from django.core.management.base import BaseCommand

from outcomes_web.workspace.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail each lead officer the returns they still have to submit in open periods."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Say who would be e-mailed; send nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        for line in send_reminders(dry_run=options["dry_run"]):
            self.stdout.write(line)
