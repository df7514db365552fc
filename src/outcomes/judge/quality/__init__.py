"""Data-quality checks: the slips a real monitoring report contains, found before a committee does.

Each check has a stable code, a severity (``error``, ``warning``, ``info``) and names its subject by
id and title, with the figures involved. ``docs/checks.md`` lists them all.

The checks live in modules by what they look at (:mod:`.figures`, :mod:`.periods`, :mod:`.summary`,
:mod:`.series`, :mod:`.published`, :mod:`.presentation`); importing this package registers them all,
in that order (the order :func:`run_checks` runs them and reports findings of one severity).
"""

# isort: off
# registering the checks, in this order (the order they run and report in)
from . import figures, periods, summary, series, published, presentation  # noqa: F401
# isort: on
from .periods import expected_latest, is_yearly_snapshot, next_period
from .registry import CHECKS, SEVERITIES, Check, Finding, check, run_checks
from .series import LARGE_MOVEMENT
from .summary import framework_counts, match_risk, match_title

__all__ = [
    "CHECKS",
    "LARGE_MOVEMENT",
    "SEVERITIES",
    "Check",
    "Finding",
    "check",
    "expected_latest",
    "framework_counts",
    "is_yearly_snapshot",
    "match_risk",
    "match_title",
    "next_period",
    "run_checks",
]
