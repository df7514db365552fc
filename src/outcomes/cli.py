"""The ``outcomes`` command: a thin shell over library calls.

Every command takes a dataset (a folder or an .xlsx workbook). A user's mistake gets a message that
names the file, row, field and fix, and exit code 2 — never a traceback.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from outcomes.cli_bulk import bulk
from outcomes.cli_data import PROBLEMS_OPTION, convert, export_data
from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE
from outcomes.model import Framework, Period, PeriodError
from outcomes.sources import DatasetError, load_dataset

EXAMPLE = BUNDLED_EXAMPLE  # shipped in the wheel (outcomes.data)

console = Console(stderr=True, highlight=False, soft_wrap=True)
out = Console(highlight=False, soft_wrap=True)


def _load(dataset: str, problems_file: Path | None = None) -> Framework:
    from outcomes.judge import JudgementSettings, SettingsError
    from outcomes.sources import collecting

    lines: list[str]
    try:
        with collecting(problems_file) as collector:
            fw = load_dataset(dataset, problems=collector)
        JudgementSettings.from_framework(fw)
        return fw
    except DatasetError as exc:
        total, lines = exc.total, exc.lines()
    except SettingsError as exc:
        lines = [f"  • framework.yaml [settings]: {p}. Fix: see docs/settings.md." for p in exc.problems]
        total = len(lines)
    console.print(f"[bold red]Cannot use {dataset}[/]: {total} problem{'s' if total != 1 else ''} to fix.")
    for line in lines:
        console.print(line.replace("  - ", "  • ", 1) if line.startswith("  - ") else line, markup=False)
    raise SystemExit(2)


class _Group(click.Group):
    """Turns a user's mistakes (bad paths, unusable files) into messages, not tracebacks."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (OSError, ValueError) as exc:
            if isinstance(exc, click.ClickException):
                raise
            console.print(f"[bold red]Error:[/] {exc}", markup=True)
            raise SystemExit(2) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="outcomes-tracker")
def main() -> None:
    """Outcomes Tracker: check, judge and report an outcomes framework.

    DATASET is a dataset folder (framework.yaml, observations.csv, risks.csv, narrative/) or an
    Excel workbook. See docs/cli.md for every command.
    """


# -------------------------------------------------------------------------------------------- check
@main.command()
@click.argument("dataset", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print counts and findings as JSON.")
@PROBLEMS_OPTION
def check(dataset: str, as_json: bool, problems_file: Path | None) -> None:
    """Validate DATASET and run the data-quality checks.

    Exit status: 0 no error-level finding, 1 error-level findings, 2 unusable input.
    """
    from outcomes.judge.quality import framework_counts, run_checks

    fw = _load(dataset, problems_file)
    findings = run_checks(fw)
    if as_json:
        payload = {"counts": framework_counts(fw), "findings": [f.as_dict() for f in findings]}
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        _print_findings(fw, findings)
    raise SystemExit(1 if any(f.severity == "error" for f in findings) else 0)


def _print_findings(fw: Framework, findings: list[Any]) -> None:
    from outcomes.judge.quality import framework_counts

    counts = framework_counts(fw)
    out.print(f"[bold]{fw.organisation}[/] — reporting period {fw.reporting_period}")
    out.print(", ".join(f"{v} {k.replace('_', ' ')}" for k, v in counts.items()))
    if not findings:
        out.print("[green]No findings.[/]")
        return
    table = Table(show_lines=False, title=f"{len(findings)} findings")
    table.add_column("Severity")
    table.add_column("Check")
    table.add_column("Subject", overflow="fold")
    table.add_column("Message", overflow="fold")
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}
    for f in findings:
        table.add_row(f"[{colour[f.severity]}]{f.severity}[/]", f.code, f.subject_id, f.message)
    out.print(table)
    by = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    out.print(f"{by['error']} errors, {by['warning']} warnings, {by['info']} notes.")


# -------------------------------------------------------------------------------------------- judge
@main.command()
@click.argument("dataset", type=click.Path())
@click.option("--json", "as_json", is_flag=True, help="Print one record per series and risk as JSON.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), help="Write the records to a CSV file.")
def judge(dataset: str, as_json: bool, out_file: str | None) -> None:
    """Judge every series of DATASET: trend, comparator and focus, each with method and reason."""
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks

    fw = _load(dataset)
    judged = judge_framework(fw, quality_findings=run_checks(fw))
    if out_file:
        _write_csv(Path(out_file), judged.to_rows())
        console.print(f"Wrote {out_file}")
    if as_json:
        click.echo(json.dumps(judged.to_json_dict(), indent=2, ensure_ascii=False))
    elif not out_file:
        _print_judgements(judged)


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    import csv

    from outcomes.sources.spreadsheet import neutralise_cell

    fields: list[str] = []
    for row in rows:
        fields.extend(k for k in row if k not in fields)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: neutralise_cell(v) for k, v in row.items()})
    tmp.replace(path)


def _print_judgements(judged: Any) -> None:
    data = judged.to_json_dict()
    table = Table(title="Judgements")
    for col in ("Series", "Latest", "Trend", "Method", "Comparator", "Published", "Focus"):
        table.add_column(col, overflow="fold")
    for s in data["series"]:
        latest = s.get("latest") or {}
        trend, comp, pub = s["trend"], s["comparator"], s.get("published") or {}
        focus = (s.get("focus") or {}).get("rank")
        table.add_row(
            f"{s['id']}", f"{latest.get('value', '')} ({latest.get('period', '')})",
            f"{trend['judgement']} {trend.get('rag') or ''}".strip(), trend["method"],
            f"{comp['judgement']} {comp.get('rag') or ''}".strip(),
            " / ".join(x for x in (pub.get("trend"), pub.get("comparator")) if x),
            str(focus or ""),
        )
    out.print(table)


# ------------------------------------------------------------------------------------------- report
@main.command()
@click.argument("dataset", type=click.Path())
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="The report file: .html, .pdf or .docx (the format follows the extension).")
@click.option("--period", help="Reporting period, e.g. 'Q4 2017-18' (default: the dataset's).")
@click.option("--outcome", "outcome_id", help="Only this outcome (its id).")
@click.option("--split", "split_by", type=click.Choice(["outcome"]),
              help="Write one PDF per outcome into the folder --out, with an index.html listing them "
                   "(for large frameworks; the parts are made in parallel).")
@click.option("--jobs", type=click.IntRange(min=1), default=None,
              help="With --split: how many parts to make at once (default: the number of processor cores).")
def report(dataset: str, out_file: str, period: str | None, outcome_id: str | None, split_by: str | None,
           jobs: int | None) -> None:
    """Write the monitoring report for DATASET as accessible HTML, tagged PDF or Word.

    With --split outcome, --out names a folder: it receives one PDF per outcome and index.html.
    """
    if split_by is None and jobs is not None:
        raise click.BadParameter("--jobs only applies with --split.", param_hint="--jobs")
    if split_by is not None and outcome_id:
        raise click.BadParameter("use either --split or --outcome, not both.", param_hint="--split")
    fw = _load(dataset)
    if split_by is not None:
        _write_split(fw, Path(out_file), by=split_by, period=period, jobs=jobs)
        return
    path = _write_report(fw, Path(out_file), period=period, outcome_id=outcome_id)
    console.print(f"Wrote {path}")


def _write_split(fw: Framework, folder: Path, *, by: str, period: str | None, jobs: int | None) -> None:
    from outcomes.report import ReportError
    from outcomes.report.split import write_split

    chosen = _report_period(period)
    try:
        result = write_split(fw, folder, by=by, period=chosen, jobs=jobs)
    except ReportError as exc:
        raise click.ClickException(str(exc)) from None
    for part in result.parts:
        console.print(f"Wrote {result.folder / part.file} ({part.title}, {part.pages} pages)")
    console.print(f"Wrote {result.index} ({len(result.parts)} parts, {result.seconds:.1f} s)")


def _report_period(period: str | None) -> Period | None:
    """``--period`` of ``outcomes report`` as a Period (None when not given), or a usage error."""
    if not period:
        return None
    try:
        return Period.parse(period)
    except PeriodError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None


def _write_report(fw: Framework, path: Path, *, period: str | None, outcome_id: str | None) -> Path:
    if path.suffix.lower() not in (".html", ".htm", ".pdf", ".docx"):
        raise click.BadParameter(f"'{path.name}' must end in .html, .pdf or .docx.", param_hint="--out")
    if outcome_id and outcome_id not in {o.id for o in fw.outcomes}:
        raise click.BadParameter(
            f"'{outcome_id}' is not an outcome; the outcomes are: {', '.join(o.id for o in fw.outcomes)}.",
            param_hint="--outcome")
    chosen = _report_period(period)
    from outcomes.report import write_report

    return Path(write_report(fw, path, outcome_id=outcome_id, period=chosen))


# --------------------------------------------------------------------------------------------- demo
@main.command()
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Where the reports are written.")
@click.option("--serve/--no-serve", default=False, show_default=True,
              help="Finish by serving the web tracker on 127.0.0.1 (needs the web extra).")
@click.option("--port", default=8000, show_default=True, help="Port for --serve.")
def demo(out_dir: str, serve: bool, port: int) -> None:
    """Check, judge and report the bundled example (the seed report, Dorset 'Safe', July 2018)."""
    from outcomes.judge import judge_framework
    from outcomes.judge.quality import run_checks

    dataset = str(EXAMPLE)
    console.rule("Outcomes Tracker demo: Dorset County Council, outcome 'Safe', July 2018")
    fw = _load(dataset)
    findings = run_checks(fw)
    _print_findings(fw, findings)
    judged = judge_framework(fw, quality_findings=findings)
    _print_judgements(judged)
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for ext in ("html", "pdf"):
        written.append(_write_report(fw, target / f"dorset-safe-2018.{ext}", period=None, outcome_id=None))
    for p in written:
        out.print(f"Report: [bold]{p.resolve()}[/]")
    if serve:
        _serve(port)


def _serve(port: int) -> None:
    """Run the ``serve`` command, if one has joined the group (the installed ``outcomes`` adds the web
    tracker's, see :mod:`outcomes_launcher`); the library itself does not know where it comes from."""
    ctx = click.get_current_context()
    root = ctx.find_root().command
    serve_cmd = root.get_command(ctx, "serve") if isinstance(root, click.Group) else None
    if serve_cmd is None:
        console.print("The web tracker is not installed: pip install -e '.[web]'.", markup=False)
        return
    ctx.invoke(serve_cmd, port=port, demo_accounts=True)


def add_commands(commands: Iterable[click.Command]) -> None:
    """Add commands from outside the library (the web tracker's) to ``outcomes``, with the same help
    options as the rest."""
    for command in commands:
        main.add_command(command)
    _same_help_everywhere(main)


main.add_command(convert)
main.add_command(export_data)
main.add_command(bulk)


def _same_help_everywhere(command: click.Command) -> None:
    """`-h` and `--help` on every command, however it is invoked: a subcommand run on its own (as tests
    and the docs generator do) then builds the same help option as one run under `outcomes`, and click's
    cached help option cannot differ with the order commands were first used in."""
    command.context_settings.setdefault("help_option_names", ["-h", "--help"])
    for sub in getattr(command, "commands", {}).values():
        _same_help_everywhere(sub)


_same_help_everywhere(main)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
