"""The screening model registry: every trained model, its data, its evaluation and its status.

Only the one approved model screens live data. Approving another retires it (and remembers it in
``replaced``, so a rollback re-approves it in one action). Artefacts are joblib bytes with their
sha256; loading checks the digest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ModelStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    APPROVED = "approved", _("Approved")
    RETIRED = "retired", _("Retired")
    REJECTED = "rejected", _("Rejected")


class ScreeningModel(models.Model):
    version = models.CharField(max_length=40, unique=True)
    labels = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=ModelStatus.choices, default=ModelStatus.CANDIDATE)
    created_at = models.DateTimeField(default=timezone.now)
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Rows, label counts and sources (reviewer decisions, imported history, CSV name and sha256).
    training_summary = models.JSONField(default=dict)
    # Held-out evaluation: per-label precision, recall, F1, calibration error, false positive rates.
    evaluation = models.JSONField(default=dict)
    artefact = models.BinaryField()
    artefact_sha256 = models.CharField(max_length=64)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The approved model this one replaced when it was approved: what a rollback goes back to.
    replaced = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="approved"), name="one_approved_screening_model"
            )
        ]

    def __str__(self) -> str:
        return f"Screening model {self.version} ({self.status})"
