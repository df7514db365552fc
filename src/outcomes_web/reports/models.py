"""One row per report build: which report, where it stands, and the finished file.

``key`` names the report exactly (outcome, period, revision, content hash, library version and
format: the name of its cache file), and is unique, so however many visitors ask for a report at
once, one build is queued. The finished file is kept in the row, so every app server can serve it
whichever machine built it; each server also keeps a copy in its disk cache.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ReportBuild(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Being built"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    key = models.CharField(max_length=255, unique=True)
    snapshot = models.ForeignKey("store.Snapshot", on_delete=models.CASCADE, related_name="+")
    fmt = models.CharField(max_length=8)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    content = models.BinaryField(null=True, blank=True)
    requested_on = models.DateTimeField(default=timezone.now)
    started_on = models.DateTimeField(null=True, blank=True)
    finished_on = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
