"""The read-only JSON API. Ids are the dataset's own (``safe``, ``child-protection``), stable across
imports; ``?period=`` picks a reporting period (default: each outcome's latest). Lists are paginated
with ``?page=`` and ``?page_size=`` and carry ``next``/``previous`` links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from outcomes_web import adapter, presentation
from outcomes_web.api.openapi import schema
from outcomes_web.query import period_param
from outcomes_web.store import models as m
from outcomes_web.store import queries


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _json(data: Any, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def endpoint(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return _json(view(request, *args, **kwargs))
        except ApiError as exc:
            return _json({"error": str(exc), "status": exc.status}, status=exc.status)
        except adapter.BadPeriod as exc:  # ?period= is not a period
            return _json({"error": str(exc), "status": 400}, status=400)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_safe(wrapped)


def _int(request: HttpRequest, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < low or (high is not None and int(raw) > high):
        bound = f"from {low} to {high}" if high is not None else f"of {low} or more"
        raise ApiError(400, f"'{name}' must be a whole number {bound}, not '{raw}'.")
    return int(raw)


def paginate(request: HttpRequest, items: Sequence[Any], render_item: Callable[[Any], dict[str, Any]]
             ) -> dict[str, Any]:
    size = _int(request, "page_size", settings.API_PAGE_SIZE, 1, settings.API_MAX_PAGE_SIZE)
    page = _int(request, "page", 1, 1, None)
    pages = max(1, -(-len(items) // size))
    if page > pages:
        raise ApiError(404, f"Page {page} does not exist; there {'is' if pages == 1 else 'are'} {pages}.")

    def link(number: int) -> str:
        params = {k: v for k, v in request.GET.items() if k != "page"}
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{urlencode(params)}")

    chunk = items[(page - 1) * size: page * size]
    return {
        "count": len(items), "page": page, "page_size": size, "pages": pages,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
        "results": [render_item(x) for x in chunk],
    }


# ----------------------------------------------------------------------------------------- shapes
def _period_json(rp: m.ReportingPeriod) -> dict[str, Any]:
    return {"label": rp.label, "kind": rp.kind, "start": rp.start.isoformat(), "end": rp.end.isoformat()}


def _people(officers: Sequence[Any]) -> list[dict[str, str]]:
    return [{"name": o.name, "role": o.role} for o in officers]


def _api_url(request: HttpRequest, name: str, key: str, period: str) -> str:
    return request.build_absolute_uri(reverse(name, args=[key]) + presentation.period_query(period))


def _series_summary(request: HttpRequest, loaded: adapter.Loaded, s: Any, period: str) -> dict[str, Any]:
    v = loaded.judged.series[s.id]
    latest = s.latest
    return {
        "id": s.id, "title": s.title, "short_title": s.short_title, "kind": s.kind,
        "unit": {"type": s.unit.type, "per": s.unit.per, "label": s.unit.describe()},
        "polarity": s.polarity.value if s.polarity else None, "period_kind": s.period_kind.value,
        "latest": {"period": str(latest.period), "value": latest.value, "status": latest.status} if latest else None,
        "trend": presentation.verdict_dict(v.trend), "comparator": presentation.verdict_dict(v.comparator),
        "focus_rank": v.focus_rank,
        "url": _api_url(request, "api:series", s.id, period),
    }


def _outcome_summary(request: HttpRequest, loaded: adapter.Loaded, period: str) -> dict[str, Any]:
    snap = loaded.snapshot
    counts = presentation.judgement_counts(loaded)
    return {
        "id": loaded.outcome.id, "title": loaded.outcome.title, "organisation": snap.organisation,
        "reporting_period": _period_json(snap.reporting_period), "revision": snap.revision,
        "published_on": snap.published_on.isoformat() if snap.published_on else None,
        "revision_reason": snap.revision_reason,
        "content_hash": snap.content_hash,
        "counts": {
            "indicators": counts["indicators"], "measures": counts["measures"],
            "series": sum(1 for _ in loaded.outcome.all_series()),
            "trend": {kind: dict(counts[kind]["trend"]) for kind in ("population_indicator", "performance_measure")},
        },
        "url": _api_url(request, "api:outcome", loaded.outcome.id, period),
        "html_url": request.build_absolute_uri(presentation.outcome_url(loaded.outcome.id, period)),
    }


def _observation(o: Any) -> dict[str, Any]:
    return {
        "area": o.area, "period": str(o.period), "period_start": o.period.start.isoformat(),
        "period_end": o.period.end.isoformat(), "value": o.value, "numerator": o.numerator,
        "denominator": o.denominator, "lower95": o.lower95, "upper95": o.upper95, "lower998": o.lower998,
        "upper998": o.upper998, "status": o.status, "source": o.source, "note": o.note,
        "missing_reason": o.missing_reason,
    }


def _headline(h: Any) -> dict[str, Any] | None:
    if h is None:
        return None
    return {"label": h.label, "value": h.value, "period": str(h.period) if h.period else None, "text": h.text}


# -------------------------------------------------------------------------------------- endpoints
@endpoint
def outcomes(request: HttpRequest) -> dict[str, Any]:
    """Every published outcome (each at its latest period, or at ?period=)."""
    period = period_param(request)
    snapshots = queries.public_snapshots(period or None)
    return paginate(request, snapshots, lambda s: _outcome_summary(request, adapter.load_outcome(s), period))


def _published(find: Callable[[str, str | None], m.Snapshot | None], what: str, key: str,
               period: str) -> adapter.Loaded:
    """The published outcome that ``find`` finds for ``key`` (the latest, or ``period``'s), loaded; a 404 naming
    the ``what`` ("outcome", "series") and the period when there is none."""
    snap = find(key, period or None)
    if snap is None:
        raise ApiError(404, f"No published {what} '{key}'" + (f" for {period}." if period else "."))
    return adapter.load_outcome(snap)


@endpoint
def outcome(request: HttpRequest, outcome_key: str) -> dict[str, Any]:
    """One outcome with its indicators, measures and series (with judgements)."""
    period = period_param(request)
    loaded = _published(queries.find_snapshot, "outcome", outcome_key, period)
    o = loaded.outcome
    ps = o.published_summary
    data = _outcome_summary(request, loaded, period)
    data.update({
        "sponsor": _people([o.sponsor])[0] if o.sponsor else None,
        "lead_officers": _people(o.lead_officers), "contacts": _people(o.contacts),
        "introduction": o.introduction,
        "published_summary": {
            "population_indicators": ps.population_indicators, "performance_measures": ps.performance_measures,
            "risks": ps.risks, "focus_indicators": list(ps.focus_indicators),
            "focus_measures": list(ps.focus_measures), "focus_risks": list(ps.focus_risks),
        },
        "periods": [p.label for p in queries.periods_of(outcome_key)],
        "indicators": [{
            "id": ind.id, "number": ind.number, "title": ind.title, "section": ind.section,
            "lead_officers": _people(ind.lead_officers),
            "html_url": request.build_absolute_uri(presentation.indicator_url(o.id, ind.id, period)),
            "series": [_series_summary(request, loaded, s, period) for s in ind.series],
            "measures": [{
                "id": meas.id, "title": meas.title, "lead_officers": _people(meas.lead_officers),
                "series": [_series_summary(request, loaded, s, period) for s in meas.series],
            } for meas in ind.measures],
        } for ind in o.indicators],
        "unassigned_risks": [r.id for r in loaded.framework.unassigned_risks(o.id)],
    })
    return data


@endpoint
def series(request: HttpRequest, series_key: str) -> dict[str, Any]:
    """One series: its observations (home area and benchmarks) and judgements."""
    period = period_param(request)
    loaded = _published(queries.find_series_snapshot, "series", series_key, period)
    s = loaded.framework.series_by_id()[series_key]
    v = loaded.judged.series[s.id]
    holder = next(ind for ind in loaded.outcome.indicators
                  if any(x.id == s.id for x in ind.series)
                  or any(x.id == s.id for meas in ind.measures for x in meas.series))
    detail = next((x for x in adapter.judged_json(loaded).get("series", []) if x.get("id") == s.id), None)
    p = s.published
    data = _series_summary(request, loaded, s, period)
    data.update({
        "outcome": loaded.outcome.id, "indicator": holder.id, "parent": s.parent_id,
        "reporting_period": _period_json(loaded.snapshot.reporting_period),
        "definition": s.definition, "source": s.source, "breaks": [str(b) for b in s.breaks],
        "lead_officers": _people(s.lead_officers),
        "target": {"value": s.target.value, "period": str(s.target.period) if s.target.period else None,
                   "note": s.target.note} if s.target else None,
        "comparators": [{
            "name": c.name, "area": c.area or None, "kind": c.kind, "period": str(c.period) if c.period else None,
            "value": c.value, "home_value": c.home_value, "basis": c.basis, "members": list(c.members),
            "note": c.note,
        } for c in s.comparators],
        "published": {
            "previous": _headline(p.previous), "latest": _headline(p.latest), "extra": [_headline(h) for h in p.extra],
            "trend": p.trend, "trend_rag": p.trend_rag or None, "trend_basis": p.trend_basis,
            "comparator": p.comparator, "comparator_rag": p.comparator_rag or None,
            "comparator_text": p.comparator_text,
        },
        "observations": [_observation(o) for o in s.observations],
        "benchmark_observations": {area: [_observation(o) for o in lst]
                                   for area, lst in s.benchmark_observations.items()},
        "judgements": {
            "trend": presentation.verdict_dict(v.trend), "comparator": presentation.verdict_dict(v.comparator),
            "comparators": list(v.comparators),
            "current_run": v.current_run, "focus_rank": v.focus_rank, "spc": v.spc,
            "detail": detail,
        },
        "html_url": request.build_absolute_uri(
            presentation.indicator_url(loaded.outcome.id, holder.id, period) + f"#series-{s.id}"),
    })
    return data


@endpoint
def risks(request: HttpRequest) -> dict[str, Any]:
    """The risk register, filterable by score, trend, outcome and whether linked to an indicator."""
    period = period_param(request)
    snapshots = queries.public_snapshots(period or None)
    filters = queries.RiskFilters(**{k: request.GET.get(k, "").strip()
                                     for k in ("score", "trend", "outcome", "linked", "q")})
    rows = queries.risk_register(snapshots, filters)

    def item(r: m.Risk) -> dict[str, Any]:
        snap = r.snapshot
        return {
            "id": r.key, "title": r.title, "score": r.score, "trend": r.trend,
            "trend_as_published": r.trend_as_published, "likelihood": r.likelihood, "impact": r.impact,
            "owner": r.owner, "outcome": snap.outcome_key, "reporting_period": snap.reporting_period.label,
            "focus": {"action": r.focus_action, "reason": r.focus_reason} if r.focus_action else None,
            "indicators": [{
                "id": link.indicator_key,
                "title": link.indicator.title if link.indicator else None,
                "html_url": request.build_absolute_uri(
                    presentation.indicator_url(snap.outcome_key, link.indicator_key, period)) if link.indicator else None,
            } for link in r.links.all()],
        }

    return paginate(request, rows, item)


@endpoint
def periods(request: HttpRequest) -> dict[str, Any]:
    """Reporting periods with published data, latest first."""
    return paginate(request, queries.public_periods(), _period_json)


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    """The OpenAPI 3.1 description of this API."""
    return _json(schema(server=request.build_absolute_uri("/api")))


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """A page for people: the endpoints and a link to the schema."""
    spec = schema()
    endpoints = [{"path": "/api" + path, "summary": ops["get"]["summary"], "link": "{" not in path,
                  "description": ops["get"].get("description", "")}
                 for path, ops in spec["paths"].items()]
    return render(request, "tracker/api.html", {"endpoints": endpoints, "version": spec["info"]["version"]})
