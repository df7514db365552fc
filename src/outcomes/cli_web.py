"""The web tracker's commands for ``outcomes``: ``import``, ``export``, ``serve``, ``adduser`` and
``remind``.

They need the web extra (``pip install -e '.[web]'``). The work is done by ``outcomes_web.cli``,
imported only when a command runs, so importing the library never imports Django.
"""

from __future__ import annotations

import importlib
from typing import Any

import click


def _web() -> Any:
    try:
        module = importlib.import_module("outcomes_web.cli")
        importlib.import_module("django")
    except ImportError:
        raise click.ClickException("the web tracker is not installed: pip install -e '.[web]'.") from None
    return module


@click.command("import")
@click.argument("dataset", type=click.Path())
@click.option("--draft", is_flag=True, help="Store it unpublished (not shown on the public pages).")
@click.option("--warm-reports", is_flag=True, help="Build the HTML and PDF reports now, so no visitor waits.")
@click.option("--problems", "problems_file", type=click.Path(dir_okay=False),
              help="Also write every problem found, one a line, to this text file (the screen shows the first "
                   "of each kind and a count by kind).")
def import_(dataset: str, draft: bool, warm_reports: bool, problems_file: str | None) -> None:
    """Load DATASET (a folder or .xlsx workbook) into the tracker's database.

    All or nothing: if the dataset has problems they are listed, nothing is written, and the exit
    status is 2. A dataset for an outcome and reporting period already stored replaces it as a new
    revision; the old one is archived, not deleted. The database is DATABASE_URL, or SQLite in
    OUTCOMES_DATA_DIR (default ./var/outcomes.sqlite3); see docs/settings.md.
    """
    raise SystemExit(_web().run_import(dataset, publish=not draft, warm_reports=warm_reports, echo=click.echo,
                                       error=lambda text: click.echo(text, err=True), problems_file=problems_file))


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--outcome", "outcome", help="Only this outcome (its id).")
@click.option("--period", help="Reporting period, e.g. 'Q4 2017-18' (default: the latest stored).")
def export(directory: str, outcome: str | None, period: str | None) -> None:
    """Write the stored framework back out as a dataset folder in DIRECTORY.

    DIRECTORY must be new, empty, or an earlier dataset folder (which is replaced).
    """
    raise SystemExit(_web().run_export(directory, outcome=outcome, period=period, echo=click.echo,
                                       error=lambda text: click.echo(text, err=True)))


@click.command("serve")
@click.option("--port", default=8000, show_default=True, help="Port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--demo-accounts", is_flag=True,
              help="Demo only: make demo accounts (one shared, published password) for the example.")
def serve(port: int, host: str, demo_accounts: bool = False) -> None:
    """Serve the web tracker (creating the database and loading the bundled example on first run).

    A development server for this machine; docs/deploy.md has the production recipe.
    """
    _web().run_serve(host=host, port=port, echo=click.echo, demo_accounts=demo_accounts)


ROLES = ("admin", "performance", "lead", "viewer")


@click.command("adduser")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="admin: everything; performance: the performance team; lead: a lead officer; "
                   "viewer: reads drafts.")
@click.option("--name", default="", help="Full name, as shown on returns and in the audit log.")
@click.option("--email", default="", help="E-mail address, for reminders.")
@click.option("--lead", "leads", multiple=True, metavar="OUTCOME/ITEM",
              help="Make the user lead officer of an indicator or measure (repeat for more).")
def adduser(username: str, role: str, name: str, email: str, leads: tuple[str, ...]) -> None:
    """Create or update a workspace account; asks for the password (or reads OUTCOMES_PASSWORD).

    The password must pass the site's rules (12 characters or more, not common, not all digits,
    not like the user name, and hard to guess by zxcvbn's estimate); it is stored as an Argon2
    hash.
    """
    import os

    password = os.environ.get("OUTCOMES_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    status = _web().run_adduser(username, role=role, name=name, email=email, leads=list(leads),
                                password=password, echo=click.echo, error=lambda t: click.echo(t, err=True))
    raise SystemExit(status)


@click.command("remind")
@click.option("--dry-run", is_flag=True, help="Say who would be e-mailed; send nothing.")
def remind(dry_run: bool) -> None:
    """E-mail lead officers the returns they still have to submit (EMAIL_BACKEND; console by default)."""
    _web().run_remind(dry_run=dry_run, echo=click.echo)
