from __future__ import annotations

from django.db import models

from umbrella.agencies.models import Organisation


class OrganisationKey(models.Model):
    """An organisation's data key, stored only wrapped (AES-GCM) by a master key from the environment.

    Keys are never deleted while ciphertext may refer to them: rotation adds a new active key
    and re-encrypts in batches, so old keys stay available until nothing uses them.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="keys")
    key_id = models.CharField(max_length=40, unique=True)
    master_key_id = models.CharField(max_length=40)
    wrapped_key = models.BinaryField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["organisation_id", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_active=True),
                name="one_active_key_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key_id} ({'active' if self.is_active else 'retired'})"
