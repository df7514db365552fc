"""The installed ``outcomes`` command (outcomes_launcher): the library's commands plus the web tracker's,
and ``outcomes demo --serve`` reaching the web ``serve`` through the group, not by naming the web app."""

from __future__ import annotations

from typing import Any

import click
from click.testing import CliRunner

import outcomes.cli as library_cli
import outcomes_launcher
from outcomes_web import commands as web_commands


def test_the_launcher_adds_the_web_commands_to_the_librarys_group() -> None:
    group = outcomes_launcher.main
    assert group is library_cli.main
    for command in web_commands.COMMANDS:
        assert group.commands[command.name or ""] is command
    assert {"check", "judge", "report", "demo", "convert", "export-data", "bulk"} <= set(group.commands)
    # the same help options as the library's own commands
    assert web_commands.serve.context_settings["help_option_names"] == ["-h", "--help"]


def _group_with(serve: click.Command | None) -> click.Group:
    probe = click.Command("probe", callback=lambda: library_cli._serve(8123))
    group = click.Group("outcomes", commands=[probe])
    if serve is not None:
        group.add_command(serve)
    return group


def test_demo_serve_runs_whichever_serve_command_joined_the_group() -> None:
    called: dict[str, Any] = {}

    @click.command("serve")
    @click.option("--port", type=int)
    @click.option("--demo-accounts", is_flag=True)
    def serve(port: int, demo_accounts: bool) -> None:
        called.update(port=port, demo_accounts=demo_accounts)

    result = CliRunner().invoke(_group_with(serve), ["probe"])
    assert result.exit_code == 0, result.output
    assert called == {"port": 8123, "demo_accounts": True}


def test_demo_serve_without_the_web_commands_says_what_to_install() -> None:
    result = CliRunner().invoke(_group_with(None), ["probe"])
    assert result.exit_code == 0
    assert "The web tracker is not installed: pip install -e '.[web]'." in result.stderr
