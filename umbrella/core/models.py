"""Models every app may use: per-address rate counters."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Requests of one kind from one (hashed) client address in one time window."""

    bucket = models.CharField(max_length=32)
    address_hash = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        # Moved from the reporting app when sign-in came to use it too; the table kept its name.
        db_table = "reporting_ratecounter"
        constraints = [
            models.UniqueConstraint(
                fields=["bucket", "address_hash", "window_start"], name="one_counter_per_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="reporting_rate_window")]

    def __str__(self) -> str:
        return f"{self.bucket} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
