"""manage.py create_demo_accounts: the demonstration's accounts (never for production)."""

from typing import Any

from django.core.management.base import BaseCommand

from outcomes_web.workspace.accounts import DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "Demo only: make an administrator, a performance officer, a viewer and the examples' lead officers."

    def handle(self, *args: Any, **options: Any) -> None:
        for a in create_demo_accounts():
            leads = f" leads {', '.join(a.leads)}" if a.leads else ""
            self.stdout.write(f"{a.username:28} {a.role}{leads}")
        self.stdout.write(f"Every demo account's password is {DEMO_PASSWORD!r} (demo only).")
