"""``outcomes bulk``: judge every area and indicator of a national file and write one Parquet table.

``outcomes.cli`` adds :data:`bulk` to the main command (this module sits one layer below it).
"""

from __future__ import annotations

from pathlib import Path

import click

from outcomes.bulk import run_bulk
from outcomes.sources.problems import DatasetError

__all__ = ["bulk"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--out",
    "out_file",
    required=True,
    type=click.Path(dir_okay=False),
    help="The Parquet file to write (one row per series and area).",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="Run the partitions on this Dask scheduler (e.g. tcp://10.0.0.5:8786); needs the dask extra.",
)
def bulk(file: str, out_file: str, scheduler: str | None) -> None:
    """Judge every series of a national FILE (Fingertips layout or tidy observations; CSV or Parquet).

    Writes, per indicator, sex, age, category and area, the latest value with its 95% limits, the
    recent-trend marker, the comparison with England and with the region, the rank and quartile
    among areas of the same type in the same region, the decile among all areas of the same type,
    and the funnel limits around England's value with where the value lies. See docs/scale.md.
    """
    if not out_file.lower().endswith(".parquet"):
        raise click.BadParameter(
            "the output must be a .parquet file, e.g. judged.parquet", param_hint="--out"
        )
    try:
        summary = run_bulk(
            Path(file), Path(out_file), scheduler=scheduler, progress=lambda line: click.echo(line, err=True)
        )
    except DatasetError as exc:
        count = len(exc.problems)
        click.echo(
            f"Cannot judge {file}: {count} problem{'s' if count != 1 else ''} to fix. Nothing was written.",
            err=True,
        )
        for p in exc.problems:
            click.echo(f"  - {p}", err=True)
        raise SystemExit(2) from None
    click.echo(f"Wrote {summary.series:,} judged series from {summary.rows:,} rows to {out_file}.")
