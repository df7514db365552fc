"""Screenshots of every page of the tracker at a laptop's width (1366 px) and a phone's (390 px).

    .venv/bin/python scripts/screenshots.py            # writes docs/screenshots/<page>-<width>.png and README.md
    .venv/bin/python scripts/screenshots.py --out DIR  # somewhere else
    .venv/bin/python scripts/screenshots.py --only scorecard indicator

It serves the bundled example as the browser tests do (``outcomes_web.manage serve`` on a free loopback port
with its own SQLite database in a temporary folder), adds the second example outcome, makes the accounts and
the work in progress the staff pages need (``tests/browser/tour.py``), then opens each page as the person who
would see it and saves a full-page PNG. The images are reduced to 256 colours so they stay small enough to
keep in the repository. It prints, for each page and width, the page's height and whether it scrolls
sideways.

Needs what the browser tests need: Debian's chromium, Playwright (``pip install -e ".[dev]"``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from axe import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from live_site import Site, live_site, site_environment  # noqa: E402
from tour import LEAD, PAGES, PERF, PUBLIC, prepare, sign_in, upload_workbook, wait_until_built  # noqa: E402

WIDTHS = {1366: 768, 390: 844}
#: Longer pages are cut here (the report is tens of thousands of pixels long), so the images stay small.
MAX_HEIGHT = 4000
SECOND = ROOT / "tests" / "web" / "data" / "prosperous-2018"


def shrink(path: Path) -> None:
    """Re-save a screenshot with a 256-colour palette (a quarter of the size, no visible loss for pages)."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with WeasyPrint
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def index(out: Path, rows: list[tuple[str, str, str]]) -> None:
    lines = ["# Screenshots of every page", "",
             "Made by `scripts/screenshots.py` from the bundled example (the Safe outcome, with a second "
             "outcome added, a quarter open for returns, one return submitted for review and one workbook upload "
             "waiting in its preview). Each page at a laptop's width (1366 px) and a phone's (390 px), full "
             f"length up to {MAX_HEIGHT:,} px (longer pages are cut there and say so). Staff pages are seen "
             "signed in as the person named. Run the script again to bring them up to date: "
             "`.venv/bin/python scripts/screenshots.py`.", "",
             "| Page | Who sees it | Laptop (1366 px) | Phone (390 px) |", "| --- | --- | --- | --- |"]
    for name, title, who in rows:
        lines.append(f"| {title} | {who} | [{name}-1366.png]({name}-1366.png) | [{name}-390.png]({name}-390.png) |")
    (out / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cut_note(widths: list[int]) -> str:
    if not widths:
        return ""
    where = "both widths" if len(widths) == len(WIDTHS) else " and ".join(f"{w} px" for w in widths)
    return f" (first {MAX_HEIGHT:,} px at {where})"


WHO = {PUBLIC: "anyone", PERF: "performance officer", LEAD: "lead officer"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", help="page names (default: every page)")
    args = parser.parse_args(argv)
    pages = [p for p in PAGES if p.shot and (not args.only or p.name in args.only)]
    cut: dict[str, list[int]] = {}
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        env = site_environment(data, SECRET_KEY="screenshots-only-not-secret-" + "z" * 40)
        with live_site(data, env) as url, sync_playwright() as playwright:
            subprocess.run([sys.executable, "-m", "outcomes_web.manage", "import_dataset", str(SECOND)], env=env,
                           check=True, capture_output=True, cwd=ROOT, timeout=180)
            site = Site(url, data, env)
            tour = prepare(site)
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            contexts: dict[str, Any] = {}
            for who in (PUBLIC, PERF, LEAD):
                context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
                context.set_default_timeout(30_000)
                contexts[who] = context.new_page()
                if who != PUBLIC:
                    sign_in(contexts[who], site, who)
            tour = type(tour)(**{**tour.__dict__, "upload": upload_workbook(contexts[PERF], site, data)})
            for page in pages:
                viewer = contexts[page.who]
                address = url + page.path(tour)
                if page.built:
                    wait_until_built(viewer, address)
                for width, height in WIDTHS.items():
                    viewer.set_viewport_size({"width": width, "height": height})
                    viewer.goto(address)
                    target = args.out / f"{page.name}-{width}.png"
                    sizes = viewer.evaluate("() => [document.documentElement.scrollWidth, innerWidth,"
                                            " document.documentElement.scrollHeight]")
                    if sizes[2] > MAX_HEIGHT:
                        cut.setdefault(page.name, []).append(width)
                        viewer.screenshot(path=str(target), full_page=True,
                                          clip={"x": 0, "y": 0, "width": width, "height": MAX_HEIGHT})
                    else:
                        viewer.screenshot(path=str(target), full_page=True)
                    shrink(target)
                    sideways = " SCROLLS SIDEWAYS" if sizes[0] > sizes[1] else ""
                    print(f"{target.name:40} {sizes[2]:6} px high, {target.stat().st_size // 1024:5} KiB{sideways}")
            browser.close()
    if not args.only:
        index(args.out, [(p.name, p.title + _cut_note(cut.get(p.name, [])), WHO[p.who]) for p in pages])
    total = sum(f.stat().st_size for f in args.out.glob("*.png"))
    print(f"{len(list(args.out.glob('*.png')))} images, {total / 1024 / 1024:.1f} MiB in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
