"""Data exports: observations, judgements (with method and reason), risks and the focus ranking.

:func:`export_data` writes them as CSV (one file per table), XLSX (one workbook, one sheet per table)
and JSON (one document). ``observations.csv`` (or the workbook's *Observations* sheet) reads back
with the generic table importer and the mapping shipped beside this module::

    outcomes convert table export/observations.csv --mapping src/outcomes/exports/observations-mapping.yaml --out again

See ``docs/exports.md``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from outcomes.exports.tables import ExportTable, build_tables, focus_records
from outcomes.exports.writers import safe_text, write_csv, write_json, write_xlsx
from outcomes.model import Framework

__all__ = ["FORMATS", "MAPPING_FILE", "ExportTable", "build_tables", "export_data", "safe_text"]

FORMATS = ("csv", "xlsx", "json")
#: The mapping with which ``convert table`` reads an exported observations table back.
MAPPING_FILE = Path(__file__).with_name("observations-mapping.yaml")
WORKBOOK_NAME = "outcomes-export.xlsx"
JSON_NAME = "outcomes-export.json"


def export_data(framework: Framework, judged: Any, out_dir: Path | str, *,
                formats: Iterable[str] = FORMATS) -> list[Path]:
    """Write the export tables of ``framework`` (and its ``judged`` judgements, may be None) to ``out_dir``.

    Returns the files written. ``formats`` is any of ``csv``, ``xlsx``, ``json``.
    """
    chosen = list(dict.fromkeys(formats))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"Unknown export format(s) {', '.join(unknown)}: use {', '.join(FORMATS)}.")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tables = build_tables(framework, judged)
    written: list[Path] = []
    title = f"{framework.organisation} — reporting period {framework.reporting_period}"
    if "csv" in chosen:
        for table in tables:
            written.append(write_csv(table, out / f"{table.name}.csv"))
    if "xlsx" in chosen:
        written.append(write_xlsx(tables, out / WORKBOOK_NAME, title=title))
    if "json" in chosen:
        payload: dict[str, Any] = {
            "dataset": {"organisation": framework.organisation, "area": framework.home_area.code,
                        "area_name": framework.home_area.name, "reporting_period": str(framework.reporting_period)},
        }
        for table in tables:
            payload[table.name] = table.rows
        if judged is not None and hasattr(judged, "to_json_dict"):
            payload["judgements_detail"] = judged.to_json_dict()
        payload["focus"] = focus_records(judged) if judged is not None else []
        written.append(write_json(payload, out / JSON_NAME))
    return written
