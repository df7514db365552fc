"""The web tracker's command-line work: import a dataset, export one, serve the site.

``outcomes_web.commands`` (the ``outcomes import/export/serve`` commands) and the management commands
``import_dataset``/``export_dataset``/``serve`` call these. Django is set up here, on first use, from
the environment (``docs/settings.md``), so importing this module needs nothing but the standard library.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

Echo = Callable[[str], Any]


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def setup() -> None:
    """Configure Django from the environment (once)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outcomes_web.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


def ensure_database() -> None:
    """Create or update the database schema (``migrate``): quick when there is nothing to do."""
    from django.core.management import call_command
    from django.db import router

    from outcomes_web.store.models import Snapshot

    call_command("migrate", interactive=False, verbosity=0, database=router.db_for_write(Snapshot))


def database_label() -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"SQLite {db['NAME']}"
    return f"{db['ENGINE'].rsplit('.', 1)[-1]} database '{db['NAME']}' on {db.get('HOST') or 'localhost'}"


def run_import(dataset: str | Path, *, publish: bool = True, warm_reports: bool = False, echo: Echo = print,
               error: Echo = _err, problems_file: str | Path | None = None) -> int:
    """Load a dataset folder or workbook into the database, all or nothing. Returns the exit status:
    0 done, 2 the dataset has problems (each printed; nothing written).

    ``warm_reports`` builds each new snapshot's HTML and PDF report into the cache straight away, so
    no visitor waits for the first PDF (it takes seconds per outcome)."""
    setup()
    from outcomes_web import adapter

    try:
        loaded = adapter.load_dataset(dataset, problems_file=problems_file)
        ensure_database()
        result = adapter.store_framework(loaded, publish=publish)
    except adapter.DatasetProblems as exc:
        n = exc.total
        error(f"Cannot import {dataset}: {n} problem{'s' if n != 1 else ''} to fix. Nothing was written.")
        for line in exc.lines:
            error(line.replace("  - ", "  • ", 1) if line.startswith("  - ") else line)
        return 2
    fw = loaded.framework
    for snap in result.snapshots:
        outcome = next(o for o in fw.outcomes if o.id == snap.outcome_key)
        series = list(outcome.all_series())
        observations = sum(len(s.observations) + sum(len(v) for v in s.benchmark_observations.values())
                           for s in series)
        echo(f"Imported {outcome.id} ({outcome.title}) for {snap.reporting_period.label}: "
             f"{len(outcome.indicators)} population indicators, {sum(1 for _ in outcome.measures())} performance "
             f"measures, {len(series)} series, {observations} observations, {snap.risks.count()} risks — "
             f"revision {snap.revision}, {'published' if snap.published else 'draft'}.")
    if warm_reports:
        from outcomes_web.reports import builds

        for snap in result.snapshots:
            stored = adapter.load_outcome(snap)
            for fmt in ("html", "pdf"):
                built = builds.build_now(stored, fmt)
                if isinstance(built, builds.Failed):
                    error(f"Report for {snap.outcome_key} not built: {built.build.error}")
                    break
            else:
                echo(f"Built the HTML and PDF reports of {snap.outcome_key} for {snap.reporting_period.label}.")
    for old in result.archived:
        echo(f"Archived revision {old.revision} of {old.outcome_key} for {old.reporting_period.label} "
             "(kept, no longer shown).")
    echo(f"Database: {database_label()}")
    return 0


def run_export(directory: str | Path, *, outcome: str | None = None, period: str | None = None,
               echo: Echo = print, error: Echo = _err) -> int:
    """Write the stored framework (one reporting period) back as a dataset folder. 0 done, 2 refused."""
    setup()
    from outcomes_web import adapter

    target = Path(directory)
    if target.exists() and (not target.is_dir() or (any(target.iterdir()) and not (target / "framework.yaml").exists())):
        error(f"Will not export into {target}: it exists and is not a dataset folder. "
              "Choose a new or empty folder (an existing dataset folder is replaced).")
        return 2
    ensure_database()
    try:
        fw = adapter.framework_for_export(outcome_key=outcome, period=period)
    except (LookupError, adapter.BadPeriod) as exc:
        error(f"Cannot export: {exc}")
        return 2
    adapter.write_dataset_folder(fw, target)
    echo(f"Exported {', '.join(o.id for o in fw.outcomes)} for {fw.reporting_period} to {target.resolve()}")
    return 0


def run_backup(file: str | Path, *, echo: Echo = print, error: Echo = _err) -> int:
    """``outcomes backup FILE``: 0 done, 2 refused (the message says why and what to do)."""
    setup()
    from outcomes_web import backup

    try:
        done = backup.backup(file)
    except backup.BackupError as exc:
        error(f"Cannot back up: {exc}")
        return 2
    echo(f"Backed up {database_label()} to {done.path.resolve()} ({done.size:,} bytes).")
    return 0


def run_restore(file: str | Path, *, force: bool = False, echo: Echo = print, error: Echo = _err) -> int:
    """``outcomes restore FILE [--force]``: 0 done, 2 refused with nothing changed."""
    setup()
    from outcomes_web import backup

    try:
        done = backup.restore(file, force=force)
    except backup.BackupError as exc:
        error(f"Cannot restore: {exc}")
        return 2
    ensure_database()  # a backup from an older version: bring its tables up to date
    from outcomes_web import adapter

    adapter.clear_cache()
    echo(f"Restored {database_label()} from {done.path.resolve()}.")
    return 0


def local_secret_key() -> str:
    """The key in ``$OUTCOMES_DATA_DIR/secret_key``, made on first use (readable by its owner only), so
    sign-ins survive a restart of ``outcomes serve``. Production sets SECRET_KEY (docs/deploy.md)."""
    folder = Path(os.environ.get("OUTCOMES_DATA_DIR") or "var").expanduser()
    path = folder / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    folder.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def run_serve(*, host: str = "127.0.0.1", port: int = 8000, echo: Echo = print,
              demo_accounts: bool = False, workers: int = 2, threads: int = 4) -> None:
    """Create and migrate the database, import the bundled example if it is empty, and serve the site.

    gunicorn serves it (``workers`` processes of ``threads`` threads, as in docs/deploy.md) with
    WhiteNoise serving the static files, and a report worker (``outcomes worker``) runs beside it as a
    child process, so this one command is a whole small installation on one machine. Both stop on
    Ctrl+C. docs/deploy.md has the recipe for more than one machine.
    """
    if not os.environ.get("SECRET_KEY") and os.environ.get("DEBUG", "").lower() not in ("1", "true", "yes", "on"):
        os.environ["SECRET_KEY"] = local_secret_key()
    hosts = os.environ.get("ALLOWED_HOSTS")
    if hosts is None:
        os.environ["ALLOWED_HOSTS"] = ",".join(dict.fromkeys(["127.0.0.1", "localhost", "[::1]", host]))
    setup()
    from django.conf import settings
    from django.db import connections

    from outcomes_web import adapter
    from outcomes_web.store.models import Snapshot

    ensure_database()
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
    if not Snapshot.objects.exists():
        example = adapter.EXAMPLE
        if example.exists():
            echo(f"The database is empty: importing the bundled example ({example.name}).")
            run_import(example, echo=echo)
        else:
            echo("The database is empty; load a dataset with: outcomes import DATASET")
    if demo_accounts:
        from outcomes_web.workspace.accounts import DEMO_PASSWORD, create_demo_accounts

        accounts = create_demo_accounts()
        echo(f"Demo accounts (demo only; every one has the password {DEMO_PASSWORD!r}), sign in at /accounts/login/:")
        for a in accounts:
            echo(f"  {a.username:24} {a.role}" + (f": {', '.join(a.leads)}" if a.leads else ""))
    connections.close_all()  # gunicorn forks its workers from this process: no connection may cross
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    worker = subprocess.Popen([sys.executable, "-m", "outcomes_launcher", "worker"], env=os.environ.copy())
    echo("")
    echo(f"Outcomes Tracker is running at  http://{shown}:{port}/")
    echo(f"Database: {database_label()}. Served by gunicorn ({workers} workers × {threads} threads), reports built "
         f"by a worker (process {worker.pid}). Press Ctrl+C to stop.")
    echo("")
    try:
        serve_gunicorn(bind=f"{shown}:{port}", workers=workers, threads=threads)
    finally:
        _stop(worker)


def serve_gunicorn(*, bind: str, workers: int, threads: int, access_log: bool = False) -> None:
    """Run gunicorn in this process over the tracker's WSGI app (loaded once here, then forked)."""
    from gunicorn.app.base import BaseApplication

    from outcomes_web.wsgi import application

    options = {"bind": bind, "workers": workers, "threads": threads, "worker_class": "gthread",
               "timeout": 120, "graceful_timeout": 20, "accesslog": "-" if access_log else None,
               "errorlog": "-", "proc_name": "outcomes-tracker"}

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            # gunicorn 25.1+ opens a control socket at one fixed path per user ($HOME/.gunicorn/): two
            # `outcomes serve` on one machine would share it. Nothing here uses it.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self) -> Any:
            return application

    Server().run()


def _stop(process: subprocess.Popen[Any]) -> None:
    """Stop the report worker: on Ctrl+C it has had the signal too and finishes the report it is
    building; otherwise (or if it takes too long) it is asked, then made, to stop."""
    for wait, then in ((3, process.terminate), (60, process.kill)):
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            then()
    process.wait(timeout=10)


def run_worker(*, once: bool = False, interval: float = 1.0, echo: Echo = print) -> None:
    """Build reports (and any other queued work) from the database queue until stopped (``once``: until
    the queue is empty). Any number of workers may run, on any machine that reaches the database."""
    setup()
    ensure_database()
    from django.core.management import call_command

    echo(f"Report worker: taking work from the queue in {database_label()}." + (" Ctrl+C stops it." if not once else ""))
    args = ["db_worker", "--queue-name", "*", "--interval", str(interval), "--no-reload"]
    if once:
        args += ["--batch", "--no-startup-delay"]
    call_command(*args)


def run_adduser(username: str, *, role: str, name: str, email: str, leads: list[str], password: str,
                echo: Echo = print, error: Echo = _err) -> int:
    """Create or update an account with a role (and lead-officer assignments). 0 done, 2 refused."""
    setup()
    ensure_database()
    from django.contrib.auth import get_user_model, password_validation
    from django.core.exceptions import ValidationError
    from django.db import transaction

    from outcomes_web.workspace import accounts

    User = get_user_model()
    problems = []
    pairs = []
    for item in leads:
        outcome_key, _, key = item.partition("/")
        if not outcome_key or not key:
            problems.append(f"--lead {item!r}: write OUTCOME/ITEM, for example safe/child-protection.")
        else:
            pairs.append((outcome_key, key))
    user = User.objects.filter(username=username).first() or User(username=username)
    first, _, last = name.partition(" ")
    if name:
        user.first_name, user.last_name = first, last
    if email:
        user.email = email
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        problems.extend(f"password: {m}" for m in exc.messages)
    if problems:
        for p in problems:
            error(p)
        error("Nothing was saved.")
        return 2
    with transaction.atomic():
        user.set_password(password)
        user.save()
        accounts.set_role(user, accounts.ROLE_CHOICES[role])
        for outcome_key, key in pairs:
            accounts.assign(user, outcome_key, key)
    echo(f"{username}: {accounts.ROLE_CHOICES[role]}" + (f", lead officer of {', '.join(leads)}" if leads else ""))
    return 0


def run_remind(*, dry_run: bool = False, echo: Echo = print) -> None:
    setup()
    ensure_database()
    from outcomes_web.workspace.reminders import send_reminders

    for line in send_reminders(dry_run=dry_run):
        echo(line)
