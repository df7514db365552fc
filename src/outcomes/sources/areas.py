"""Areas and comparators: ONS codes and names, successions of codes, statistical neighbours.

* :class:`AreaDirectory` — ONS area codes, names, DfE local-authority numbers (``old_la_code``) and
  each authority's region, learnt from the rows of the files being imported.
* :func:`load_successions` and :func:`stitch_plan` — the succession table
  (``data/area-successions.yaml``) for authorities whose code changed, so that a series stitches
  across the change with a visible break rather than silently, or does not stitch at all when no
  successor covers the whole old area.
* :func:`read_statistical_neighbours` — DfE children's services statistical neighbours.
* :func:`group_position` — where a value sits in a comparator group (rank, quartile, group median),
  for summaries; the judgement engine makes its own ranking from the members' rows.

>>> plan = stitch_plan("E06000059")
>>> [(str(s.until), s.codes, s.kind) for s in plan.segments]
[('2019-20', ('E10000009',), 'boundary')]
>>> [str(p) for p in plan.breaks]
['2019-20']
>>> stitch_plan("E06000059").codes_for(Period.parse("2018-19")), stitch_plan("E06000059").codes_for(Period.parse("2019-20"))
(('E10000009',), ('E06000059',))
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from outcomes.model import Area, Period, PeriodKind, Polarity
from outcomes.sources.problems import Problems
from outcomes.sources.raw import Row
from outcomes.sources.textfiles import load_yaml

__all__ = [
    "ENGLAND",
    "LONDON",
    "AreaDirectory",
    "AreaInfo",
    "GroupPosition",
    "StitchPlan",
    "StitchSegment",
    "Succession",
    "bundled_directory",
    "bundled_neighbours",
    "group_position",
    "load_successions",
    "read_statistical_neighbours",
    "stitch_plan",
]

ENGLAND = Area("E92000001", "England")
LONDON = Area("E12000007", "London")
#: DfE files place London boroughs in Inner or Outer London; the ONS region is London.
SUB_REGIONS = {"E13000001": LONDON.code, "E13000002": LONDON.code}
SUCCESSIONS_FILE = Path(__file__).with_name("data") / "area-successions.yaml"
SUCCESSION_KINDS = ("boundary", "merge", "recode", "split")


@dataclass
class AreaInfo:
    """One area as the source files describe it."""

    code: str
    name: str
    level: str = ""  # national | regional | local authority (as in the files)
    la: str = ""  # DfE local-authority number (old_la_code)
    region: str = ""  # ONS region code (London for Inner/Outer London boroughs)
    region_name: str = ""
    periods: set[str] = field(default_factory=set)

    @property
    def area(self) -> Area:
        return Area(self.code, self.name)


class AreaDirectory:
    """Codes and names of the areas met in source files; resolves a user's ``--area``.

    >>> d = AreaDirectory()
    >>> _ = d.add("E10000009", "Dorset", la="835", level="Local authority", period="2019")
    >>> _ = d.add("E06000059", "Dorset", la="838", level="Local authority", period="2025")
    >>> d.resolve("838").code, d.resolve("e06000059").code, d.resolve("835").code
    ('E06000059', 'E06000059', 'E10000009')
    """

    def __init__(self) -> None:
        self.by_code: dict[str, AreaInfo] = {}

    def add(self, code: str, name: str, *, level: str = "", la: str = "", region: str = "",
            region_name: str = "", period: str = "") -> AreaInfo:
        info = self.by_code.get(code)
        if info is None:
            info = self.by_code[code] = AreaInfo(code, name, level=level, la=la)
        if region and not info.region:
            info.region = SUB_REGIONS.get(region, region)
            info.region_name = LONDON.name if region in SUB_REGIONS else region_name
        if la and not info.la:
            info.la = la
        if period:
            info.periods.add(period)
        return info

    def get(self, code: str) -> AreaInfo | None:
        return self.by_code.get(code)

    def name(self, code: str) -> str:
        info = self.by_code.get(code)
        return info.name if info else code

    def codes_for_la(self, la: str) -> list[AreaInfo]:
        """Every ONS code a DfE number has had, latest first."""
        found = [a for a in self.by_code.values() if a.la == la]
        return sorted(found, key=lambda a: max(a.periods, default=""), reverse=True)

    def resolve(self, text: str) -> AreaInfo | None:
        """An ONS code (any case) or a DfE number (the code it has most recently had)."""
        text = text.strip()
        if text.upper() in self.by_code:
            return self.by_code[text.upper()]
        found = self.codes_for_la(text)
        return found[0] if found else None

    def resolve_any(self, text: str) -> AreaInfo | None:
        """An ONS code, a DfE LA number or a name (''Dorset'', ''Bristol, City of'', ''St Helens'').

        A name that several areas have had is the one with the latest data; case, punctuation,
        '&'/'and' and a trailing 'Council' do not matter.

        >>> bundled_directory().resolve_any("Bournemouth, Christchurch & Poole").code
        'E06000058'
        """
        found = self.resolve(text)
        if found is not None:
            return found
        key = _name_key(text)
        named = [a for a in self.by_code.values() if _name_key(a.name) == key]
        return max(named, key=lambda a: max(a.periods, default="")) if named else None

    def suggestion(self, text: str) -> str:
        import difflib

        keys = {a.name.lower(): a for a in self.by_code.values() if a.level.lower().startswith("local")}
        close = difflib.get_close_matches(text.lower(), list(keys), n=3, cutoff=0.6)
        if close:
            return " Did you mean " + " or ".join(f"{keys[c].code} ({keys[c].la}, {keys[c].name})" for c in close) + "?"
        return ""


def _name_key(text: str) -> str:
    import re

    t = text.lower().replace("&", " and ")
    t = re.sub(r"\b(county|city|metropolitan|borough|district)?\s*council\b", " ", t)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


AUTHORITIES_FILE = Path(__file__).with_name("data") / "local-authorities.csv"
NEIGHBOURS_FILE = Path(__file__).with_name("data") / "statistical-neighbours.csv"


@cache
def bundled_directory() -> AreaDirectory:
    """Every upper-tier authority (current and former), region and England, from the bundled lookup.

    Source: DfE children's social care statistics 2013–2025 (``sources/data/README.md``); Inner and
    Outer London boroughs have London (E12000007) as their region.

    >>> d = bundled_directory()
    >>> d.resolve("838").code, d.resolve_any("dorset").code, d.get("E06000059").region
    ('E06000059', 'E06000059', 'E12000009')
    """
    import csv

    directory = AreaDirectory()
    with open(AUTHORITIES_FILE, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            info = directory.add(r["code"], r["name"], level=r["level"], la=r["la_number"], region=r["region_code"],
                                 region_name=r["region_name"], period=r["last_year"])
            info.periods.add(r["first_year"])
    return directory


@cache
def bundled_neighbours() -> dict[str, tuple[tuple[str, str], ...]]:
    """DfE children's services statistical neighbours (2025), by LA number, from the bundled copy."""
    from outcomes.sources.table import read_csv_file

    problems = Problems()
    _, rows = read_csv_file(NEIGHBOURS_FILE, problems)
    groups = read_statistical_neighbours(rows, problems)
    problems.raise_if_any(source=str(NEIGHBOURS_FILE))
    return groups


# -------------------------------------------------------------------------------------- successions


@dataclass(frozen=True)
class Succession:
    """Predecessor area(s) succeeded by one area from ``first_period`` (see the data file)."""

    predecessors: tuple[Area, ...]
    predecessor_las: tuple[str, ...]
    successor: Area
    successor_la: str
    first_period: Period
    kind: str  # boundary | merge | recode | split
    note: str = ""

    @property
    def stitched(self) -> bool:
        return self.kind != "split"

    @property
    def is_break(self) -> bool:
        return self.kind in ("boundary", "merge")


def _area(node: object, where: str) -> tuple[Area, str]:
    if not isinstance(node, dict) or not node.get("code"):
        raise ValueError(f"{SUCCESSIONS_FILE.name}: {where} needs a code")
    return Area(str(node["code"]), str(node.get("name") or node["code"])), str(node.get("la") or "")


def parse_successions(data: object) -> list[Succession]:
    """Successions from the data file's structure (ValueError naming the entry when malformed)."""
    if not isinstance(data, dict) or not isinstance(data.get("successions"), list):
        raise ValueError(f"{SUCCESSIONS_FILE.name} must hold a 'successions' list")
    out = []
    for i, node in enumerate(data["successions"]):
        where = f"successions[{i}]"
        if not isinstance(node, dict):
            raise ValueError(f"{SUCCESSIONS_FILE.name}: {where} is not a mapping")
        preds = [_area(p, f"{where}.predecessors") for p in node.get("predecessors") or []]
        if not preds:
            raise ValueError(f"{SUCCESSIONS_FILE.name}: {where} has no predecessors")
        successor, successor_la = _area(node.get("successor"), f"{where}.successor")
        kind = str(node.get("kind") or "")
        if kind not in SUCCESSION_KINDS:
            raise ValueError(f"{SUCCESSIONS_FILE.name}: {where}.kind '{kind}' is not one of {SUCCESSION_KINDS}")
        out.append(Succession(
            predecessors=tuple(a for a, _ in preds), predecessor_las=tuple(la for _, la in preds),
            successor=successor, successor_la=successor_la,
            first_period=Period.parse(str(node.get("from")), kind=PeriodKind.FINANCIAL_YEAR),
            kind=kind, note=" ".join(str(node.get("note") or "").split()),
        ))
    return out


@cache
def load_successions(path: Path = SUCCESSIONS_FILE) -> tuple[Succession, ...]:
    """The succession table shipped with the package (``sources/data/area-successions.yaml``)."""
    return tuple(parse_successions(load_yaml(Path(path).read_text(encoding="utf-8"), file=Path(path).name)))


@dataclass(frozen=True)
class StitchSegment:
    """Before ``until``, the series is made of these predecessor codes (summed when several)."""

    codes: tuple[str, ...]
    until: Period
    kind: str
    succession: Succession


@dataclass(frozen=True)
class StitchPlan:
    """How an area's series is made from its own rows and its predecessors'."""

    code: str
    segments: tuple[StitchSegment, ...] = ()  # latest first
    not_stitched: tuple[Succession, ...] = ()  # splits: the area starts at their first period

    def codes_for(self, period: Period) -> tuple[str, ...]:
        """The area codes whose rows make the series in ``period``."""
        seg = self.segment_for(period)
        return seg.codes if seg else (self.code,)

    def segment_for(self, period: Period) -> StitchSegment | None:
        """The succession that ``period`` falls before (None when the area's own code is used)."""
        chosen = None
        for seg in self.segments:
            if period.start < seg.until.start:
                chosen = seg
        return chosen

    @property
    def breaks(self) -> tuple[Period, ...]:
        return tuple(sorted(seg.until for seg in self.segments if seg.succession.is_break))

    @property
    def first_periods(self) -> dict[Period, StitchSegment]:
        """First period after each change of code, with its segment (for the note on it)."""
        return {seg.until: seg for seg in self.segments}


def stitch_plan(code: str, successions: tuple[Succession, ...] | None = None) -> StitchPlan:
    """How to build ``code``'s series across changes of code (one level of succession).

    >>> plan = stitch_plan("E06000058")
    >>> plan.segments[0].codes, plan.segments[0].kind
    (('E06000028', 'E06000029'), 'merge')
    >>> [s.kind for s in stitch_plan("E06000061").not_stitched]
    ['split']
    """
    table = load_successions() if successions is None else successions
    into = [s for s in table if s.successor.code == code]
    segments = tuple(
        StitchSegment(tuple(a.code for a in s.predecessors), s.first_period, s.kind, s)
        for s in sorted(into, key=lambda s: s.first_period, reverse=True) if s.stitched
    )
    return StitchPlan(code, segments, tuple(s for s in into if not s.stitched))


# ----------------------------------------------------------------------------- statistical neighbours


def read_statistical_neighbours(rows: list[Row], problems: Problems) -> dict[str, tuple[tuple[str, str], ...]]:
    """DfE statistical neighbours: for each LA number, its neighbours' numbers with their closeness.

    The file has ``old_la_code``, ``la_name`` and ``SN_1`` ... ``SN_10`` (LA numbers) with
    ``SN_1P`` ... ``SN_10P`` (how close: "Very close", "Close", "Somewhat close").
    """
    groups: dict[str, tuple[tuple[str, str], ...]] = {}
    for row in rows:
        la = row.get("old_la_code")
        if not la:
            problems.add(row.file, row.location, "old_la_code", "the LA number is empty.", "")
            continue
        members = []
        for k in range(1, 11):
            member = row.get(f"SN_{k}")
            if not member:
                continue
            if not member.isdigit():
                problems.add(row.file, row.location, f"SN_{k}", f"'{member}' is not an LA number.",
                             "neighbours are DfE LA numbers such as 838.")
                continue
            members.append((member, " ".join(row.get(f"SN_{k}P").split())))
        groups[la] = tuple(members)
    return groups


# ----------------------------------------------------------------------------------- group position


@dataclass(frozen=True)
class GroupPosition:
    """Where the home value sits in its group: rank 1 is the best (or, with no polarity, the highest)."""

    rank: int
    of: int
    quartile: int
    median: float
    members: int

    def describe(self, polarity: Polarity | None) -> str:
        order = "best" if polarity in (Polarity.HIGHER_IS_BETTER, Polarity.LOWER_IS_BETTER) else "highest"
        return (f"{_ordinal(self.rank)} of {self.of} ({order} first; quartile {self.quartile}); "
                f"group median {self.median:g} from {self.members} members")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def group_position(home: float | None, members: list[float | None], *,
                   polarity: Polarity | None) -> GroupPosition | None:
    """Rank and quartile of ``home`` among itself and the ``members`` with values; the members' median.

    Ties share the better rank. Quartile 1 is the best quarter (or the highest, with no polarity),
    by the same symmetric rule as the judgement engine's ``group_quartile``.

    >>> group_position(20.0, [10.0, 30.0, 25.0, None], polarity=Polarity.LOWER_IS_BETTER)
    GroupPosition(rank=2, of=4, quartile=2, median=25.0, members=3)
    >>> group_position(None, [1.0], polarity=None) is None
    True
    """
    values = [v for v in members if v is not None]
    if home is None or not values:
        return None
    ascending = polarity is Polarity.LOWER_IS_BETTER
    better = sum(1 for v in values if (v < home if ascending else v > home))
    rank = better + 1
    of = len(values) + 1
    return GroupPosition(rank=rank, of=of, quartile=_quartile(rank, of),
                         median=float(statistics.median(values)), members=len(values))


def _quartile(rank: int, of: int) -> int:
    """Top quarter when rank <= of/4, bottom when of + 1 - rank <= of/4, else by half (as the engine does).

    >>> [_quartile(r, 11) for r in range(1, 12)]
    [1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4]
    """
    if 4 * rank <= of or rank == 1:
        return 1
    if 4 * (of + 1 - rank) <= of or rank == of:
        return 4
    return 2 if 2 * rank <= of + 1 else 3
