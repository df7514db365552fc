"""Benchmark: full-text search of the public pages (issue 16, item 7).

In one process with Django's test client and a temporary SQLite database (FTS5), the bundled example
stored ``--copies`` times (each copy a separate outcome, as a council running many outcomes would
have), this prints:

- the time to build the search documents of every published snapshot (the first search does it),
- the time per search request (median and 95th percentile) for the issue's example queries, once the
  documents are built.

Run: ``.venv/bin/python bench/bench_search.py [--copies 20] [--requests 50]``. For PostgreSQL, set
``DATABASE_URL`` (``bash scripts/with-postgres.sh`` prints one) and pass ``--database-url``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "src" / "outcomes" / "data" / "examples" / "dorset-safe-2018"
QUERIES = ("child protection", "children protection", "domestic violence", "Claire Shiels", "KSI",
           "anti-social behaviour")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=20, help="outcomes stored (copies of the example)")
    parser.add_argument("--requests", type=int, default=50, help="per query")
    parser.add_argument("--database-url", default="", help="default: a temporary SQLite file")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="outcomes-bench-search-")
    os.environ.update({"OUTCOMES_DATA_DIR": data, "SECRET_KEY": "bench-only-" + "k" * 50,
                       "DATABASE_URL": args.database_url or f"sqlite:///{data}/outcomes.sqlite3",
                       "DJANGO_SETTINGS_MODULE": "outcomes_web.settings"})
    os.environ.pop("DEBUG", None)
    Path(data, "static").mkdir()
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from outcomes_web import adapter
    from outcomes_web.store import queries
    from outcomes_web.store import search as store_search

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    for n in range(args.copies):
        dataset = adapter.load_dataset(EXAMPLE)
        fw = dataset.framework
        outcomes = [replace(o, id=f"{o.id}-{n}") if n else o for o in fw.outcomes]
        adapter.store_framework(replace(fw, outcomes=outcomes))
    snapshots = queries.public_snapshots()
    start = time.perf_counter()
    store_search.ensure_documents(snapshots)
    built = time.perf_counter() - start
    documents = store_search.m.SearchDocument.objects.count()
    print(f"{connection.vendor}; {len(snapshots)} published outcomes, {documents} search documents; "
          f"{os.cpu_count()} CPUs")
    print(f"documents built in {built:.2f} s ({built / len(snapshots) * 1000:.0f} ms per outcome)")
    client = Client()
    print(f"{'query':<24}{'pages':>6}{'median ms':>11}{'p95 ms':>9}")
    for q in QUERIES:
        ms = []
        for _ in range(args.requests):
            t = time.perf_counter()
            response = client.get("/search/", {"q": q})
            ms.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200
        pages = response.content.decode("utf-8").count('class="results__link"')
        print(f"{q:<24}{pages:>6}{statistics.median(ms):>11.1f}{statistics.quantiles(ms, n=20)[18]:>9.1f}")


if __name__ == "__main__":
    main()
