"""The JSON API's Django app configuration."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "outcomes_web.api"
    label = "api"
    verbose_name = "JSON API"
