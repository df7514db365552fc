from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "outcomes_web.store"
    label = "store"
    verbose_name = "Outcomes store"
