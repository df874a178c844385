from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.crypto.registry import Encrypted


class ShareScope(models.TextChoices):
    FULL = "full", _("Full, with identities")
    ANONYMISED = "anonymised", _("Anonymised, without any person's identifying details")


class ShareQuerySet(models.QuerySet["RecordShare"]):
    def active(self) -> ShareQuerySet:
        from django.utils import timezone

        now = timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class RecordShare(models.Model):
    """A grant letting another organisation see a record. The owning organisation never needs one."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="shares_received")
    scope = models.CharField(max_length=16, choices=ShareScope.choices)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    legal_basis = models.CharField(max_length=300, blank=True)
    consent_reference = models.CharField(max_length=120, blank=True)
    # Why it was shared and why the share ended: free text that may name people, so sealed with the
    # owning organisation's key (crypto.fields); the service limits the words to 500 characters.
    reason = models.TextField()
    granted_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revocation_reason = models.TextField(blank=True)

    objects = ShareQuerySet.as_manager()

    ENCRYPTED = Encrypted(fields=("reason", "revocation_reason"), organisation="record__organisation_id")

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["organisation", "record"], name="share_org_record")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis="", consent_reference=""),
                name="share_needs_legal_basis_or_consent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.record_id} → {self.organisation_id} ({self.scope})"
