"""The report builds' Django app configuration (reports built by a worker, never in a request)."""

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "outcomes_web.reports"
    label = "reports"
    verbose_name = "Report builds"
    default_auto_field = "django.db.models.BigAutoField"
