"""Writing a dataset as a workbook (:func:`write_workbook`): the framework flattened into the
framework sheets (an indicator or measure with one series of its own id in the shorthand form),
the tables as they are, each sheet with its header row.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from outcomes.sources.raw import RawDataset
from outcomes.sources.spreadsheet import cell_text
from outcomes.sources.workbook.cells import _as_text, _join, _put
from outcomes.sources.workbook.layout import (
    _ABOUT_LISTS,
    _COMPARATOR_FIELDS,
    _FOCUS_LISTS,
    _HEADLINES,
    _OFFICER_KIND_NAMES,
    _PUBLISHED_WORDS,
    _SERIES_TEXT,
    _SETTING_MEANING,
    _SUMMARY,
    _VFM,
    ABOUT,
    ABOUT_ROWS,
    SHEETS,
    Sheet,
)

# --- writing ---------------------------------------------------------------------------------


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _dicts(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        yield from (v for v in value if isinstance(v, dict))


def _people(value: Any) -> list[tuple[Any, Any, Any, Any]]:
    items = value if isinstance(value, list) else [value] if value is not None else []
    out: list[tuple[Any, Any, Any, Any]] = []
    for item in items:
        if isinstance(item, dict):
            out.append((item.get("name"), item.get("role"), item.get("email"), item.get("phone")))
        elif item is not None:
            out.append((item, None, None, None))
    return out


def _flatten(prefix: str, value: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        for key, child in value.items():
            yield from _flatten(f"{prefix}.{key}", child)
    elif isinstance(value, (list, tuple)):
        yield prefix, _join(value)
    else:
        yield prefix, value


class _Writer:
    """Lays the framework mapping out as the rows of each sheet."""

    def __init__(self, raw: RawDataset) -> None:
        self.rows: dict[str, list[dict[str, Any]]] = {sheet.name: [] for sheet in SHEETS}
        fw = raw.framework if isinstance(raw.framework, dict) else {}
        self.about(fw)
        for area in _dicts(fw.get("areas")):
            self.rows["Areas"].append({"code": area.get("code"), "name": area.get("name")})
        for o in _dicts(fw.get("outcomes")):
            self.outcome(o)
        self.rows["Observations"] = [dict(r.values) for r in raw.observations]
        self.rows["Risks"] = [dict(r.values) for r in raw.risks]
        self.rows["Inputs"] = [dict(r.values) for r in raw.inputs]
        self.rows["Breakdowns"] = [dict(r.values) for r in raw.breakdowns]
        for doc in raw.narrative:
            self.rows["Narrative"].append({"subject": doc.subject, "period": doc.period, **doc.sections})

    def about(self, fw: dict[str, Any]) -> None:
        for label, path, meaning in ABOUT_ROWS:
            node: Any = fw
            for key in path:
                node = node.get(key) if isinstance(node, dict) else None
            if path in _ABOUT_LISTS:
                if node is None:
                    continue
                node = "; ".join(_as_text(w) for w in node) if node else "none"
            self.rows["About"].append({"setting": label, "value": node, "meaning": meaning})
        settings = fw.get("settings")
        if isinstance(settings, dict):
            for name, value in _flatten("settings", settings):
                self.rows["About"].append({"setting": name, "value": value, "meaning": _SETTING_MEANING})

    def officers(self, node: dict[str, Any], ident: Any, kinds: Iterable[str]) -> None:
        for kind in kinds:
            for name, role, email, phone in _people(node.get(kind)):
                self.rows["Officers"].append({"belongs_to": ident, "kind": _OFFICER_KIND_NAMES[kind],
                                              "name": name, "role": role, "email": email, "phone": phone})

    def outcome(self, o: dict[str, Any]) -> None:
        summary = _mapping(o.get("published_summary"))
        row: dict[str, Any] = {"id": o.get("id"), "title": o.get("title"), "introduction": o.get("introduction")}
        for column, key in _SUMMARY:
            row[column] = summary.get(key)
        for key in _FOCUS_LISTS:
            items = summary.get(key)
            row[key] = _join(items) if isinstance(items, list) else items
        self.rows["Outcomes"].append(row)
        self.officers(o, o.get("id"), ("sponsor", "lead_officers", "contacts"))
        for ind in _dicts(o.get("population_indicators")):
            vfm = _mapping(ind.get("value_for_money"))
            ind_row = {key: ind.get(key) for key in ("id", "number", "section", "section_title", "title")}
            ind_row["outcome"] = o.get("id")
            ind_row.update({column: vfm.get(key) for column, key in _VFM})
            self.rows["Indicators"].append(ind_row)
            self.officers(ind, ind.get("id"), ("lead_officers",))
            self.series_of(ind)
            for m in _dicts(ind.get("measures")):
                self.rows["Measures"].append({"indicator": ind.get("id"), "id": m.get("id"), "title": m.get("title"),
                                              "published_trend": m.get("published_trend")})
                self.officers(m, m.get("id"), ("lead_officers",))
                self.series_of(m)

    def series_of(self, item: dict[str, Any]) -> None:
        if isinstance(item.get("series"), list):
            for s in _dicts(item["series"]):
                self.series(s, parent=item.get("id"), ident=s.get("id"), title=s.get("title"))
                self.officers(s, s.get("id"), ("lead_officers",))
        else:
            self.series(item, parent=item.get("id"), ident=item.get("id"), title=None)

    def series(self, s: dict[str, Any], *, parent: Any, ident: Any, title: Any) -> None:
        row: dict[str, Any] = {"parent": parent, "id": ident, "title": title}
        for key in _SERIES_TEXT:
            row[key] = s.get(key)
        unit = s.get("unit")
        if isinstance(unit, dict):
            per = unit.get("per")
            row["unit"] = f"{_as_text(unit.get('type'))} per {_as_text(per)}" if per else unit.get("type")
            row["decimals"], row["currency"] = unit.get("decimals"), unit.get("currency")
        else:
            row["unit"] = unit
        breaks = s.get("breaks")
        row["breaks"] = _join(breaks) if isinstance(breaks, list) else breaks
        target = s.get("target")
        if isinstance(target, dict):
            row.update(target=target.get("value"), target_period=target.get("period"), target_note=target.get("note"))
        else:
            row["target"] = target
        focus = s.get("focus")
        if isinstance(focus, dict) and focus:
            row["focus"], row["focus_reason"] = next(iter(focus.items()))
        else:
            row["focus"] = focus
        pub = _mapping(s.get("published"))
        for which in _HEADLINES:
            headline = _mapping(pub.get(which))
            for key in ("label", "value", "text"):
                row[f"{which}_{key}"] = headline.get(key)
        entries = []
        for h in _dicts(pub.get("extra")):
            entry = f"{_as_text(h.get('label'))}={_as_text(h.get('value'))}"
            entries.append(entry + (f" | {_as_text(h['text'])}" if h.get("text") else ""))
        row["extra"] = _join(entries) if entries else None
        for key in _PUBLISHED_WORDS:
            row[key] = pub.get(key)
        method = s.get("method")
        if isinstance(method, dict):
            row.update(method=method.get("name"), method_age=method.get("age"),
                       method_reference_value=method.get("reference_value"))
        else:
            row["method"] = method
        self.rows["Series"].append(row)
        for c in _dicts(s.get("comparators")):
            c_row = {key: c.get(key) for key in _COMPARATOR_FIELDS}
            members = c.get("members")
            c_row["members"] = _join(members) if isinstance(members, list) else members
            c_row["series"] = ident
            self.rows["Comparators"].append(c_row)


def _write_sheet(wb: Any, sheet: Sheet, rows: list[dict[str, Any]]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(sheet.name)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for c, name in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=c, value=name)
        cell.font, cell.fill = bold, fill
    for r, values in enumerate(rows, start=2):
        for c, name in enumerate(sheet.columns, start=1):
            _put(ws, r, c, values.get(name), numeric=name in sheet.numeric)
            if name in sheet.wide and values.get(name):
                ws.cell(row=r, column=c).alignment = wrap
    for c, name in enumerate(sheet.columns, start=1):
        letter = get_column_letter(c)
        longest = max([len(name)] + [len(max(cell_text(v.get(name)).splitlines() or [""], key=len))
                                     for v in rows[:500]])
        ws.column_dimensions[letter].width = 60 if name in sheet.wide and longest > 60 else min(max(longest + 2, 8), 60)
        if name not in sheet.numeric and not (sheet is ABOUT and name == "value"):
            ws.column_dimensions[letter].number_format = "@"  # new cells stay text: 'Mar-18' is not a date
    for name, options in sheet.choices:
        letter = get_column_letter(sheet.columns.index(name) + 1)
        dv = DataValidation(type="list", formula1='"' + ",".join(options) + '"', allow_blank=True,
                            showErrorMessage=True, errorStyle="warning", errorTitle=f"Not a usual {name}",
                            error=f"Usually one of: {', '.join(options)}.")
        dv.add(f"{letter}2:{letter}1048576")
        ws.add_data_validation(dv)
    ws.freeze_panes = sheet.freeze
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(rows) + 1}"


def write_workbook(raw: RawDataset, path: Path | str) -> None:
    """Write ``raw`` as one workbook (atomically: a temporary file, then renamed into place).

    Reading the file back gives the same framework, observations, risks and narrative.
    """
    from openpyxl import Workbook

    path = Path(path)
    writer = _Writer(raw)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        _write_sheet(wb, sheet, writer.rows[sheet.name])
    wb.properties.creator = "Outcomes Tracker"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".outcomes-", suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
