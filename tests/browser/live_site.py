"""The tracker served by ``outcomes_web.manage serve`` in a subprocess, for the browser tests.

Its own SQLite database and data folder in ``data``; the request log goes to ``data/server.log``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.processes import OWN_GROUP, stop

ROOT = Path(__file__).resolve().parents[2]
# Variables of the test process that must not reach the site (it reads its own from ``env``).
DROPPED = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "OUTCOMES_SECURE",
           "OUTCOMES_PROXY_SSL_HEADER")


#: With ``OUTCOMES_SCREENSHOTS=1`` the browser tests save screenshots for people to look at
#: (``out/screenshots/``, and ``docs/images/`` for the documentation's pictures); otherwise they take
#: none, and a test run writes nothing into the working copy.
SCREENSHOTS = os.environ.get("OUTCOMES_SCREENSHOTS", "").strip().lower() in ("1", "true", "yes")
SHOTS = ROOT / "out" / "screenshots"


def save_screenshot(page: Any, name: str) -> None:
    """``out/screenshots/<name>`` (the whole page), with ``OUTCOMES_SCREENSHOTS=1`` only."""
    if SCREENSHOTS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def site_environment(data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env["OUTCOMES_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "src"), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


@contextmanager
def live_site(data: Path, env: dict[str, str], timeout: float = 90) -> Iterator[str]:
    """Start the site, wait until its home page answers 200, yield its address, stop it."""
    port = free_port()
    log = (data / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "outcomes_web.manage", "serve", "--port", str(port)],
                              env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, **OWN_GROUP)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the tracker did not start:\n" + (data / "server.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        stop(server)  # with its gunicorn workers and its report worker
        log.close()


def wait_for_report(request: Any, url: str, timeout: float = 240) -> Any:
    """GET a report through Playwright's request context until it is built (the site answers 202 with a
    "being prepared" page while a worker builds it), and return the final response."""
    deadline = time.monotonic() + timeout
    while True:
        response = request.get(url, timeout=60_000)
        if response.status != 202 or time.monotonic() > deadline:
            return response
        time.sleep(1)


@dataclass
class Site:
    """A live site: its address, data folder and environment."""

    url: str
    data: Path
    env: dict[str, str]

    def python(self, code: str) -> Any:
        """Run ``code`` with Django set up against the site's database; returns what it prints as JSON."""
        prelude = "from outcomes_web.cli import setup\nsetup()\n"
        done = subprocess.run([sys.executable, "-c", prelude + textwrap.dedent(code)], env=self.env, cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        out = done.stdout.strip().splitlines()
        return json.loads(out[-1]) if out else None
