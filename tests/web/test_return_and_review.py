"""Issue 16, items 1-4 and 9: a return that cannot lose figures, the period due for a yearly
snapshot, a return that helps, a review that shows what changed, and words for people.

Given the example's 'safe' outcome opened for Q1 2018-19 (the ``cycle`` fixture: ``lead`` leads
child-protection), each test works through the workspace pages as the officer or reviewer would.
"""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.web.html import one, parse, texts
from tests.web.html import text as words

from outcomes_web.store import models as m
from outcomes_web.store import workflow
from outcomes_web.workspace import wording
from outcomes_web.workspace import workbook as wbmod

pytestmark = pytest.mark.django_db

PERIOD = "Q1 2018-19"
SERIES = "children-in-need"


def html(response: Any) -> str:
    return response.content.decode("utf-8")


def form(sub: m.Submission, **entries: dict[str, str]) -> dict[str, str]:
    data = {"version": str(sub.version)}
    for key, fields in entries.items():
        data.update({f"e-{key}-{name}": value for name, value in fields.items()})
    return data


def stored(key: str, period: str = PERIOD) -> m.Observation | None:
    return m.Observation.objects.filter(series__snapshot__reporting_period__label=PERIOD, series__key=key,
                                        series__snapshot__outcome_key="safe", period_label=period,
                                        is_home=True).first()


# ------------------------------------------------------------------ 1. figures are never lost
def test_submit_saves_the_typed_figure_and_refuses_while_a_series_is_unanswered(cycle):
    lead = cycle.client(cycle.lead)
    url = f"/manage/returns/{cycle.sub.pk}/"
    soup = parse(html(lead.get(url)))
    # one form: the declaration and both buttons are inside the form that holds the figures
    the_form = one(soup, "form#return-form")
    assert one(the_form, "input[type=checkbox][name=declaration]")
    assert sorted(b["value"] for b in the_form.select("button[name=action]")) == ["carry", "save", "submit"]
    assert one(the_form, f"input[name=e-{SERIES}-value]")
    data = form(cycle.sub, **{SERIES: {"period": PERIOD, "value": "341", "note": "Quarter end"}})
    data.update({"declaration": "1", "action": "submit"})
    r = lead.post(url, data, follow=True)
    assert r.status_code == 200
    assert stored(SERIES).value == 341  # typed, ticked, "Submit for review": the figure is kept
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "in-progress"  # but not submitted: other series are unanswered
    text = html(r)
    assert "It was not submitted" in text and "nothing to report" in text
    unanswered = {key for key, _, _ in workflow.unanswered(cycle.sub)}
    assert unanswered and SERIES not in unanswered
    still = texts(parse(text), "#still-needed li a")
    assert still and len(still) == len(unanswered)  # each unanswered series is listed
    assert not any(t.startswith("Children in need rate") for t in still)


def test_a_completely_empty_return_cannot_be_signed_off(cycle):
    perf = cycle.client(cycle.perf)
    url = f"/manage/returns/{cycle.sub.pk}/"
    r = perf.post(url + "submit/", {"version": cycle.sub.version, "declaration": "1"}, follow=True)
    assert "Each series needs a figure for this period" in html(r)
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "not-started" and cycle.sub.signed_off_by is None


def test_nothing_to_report_is_stored_audited_and_submits(cycle):
    lead = cycle.client(cycle.lead)
    url = f"/manage/returns/{cycle.sub.pk}/"
    due = workflow.due_series(cycle.sub)
    entries = {key: {"period": str(period), "missing_reason": "Not yet published by the DfE"}
               for key, _, period in due}
    data = form(cycle.sub, **entries)
    data.update({"declaration": "1", "action": "submit"})
    r = lead.post(url, data, follow=True)
    assert "Return submitted for review (" in html(r), html(r)[:3000]
    cycle.sub.refresh_from_db()
    assert cycle.sub.status == "submitted"
    for key, _, period in due:
        row = stored(key, str(period))
        assert row is not None and row.value is None and row.missing_reason == "Not yet published by the DfE"
        ev = m.AuditEvent.objects.get(item_type="observation", item_key=key, action="create")
        assert ev.after["missing_reason"] == "Not yet published by the DfE" and ev.username == "lead"
    review = html(cycle.client(cycle.perf).get(url))
    assert "nothing to report: Not yet published by the DfE" in review


def test_a_reason_alone_is_refused_with_a_figure_missing_message_when_blank(cycle):
    """A value left empty with no reason is no answer: the series stays unanswered."""
    lead = cycle.client(cycle.lead)
    data = form(cycle.sub, **{SERIES: {"period": PERIOD, "value": "", "missing_reason": ""}})
    lead.post(f"/manage/returns/{cycle.sub.pk}/", data)
    assert SERIES in {k for k, _, _ in workflow.unanswered(cycle.sub)}


# ------------------------------------------------------------- 2. the period due for a snapshot
def test_a_yearly_snapshot_is_due_the_next_march_in_the_form_and_the_workbook(cycle):
    sub = m.Submission.objects.get(snapshot=cycle.draft, indicator_key="children-in-care")
    soup = parse(html(cycle.client(cycle.perf).get(f"/manage/returns/{sub.pk}/")))
    block = one(soup, "fieldset#series-children-in-care")
    assert "April 2018" not in words(block)
    period = one(block, "input[name=e-children-in-care-period]")
    assert period["type"] == "text" and period["value"] == "March 2019"
    assert "No new figure is due this period." in words(block)  # March 2019 ends after Q1 2018-19
    wb = load_workbook(io.BytesIO(wbmod.build_workbook(cycle.perf, cycle.draft.reporting_period)))
    ws = wb[wbmod.FIGURES]
    row = next(r for r in range(wbmod.FIRST_ROW, ws.max_row + 1)
               if ws[f"{wbmod.FIG['series']}{r}"].value == "children-in-care")
    assert ws[f"{wbmod.FIG['period']}{row}"].value == "March 2019"


# -------------------------------------------------------------------- 3. a return that helps
def test_units_parts_in_words_and_recent_figures_as_a_table(cycle):
    page = html(cycle.client(cycle.lead).get(f"/manage/returns/{cycle.sub.pk}/"))
    block = one(parse(page), "fieldset#series-re-referrals")
    unit = one(block, "input#e-re-referrals-value + span.input__unit")
    assert words(unit) == "%" and unit["aria-hidden"] == "true"  # the unit beside the box, not read twice
    assert "Value = numerator ÷ denominator × 100." in words(block)
    assert "The whole group they are part of" in words(block)
    recent = one(block, "table:has(> caption)")
    assert words(one(recent, "caption")) == "Recent figures"
    assert len(recent.select("tbody th[scope=row]")) >= 2  # one row per recent figure
    assert "Recent figures:" not in page  # no run-on sentence
    rate = parse(html(cycle.client(cycle.perf).get(
        f"/manage/returns/{m.Submission.objects.get(snapshot=cycle.draft, indicator_key='children-in-care').pk}/")))
    assert "× 10,000." in words(rate)
    assert words(one(rate, "input#e-children-in-care-value + span.input__unit")) == "per 10,000"


def test_last_quarters_narrative_is_offered_marked_and_must_be_confirmed(cycle):
    previous = workflow.previous_narrative(cycle.sub)
    assert previous is not None, "the example's draft carries Q4 2017-18's narrative"
    label, text = previous
    lead = cycle.client(cycle.lead)
    url = f"/manage/returns/{cycle.sub.pk}/"
    page = html(lead.get(url))
    assert f"Copy the {label} narrative into this return" in page
    before = m.AuditEvent.objects.count()
    copied = lead.post(url, {**form(cycle.sub), "action": "carry"})
    assert copied.status_code == 200 and m.AuditEvent.objects.count() == before  # copied in, not saved
    body = parse(html(copied))
    assert "is not saved yet" in words(one(body, "#carried-notice"))
    assert one(body, "#carried-notice input[type=checkbox]#confirm-carried")
    story = next(k for k, v in text.items() if v.strip())
    assert one(body, f"textarea#n-{story}").get_text().strip() == text[story].strip()  # copied in whole
    # saved as it is: marked carried forward, not yet confirmed; submitting is refused
    data = {**form(cycle.sub), **{f"n-{k}": v for k, v in text.items()}}
    assert lead.post(url, data).status_code == 302
    assert workflow.carried_from(cycle.sub) == label
    cycle.nothing_to_report(cycle.sub, cycle.lead)
    with pytest.raises(workflow.WorkflowError, match="carried forward"):
        workflow.submit(cycle.lead, cycle.sub, cycle.sub.version, declaration=True)
    assert "Carried forward" in html(lead.get(url))
    # confirmed: the mark becomes a record of who confirmed it, and the return can be submitted
    data = {**form(cycle.sub), **{f"n-{k}": v for k, v in text.items()}, "confirm-carried": "1"}
    assert lead.post(url, data).status_code == 302
    assert workflow.carried_from(cycle.sub) == ""
    row = m.Narrative.objects.get(indicator__snapshot=cycle.draft, indicator__key="child-protection",
                                  period_label=PERIOD)
    assert row.origin.startswith(f"carried forward from {label}, confirmed by lead")
    cycle.sub.refresh_from_db()
    workflow.submit(cycle.lead, cycle.sub, cycle.sub.version, declaration=True)


def test_an_edited_narrative_is_not_marked_carried(cycle):
    label, text = workflow.previous_narrative(cycle.sub)
    data = {**form(cycle.sub), **{f"n-{k}": v for k, v in text.items()}}
    data["n-story"] = (text["story"] or "") + "\n\nThis quarter the numbers fell."
    assert cycle.client(cycle.lead).post(f"/manage/returns/{cycle.sub.pk}/", data).status_code == 302
    assert workflow.carried_from(cycle.sub) == ""


# ------------------------------------------------------------ 4. review that shows what changed
def submitted(cycle: Any, value: str = "900", note: str = "A new recording system") -> str:
    lead = cycle.client(cycle.lead)
    url = f"/manage/returns/{cycle.sub.pk}/"
    assert lead.post(url, form(cycle.sub, **{SERIES: {"period": PERIOD, "value": value, "note": note}})
                     ).status_code == 302
    cycle.nothing_to_report(cycle.sub, cycle.lead)
    workflow.submit(cycle.lead, cycle.sub, cycle.sub.version, declaration=True)
    return url


def test_the_reviewer_sees_before_and_after_judgements_and_warnings_not_the_edit_form(cycle):
    url = submitted(cycle)
    page = html(cycle.client(cycle.perf).get(url))
    soup = parse(page)
    assert "What changed in this return" in page
    assert "Save the return" not in page and not soup.select("#return-form")
    card = one(soup, f"section.review-card:has(> h3#review-{SERIES})")
    rows = {words(one(row, "dt")): one(row, "dd") for row in card.select(".summary-list__row")}
    assert words(rows["Before"]) == "No figure"  # before and after
    assert words(one(rows["After"], "strong")) == "900.0 per 10,000"  # at the series' decimals
    assert words(rows["Officer's note"]) == "A new recording system"
    assert "Warning the officer saw:" in words(card)  # 900 is a large movement: the warning shown to the officer
    # judged with and without the new figure: the draft's own verdict is the "after"
    from outcomes_web import adapter

    after = adapter.load_outcome(cycle.draft).judged.series[SERIES].trend.judgement
    trend = rows["Trend"]
    assert words(trend) == f"{after} (unchanged)" or words(one(trend, "strong")) == after
    assert "Comparator" in rows
    # the Decision radios are inside their fieldset
    decision = one(soup, "fieldset:has(> legend)")
    assert words(one(decision, "legend")) == "Decision"
    assert [r["id"] for r in decision.select("input[type=radio][name=decision]")] == [
        "decision-accept", "decision-return"]


def test_judging_without_the_new_figure_differs_from_the_draft(cycle):
    from outcomes_web import adapter

    submitted(cycle)
    cycle.draft.refresh_from_db()
    draft = adapter.load_outcome(cycle.draft)
    period = next(o.period for o in draft.framework.series_by_id()[SERIES].observations if str(o.period) == PERIOD)
    without = adapter.judge_without(cycle.draft, {SERIES: (period, None)})
    # a figure three times the last one moves the latest point: with it the trend judgement is made on it
    assert (without.series[SERIES].trend.word, without.series[SERIES].trend.reason) != (
        draft.judged.series[SERIES].trend.word, draft.judged.series[SERIES].trend.reason)


def test_publish_shows_progress_and_is_offered_only_when_possible(cycle):
    perf = cycle.client(cycle.perf)
    total = m.Submission.objects.filter(snapshot=cycle.draft).count()
    page = html(perf.get(f"/manage/snapshots/{cycle.draft.pk}/"))
    assert f"0 of {total} returns accepted." in page
    assert "Publishing is possible once every return is accepted." in page
    assert "/publish/" not in page
    m.Submission.objects.filter(snapshot=cycle.draft).exclude(pk=cycle.sub.pk).update(status="accepted")
    page = html(perf.get(f"/manage/snapshots/{cycle.draft.pk}/"))
    assert f"{total - 1} of {total} returns accepted." in page and "/publish/" not in page
    m.Submission.objects.filter(pk=cycle.sub.pk).update(status="accepted")
    page = html(perf.get(f"/manage/snapshots/{cycle.draft.pk}/"))
    assert f"{total} of {total} returns accepted." in page and "/publish/" in page


# ------------------------------------------------------------------------ 9. words for people
def test_the_audit_log_names_people_in_sentences_with_local_dates(cycle):
    url = submitted(cycle)
    perf = cycle.client(cycle.perf)
    perf.post(url + "review/", {"version": m.Submission.objects.get(pk=cycle.sub.pk).version, "decision": "accept"})
    log = html(perf.get("/manage/audit/"))
    assert "Perf accepted the return for 01 " not in log  # the indicator's title, not its number
    assert "Perf accepted the return for" in log
    changes = texts(parse(log), "td li:has(> span.diff-before)")
    assert "Reviewed by: (none) → Perf" in changes
    assert not any(c.endswith(f"→ {cycle.perf.pk}") for c in changes)  # no bare user ids
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d", log)  # no ISO timestamps
    event = m.AuditEvent.objects.filter(action="accept").first()
    assert wording.local_datetime(event.at) in log


def test_local_dates_follow_british_summer_time():
    winter = datetime.datetime(2026, 12, 4, 14, 5, tzinfo=datetime.UTC)
    summer = datetime.datetime(2026, 7, 4, 14, 5, tzinfo=datetime.UTC)
    assert wording.local_datetime(winter) == "4 December 2026, 14:05"
    assert wording.local_datetime(summer) == "4 July 2026, 15:05"
    assert wording.local_datetime("2026-07-04T14:05:00+00:00") == "4 July 2026, 15:05"


def test_workspace_pages_show_the_outcomes_title_not_its_key(cycle):
    title = m.Outcome.objects.get(snapshot=cycle.draft).title
    assert title != "safe"
    perf = cycle.client(cycle.perf)
    ret = html(perf.get(f"/manage/returns/{cycle.sub.pk}/"))
    assert f"Return for {PERIOD} · {title}" in ret
    headings = texts(parse(html(perf.get(f"/manage/periods/{PERIOD}/"))), "main h2[id^=snap-]")
    assert f"{title}: draft revision 1" in headings and not any(h.startswith("safe:") for h in headings)
    history = parse(html(perf.get("/manage/history/safe/child-protection/")))
    assert words(one(history, "main span.caption-l")) == title


def test_public_home_never_tells_the_public_what_to_type(cycle):
    page = html(cycle.client(None).get("/?period=Q1+2030-31"))
    assert "outcomes import" not in page and not parse(page).select("code")


def test_risk_arrows_point_up_for_improving_and_down_for_worsening(cycle):
    shown = set(texts(parse(html(cycle.client(None).get("/risks/"))), "span.trend"))
    assert "▲ Worsening" not in shown and "▼ Improving" not in shown
    assert {"▼ Worsening", "▲ Improving"} <= shown


def test_api_root_paths_are_links(cycle):
    paths = parse(html(cycle.client(None).get("/api/"))).select("main table th[scope=row] code")
    links = {words(one(code, "a")): one(code, "a")["href"] for code in paths if code.select("a")}
    assert links["/api/outcomes/"] == "/api/outcomes/"
    assert all("{" not in path for path in links)  # a path with a parameter is not a link
    assert any("{" in words(code) for code in paths)


def test_workbook_problem_messages_start_with_a_capital():
    assert wbmod._sentences("120% is outside 0–100.", "write the percentage as a number.") == (
        "120% is outside 0–100. Write the percentage as a number.")
    assert wbmod._sentences("a count must be a whole number (2.5).", "correct the figure.") == (
        "A count must be a whole number (2.5). Correct the figure.")
