"""Every page of the tracker, public and staff, on a live site set up so each page has something to show.

Used by ``test_every_page.py`` (no sideways scrolling at 390 px, axe-core at 390 and 1366 px) and by
``scripts/screenshots.py`` (PNG screenshots of each page at both widths for ``docs/screenshots/``).

``prepare(site)`` makes the accounts and the work in progress (an open quarter, a return submitted for
review, a workbook upload waiting in its preview), and returns the keys it made; ``PAGES`` names each page
with the URL name it shows (``tracker:home``, ``workspace:submission`` ...), who looks at it, and its path.
``UNVISITED`` lists every URL name that is not a page (downloads, JSON, form actions), each with why, so
``test_every_url_name_is_toured`` can prove the two lists together cover all the URL names of the site.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from live_site import Site

PASSWORD = "a-long-test-password-2018"  # noqa: S105 - the test password of tests/web's Cycle
PERIOD = "Q1 2018-19"
PUBLIC, PERF, LEAD = "public", "perf", "lead"


@dataclass(frozen=True)
class Tour:
    """The keys ``prepare`` made, for building paths."""

    submission: int  # the lead's return: in progress (the lead's form)
    review: int  # a return submitted for review (the performance officer's review page)
    draft: int  # the Safe draft snapshot of PERIOD (its publish page, its framework)
    published: int  # the Safe published snapshot the draft started from
    measure: str
    series: str
    risk: str
    upload: int  # a workbook upload waiting in its preview


def prepare(site: Site) -> Tour:
    """Accounts (a performance officer ``perf`` and a lead officer ``lead``), PERIOD open for Safe, the lead's
    return half filled in, another return submitted for review, and a workbook upload in its preview."""
    keys = site.python(f"""
        import json
        from django.contrib.auth import get_user_model
        from outcomes_web.store import access, workflow, models as m
        from outcomes_web.workspace import accounts
        User = get_user_model()
        perf = User.objects.create_user("perf", "perf@example.org", {PASSWORD!r}, first_name="Priya",
                                        last_name="Patel")
        accounts.set_role(perf, access.PERFORMANCE)
        lead = User.objects.create_user("lead", "lead@example.org", {PASSWORD!r}, first_name="Lee",
                                        last_name="Adams")
        accounts.set_role(lead, access.LEAD)
        accounts.assign(lead, "safe", "child-protection")
        published = m.Snapshot.objects.current().filter(outcome_key="safe").order_by("-reporting_period__end").first()
        [draft] = workflow.open_period(perf, {PERIOD!r}, None, outcome_keys=["safe"])
        subs = list(m.Submission.objects.filter(snapshot=draft).order_by("id"))
        mine = next(s for s in subs if s.indicator_key == "child-protection")
        other = next(s for s in subs if s.indicator_key != "child-protection")
        # one figure that changed (so the review page shows before and after), "nothing to report" for the rest
        due, _, due_period = workflow.due_series(other)[0]
        saved = workflow.save_return(perf, other, other.version, {{due: {{"period": str(due_period), "value": "12",
                                                                        "note": "From the case system"}}}})
        assert saved.saved, saved
        other.refresh_from_db()
        entries = {{key: {{"period": str(period), "missing_reason": "Not yet published"}}
                   for key, _, period in workflow.unanswered(other)}}
        if entries:
            assert workflow.save_return(perf, other, other.version, entries).saved
            other.refresh_from_db()
        workflow.submit(perf, other, other.version, declaration=True)
        series = m.Series.objects.filter(snapshot=draft, indicator__key="child-protection").first()
        measure = m.Measure.objects.filter(snapshot=draft).order_by("position").first()
        risk = m.Risk.objects.filter(snapshot=draft).first()
        print(json.dumps({{"submission": mine.pk, "review": other.pk, "draft": draft.pk, "published": published.pk,
                          "measure": measure.key, "series": series.key, "risk": risk.key}}))
    """)
    return Tour(upload=0, **keys)


def sign_in(page: Any, site: Site, username: str) -> None:
    page.context.clear_cookies()
    page.goto(site.url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in").click()
    assert page.url.endswith("/manage/"), f"{username} did not get into the workspace: {page.url}"


def upload_workbook(page: Any, site: Site, folder: Path) -> int:
    """As the performance officer: download PERIOD's workbook, type a figure into it, upload it; the pk of
    the upload waiting in its preview."""
    import openpyxl

    body = page.request.get(site.url + "/manage/workbook/" + PERIOD.replace(" ", "%20") + ".xlsx").body()
    wb = openpyxl.load_workbook(io.BytesIO(body))
    ws = wb["Figures"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "Outcome")
    column = {ws.cell(header, c).value: c for c in range(1, ws.max_column + 1)}
    ws.cell(header + 1, column["Value"]).value = "1234"
    ws.cell(header + 1, column["Note"]).value = "Checked with the service"
    path = folder / "upload.xlsx"
    wb.save(path)
    page.goto(site.url + "/manage/workbook/")
    page.set_input_files("#workbook", str(path))
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Upload and preview").click()
    pk = page.url.rstrip("/").rsplit("/", 1)[-1]
    assert pk.isdigit(), f"the upload did not reach its preview: {page.url}"
    return int(pk)


def wait_until_built(page: Any, url: str, timeout: float = 240) -> None:
    """Ask for a report until the site stops answering 202 ("being prepared")."""
    deadline = time.monotonic() + timeout
    while page.request.get(url, timeout=60_000).status == 202 and time.monotonic() < deadline:
        time.sleep(1)


@dataclass(frozen=True)
class Page:
    name: str  # file-name friendly: screenshots are <name>-<width>.png
    url_name: str  # the Django URL name it shows
    who: str  # PUBLIC, PERF or LEAD
    path: Callable[[Tour], str]
    built: bool = False  # a report: wait until it is built before looking
    title: str = ""
    shot: bool = True  # in docs/screenshots/ (False: much like another page that is there)


def _p(name: str, url_name: str, who: str, path: str | Callable[[Tour], str], title: str,
       built: bool = False, shot: bool = True) -> Page:
    return Page(name, url_name, who, path if callable(path) else (lambda _t, p=path: p), built, title, shot)


Q = PERIOD.replace(" ", "%20")
PAGES: list[Page] = [
    _p("home", "tracker:home", PUBLIC, "/", "Home: every outcome"),
    _p("scorecard", "tracker:outcome", PUBLIC, "/outcomes/safe/", "Outcome scorecard"),
    _p("indicator", "tracker:indicator", PUBLIC, "/outcomes/safe/indicators/child-protection/", "Indicator page"),
    _p("indicator-several-series", "tracker:indicator", PUBLIC, "/outcomes/safe/indicators/persistent-absence/",
       "Indicator with several series", shot=False),
    _p("risk-register", "tracker:risks", PUBLIC, "/risks/", "Risk register"),
    _p("search", "tracker:search", PUBLIC, "/search/?q=child+protection", "Search results"),
    _p("report", "tracker:report", PUBLIC, "/outcomes/safe/report.html", "The report as a web page", built=True),
    _p("report-waiting", "tracker:report", PUBLIC, "/outcomes/prosperous/report.pdf",
       "A report being prepared"),
    _p("api", "api:docs", PUBLIC, "/api/", "The JSON API's root"),
    _p("not-found", "tracker:outcome", PUBLIC, "/outcomes/nowhere/", "Page not found"),
    _p("sign-in", "workspace:login", PUBLIC, "/accounts/login/", "Sign in"),
    _p("dashboard", "workspace:dashboard", LEAD, "/manage/", "Workspace dashboard (lead officer)"),
    _p("return-form", "workspace:submission", LEAD, lambda t: f"/manage/returns/{t.submission}/",
       "A return being filled in"),
    _p("periods", "workspace:periods", PERF, "/manage/periods/", "Reporting periods"),
    _p("period", "workspace:period", PERF, f"/manage/periods/{Q}/", "One reporting period"),
    _p("review", "workspace:submission", PERF, lambda t: f"/manage/returns/{t.review}/",
       "Reviewing a submitted return"),
    _p("publish", "workspace:snapshot", PERF, lambda t: f"/manage/snapshots/{t.draft}/",
       "A draft snapshot and its publish button"),
    _p("published-snapshot", "workspace:snapshot", PERF, lambda t: f"/manage/snapshots/{t.published}/",
       "A published snapshot (start a revision)", shot=False),
    _p("draft-report", "workspace:snapshot-report", PERF, lambda t: f"/manage/snapshots/{t.draft}/report.html",
       "Preview of the draft's report", built=True, shot=False),
    _p("audit-log", "workspace:audit", PERF, "/manage/audit/", "Audit log"),
    _p("history", "workspace:history", PERF, "/manage/history/safe/child-protection/", "History of an indicator"),
    _p("workbook", "workspace:workbook", PERF, "/manage/workbook/", "Workbooks: download and upload"),
    _p("workbook-preview", "workspace:workbook-preview", PERF, lambda t: f"/manage/workbook/{t.upload}/",
       "A workbook upload in its preview"),
    _p("framework", "workspace:framework", PERF, "/manage/framework/", "The framework"),
    _p("framework-outcome", "workspace:framework-outcome", PERF, lambda t: f"/manage/framework/{t.draft}/outcome/",
       "Edit the outcome", shot=False),
    _p("framework-indicator", "workspace:framework-indicator", PERF,
       lambda t: f"/manage/framework/{t.draft}/indicators/child-protection/", "Edit an indicator", shot=False),
    _p("framework-measure", "workspace:framework-measure", PERF,
       lambda t: f"/manage/framework/{t.draft}/measures/{t.measure}/", "Edit a measure", shot=False),
    _p("framework-series", "workspace:framework-series", PERF,
       lambda t: f"/manage/framework/{t.draft}/series/{t.series}/", "Edit a series", shot=False),
    _p("framework-risk", "workspace:framework-risk", PERF, lambda t: f"/manage/framework/{t.draft}/risks/{t.risk}/",
       "Edit a risk (the risk form)"),
    _p("framework-new-indicator", "workspace:framework-new-indicator", PERF,
       lambda t: f"/manage/framework/{t.draft}/new/indicator/", "Add an indicator", shot=False),
    _p("framework-new-measure", "workspace:framework-new-measure", PERF,
       lambda t: f"/manage/framework/{t.draft}/new/measure/", "Add a measure", shot=False),
    _p("framework-new-series", "workspace:framework-new-series", PERF,
       lambda t: f"/manage/framework/{t.draft}/new/series/", "Add a series"),
    _p("framework-new-risk", "workspace:framework-new-risk", PERF,
       lambda t: f"/manage/framework/{t.draft}/new/risk/", "Add a risk", shot=False),
    _p("framework-archive", "workspace:framework-archive", PERF,
       lambda t: f"/manage/framework/{t.draft}/risk/{t.risk}/archive/", "Archive a risk", shot=False),
]

#: URL names that are not pages a person reads, with why they are not toured.
UNVISITED = {
    "tracker:favicon": "an icon",
    "tracker:report-retry": "a form action (POST) that queues a failed report again",
    "tracker:indicator-csv": "a CSV download",
    "tracker:indicator-json": "a JSON download",
    "api:openapi": "JSON",
    "api:outcomes": "JSON",
    "api:outcome": "JSON",
    "api:series": "JSON",
    "api:risks": "JSON",
    "api:periods": "JSON",
    "workspace:logout": "a form action (POST): signs out and goes to the home page",
    "workspace:submission-submit": "a form action (POST) of the return form",
    "workspace:submission-review": "a form action (POST) of the review page",
    "workspace:snapshot-publish": "a form action (POST) of the publish page",
    "workspace:snapshot-revise": "a form action (POST) of a published snapshot's page",
    "workspace:snapshot-discard": "a form action (POST) of the publish page",
    "workspace:workbook-upload": "a form action (POST) of the workbook page",
    "workspace:workbook-commit": "a form action (POST) of the workbook preview",
    "workspace:workbook-discard": "a form action (POST) of the workbook preview",
    "workspace:workbook-download": "an Excel download",
}


def url_names(site: Site) -> list[str]:
    """Every URL name of the site (namespace:name), read from its URL configuration."""
    return list(site.python("""
        import json
        from django.urls import get_resolver, URLResolver
        names = []
        def walk(patterns, namespace):
            for p in patterns:
                if isinstance(p, URLResolver):
                    walk(p.url_patterns, p.namespace or namespace)
                elif p.name:
                    names.append(f"{namespace}:{p.name}")
        walk(get_resolver().url_patterns, "")
        print(json.dumps(sorted(set(names))))
    """))
