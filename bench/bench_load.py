"""Benchmark: 20 clients for 60 s against gunicorn and against ``outcomes serve``, then ten people saving
the same return at once; requests, errors and latency percentiles. Zero errors expected.

Usage::

    .venv/bin/python bench/bench_load.py                         # SQLite in a temporary folder
    bash scripts/with-postgres.sh .venv/bin/python bench/bench_load.py --postgres   # a throwaway PostgreSQL
    .venv/bin/python bench/bench_load.py --seconds 10 --writer-seconds 5             # a quick look

What it does, on loopback only:

1. makes the database (SQLite in a temporary folder, or with ``--postgres`` the empty database that
   ``scripts/with-postgres.sh`` names in ``OUTCOMES_TEST_DATABASE_URL``), imports the bundled example,
   opens Q1 2018-19 for returns and makes ten performance-team accounts;
2. **load**: starts ``gunicorn outcomes_web.wsgi`` as docs/deploy.md runs it (3 workers x 2 threads),
   and ``--clients`` threads each loop over the public pages (home, scorecard, indicator page, risk
   register, search, API, a static file), one new connection per request, for ``--seconds``; then the
   same against ``outcomes serve`` (gunicorn 2 x 4 and its report worker);
3. **writers**: ten signed-in clients save the same return at once, each again and again for
   ``--writer-seconds`` (read the form, save; a 409 "someone else saved" is the expected answer to the
   losers and they read again), against gunicorn; then checks that every save that was answered 302
   moved the return's version on by one (no lost update).

Every loop is bounded by time and by ``--max-requests`` per client. Figures go in docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "outcomes" / "data" / "examples" / "dorset-safe-2018"
PERIOD = "Q1 2018-19"
SERIES = "children-in-need"
PASSWORD = "bench-only-password-2018"  # noqa: S105 - a throwaway database
PAGES = ["/", "/outcomes/safe/", "/outcomes/safe/indicators/child-protection/", "/risks/", "/search/?q=children",
         "/api/outcomes/safe/", "/static/tracker/tracker.css"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------------------------------ HTTP
class Session:
    """One client: a new connection per request, cookies kept."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> tuple[int, bytes, float]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, content, time.perf_counter() - start

    def post(self, path: str, data: dict[str, str]) -> tuple[int, bytes, float]:
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})

    def sign_in(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        status, _, _ = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"could not sign in as {username}: HTTP {status}")


def summary(latencies: list[float], wall: float) -> dict[str, float]:
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else [ms[0] if ms else 0.0] * 99
    return {"n": len(ms), "p50": q[49], "p95": q[94], "p99": q[98], "max": ms[-1] if ms else 0.0,
            "rps": len(ms) / wall if wall else 0.0}


# ------------------------------------------------------------------------------------------- servers
class Server:
    def __init__(self, name: str, command: list[str], env: dict[str, str], port: int, log: Path) -> None:
        self.name, self.port = name, port
        self.log = log.open("w")
        self.proc = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = time.monotonic() + 120
        while True:
            try:
                if Session(port).request("GET", "/static/tracker/tracker.css")[0] == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name} did not start; see {log}")
            time.sleep(0.3)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


def gunicorn(env: dict[str, str], data: Path) -> Server:
    port = free_port()
    exe = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return Server("gunicorn (3 workers x 2 threads)",
                  [exe, "outcomes_web.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3", "--threads", "2",
                   "--timeout", "120", "--log-level", "warning"], env, port, data / "gunicorn.log")


def outcomes_serve(env: dict[str, str], data: Path) -> Server:
    port = free_port()
    return Server("outcomes serve (gunicorn 2 x 4 + report worker)",
                  [sys.executable, "-m", "outcomes.cli", "serve", "--port", str(port)], env, port, data / "serve.log")


# ---------------------------------------------------------------------------------------------- load
def load(server: Server, *, clients: int, seconds: float, max_requests: int) -> dict[str, Any]:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(clients)
    stop_at = [0.0]

    def client(i: int) -> None:
        session = Session(server.port)
        mine: list[float] = []
        barrier.wait()
        n = i
        while time.monotonic() < stop_at[0] and len(mine) < max_requests:
            path = PAGES[n % len(PAGES)]
            n += 1
            try:
                status, _, took = session.request("GET", path)
            except OSError as exc:
                with lock:
                    errors[type(exc).__name__] += 1
                continue
            mine.append(took)
            if status != 200:
                with lock:
                    errors[f"HTTP {status} {path}"] += 1
        with lock:
            latencies.extend(mine)

    for path in PAGES:  # warm every gunicorn worker's caches a little
        for _ in range(6):
            Session(server.port).request("GET", path)
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.monotonic()
    stop_at[0] = start + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = summary(latencies, time.monotonic() - start)
    result["errors"] = sum(errors.values())
    result["kinds"] = dict(errors)
    return result


# ------------------------------------------------------------------------------------------- writers
def writers(server: Server, sub_pk: int, *, count: int, seconds: float, max_requests: int) -> dict[str, Any]:
    url = f"/manage/returns/{sub_pk}/"
    sessions = [Session(server.port) for _ in range(count)]
    for i, s in enumerate(sessions):
        s.sign_in(f"bench{i}")
    codes: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    latencies: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(count)
    stop_at = [0.0]

    def writer(i: int) -> None:
        s = sessions[i]
        mine: list[float] = []
        n = 0
        barrier.wait()
        while time.monotonic() < stop_at[0] and n < max_requests:
            n += 1
            try:
                status, html, _ = s.request("GET", url)
                found = re.search(rb'id="return-form".*?name="version" value="(\d+)"', html, re.S)
                if status != 200 or not found:
                    with lock:
                        errors[f"form: HTTP {status}"] += 1
                    continue
                data = {"version": found.group(1).decode(), f"e-{SERIES}-period": PERIOD,
                        f"e-{SERIES}-value": str(300 + (n * count + i) % 200), f"e-{SERIES}-note": f"writer {i} save {n}",
                        "n-story": f"Story from writer {i}, save {n}."}
                status, _, took = s.post(url, data)
            except OSError as exc:
                with lock:
                    errors[type(exc).__name__] += 1
                continue
            mine.append(took)
            with lock:
                codes[status] += 1
                if status not in (302, 409):
                    errors[f"save: HTTP {status}"] += 1
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(count)]
    start = time.monotonic()
    stop_at[0] = start + seconds
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = summary(latencies, time.monotonic() - start)
    result.update({"saved": codes[302], "conflicts": codes[409], "errors": sum(errors.values()),
                   "kinds": dict(errors)})
    return result


# ------------------------------------------------------------------------------------------- setting up
def prepare(env: dict[str, str], count: int) -> tuple[int, int]:
    """Import the example, open Q1 2018-19, make the writers' accounts: (the return's pk, its version)."""
    os.environ.update(env)
    from outcomes_web import cli

    cli.setup()
    cli.ensure_database()
    if cli.run_import(EXAMPLE, echo=lambda _t: None) != 0:
        raise SystemExit("the example did not import")
    from django.contrib.auth import get_user_model

    from outcomes_web.store import access, workflow
    from outcomes_web.store import models as m
    from outcomes_web.workspace import accounts

    User = get_user_model()
    users = []
    for i in range(count):
        user = User.objects.filter(username=f"bench{i}").first() or User(username=f"bench{i}")
        user.set_password(PASSWORD)
        user.save()
        accounts.set_role(user, access.PERFORMANCE)
        users.append(user)
    if not m.Snapshot.objects.filter(outcome_key="safe", reporting_period__label=PERIOD).exists():
        workflow.open_period(users[0], PERIOD, None, outcome_keys=["safe"])
    sub = m.Submission.objects.get(snapshot__outcome_key="safe", snapshot__reporting_period__label=PERIOD,
                                   snapshot__archived_on__isnull=True, indicator_key="child-protection")
    from django.db import connections

    connections.close_all()
    return sub.pk, sub.version


def version_of(sub_pk: int) -> int:
    from outcomes_web.store import models as m

    return m.Submission.objects.get(pk=sub_pk).version


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0, help="of load against each server")
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--writer-seconds", type=float, default=30.0)
    parser.add_argument("--max-requests", type=int, default=100_000, help="per client, a bound on every loop")
    parser.add_argument("--postgres", action="store_true",
                        help="use OUTCOMES_TEST_DATABASE_URL (set by scripts/with-postgres.sh): a throwaway database")
    parser.add_argument("--skip-serve", action="store_true", help="load gunicorn only")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="outcomes-bench-load-"))
    (data / "static").mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update({"OUTCOMES_DATA_DIR": str(data), "SECRET_KEY": "bench-only-" + "k" * 50,
                "ALLOWED_HOSTS": "127.0.0.1,localhost", "OUTCOMES_LOG_LEVEL": "WARNING"})
    if args.postgres:
        url = os.environ.get("OUTCOMES_TEST_DATABASE_URL", "")
        if not url:
            raise SystemExit("--postgres needs OUTCOMES_TEST_DATABASE_URL: run under scripts/with-postgres.sh")
        env["DATABASE_URL"] = url
    database = "PostgreSQL" if args.postgres else "SQLite (WAL, IMMEDIATE transactions)"
    results: list[tuple[str, dict[str, Any]]] = []
    try:
        sub_pk, start_version = prepare(env, args.writers)
        servers = [gunicorn] + ([] if args.skip_serve else [outcomes_serve])
        for make in servers:
            server = make(env, data)
            try:
                results.append((f"load, {server.name}", load(server, clients=args.clients, seconds=args.seconds,
                                                           max_requests=args.max_requests)))
            finally:
                server.stop()
        server = gunicorn(env, data)
        try:
            wrote = writers(server, sub_pk, count=args.writers, seconds=args.writer_seconds,
                            max_requests=args.max_requests)
        finally:
            server.stop()
        final_version = version_of(sub_pk)
        wrote["lost"] = wrote["saved"] - (final_version - start_version)
        results.append((f"{args.writers} writers, one return, {server.name}", wrote))
    finally:
        shutil.rmtree(data, ignore_errors=True)

    print(f"Machine: {os.cpu_count()} CPUs; database: {database}; loopback; a new connection per request.")
    print(f"Load: {args.clients} clients for {args.seconds:.0f} s each over {len(PAGES)} URLs: {', '.join(PAGES)}")
    print(f"{'run':<62}{'requests':>9}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}{'max ms':>8}{'req/s':>7}")
    for name, r in results:
        print(f"{name:<62}{r['n']:>9}{r['errors']:>7}{r['p50']:>8.0f}{r['p95']:>8.0f}{r['p99']:>8.0f}"
              f"{r['max']:>8.0f}{r['rps']:>7.1f}")
        if r.get("kinds"):
            print(f"  errors: {r['kinds']}")
    w = results[-1][1]
    print(f"Writers ({args.writer_seconds:.0f} s): {w['n']} saves attempted, {w['saved']} saved (302), "
          f"{w['conflicts']} told someone else saved first (409), {w['errors']} errors; "
          f"lost updates: {w['lost']} (saves answered 302 minus versions the return moved on).")
    if any(r["errors"] for _, r in results) or w["lost"]:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
