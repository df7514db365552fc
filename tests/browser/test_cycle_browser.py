"""The quarterly cycle, end to end, in a real browser: open a period, enter a return, submit it, return
it, fix it, accept it, publish, check the public page and the PDF, then correct it with a revision.

The site runs as ``outcomes serve`` runs it, in a subprocess on a free loopback port with its own SQLite
database in a temporary folder (the first start migrates and imports the bundled example); its request
log goes to a file there, not to the terminal. The few things done outside the browser (making the
accounts, accepting the returns nobody in this story works on) run the store's own code in a short
Python subprocess against the same database, so this test never configures Django in the pytest process.

axe-core checks every workspace page a user fills in or acts on (sign-in, dashboard, periods, the return
empty / with errors / returned with a comment, the snapshot page). With ``OUTCOMES_SCREENSHOTS=1`` the
return page with its errors and the lead officer's dashboard are written to ``docs/images/`` (1280 wide)
for the documentation; without it nothing is written, so CI does not churn the files.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe import format_violations, run_axe
from bs4 import BeautifulSoup
from live_site import Site, live_site, site_environment, wait_for_report

ROOT = Path(__file__).resolve().parents[2]
IMAGES = ROOT / "docs" / "images"
PASSWORD = "a-long-test-password-2018"  # noqa: S105 - the same test password as tests/web's Cycle
PERIOD = "Q1 2018-19"
SERIES = "children-in-need"
# Three figures that appear nowhere in the example, so finding one on a page means it is ours.
def report_text(html: bytes) -> str:
    """The words a reader of an HTML report sees (its text, without the markup's attributes)."""
    return BeautifulSoup(html, "html.parser").get_text(" ")


FIRST, FIXED, CORRECTED = "204.6", "207.3", "209.8"
SHOTS = os.environ.get("OUTCOMES_SCREENSHOTS", "").strip().lower() in ("1", "true", "yes")



@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data = tmp_path_factory.mktemp("cycle-site")
    env = site_environment(data, SECRET_KEY="browser-tests-only-not-secret-" + "x" * 40)
    with live_site(data, env) as url:
        here = Site(url, data, env)
        # The accounts, as tests/web's Cycle makes them: a performance officer and the lead officer of
        # safe / child-protection.
        here.python(f"""
            import json
            from django.contrib.auth import get_user_model
            from outcomes_web.store import access
            from outcomes_web.workspace import accounts
            User = get_user_model()
            perf = User.objects.create_user("perf", "perf@example.org", {PASSWORD!r}, first_name="Perf")
            accounts.set_role(perf, access.PERFORMANCE)
            lead = User.objects.create_user("lead", "lead@example.org", {PASSWORD!r}, first_name="Lead")
            accounts.set_role(lead, access.LEAD)
            accounts.assign(lead, "safe", "child-protection")
            print(json.dumps("ok"))
        """)
        yield here


# ------------------------------------------------------------------------------------------ helpers
def accessible(page: Any, name: str) -> None:
    """axe-core finds no WCAG 2.2 A/AA violation on the page."""
    violations = run_axe(page)
    assert not violations, f"{name}: {page.url}\n" + format_violations(violations)


def screenshot(page: Any, name: str) -> None:
    if SHOTS:
        IMAGES.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMAGES / name), full_page=True)


def sign_in(page: Any, site: Site, username: str) -> None:
    page.goto(site.url + "/accounts/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "Sign in to the workspace"
    accessible(page, "sign-in")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    assert press(page, "Sign in") == 200
    assert at(page) == site.url + "/manage/"
    assert page.get_by_role("heading", level=1).inner_text() == "Your workspace"
    accessible(page, f"dashboard ({username})")


def sign_out(page: Any, site: Site) -> None:
    assert press(page, "Sign out", within="header") == 200
    assert page.locator("header").get_by_role("link", name="Sign in").is_visible()
    assert page.request.get(site.url + "/manage/", max_redirects=0).status in (302, 403)


def press(page: Any, button: str, within: str = "main") -> int:
    """Click a form's button and wait for the page it leads to; the HTTP status of that page."""
    with page.expect_navigation() as navigation:
        page.locator(within).get_by_role("button", name=button).click()
    response = navigation.value
    return response.status if response is not None else 0


def at(page: Any) -> str:
    """The page's address without its fragment."""
    return page.url.split("#", 1)[0]


def notice(page: Any) -> str:
    return " ".join(page.locator(".notification__title").all_inner_texts())


def status_of(page: Any) -> str:
    return page.locator(".summary-list .tag").first.inner_text()


def pdf_text(body: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)


def public_page(browser: Any) -> Any:
    """A page in a new context: no cookies, so the site sees a member of the public."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB",
                                  timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    return context.new_page()


# --------------------------------------------------------------------------------------------- test
def test_the_quarterly_cycle_in_the_browser(page: Any, browser: Any, site: Site) -> None:
    indicator_url = site.url + "/outcomes/safe/indicators/child-protection/"
    reader = public_page(browser)
    try:
        reader.goto(indicator_url)
        assert FIXED not in reader.content() and CORRECTED not in reader.content()
    finally:
        reader.context.close()

    # 1. The performance officer opens Q1 2018-19 with a deadline.
    sign_in(page, site, "perf")
    page.get_by_role("link", name="Reporting periods").click()
    page.wait_for_url("**/manage/periods/")
    accessible(page, "periods")
    page.fill("#label", PERIOD)
    page.fill("#deadline", "2018-07-31")
    assert press(page, "Open the period") == 200
    assert at(page).endswith("/manage/periods/Q1%202018-19/")
    assert f"{PERIOD} is open for returns" in notice(page)
    assert "31 July 2018" in page.locator("main").inner_text()
    accessible(page, "period")
    sign_out(page, site)

    # 2. The lead officer finds the return on the dashboard, makes a mistake, fixes it, submits.
    sign_in(page, site, "lead")
    row = page.locator("table", has_text="Deadline").get_by_role("row", name="child protection plan")
    assert "31 July 2018" in row.inner_text() and "Not started" in row.inner_text()
    screenshot(page, "workspace-dashboard.png")
    row.get_by_role("link").click()
    page.wait_for_url("**/manage/returns/*/")
    return_url = page.url
    assert "child protection plan" in page.get_by_role("heading", level=1).inner_text()
    assert page.input_value(f"#e-{SERIES}-period") == PERIOD  # the period due is filled in
    accessible(page, "return (empty form)")

    page.fill(f"#e-{SERIES}-period", PERIOD)
    page.fill(f"#e-{SERIES}-value", "abc")
    page.fill(f"#e-{SERIES}-note", "Count at 30 June 2018")
    page.fill("#n-story", "Referrals **rose** after the awareness campaign in April.")
    assert press(page, "Save the return") == 400
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert summary.is_visible() and "'abc' is not a number" in summary.inner_text()
    assert page.locator(f"#series-{SERIES} .error-message").count() >= 1
    assert page.input_value(f"#e-{SERIES}-value") == "abc"  # what was typed is kept
    assert "awareness campaign" in page.input_value("#n-story")
    accessible(page, "return (validation errors)")
    screenshot(page, "workspace-return.png")
    summary.get_by_role("link").first.click()  # the summary's link goes to the field
    assert page.evaluate("() => location.hash").startswith(f"#e-{SERIES}-")

    page.fill(f"#e-{SERIES}-value", FIRST)
    assert press(page, "Save the return") == 200
    assert at(page) == return_url
    assert "Return saved" in notice(page)
    assert status_of(page) == "In progress"
    assert page.locator(".prose strong", has_text="rose").count() == 1  # the narrative preview
    # every other series due this period: nothing to report, with the reason (an empty return cannot be
    # signed off)
    for box in page.locator("fieldset", has_text="Due this period").all():
        key = (box.get_attribute("id") or "").removeprefix("series-")
        if key != SERIES and not page.input_value(f"#e-{key}-value"):
            page.fill(f"#e-{key}-missing_reason", "Not yet available from the case system")
    page.check("#declaration")
    assert press(page, "Submit for review") == 200
    assert at(page) == return_url
    assert "submitted for review" in notice(page)
    assert status_of(page) == "Submitted for review"
    sign_out(page, site)

    # 3. The performance officer returns it with a comment.
    comment = f"The June count in the case system was {FIXED}: please check the figure."
    sign_in(page, site, "perf")
    page.locator("main").get_by_role("link", name="child protection plan").click()
    page.wait_for_url(return_url)
    accessible(page, "return (review)")
    page.check("#decision-return")
    page.fill("#comment", comment)
    assert press(page, "Record the decision") == 200
    assert at(page) == return_url
    assert "sent back" in notice(page)
    assert status_of(page) == "Returned for changes"
    sign_out(page, site)

    # 4. The lead officer sees the comment, fixes the figure and submits again.
    sign_in(page, site, "lead")
    row = page.locator("table", has_text="Deadline").get_by_role("row", name="child protection plan")
    assert "Returned" in row.inner_text()
    row.get_by_role("link").click()
    page.wait_for_url(return_url)
    assert comment in page.locator("#review-comment").inner_text()
    assert page.input_value(f"#e-{SERIES}-value") in ("", FIRST)
    accessible(page, "return (returned with a comment)")
    page.fill(f"#e-{SERIES}-period", PERIOD)
    page.fill(f"#e-{SERIES}-value", FIXED)
    page.fill(f"#e-{SERIES}-note", "Count at 30 June 2018, checked against the case system")
    assert press(page, "Save the return") == 200
    assert at(page) == return_url
    assert "Return saved" in notice(page)
    page.check("#declaration")
    assert press(page, "Submit for review") == 200
    assert at(page) == return_url
    assert status_of(page) == "Submitted for review"
    sign_out(page, site)

    # 5. The performance officer accepts it.
    sign_in(page, site, "perf")
    page.locator("main").get_by_role("link", name="child protection plan").click()
    page.wait_for_url(return_url)
    page.check("#decision-accept")
    assert press(page, "Record the decision") == 200
    assert at(page) == return_url
    assert "Return accepted" in notice(page)
    assert status_of(page) == "Accepted"

    # The other indicators' returns must be accepted before publishing. Nobody in this story works on
    # them, so they are submitted and accepted quickly with the workflow functions (outside the
    # browser, as the performance officer), not clicked through one by one.
    others = site.python(f"""
        import json
        from django.contrib.auth import get_user_model
        from outcomes_web.store import models as m, workflow
        perf = get_user_model().objects.get(username="perf")
        done = []
        for sub in m.Submission.objects.filter(snapshot__outcome_key="safe", snapshot__published=False,
                                               snapshot__reporting_period__label={PERIOD!r}).exclude(
                                               indicator_key="child-protection"):
            entries = {{key: {{"period": str(period), "missing_reason": "Not yet published"}}
                       for key, _, period in workflow.unanswered(sub)}}
            if entries:
                workflow.save_return(perf, sub, sub.version, entries)
                sub.refresh_from_db()
            workflow.submit(perf, sub, sub.version, declaration=True)
            sub.refresh_from_db()
            workflow.review(perf, sub, sub.version, accept=True, comment="")
            done.append(sub.indicator_key)
        print(json.dumps(done))
    """)
    assert others, "the draft has only the one return: nothing else needed accepting"

    # 6. ... and publishes from the snapshot page.
    page.goto(site.url + "/manage/periods/Q1%202018-19/")
    page.get_by_role("link", name="Review the draft and publish it").click()
    page.wait_for_url("**/manage/snapshots/*/")
    snapshot_url = page.url
    assert page.locator("h1 .tag").inner_text() == "Draft"
    accessible(page, "snapshot (draft)")
    assert press(page, f"Publish Safe for {PERIOD}") == 200
    assert at(page) == snapshot_url
    assert "Published Safe" in notice(page)
    assert page.locator("h1 .tag").inner_text() == "Published"
    accessible(page, "snapshot (published)")

    # 7. The public sees the new figure on the indicator page and in the PDF report.
    reader = public_page(browser)
    try:
        reader.goto(indicator_url)
        text = reader.locator("main").inner_text()
        assert FIXED in text and FIRST not in text
        assert reader.locator(".tag--revised").count() == 0
        pdf = wait_for_report(reader.context.request, site.url + "/outcomes/safe/report.pdf")
        assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
        assert FIXED in pdf_text(pdf.body())
        first_report = wait_for_report(reader.context.request, site.url + "/outcomes/safe/report.html?period=Q1+2018-19"
                                       "&revision=1")
        assert first_report.status == 200
        revision_1_html = first_report.body()
        assert FIXED in report_text(revision_1_html)
    finally:
        reader.context.close()

    # 8. A correction: the performance officer starts a revision, corrects the figure, publishes it.
    reason = "The June count double-counted transfers in."
    page.fill("#reason", reason)
    assert press(page, "Start a revision") == 200
    assert "/manage/snapshots/" in at(page)
    assert page.url != snapshot_url
    assert "Revision 2 started" in notice(page)
    assert reason in page.locator("main").inner_text()
    accessible(page, "snapshot (revision draft)")
    page.locator("main").get_by_role("link", name="child protection plan").click()
    page.wait_for_url("**/manage/returns/*/")
    assert page.url != return_url
    revision_return_url = page.url
    page.fill(f"#e-{SERIES}-period", PERIOD)
    page.fill(f"#e-{SERIES}-value", CORRECTED)
    page.fill(f"#e-{SERIES}-note", "Corrected: transfers in were counted twice")
    assert press(page, "Save the return") == 200
    assert at(page) == revision_return_url
    assert status_of(page) == "In progress"  # a changed return goes through sign-off and review again
    accessible(page, "return (revision)")
    page.check("#declaration")
    assert press(page, "Submit for review") == 200
    assert at(page) == revision_return_url
    page.check("#decision-accept")
    assert press(page, "Record the decision") == 200
    assert at(page) == revision_return_url
    assert status_of(page) == "Accepted"
    page.goto(site.url + "/manage/periods/Q1%202018-19/")
    page.get_by_role("link", name="Review the draft and publish it").click()
    page.wait_for_url("**/manage/snapshots/*/")
    revision_url = page.url
    assert press(page, f"Publish Safe for {PERIOD}") == 200
    assert at(page) == revision_url
    assert "(revision 2)" in notice(page)
    sign_out(page, site)

    # 9. The public page shows the revision; the first report regenerates byte for byte.
    shutil.rmtree(site.data / "cache" / "reports", ignore_errors=True)  # so it is rebuilt, not cached:
    with sqlite3.connect(site.data / "outcomes.sqlite3") as db:  # nor the finished builds kept in the database
        db.execute("DELETE FROM reports_reportbuild")
    reader = public_page(browser)
    try:
        reader.goto(indicator_url)
        notice_box = reader.locator(".notification", has=reader.locator(".tag--revised"))
        assert notice_box.locator(".tag--revised").inner_text() == "Revised"
        assert reason in notice_box.inner_text()
        changed = notice_box.locator("tbody tr").inner_text()  # "What revision 2 changed": was, now
        assert PERIOD in changed and FIXED in changed and CORRECTED in changed
        rest = reader.evaluate("""() => {
            const main = document.querySelector('main').cloneNode(true);
            main.querySelectorAll('.notification').forEach(n => n.remove());
            return main.textContent;
        }""")
        assert CORRECTED in rest and FIXED not in rest
        first_url = site.url + "/outcomes/safe/report.html?period=Q1+2018-19&revision=1"
        assert reader.context.request.get(first_url).status == 202  # not cached: queued to be rebuilt
        again = wait_for_report(reader.context.request, first_url)
        assert again.status == 200
        # the words of the report, not its markup (a chart's coordinates can read 209.8 too)
        assert FIXED in report_text(again.body()) and CORRECTED not in report_text(again.body())
        assert again.body() == revision_1_html
        current = wait_for_report(reader.context.request, site.url + "/outcomes/safe/report.html?period=Q1+2018-19")
        assert CORRECTED in report_text(current.body())
    finally:
        reader.context.close()


# ---------------------------------------------------------------- every other data-entry page
def _workbook_with(body: bytes, value: str, tmp: Path) -> Path:
    """The downloaded workbook with ``value`` typed into the first Value cell, saved to ``tmp``."""
    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(body))
    ws = wb["Figures"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Outcome")
    column = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "Value")
    ws.cell(header + 1, column).value = value
    note = next(c for c in range(1, ws.max_column + 1) if ws.cell(header, c).value == "Note")
    ws.cell(header + 1, note).value = "Checked with the service"  # a large movement needs one
    wb.save(tmp)
    return tmp


def test_every_other_data_entry_page_is_accessible(page: Any, site: Site, tmp_path: Path) -> None:
    """axe-core on the framework pages (list, edit, a refused edit, add, archive), the workbook pages
    (list, a preview with a problem, a preview ready to save), the audit log and a history page."""
    sign_in(page, site, "perf")
    page.goto(site.url + "/manage/periods/")
    page.fill("#label", "Q2 2018-19")
    assert press(page, "Open the period") == 200

    page.goto(site.url + "/manage/framework/")
    accessible(page, "framework list")
    page.locator("main a[href*='/indicators/']").first.click()
    page.wait_for_load_state()
    assert "/indicators/" in page.url
    accessible(page, "framework: edit an indicator")
    page.fill("#title", "")
    assert press(page, "Save changes") == 400
    assert page.locator(".error-summary").is_visible()
    accessible(page, "framework: an indicator with an error")
    page.goto(page.url.split("/indicators/")[0] + "/new/series/")
    accessible(page, "framework: add a series")
    assert press(page, "Add the series") == 400  # nothing filled in: every required field says so
    accessible(page, "framework: add a series, with errors")
    page.goto(site.url + "/manage/framework/")
    page.locator("main a[href$='/archive/']").first.click()
    page.wait_for_load_state()
    accessible(page, "framework: archive")

    page.goto(site.url + "/manage/workbook/")
    accessible(page, "workbooks")
    body = page.request.get(site.url + "/manage/workbook/Q2%202018-19.xlsx").body()
    page.set_input_files("#workbook", str(_workbook_with(body, "abc", tmp_path / "bad.xlsx")))
    assert press(page, "Upload and preview") == 200
    assert "is not a number" in page.locator("main").inner_text()
    accessible(page, "workbook preview with a problem")
    assert press(page, "Discard this upload") == 200
    page.set_input_files("#workbook", str(_workbook_with(body, "1234", tmp_path / "good.xlsx")))
    assert press(page, "Upload and preview") == 200
    assert page.locator("main").get_by_role("button", name="Save 1 change").is_visible()
    accessible(page, "workbook preview ready to save")

    page.goto(site.url + "/manage/audit/")
    accessible(page, "audit log")
    page.goto(site.url + "/manage/history/safe/child-protection/")
    accessible(page, "history")
