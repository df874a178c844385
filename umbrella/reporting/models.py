"""Server-side progress of the public report journey, and the per-address rate counters.

Nothing here is a report yet: a draft becomes reports (umbrella.intake) when it is submitted,
and is deleted then. Answers and evidence are encrypted with a key derived from the draft's
resume code, which is itself stored only as a keyed hash.
"""

from __future__ import annotations

from django.db import models


class ReportDraft(models.Model):
    """One person's unfinished report, found again by its resume code."""

    # HMAC of the resume code: the code itself is never stored.
    code_hash = models.CharField(max_length=64, unique=True)
    # Which master key the draft key was derived from (umbrella.crypto.keyring).
    master_key_id = models.CharField(max_length=32)
    # AES-GCM ciphertext of the answers JSON (nonce || ciphertext).
    answers_ciphertext = models.BinaryField(default=b"")
    # The furthest step reached, so "return to a saved report" goes back there.
    reached_step = models.CharField(max_length=32, default="who")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Draft {self.pk}"


class DraftEvidence(models.Model):
    """One cleaned evidence file of a draft, encrypted with the draft's key."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="evidence")
    ciphertext = models.BinaryField()
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"Evidence {self.pk} of draft {self.draft_id}"

