from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "outcomes_web.tracker"
    label = "tracker"
    verbose_name = "Public tracker"
