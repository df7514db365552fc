"""``outcomes serve``: on first run it creates the SQLite database, migrates, imports the bundled
example and serves on 127.0.0.1, printing the address; gunicorn serves (not Django's development
server), and the report worker it starts builds a report asked for through the site."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.processes import OWN_GROUP, stop

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_creates_the_database_imports_the_example_and_prints_the_address(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")}
    env["OUTCOMES_DATA_DIR"] = str(tmp_path / "var")
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "outcomes_launcher", "serve", "--port", str(port)], env=env,
                                  stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, **OWN_GROUP)
        try:
            deadline = time.monotonic() + 180
            body = ""
            while time.monotonic() < deadline and server.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                        body = response.read().decode()
                        break
                except OSError:
                    time.sleep(0.3)
            assert "Safe" in body, log.read_text()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/tracker/tracker.css", timeout=30) as r:
                assert r.status == 200
                assert r.headers["Server"] == "gunicorn", r.headers["Server"]
            # a report: queued by the request, built by the worker `serve` started, then served
            report = f"http://127.0.0.1:{port}/outcomes/safe/report.html"
            with urllib.request.urlopen(report, timeout=30) as r:
                assert r.status == 202 and "being prepared" in r.read().decode()
            deadline = time.monotonic() + 180
            while time.monotonic() < deadline:
                with urllib.request.urlopen(report + "?wait=1", timeout=30) as r:  # follows the redirect
                    page = r.read()
                    if r.status == 200:
                        break
                time.sleep(1)
            assert page.startswith(b"<!DOCTYPE html>") and b"being prepared" not in page, log.read_text()
        finally:
            stop(server)  # with its gunicorn workers and the report worker it started
    output = log.read_text()
    assert "The database is empty: importing the bundled example (dorset-safe-2018)." in output
    assert f"Outcomes Tracker is running at  http://127.0.0.1:{port}/" in output
    assert "Report worker: taking work from the queue" in output
    assert "development server" not in output.lower()
    assert (tmp_path / "var" / "outcomes.sqlite3").exists()
