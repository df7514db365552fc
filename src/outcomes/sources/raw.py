"""The raw form of a dataset: what files hold, before validation.

Both the dataset folder and the Excel workbook are read into a :class:`RawDataset`; one builder
(:mod:`outcomes.sources.build`) validates it and makes the domain objects. Writers go the other
way. Keeping one raw form means the folder and the workbook can never drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

OBSERVATION_COLUMNS = (
    "series",
    "area",
    "period",
    "value",
    "numerator",
    "denominator",
    "lower95",
    "upper95",
    "lower998",
    "upper998",
    "status",
    "source",
    "note",
    "missing_reason",
)
REQUIRED_OBSERVATION_COLUMNS = ("series", "area", "period", "value")

#: inputs.csv: the raw inputs from which a series' method computes its values (docs/dataset-format.md)
INPUT_COLUMNS = (
    "series",
    "area",
    "period",
    "band",
    "count",
    "population",
    "reference_count",
    "reference_population",
    "standard_population",
    "value",
)
REQUIRED_INPUT_COLUMNS = ("series", "area", "period")

#: breakdowns.csv: a series' figures by category, e.g. deprivation decile (docs/dataset-format.md)
BREAKDOWN_COLUMNS = (
    "series",
    "area",
    "period",
    "category_type",
    "category",
    "quantile",
    "value",
    "lower95",
    "upper95",
    "standard_error",
    "population",
)
REQUIRED_BREAKDOWN_COLUMNS = ("series", "area", "period", "category_type", "category", "value")

RISK_COLUMNS = (
    "id",
    "title",
    "score",
    "trend",
    "outcome",
    "indicators",
    "likelihood",
    "impact",
    "owner",
    "focus",
    "focus_reason",
)
REQUIRED_RISK_COLUMNS = ("id", "title", "score", "trend")

#: Each table a dataset holds, by its :class:`RawDataset` attribute: (its columns, the ones it must have).
TABLE_COLUMNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "observations": (OBSERVATION_COLUMNS, REQUIRED_OBSERVATION_COLUMNS),
    "risks": (RISK_COLUMNS, REQUIRED_RISK_COLUMNS),
    "inputs": (INPUT_COLUMNS, REQUIRED_INPUT_COLUMNS),
    "breakdowns": (BREAKDOWN_COLUMNS, REQUIRED_BREAKDOWN_COLUMNS),
}

NARRATIVE_SECTIONS = {
    "story": "Story behind the baseline",
    "partners": "Partners with a significant role to play",
    "actions": "What we are doing",
    "data_notes": "Data notes",
}


@dataclass
class Row:
    """One table row with where it came from ("observations.csv", 12)."""

    values: dict[str, str]
    file: str
    number: int  # 1-based, header is row 1

    @property
    def location(self) -> str:
        return f"row {self.number}"

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()


@dataclass
class NarrativeDoc:
    subject: str
    period: str
    sections: dict[str, str]
    file: str
    line: int = 1


@dataclass
class RawDataset:
    framework: dict[str, Any]
    framework_file: str
    observations: list[Row] = field(default_factory=list)
    observations_file: str = "observations.csv"
    observation_columns: tuple[str, ...] = OBSERVATION_COLUMNS
    risks: list[Row] = field(default_factory=list)
    risks_file: str = "risks.csv"
    risk_columns: tuple[str, ...] = RISK_COLUMNS
    narrative: list[NarrativeDoc] = field(default_factory=list)
    lines: dict[int, int] = field(default_factory=dict)  # id(mapping) -> line in framework file
    inputs: list[Row] = field(default_factory=list)  # inputs.csv: raw inputs of series with a method
    inputs_file: str = "inputs.csv"
    breakdowns: list[Row] = field(default_factory=list)  # breakdowns.csv: figures by category

    def line_of(self, node: object) -> str:
        line = self.lines.get(id(node))
        return f"line {line}" if line else ""

    def locate(self, node: object, path: str) -> tuple[str, str]:
        """Where a framework field is, as (location, field): a YAML line here, a sheet cell in a workbook."""
        return self.line_of(node), path
