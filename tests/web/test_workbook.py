"""The data-collection workbook round trip: download, fill in offline, upload, preview, commit.

Given the example's 'safe' outcome opened for Q1 2018-19 (the ``cycle`` fixture: ``lead`` leads
child-protection, ``otherlead`` leads killed-seriously-injured), when an officer downloads their
workbook, fills it in with openpyxl and uploads it, then they see every change before → after
and every problem by cell, and committing writes all of it or none of it.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from tests.web.html import one, parse
from tests.web.html import text as words

from outcomes_web.store import models as m
from outcomes_web.store import workflow
from outcomes_web.workspace import workbook as wbmod

pytestmark = pytest.mark.django_db

PERIOD = "Q1 2018-19"
URL = f"/manage/workbook/{PERIOD}.xlsx"
LEAD_SERIES = {"child-protection", "children-in-need", "re-referrals", "second-plans"}


def _problems(html: str) -> dict[str, str]:
    """The upload's problems: each cell (``Figures!E7``) and the message after it."""
    items = parse(html).select("#problems li:has(> strong)")
    return {words(one(li, "strong")): words(li).split(": ", 1)[1] for li in items}


def text(response: Any) -> str:
    return response.content.decode("utf-8")


def download(client: Any) -> Any:
    r = client.get(URL)
    assert r.status_code == 200, text(r)
    assert r["Content-Type"] == wbmod.CONTENT_TYPE
    assert "attachment" in r["Content-Disposition"]
    return load_workbook(io.BytesIO(r.content))


def row_of(ws: Any, series_key: str) -> int:
    for row in range(wbmod.FIRST_ROW, ws.max_row + 1):
        if ws[f"{wbmod.FIG['series']}{row}"].value == series_key:
            return row
    raise AssertionError(f"no row for {series_key}")


def fill(wb: Any, figures: dict[str, dict[str, Any]], narrative: dict[str, dict[str, str]] | None = None) -> bytes:
    ws = wb[wbmod.FIGURES]
    for key, fields in figures.items():
        row = row_of(ws, key)
        for name, value in fields.items():
            ws[f"{wbmod.FIG[name]}{row}"] = value
    nws = wb[wbmod.NARRATIVE]
    for indicator, sections in (narrative or {}).items():
        row = next(r for r in range(wbmod.FIRST_ROW, nws.max_row + 1)
                   if nws[f"{wbmod.NAR['indicator_key']}{r}"].value == indicator)
        for name, value in sections.items():
            nws[f"{wbmod.NAR[name]}{row}"] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client: Any, content: bytes, name: str = "my-returns.xlsx") -> Any:
    return client.post("/manage/workbook/upload/", {"workbook": _file(content, name)})


def _file(content: bytes, name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=wbmod.CONTENT_TYPE)


def home_obs(snapshot: m.Snapshot, key: str, period: str) -> m.Observation | None:
    return (m.Observation.objects.filter(series__snapshot=snapshot, series__key=key, is_home=True,
                                         period_label=period).first())


# ------------------------------------------------------------------------------------ download
def test_download_is_protected_with_shaded_unlocked_inputs_and_hidden_versions(cycle):
    wb = download(cycle.client(cycle.lead))
    assert wb.sheetnames == [wbmod.INSTRUCTIONS, wbmod.FIGURES, wbmod.NARRATIVE, wbmod.META]
    assert wb[wbmod.META].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    ws = wb[wbmod.FIGURES]
    for sheet in (ws, wb[wbmod.NARRATIVE], wb[wbmod.INSTRUCTIONS]):
        assert sheet.protection.sheet
    # one row per series the lead may enter, and no one else's
    keys = {ws[f"D{r}"].value for r in range(wbmod.FIRST_ROW, ws.max_row + 1)}
    assert keys == LEAD_SERIES
    row = row_of(ws, "children-in-need")
    assert ws[f"{wbmod.FIG['period']}{row}"].value == PERIOD  # the period due, prefilled
    assert ws[f"{wbmod.FIG['period3']}{row}"].value == "Q4 2017-18"  # latest figures for context
    assert ws[f"{wbmod.FIG['value3']}{row}"].value
    # none due: the next period, never an existing one (a typed figure is new, not a silent correction)
    assert ws[f"{wbmod.FIG['period']}{row_of(ws, 'child-protection')}"].value == "2018-19"
    for key in wbmod.FIGURE_INPUTS:
        cell = ws[f"{wbmod.FIG[key]}{row}"]
        assert cell.protection.locked is False, key
        assert cell.fill.fgColor.rgb.endswith("FFF2CC"), key
    for key in ("outcome", "series", "title", "unit", "period", "value3", "submission"):
        assert ws[f"{wbmod.FIG[key]}{row}"].protection.locked is True, key
    assert ws.column_dimensions[wbmod.FIG["submission"]].hidden
    assert ws[f"{wbmod.FIG['submission']}{row}"].value == cycle.sub.pk
    validations = ws.data_validations.dataValidation
    assert any(dv.formula1 == '"Yes,No"' and f"{wbmod.FIG['provisional']}{row}" in str(dv.sqref)
               for dv in validations)
    # the hidden sheet carries each return's id and the version it was drawn at
    meta = [[c.value for c in r] for r in wb[wbmod.META].iter_rows()]
    assert meta[0][0] == wbmod.MARKER and meta[1] == ["period", PERIOD] + [None] * (len(meta[1]) - 2)
    assert [cycle.sub.pk, cycle.sub.version] == meta[6][:2]
    # narrative: one row per indicator the officer leads, its cells unlocked
    nws = wb[wbmod.NARRATIVE]
    assert nws[f"{wbmod.NAR['indicator_key']}{wbmod.FIRST_ROW}"].value == "child-protection"
    assert nws[f"{wbmod.NAR['indicator_key']}{wbmod.FIRST_ROW + 1}"].value is None
    assert nws[f"{wbmod.NAR['story']}{wbmod.FIRST_ROW}"].protection.locked is False


def test_performance_team_gets_every_open_return_of_the_period(cycle):
    wb = download(cycle.client(cycle.perf))
    ws = wb[wbmod.FIGURES]
    keys = {ws[f"D{r}"].value for r in range(wbmod.FIRST_ROW, ws.max_row + 1)}
    assert LEAD_SERIES | {"killed-seriously-injured", "total-crime"} <= keys
    assert len([r for r in wb[wbmod.NARRATIVE].iter_rows(min_row=wbmod.FIRST_ROW) if r[1].value]) == \
        m.Submission.objects.filter(snapshot=cycle.draft).count()


def test_cells_written_from_data_cannot_run_as_formulas(cycle):
    m.Series.objects.filter(snapshot=cycle.draft, key="children-in-need").update(title="=HYPERLINK(\"http://x\")")
    workflow.save_return(cycle.lead, cycle.sub, cycle.sub.version, {},
                         {"story": "=1+1 is not a sum", "partners": "- police\n- health"})
    wb = download(cycle.client(cycle.lead))
    ws = wb[wbmod.FIGURES]
    title = ws[f"{wbmod.FIG['title']}{row_of(ws, 'children-in-need')}"]
    assert title.value == "'=HYPERLINK(\"http://x\")" and title.data_type == "s"
    nws = wb[wbmod.NARRATIVE]
    story = nws[f"{wbmod.NAR['story']}{wbmod.FIRST_ROW}"]
    assert story.data_type == "s" and story.quotePrefix  # shown as text, kept exact for the round trip
    assert story.value == "=1+1 is not a sum"
    # the unchanged workbook comes back with no changes at all
    client = cycle.client(cycle.lead)
    r = client.get(upload(client, fill(wb, {}))["Location"])
    assert "No figures change." in text(r) and "No narrative changes." in text(r)
    assert "workbook-commit" not in text(r) and "/commit/" not in text(r)


def test_who_may_download(cycle):
    assert cycle.client(None).get(URL).status_code == 302  # sign in first
    assert cycle.client(cycle.viewer).get(URL).status_code == 403
    assert cycle.client(cycle.norole).get(URL).status_code == 403
    assert cycle.client(cycle.lead).get("/manage/workbook/Q3 2017-18.xlsx").status_code == 403  # nothing open
    other = download(cycle.client(cycle.other_lead))[wbmod.FIGURES]
    keys = {other[f"D{r}"].value for r in range(wbmod.FIRST_ROW, other.max_row + 1)}
    assert "killed-seriously-injured" in keys and not keys & LEAD_SERIES
    # a return sent for review is with the performance team: the lead has nothing left to enter
    cycle.nothing_to_report(cycle.sub, cycle.lead)
    workflow.submit(cycle.lead, cycle.sub, cycle.sub.version, declaration=True)
    r = cycle.client(cycle.lead).get(URL)
    assert r.status_code == 403 and "no returns to enter for Q1 2018-19" in text(r)


# ----------------------------------------------------------------------------------- round trip
def test_download_fill_upload_preview_commit(cycle):
    client = cycle.client(cycle.lead)
    # a figure already entered for the period offered, so the upload changes it (before -> after)
    workflow.save_return(cycle.perf, cycle.sub, cycle.sub.version,
                         {"child-protection": {"period": "2018-19", "value": "58", "note": "Early estimate"}})
    cycle.sub.refresh_from_db()
    wb = download(client)
    before = home_obs(cycle.draft, "child-protection", "2018-19")
    assert before is not None and before.value is not None
    content = fill(wb, {
        "children-in-need": {"value": 345.6, "note": "New recording system"},
        "re-referrals": {"value": "21.5", "numerator": 43, "denominator": 200, "provisional": "Yes",
                         "note": "Checked"},
        "child-protection": {"value": 61.2, "note": "Revised by the DfE"},
    }, {"child-protection": {"story": "Demand rose.\n\n- more referrals"}})
    r = upload(client, content)
    assert r.status_code == 302
    pending = m.PendingUpload.objects.get(user=cycle.lead)
    assert pending.status == m.PendingUpload.Status.PREVIEW
    assert pending.seen_versions["submission_versions"] == {str(cycle.sub.pk): cycle.sub.version}
    page = client.get(r["Location"])
    html = text(page)
    assert page.status_code == 200, html
    assert "children-in-need" in html and "Q1 2018-19" in html and "(none)" in html
    assert "21.5%" in html and "provisional" in html and "Checked" in html
    assert f"{before.value:g}" in html and "61.2" in html  # before → after of an existing figure
    assert "Demand rose." in html
    assert "Save 4 changes" in html
    assert home_obs(cycle.draft, "children-in-need", PERIOD) is None  # nothing written yet

    r = client.post(f"/manage/workbook/{pending.pk}/commit/")
    assert r.status_code == 302, text(r)
    obs = home_obs(cycle.draft, "children-in-need", PERIOD)
    assert obs is not None and obs.value == 345.6 and obs.status == "final" and obs.note == "New recording system"
    rr = home_obs(cycle.draft, "re-referrals", PERIOD)
    assert rr is not None and (rr.value, rr.numerator, rr.denominator, rr.status) == (21.5, 43, 200, "provisional")
    changed = home_obs(cycle.draft, "child-protection", "2018-19")
    assert changed is not None and changed.value == 61.2
    assert workflow.current_narrative(cycle.sub)["story"] == "Demand rose.\n\n- more referrals"
    pending.refresh_from_db()
    assert pending.status == m.PendingUpload.Status.COMMITTED
    events = m.AuditEvent.objects.filter(snapshot=cycle.draft, username="lead")
    assert events.filter(action="workbook-upload", item_type="submission", item_key="child-protection").exists()
    assert {e.item_key for e in events.filter(item_type="observation")} >= {"children-in-need", "re-referrals",
                                                                           "child-protection"}
    assert events.filter(item_type="narrative").exists()
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == m.Submission.Status.IN_PROGRESS
    # committed once only
    again = client.post(f"/manage/workbook/{pending.pk}/commit/")
    assert again.status_code == 409
    assert m.AuditEvent.objects.filter(action="workbook-upload").count() == 1


def test_a_percentage_typed_with_a_percent_format_is_read_as_the_percentage(cycle):
    client = cycle.client(cycle.lead)
    wb = download(client)
    ws = wb[wbmod.FIGURES]
    cell = ws[f"{wbmod.FIG['value']}{row_of(ws, 're-referrals')}"]
    cell.value = 0.215
    cell.number_format = "0.0%"
    r = upload(client, fill(wb, {"re-referrals": {"note": "Checked"}}))
    assert "21.5%" in text(client.get(r["Location"]))


# ------------------------------------------------------------------------------------- refusals
def test_a_bad_cell_is_named_and_nothing_is_written(cycle):
    client = cycle.client(cycle.lead)
    wb = download(client)
    row = row_of(wb[wbmod.FIGURES], "children-in-need")
    pct = row_of(wb[wbmod.FIGURES], "re-referrals")
    content = fill(wb, {"children-in-need": {"value": "abc"},
                        "re-referrals": {"value": 120, "provisional": "maybe"}},
                   {"child-protection": {"story": "Text that would be saved"}})
    r = upload(client, content)
    assert r.status_code == 302
    page = client.get(r["Location"])
    html = text(page)
    col = wbmod.FIG["value"]
    problems = _problems(html)
    assert problems[f"Figures!{col}{row}"].startswith("'abc' is not a number. Write a plain number")
    assert problems[f"Figures!{col}{pct}"].startswith("120% is outside 0–100.")
    assert problems[f"Figures!{wbmod.FIG['provisional']}{pct}"].startswith("'maybe' is not Yes or No")
    assert len(problems) == 3 and "3 problems to correct in my-returns.xlsx" in html
    assert "/commit/" not in html and not parse(html).select("form[action$='/commit/']")
    pending = m.PendingUpload.objects.get(user=cycle.lead)
    r = client.post(f"/manage/workbook/{pending.pk}/commit/")
    assert r.status_code == 409 and "Nothing was saved" in text(r)
    assert home_obs(cycle.draft, "children-in-need", PERIOD) is None
    assert workflow.current_narrative(cycle.sub)["story"] == ""
    assert not m.AuditEvent.objects.filter(snapshot=cycle.draft, username="lead").exists()


def test_a_figure_needing_a_note_is_an_error_on_the_note_cell(cycle):
    client = cycle.client(cycle.lead)
    wb = download(client)
    row = row_of(wb[wbmod.FIGURES], "children-in-need")
    html = text(client.get(upload(client, fill(wb, {"children-in-need": {"value": 99999}}))["Location"]))
    assert _problems(html)[f"Figures!{wbmod.FIG['note']}{row}"].startswith("Children in need rate per 10,000:")
    assert "Add a note" in html and "/commit/" not in html


def test_a_return_changed_after_download_is_a_conflict_and_nothing_is_written(cycle):
    client = cycle.client(cycle.lead)
    wb = download(client)
    content = fill(wb, {"children-in-need": {"value": 345.6, "note": "New system"}},
                   {"child-protection": {"story": "Mine"}})
    r = upload(client, content)
    pending = m.PendingUpload.objects.get(user=cycle.lead)
    assert "/commit/" in text(client.get(r["Location"]))
    # the performance team saves the return after the workbook was downloaded
    workflow.save_return(cycle.perf, cycle.sub, cycle.sub.version, {}, {"story": "Theirs"})
    r = client.post(f"/manage/workbook/{pending.pk}/commit/")
    html = text(r)
    assert r.status_code == 409
    assert "Nothing was saved" in html and "changed by perf" in html and "Narrative for Q1 2018-19" in html
    assert home_obs(cycle.draft, "children-in-need", PERIOD) is None
    assert workflow.current_narrative(cycle.sub)["story"] == "Theirs"
    pending.refresh_from_db()
    assert pending.status == m.PendingUpload.Status.PREVIEW
    # and the preview says so too, with no commit button
    html = text(client.get(f"/manage/workbook/{pending.pk}/"))
    assert "changed by perf" in html and "/commit/" not in html


def test_commit_is_all_or_nothing_across_returns(cycle, monkeypatch):
    client = cycle.client(cycle.perf)
    wb = download(client)
    content = fill(wb, {"children-in-need": {"value": 345.6, "note": "New system"},
                        "killed-seriously-injured": {"value": 300, "note": "Checked"}})
    upload(client, content)
    pending = m.PendingUpload.objects.get(user=cycle.perf)
    real = workflow.save_return

    def racing(user: Any, submission: m.Submission, *args: Any, **kwargs: Any) -> Any:
        if submission.indicator_key == "killed-seriously-injured":  # someone saves it in the meantime
            m.Submission.objects.filter(pk=submission.pk).update(version=submission.version + 1)
        return real(user, submission, *args, **kwargs)

    monkeypatch.setattr(workflow, "save_return", racing)
    r = client.post(f"/manage/workbook/{pending.pk}/commit/")
    assert r.status_code == 409
    assert "killed-seriously-injured was changed" in text(r)
    assert home_obs(cycle.draft, "children-in-need", PERIOD) is None  # the first return rolled back too
    assert not m.AuditEvent.objects.filter(action="workbook-upload").exists()
    pending.refresh_from_db()
    assert pending.status == m.PendingUpload.Status.PREVIEW


def test_a_lead_cannot_upload_another_officers_series(cycle):
    perf_wb = download(cycle.client(cycle.perf))
    ksi = row_of(perf_wb[wbmod.FIGURES], "killed-seriously-injured")
    content = fill(perf_wb, {"killed-seriously-injured": {"value": 300, "note": "x"}})
    client = cycle.client(cycle.lead)
    r = upload(client, content)
    html = text(client.get(r["Location"]))
    assert _problems(html)[f"Figures!{wbmod.FIG['series']}{ksi}"].startswith(
        "You cannot change the return for killed-seriously-injured")
    assert "/commit/" not in html
    # a measure lead may enter their measure's series but not the indicator's
    from outcomes_web.workspace import accounts

    accounts.assign(cycle.other_lead, "safe", "re-referrals", kind="measure")
    content = fill(download(cycle.client(cycle.lead)), {"child-protection": {"value": 61, "note": "x"}})
    other = cycle.client(cycle.other_lead)
    html = text(other.get(upload(other, content)["Location"]))
    assert "You are not the lead officer of child-protection" in html


def test_only_the_uploader_sees_and_commits_an_upload(cycle):
    client = cycle.client(cycle.lead)
    upload(client, fill(download(client), {"children-in-need": {"value": 345.6, "note": "x"}}))
    pending = m.PendingUpload.objects.get(user=cycle.lead)
    for user in (cycle.perf, cycle.other_lead):
        c = cycle.client(user)
        assert c.get(f"/manage/workbook/{pending.pk}/").status_code == 404
        assert c.post(f"/manage/workbook/{pending.pk}/commit/").status_code == 404
        assert c.post(f"/manage/workbook/{pending.pk}/discard/").status_code == 404
    assert client.post(f"/manage/workbook/{pending.pk}/discard/").status_code == 302
    pending.refresh_from_db()
    assert pending.status == m.PendingUpload.Status.DISCARDED
    assert client.post(f"/manage/workbook/{pending.pk}/commit/").status_code == 409
    assert home_obs(cycle.draft, "children-in-need", PERIOD) is None


def test_files_that_are_not_our_workbook_are_refused_by_name(cycle):
    client = cycle.client(cycle.lead)
    r = upload(client, b"series,value\nx,1\n", "figures.csv")
    assert r.status_code == 400 and "figures.csv is not an Excel workbook" in text(r)
    r = upload(client, b"PK\x03\x04 not really a zip", "broken.xlsx")
    assert r.status_code == 400 and "broken.xlsx cannot be read as an Excel workbook" in text(r)
    other = io.BytesIO()
    Workbook().save(other)
    r = upload(client, other.getvalue(), "someone-elses.xlsx")
    assert r.status_code == 400 and "someone-elses.xlsx is not a returns workbook" in text(r)
    wb = download(client)
    del wb[wbmod.NARRATIVE]
    buffer = io.BytesIO()
    wb.save(buffer)
    r = upload(client, buffer.getvalue(), "cut.xlsx")
    assert r.status_code == 400 and "cut.xlsx has no &#x27;Narrative&#x27; sheet" in text(r)
    assert client.post("/manage/workbook/upload/", {}).status_code == 400
    assert not m.PendingUpload.objects.exists()


def test_the_workbook_page_lists_downloads_and_pending_uploads(cycle):
    client = cycle.client(cycle.lead)
    html = text(client.get("/manage/workbook/"))
    assert "Workbook for Q1 2018-19" in html
    upload_form = one(parse(html), "form:has(input[type=file])")
    assert upload_form["method"] == "post" and upload_form["enctype"] == "multipart/form-data"
    assert cycle.client(cycle.viewer).get("/manage/workbook/").status_code == 403


# ------------------------------------------------------------------ hostile workbooks (issue 11.5)
def _rezip(content: bytes, change: Any, extra: dict[str, bytes] | None = None) -> bytes:
    """The workbook's zip with ``change(name, data) -> data`` applied to each member (and ``extra`` added)."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return out.getvalue()


def _downloaded(client: Any) -> bytes:
    r = client.get(URL)
    assert r.status_code == 200
    return r.content


MILLION = 1_000_000


def _one_row_of_a_million_cells(name: str, data: bytes, *, declare: bool) -> bytes:
    """The Figures sheet with a row of a million cells added; its <dimension> says so only if ``declare``."""
    import re

    if name != "xl/worksheets/sheet2.xml":
        return data
    if declare:
        data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:ALNQ9000"', data)
    row = b'<row r="9000">' + b"<c><v>1</v></c>" * MILLION + b"</row>"
    return data.replace(b"</sheetData>", row + b"</sheetData>")


@pytest.mark.parametrize("declare", [True, False], ids=["declared", "undeclared"])
def test_a_workbook_with_a_row_of_a_million_cells_is_refused_before_it_is_parsed(cycle, monkeypatch, declare):
    # Given a small upload (tens of kB) whose Figures sheet holds one row of a million cells
    client = cycle.client(cycle.lead)
    crafted = _rezip(_downloaded(client), lambda n, d: _one_row_of_a_million_cells(n, d, declare=declare))
    assert len(crafted) < 100 * 1024
    # When it is uploaded, then it is refused by the sheet's declared size, or by counting its cells as
    # they are unpacked, before openpyxl reads a cell; nothing is stored
    import openpyxl

    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(wbmod.read, "load_workbook", no_parsing)
    monkeypatch.setattr(openpyxl, "load_workbook", no_parsing)
    r = upload(client, crafted)
    assert r.status_code == 400, r.status_code
    page = text(r)
    assert "the sheet &#x27;Figures&#x27;" in page and "200,000" in page
    assert ("is declared to span" if declare else "holds at least") in page
    assert not m.PendingUpload.objects.exists()


@pytest.mark.parametrize("how", ["xlsm name", "vbaProject.bin", "macro content type"])
def test_a_macro_enabled_workbook_is_refused_and_not_stored(cycle, how):
    client = cycle.client(cycle.lead)
    content, name = _downloaded(client), "my-returns.xlsx"
    if how == "xlsm name":
        name = "my-returns.xlsm"
    elif how == "vbaProject.bin":
        content = _rezip(content, lambda n, d: d, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})
    else:
        content = _rezip(content, lambda n, d: d.replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
                         if n == "[Content_Types].xml" else d)
    r = upload(client, content, name)
    assert r.status_code == 400, r.status_code
    assert "macro-enabled workbook" in text(r) and "Excel Workbook (*.xlsx)" in text(r)
    assert not m.PendingUpload.objects.exists()


def test_a_password_protected_upload_is_named_as_such(cycle):
    client = cycle.client(cycle.lead)
    r = upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "locked.xlsx")
    assert r.status_code == 400 and "locked.xlsx is password protected" in text(r)
    assert not m.PendingUpload.objects.exists()


def test_the_preview_is_read_once_on_upload_not_on_every_view(cycle, monkeypatch):
    # Given an uploaded workbook
    client = cycle.client(cycle.lead)
    r = upload(client, fill(download(client), {"children-in-need": {"value": 341, "note": "Quarter end"}}))
    assert r.status_code == 302
    pending = m.PendingUpload.objects.get()
    assert pending.parsed["figures"], pending.parsed

    # When the preview is viewed again and again, and committed, the file is never parsed again
    def no_parsing(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the upload was parsed again")

    monkeypatch.setattr(wbmod.commit, "read_workbook", no_parsing)
    for _ in range(3):
        page = client.get(r["Location"])
        assert page.status_code == 200 and "children-in-need" in text(page)
    assert client.post(f"/manage/workbook/{pending.pk}/commit/").status_code == 302
    assert home_obs(cycle.draft, "children-in-need", PERIOD).value == 341


def test_the_returns_workbook_reads_cells_with_the_librarys_one_cell_text():
    import datetime as dt

    from outcomes.sources import spreadsheet
    from outcomes_web import adapter
    from outcomes_web.workspace import workbook as returns

    assert adapter.cell_text is spreadsheet.cell_text and adapter.FORMULA_START is spreadsheet.FORMULA_START
    # numbers exactly, booleans as the entry form's words, dates as ISO dates, escaped text unescaped
    assert [returns._text(v) for v in (0.1 + 0.2, 12.0, True, dt.datetime(2018, 3, 31), " '=1+1 ")] == [
        "0.30000000000000004", "12", returns.YES, "2018-03-31", "=1+1"]
