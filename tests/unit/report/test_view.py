"""The view-model and the public API: words prepared for templates, periods, outcomes, formats and errors."""

from __future__ import annotations

import copy
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

from outcomes.model import Period
from outcomes.report import ReportError, build_view, render_html, write_report
from outcomes.report.text import markdown_html, vfm_text


def _indicator(view: Any, indicator_id: str) -> Any:
    for outcome in view.outcomes:
        for section in outcome.sections:
            for ind in section.indicators:
                if ind.id == indicator_id:
                    return ind
    raise KeyError(indicator_id)


def test_sections_group_indicators_that_share_a_section(report_view: Any) -> None:
    sections = report_view.outcomes[0].sections
    assert [s.number for s in sections] == ["01", "02", "03", "04", "05", "06"]
    crime = sections[4]
    assert crime.title == "Rates of crime, antisocial behaviour and domestic abuse in Dorset"
    assert [i.id for i in crime.indicators] == ["total-crime", "anti-social-behaviour", "domestic-abuse-incidents",
                                                "domestic-abuse-crimes"]
    assert crime.running == "SAFE: 05 Rates of crime, antisocial behaviour and domestic abuse in Dorset"


def test_headline_is_prepared_with_units_periods_words_and_letters(report_view: Any) -> None:
    (series,) = _indicator(report_view, "child-protection").series
    assert (series.previous.value, series.previous.period) == ("58.5 per 10,000", "2016-17")
    assert (series.latest.value, series.latest.period) == ("32.8 per 10,000", "2017-18")
    assert (series.trend.word, series.trend.letter, series.trend.colour) == ("Improving", "G", "Green")
    assert (series.comparator.word, series.comparator.letter) == ("Better", "G")
    assert series.comparator_label == "England 43.1 per 10,000 (period not stated)"
    assert series.trend.method.startswith("Previous vs latest")
    assert series.trend.reason.startswith("Improving: fell from 58.5")
    assert series.polarity == "lower is better"


def test_not_assessed_has_no_letter_but_a_word_and_reason(report_view: Any) -> None:
    card = next(c for c in _indicator(report_view, "child-protection").measure_cards
                if c.series.id == "children-in-need")
    assert (card.series.trend.word, card.series.trend.letter, card.series.trend.badge) == ("Not assessed", "", "–")
    assert "neither direction is better" in card.series.trend.reason


def test_published_words_are_audited(report_view: Any) -> None:
    (series,) = _indicator(report_view, "child-protection").series
    differs = {c.what: c for c in series.published.differs}
    assert set(differs) == {"Previous figure", "Comparator"}
    assert differs["Comparator"].sentence.startswith("Report said: worse (R) — figures say: better (G) (Better than")
    assert series.published.agrees == "Latest figure and trend as published agree with the figures."


def test_measure_with_two_series_gives_two_cards(report_view: Any) -> None:
    cards = [c for c in _indicator(report_view, "killed-seriously-injured").measure_cards
             if c.title.startswith("Percentage of defects made safe on time")]
    assert [c.title for c in cards] == ["Percentage of defects made safe on time: 28 days",
                                       "Percentage of defects made safe on time: 32 hours"]
    assert cards[0].measure_anchor == "pm-defects-made-safe" and cards[1].measure_anchor == ""


def test_data_notes_carry_provisional_figures_breaks_and_findings(report_view: Any) -> None:
    (ksi,) = _indicator(report_view, "killed-seriously-injured").series
    assert any("provisional" in n for n in ksi.notes)
    assert {f.code for f in ksi.findings} >= {"future-or-incomplete-period", "provisional-latest"}
    primary = _indicator(report_view, "persistent-absence").series[0]
    assert any(n.startswith("Series break: the definition or method changed from AY 2015/16") for n in primary.notes)


def test_risks_linked_and_unassigned(report_view: Any) -> None:
    cp = _indicator(report_view, "child-protection")
    assert [r.id for r in cp.risks] == ["02a", "02b", "11c", "14b"]
    high = next(r for r in cp.risks if r.id == "14b")
    assert (high.score, high.score_letter, high.trend) == ("HIGH", "R", "Unchanged")
    unassigned = report_view.outcomes[0].unassigned_risks
    assert [r.id for r in unassigned] == ["04a", "C07", "04l", "04o", "05b", "04b", "04d", "06d"]
    printed = next(r for r in unassigned if r.id == "05b")
    assert (printed.trend, printed.trend_printed) == ("Improving", "IMPROVED")


def test_focus_lists_share_one_numbering_and_audit_the_published_lists(report_view: Any) -> None:
    indicators, measures, risks = report_view.outcomes[0].focus
    # indicators and measures are numbered together, 1..N in one ranking (report/focus.py); risks R1..RK
    series = sorted(i.rank for i in (*indicators.items, *measures.items))
    assert series == list(range(1, len(series) + 1))
    assert [i.label for i in measures.items][0] == f"#{measures.items[0].rank}" != "#1"
    assert [i.label for i in risks.items] == [f"R{n}" for n in range(1, len(risks.items) + 1)]
    assert risks.items[0].title.startswith("Inability to maintain the highways infrastructure")
    published = {p.text: p for p in measures.published}
    assert not published["Roads in need of maintenance"].agrees
    assert published["Roads in need of maintenance"].in_ours == "Matches nothing in this framework"
    assert published["Children in need rate per 10,000"].in_ours.startswith("Not in our list")


def test_counts_report_what_the_published_summary_stated(report_view: Any) -> None:
    pis, pms, risks = report_view.outcomes[0].counts
    assert (pis.count, pis.stated) == (9, "")
    assert (pms.count, pms.stated) == (16, "The published summary stated 22.")
    assert (risks.count, risks.detail) == (17, "8 not linked to an indicator")
    assert all(c.charts for c in (pis, pms, risks))


def test_key_and_methods(report_view: Any) -> None:
    assert [k.code for k in report_view.key_rag] == ["G", "A", "R", "–"]
    assert [k.code for k in report_view.key_risk_scores] == ["HIGH", "MEDIUM", "LOW"]
    labels = [label for label, _ in report_view.methods]
    assert any(label.startswith("Previous vs latest") for label in labels)
    assert "±2%" in report_view.settings_text


def test_contents_entries_point_at_anchors_in_the_html(report_view: Any, report_html: str) -> None:
    for entry in report_view.contents:
        assert f'id="{entry.anchor}"' in report_html, entry


def test_earlier_period_leaves_out_later_observations(example: Any) -> None:
    view = build_view(example, None, None, period="Q3 2017-18")
    assert view.reporting_period == "Q3 2017-18"
    assert "later figures are left out" in view.period_note
    total = _indicator(view, "total-crime").series[0]
    assert total.latest is not None and total.latest.period == "Q3 2017-18"
    assert total.previous is None
    assert total.published.differs == () and total.published.agrees == ""  # the published words are for Q4
    # the framework given is untouched
    assert next(s for s in example.all_series() if s.id == "total-crime").latest.period == Period.parse("Q4 2017-18")


def test_period_text_that_is_not_a_period_is_an_error(example: Any) -> None:
    with pytest.raises(ReportError, match="is not a period"):
        build_view(example, None, None, period="Q5 2017-18")


def test_outcome_selection(example: Any) -> None:
    with pytest.raises(ReportError, match="'nope' is not an outcome of this framework; the outcomes are: safe"):
        build_view(example, None, None, outcome_id="nope")
    assert [o.id for o in build_view(example, None, None, outcome_id="safe").outcomes] == ["safe"]


def test_several_outcomes_are_each_their_own_part(example: Any) -> None:
    fw = copy.deepcopy(example)
    second = copy.deepcopy(fw.outcomes[0])
    second.id, second.title = "safe-too", "Safe again"
    for ind in second.indicators:
        ind.id = f"{ind.id}-2"
        for s in ind.series:
            s.id = f"{s.id}-2"
        for m in ind.measures:
            m.id = f"{m.id}-2"
            for s in m.series:
                s.id = f"{s.id}-2"
    fw.outcomes.append(second)
    html = render_html(fw)
    assert 'id="outcome-safe"' in html and 'id="outcome-safe-too"' in html
    assert "<h2 class=\"outcome-title\" data-running=\"Safe again\">Outcome: Safe again</h2>" in html
    assert html.count('class="part"') > 20


def test_write_report_chooses_the_format_from_the_extension(example: Any, tmp_path: Path) -> None:
    html = write_report(example, tmp_path / "sub" / "report.html")
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    with pytest.raises(ReportError, match=r"Cannot write 'report.txt'.*\.docx.*\.html.*\.pdf"):
        write_report(example, tmp_path / "report.txt")


def test_write_docx_without_the_word_writer_is_a_clear_error(example: Any, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def missing(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "outcomes.report.docx":
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(importlib, "import_module", missing)
    monkeypatch.delitem(sys.modules, "outcomes.report.docx", raising=False)
    with pytest.raises(ReportError, match="the Word writer .* is not installed"):
        write_report(example, tmp_path / "report.docx")


def test_write_docx_delegates_to_the_word_writer(example: Any, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    calls: list[tuple[Any, ...]] = []
    fake = types.ModuleType("outcomes.report.docx")

    def render_docx(framework: Any, judged: Any, out_path: Any, *, outcome_id: str | None = None) -> Path:
        calls.append((framework, judged, out_path, outcome_id))
        Path(out_path).write_bytes(b"PK")
        return Path(out_path)

    fake.render_docx = render_docx  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "outcomes.report.docx", fake)
    path = write_report(example, tmp_path / "report.docx", outcome_id="safe")
    assert path.read_bytes() == b"PK"
    assert calls and calls[0][3] == "safe" and calls[0][1].by_series_id


def test_narrative_markdown_is_made_safe() -> None:
    html = markdown_html("# Title\n\nText <script>alert(1)</script>, [a link](javascript:alert(1)), [ok](https://x.org)")
    assert "<script" not in html and 'href="javascript' not in html
    assert '<a href="https://x.org">ok</a>' in html
    assert html.startswith("<h4>Title</h4>")  # below the report's own h1-h3


def test_value_for_money_words() -> None:
    from outcomes.model import ValueForMoney

    assert vfm_text(ValueForMoney()) == "Not yet measured"
    assert vfm_text(ValueForMoney("under-development")) == "Under development"
    assert vfm_text(ValueForMoney("measured", latest=12.5, rank=3, of=16)) == "Latest 12.5, rank 3 of 16, top quartile"


def test_templates_present_and_never_compute() -> None:
    """The templates hold no arithmetic or formatting: numbers arrive as text from the view-model."""
    import re
    from importlib import resources

    folder = resources.files("outcomes.report").joinpath("templates")
    for name in ("report.html.j2", "macros.html.j2"):
        text = folder.joinpath(name).read_text(encoding="utf-8")
        expressions = re.findall(r"{{(.*?)}}", text, flags=re.S)
        for expr in expressions:
            assert not re.search(r"\|\s*(round|format|sum|int|float)\b", expr), expr
            assert not re.search(r"[*/]|(?<![\w\"'])-\s*\d", expr), expr


def test_at_a_glance_tables_cover_every_series(report_view: Any, example: Any) -> None:
    indicators, measures = report_view.outcomes[0].glance
    assert len(indicators.rows) == sum(len(i.series) for i in example.indicators())
    assert len(measures.rows) == sum(len(m.series) for m in example.measures())
    cp = indicators.rows[0]
    assert cp.label == "01 Rate of children subject to a child protection plan"
    assert (cp.latest, cp.latest_period, cp.trend.letter, cp.comparator.letter) == ("32.8 per 10,000", "2017-18",
                                                                                    "G", "G")
    assert cp.audit == "Differs: previous figure, comparator" and cp.audit_differs
    primary = indicators.rows[2]
    assert primary.label.endswith(": Primary") and primary.comparator_name == "South West"
    assert not measures.comparators  # no measure has a comparator: the column is left out


def test_html_is_one_self_contained_file(report_html: str) -> None:
    import re

    assert "<script" not in report_html and "<link" not in report_html
    assert not re.search(r'\ssrc="', report_html)
    hrefs = set(re.findall(r'href="([^"]*)"', report_html))  # links, not resources: in-page or to the web
    assert all(h.startswith(("#", "https://", "http://", "mailto:")) for h in hrefs), hrefs
    assert "@media print" in report_html and "@media (max-width" in report_html


def test_the_key_shows_where_each_polarity_came_from(example, report_view, report_html):
    """Every seed polarity is declared by its framework; the key counts them and the HTML prints the table."""
    key = {k.code: k.meaning for k in report_view.key_polarity}
    declared = sum(1 for s in example.all_series() if s.polarity is not None)
    assert key["Declared"] == f"Declared by the framework ({declared} series)"
    assert key["From source"].startswith("Taken from a source's metadata (0 series)")
    assert "Where each series' polarity (which direction is better) came from" in report_html
