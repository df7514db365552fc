"""Issue 16 item 1 in the returns workbook: "Nothing to report" with a reason, per series row.

Given the example's 'safe' outcome opened for Q1 2018-19 (the ``cycle`` fixture: ``lead`` leads
child-protection and its series), each test downloads the lead's workbook, fills it in with openpyxl
as an officer would in Excel, uploads it, reads the preview page and commits, then checks what the
store holds. A row marked Yes with a reason is saved as the web form saves it (``workflow.save_return``
with the value empty and ``missing_reason``, audited); Yes without a reason, Yes beside a figure and a
reason without Yes are refused with the sheet, cell, row, column and fix, and nothing is written.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from outcomes_web.store import models as m
from outcomes_web.store import workflow
from outcomes_web.workspace import workbook as wbmod

pytestmark = pytest.mark.django_db

URL = "/manage/workbook/Q1 2018-19.xlsx"
REASON = "Not yet published by the DfE"


def soup(response: Any) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def download(client: Any) -> Any:
    r = client.get(URL)
    assert r.status_code == 200
    return load_workbook(io.BytesIO(r.content))


def row_of(ws: Any, key: str) -> int:
    return next(r for r in range(wbmod.FIRST_ROW, ws.max_row + 1) if ws[f"{wbmod.FIG['series']}{r}"].value == key)


def fill(wb: Any, figures: dict[str, dict[str, Any]]) -> bytes:
    ws = wb[wbmod.FIGURES]
    for key, cells in figures.items():
        for name, value in cells.items():
            ws[f"{wbmod.FIG[name]}{row_of(ws, key)}"] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client: Any, content: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/manage/workbook/upload/",
                       {"workbook": SimpleUploadedFile("returns.xlsx", content, content_type=wbmod.CONTENT_TYPE)})


def stored(sub: m.Submission, key: str, period: str) -> m.Observation | None:
    return m.Observation.objects.filter(series__snapshot=sub.snapshot, series__key=key, is_home=True,
                                        period_label=period).first()


def problems(page: BeautifulSoup) -> dict[str, str]:
    """The preview's problems: cell ("Figures!T5") -> message."""
    out = {}
    for li in page.select("#problems li"):
        strong = li.select_one("strong")
        assert strong is not None, li
        out[strong.get_text()] = li.get_text(" ", strip=True)
    return out


def written_since(start: int) -> list[m.AuditEvent]:
    """Audit events other than the upload itself, recorded after event ``start``."""
    return list(m.AuditEvent.objects.filter(pk__gt=start).exclude(item_type="workbook"))


def last_event() -> int:
    return m.AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# ------------------------------------------------------------------------------------ download
def test_the_workbook_has_a_nothing_to_report_column_with_a_yes_list_and_a_reason_column(cycle):
    wb = download(cycle.client(cycle.lead))
    ws = wb[wbmod.FIGURES]
    row = row_of(ws, "children-in-need")
    head = wbmod.HEADER_ROW
    assert ws[f"{wbmod.FIG['nothing']}{head}"].value == "Nothing to report"
    assert ws[f"{wbmod.FIG['reason']}{head}"].value == "Reason"
    for key in ("nothing", "reason"):
        cell = ws[f"{wbmod.FIG[key]}{row}"]
        assert cell.protection.locked is False and cell.value is None, key
    yes_lists = [dv for dv in ws.data_validations.dataValidation if dv.formula1 == '"Yes"']
    assert len(yes_lists) == 1 and f"{wbmod.FIG['nothing']}{row}" in str(yes_lists[0].sqref)
    assert yes_lists[0].allow_blank
    instructions = " ".join(str(c.value) for c in wb[wbmod.INSTRUCTIONS]["A"] if c.value)
    assert "choose Yes in 'Nothing to report' and say why in 'Reason'" in instructions


# ---------------------------------------------------------------------------------- round trip
def test_yes_with_a_reason_is_saved_as_the_form_saves_it_audited_and_the_return_can_be_submitted(cycle):
    client = cycle.client(cycle.lead)
    due = workflow.due_series(cycle.sub)
    assert due, "the lead's return has series due this period"
    wb = download(client)
    r = upload(client, fill(wb, {key: {"nothing": "Yes", "reason": REASON} for key, _, _ in due}))
    assert r.status_code == 302
    # the preview lists each series as nothing to report, with its reason, and nothing is written yet
    page = soup(client.get(r["Location"]))
    assert not problems(page)
    rows = {tr.select_one("th").get_text(" ", strip=True): tr.select("td")[3].get_text(strip=True)
            for tr in page.select("table.table tbody tr") if tr.select_one("td").get_text().startswith("Figures!")}
    assert len(rows) == len(due)
    assert set(rows.values()) == {f"Nothing to report: {REASON}"}
    for key, _, period in due:
        assert stored(cycle.sub, key, str(period)) is None
    button = page.select_one("form[action$='/commit/'] button")
    assert button is not None and button.get_text(strip=True) == f"Save {len(due)} changes"
    start = last_event()

    r = client.post(f"/manage/workbook/{m.PendingUpload.objects.get().pk}/commit/")
    assert r.status_code == 302
    for key, _, period in due:
        row = stored(cycle.sub, key, str(period))
        assert row is not None and row.value is None and row.numerator is None and row.missing_reason == REASON
        ev = m.AuditEvent.objects.get(pk__gt=start, item_type="observation", item_key=key, action="create")
        assert ev.after["missing_reason"] == REASON and ev.after["value"] is None and ev.username == "lead"
    saved = m.AuditEvent.objects.get(pk__gt=start, item_type="submission", action="workbook-upload")
    assert saved.summary == f"Saved the return ({len(due)} changes)"
    # every series due is answered, so the return can be signed off, as after the web form
    cycle.sub.refresh_from_db()
    assert workflow.unanswered(cycle.sub) == []
    # a new download shows it among the recent figures, as the return form does
    ws = download(client)[wbmod.FIGURES]
    key, _, period = due[0]
    row = row_of(ws, key)
    assert ws[f"{wbmod.FIG['period3']}{row}"].value == str(period)
    assert ws[f"{wbmod.FIG['value3']}{row}"].value == f"Nothing to report ({REASON})"
    workflow.submit(cycle.lead, cycle.sub, cycle.sub.version, declaration=True)
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "submitted"


def test_the_workbook_and_the_form_store_the_same_row(cycle):
    # Given one series answered "nothing to report" through the web form's service call ...
    key, _, period = workflow.due_series(cycle.sub)[0]
    workflow.save_return(cycle.lead, cycle.sub, cycle.sub.version, {key: {"period": str(period), "value": "",
                                                                            "missing_reason": REASON}})
    by_form = stored(cycle.sub, key, str(period))
    assert by_form is not None
    form_fields = {f: getattr(by_form, f) for f in workflow.FIGURE_FIELDS}
    by_form.delete()
    # ... when the same answer comes in the workbook, the stored figure has the same fields
    client = cycle.client(cycle.lead)
    cycle.sub.refresh_from_db()
    r = upload(client, fill(download(client), {key: {"nothing": "Yes", "reason": REASON}}))
    assert client.post(r["Location"] + "commit/").status_code == 302
    by_workbook = stored(cycle.sub, key, str(period))
    assert by_workbook is not None
    assert {f: getattr(by_workbook, f) for f in workflow.FIGURE_FIELDS} == form_fields


# ------------------------------------------------------------------------------------- refused
CASES = {
    "yes without a reason": ({"nothing": "Yes"}, "reason",
                             ["is Yes but 'Reason' (column {reason}) is empty", "Write in {reason_cell} why"]),
    "yes with a figure": ({"nothing": "Yes", "reason": REASON, "value": 341, "note": "Checked"}, "nothing",
                          ["is Yes but the row also has a figure in 'Value' ({value_cell})",
                           "Clear the figure if there is nothing to report, or clear {nothing_cell}"]),
    "yes with a numerator only": ({"nothing": "Yes", "reason": REASON, "numerator": 12}, "nothing",
                                  ["a figure in 'Numerator' ({numerator_cell})"]),
    "a reason without yes": ({"reason": REASON, "value": 341, "note": "Checked"}, "reason",
                             ["is filled in but 'Nothing to report' (column {nothing}) is not Yes",
                              "Choose Yes in {nothing_cell}"]),
    "a mark that is not yes": ({"nothing": "Maybe", "reason": REASON}, "nothing",
                               ["'Maybe' in 'Nothing to report' (column {nothing}, row {row}) is not Yes"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_misused_nothing_to_report_is_refused_naming_the_cell_and_nothing_is_written(cycle, case):
    cells, column, expected = CASES[case]
    client = cycle.client(cycle.lead)
    wb = download(client)
    row = row_of(wb[wbmod.FIGURES], "children-in-need")
    # a good figure on another row: refused together, so nothing is half-written
    content = fill(wb, {"children-in-need": cells, "re-referrals": {"value": 21.5, "numerator": 43,
                                                                    "denominator": 200, "note": "Checked"}})
    start = last_event()
    r = upload(client, content)
    assert r.status_code == 302
    page = soup(client.get(r["Location"]))
    found = problems(page)
    cell = f"Figures!{wbmod.FIG[column]}{row}"
    assert cell in found, found
    assert all(c.endswith(f"{row}") for c in found), found  # the row with the good figure has no problem
    message = found[cell]
    names = {"row": row, **{k: wbmod.FIG[k] for k in ("nothing", "reason")},
             **{f"{k}_cell": f"{wbmod.FIG[k]}{row}" for k in ("nothing", "reason", "value", "numerator")}}
    for words in expected:
        assert words.format(**names) in message, message
    assert f"row {row}" in message
    assert page.select_one("form[action$='/commit/']") is None  # no Save button

    r = client.post(r["Location"] + "commit/")
    assert r.status_code == 409
    assert "Nothing was saved" in soup(r).get_text()
    assert written_since(start) == []
    assert stored(cycle.sub, "children-in-need", "Q1 2018-19") is None
    assert stored(cycle.sub, "re-referrals", "Q1 2018-19") is None


def test_a_workbook_of_the_previous_format_is_refused_with_a_fix(cycle):
    """A workbook downloaded before the columns were added would be read a column out: it is refused."""
    client = cycle.client(cycle.lead)
    wb = download(client)
    wb[wbmod.META]["B1"] = "1"
    buffer = io.BytesIO()
    wb.save(buffer)
    r = upload(client, buffer.getvalue())
    assert r.status_code == 400
    assert "was made by another version of the workspace: download a new workbook" in soup(r).get_text()
    assert not m.PendingUpload.objects.exists()
