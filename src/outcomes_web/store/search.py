"""Full-text search over the public pages, with the database's own engine.

One :class:`~outcomes_web.store.models.SearchDocument` per public page: an outcome's scorecard (title,
introduction, what the summary picked out, sponsor, leads and contacts), each indicator page (its
title and section, series titles and definitions, measures, narrative, linked risks and the officers
named on it), and an outcome's part of the risk register (every risk, with its owner). Documents are
built from the rows of *published* snapshots only, when a search first needs them and again whenever
the snapshot has changed; a search looks only at the snapshots it is given, so a draft can never
be found.

* **SQLite** (the embedded default): FTS5 with the porter stemmer ("children protection" finds
  "child protection"), ranked by bm25 with the title weighted above the body, ``snippet()`` for the
  passage.
* **PostgreSQL**: ``SearchVector``/``SearchQuery``/``SearchRank`` with the 'english' configuration over
  a stored, weighted tsvector (GIN index), ``SearchHeadline`` for the passage.

Every word of the query must match (after stemming), except that a word or phrase with a known
synonym matches either: the field's abbreviations (KSI, LAC, CiN, CP, DA, ASB, NEET, SEND) and the
words they stand for, "domestic violence" for "domestic abuse". When no page has every word, the
pages with any of them are shown, and the search says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from outcomes_web.store import models as m

LIMIT = 50
START, STOP = "\ue000", "\ue001"  # private-use characters: the passage's highlight, before escaping

# Each set holds words that mean the same to a council performance officer: a query with any member
# matches any member. Phrases are written as the tokeniser sees them (hyphens split words).
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("KSI", "killed or seriously injured"),
    ("LAC", "looked after children", "children looked after", "children in care"),
    ("CiN", "children in need", "child in need"),
    ("CP", "child protection"),
    ("DA", "domestic abuse", "domestic violence"),
    ("ASB", "anti social behaviour", "antisocial behaviour", "anti social behavior"),
    ("NEET", "not in education employment or training"),
    ("SEND", "special educational needs"),
    ("children", "child"),  # an irregular plural the stemmer does not join
)
# Abbreviations that are also ordinary words match only when typed in capitals ("send", "da").
CAPITALS_ONLY = {"SEND", "CP", "DA"}
STOPWORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "is", "of", "on", "or", "the", "to", "with"}
WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Found:
    """One page that matches: which, and the passage where it matches (highlighted, escaped)."""

    kind: str  # outcome | indicator | risks
    snapshot: m.Snapshot
    title: str
    indicator_key: str
    passage: SafeString


@dataclass(frozen=True)
class Results:
    found: list[Found]
    every_word: bool  # False: no page had every word; these have some
    also: tuple[str, ...] = ()  # the synonyms searched for besides what was typed


def also_searched(q: str, groups: list[Group]) -> tuple[str, ...]:
    """The synonyms a search added, for the page to say ("also searched for: domestic abuse, DA").

    >>> also_searched("domestic violence", parse("domestic violence"))
    ('DA', 'domestic abuse')
    """
    typed = " ".join(w.lower() for w in WORD.findall(q))
    out: list[str] = []
    for g in groups:
        if len(g) < 2:
            continue
        for members in SYNONYMS:
            words = [" ".join(w.lower() for w in WORD.findall(x)) for x in members]
            if {" ".join(p) for p in g} == set(words):
                out += [x for x, w in zip(members, words, strict=True) if w not in typed and x not in out]
    return tuple(out)


# ------------------------------------------------------------------------------------------ the query
Phrase = tuple[str, ...]
Group = tuple[Phrase, ...]  # alternatives, any of which matches


def _members() -> list[tuple[Phrase, int, bool]]:
    """(phrase as lower-case words, synonym set, whether it must be typed in capitals), longest first."""
    out = []
    for n, group in enumerate(SYNONYMS):
        for member in group:
            out.append((tuple(w.lower() for w in WORD.findall(member)), n, member in CAPITALS_ONLY))
    return sorted(out, key=lambda t: -len(t[0]))


_MEMBERS = _members()


def parse(q: str) -> list[Group]:
    """The query as groups that must all match, each a set of alternative phrases.

    >>> parse("KSI on roads")
    [(('ksi',), ('killed', 'or', 'seriously', 'injured')), (('roads',),)]
    >>> parse("the send button")
    [(('send',),), (('button',),)]
    """
    typed = WORD.findall(q)
    words = [w.lower() for w in typed]
    groups: list[Group] = []
    i = 0
    while i < len(words):
        for phrase, n, capitals in _MEMBERS:
            if tuple(words[i:i + len(phrase)]) != phrase:
                continue
            if capitals and typed[i] != typed[i].upper():
                continue
            groups.append(tuple(tuple(w.lower() for w in WORD.findall(member)) for member in SYNONYMS[n]))
            i += len(phrase)
            break
        else:
            if words[i] not in STOPWORDS:
                groups.append(((words[i],),))
            i += 1
    unique: list[Group] = []
    for g in groups:
        if g not in unique:
            unique.append(g)
    return unique


def _fts5(groups: list[Group], every: bool) -> str:
    """An FTS5 MATCH expression: each phrase quoted (the words are \\w+, so no quote can appear)."""
    parts = ["(" + " OR ".join('"' + " ".join(p) + '"' for p in g) + ")" for g in groups]
    return (" AND " if every else " OR ").join(parts)


def _tsquery(groups: list[Group], every: bool):  # type: ignore[no-untyped-def]
    from django.contrib.postgres.search import SearchQuery

    combined: Any = None
    for g in groups:
        alternatives: Any = None
        for p in g:
            one = SearchQuery(" ".join(p), search_type="phrase" if len(p) > 1 else "plain", config="english")
            alternatives = one if alternatives is None else alternatives | one
        if combined is None:
            combined = alternatives
        else:
            combined = combined & alternatives if every else combined | alternatives
    return combined


# ----------------------------------------------------------------------------------------- searching
def _connection() -> BaseDatabaseWrapper:
    """The database the documents live in (the router's choice, as the ORM would make it)."""
    return connections[router.db_for_write(m.SearchDocument) or "default"]


def search(q: str, snapshots: list[m.Snapshot], limit: int = LIMIT) -> Results:
    """Pages of the given (public) snapshots matching ``q``, best first, one result per page."""
    groups = parse(q[:200])
    if not groups or not snapshots:
        return Results([], True)
    ensure_documents(snapshots)
    by_pk = {s.pk: s for s in snapshots}
    run = _search_postgres if _connection().vendor == "postgresql" else _search_sqlite
    rows = run(groups, list(by_pk), True, limit)
    every = True
    if not rows and len(groups) > 1:
        rows, every = run(groups, list(by_pk), False, limit), False
    return Results([Found(kind, by_pk[snap], title, key, highlight(passage))
                    for kind, snap, title, key, passage in rows], every, also_searched(q, groups))


def _search_sqlite(groups: list[Group], snapshot_ids: list[int], every: bool,
                   limit: int) -> list[tuple[str, int, str, str, str]]:
    marks = ", ".join(["%s"] * len(snapshot_ids))
    sql = (
        "SELECT d.kind, d.snapshot_id, d.title, d.indicator_key, "
        "snippet(store_searchdocument_fts, -1, %s, %s, '…', 28) "
        "FROM store_searchdocument_fts JOIN store_searchdocument d ON d.id = store_searchdocument_fts.rowid "
        f"WHERE store_searchdocument_fts MATCH %s AND d.snapshot_id IN ({marks}) "
        "ORDER BY bm25(store_searchdocument_fts, 8.0, 1.0), d.snapshot_id, d.position LIMIT %s"
    )
    with _connection().cursor() as cursor:
        cursor.execute(sql, [START, STOP, _fts5(groups, every), *snapshot_ids, limit])
        return [tuple(r) for r in cursor.fetchall()]  # type: ignore[misc]


def _search_postgres(groups: list[Group], snapshot_ids: list[int], every: bool,
                     limit: int) -> list[tuple[str, int, str, str, str]]:
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    query = _tsquery(groups, every)
    qs = (m.SearchDocument.objects.filter(snapshot_id__in=snapshot_ids, vector=query)
          .annotate(rank=SearchRank(F("vector"), query),
                    passage=SearchHeadline("body", query, config="english", start_sel=START, stop_sel=STOP,
                                           max_words=30, min_words=12, max_fragments=2,
                                           fragment_delimiter=" … "))
          .order_by("-rank", "snapshot_id", "position")[:limit])
    return [(d.kind, d.snapshot_id, d.title, d.indicator_key, d.passage) for d in qs]


_JOIN = re.compile(f"{STOP}([-\\s'’]*){START}")


def highlight(passage: str) -> SafeString:
    """The passage as HTML: everything escaped, the matches in ``<mark>`` (neighbouring ones joined)."""
    text = _JOIN.sub(r"\1", " ".join(passage.split()))
    html = escape(text).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added


# ------------------------------------------------------------------------------------------ documents
def _stamp(snapshot: m.Snapshot) -> str:
    return f"{snapshot.content_hash[:64]}|{snapshot.modified_on.isoformat()}"[:120]


def ensure_documents(snapshots: Iterable[m.Snapshot]) -> None:
    """Build (or rebuild) the documents of any snapshot whose documents are missing or out of date."""
    snapshots = list(snapshots)
    have: dict[int, set[str]] = {}
    for snap_id, stamp in m.SearchDocument.objects.filter(snapshot__in=snapshots).values_list(
            "snapshot_id", "stamp").distinct():
        have.setdefault(snap_id, set()).add(stamp)
    for snap in snapshots:
        if have.get(snap.pk) != {_stamp(snap)}:
            index_snapshot(snap)


def index_snapshot(snapshot: m.Snapshot) -> None:
    """Replace the snapshot's documents with ones built from its rows (a published snapshot only)."""
    if not snapshot.published:
        raise ValueError(f"Snapshot {snapshot.pk} is a draft: drafts are never indexed for public search.")
    docs = [m.SearchDocument(snapshot=snapshot, stamp=_stamp(snapshot), kind=kind, indicator_key=key,
                             position=n, title=_clean(title), body=_clean(body))
            for n, (kind, key, title, body) in enumerate(documents(snapshot))]
    try:
        with transaction.atomic(using=_connection().alias):
            m.SearchDocument.objects.filter(snapshot=snapshot).delete()
            m.SearchDocument.objects.bulk_create(docs)
            if _connection().vendor == "postgresql":
                from django.contrib.postgres.search import SearchVector

                m.SearchDocument.objects.filter(snapshot=snapshot).update(
                    vector=SearchVector("title", weight="A", config="english")
                    + SearchVector("body", weight="B", config="english"))
    except IntegrityError:  # another request indexed the same snapshot at the same moment
        pass


def _clean(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def _people(officers: Iterable[m.Officer]) -> str:
    return "\n".join(f"{o.get_relation_display()}: {o.name}" + (f", {o.role}" if o.role else "")
                     for o in officers)


def documents(snapshot: m.Snapshot) -> list[tuple[str, str, str, str]]:
    """(kind, indicator key, title, body) of each public page the snapshot makes."""
    out = snapshot.outcome
    officers = list(m.Officer.objects.filter(snapshot=snapshot).select_related("measure", "series"))
    risks = list(m.Risk.objects.filter(snapshot=snapshot, archived_on__isnull=True).prefetch_related("links"))
    focus = [*out.summary_focus_indicators, *out.summary_focus_measures, *out.summary_focus_risks]
    docs = [("outcome", "", out.title, "\n".join(
        [out.introduction, *[str(f) for f in focus],
         _people(o for o in officers if o.indicator_id is None and o.measure_id is None and o.series_id is None),
         snapshot.organisation]))]
    measures = list(m.Measure.objects.filter(snapshot=snapshot, archived_on__isnull=True))
    series = list(m.Series.objects.filter(snapshot=snapshot))
    narrative = list(m.Narrative.objects.filter(indicator__snapshot=snapshot))
    for ind in m.Indicator.objects.filter(snapshot=snapshot, archived_on__isnull=True):
        mine_measures = {me.pk for me in measures if me.indicator_id == ind.pk}
        parts = [ind.section_title]
        parts += [". ".join(t for t in (s.title, s.short_title, s.definition) if t)
                  for s in series if s.indicator_id == ind.pk]
        parts += [me.title for me in measures if me.pk in mine_measures]
        for n in narrative:
            if n.indicator_id == ind.pk:
                parts += [n.story, n.partners, n.actions, n.data_notes]
        parts += [f"Risk {r.key}: {r.title}" + (f" (owner {r.owner})" if r.owner else "")
                  for r in risks if any(link.indicator_id == ind.pk for link in r.links.all())]
        parts.append(_people(o for o in officers if o.indicator_id == ind.pk or o.measure_id in mine_measures
                             or (o.series is not None and o.series.indicator_id == ind.pk)))
        docs.append(("indicator", ind.key, ind.numbered_title, "\n".join(p for p in parts if p)))
    if risks:
        docs.append(("risks", "", f"Risks: {out.title}", "\n".join(
            f"Risk {r.key}: {r.title}" + (f" (owner {r.owner})" if r.owner else "") for r in risks)))
    return docs

