"""The same indicator across the authorities the tracker holds (plain ORM; no library objects).

Two organisations' outcomes share an indicator when they hold a series with the same id (as LAIT,
Fingertips and the other national sources give them: ``CLA_RATE`` is the same measure in Dorset and in
Devon). For each such series: each authority's latest published figure for its own area, its period
and 95% interval, ranked best first by the series' declared polarity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from outcomes_web.store import models as m
from outcomes_web.store.queries import public_snapshots


@dataclass(frozen=True)
class Standing:
    organisation: str
    area_name: str
    outcome_key: str
    indicator_key: str
    value: float | None
    period_label: str
    period_end: dt.date | None
    lower95: float | None
    upper95: float | None
    current: bool  # the authority whose page this is
    rank: int | None = None


@dataclass(frozen=True)
class Comparison:
    series_key: str
    series_title: str
    polarity: str
    rows: list[Standing]

    @property
    def ranked(self) -> bool:
        return self.polarity in ("higher-is-better", "lower-is-better")

    @property
    def periods(self) -> list[str]:
        """The different periods of the latest figures, in order of first appearance."""
        out: list[str] = []
        for r in self.rows:
            if r.period_label and r.period_label not in out:
                out.append(r.period_label)
        return out

    @property
    def periods_differ(self) -> bool:
        return len(self.periods) > 1


def across_authorities(snapshot: m.Snapshot, series_keys: list[str]) -> list[Comparison]:
    """For each of the series (in the order given) that another organisation's published outcome also
    holds, the organisations' latest figures, ranked. Series no one else holds are left out."""
    others = [s for s in public_snapshots() if s.organisation != snapshot.organisation]
    if not others or not series_keys:
        return []
    rows = list(m.Series.objects.filter(snapshot__in=[snapshot, *others], key__in=series_keys)
                .select_related("snapshot", "indicator").order_by("snapshot_id", "position"))
    latest: dict[int, m.Observation] = {}
    for o in (m.Observation.objects.filter(series__in=rows, is_home=True, value__isnull=False)
              .order_by("series_id", "-period_end", "-period_start")):
        latest.setdefault(o.series_id, o)
    out = []
    for key in series_keys:
        mine = next((s for s in rows if s.key == key and s.snapshot_id == snapshot.pk), None)
        if mine is None:
            continue
        by_org: dict[str, m.Series] = {snapshot.organisation: mine}
        for s in rows:
            if s.key == key:
                by_org.setdefault(s.snapshot.organisation, s)
        if len(by_org) < 2:
            continue
        standings = []
        for org, s in by_org.items():
            figure = latest.get(s.pk)
            standings.append(Standing(
                organisation=org, area_name=s.snapshot.home_area_name, outcome_key=s.snapshot.outcome_key,
                indicator_key=s.indicator.key, value=figure.value if figure else None,
                period_label=figure.period_label if figure else "", period_end=figure.period_end if figure else None,
                lower95=figure.lower95 if figure else None, upper95=figure.upper95 if figure else None,
                current=s.pk == mine.pk))
        out.append(Comparison(key, mine.title, mine.polarity, _rank(standings, mine.polarity)))
    return out


def _rank(rows: list[Standing], polarity: str) -> list[Standing]:
    """Best first (equal values share a rank); those without a figure last. Without a declared
    polarity, highest first and unranked."""
    valued = [r for r in rows if r.value is not None]
    missing = [r for r in rows if r.value is None]
    valued.sort(key=lambda r: (r.value if polarity == "lower-is-better" else -(r.value or 0.0), r.organisation))
    if polarity not in ("higher-is-better", "lower-is-better"):
        return valued + missing
    ranked: list[Standing] = []
    for n, r in enumerate(valued, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].value == r.value else n
        ranked.append(Standing(**{**r.__dict__, "rank": rank}))
    return ranked + missing
