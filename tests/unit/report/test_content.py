"""Everything in the example appears in both outputs: every indicator, measure, risk and narrative block,
the seed's published focus lists, the data-quality findings and the contacts."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest

from outcomes.report.text import first_sentence


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def test_html_text_keeps_inline_runs_together(html_text: str) -> None:
    assert "Skip to main content" in html_text


def in_flowed_text(wanted: str, text: str) -> bool:
    """Whether ``wanted`` is in ``text`` whole, or split once where it flows on at a page or column break:
    the PDF's text layer may put a figure drawn on the same page between the two parts (at a word break)."""
    if wanted in text:
        return True
    words = wanted.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        at = text.find(head + " ")
        if at >= 0 and text.find(tail, at + len(head)) >= 0:
            return True
    return False


def test_a_sentence_split_once_at_a_break_still_counts_but_not_a_missing_one() -> None:
    text = "Alpha beta gamma Number 0 200 Q3 delta epsilon. Other words."
    assert in_flowed_text("beta gamma delta epsilon.", text)
    assert not in_flowed_text("beta gamma zeta epsilon.", text)
    assert not in_flowed_text("delta epsilon beta gamma", text)


def _both(html_text: str, pdf_text: str, wanted: str) -> None:
    wanted = _normalise(wanted)
    assert wanted in html_text, f"HTML lacks {wanted!r}"
    assert in_flowed_text(wanted, pdf_text), f"PDF lacks {wanted!r}"


def test_every_population_indicator(example: Any, html_text: str, pdf_text: str) -> None:
    for ind in example.indicators():
        _both(html_text, pdf_text, ind.title)
        if ind.section_title:
            _both(html_text, pdf_text, ind.section_title)
        for s in ind.series:
            _both(html_text, pdf_text, s.title if len(ind.series) > 1 else ind.title)


def test_every_performance_measure_and_its_series(example: Any, html_text: str, pdf_text: str) -> None:
    measures = list(example.measures())
    assert len(measures) == 16
    for m in measures:
        _both(html_text, pdf_text, m.title)
        for s in m.series:
            if s.short_title and len(m.series) > 1:
                _both(html_text, pdf_text, f"{m.title}: {s.short_title}")


def test_every_risk_with_id_score_and_trend(example: Any, html_text: str, pdf_text: str) -> None:
    assert len(example.risks) == 17
    for r in example.risks:
        _both(html_text, pdf_text, f"{r.id} – {r.title}")
    for score in ("HIGH", "MEDIUM", "LOW"):
        _both(html_text, pdf_text, score)


def test_every_narrative_block(example: Any, html_text: str, pdf_text: str) -> None:
    blocks = 0
    for ind in example.indicators():
        for n in ind.narrative:
            for title, text in n.blocks():
                blocks += 1
                _both(html_text, pdf_text, title)
                # the first sentence, without Markdown emphasis
                sentence = first_sentence(text).replace("*", "").replace("_", "")
                _both(html_text, pdf_text, sentence)
    assert blocks >= 30


def test_headline_figures_with_units_and_periods(html_text: str, pdf_text: str) -> None:
    for text in ("32.8 per 10,000", "Latest (2017-18)", "Previous (AY 2015/16)", "3,766", "28.72%",
                 "Latest (12 months to March 2018)"):
        _both(html_text, pdf_text, text)


def test_judgements_show_word_letter_method_and_reason(html_text: str, pdf_text: str) -> None:
    for text in (
        "Trend G Improving",
        "Comparator R Worse",
        "Improving: fell from 58.5 in 2016-17 to 32.8 per 10,000 in 2017-18",
        "Method: Previous vs latest, within ±2% is similar.",
    ):
        _both(html_text, pdf_text, text)


def test_published_words_beside_ours_where_they_differ(html_text: str, pdf_text: str) -> None:
    _both(html_text, pdf_text, "Differs Comparator. Report said: worse (R) — figures say: better (G) (Better than "
                               "England: 32.8 per 10,000 against 43.1")
    _both(html_text, pdf_text, "Report said: 53.8 per 10,000 for '2016-17' — figures say: 58.5 per 10,000 for 2016-17")
    _both(html_text, pdf_text, "Report said: similar, compared to q4 2016/17 — figures say: worsening (R)")


def test_published_focus_lists_are_audited(example: Any, html_text: str, pdf_text: str) -> None:
    summary = example.outcomes[0].published_summary
    for item in (*summary.focus_indicators, *summary.focus_measures, *summary.focus_risks):
        _both(html_text, pdf_text, f"“{item}”")
    _both(html_text, pdf_text, "“Roads in need of maintenance” Differs Matches nothing in this framework")


def test_our_focus_lists_give_reasons(report_view: Any, html_text: str, pdf_text: str) -> None:
    lists = report_view.outcomes[0].focus
    assert [fl.kind for fl in lists] == ["population_indicator", "performance_measure", "risk"]
    for fl in lists:
        assert fl.items
        for item in fl.items:
            assert item.reasons
            _both(html_text, pdf_text, item.reasons[0])


def test_counts_against_the_published_summary(html_text: str, pdf_text: str) -> None:
    # (the large count and its words sit in different fonts: pypdf may leave out the space between them)
    for count, what in (("9", "Population indicators"), ("16", "Performance measures"), ("17", "Corporate risks")):
        assert f"{count} {what}" in html_text
        assert f"{count} {what}" in pdf_text or f"{count}{what}" in pdf_text
    _both(html_text, pdf_text, "18 series judged. The published summary stated 22.")


def test_data_quality_appendix_lists_every_finding(report_findings: list[Any], html_text: str, pdf_text: str) -> None:
    assert report_findings
    for f in report_findings:
        _both(html_text, pdf_text, f.code)
        _both(html_text, pdf_text, f.message[:60])


def test_unassigned_risks_key_responsibility_and_contacts(example: Any, html_text: str, pdf_text: str) -> None:
    _both(html_text, pdf_text, "Corporate risks not linked to a population indicator")
    _both(html_text, pdf_text, "Key to ratings, codes and charts")
    _both(html_text, pdf_text, "Shared responsibility")
    _both(html_text, pdf_text, "Direct responsibility")
    for contact in example.outcomes[0].contacts:
        _both(html_text, pdf_text, f"{contact.name}, {contact.role}")


@pytest.mark.parametrize("text", ["@", "Tel ", "01305"])
def test_contacts_are_names_and_roles_only(html_text: str, pdf_text: str, text: str) -> None:
    assert text not in html_text
    assert text not in pdf_text


def test_value_for_money_is_stated(html_text: str, pdf_text: str) -> None:
    _both(html_text, pdf_text, "Value for money Under development")


def test_cover_states_outcome_sponsor_period_data_date_and_status(example: Any, html_text: str,
                                                                   pdf_text: str) -> None:
    sponsor = example.outcomes[0].sponsor
    for text in (f"{sponsor.name}, {sponsor.role}", "Reporting period Q4 2017-18", "Data as at July 2018",
                 "Status Published"):
        _both(html_text, pdf_text, text)
