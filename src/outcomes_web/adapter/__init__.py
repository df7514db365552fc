"""The one place where the web app meets the ``outcomes`` library.

Everything else in ``outcomes_web`` talks to the library through this package (import-linter's
contracts in ``pyproject.toml`` and ``tests/web/test_settings_and_layers.py`` check that no other
module imports it). Callers write ``from outcomes_web import adapter`` and use the names re-exported
here; the modules hold:

* :mod:`~outcomes_web.adapter.errors`: :class:`DatasetProblems`, :class:`ReportUnavailable` and
  :class:`BadPeriod` carry library failures as the web app's own;
* :mod:`~outcomes_web.adapter.library`: thin wrappers over the library (reading and writing
  datasets, canonical periods, the spreadsheet helpers, the bundled example);
* :mod:`~outcomes_web.adapter.mapping`: domain <-> rows. :func:`store_framework` writes a
  :class:`~outcomes.model.Framework` into the normalised tables, one
  :class:`~outcomes_web.store.models.Snapshot` per outcome, in one transaction;
  :func:`snapshot_framework` reads snapshots back into a Framework, losing nothing
  (``tests/web/test_round_trip.py`` proves it); periods as row fields and JSON;
* :mod:`~outcomes_web.adapter.loading`: :func:`load_outcome` gives a page the Framework of one
  snapshot with its judgements (:func:`judge`), cached in the process by the snapshot's content hash
  and revision (so data changes invalidate);
* :mod:`~outcomes_web.adapter.reports`: the HTML and PDF reports, cached on disk, and the report's
  charts for the tracker's pages;
* :mod:`~outcomes_web.adapter.cycle`: the quarterly cycle's entry points for the workspace (periods,
  checking an entry, drafts and revisions, judging without this cycle's figures, the framework
  vocabularies).

Mapping (domain → table): Framework facts and ``ReportInfo`` → ``Snapshot`` columns; ``areas`` →
``Area``; ``Outcome`` (+ ``PublishedSummary``) → ``Outcome``; ``PopulationIndicator`` (+
``ValueForMoney``) → ``Indicator``; ``PerformanceMeasure`` → ``Measure``; ``Series`` (+ ``Unit``,
``Target``, ``FocusOverride``, breaks) → ``Series``; ``PublishedJudgement`` → ``PublishedStatement``
+ ``PublishedFigure`` (previous / extra / latest); ``Comparator`` → ``Comparator``; home and
benchmark ``Observation`` s → ``Observation`` (``is_home``); ``Narrative`` → ``Narrative``; ``Risk``
→ ``Risk`` + ``RiskLink``; every ``Officer`` tuple → ``Officer`` rows (relation + position).
A Period is stored as canonical label + kind + start/end + months (``PeriodFields``) or, inside
JSON columns, as ``Period.to_dict()``.
"""

from __future__ import annotations

from outcomes_web.adapter.cycle import (
    FigureChange,
    check_entry,
    copy_to_draft,
    default_entry_period,
    entry_is_due,
    framework_vocabulary,
    judge_without,
    observation_fields,
    observation_from_row,
    parse_period,
    period_label,
    refresh_content_hash,
    revision_changes,
    sanitised_markdown,
    series_by_key,
    valid_item_id,
)
from outcomes_web.adapter.errors import BadPeriod, DatasetProblems, ReportUnavailable
from outcomes_web.adapter.library import (
    EXAMPLE,
    FORMULA_START,
    DatasetFile,
    WorkbookLimits,
    WorkbookRefused,
    authority_quantiles,
    canonical_period,
    cell_text,
    check_workbook,
    library_version,
    load_dataset,
    neutralise_cell,
    period_sort_key,
    unescape_formula,
    write_dataset_folder,
)
from outcomes_web.adapter.loading import (
    FOCUS_RANKING_SENTENCE,
    Judged,
    Loaded,
    RagView,
    SeriesJudgementView,
    clear_cache,
    judge,
    judged_json,
    load_outcome,
    warm_imports,
)
from outcomes_web.adapter.mapping import (
    StoreResult,
    content_hash,
    framework_for_export,
    period_fields,
    period_from_row,
    snapshot_framework,
    store_framework,
)
from outcomes_web.adapter.reports import (
    REPORT_FORMATS,
    render_report,
    report_cache_path,
    series_chart,
    series_charts_html,
    series_funnel,
    series_inequality,
    series_short_value,
    series_value,
)

__all__ = [
    "FOCUS_RANKING_SENTENCE",
    "BadPeriod",
    "DatasetProblems",
    "ReportUnavailable",
    "authority_quantiles",
    "canonical_period",
    "cell_text",
    "check_workbook",
    "DatasetFile",
    "EXAMPLE",
    "FORMULA_START",
    "library_version",
    "load_dataset",
    "neutralise_cell",
    "period_sort_key",
    "unescape_formula",
    "WorkbookLimits",
    "WorkbookRefused",
    "write_dataset_folder",
    "content_hash",
    "framework_for_export",
    "period_fields",
    "period_from_row",
    "snapshot_framework",
    "store_framework",
    "StoreResult",
    "clear_cache",
    "judge",
    "Judged",
    "judged_json",
    "load_outcome",
    "Loaded",
    "RagView",
    "SeriesJudgementView",
    "warm_imports",
    "render_report",
    "report_cache_path",
    "REPORT_FORMATS",
    "series_chart",
    "series_charts_html",
    "series_funnel",
    "series_inequality",
    "series_short_value",
    "series_value",
    "check_entry",
    "copy_to_draft",
    "default_entry_period",
    "entry_is_due",
    "FigureChange",
    "framework_vocabulary",
    "judge_without",
    "observation_fields",
    "observation_from_row",
    "parse_period",
    "period_label",
    "refresh_content_hash",
    "revision_changes",
    "sanitised_markdown",
    "series_by_key",
    "valid_item_id",
]
