"""The store's Django app configuration (the tables every part of the web app reads)."""

from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "outcomes_web.store"
    label = "store"
    verbose_name = "Outcomes store"
