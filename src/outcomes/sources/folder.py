"""Read and write a dataset folder.

A dataset folder holds ``framework.yaml``, ``observations.csv``, ``risks.csv``, a ``narrative/``
folder of Markdown files and, for series whose values a method computes, ``inputs.csv`` (see
``docs/dataset-format.md``).
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from outcomes.sources.problems import Problems
from outcomes.sources.raw import (
    NARRATIVE_SECTIONS,
    OBSERVATION_COLUMNS,
    TABLE_COLUMNS,
    NarrativeDoc,
    RawDataset,
    Row,
)
from outcomes.sources.spreadsheet import escape_formula, neutralise_cell, unescape_formula
from outcomes.sources.textfiles import SafeLoader, utf8_fix, yaml_problem

__all__ = ["neutralise_cell", "read_folder", "read_table", "write_folder"]

FRAMEWORK_FILE = "framework.yaml"
OBSERVATIONS_FILE = "observations.csv"
RISKS_FILE = "risks.csv"
INPUTS_FILE = "inputs.csv"
BREAKDOWNS_FILE = "breakdowns.csv"
NARRATIVE_DIR = "narrative"
#: The folder's CSV files, by the :class:`RawDataset` attribute they hold; observations and risks are
#: always written (with just a header when empty), inputs and breakdowns only when there are some.
_TABLE_FILES = {"observations": OBSERVATIONS_FILE, "risks": RISKS_FILE, "inputs": INPUTS_FILE,
                "breakdowns": BREAKDOWNS_FILE}
_ALWAYS_WRITTEN = ("observations", "risks")


class _LineLoader(SafeLoader):
    """The safe YAML loader (aliases refused) that also remembers the line of every mapping."""

    lines: dict[int, int]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:  # type: ignore[override]
        mapping = super().construct_mapping(node, deep=True)
        self.lines[id(mapping)] = node.start_mark.line + 1
        return mapping


def _load_yaml(text: str, file: str, problems: Problems) -> tuple[Any, dict[int, int]]:
    loader = _LineLoader(text)
    loader.lines = {}
    loader.file = file
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        problems.add(file, *_yaml_problem_fields(exc))
        return None, {}
    finally:
        loader.dispose()
    # keep the mappings alive with their ids: they are part of `data`
    return data, loader.lines


def _yaml_problem_fields(exc: yaml.YAMLError) -> tuple[str, str, str, str]:
    where, message, fix = yaml_problem(exc)
    return where, "", message, fix


def _read_text(path: Path, problems: Problems, label: str) -> str | None:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problems.add(label, "", "", f"cannot be read ({exc.strerror}).", "check the file exists and is readable.")
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.add(
            label,
            f"byte {exc.start}",
            "",
            "is not UTF-8 text.",
            utf8_fix(label),
        )
        return None


def read_table(
    text: str,
    file: str,
    *,
    known: tuple[str, ...],
    required: tuple[str, ...],
    problems: Problems,
) -> list[Row]:
    """Read CSV text into rows, reporting missing and unknown columns."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        problems.add(file, "", "", "is empty.", f"add a header row with at least: {', '.join(required)}.")
        return []
    names = [h.strip().lower() for h in header]
    for need in required:
        if need not in names:
            problems.add(
                file, "row 1", need, f"the column '{need}' is missing.", f"add a '{need}' column to the header row."
            )
    unknown_fix = f"rename or remove it; the columns are: {', '.join(known)}."
    for name in names:
        if name and name not in known:
            problems.add(file, "row 1", name, f"'{name}' is not a column this file can have.", unknown_fix)
    rows: list[Row] = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(names):
            problems.add(
                file,
                f"row {number}",
                "",
                f"has {len(cells)} cells but the header has {len(names)}.",
                "remove the extra cells or put text containing commas in double quotes.",
            )
            continue
        rows.append(Row(dict(zip(names, (unescape_formula(c) for c in cells), strict=False)), file, number))
    return rows


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_HEADING = re.compile(r"^##\s+(.+?)\s*$", re.M)


def section_key(heading: str) -> str | None:
    h = heading.lower()
    if "story" in h or "baseline" in h:
        return "story"
    if "partner" in h:
        return "partners"
    if "doing" in h or "action" in h:
        return "actions"
    if "note" in h or "caveat" in h or "data" in h:
        return "data_notes"
    return None


def parse_narrative(text: str, file: str, problems: Problems) -> NarrativeDoc | None:
    match = _FRONT_MATTER.match(text)
    if not match:
        problems.add(
            file,
            "line 1",
            "front matter",
            "does not start with a front-matter block naming the indicator.",
            "begin the file with '---', then 'subject: <indicator id>' and 'period: <period>', then '---'.",
        )
        return None
    meta, _ = _load_yaml(match.group(1), file, problems)
    if not isinstance(meta, dict):
        problems.add(file, "line 2", "front matter", "the front matter is not a set of 'name: value' lines.",
                     "write 'subject: <indicator id>' and 'period: <period>'.")
        return None
    body = text[match.end():]
    body_line = text[: match.end()].count("\n") + 1
    sections: dict[str, str] = {}
    headings = list(_HEADING.finditer(body))
    if not headings and body.strip():
        problems.add(file, f"line {body_line}", "", "has text but no '## ' section headings.",
                     f"put the text under headings: {', '.join('## ' + t for t in NARRATIVE_SECTIONS.values())}.")
    for i, h in enumerate(headings):
        key = section_key(h.group(1))
        end = headings[i + 1].start() if i + 1 < len(headings) else len(body)
        line = body_line + body[: h.start()].count("\n")
        if key is None:
            problems.add(file, f"line {line}", "heading", f"'{h.group(1)}' is not a narrative section.",
                         f"use one of: {', '.join(NARRATIVE_SECTIONS.values())}.")
            continue
        if key in sections:
            problems.add(file, f"line {line}", "heading", f"the section '{h.group(1)}' appears twice.",
                         "merge the two sections into one.")
            continue
        sections[key] = body[h.end():end].strip()
    return NarrativeDoc(
        subject=str(meta.get("subject") or meta.get("indicator") or "").strip(),
        period=str(meta.get("period") or "").strip(),
        sections=sections,
        file=file,
    )


def read_folder(path: Path, problems: Problems) -> RawDataset | None:
    """Read a dataset folder into its raw form, adding every problem found."""
    fw_path = path / FRAMEWORK_FILE
    if not fw_path.exists():
        problems.add(
            FRAMEWORK_FILE, "", "", f"there is no {FRAMEWORK_FILE} in {path}.",
            "point at a dataset folder (it holds framework.yaml and observations.csv) or an .xlsx workbook.",
        )
        return None
    text = _read_text(fw_path, problems, FRAMEWORK_FILE)
    framework, lines = _load_yaml(text, FRAMEWORK_FILE, problems) if text is not None else (None, {})
    if text is not None and framework is not None and not isinstance(framework, dict):
        problems.add(FRAMEWORK_FILE, "line 1", "", "must be a set of 'name: value' entries at the top level.",
                     "start from the example in docs/dataset-format.md.")
        framework = None
    raw = RawDataset(framework=framework or {}, framework_file=FRAMEWORK_FILE, lines=lines)
    for attr, file in _TABLE_FILES.items():
        table_path = path / file
        if table_path.exists():
            table_text = _read_text(table_path, problems, file)
            if table_text is not None:
                known, required = TABLE_COLUMNS[attr]
                setattr(raw, attr, read_table(table_text, file, known=known, required=required, problems=problems))
        elif attr == "observations":
            problems.add(OBSERVATIONS_FILE, "", "", f"there is no {OBSERVATIONS_FILE} in {path}.",
                         "add it with the header: " + ",".join(OBSERVATION_COLUMNS))
    narrative_dir = path / NARRATIVE_DIR
    if narrative_dir.is_dir():
        for md in sorted(narrative_dir.glob("*.md")):
            label = f"{NARRATIVE_DIR}/{md.name}"
            md_text = _read_text(md, problems, label)
            if md_text is not None:
                doc = parse_narrative(md_text, label, problems)
                if doc:
                    raw.narrative.append(doc)
    return raw if framework is not None else None


# --- writing ---------------------------------------------------------------------------------


def _write_csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    """CSV text; text a spreadsheet would run as a formula gets an apostrophe, which the reader takes off."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: escape_formula(v) if isinstance(v, str) else v for k, v in row.items()} for row in rows)
    return buffer.getvalue()


class _Dumper(yaml.SafeDumper):
    pass


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def narrative_markdown(doc: NarrativeDoc) -> str:
    head = dump_yaml({"subject": doc.subject, "period": doc.period}) if doc.period else dump_yaml(
        {"subject": doc.subject}
    )
    parts = [f"---\n{head}---\n"]
    for key, title in NARRATIVE_SECTIONS.items():
        text = doc.sections.get(key, "").strip()
        if text:
            parts.append(f"\n## {title}\n\n{text}\n")
    return "".join(parts)


def write_folder(raw: RawDataset, path: Path) -> None:
    """Write a dataset folder atomically: into a temporary folder, then renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".outcomes-", dir=path.parent))
    try:
        (tmp / FRAMEWORK_FILE).write_text(dump_yaml(raw.framework), encoding="utf-8")
        for attr, file in _TABLE_FILES.items():
            rows: list[Row] = getattr(raw, attr)
            if rows or attr in _ALWAYS_WRITTEN:
                (tmp / file).write_text(_write_csv(TABLE_COLUMNS[attr][0], [r.values for r in rows]), encoding="utf-8")
        if raw.narrative:
            (tmp / NARRATIVE_DIR).mkdir()
            used: set[str] = set()
            for doc in raw.narrative:
                stem = re.sub(r"[^a-z0-9]+", "-", f"{doc.subject} {doc.period}".lower()).strip("-") or "narrative"
                name, n = stem, 2
                while name in used:
                    name, n = f"{stem}-{n}", n + 1
                used.add(name)
                (tmp / NARRATIVE_DIR / f"{name}.md").write_text(narrative_markdown(doc), encoding="utf-8")
        if path.exists():
            backup = Path(tempfile.mkdtemp(prefix=".outcomes-old-", dir=path.parent))
            os.rename(path, backup / "old")
            os.rename(tmp, path)
            import shutil

            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(tmp, path)
    except BaseException:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
        raise
