"""One focus ranking and one numbering (issue 13 item 9), decided once in report/focus.py.

For the example: the focus number of each series is the same in the report's at-a-glance tables and
focus lists, in the HTML and in the PDF's text; series are numbered 1..N with no gaps (population
indicators and measures together), risks R1..RK; and the sentence saying how the ranking is made is
printed beside the numbers. The tracker's scorecard is checked against the same numbers in
tests/web/test_focus_numbering.py.
"""

from __future__ import annotations

from typing import Any

from outcomes.report.focus import FOCUS_RANKING_SENTENCE, focus_numbers

from .conftest import normalise


def _listed(view: Any) -> list[Any]:
    return [it for o in view.outcomes for fl in o.focus for it in fl.items]


def test_series_are_numbered_one_to_n_in_the_judges_order(report_judged: Any) -> None:
    numbers = focus_numbers(report_judged)
    series_in_rank_order = [i.id for i in report_judged.focus if i.kind != "risk"]
    assert series_in_rank_order, "the example lists series for focus"
    assert [numbers.of_series(s) for s in series_in_rank_order] == list(range(1, len(series_in_rank_order) + 1))
    risks_in_rank_order = [i.id for i in report_judged.focus if i.kind == "risk"]
    assert [numbers.label("risk", r) for r in risks_in_rank_order] == [
        f"R{n}" for n in range(1, len(risks_in_rank_order) + 1)]
    # indicators and measures share one sequence: re-referrals (a measure) is not "#1" of its own kind
    kinds = {i.id: i.kind for i in report_judged.focus}
    assert {kinds[s] for s in series_in_rank_order} == {"population_indicator", "performance_measure"}


def test_glance_tables_and_focus_lists_use_the_same_numbers(report_view: Any, report_judged: Any) -> None:
    numbers = focus_numbers(report_judged)
    glance = {row.anchor.removeprefix("ser-"): row.focus
              for o in report_view.outcomes for table in o.glance for row in table.rows if row.focus}
    assert glance == {sid: f"#{n}" for sid, n in numbers.series.items()}
    for it in _listed(report_view):
        assert it.label.startswith("R" if it.kind == "risk" else "#")
        assert it.label.lstrip("R#") == str(it.rank)


def test_the_html_and_pdf_print_each_number_beside_its_title(report_view: Any, html_text: str,
                                                             pdf_text: str) -> None:
    items = _listed(report_view)
    assert items
    for it in items:
        printed = normalise(f"{it.label} {it.title}")
        assert printed in html_text, printed
        assert printed in pdf_text, printed
    sentence = normalise(FOCUS_RANKING_SENTENCE)
    assert sentence in html_text
    assert sentence in pdf_text
