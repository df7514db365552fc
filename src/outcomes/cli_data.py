"""Commands that bring data in (``outcomes convert ...``) and take it out (``outcomes export-data``).

``outcomes.cli`` adds :data:`convert` and :data:`export_data` to the main command (this module sits
one layer below it in the import-linter contract). Each converter builds the dataset in memory, validates it exactly as ``outcomes check``
would load it, and writes the folder only when there is no problem at all; every problem is listed
with its file, row and column, and the exit status is 2.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from outcomes.sources.problems import DatasetError, Problems, collecting
from outcomes.sources.raw import RawDataset

__all__ = ["convert", "export_data"]

FORMATS = ("csv", "xlsx", "json")


def _fail(problems: Problems, what: str) -> None:
    count = len(problems)
    click.echo(f"Cannot convert {what}: {count} problem{'s' if count != 1 else ''} to fix. Nothing was written.",
               err=True)
    for line in problems.lines():
        click.echo(line, err=True)
    raise SystemExit(2)


#: ``--problems FILE`` on every command that reads a dataset or a source (check, import, the converters).
PROBLEMS_OPTION = click.option(
    "--problems", "problems_file", type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every problem to this CSV file (file, location, field, message, fix, kind; it opens in "
         "Excel). The screen lists every problem when there are few, else each kind with its count and first "
         "examples.")
STRICT_OPTION = click.option("--strict", is_flag=True,
                             help="All or nothing: write nothing when any series has a problem (default: leave "
                                  "out whole series with problems and convert the rest).")


def _check_out(out: Path) -> None:
    """Refuse to replace a folder that is not a dataset folder (it would be removed)."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / "framework.yaml").exists())):
        raise click.BadParameter(
            f"'{out}' exists and is not a dataset folder; it would be replaced. Choose a new folder.",
            param_hint="--out")


def _write(raw: RawDataset | None, problems: Problems, out: Path, what: str, *, readme: str = "") -> None:
    """Validate ``raw`` as the loader would, then write it atomically (or write nothing)."""
    from outcomes.sources.build import build_framework
    from outcomes.sources.folder import write_folder

    if raw is not None and not problems:
        build_framework(raw, problems)
    if raw is None or problems:
        _fail(problems, what)
        return
    assert raw is not None
    write_folder(raw, out)
    if readme:
        (out / "README.md").write_text(readme, encoding="utf-8")
    click.echo(f"Wrote {out} ({len(raw.observations)} observations). Check it with: outcomes check {out}")


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)


@click.group()
def convert() -> None:
    """Convert published data (Fingertips, DfE, any tidy table) into a dataset folder."""


@convert.command("fingertips")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--area", required=True, help="The home area's ONS code, e.g. E06000059.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The dataset folder to write.")
@click.option("--areas", "areas_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The area lookup file (names and parents: AreaCode, AreaName, ParentAreaCode).")
@click.option("--indicators", "indicators_file", type=click.Path(dir_okay=False, path_type=Path),
              help="The indicator lookup file (IndicatorID, IndicatorName, Polarity, Unit, ValueType).")
@click.option("--polarity", "polarities", multiple=True, metavar="ID=POLARITY",
              help="An indicator's polarity, e.g. 90284=lower-is-better (repeat for several).")
@click.option("--metadata", type=click.Path(dir_okay=False, path_type=Path),
              help="YAML with per-indicator polarity, unit, period_kind, method (see docs/sources.md).")
@click.option("--breakdowns", default="standard", metavar="standard|all|LIST",
              help="Which sex and age breakdowns to keep: standard (persons, the usual age band; the default), "
                   "all, or the standard one plus those named, e.g. Male,Female. Category rows (deprivation "
                   "deciles) go to breakdowns.csv on the series of their sex and age.")
@click.option("--group", default="", metavar="CODES",
              help="The home area's comparator group: ONS codes separated by commas, or 'dfe' for its DfE "
                   "statistical neighbours.")
@click.option("--period", default=None, help="The reporting period (default: the latest period in the data).")
@click.option("--organisation", default="", help="The organisation's name (default: the area's name).")
@PROBLEMS_OPTION
@STRICT_OPTION
def fingertips(file: Path, area: str, out: Path, areas_file: Path | None, indicators_file: Path | None,
               polarities: tuple[str, ...], metadata: Path | None, breakdowns: str, group: str, period: str | None,
               organisation: str, problems_file: Path | None, strict: bool) -> None:
    """Convert a Fingertips file (classic download, fingertipsR/API or the new service's layout) for one area."""
    from outcomes.sources.fingertips import (
        convert_fingertips,
        read_area_lookup,
        read_indicator_lookup,
        read_metadata,
    )

    _check_out(out)
    with collecting(problems_file) as problems:
        given: dict[str, str] = {}
        for item in polarities:
            ind, sep, pol = item.partition("=")
            if not sep or not ind.strip():
                problems.add("--polarity", "", item, f"'{item}' is not ID=POLARITY.", "write e.g. --polarity 90284=lower-is-better.")
                continue
            given[ind.strip()] = pol.strip()
        meta = read_indicator_lookup(indicators_file, problems) if indicators_file else {}
        for ind, node in (read_metadata(metadata, problems) if metadata else {}).items():
            meta.setdefault(ind, {}).update(node)
        area_lookup = read_area_lookup(areas_file, problems) if areas_file else {}
        members = _group(group, area, problems)
        chosen: str | list[str] = breakdowns if breakdowns in ("standard", "all") else [
            b for b in breakdowns.split(",") if b.strip()]
        raw, summary = (None, None) if problems else convert_fingertips(
            file, area, problems, polarity=given, metadata=meta, organisation=organisation, areas=area_lookup,
            breakdowns=chosen, group=members, strict=strict, period=period)
        if raw is not None and summary is not None and not problems:
            _echo_lines(summary.lines())
        name = summary.home_name if summary is not None else area
        readme = (f"# {name}: public health indicators\n\nConverted from `{file.name}` with "
                  f"`outcomes convert fingertips {file.name} --area {area}`.\n\nSource: Office for Health Improvement "
                  "and Disparities, Fingertips public health profiles.\n\nContains public sector information licensed "
                  "under the Open Government Licence v3.0.\n")
        _write(raw, problems, out, str(file), readme=readme)


def _group(text: str, area: str, problems: Problems) -> list[str]:
    """--group: codes separated by commas, or 'dfe' for the DfE statistical neighbours of the area."""
    if text.strip().lower() != "dfe":
        return [c.strip().upper() for c in text.split(",") if c.strip()]
    from outcomes.sources.areas import bundled_directory, bundled_neighbours

    directory = bundled_directory()
    home = directory.resolve_any(area)
    if home is None or not home.la:
        problems.add("--group", "", "--group", f"'{area}' is not a local authority with DfE statistical neighbours.",
                     "give the group's ONS codes separated by commas.")
        return []
    found = [directory.resolve(n) for n, _ in bundled_neighbours().get(home.la, ())]
    return [a.code for a in found if a is not None]


@convert.command("dfe-children")
@click.argument("source_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--area", required=True, help="The local authority: ONS code (E06000059) or DfE LA number (838).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The dataset folder to write.")
@click.option("--period", default=None, help="The reporting period (default: the latest period in the data).")
@PROBLEMS_OPTION
@STRICT_OPTION
def dfe_children(source_dir: Path, area: str, out: Path, period: str | None, problems_file: Path | None,
                 strict: bool) -> None:
    """Convert DfE children's social care statistics (a folder of tidy CSVs) for one authority."""
    from outcomes.sources.dfe import convert_dfe_children, readme_text

    _check_out(out)
    with collecting(problems_file) as problems:
        raw, summary = convert_dfe_children(source_dir, area, problems, strict=strict, period=period)
        if raw is not None and not problems:
            _echo_lines(summary.lines())
        _write(raw, problems, out, str(source_dir), readme=readme_text(summary, area) if raw is not None else "")


@convert.command("table")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mapping", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="YAML naming the columns and the series (see docs/sources.md).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The dataset folder to write.")
@click.option("--area", default=None, help="The home area's code (overrides the mapping's home_area).")
@click.option("--area-name", default=None, help="The home area's name.")
@click.option("--period", default=None, help="The reporting period (default: the latest period in the data).")
@PROBLEMS_OPTION
@STRICT_OPTION
def table(file: Path, mapping: Path, out: Path, area: str | None, area_name: str | None, period: str | None,
          problems_file: Path | None, strict: bool) -> None:
    """Convert a tidy table (CSV, Excel or Parquet) into a dataset folder, with a mapping file."""
    from outcomes.sources.table import convert_table, read_mapping

    _check_out(out)
    with collecting(problems_file) as problems:
        spec = read_mapping(mapping, problems)
        raw = None
        if spec is not None:
            raw, summary = convert_table(file, spec, problems, home_area=area, home_name=area_name, strict=strict,
                                         period=period)
            if raw is not None and not problems:
                for sid, n in summary.series.items():
                    click.echo(f"{sid}: {n} home values.")
                if summary.unjudged:
                    click.echo("No polarity for " + ", ".join(summary.unjudged) + ": described, not judged.")
                for reason, n in sorted(summary.missing.items()):
                    click.echo(f"{n} missing values: {reason}.")
                for reason, n in sorted(summary.skipped.items()):
                    click.echo(f"Skipped {n} rows: {reason}.")
                click.echo(f"Reporting period: {summary.reporting_period}.")
                _echo_lines(summary.left_out.lines())
        _write(raw, problems, out, str(file))


@convert.command("lait")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--area", required=True,
              help="The local authority: ONS code (E06000059), DfE LA number (838) or name (Dorset).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The dataset folder to write.")
@click.option("--dictionary", type=click.Path(dir_okay=False, path_type=Path),
              help="LAIT's data dictionary (CSV, Excel or Parquet): titles, units, polarity, decimals, year type.")
@click.option("--period", default=None, help="The reporting period (default: the latest period in the data).")
@PROBLEMS_OPTION
@STRICT_OPTION
def lait(file: Path, area: str, out: Path, dictionary: Path | None, period: str | None, problems_file: Path | None,
         strict: bool) -> None:
    """Convert DfE's Local Authority Interactive Tool (LAIT) long data for one authority."""
    from outcomes.sources.lait import convert_lait, read_dictionary

    _check_out(out)
    with collecting(problems_file) as problems:
        meta = read_dictionary(dictionary, problems) if dictionary else {}
        raw, summary = (None, None) if problems else convert_lait(file, area, problems, dictionary=meta, strict=strict,
                                                                    period=period)
        if raw is not None and summary is not None and not problems:
            _echo_lines(summary.lines())
        readme = ""
        if summary is not None:
            readme = (f"# {summary.home_name}: children's services indicators (DfE LAIT)\n\nConverted from `{file.name}` "
                      f"with `outcomes convert lait {file.name} --area {area}"
                      + (f" --dictionary {dictionary.name}" if dictionary else "") + "`.\n\nSource: Department for "
                      "Education, Local Authority Interactive Tool (LAIT). Contains public sector information licensed "
                      "under the Open Government Licence v3.0.\n")
        _write(raw, problems, out, str(file), readme=readme)


@click.command("export-data")
@click.argument("dataset", type=click.Path(path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The folder to write the tables into.")
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="csv, xlsx or json (repeat for several; default: all three).")
def export_data(dataset: Path, out: Path, formats: tuple[str, ...]) -> None:
    """Export observations, judgements, risks and the focus ranking as CSV, XLSX and JSON."""
    from outcomes.exports import export_data as export
    from outcomes.sources import load_dataset

    try:
        framework = load_dataset(dataset)
    except DatasetError as exc:
        click.echo(f"Cannot use {dataset}: {exc.total} problem{'s' if exc.total != 1 else ''} to fix.", err=True)
        for line in exc.lines():
            click.echo(line, err=True)
        raise SystemExit(2) from None
    judge = _judge()
    judged = judge(framework) if judge else None
    if judged is None:
        click.echo("The judgement engine is not available: exporting observations and risks only.", err=True)
    for path in export(framework, judged, out, formats=formats or FORMATS):
        click.echo(f"Wrote {path}")


def _judge() -> Callable[[Any], Any] | None:
    try:
        from outcomes.judge import judge_framework
    except ImportError:
        return None
    return judge_framework  # type: ignore[no-any-return]


if __name__ == "__main__":  # pragma: no cover
    sys.exit(convert())
