"""The web tracker's commands for ``outcomes``: ``import``, ``export``, ``serve``, ``worker``,
``backup``, ``restore``, ``adduser`` and ``remind``.

They need the web extra (``pip install -e '.[web]'``). The work is done by :mod:`outcomes_web.cli`,
imported only when a command runs, so listing the commands (``outcomes --help``) needs only click.
:mod:`outcomes_launcher` adds :data:`COMMANDS` to the library's ``outcomes`` group; the library
itself never names this package.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import click


def _web() -> ModuleType:
    try:
        import django  # noqa: F401  (the web extra is installed)

        from outcomes_web import cli
    except ImportError:
        raise click.ClickException("the web tracker is not installed: pip install -e '.[web]'.") from None
    return cli


# The same option as the library's converters have (outcomes.cli_data.PROBLEMS_OPTION); written here
# because this package reaches the library only through its adapter.
PROBLEMS_OPTION = click.option(
    "--problems", "problems_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every problem to this CSV file (file, location, field, message, fix, kind; it opens in "
         "Excel). The screen lists every problem when there are few, else each kind with its count and first "
         "examples.")


@click.command("import")
@click.argument("dataset", type=click.Path())
@click.option("--draft", is_flag=True, help="Store it unpublished (not shown on the public pages).")
@click.option("--warm-reports", is_flag=True, help="Build the HTML and PDF reports now, so no visitor waits.")
@PROBLEMS_OPTION
def import_(dataset: str, draft: bool, warm_reports: bool, problems_file: Path | None) -> None:
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
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1, 64),
              help="gunicorn worker processes (about two per core).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64), help="Threads per worker.")
@click.option("--demo-accounts", is_flag=True,
              help="Demo only: make demo accounts (one shared, published password) for the example.")
def serve(port: int, host: str, workers: int = 2, threads: int = 4, demo_accounts: bool = False) -> None:
    """Serve the web tracker (creating the database and loading the bundled example on first run).

    gunicorn serves the site and a report worker runs beside it, so this one command is a complete
    installation on one machine. docs/deploy.md has the recipe for HTTPS, PostgreSQL and more than
    one server.
    """
    _web().run_serve(host=host, port=port, echo=click.echo, demo_accounts=demo_accounts, workers=workers,
                     threads=threads)


@click.command("worker")
@click.option("--once", is_flag=True, help="Do what is queued now, then stop (for cron or a test).")
@click.option("--interval", default=1.0, show_default=True, type=click.FloatRange(0.1, 60),
              help="Seconds between looks at an empty queue.")
def worker(once: bool, interval: float) -> None:
    """Build reports in the background: take work from the queue in the database until stopped.

    The site queues a report when someone first asks for it and serves it once a worker has built
    it. Run one or more workers on any machine that reaches the database (`outcomes serve` runs one
    itself). See docs/deploy.md.
    """
    _web().run_worker(once=once, interval=interval, echo=click.echo)


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False))
def backup(file: str) -> None:
    """Copy the whole tracker database into FILE (replaced only when the copy is complete).

    Safe while the site is running. SQLite: SQLite's online backup (FILE is itself a SQLite
    database). PostgreSQL: pg_dump's custom format (needs the PostgreSQL client tools). The report
    cache needs no backup. Restore with `outcomes restore FILE`; see docs/deploy.md.
    """
    raise SystemExit(_web().run_backup(file, echo=click.echo, error=lambda t: click.echo(t, err=True)))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
def restore(file: str, force: bool) -> None:
    """Replace the tracker database with the backup in FILE: all of it, or nothing.

    Refuses a database that already holds data unless --force is given. The file is checked first;
    a file that is not a backup, is damaged, or is for the other kind of database changes nothing.
    Stop the site (and its workers) while restoring.
    """
    raise SystemExit(_web().run_restore(file, force=force, echo=click.echo,
                                        error=lambda t: click.echo(t, err=True)))


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


COMMANDS: tuple[click.Command, ...] = (import_, export, serve, worker, backup, restore, adduser, remind)
