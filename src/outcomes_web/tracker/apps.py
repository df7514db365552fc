"""The public tracker's Django app configuration."""

from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "outcomes_web.tracker"
    label = "tracker"
    verbose_name = "Public tracker"
