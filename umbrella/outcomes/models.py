"""What became of a crime: its Home Office outcome, kept as an append-only history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class InvestigationOutcome(models.Model):
    """One outcome decision on a crime: a Home Office outcome type (reference data), when it was
    decided and whether a suspect was identified. Never edited or deleted: a later outcome (after
    the case was reopened, or a correction) is a new row, and the earlier ones stay in the history.
    """

    record = models.ForeignKey("cases.Record", on_delete=models.PROTECT, related_name="outcomes")
    outcome = models.ForeignKey("reference.Code", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    suspect_identified = models.BooleanField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["record", "-decided_on", "-id"], name="outcome_record_latest")]

    def __str__(self) -> str:
        return f"{self.outcome} on {self.decided_on:%Y-%m-%d}"
