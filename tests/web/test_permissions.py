"""Who may do what, for every URL of the site: a permission matrix over every role.

Every URL pattern Django knows (walked from the root resolver) must have a rule in ``RULES``, so a
new page without one fails :func:`test_every_url_pattern_has_a_rule`. A rule gives, per role, what a
GET answers and, for a view that changes data, what a POST answers: anonymous visitors are sent to
sign in, refused roles get 403 (404 where a page hides that something exists) and nothing changes
(audit trail, returns, snapshots, framework rows, uploads); allowed roles change something.

Drafts never leak: the public pages, downloads, reports and API answer 404 for the draft period (or
leave it out of a list), for every role, and a distinctive figure and narrative written into the
draft appear in no public response and in nothing shown to someone who may not read the draft.

The example with users of every role is built once for this module (``world``, rolled back at the
end); each test runs in its own transaction, rolled back after it, so POSTs do not leak between tests.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from django.db import transaction
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from tests.web.html import BeautifulSoup, Tag, page
from tests.web.html import text as words

from outcomes_web import adapter
from outcomes_web.store import models as m
from outcomes_web.store import workflow

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "norole", "viewer", "lead", "otherlead", "perf", "admin")
DRAFT_PERIOD = "Q1 2018-19"
FIGURE = "987654"
SECRET = "Quokkadraftonlyword"  # written into the draft's narrative: no public search may find it
LEAKS = (FIGURE, "987,654", "987 654", SECRET)


# ============================================================================== the shared world
class World:
    """The conftest ``Cycle`` (users of every role, 'safe' opened for Q1 2018-19) plus a distinctive
    figure and narrative in the draft and a pending workbook upload of the lead officer."""

    def __init__(self) -> None:
        from tests.web.conftest import Cycle

        from outcomes_web.workspace import workbook as wbmod

        self.cycle = c = Cycle()
        self.users: dict[str, Any] = {"anonymous": None, "norole": c.norole, "viewer": c.viewer, "lead": c.lead,
                                      "otherlead": c.other_lead, "perf": c.perf, "admin": c.admin}
        result = workflow.save_return(c.perf, c.sub, c.sub.version, {"children-in-need": {
            "period": DRAFT_PERIOD, "value": FIGURE, "note": "x"}}, {"story": f"The {SECRET} story."})
        assert result.saved, (result.errors, result.needs_note)
        c.nothing_to_report(c.sub)  # every series answered, so the return can be signed off
        self.draft_pk = c.draft.pk
        self.published_pk = c.published.pk
        self.sub_pk = c.sub.pk
        self.other_sub_pk = c.other_sub.pk
        self.prosperous_draft = m.Snapshot.objects.get(outcome_key="prosperous", published=False,
                                                       archived_on__isnull=True)
        self.prosperous_published = m.Snapshot.objects.filter(
            outcome_key="prosperous", published=True, archived_on__isnull=True).order_by("-reporting_period__end")[0]
        self.measure = m.Measure.objects.filter(snapshot_id=self.draft_pk, indicator__key="child-protection",
                                                archived_on__isnull=True).order_by("position")[0].key
        self.risk = m.Risk.objects.filter(snapshot_id=self.draft_pk, archived_on__isnull=True
                                          ).order_by("position")[0].key
        rp = m.ReportingPeriod.objects.get(label=DRAFT_PERIOD)
        content = wbmod.build_workbook(c.lead, rp)
        parsed = wbmod.read_workbook(content, "mine.xlsx")
        self.upload = m.PendingUpload.objects.create(
            user=c.lead, reporting_period=rp, filename="mine.xlsx", content=content,
            seen_versions=wbmod.seen_versions_json(parsed), created_by=c.lead, modified_by=c.lead)

    def client(self, role: str) -> Any:
        return self.cycle.client(self.users[role])


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once in an outer transaction; every test's own transaction nests inside it (like Django's
    ``setUpTestData``) and is rolled back, and the outer one is rolled back at the end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = World()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    adapter.clear_cache()


# =================================================================================== expectations
@dataclass(frozen=True)
class Expect:
    status: int
    login: bool = False  # a 302 to the sign-in page
    changes: bool | None = None  # POST: must (True) or must not (False) change the store; None: not checked
    audited: bool = True  # a change must leave an audit event

    def __str__(self) -> str:
        if self.login:
            return "302 to sign in"
        return f"{self.status}" + {True: " and a change", False: " and no change", None: ""}[self.changes]


OK, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = Expect(200), Expect(403), Expect(404), Expect(405)
REDIRECT = Expect(302)
LOGIN = Expect(302, login=True)
# POST outcomes
DONE = Expect(302, changes=True)  # the change was made (then redirected to the result)
REFUSED = Expect(403, changes=False)
HIDDEN = Expect(404, changes=False)
TO_LOGIN = Expect(302, login=True, changes=False)


def roles(default: Expect, **by_role: Expect) -> dict[str, Expect]:
    return {r: by_role.get(r, default) for r in ROLES}


PUBLIC = roles(OK)
INTERNAL = roles(OK, anonymous=LOGIN, norole=FORBIDDEN)  # any workspace role
READERS = roles(FORBIDDEN, anonymous=LOGIN, viewer=OK, perf=OK, admin=OK)  # read every draft
MANAGERS = roles(FORBIDDEN, anonymous=LOGIN, perf=OK, admin=OK)  # performance team, administrator
ENTERERS = roles(OK, anonymous=LOGIN, norole=FORBIDDEN, viewer=FORBIDDEN)  # fill in returns
ITEM_READERS = roles(OK, anonymous=LOGIN, norole=FORBIDDEN, otherlead=FORBIDDEN)  # the item's lead + readers
UPLOADER = roles(NOT_FOUND, anonymous=LOGIN, norole=FORBIDDEN, lead=OK)  # the person who uploaded only


def post_only(gate: dict[str, Expect]) -> dict[str, Expect]:
    """A POST-only view: a GET past the gate is 405."""
    return {r: NOT_ALLOWED if e == OK else e for r, e in gate.items()}


def post_rule(gate: dict[str, Expect], refused: Expect = REFUSED, done: Expect = DONE) -> dict[str, Expect]:
    """POST outcome from the GET gate: allowed roles change something, refused ones change nothing."""
    out = {}
    for r, e in gate.items():
        if e.login:
            out[r] = TO_LOGIN
        elif e == OK:
            out[r] = done
        elif e == NOT_FOUND:
            out[r] = HIDDEN
        else:
            out[r] = refused
    return out


Builder = Callable[[World, str], "tuple[str, dict[str, Any]]"]


@dataclass
class Rule:
    get_url: Callable[[World], str] | None
    get: dict[str, Expect] = field(default_factory=dict)
    post: dict[str, Expect] | None = None
    post_data: Builder | None = None  # (world, role) -> (url, data), called just before that role posts
    public: bool = False  # a public page or API endpoint: the draft must never reach it
    draft_url: Callable[[World], str] | None = None  # the same page asked for the draft period


# ------------------------------------------------------------------------------------ form data
def _fields(form: Tag) -> list[tuple[str, str]]:
    """The (name, value) pairs a browser would submit from ``form``, in document order."""
    fields: list[tuple[str, str]] = []
    for el in form.find_all(["input", "select", "textarea"]):
        name = str(el.get("name", ""))
        if not name:
            continue
        if el.name == "input":
            kind = str(el.get("type", "text")).lower()
            if kind in ("submit", "button", "file", "image") or (
                    kind in ("checkbox", "radio") and not el.has_attr("checked")):
                continue
            fields.append((name, str(el.get("value", "on" if kind in ("checkbox", "radio") else ""))))
        elif el.name == "select":
            options = [str(o.get("value", "")) for o in el.find_all("option")]
            chosen = [str(o.get("value", "")) for o in el.find_all("option") if o.has_attr("selected")]
            fields += [(name, v) for v in chosen or ([] if el.has_attr("multiple") else options[:1] or [""])]
        else:
            text = el.get_text()
            fields.append((name, text[1:] if text.startswith("\n") else text))
    return fields


def page_form(world: World, url: str, **overrides: Any) -> tuple[str, dict[str, Any]]:
    """The main POST form of ``url`` as the performance team sees it, with ``overrides`` applied."""
    r = world.client("perf").get(url)
    assert r.status_code == 200, f"GET {url} as perf: {r.status_code}"
    posts = [_fields(f) for f in page(r).select("form")
             if str(f.get("method", "get")).lower() == "post" and f.get("action", "") in ("", url)]
    assert posts, f"no POST form on {url}"
    data: dict[str, Any] = {}
    for name, value in max(posts, key=len):
        if name == "csrfmiddlewaretoken":
            continue
        if name in data:
            data[name] = [*(data[name] if isinstance(data[name], list) else [data[name]]), value]
        else:
            data[name] = value
    data.update(overrides)
    return url, data


# ----------------------------------------------------------------------------------- the URLs
def q(label: str) -> str:
    return quote(label)


def draft_q(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{urlencode({'period': DRAFT_PERIOD})}"


def sub_version(pk: int) -> str:
    return str(m.Submission.objects.get(pk=pk).version)


def snap_version(pk: int) -> str:
    return str(m.Snapshot.objects.get(pk=pk).version)


def _return_form(w: World, role: str) -> tuple[str, dict[str, Any]]:
    value = {"lead": "987101", "perf": "987102", "admin": "987103"}.get(role, "987100")
    return f"/manage/returns/{w.sub_pk}/", {
        "version": sub_version(w.sub_pk), "e-children-in-need-period": DRAFT_PERIOD,
        "e-children-in-need-value": value, "e-children-in-need-note": f"by {role}"}


def _submit(w: World, role: str) -> tuple[str, dict[str, Any]]:
    # each allowed role starts from an open return (the previous one submitted it)
    m.Submission.objects.filter(pk=w.sub_pk).update(status=m.Submission.Status.IN_PROGRESS)
    return f"/manage/returns/{w.sub_pk}/submit/", {"version": sub_version(w.sub_pk), "declaration": "1"}


def _review(w: World, role: str) -> tuple[str, dict[str, Any]]:
    m.Submission.objects.filter(pk=w.sub_pk).update(status=m.Submission.Status.SUBMITTED)
    return f"/manage/returns/{w.sub_pk}/review/", {"version": sub_version(w.sub_pk), "decision": "accept"}


def _publish(w: World, role: str) -> tuple[str, dict[str, Any]]:
    m.Submission.objects.filter(snapshot_id__in=[w.draft_pk, w.prosperous_draft.pk]).update(
        status=m.Submission.Status.ACCEPTED)
    pk = w.prosperous_draft.pk if role == "admin" else w.draft_pk  # one draft each
    return f"/manage/snapshots/{pk}/publish/", {"version": snap_version(pk)}


def _revise(w: World, role: str) -> tuple[str, dict[str, Any]]:
    pk = w.prosperous_published.pk if role == "admin" else w.published_pk
    return f"/manage/snapshots/{pk}/revise/", {"reason": f"A correction by {role}"}


def _deadline(w: World, role: str) -> tuple[str, dict[str, Any]]:
    rp = m.ReportingPeriod.objects.get(label=DRAFT_PERIOD)
    return f"/manage/periods/{q(DRAFT_PERIOD)}/", {"version": rp.version, "deadline": "2018-08-15"}


def _discard(w: World, role: str) -> tuple[str, dict[str, Any]]:
    pk = w.prosperous_draft.pk if role == "admin" else w.draft_pk  # one draft each
    return f"/manage/snapshots/{pk}/discard/", {"version": snap_version(pk), "reason": f"Not needed ({role})"}


def _open_period(w: World, role: str) -> tuple[str, dict[str, Any]]:
    return "/manage/periods/", {"label": "Q3 2018-19" if role == "admin" else "Q2 2018-19", "deadline": ""}


def _workbook_file(w: World, role: str) -> tuple[str, dict[str, Any]]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from outcomes_web.workspace import workbook as wbmod

    content = bytes(w.upload.content)
    return "/manage/workbook/upload/", {"workbook": SimpleUploadedFile("returns.xlsx", content,
                                                                      content_type=wbmod.CONTENT_TYPE)}


def _commit(w: World, role: str) -> tuple[str, dict[str, Any]]:
    if role == "lead":  # a filled-in workbook, so committing it writes something
        from openpyxl import load_workbook

        from outcomes_web.workspace import workbook as wbmod

        wb = load_workbook(io.BytesIO(bytes(w.upload.content)))
        ws = wb[wbmod.FIGURES]
        row = next(r for r in range(wbmod.FIRST_ROW, ws.max_row + 1)
                   if ws[f"{wbmod.FIG['series']}{r}"].value == "re-referrals")
        ws[f"{wbmod.FIG['value']}{row}"] = 21.5
        ws[f"{wbmod.FIG['note']}{row}"] = "checked"
        buffer = io.BytesIO()
        wb.save(buffer)
        sub = m.Submission.objects.get(pk=w.sub_pk)
        m.PendingUpload.objects.filter(pk=w.upload.pk).update(
            content=buffer.getvalue(), seen_versions={"snapshot_versions": {},
                                                      "submission_versions": {str(sub.pk): sub.version}})
    return f"/manage/workbook/{w.upload.pk}/commit/", {}


def _framework_edit(path: Callable[[World], str], **overrides: str) -> Builder:
    def build(w: World, role: str) -> tuple[str, dict[str, Any]]:
        return page_form(w, path(w), **{k: v.format(role=role) for k, v in overrides.items()})

    return build


def _new_series(w: World, role: str) -> tuple[str, dict[str, Any]]:
    url, data = page_form(w, f"/manage/framework/{w.draft_pk}/new/series/", holder="indicator:child-protection",
                          key=f"new-series-{role}", title=f"A series by {role}", unit_type="count",
                          polarity="higher-is-better")
    if not data.get("period_kind"):
        data["period_kind"] = "quarter"
    return url, data


def _archive(w: World, role: str) -> tuple[str, dict[str, Any]]:
    key = "killed-seriously-injured" if role == "perf" else "total-crime"
    url = f"/manage/framework/{w.draft_pk}/indicator/{key}/archive/"
    if not m.Indicator.objects.filter(snapshot_id=w.draft_pk, key=key).exists():
        key = m.Indicator.objects.filter(snapshot_id=w.draft_pk, archived_on__isnull=True).exclude(
            key__in=["killed-seriously-injured", "child-protection"]).order_by("position")[0].key
        url = f"/manage/framework/{w.draft_pk}/indicator/{key}/archive/"
    return page_form(w, url, reason=f"Archived by {role}")


def fw(w: World, tail: str) -> str:
    return f"/manage/framework/{w.draft_pk}/{tail}"


RULES: dict[str, Rule] = {
    # ---------------------------------------------------------------- the public site
    "tracker:home": Rule(lambda w: "/", PUBLIC, public=True, draft_url=lambda w: draft_q("/")),
    "tracker:favicon": Rule(lambda w: "/favicon.ico", PUBLIC),
    "tracker:risks": Rule(lambda w: "/risks/", PUBLIC, public=True, draft_url=lambda w: draft_q("/risks/")),
    "tracker:search": Rule(lambda w: f"/search/?q={SECRET}", PUBLIC, public=True,
                           draft_url=lambda w: draft_q(f"/search/?q={SECRET}")),
    "tracker:outcome": Rule(lambda w: "/outcomes/safe/", PUBLIC, public=True,
                            draft_url=lambda w: draft_q("/outcomes/safe/")),
    "tracker:report": Rule(lambda w: "/outcomes/safe/report.html", PUBLIC, public=True,
                           draft_url=lambda w: draft_q("/outcomes/safe/report.html")),
    # "Try again" on a failed report build: anyone may ask (it only queues the published report's build
    # again, once); with no failed build it changes nothing. tests/web/test_report_builds.py has the rest.
    "tracker:report-retry": Rule(lambda w: "/outcomes/safe/report.html/retry", roles(NOT_ALLOWED),
                                 post=roles(Expect(302, changes=False)),
                                 post_data=lambda w, r: ("/outcomes/safe/report.html/retry", {})),
    "tracker:indicator": Rule(lambda w: "/outcomes/safe/indicators/child-protection/", PUBLIC, public=True,
                              draft_url=lambda w: draft_q("/outcomes/safe/indicators/child-protection/")),
    "tracker:indicator-csv": Rule(
        lambda w: "/outcomes/safe/indicators/child-protection/observations.csv", PUBLIC, public=True,
        draft_url=lambda w: draft_q("/outcomes/safe/indicators/child-protection/observations.csv")),
    "tracker:indicator-json": Rule(
        lambda w: "/outcomes/safe/indicators/child-protection/indicator.json", PUBLIC, public=True,
        draft_url=lambda w: draft_q("/outcomes/safe/indicators/child-protection/indicator.json")),
    # ---------------------------------------------------------------- the JSON API
    "api:docs": Rule(lambda w: "/api/", PUBLIC, public=True),
    "api:openapi": Rule(lambda w: "/api/openapi.json", PUBLIC, public=True),
    "api:outcomes": Rule(lambda w: "/api/outcomes/", PUBLIC, public=True,
                         draft_url=lambda w: draft_q("/api/outcomes/")),
    "api:outcome": Rule(lambda w: "/api/outcomes/safe/", PUBLIC, public=True,
                        draft_url=lambda w: draft_q("/api/outcomes/safe/")),
    "api:series": Rule(lambda w: "/api/series/children-in-need/", PUBLIC, public=True,
                       draft_url=lambda w: draft_q("/api/series/children-in-need/")),
    "api:risks": Rule(lambda w: "/api/risks/", PUBLIC, public=True, draft_url=lambda w: draft_q("/api/risks/")),
    "api:periods": Rule(lambda w: "/api/periods/", PUBLIC, public=True,
                        draft_url=lambda w: draft_q("/api/periods/")),
    # ---------------------------------------------------------------- signing in and out
    "workspace:login": Rule(lambda w: "/accounts/login/", roles(REDIRECT, anonymous=OK)),
    "workspace:logout": Rule(lambda w: "/accounts/logout/", roles(NOT_ALLOWED),
                             post=roles(REDIRECT), post_data=lambda w, r: ("/accounts/logout/", {})),
    # ---------------------------------------------------------------- the workspace
    "workspace:dashboard": Rule(lambda w: "/manage/", INTERNAL),
    "workspace:periods": Rule(lambda w: "/manage/periods/", READERS,
                              post=post_rule(READERS) | {"viewer": REFUSED}, post_data=_open_period),
    "workspace:period": Rule(lambda w: f"/manage/periods/{q(DRAFT_PERIOD)}/", READERS,
                             post=post_rule(MANAGERS), post_data=_deadline),
    "workspace:submission": Rule(lambda w: f"/manage/returns/{w.sub_pk}/", ITEM_READERS,
                                 post=post_rule(ITEM_READERS) | {"viewer": REFUSED}, post_data=_return_form),
    "workspace:submission-submit": Rule(
        lambda w: f"/manage/returns/{w.sub_pk}/submit/", post_only(INTERNAL),
        post=post_rule(ITEM_READERS) | {"viewer": REFUSED}, post_data=_submit),
    "workspace:submission-review": Rule(lambda w: f"/manage/returns/{w.sub_pk}/review/", post_only(MANAGERS),
                                        post=post_rule(MANAGERS), post_data=_review),
    "workspace:snapshot": Rule(lambda w: f"/manage/snapshots/{w.draft_pk}/", READERS),
    "workspace:snapshot-report": Rule(lambda w: f"/manage/snapshots/{w.draft_pk}/report.html", READERS),
    "workspace:snapshot-publish": Rule(lambda w: f"/manage/snapshots/{w.draft_pk}/publish/", post_only(MANAGERS),
                                       post=post_rule(MANAGERS), post_data=_publish),
    "workspace:snapshot-revise": Rule(lambda w: f"/manage/snapshots/{w.published_pk}/revise/",
                                      post_only(MANAGERS), post=post_rule(MANAGERS), post_data=_revise),
    "workspace:snapshot-discard": Rule(lambda w: f"/manage/snapshots/{w.draft_pk}/discard/", post_only(MANAGERS),
                                       post=post_rule(MANAGERS), post_data=_discard),
    "workspace:audit": Rule(lambda w: "/manage/audit/", READERS),
    "workspace:history": Rule(lambda w: "/manage/history/safe/child-protection/", ITEM_READERS),
    # ---------------------------------------------------------------- the returns workbook
    "workspace:workbook": Rule(lambda w: "/manage/workbook/", ENTERERS),
    "workspace:workbook-download": Rule(lambda w: f"/manage/workbook/{q(DRAFT_PERIOD)}.xlsx", ENTERERS),
    "workspace:workbook-upload": Rule(lambda w: "/manage/workbook/upload/", ENTERERS,
                                      post=post_rule(ENTERERS), post_data=_workbook_file),
    "workspace:workbook-preview": Rule(lambda w: f"/manage/workbook/{w.upload.pk}/", UPLOADER),
    "workspace:workbook-commit": Rule(lambda w: f"/manage/workbook/{w.upload.pk}/commit/",
                                      post_only(roles(OK, anonymous=LOGIN, norole=FORBIDDEN)),
                                      post=post_rule(UPLOADER), post_data=_commit),
    "workspace:workbook-discard": Rule(lambda w: f"/manage/workbook/{w.upload.pk}/discard/",
                                       post_only(roles(OK, anonymous=LOGIN, norole=FORBIDDEN)),
                                       post=post_rule(UPLOADER),
                                       post_data=lambda w, r: (f"/manage/workbook/{w.upload.pk}/discard/", {})),
    # ---------------------------------------------------------------- the framework
    "workspace:framework": Rule(lambda w: "/manage/framework/", MANAGERS),
    "workspace:framework-outcome": Rule(
        lambda w: fw(w, "outcome/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, "outcome/"), title="Safe, edited by {role}")),
    "workspace:framework-new-indicator": Rule(
        lambda w: fw(w, "new/indicator/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, "new/indicator/"), key="new-{role}",
                                  title="An indicator by {role}", number="99")),
    "workspace:framework-new-measure": Rule(
        lambda w: fw(w, "new/measure/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, "new/measure/"), indicator="child-protection",
                                  key="new-measure-{role}", title="A measure by {role}")),
    "workspace:framework-new-series": Rule(lambda w: fw(w, "new/series/"), MANAGERS, post=post_rule(MANAGERS),
                                           post_data=_new_series),
    "workspace:framework-new-risk": Rule(
        lambda w: fw(w, "new/risk/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, "new/risk/"), key="R-{role}", title="A risk by {role}",
                                  score="HIGH", trend="new")),
    "workspace:framework-indicator": Rule(
        lambda w: fw(w, "indicators/child-protection/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, "indicators/child-protection/"), title="Titled by {role}")),
    "workspace:framework-measure": Rule(
        lambda w: fw(w, f"measures/{w.measure}/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, f"measures/{w.measure}/"), title="Titled by {role}")),
    "workspace:framework-series": Rule(
        lambda w: fw(w, "series/children-in-need/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, "series/children-in-need/"), title="Titled by {role}")),
    "workspace:framework-risk": Rule(
        lambda w: fw(w, f"risks/{w.risk}/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_framework_edit(lambda w: fw(w, f"risks/{w.risk}/"), title="Titled by {role}")),
    "workspace:framework-archive": Rule(
        lambda w: fw(w, "indicator/killed-seriously-injured/archive/"), MANAGERS, post=post_rule(MANAGERS),
        post_data=_archive),
}


# ==================================================================================== the checks
def url_patterns(patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
                 ) -> Iterator[tuple[str, str]]:
    """(name or regex, regex) of every URL pattern, walking included resolvers."""
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from url_patterns(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            regex = prefix + str(p.pattern)
            yield (f"{namespace}{p.name}" if p.name else regex), regex


def test_every_url_pattern_has_a_rule() -> None:
    found = dict(url_patterns())
    missing = sorted(f"{name} ({regex})" for name, regex in found.items() if name not in RULES)
    assert not missing, ("URL patterns with no rule in the permission matrix (add one to RULES in "
                         f"tests/web/test_permissions.py): {missing}")
    stale = sorted(set(RULES) - set(found))
    assert not stale, f"rules for URL patterns that no longer exist: {stale}"
    for name, rule in RULES.items():
        assert set(rule.get) == set(ROLES), f"{name}: GET rule must name every role"
        assert rule.post is None or set(rule.post) == set(ROLES), f"{name}: POST rule must name every role"


def _check(method: str, url: str, role: str, r: Any, want: Expect) -> str | None:
    where = f"{method} {url} as {role}"
    if r.status_code != want.status:
        body = _gist(r) if r.status_code != 200 else ""
        return f"{where}: expected {want}, got {r.status_code} {r.get('Location', '')} {body}".rstrip()
    if want.status == 302:
        to_login = r["Location"].startswith("/accounts/login/")
        if want.login != to_login:
            return f"{where}: expected {want}, redirected to {r['Location']}"
    return None


def _gist(r: Any) -> str:
    """The page's error summary (or its start), to say why a request was refused."""
    soup = page(r)
    summary = soup.select_one(".error-summary")
    return (words(summary) if summary is not None else words(soup)[:300])[:600]


def _leaks(r: Any, url: str) -> list[str]:
    """The draft's words in the response (a word the URL asks for, echoed back as the query, is no leak:
    search results are checked separately)."""
    body = r.content.decode("utf-8", errors="replace") if r.get("Content-Type", "").split(";")[0] != \
        "application/pdf" else ""
    return [word for word in LEAKS if word in body and word not in url]


def _may_read_the_draft(role: str, name: str) -> bool:
    """Whether ``role`` may see the draft's figure on the workspace page ``name``."""
    if RULES[name].public:
        return False
    if role in ("viewer", "perf", "admin"):
        return True
    return role == "lead" and name in ("workspace:submission", "workspace:history", "workspace:workbook-download",
                                       "workspace:workbook-preview", "workspace:dashboard")


def _state(w: World) -> dict[str, Any]:
    """What a refused POST must leave exactly as it was."""
    drafts = list(m.Snapshot.objects.filter(published=False).values_list("pk", flat=True))

    def rows(model: type[Model], *names: str, **where: Any) -> list[tuple[Any, ...]]:
        return sorted(model._default_manager.filter(**where).values_list("pk", *names))

    return {
        "audit": m.AuditEvent.objects.count(),
        "snapshots": rows(m.Snapshot, "published", "archived_on", "version", "content_hash"),
        "periods": rows(m.ReportingPeriod, "status", "deadline", "version"),
        "submissions": rows(m.Submission, "status", "version"),
        "observations": rows(m.Observation, "value", "note", "status", series__snapshot_id__in=drafts),
        "narratives": rows(m.Narrative, "story", "version", indicator__snapshot_id__in=drafts),
        "outcomes": rows(m.Outcome, "title", "version", snapshot_id__in=drafts),
        "indicators": rows(m.Indicator, "title", "archived_on", "version", snapshot_id__in=drafts),
        "measures": rows(m.Measure, "title", "archived_on", "version", snapshot_id__in=drafts),
        "series": rows(m.Series, "title", "version", snapshot_id__in=drafts),
        "risks": rows(m.Risk, "title", "archived_on", "version", snapshot_id__in=drafts),
        "assignments": rows(m.Assignment, "user_id", "item_key"),
        "uploads": rows(m.PendingUpload, "status"),
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [k for k in before if before[k] != after[k]]


@pytest.mark.parametrize("name", sorted(RULES))
def test_get(world: World, name: str) -> None:
    """GET ``name`` as every role: the status the matrix says, and no draft figure where it may not be."""
    rule = RULES[name]
    assert rule.get_url is not None
    url = rule.get_url(world)
    failures = []
    for role in ROLES:
        r = world.client(role).get(url)
        problem = _check("GET", url, role, r, rule.get[role])
        if problem:
            failures.append(problem)
        if not _may_read_the_draft(role, name) and (leaked := _leaks(r, url)):
            failures.append(f"GET {url} as {role}: the draft leaked ({', '.join(leaked)})")
    assert not failures, "\n".join(failures)


POSTS = sorted(n for n, rule in RULES.items() if rule.post is not None)


@pytest.mark.parametrize("name", POSTS)
def test_post(world: World, name: str) -> None:
    """POST ``name`` as every role: refused roles first (nothing may change), then allowed roles
    (each must change something)."""
    rule = RULES[name]
    assert rule.post is not None and rule.post_data is not None
    order = sorted(ROLES, key=lambda r: (rule.post[r].changes is True, ROLES.index(r)))  # type: ignore[index]
    failures = []
    for role in order:
        want = rule.post[role]
        url, data = rule.post_data(world, role)
        before = _state(world) if want.changes is not None else None
        r = world.client(role).post(url, data)
        problem = _check("POST", url, role, r, want)
        if problem:
            failures.append(problem)
            continue
        if before is None:
            continue
        changed = _diff(before, _state(world))
        if want.changes is False and changed:
            failures.append(f"POST {url} as {role} was refused but changed: {', '.join(changed)}")
        elif want.changes is True and not changed:
            failures.append(f"POST {url} as {role} answered {r.status_code} but changed nothing "
                            f"({r.get('Location', '')})")
        elif want.changes is True and want.audited and "audit" not in changed:
            failures.append(f"POST {url} as {role} changed {', '.join(changed)} with no audit event")
    assert not failures, "\n".join(failures)


# ================================================================================= drafts never leak
PUBLIC_NAMES = sorted(n for n, rule in RULES.items() if rule.public)


@pytest.mark.parametrize("name", PUBLIC_NAMES)
def test_the_draft_period_is_not_public(world: World, name: str) -> None:
    """Asked for the draft period, a public page or endpoint answers 404 or leaves the draft out, for
    every role; no public response holds the draft's figure or narrative."""
    rule = RULES[name]
    urls = [u for u in (rule.get_url(world) if rule.get_url else None,
                        rule.draft_url(world) if rule.draft_url else None) if u]
    failures = []
    for role in ROLES:
        client = world.client(role)
        for url in urls:
            r = client.get(url)
            if leaked := _leaks(r, url):
                failures.append(f"GET {url} as {role}: the draft leaked ({', '.join(leaked)})")
            if url == (rule.draft_url(world) if rule.draft_url else None) or name == "tracker:search":
                problem = _draft_answer(name, r)
                if problem:
                    failures.append(f"GET {url} as {role}: {problem}")
    assert not failures, "\n".join(failures)


SINGLE = {"tracker:outcome", "tracker:report", "tracker:indicator", "tracker:indicator-csv", "tracker:indicator-json",
          "api:outcome", "api:series"}


def _draft_answer(name: str, r: Any) -> str | None:
    """What a public page answers when asked for the draft period."""
    if name in SINGLE:
        return None if r.status_code == 404 else f"expected 404 for the draft period, got {r.status_code}"
    if r.status_code != 200:
        return f"expected 200 with the draft left out, got {r.status_code}"
    if name == "tracker:home" and r.context["cards"]:
        return f"the home page shows {len(r.context['cards'])} draft outcome(s)"
    if name == "tracker:risks" and r.context["total"]:
        return f"the risk register shows {r.context['total']} draft risk(s)"
    if name == "tracker:search" and r.context["hits"]:
        return f"search finds {len(r.context['hits'])} draft item(s)"
    if name in ("api:outcomes", "api:risks") and json.loads(r.content)["count"]:
        return f"the API lists {json.loads(r.content)['count']} draft item(s)"
    if name == "api:periods" and DRAFT_PERIOD in [p["label"] for p in json.loads(r.content)["results"]]:
        return "the API lists the draft period"
    return None


def test_no_public_page_lists_or_serves_the_draft_period(world: World) -> None:
    """Without ?period= the public pages show published periods only: the draft period is named
    nowhere, for every role; either outcome's draft (safe and prosperous) is 404 by period and by
    revision number."""
    failures = []
    paths = [RULES[n].get_url(world) for n in PUBLIC_NAMES]  # type: ignore[misc]
    for role in ROLES:
        client = world.client(role)
        for path in paths:
            if "/api/openapi.json" in path or path == "/api/":
                continue
            r = client.get(path)
            if DRAFT_PERIOD in r.content.decode("utf-8", errors="replace"):
                failures.append(f"GET {path} as {role} names the draft period {DRAFT_PERIOD}")
        for path in ("/outcomes/prosperous/", "/api/outcomes/prosperous/", "/outcomes/prosperous/report.html",
                     "/outcomes/safe/?revision=2", "/outcomes/safe/report.html?revision=2"):
            url = draft_q(path)
            r = client.get(url)
            if r.status_code != 404:
                failures.append(f"GET {url} as {role}: expected 404, got {r.status_code}")
    assert not failures, "\n".join(failures)


def test_the_distinctive_figure_is_really_in_the_draft(world: World) -> None:
    """The leak checks above are not vacuous: the figure shows where the draft may be read."""
    for role, url in (("perf", f"/manage/returns/{world.sub_pk}/"), ("viewer", f"/manage/snapshots/{world.draft_pk}/"),
                      ("lead", f"/manage/returns/{world.sub_pk}/")):
        body = world.client(role).get(url).content.decode()
        assert any(word in body for word in LEAKS[:3]), f"{url} as {role} does not show the draft figure"
    story = world.client("perf").get(f"/manage/returns/{world.sub_pk}/").content.decode()
    assert SECRET in story


def test_pdf_reports_are_drawn_from_the_published_snapshot_only(world: World, settings: Any, tmp_path: Any,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF report (a stand-in renderer: the real one takes half a minute) is given the published
    snapshot's figures for the public, and the draft's only in the workspace, to those who read drafts."""
    import outcomes.report

    settings.REPORT_CACHE_DIR = tmp_path / "reports"
    given: list[tuple[str, str]] = []

    def render_pdf(framework: Any, *, judged: Any = None, findings: Any = None, outcome_id: Any = None,
                   period: Any = None) -> bytes:
        values = " ".join(f"{o.value:g}" for s in framework.all_series() for o in s.observations
                          if o.value is not None)
        given.append((str(outcome_id), str(period)))
        return f"%PDF-1.7 {period} {values}".encode()

    monkeypatch.setattr(outcomes.report, "render_pdf", render_pdf, raising=False)
    r = world.client("anonymous").get("/outcomes/safe/report.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf", r.content[:300]
    assert given == [("safe", "Q4 2017-18")] and FIGURE not in r.content.decode()
    for role in ROLES:
        assert world.client(role).get(draft_q("/outcomes/safe/report.pdf")).status_code == 404, role
    assert world.client("anonymous").get(f"/manage/snapshots/{world.draft_pk}/report.pdf")["Location"].startswith(
        "/accounts/login/")
    for role in ("norole", "lead", "otherlead"):
        assert world.client(role).get(f"/manage/snapshots/{world.draft_pk}/report.pdf").status_code == 403, role
    r = world.client("perf").get(f"/manage/snapshots/{world.draft_pk}/report.pdf")
    assert r.status_code == 200 and FIGURE in r.content.decode()  # the stand-in does see the draft here
    assert r["Cache-Control"] == "private, no-store"
    assert given[-1] == ("safe", DRAFT_PERIOD)


def test_public_pages_and_the_api_change_nothing_by_post(world: World) -> None:
    """The public site and the API are read-only: a POST is 405 for everyone, and changes nothing."""
    before = _state(world)
    failures = []
    for name in PUBLIC_NAMES:
        url = RULES[name].get_url(world)  # type: ignore[misc]
        for role in ("anonymous", "perf"):
            r = world.client(role).post(url, {"period": DRAFT_PERIOD})
            if r.status_code != 405:
                failures.append(f"POST {url} as {role}: expected 405, got {r.status_code}")
    assert not failures, "\n".join(failures)
    assert _state(world) == before


# ======================================================================= headers and methods (issue 11, item 6)
GETTABLE = sorted(n for n, rule in RULES.items() if any(e != NOT_ALLOWED for e in rule.get.values()))


def _inline_code(soup: BeautifulSoup) -> list[tuple[str, Tag]]:
    """What a strict policy refuses in a page: inline scripts, on...= handlers, style= attributes."""
    found = [("an inline <script>", tag) for tag in soup.find_all("script") if not tag.has_attr("src")]
    found += [("an on...= handler", tag) for tag in soup.find_all(True)
              if any(re.fullmatch(r"on[a-z]+", name) for name in tag.attrs)]
    return found + [("a style= attribute", tag) for tag in soup.select("[style]")]


@pytest.mark.parametrize("name", GETTABLE)
def test_head_is_answered_wherever_get_is(world: World, name: str) -> None:
    """Uptime monitors and link checkers ask with HEAD: every page that answers GET answers HEAD the
    same way (same status, same redirect to sign in), for every role."""
    rule = RULES[name]
    assert rule.get_url is not None
    url = rule.get_url(world)
    failures = []
    for role in ROLES:
        want = rule.get[role]
        if want == NOT_ALLOWED:
            continue
        problem = _check("HEAD", url, role, world.client(role).head(url), want)
        if problem:
            failures.append(problem)
    assert not failures, "\n".join(failures)


def _policy(r: Any) -> dict[str, str]:
    header = r.get("Content-Security-Policy", "")
    return {part.split()[0]: " ".join(part.split()[1:]) for part in header.split(";") if part.strip()}


def _csp_problems(r: Any, where: str) -> list[str]:
    policy = _policy(r)
    if not policy:
        return [f"{where}: no Content-Security-Policy"]
    problems = []
    for directive, must in (("default-src", "'none'"), ("frame-ancestors", "'none'"), ("object-src", "'none'"),
                            ("base-uri", "'none'"), ("form-action", "'self'")):
        if policy.get(directive) != must:
            problems.append(f"{where}: {directive} is {policy.get(directive)!r}, not {must}")
    for directive in ("script-src", "style-src"):
        if any(word in policy.get(directive, "") for word in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:")):
            problems.append(f"{where}: {directive} {policy.get(directive)!r} allows more than this site's files")
    if r.get("Content-Type", "").startswith("text/html"):
        soup = page(r)
        problems += [f"{where}: {label}: {str(tag)[:80]}" for label, tag in _inline_code(soup)]
        for block in (style.get_text() for style in soup.find_all("style")):
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
            if digest not in policy.get("style-src", "").split():
                problems.append(f"{where}: a <style> block whose hash the policy does not allow")
    return problems


@pytest.mark.parametrize("name", GETTABLE)
def test_every_response_has_a_content_security_policy(world: World, name: str) -> None:
    """A strict policy on every page, download, report and error: no inline script anywhere, no inline
    style except the report's own stylesheet, allowed by its hash."""
    rule = RULES[name]
    assert rule.get_url is not None
    url = rule.get_url(world)
    failures = []
    for role in ("anonymous", "lead", "perf"):
        r = world.client(role).get(url)
        failures += _csp_problems(r, f"GET {url} as {role} ({r.status_code})")
    assert not failures, "\n".join(failures)


def test_the_html_reports_keep_their_stylesheet(world: World) -> None:
    """The report is one self-contained file with one <style> block: the policy allows exactly that."""
    for role, url in (("anonymous", "/outcomes/safe/report.html"),
                      ("perf", f"/manage/snapshots/{world.draft_pk}/report.html")):
        r = world.client(role).get(url)
        assert r.status_code == 200
        assert len(page(r).find_all("style")) == 1
        assert "'sha256-" in _policy(r)["style-src"], _policy(r)
        assert not _csp_problems(r, url)


def test_static_files_the_favicon_and_errors_have_the_policy_and_answer_head(world: World) -> None:
    client = world.client("anonymous")
    failures = []
    for url, status in (("/static/tracker/tracker.css", 200), ("/favicon.ico", 200),
                        ("/static/tracker/favicon.svg", 200), ("/no-such-page/", 404),
                        ("/outcomes/no-such-outcome/", 404)):
        for method in ("get", "head"):
            r = getattr(client, method)(url)
            if r.status_code != status:
                failures.append(f"{method.upper()} {url}: {r.status_code}, expected {status}")
            failures += _csp_problems(r, f"{method.upper()} {url}")
    assert not failures, "\n".join(failures)
    icon = client.get("/favicon.ico")
    assert icon["Content-Type"] == "image/vnd.microsoft.icon" and icon.content[:4] == b"\x00\x00\x01\x00"
    icons = {str(link["href"]): link for link in page(client.get("/")).select("head link[rel=icon]")}
    assert "/favicon.ico" in icons
    assert any(href.endswith(".svg") and "tracker/favicon" in href for href in icons)


# ================================================================================ every POST needs CSRF
@pytest.mark.parametrize("name", POSTS)
def test_every_post_needs_the_csrf_token(world: World, name: str) -> None:
    """A POST that would change something, from a role allowed to make it, but without the form's CSRF
    token (as a browser would send it from another site): 403, and nothing changes."""
    from django.test import Client

    rule = RULES[name]
    assert rule.post is not None and rule.post_data is not None
    role = next((r for r in ("perf", "admin", "lead") if rule.post[r].changes), "perf")
    url, data = rule.post_data(world, role)
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[role])
    before = _state(world)
    r = client.post(url, data)
    assert r.status_code == 403, f"POST {url} as {role} without a CSRF token: {r.status_code}"
    assert not _diff(before, _state(world)), f"POST {url} as {role} without a CSRF token changed something"


def test_signing_in_needs_the_csrf_token(world: World) -> None:
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    r = client.post("/accounts/login/", {"username": "perf", "password": world.cycle.PASSWORD})
    assert r.status_code == 403 and "_auth_user_id" not in client.session
