from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One append-only, hash-chained entry. Never deleted, and never updated except once, by the
    sealer, to chain it (a PostgreSQL trigger refuses everything else).

    A writer stores the event with ``digest``, a keyed hash of its content, and no lock. The sealer
    (``audit.sealer``) then gives each unchained event, in id order, the next ``chain_position``,
    ``previous_hash`` and a ``hash`` covering its digest and the previous hash, so editing,
    deleting or reordering any row breaks the chain from that point on; ``umbrella audit verify``
    finds where. Events from before sealing (empty ``digest``) have a hash over their content.
    """

    occurred_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_display = models.CharField(max_length=200, blank=True)
    organisation_id_snapshot = models.BigIntegerField(null=True, blank=True, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    # A record's human reference, so timelines read well; never personal data.
    target_label = models.CharField(max_length=64, blank=True)
    record_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField(default=dict, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    digest = models.CharField(max_length=64, blank=True)
    # Set together by the sealer, shortly after commit; all null until then.
    chain_position = models.BigIntegerField(null=True, blank=True, unique=True)
    previous_hash = models.CharField(max_length=64, null=True, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record_id", "id"], name="audit_record_timeline"),
            models.Index(fields=["actor", "id"], name="audit_actor_actions"),
            models.Index(fields=["target_type", "target_id"], name="audit_target"),
            # The sealer's queue: small, whatever the size of the table.
            models.Index(fields=["id"], condition=models.Q(hash__isnull=True), name="audit_unchained"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_label or self.target_id}"
