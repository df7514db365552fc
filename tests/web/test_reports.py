"""Report downloads: the library's HTML and PDF for any outcome and period, cached on disk until the
data (content hash, revision) or the renderer (library version and files) changes; a clear 503 when the library refuses."""

from __future__ import annotations

import pytest

import outcomes.report
from outcomes_web import adapter

pytestmark = pytest.mark.django_db(databases="__all__")


@pytest.fixture(autouse=True)
def own_cache(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.REPORT_CACHE_DIR = tmp_path / "reports"


@pytest.fixture
def fake_renderer(monkeypatch):  # type: ignore[no-untyped-def]
    calls: list[tuple[str, str, str]] = []

    def render_html(framework, *, judged=None, findings=None, outcome_id=None, period=None, back_url=None):  # type: ignore[no-untyped-def]
        calls.append(("html", outcome_id, str(period)))
        return f"<!DOCTYPE html><title>{outcome_id} {period}</title>"

    def render_pdf(framework, *, judged=None, findings=None, outcome_id=None, period=None):  # type: ignore[no-untyped-def]
        calls.append(("pdf", outcome_id, str(period)))
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(outcomes.report, "render_html", render_html, raising=False)
    monkeypatch.setattr(outcomes.report, "render_pdf", render_pdf, raising=False)
    return calls


def test_reports_are_built_once_and_cached_until_the_data_changes(client, db_alias, fake_renderer, example_path):
    r = client.get("/outcomes/safe/report.html", {"period": "Q3 2017-18"})
    assert r.status_code == 200 and r["X-Report-Cache"] == "miss"
    assert r.content == b"<!DOCTYPE html><title>safe Q3 2017-18</title>"
    r = client.get("/outcomes/safe/report.html", {"period": "Q3 2017-18"})
    assert r["X-Report-Cache"] == "hit"
    pdf = client.get("/outcomes/safe/report.pdf", {"period": "Q3 2017-18"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="safe-q3-2017-18.pdf"'
    assert fake_renderer == [("html", "safe", "Q3 2017-18"), ("pdf", "safe", "Q3 2017-18")]
    # new data for that outcome and period: a new revision, so a new report
    dataset = adapter.load_dataset(example_path)
    from dataclasses import replace

    from outcomes.model import Period

    adapter.store_framework(replace(dataset.framework, reporting_period=Period.parse("Q3 2017-18")))
    r = client.get("/outcomes/safe/report.html", {"period": "Q3 2017-18"})
    assert r["X-Report-Cache"] == "miss"


def test_a_report_the_library_refuses_is_a_clear_503(client, db_alias, monkeypatch):
    def refuse(framework, **kwargs):  # type: ignore[no-untyped-def]
        raise outcomes.report.ReportError("the outcome has no series to report")

    monkeypatch.setattr(outcomes.report, "render_html", refuse)
    r = client.get("/outcomes/safe/report.html")
    assert r.status_code == 503
    assert "the outcome has no series to report" in r.content.decode()


def test_a_real_type_error_in_the_renderer_surfaces(client, db_alias, monkeypatch):
    """No quiet second attempt without the judgements: a bug in the renderer is a bug, not an old renderer."""
    calls: list[dict[str, object]] = []

    def broken(framework, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        raise TypeError("unsupported operand type(s) for +: 'int' and 'str'")

    monkeypatch.setattr(outcomes.report, "render_html", broken)
    from outcomes_web.store import queries

    snapshot = queries.find_snapshot("safe", None, None)
    assert snapshot is not None
    loaded = adapter.load_outcome(snapshot)
    with pytest.raises(TypeError, match="unsupported operand"):
        adapter.render_report(loaded, "html")
    assert len(calls) == 1 and "judged" in calls[0]


def test_unknown_outcome_report_is_404(client, db_alias):
    assert client.get("/outcomes/nowhere/report.pdf").status_code == 404
    assert client.get("/outcomes/safe/report.docx").status_code == 404


def test_the_real_report_renders(client, db_alias):
    r = client.get("/outcomes/prosperous/report.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")


def test_the_cache_is_keyed_by_the_renderers_files_so_a_changed_template_is_not_served_stale(tmp_path, db_alias):
    """A template or method changed within one release (a checkout, a hotfix) gives a new cache name."""
    import shutil
    from pathlib import Path

    from outcomes_web.adapter.library import renderer_version, source_fingerprint

    copy = tmp_path / "outcomes"
    shutil.copytree(Path(outcomes.report.__file__).parents[1], copy, ignore=shutil.ignore_patterns("__pycache__"))
    before = source_fingerprint(copy)
    assert before == source_fingerprint(copy)  # the same files, the same fingerprint
    assert renderer_version().endswith("-" + before)  # the installed library's files
    (copy / "notes.md").write_text("not part of the renderer", encoding="utf-8")
    assert source_fingerprint(copy) == before
    template = next((copy / "report" / "templates").glob("*.j2"))
    template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = source_fingerprint(copy)
    assert changed != before and len(changed) == 12
    from outcomes_web.store import queries

    snapshot = queries.find_snapshot("safe", None, None)
    assert snapshot is not None
    stored = adapter.load_outcome(snapshot)
    assert adapter.report_cache_path(stored, "pdf").name.endswith(f"-v{renderer_version()}.pdf")
