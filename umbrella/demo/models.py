"""What the demo loader has done, so a rerun knows where to carry on.

"Already loaded" is decided by these markers, never by the presence of some rows: a stage is
marked complete in the same transaction that writes it, so a killed run leaves either the whole
stage or none of it, and the rerun finishes the job.
"""

from __future__ import annotations

from django.db import models


class DemoRun(models.Model):
    """The one synthetic London in this database: its seed, size and the day it runs up to."""

    seed = models.IntegerField()
    records = models.PositiveIntegerField()
    # Midnight (UTC) of the day it was first loaded; the records end the day before. A resumed
    # load plans from this anchor, not from the day it resumes on.
    anchor = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"demo seed {self.seed}, {self.records} records up to {self.anchor:%d %B %Y}"


class DemoStage(models.Model):
    """One completed stage of the load (records, then each area's demo data)."""

    run = models.ForeignKey(DemoRun, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=40)
    summary = models.TextField(blank=True)
    completed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "name"], name="demo_stage_once_per_run")]

    def __str__(self) -> str:
        return f"{self.name} (completed {self.completed_at:%d %B %Y %H:%M})"
