"""Benchmark: the indicator page against a static file of the same size, both served by gunicorn.

Usage::

    .venv/bin/python bench/bench_web.py [--clients 20] [--requests 2000] [--workers 4] [--threads 4]

What it does: makes a throwaway SQLite database in a temporary folder, imports the bundled example,
and starts ``gunicorn outcomes_web.wsgi`` on a free loopback port (the production recipe of
docs/deploy.md, minus PostgreSQL). It fetches the indicator page of "Rate of children subject to a
child protection plan" once to learn its size, restarts gunicorn with a static file of exactly that
size in ``STATIC_ROOT`` (served by WhiteNoise from the same app and workers), warms both up, then sends
``--requests`` requests to each from ``--clients`` threads at once (``http.client``, a new connection
per request) and prints p50/p95/p99 latency, throughput, and the page/static ratio. Figures go in
docs/performance.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = BUNDLED_EXAMPLE
PAGE = "/outcomes/safe/indicators/child-protection/"
STATIC = "/static/bench/same-size.html"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, int, float]:
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        response = conn.getresponse()
        body = response.read()
    finally:
        conn.close()
    return response.status, len(body), time.perf_counter() - start


class Server:
    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.port = _free_port()
        gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
        self.proc = subprocess.Popen(
            [gunicorn, "outcomes_web.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--threads", str(threads), "--timeout", "120", "--log-level", "warning"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(self.port, "/static/tracker/tracker.css")[0] == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("gunicorn did not start: " + (self.proc.stderr.read().decode() if self.proc.stderr else ""))
            time.sleep(0.2)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def hammer(port: int, path: str, *, clients: int, requests: int) -> dict[str, float]:
    """``requests`` GETs of ``path`` from ``clients`` threads at once; latency percentiles in ms."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    barrier = threading.Barrier(clients)

    def client(n: int) -> None:
        mine: list[float] = []
        barrier.wait()
        for _ in range(n):
            try:
                status, _, seconds = _get(port, path)
            except OSError as exc:
                with lock:
                    errors.append(str(exc))
                continue
            if status != 200:
                with lock:
                    errors.append(f"HTTP {status}")
            mine.append(seconds)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(n,)) for n in per_client]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - start
    if errors:
        raise SystemExit(f"{len(errors)} failed requests to {path}, e.g. {errors[0]}")
    ms = sorted(x * 1000 for x in latencies)
    q = statistics.quantiles(ms, n=100)
    return {"n": len(ms), "p50": q[49], "p95": q[94], "p99": q[98], "mean": statistics.fmean(ms),
            "rps": len(ms) / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=2000, help="per target (page, static)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--database-url", default="",
                        help="a throwaway database to use instead of SQLite in a temporary folder (its data is added to)")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="outcomes-bench-"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update({"OUTCOMES_DATA_DIR": str(data), "SECRET_KEY": "bench-only-" + "k" * 50,
                "ALLOWED_HOSTS": "127.0.0.1,localhost"})
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    try:
        subprocess.run([sys.executable, "-m", "outcomes_web.manage", "import_dataset", str(EXAMPLE)], env=env,
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
        server = Server(env, args.workers, args.threads)
        cold = _get(server.port, PAGE)
        size = cold[1]
        server.stop()

        static = data / "static" / "bench" / "same-size.html"
        static.parent.mkdir(parents=True, exist_ok=True)
        static.write_bytes((b"<!DOCTYPE html><title>x</title>" + b"x" * size)[:size])
        server = Server(env, args.workers, args.threads)
        try:
            first = _get(server.port, PAGE)
            for _ in range(args.workers * args.threads * 3):  # every worker builds its cache
                _get(server.port, PAGE)
                _get(server.port, STATIC)
            assert _get(server.port, STATIC)[1] == size, "the static file must match the page's size"
            page = hammer(server.port, PAGE, clients=args.clients, requests=args.requests)
            stat = hammer(server.port, STATIC, clients=args.clients, requests=args.requests)
        finally:
            server.stop()
    finally:
        shutil.rmtree(data, ignore_errors=True)

    print(f"gunicorn outcomes_web.wsgi: {args.workers} workers x {args.threads} threads; "
          f"{args.clients} concurrent clients; {args.requests} requests per target; {os.cpu_count()} CPUs; "
          f"{'PostgreSQL' if args.database_url.startswith('postgres') else 'SQLite'}; new connection per request")
    print(f"indicator page {PAGE}: {size:,} bytes; first request after start {first[2] * 1000:.0f} ms "
          f"(framework rebuilt and judged)")
    print(f"{'target':<16}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'mean ms':>9}{'req/s':>9}")
    for name, r in (("indicator page", page), ("static file", stat)):
        print(f"{name:<16}{r['p50']:>9.1f}{r['p95']:>9.1f}{r['p99']:>9.1f}{r['mean']:>9.1f}{r['rps']:>9.0f}")
    print(f"ratio page/static: p50 {page['p50'] / stat['p50']:.1f}x, p95 {page['p95'] / stat['p95']:.1f}x, "
          f"throughput {stat['rps'] / page['rps']:.1f}x")


if __name__ == "__main__":
    main()
