"""Review findings on the quarterly-cycle workspace: each test proves one problem (and its fix).

Given the ``cycle`` fixture ('safe' opened for Q1 2018-19; ``lead`` leads child-protection,
``otherlead`` leads killed-seriously-injured), each test drives the page or the workflow with the
input that used to go wrong.
"""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from outcomes_web.store import models as m
from outcomes_web.store import workflow
from outcomes_web.workspace import accounts
from outcomes_web.workspace import workbook as wbmod

pytestmark = pytest.mark.django_db

PERIOD = "Q1 2018-19"


def _client(user: Any) -> Client:
    c = Client(raise_request_exception=False)  # a traceback shows as the 500 a visitor would get
    c.force_login(user)
    return c


def _workbook(client: Client, edit: Any = None) -> bytes:
    r = client.get(f"/manage/workbook/{PERIOD}.xlsx")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.content))
    if edit is not None:
        edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _upload(client: Client, content: bytes, name: str = "returns.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/manage/workbook/upload/",
                       {"workbook": SimpleUploadedFile(name, content, content_type=wbmod.CONTENT_TYPE)})


def _story(snapshot: m.Snapshot, indicator_key: str) -> str:
    row = m.Narrative.objects.filter(indicator__snapshot=snapshot, indicator__key=indicator_key,
                                     period_label=PERIOD).first()
    return row.story if row else ""


# ------------------------------------------------------------------ 1. opening a period of another kind
@pytest.mark.parametrize("label", ["2018-19", "2018", "March 2019", "12 months to June 2018"])
def test_opening_a_period_of_another_kind_is_refused_not_a_500(cycle: Any, label: str) -> None:
    r = _client(cycle.perf).post("/manage/periods/", {"label": label, "deadline": ""})
    assert r.status_code == 400, r.status_code
    assert not m.ReportingPeriod.objects.filter(label=label, snapshots__isnull=False).exists()


# ------------------------------------------------- 2. a measure's lead rewrites the indicator narrative
def test_measure_lead_cannot_change_the_indicator_narrative(cycle: Any) -> None:
    workflow.save_return(cycle.lead, cycle.sub, cycle.sub.version, {}, {"story": "The lead's story."})
    cycle.sub.refresh_from_db()
    measure_lead = accounts.assign(cycle.norole, "safe", "re-referrals", kind="measure").user
    accounts.set_role(measure_lead, "lead officer")
    c = _client(measure_lead)
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", {"version": str(cycle.sub.version), "n-story": "Overwritten."})
    assert r.status_code in (302, 400, 403)
    assert _story(cycle.draft, "child-protection") == "The lead's story."
    with pytest.raises(workflow.WorkflowError):
        workflow.save_return(measure_lead, cycle.sub, cycle.sub.version, {}, {"story": "Overwritten."})
    assert _story(cycle.draft, "child-protection") == "The lead's story."
    # their own series still saves
    cycle.sub.refresh_from_db()
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", {"version": str(cycle.sub.version),
                                                     "e-re-referrals-period": PERIOD, "e-re-referrals-value": "20",
                                                     "e-re-referrals-note": "checked"})
    assert r.status_code == 302, r.content.decode()[:500]


# --------------------------------------------- 3. one return's form writes another (accepted) return's figures
def test_a_return_only_writes_its_own_indicator_series(cycle: Any) -> None:
    other = cycle.other_sub
    other.status = m.Submission.Status.ACCEPTED
    other.save(update_fields=["status"])
    r = _client(cycle.perf).post(f"/manage/returns/{cycle.sub.pk}/", {
        "version": str(cycle.sub.version), "e-inspections-on-time-period": PERIOD,
        "e-inspections-on-time-value": "50", "e-inspections-on-time-note": "through the wrong return"})
    assert not m.Observation.objects.filter(series__snapshot=cycle.draft, series__key="inspections-on-time",
                                            period_label=PERIOD).exists(), r.status_code
    with pytest.raises(workflow.WorkflowError):
        workflow.save_return(cycle.perf, cycle.sub, cycle.sub.version, {"inspections-on-time": {
            "period": PERIOD, "value": "50", "note": "through the wrong return"}})
    assert not m.Observation.objects.filter(series__snapshot=cycle.draft, series__key="inspections-on-time",
                                            period_label=PERIOD).exists()


# ----------------------------------------------------- 4. a save racing publish writes into a frozen snapshot
def test_save_after_publish_with_a_stale_return_is_refused(cycle: Any) -> None:
    stale = m.Submission.objects.select_related("snapshot__reporting_period").get(pk=cycle.sub.pk)
    stale.snapshot.published  # noqa: B018 - loaded now, as the view loads it before saving
    # meanwhile every return is accepted and the snapshot published
    m.Submission.objects.filter(snapshot=cycle.draft).update(status=m.Submission.Status.ACCEPTED)
    draft = m.Snapshot.objects.get(pk=cycle.draft.pk)
    workflow.publish(cycle.perf, draft, draft.version)
    before = m.Observation.objects.filter(series__snapshot=cycle.draft).count()
    with pytest.raises(workflow.WorkflowError):
        workflow.save_return(cycle.lead, stale, stale.version, {"children-in-need": {
            "period": PERIOD, "value": "341", "note": "late"}})
    assert m.Observation.objects.filter(series__snapshot=cycle.draft).count() == before


# ---------------------------------------------- 5. a workbook with a non-finite number in a hidden id cell
def _rezip(content: bytes, change: Any) -> bytes:
    """The workbook's zip with ``change(name, data) -> data`` applied to each member."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in source.infolist():
            z.writestr(info.filename, change(info.filename, source.read(info.filename)))
    return out.getvalue()


@pytest.mark.parametrize("bad", ["1e309", "-1e309", "NaN", "1e300"])
def test_workbook_with_non_finite_or_huge_return_id_is_a_problem_not_a_500(cycle: Any, bad: str) -> None:
    """Excel cannot write these, but a crafted file can: openpyxl reads them as float inf/nan."""
    c = _client(cycle.lead)
    column = wbmod.FIG["submission"]

    def change(name: str, data: bytes) -> bytes:
        if name in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):  # Figures, Narrative
            col = column if name.endswith("sheet2.xml") else wbmod.NAR["submission"]
            cell = f"{col}{wbmod.FIRST_ROW}".encode()
            data = re.sub(rb'(<c r="' + cell + rb'"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>" + bad.encode() + b"</v>", data)
        if name == "xl/worksheets/sheet4.xml":  # the hidden versions
            data = re.sub(rb'(<c r="B7"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>" + bad.encode() + b"</v>", data)
        return data

    def fill(wb: Any) -> None:
        wb[wbmod.FIGURES][f"{wbmod.FIG['value']}{wbmod.FIRST_ROW}"] = 5

    crafted = _rezip(_workbook(c, fill), change)
    assert bad.encode() in zipfile.ZipFile(io.BytesIO(crafted)).read("xl/worksheets/sheet2.xml")
    r = _upload(c, crafted)
    assert r.status_code in (302, 400), r.status_code
    if r.status_code == 302:
        page = c.get(r["Location"])
        assert page.status_code == 200
        assert "download a new workbook" in page.content.decode()


# ------------------------------------------------------------------------ 6. a zip bomb in an upload
LIMIT = getattr(wbmod, "MAX_UNCOMPRESSED", 64 * 1024 * 1024)


def test_workbook_that_inflates_far_beyond_the_limit_is_refused(cycle: Any) -> None:
    c = _client(cycle.lead)

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/styles.xml":  # read whole by openpyxl: tiny compressed, huge in memory
            return data + b"<!--" + b"A" * (LIMIT + 1) + b"-->"
        return data

    bomb = _rezip(_workbook(c), change)
    assert len(bomb) < wbmod.MAX_BYTES // 10
    tracemalloc.start()
    try:
        r = _upload(c, bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < LIMIT // 4, f"{peak // 2**20} MB inflated for a {len(bomb) // 2**10} kB upload"
    assert r.status_code == 400
    assert "too large" in r.content.decode()
    assert not m.PendingUpload.objects.exists()


# --------------------------------------------------------- 7. a figure for a period that has not begun
@pytest.mark.parametrize("period", ["Q4 2030-31", "Q3 2018-19"])
def test_a_figure_for_a_period_still_to_come_is_refused(cycle: Any, period: str) -> None:
    c = _client(cycle.lead)
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", {
        "version": str(cycle.sub.version), "e-children-in-need-period": period,
        "e-children-in-need-value": "300", "e-children-in-need-note": "typed by mistake"})
    assert r.status_code == 400, r.status_code
    assert "has not begun" in r.content.decode()
    assert not m.Observation.objects.filter(series__snapshot=cycle.draft, series__key="children-in-need",
                                            period_label=period).exists()
    # the period offered (and an early figure for the next one) still save
    r = c.post(f"/manage/returns/{cycle.sub.pk}/", {
        "version": str(cycle.sub.version), "e-children-in-need-period": PERIOD,
        "e-children-in-need-value": "200", "e-children-in-need-note": "quarter end"})
    assert r.status_code == 302


# ------------------------------------------------------ 8. reminders to an account whose role was removed
def test_no_reminder_for_an_assignment_without_the_lead_role(cycle: Any) -> None:
    accounts.assign(cycle.viewer, "safe", "child-protection")  # left over: now an internal viewer
    assert cycle.viewer not in workflow.outstanding_by_user()  # they cannot enter or submit it
    assert cycle.lead in workflow.outstanding_by_user()


# ------------------------------------------------- 9. a rate's "per" beyond the column's integer range
@pytest.mark.parametrize("per", ["9" * 30, "3000000000"])
def test_series_per_beyond_the_integer_column_is_a_form_error_not_a_500(cycle: Any, per: str) -> None:
    from outcomes_web.workspace import framework_views as fv

    row = m.Series.objects.get(snapshot=cycle.draft, key="children-in-need")
    data = {k: v for k, v in fv.EDITORS["series"].initial(cycle.draft, row).items() if v is not None}
    data.update({"unit_type": "rate", "unit_per": per, "version": row.version,
                 "comparators-TOTAL_FORMS": "0", "comparators-INITIAL_FORMS": "0"})
    r = _client(cycle.perf).post(f"/manage/framework/{cycle.draft.pk}/series/children-in-need/", data)
    assert r.status_code == 400, r.status_code  # 3000000000 fits SQLite but not PostgreSQL's integer
    row.refresh_from_db()
    assert row.unit_per != int(per)
