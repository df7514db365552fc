"""The dataset workbook's layout: one :class:`Sheet` per table (its columns, which are required,
whether it is a plain table), the settings rows of the About sheet, and the names the framework
sheets map to and from ``framework.yaml``'s keys.
"""

from __future__ import annotations

from dataclasses import dataclass

from outcomes.model import SERIES_METHODS
from outcomes.sources.build import PERIOD_KINDS, POLARITIES, RISK_SCORES
from outcomes.sources.raw import (
    BREAKDOWN_COLUMNS,
    INPUT_COLUMNS,
    NARRATIVE_SECTIONS,
    OBSERVATION_COLUMNS,
    REQUIRED_BREAKDOWN_COLUMNS,
    REQUIRED_INPUT_COLUMNS,
    REQUIRED_OBSERVATION_COLUMNS,
    REQUIRED_RISK_COLUMNS,
    RISK_COLUMNS,
)

# --- the sheets --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: its columns and how they are written."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    must_exist: bool = False
    table: bool = False  # rows become Row objects (observations, risks), not framework entries
    numeric: frozenset[str] = frozenset()  # written as numbers when they hold a plain number
    wide: frozenset[str] = frozenset()  # long text: wrapped in a wide column
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # drop-down lists offered in Excel
    freeze: str = "A2"


ABOUT = Sheet("About", ("setting", "value", "meaning"), required=("setting", "value"), must_exist=True,
              wide=frozenset({"meaning"}))
AREAS = Sheet("Areas", ("code", "name"), required=("code",))
OUTCOMES = Sheet(
    "Outcomes",
    ("id", "title", "introduction", "summary_indicators", "summary_measures", "summary_risks",
     "focus_indicators", "focus_measures", "focus_risks"),
    required=("id",), must_exist=True,
    numeric=frozenset({"summary_indicators", "summary_measures", "summary_risks"}),
    wide=frozenset({"introduction", "focus_indicators", "focus_measures", "focus_risks"}),
)
OFFICERS = Sheet("Officers", ("belongs_to", "kind", "name", "role", "email", "phone"),
                 required=("belongs_to", "kind", "name"),
                 choices=(("kind", ("sponsor", "lead", "contact")),))
INDICATORS = Sheet(
    "Indicators",
    ("outcome", "id", "number", "section", "section_title", "title", "vfm_status", "vfm_latest", "vfm_rank",
     "vfm_of", "vfm_note"),
    required=("id",), must_exist=True, numeric=frozenset({"vfm_latest", "vfm_rank", "vfm_of"}), freeze="C2",
)
MEASURES = Sheet("Measures", ("indicator", "id", "title", "published_trend"), required=("indicator", "id"),
                 freeze="C2")
SERIES = Sheet(
    "Series",
    ("parent", "id", "title", "short_title", "unit", "decimals", "currency", "polarity", "period_kind",
     "definition", "source", "breaks", "target", "target_period", "target_note", "focus", "focus_reason",
     "previous_label", "previous_value", "previous_text", "latest_label", "latest_value", "latest_text", "extra",
     "trend", "trend_rag", "trend_basis", "comparator", "comparator_rag", "comparator_text", "trend_method",
     "comparator_method", "polarity_source", "polarity_confirmed", "part_of",
     "method", "method_age", "method_reference_value"),
    required=("parent",), must_exist=True,
    numeric=frozenset({"decimals", "target", "previous_value", "latest_value", "method_age",
                       "method_reference_value"}),
    wide=frozenset({"definition"}),
    choices=(("polarity", POLARITIES), ("period_kind", PERIOD_KINDS), ("focus", ("pin", "suppress")),
             ("trend_rag", ("R", "A", "G")), ("comparator_rag", ("R", "A", "G")), ("method", SERIES_METHODS)),
    freeze="C2",
)
COMPARATORS = Sheet(
    "Comparators",
    ("series", "name", "area", "kind", "period", "value", "home_value", "basis", "members", "note"),
    required=("series", "name"), numeric=frozenset({"value", "home_value"}),
    choices=(("kind", ("benchmark", "group")),), freeze="C2",
)
OBSERVATIONS = Sheet(
    "Observations", OBSERVATION_COLUMNS, required=REQUIRED_OBSERVATION_COLUMNS, must_exist=True, table=True,
    numeric=frozenset({"value", "numerator", "denominator", "lower95", "upper95", "lower998", "upper998"}),
    choices=(("status", ("final", "provisional")),),
)
INPUTS = Sheet(
    "Inputs", INPUT_COLUMNS, required=REQUIRED_INPUT_COLUMNS, table=True,
    numeric=frozenset({"count", "population", "reference_count", "reference_population", "standard_population",
                       "value"}),
)
BREAKDOWNS = Sheet(
    "Breakdowns", BREAKDOWN_COLUMNS, required=REQUIRED_BREAKDOWN_COLUMNS, table=True,
    numeric=frozenset({"quantile", "value", "lower95", "upper95", "standard_error", "population"}),
)
RISKS = Sheet("Risks", RISK_COLUMNS, required=REQUIRED_RISK_COLUMNS, table=True,
              numeric=frozenset({"likelihood", "impact"}), wide=frozenset({"title"}),
              choices=(("score", RISK_SCORES), ("focus", ("pin", "suppress"))))
NARRATIVE = Sheet("Narrative", ("subject", "period", *NARRATIVE_SECTIONS), required=("subject",),
                  wide=frozenset(NARRATIVE_SECTIONS))

SHEETS: tuple[Sheet, ...] = (ABOUT, AREAS, OUTCOMES, OFFICERS, INDICATORS, MEASURES, SERIES, COMPARATORS,
                             OBSERVATIONS, RISKS, NARRATIVE, INPUTS, BREAKDOWNS)

#: The rows of the About sheet other than ``settings.*``: label, path in framework.yaml, meaning.
ABOUT_ROWS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("format", ("format",), "the version of this format: outcomes-tracker/1"),
    ("organisation", ("organisation",), "the council or body the report is for"),
    ("area code", ("area", "code"), "the ONS code of the home area: its rows in Observations are 'ours'"),
    ("area name", ("area", "name"), "the name of the home area"),
    ("reporting period", ("reporting_period",), "the period the report covers, e.g. Q4 2017-18"),
    ("report title", ("report", "title"), "as printed on the cover"),
    ("report published", ("report", "published"), "as printed on the cover, e.g. July 2018"),
    ("report status", ("report", "status"), "draft or published"),
    ("report data date", ("report", "data_date"), "the date of the data, as printed"),
    ("report key trend", ("report", "key", "trend"),
     "the trend words the report's key defines, separated by ';' (none: the key defines none)"),
    ("report key comparator", ("report", "key", "comparator"),
     "the comparator words the report's key defines, separated by ';' (none: the key defines none)"),
    ("report key risk trend", ("report", "key", "risk_trend"),
     "the risk trend words the report's key defines, separated by ';' (none: the key defines none)"),
)
#: About rows that hold a list of words (';' between them; 'none' for an empty list).
_ABOUT_LISTS = frozenset({("report", "key", "trend"), ("report", "key", "comparator"),
                          ("report", "key", "risk_trend")})
_ABOUT_ALIASES = {"organization": "organisation", "data date": "report data date", "title": "report title",
                  "status": "report status", "published": "report published"}
_SETTING_MEANING = "a judgement setting (see docs/settings.md)"

_OFFICER_KINDS = {"sponsor": "sponsor", "sponsors": "sponsor", "lead": "lead_officers", "leads": "lead_officers",
                  "lead officer": "lead_officers", "lead officers": "lead_officers",
                  "lead_officers": "lead_officers", "contact": "contacts", "contacts": "contacts"}
_OFFICER_KIND_NAMES = {"sponsor": "sponsor", "lead_officers": "lead", "contacts": "contact"}

# Series sheet columns that hold a series field of the same name.
_SERIES_TEXT = ("short_title", "polarity", "period_kind", "definition", "source", "polarity_source",
                "polarity_confirmed", "part_of")
_PUBLISHED_WORDS = ("trend", "trend_rag", "trend_basis", "comparator", "comparator_rag", "comparator_text",
                    "trend_method", "comparator_method")
_HEADLINES = ("previous", "latest")
_SUMMARY = (("summary_indicators", "population_indicators"), ("summary_measures", "performance_measures"),
            ("summary_risks", "risks"))
_FOCUS_LISTS = ("focus_indicators", "focus_measures", "focus_risks")
_VFM = (("vfm_status", "status"), ("vfm_latest", "latest"), ("vfm_rank", "rank"), ("vfm_of", "of"),
        ("vfm_note", "note"))
_COMPARATOR_FIELDS = ("name", "area", "kind", "period", "value", "home_value", "basis", "members", "note")
