"""Benchmark: what the per-visitor header costs on a memoised page (issue 11, item 1).

The scorecard and indicator pages keep their rendered content per snapshot; each request renders
only its own visitor's part of the header (name and sign-out form with its CSRF token, or "Sign
in"; messages) into it. This measures, in one process with Django's test client and the bundled
example in a temporary SQLite database, the time per request of:

- a memo hit for an anonymous visitor and for a signed-in one (the usual case),
- a memo miss (the memo dropped before every request: the view-model built and rendered again),

for the indicator page and the scorecard. Run: ``.venv/bin/python bench/bench_page_memo.py``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from outcomes.data import EXAMPLE as BUNDLED_EXAMPLE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = BUNDLED_EXAMPLE
PAGES = {"indicator page": "/outcomes/safe/indicators/child-protection/", "scorecard": "/outcomes/safe/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="per page and case")
    args = parser.parse_args()

    data = tempfile.mkdtemp(prefix="outcomes-bench-memo-")
    os.environ.update({"OUTCOMES_DATA_DIR": data, "DATABASE_URL": f"sqlite:///{data}/outcomes.sqlite3",
                       "SECRET_KEY": "bench-only-" + "k" * 50, "DJANGO_SETTINGS_MODULE": "outcomes_web.settings"})
    os.environ.pop("DEBUG", None)
    Path(data, "static").mkdir()  # STATIC_ROOT, so WhiteNoise does not warn
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from outcomes_web import adapter

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    adapter.store_framework(adapter.load_dataset(EXAMPLE))
    user = get_user_model().objects.create_user("performance", first_name="Pat", last_name="Performance")
    anonymous, signed = Client(), Client()
    signed.force_login(user)

    def timed(client: Client, url: str, *, drop_memo: bool) -> list[float]:
        out = []
        for _ in range(args.requests):
            if drop_memo:
                adapter.clear_cache()
                client.get("/outcomes/safe/", {"warm": "1"})  # framework rebuilt outside the timing
            start = time.perf_counter()
            response = client.get(url)
            out.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        return out

    print(f"{args.requests} requests per case; Django test client in one process; {os.cpu_count()} CPUs")
    print(f"{'page':<16}{'case':<28}{'median ms':>10}{'p95 ms':>9}")
    for name, url in PAGES.items():
        anonymous.get(url)
        for case, client, drop in (("memo hit, anonymous", anonymous, False), ("memo hit, signed in", signed, False),
                                   ("memo miss (rebuilt)", anonymous, True)):
            ms = timed(client, url, drop_memo=drop)
            q = statistics.quantiles(ms, n=20)
            print(f"{name:<16}{case:<28}{statistics.median(ms):>10.2f}{q[18]:>9.2f}")


if __name__ == "__main__":
    main()
