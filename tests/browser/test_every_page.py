"""Issue 16 items 5, 6 and 10 and issue 13 item 8, in a real browser, over every page of the tracker.

- Phones: at 390 px no page scrolls sideways, and no element is wider than the screen unless it is inside a
  declared scroll container (a table or chart box that scrolls on its own); the scorecard and the risk
  register show every column's content, each labelled; axe-core finds no WCAG 2.2 A/AA violation at 390 px
  or at 1366 px. ``test_every_url_name_is_toured`` proves the tour (``tour.py``) covers every URL name of
  the site that is a page.
- The answer above the fold: at 1366x768 the scorecard's first row and the indicator page's judgements
  start inside the first screen; at 390 px the latest value and judgements are within the first two.
- Speed as felt: every route that can wait (the report as a web page or PDF, the draft's report) shows a
  "being prepared" page with ``role=status`` at once, and a link to the PDF is followed, not downloaded
  (so the waiting page is seen).
- The HTML report on a phone: no word of its at-a-glance table is split across lines, and it links back to
  the tracker that serves it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, run_axe
from live_site import Site, live_site, site_environment
from tour import (
    LEAD,
    PAGES,
    PERF,
    PUBLIC,
    UNVISITED,
    Tour,
    prepare,
    sign_in,
    upload_workbook,
    url_names,
    wait_until_built,
)

ROOT = Path(__file__).resolve().parents[2]
SECOND = ROOT / "tests" / "web" / "data" / "prosperous-2018"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}

#: Elements wider than the screen (or reaching past its right edge) that are not inside an element that
#: scrolls sideways on its own; each as "tag.class (right edge px)".
OVERFLOWING = """() => {
  const limit = document.documentElement.clientWidth + 1;
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if ((x === 'auto' || x === 'scroll' || x === 'hidden') && a.getBoundingClientRect().right <= limit) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || box.right <= limit) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.clip === 'rect(0px, 0px, 0px, 0px)') continue;
    if (scrolls(el)) continue;
    out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} (${Math.round(box.right)} px)`);
  }
  return out.slice(0, 8);
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("every-page-site")
    env = site_environment(data, SECRET_KEY="browser-tests-only-not-secret-" + "p" * 40)
    with live_site(data, env) as url:
        subprocess.run([sys.executable, "-m", "outcomes_web.manage", "import_dataset", str(SECOND)], env=env,
                       check=True, capture_output=True, cwd=ROOT, timeout=180)
        yield Site(url, data, env)


@pytest.fixture(scope="module")
def viewers(browser: Any, site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A page per person (the public, the performance officer, the lead officer), signed in."""
    pages: dict[str, Any] = {}
    for who in (PUBLIC, PERF, LEAD):
        context = browser.new_context(viewport=LAPTOP, locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(30_000)
        pages[who] = context.new_page()
    try:
        yield pages
    finally:
        for page in pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def tour(site: Site, viewers: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Tour:
    made = prepare(site)
    for who in (PERF, LEAD):
        sign_in(viewers[who], site, who)
    upload = upload_workbook(viewers[PERF], site, tmp_path_factory.mktemp("workbook"))
    return Tour(**{**made.__dict__, "upload": upload})


def test_every_url_name_is_toured(site: Site) -> None:
    """Each URL name of the site is a page of the tour or is listed, with why, as not a page."""
    toured = {p.url_name for p in PAGES}
    names = set(url_names(site))
    assert names - toured - set(UNVISITED) == set(), "pages nobody looks at on a phone"
    assert (toured | set(UNVISITED)) - names == set(), "the tour names URL names the site does not have"


@pytest.mark.parametrize("shown", PAGES, ids=[p.name for p in PAGES])
def test_every_page_fits_a_phone_and_passes_axe_at_both_widths(viewers: dict[str, Any], site: Site, tour: Tour,
                                                               shown: Any) -> None:
    page = viewers[shown.who]
    address = site.url + shown.path(tour)
    if shown.built:
        wait_until_built(page, address)
    for size in (PHONE, LAPTOP):
        page.set_viewport_size(size)
        response = page.goto(address)
        assert response is not None and response.status < 500, f"{shown.name}: {response and response.status}"
        violations = run_axe(page)
        assert not violations, f"{shown.name} at {size['width']} px: {page.url}\n" + format_violations(violations)
        if size is PHONE:
            widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
            assert widths[0] <= widths[1], f"{shown.name} scrolls sideways at 390 px: {widths[0]} px wide"
            assert page.evaluate(OVERFLOWING) == [], f"{shown.name}: wider than the phone, outside a scroll box"


# ---------------------------------------------------------------------------------------- item 5: tables
def _stacked_labels(page: Any, selector: str) -> list[tuple[str, str, float]]:
    """Each visible cell of the first body row: (its label as shown, its text, its right edge)."""
    return [tuple(x) for x in page.evaluate("""(selector) => {
        const row = document.querySelector(selector + ' tbody tr');
        // computed content is '"Latest" / ""' (the label, then its empty alternative text) or 'none'
        const label = (c) => (getComputedStyle(c, '::before').content.match(/^"([^"]*)"/) || [null, ''])[1];
        return [...row.children].map(c => [label(c), c.innerText.trim(), c.getBoundingClientRect().right]);
    }""", selector)]


def test_the_scorecard_on_a_phone_shows_every_column_labelled(viewers: dict[str, Any], site: Site) -> None:
    page = viewers[PUBLIC]
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/outcomes/safe/")
    headers = page.locator(".table--scorecard thead th").all_inner_texts()
    cells = _stacked_labels(page, ".table--scorecard")
    assert len(cells) == len(headers)
    shown = {label for label, _, _ in cells if label}
    for wanted in ("Indicator", "Latest", "Trend", "Comparator", "Focus"):
        assert wanted in shown, f"the {wanted} column has no label on a phone: {cells}"
    for label, _text, right in cells:
        assert right <= PHONE["width"], f"{label} is off the screen at {right} px"
    title = page.locator(".table--scorecard tbody tr").first.locator("th[scope=row]")
    box = title.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.locator(".table--scorecard").evaluate("t => t.tagName") == "TABLE"
    assert page.locator(".table--scorecard").get_attribute("role") == "table"  # kept for screen readers


def test_the_risk_register_on_a_phone_shows_outcome_and_linked_indicators(viewers: dict[str, Any],
                                                                          site: Site) -> None:
    page = viewers[PUBLIC]
    page.set_viewport_size(PHONE)
    page.goto(site.url + "/risks/")
    cells = _stacked_labels(page, ".table--risks")
    labels = {label: (text, right) for label, text, right in cells}
    for wanted in ("Outcome", "Linked indicators", "Score", "Trend"):
        assert wanted in labels, f"no {wanted} on a phone: {cells}"
        assert labels[wanted][0] and labels[wanted][1] <= PHONE["width"]


# ----------------------------------------------------------------------------------- item 6: the answer first
def test_the_answer_is_above_the_fold(viewers: dict[str, Any], site: Site) -> None:
    page = viewers[PUBLIC]
    page.set_viewport_size(LAPTOP)
    page.goto(site.url + "/outcomes/safe/")
    first_row = page.locator(".table--scorecard tbody tr").first.bounding_box()
    assert first_row is not None and first_row["y"] < LAPTOP["height"], f"first row at {first_row}"
    page.goto(site.url + "/outcomes/safe/indicators/child-protection/")
    judgements = page.locator(".series .judgements").first.bounding_box()
    assert judgements is not None and judgements["y"] < LAPTOP["height"], f"judgements at {judgements}"
    chart = page.locator(".series .figure").first.bounding_box()
    assert chart is not None and chart["y"] < 2 * LAPTOP["height"], f"chart at {chart}"

    page.set_viewport_size(PHONE)
    page.goto(site.url + "/outcomes/safe/indicators/child-protection/")
    for selector in (".series .latest", ".series .judgements"):
        box = page.locator(selector).first.bounding_box()
        assert box is not None and box["y"] + box["height"] < 2 * PHONE["height"], f"{selector} at {box}"


# --------------------------------------------------------------------------------- item 10: waiting shown
def test_every_route_that_can_wait_says_it_is_being_prepared(viewers: dict[str, Any], site: Site,
                                                             tour: Tour) -> None:
    public, perf = viewers[PUBLIC], viewers[PERF]
    public.set_viewport_size(LAPTOP)
    # The PDF link on the scorecard is followed (no download attribute): a report never asked for (nothing
    # else in this module asks for Safe's PDF) shows the waiting page, never an empty wait or an HTML page
    # saved as "report.pdf".
    public.goto(site.url + "/outcomes/safe/")
    link = public.locator("main a[href*='report.pdf']").first
    assert link.get_attribute("download") is None
    with public.expect_navigation() as navigation:
        link.click()
    assert navigation.value is not None and navigation.value.status == 202
    assert "being prepared" in public.locator("h1").inner_text()
    assert "being" in public.locator("[role=status]").inner_text()
    for route in ("/outcomes/prosperous/report.html?period=Q4+2017-18", "/outcomes/prosperous/report.pdf"):
        response = public.request.get(site.url + route)
        assert response.status in (200, 202), route
        if response.status == 202:
            assert 'role="status"' in response.text() and "being prepared" in response.text(), route
    # The draft's report, which a performance officer previews before publishing, waits the same way.
    for fmt in ("pdf", "html"):
        response = perf.request.get(site.url + f"/manage/snapshots/{tour.draft}/report.{fmt}")
        assert response.status in (200, 202), fmt
        if response.status == 202:
            assert 'role="status"' in response.text() and "being prepared" in response.text()


# ------------------------------------------------------------------------- issue 13 item 8: the report
SPLIT_WORDS = """() => {
  // Words of the at-a-glance tables drawn on more than one line: a Range over each word has one client
  // rect per line it is drawn on.
  const split = [];
  for (const cell of document.querySelectorAll('table.glance th, table.glance td')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const re = /\\S+/g;
      let m;
      while ((m = re.exec(node.data))) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return split;
}"""


def test_the_report_on_a_phone_breaks_no_word_and_links_back(viewers: dict[str, Any], site: Site) -> None:
    page = viewers[PUBLIC]
    url = site.url + "/outcomes/safe/report.html"
    wait_until_built(page, url)
    page.set_viewport_size(PHONE)
    page.goto(url)
    assert page.locator("table.glance td").count() > 10
    assert page.evaluate(SPLIT_WORDS) == []
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the report scrolls sideways at 390 px: {widths[0]} px"
    for selector in ("table.glance .figure-value", "table.glance .judgement-word"):
        assert page.locator(selector).first.evaluate("c => getComputedStyle(c).whiteSpace") == "nowrap", selector
    assert "anywhere" not in page.evaluate("() => [...document.querySelectorAll('table.glance td')]"
                                           ".map(c => getComputedStyle(c).overflowWrap + getComputedStyle(c).wordBreak)"
                                           ".join(' ')")
    back = page.locator("a.back-link")
    assert back.count() == 1
    with page.expect_navigation():
        back.click()
    assert page.url.split("?")[0] == site.url + "/outcomes/safe/"
