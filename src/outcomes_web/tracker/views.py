"""The public pages. Server-rendered; every control is a link or a GET form, so no JavaScript is needed."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from outcomes_web import adapter, middleware, presentation
from outcomes_web.query import period_param
from outcomes_web.reports import builds
from outcomes_web.store import compare, queries
from outcomes_web.store import search as store_search
from outcomes_web.tracker import presenters
from outcomes_web.tracker.context import site


class BadRequest(Exception):
    pass


def _bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "tracker/error.html", {"title": "There is a problem with the address",
                                                  "message": message}, status=400)


def _revision(request: HttpRequest) -> int | None:
    """?revision=N: a past published revision (its figures and report exactly as published)."""
    text = request.GET.get("revision", "").strip()
    if not text:
        return None
    if not text.isdigit() or int(text) < 1:
        raise BadRequest(f"'{text}' is not a revision number: use 1, 2, ...")
    return int(text)


def _loaded(outcome_key: str, period: str, request: HttpRequest) -> adapter.Loaded:
    revision = _revision(request)
    snapshot = queries.find_snapshot(outcome_key, period or None, revision)
    if snapshot is None:
        raise Http404(f"No published outcome '{outcome_key}'" + (f" for {period}" if period else "")
                      + (f" at revision {revision}" if revision else "") + ".")
    return adapter.load_outcome(snapshot)


PAGE_MEMO_LIMIT = 40  # rendered pages kept per snapshot (distinct query strings)
# Where the memoised HTML leaves room for what belongs to one visitor. Autoescaping turns every "<" of
# data into "&lt;", so no figure or title can contain these comments.
ACCOUNT_SLOT = "<!--outcomes:account-->"
MESSAGES_SLOT = "<!--outcomes:messages-->"
# What depends on other snapshots than the page's own (the comparison across authorities), filled per request.
AUTHORITIES_SLOT = "<!--outcomes:authorities-->"
_SLOTS = {"account": mark_safe(ACCOUNT_SLOT), "messages": mark_safe(MESSAGES_SLOT),  # noqa: S308 - constants
          "authorities": mark_safe(AUTHORITIES_SLOT)}  # noqa: S308 - a constant


def _memo_page(request: HttpRequest, template: str, loaded: adapter.Loaded,
               context: Callable[[], dict[str, Any]], late: dict[str, str] | None = None) -> HttpResponse:
    """A page is a function of the snapshot's data and the address: render it once per snapshot
    revision and keep the HTML with the cached framework (dropped when the data changes).

    Only what is the same for every visitor is kept: the page is rendered *without the request* (so no
    user, no CSRF token, no messages can reach it), with two slots in the header. Each request then
    fills the slots with its own visitor's part (name and sign-out form, or "Sign in"; their messages).
    """
    pages = loaded.memo.setdefault("pages", {})
    key = request.get_full_path()
    html = pages.get(key)
    if html is None:
        html = render_to_string(template, {**site(request), **context(), "per_user_slots": _SLOTS})
        if len(pages) < PAGE_MEMO_LIMIT:
            pages[key] = html
    account = render_to_string("tracker/includes/account.html", request=request)
    messages = render_to_string("tracker/includes/messages.html", request=request)
    html = html.replace(ACCOUNT_SLOT, account, 1).replace(MESSAGES_SLOT, messages, 1)
    for slot, part in (late or {}).items():
        html = html.replace(slot, part, 1)
    return HttpResponse(html, content_type="text/html; charset=utf-8")


def _revisions(snap: Any) -> list[Any]:
    """The published revisions of the snapshot's outcome and period, when there is more than one."""
    revs = queries.revisions(snap)
    return revs if len(revs) > 1 else []


def _common(loaded: adapter.Loaded, period: str) -> dict[str, Any]:
    snap = loaded.snapshot
    return {
        "loaded": loaded, "outcome": loaded.outcome, "framework": loaded.framework, "snapshot": snap,
        "period_label": snap.reporting_period.label, "period_param": period,
        "period_query": presentation.period_query(period),
        "outcome_url": presentation.outcome_url(loaded.outcome.id, period),
        "revisions": _revisions(snap),
        "revision_changes": adapter.revision_changes(snap.supersedes, snap)
        if snap.supersedes_id and snap.supersedes and snap.supersedes.published else [],
    }


def _guard(view):  # type: ignore[no-untyped-def]
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (BadRequest, adapter.BadPeriod) as exc:
            return _bad_request(request, str(exc))

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_safe(wrapped)


# ------------------------------------------------------------------------------------------- pages
@_guard
def home(request: HttpRequest) -> HttpResponse:
    """Every outcome of every organisation held, grouped by organisation, with counts of its
    indicators and measures by judgement."""
    period = period_param(request)
    snapshots = queries.public_snapshots(period or None)
    cards: list[dict[str, Any]] = []
    for snap in snapshots:
        loaded = adapter.load_outcome(snap)
        shown_period = period
        cards.append({
            "loaded": loaded, "outcome": loaded.outcome, "period": snap.reporting_period.label,
            "url": presentation.outcome_url(snap.outcome_key, shown_period),
            "counts": presentation.judgement_counts(loaded), "organisation": snap.organisation,
            "sponsor": loaded.outcome.sponsor,
        })
    # Grouped by organisation, in the order their outcomes were first imported; each organisation's
    # outcomes in their framework order.
    groups: dict[str, list[dict[str, Any]]] = {}
    for card in cards:
        groups.setdefault(card["organisation"], []).append(card)
    return render(request, "tracker/home.html", {
        "cards": cards, "organisations": list(groups.items()), "periods": queries.public_periods(),
        "period_param": period,
    })


@_guard
def outcome(request: HttpRequest, outcome_key: str) -> HttpResponse:
    """The scorecard: every series of the outcome's indicators and measures, sortable and filterable."""
    period = period_param(request)
    loaded = _loaded(outcome_key, period, request)

    def context() -> dict[str, Any]:
        card = presenters.scorecard(loaded, {k: request.GET.get(k, "") for k in request.GET}, period)
        return {
            **_common(loaded, period), "card": card, "periods": queries.periods_of(outcome_key),
            "counts": presentation.judgement_counts(loaded),
            "focus_note": adapter.FOCUS_RANKING_SENTENCE,
            "unassigned_risks": loaded.framework.unassigned_risks(loaded.outcome.id),
            "leads": presenters.people(loaded.outcome.lead_officers),
            "contacts": presenters.people(loaded.outcome.contacts),
        }

    return _memo_page(request, "tracker/outcome.html", loaded, context)


def _indicator(loaded: adapter.Loaded, indicator_key: str) -> Any:
    for ind in loaded.outcome.indicators:
        if ind.id == indicator_key:
            return ind
    raise Http404(f"'{indicator_key}' is not a population indicator of {loaded.outcome.title}.")


@_guard
def indicator(request: HttpRequest, outcome_key: str, indicator_key: str) -> HttpResponse:
    """One population indicator: chart, data, judgements, narrative, measures, risks, downloads."""
    period = period_param(request)
    loaded = _loaded(outcome_key, period, request)
    ind = _indicator(loaded, indicator_key)

    def context() -> dict[str, Any]:
        common = _common(loaded, period)
        mine = {s.id for s in ind.series} | {s.id for me in ind.measures for s in me.series}
        common["revision_changes"] = [c for c in common["revision_changes"] if c.series_id in mine]
        return {**common, **presenters.indicator_page(loaded, ind)}

    return _memo_page(request, "tracker/indicator.html", loaded, context,
                      late={AUTHORITIES_SLOT: _authorities(loaded, ind, period)})


def _authorities(loaded: adapter.Loaded, ind: Any, period: str) -> str:
    """The indicator's series compared across the authorities held (empty when no one else holds them)."""
    comparisons = compare.across_authorities(loaded.snapshot, [s.id for s in ind.series])
    if not comparisons:
        return ""
    units = {s.id: s for s in ind.series}
    tables = []
    for c in comparisons:
        s = units[c.series_key]
        groups, quantiles = adapter.authority_quantiles([r.value for r in c.rows], polarity=c.polarity)
        rows = [{"standing": r, "quantile": q,
                 "value": presentation.value_text(s, r.value) if r.value is not None else "No figure",
                 "interval": f"{presentation.short_value_text(s, r.lower95)} to {presentation.short_value_text(s, r.upper95)}"
                 if r.lower95 is not None and r.upper95 is not None else "",
                 "url": presentation.indicator_url(r.outcome_key, r.indicator_key)}
                for r, q in zip(c.rows, quantiles, strict=True)]
        tables.append({"comparison": c, "rows": rows,
                       "quantile_name": {10: "Decile", 5: "Quintile"}.get(groups or 0, "")})
    return render_to_string("tracker/includes/authorities.html", {"tables": tables, "several": len(tables) > 1})


@_guard
def indicator_download(request: HttpRequest, outcome_key: str, indicator_key: str, name: str) -> HttpResponse:
    """observations.csv, judgements.csv or indicator.json for one indicator (its series and measures)."""
    period = period_param(request)
    loaded = _loaded(outcome_key, period, request)
    ind = _indicator(loaded, indicator_key)
    stem = f"{outcome_key}-{indicator_key}-{loaded.snapshot.reporting_period.label}".replace(" ", "-").lower()
    if name == "json":
        payload = {
            "outcome": outcome_key, "indicator": ind.id, "number": ind.number, "title": ind.title,
            "reporting_period": loaded.snapshot.reporting_period.label,
            "observations": presenters.observation_records(loaded, ind),
            "judgements": presenters.judgement_records(loaded, ind),
        }
        response: HttpResponse = JsonResponse(payload, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = f'attachment; filename="{stem}.json"'
        return response
    columns: tuple[str, ...]
    if name == "observations":
        rows, columns = presenters.observation_records(loaded, ind), presenters.OBSERVATION_COLUMNS
    elif name == "judgements":
        rows, columns = presenters.judgement_records(loaded, ind), presenters.JUDGEMENT_COLUMNS
    else:
        raise Http404("No such download.")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: adapter.neutralise_cell("" if row[k] is None else row[k]) for k in columns})
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}-{name}.csv"'
    return response


@_guard
def risks(request: HttpRequest) -> HttpResponse:
    """The risk register: every risk of the outcomes shown, with score and trend, filterable."""
    period = period_param(request)
    snapshots = queries.public_snapshots(period or None)
    filters = queries.RiskFilters(**{k: request.GET.get(k, "").strip() for k in ("score", "trend", "outcome",
                                                                                  "linked", "q")})
    rows = queries.risk_register(snapshots, filters)
    return render(request, "tracker/risks.html", {
        "rows": rows, "filters": filters, "snapshots": snapshots, "period_param": period,
        "period_query": presentation.period_query(period), "periods": queries.public_periods(),
        "scores": ("HIGH", "MEDIUM", "LOW"), "trends": ("improving", "unchanged", "worsening", "new"),
        "total": sum(1 for _ in rows),
    })


@_guard
def report(request: HttpRequest, outcome_key: str, fmt: str) -> HttpResponse:
    """The library's HTML or PDF report of one outcome and period.

    Built once per data revision by a worker (``outcomes_web.reports``), never in the request: until it
    is ready the answer is a page saying it is being prepared, which looks again by itself
    (``?wait=1``); then the file. A failed build says why and offers to try again."""
    period = period_param(request)
    loaded = _loaded(outcome_key, period, request)
    outcome = builds.request(loaded, fmt)
    waiting = request.GET.get("wait") == "1"
    if isinstance(outcome, builds.Ready):
        if waiting:  # the "being prepared" page looking again: now it is ready
            if fmt == "html":
                return redirect(_report_url(request))
            return _report_page(request, loaded, fmt, "tracker/report_ready.html", status=200,
                                size=len(outcome.content))
        return _report_file(loaded, outcome_key, fmt, outcome)
    if isinstance(outcome, builds.Failed):
        url = _report_url(request)
        return _report_page(request, loaded, fmt, "tracker/report_failed.html", status=503, build=outcome.build,
                            error=outcome.build.error.rstrip(". "),
                            retry_url=url.replace(request.path, request.path + "/retry", 1))
    # The page looks again by itself unless the visitor turned that off (WCAG 2.2.1: a way to stop it).
    refreshing = request.GET.get("refresh") != "off"
    response = _report_page(request, loaded, fmt, "tracker/report_pending.html", status=202,
                            build=outcome.build, waiting_long=outcome.waiting_long, refreshing=refreshing,
                            refresh_url=_report_url(request, wait=True, keep_refresh=True),
                            stop_url=_report_url(request, wait=True) + "&refresh=off",
                            refresh_seconds=REPORT_REFRESH_SECONDS)
    response["Retry-After"] = str(REPORT_REFRESH_SECONDS)
    return response


REPORT_REFRESH_SECONDS = 5
REPORT_NAMES = {"html": "web page (HTML)", "pdf": "PDF"}


def _report_url(request: HttpRequest, *, wait: bool = False, keep_refresh: bool = False) -> str:
    query = request.GET.copy()
    query.pop("wait", None)
    refresh = query.pop("refresh", None)
    if wait:
        query["wait"] = "1"
    if keep_refresh and refresh:
        query.setlist("refresh", refresh[-1:])
    return request.path + (f"?{query.urlencode()}" if query else "")


def _report_page(request: HttpRequest, loaded: adapter.Loaded, fmt: str, template: str, *, status: int,
                 **extra: Any) -> HttpResponse:
    response = render(request, template, {
        "outcome": loaded.outcome, "period": loaded.snapshot.reporting_period.label, "fmt": fmt,
        "format_name": REPORT_NAMES[fmt], "report_url": _report_url(request),
        "outcome_url": presentation.outcome_url(loaded.snapshot.outcome_key, period_param(request)), **extra,
    }, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _report_file(loaded: adapter.Loaded, outcome_key: str, fmt: str, ready: builds.Ready) -> HttpResponse:
    response = HttpResponse(ready.content, content_type=adapter.REPORT_FORMATS[fmt])
    label = loaded.snapshot.reporting_period.label.replace(" ", "-").lower()
    disposition = "inline" if fmt == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{outcome_key}-{label}.{fmt}"'
    response["X-Report-Cache"] = "hit" if ready.cached else "miss"
    response["Cache-Control"] = "public, max-age=300"
    response["ETag"] = f'"{loaded.snapshot.content_hash[:32]}-{fmt}"'
    return middleware.allow_style_blocks(response) if fmt == "html" else response


@require_POST
def report_retry(request: HttpRequest, outcome_key: str, fmt: str) -> HttpResponse:
    """"Try again" on a failed build: queue it again (once), then back to the waiting page."""
    try:
        period = period_param(request)
        loaded = _loaded(outcome_key, period, request)
    except (BadRequest, adapter.BadPeriod) as exc:
        return _bad_request(request, str(exc))
    builds.retry(loaded, fmt)
    waiting_page = _report_url(request, wait=True)
    return redirect(request.path.removesuffix("/retry") + waiting_page[len(request.path):])


@_guard
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search of the public pages (GET ?q=): one result per page, best first, with the
    passage that matches (``outcomes_web.store.search``)."""
    period = period_param(request)
    q = request.GET.get("q", "").strip()[:200]
    snapshots = queries.public_snapshots(period or None)
    results = store_search.search(q, snapshots) if q else store_search.Results([], True)
    hits = []
    for found in results.found:
        key = found.snapshot.outcome_key
        if found.kind == "outcome":
            url, kind = presentation.outcome_url(key, period), "Outcome"
        elif found.kind == "risks":
            url = "/risks/?" + urlencode({"outcome": key, **({"period": period} if period else {})})
            kind = "Risk register"
        else:
            url, kind = presentation.indicator_url(key, found.indicator_key, period), "Population indicator"
        hits.append({"found": found, "url": url, "kind": kind, "title": found.title,
                     "organisation": found.snapshot.organisation,
                     "outcome_title": found.snapshot.outcome.title, "period": found.snapshot.reporting_period.label})
    return render(request, "tracker/search.html", {"q": q, "hits": hits, "period_param": period,
                                                   "every_word": results.every_word, "also": results.also,
                                                   "limit": store_search.LIMIT})


FAVICON = Path(__file__).resolve().parent / "static" / "tracker" / "favicon.ico"


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, where browsers and bookmarking tools look without asking the page (the pages link
    the SVG icon too)."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    message = str(exception) if exception and str(exception) and not str(exception).startswith("{") else ""
    return render(request, "404.html", {"message": message}, status=404)
