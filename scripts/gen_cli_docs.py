"""Write docs/cli.md from the commands' own --help (a test checks it is up to date).

Usage: .venv/bin/python scripts/gen_cli_docs.py
"""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from outcomes_launcher import main

DOC = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _commands(group: click.Group, prefix: list[str]) -> list[list[str]]:
    out = []
    for name in sorted(group.commands):
        cmd = group.commands[name]
        out.append([*prefix, name])
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, [*prefix, name]))
    return out


def render() -> str:
    runner = CliRunner()
    parts = [
        "# Command-line reference",
        "",
        "Generated from each command's `--help` by `scripts/gen_cli_docs.py`; a test fails when it is out of date.",
        "",
        "## outcomes",
        "",
        "```",
        runner.invoke(main, ["--help"], prog_name="outcomes").output.rstrip(),
        "```",
    ]
    for path in _commands(main, []):
        result = runner.invoke(main, [*path, "--help"], prog_name="outcomes")
        parts += ["", f"## outcomes {' '.join(path)}", "", "```", result.output.rstrip(), "```"]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    DOC.write_text(render(), encoding="utf-8")
    print(f"wrote {DOC}")
