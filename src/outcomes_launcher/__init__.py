"""The installed ``outcomes`` command: the library's commands and the web tracker's, put together.

The library (:mod:`outcomes.cli`) never names the web package, and the web package reaches the
library only through :mod:`outcomes_web.adapter`; this module sits above both and is the only place
that knows of the two (import-linter checks all three rules, see ``pyproject.toml``). The web
commands (:mod:`outcomes_web.commands`) import Django only when one of them runs, so
``outcomes check`` works without the web extra.

``python -m outcomes_launcher ...`` is the same as ``outcomes ...``.
"""

from __future__ import annotations

from outcomes.cli import add_commands, main
from outcomes_web.commands import COMMANDS

add_commands(COMMANDS)

__all__ = ["main"]
