"""The workspace's Django app configuration (the quarterly cycle's staff pages)."""

from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "outcomes_web.workspace"
    label = "workspace"
    verbose_name = "Workspace: the quarterly cycle"
