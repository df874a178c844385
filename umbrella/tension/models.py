"""The register of trigger events: international, national and local events after which some
communities may suffer more hate, kept by the hub, advisory group members and partner managers,
and shown beside the counts so a rise is read against what was happening."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umbrella.crypto.registry import Encrypted, column_of


class EventScope(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    NATIONAL = "national", _("National")
    LOCAL = "local", _("Local")


class TriggerEvent(models.Model):
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    scope = models.CharField(max_length=16, choices=EventScope.choices)
    area = models.CharField(max_length=9, blank=True)  # a borough's GSS code for a local event; blank: London
    # Strand codes (reference data) likely to be affected; the communities in the keeper's words.
    strands = models.JSONField(default=list)
    communities = models.CharField(max_length=300, blank=True)
    source = models.URLField(max_length=500, blank=True)  # where it was reported, for the record
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["starts_on"], name="trigger_event_start")]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on:%Y-%m-%d})"


class TensionAlert(models.Model):
    """A count above what its history leads one to expect (``tension.detection``): raised for the
    hub, the advisory group and partner managers, and acknowledged by one of them with a note.
    Counts only, never a record."""

    source = models.CharField(max_length=16)  # "umbrella" or "mps-monthly"
    period_start = models.DateField()
    strand = models.CharField(max_length=32)
    sub_category = models.CharField(max_length=48, blank=True)
    area = models.CharField(max_length=9)  # "london" or a borough's GSS code
    observed = models.PositiveIntegerField()
    expected = models.FloatField()
    threshold = models.FloatField()
    score = models.FloatField()
    # Its place in a run of alerts of the series (tension.detection.signals): "new", "rising" or
    # "continuing", "part" of a sub-category's event (a strand's total), or "gradual" (no jump from
    # the recent level); only the first two are mailed.
    signal = models.CharField(max_length=12, choices=[("new", _("New")), ("rising", _("Rising")),
                                                      ("continuing", _("Continuing")),
                                                      ("part", _("Part of a sub-category's")),
                                                      ("gradual", _("Gradual"))], default="new")
    raised_at = models.DateTimeField(auto_now_add=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # What the acknowledger knows of it (the community's mood, what partners are doing): never a name.
    note = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["-period_start", "-score", "id"]
        constraints = [models.UniqueConstraint(fields=["source", "period_start", "strand", "sub_category", "area"],
                                               name="tension_alert_once")]

    def __str__(self) -> str:
        return f"{self.strand}/{self.sub_category} {self.area} {self.period_start:%Y-%m}: {self.observed}"


class TensionLevel(models.TextChoices):
    LOW = "low", _("Low: some concern in the community")
    ELEVATED = "elevated", _("Elevated: fear or anger is spreading")
    HIGH = "high", _("High: people expect trouble, or it has started")


class TensionReport(models.Model):
    """A community tension report in the tension log: what an advisory group member or a partner
    hears in the communities they serve. Their organisation's own until its author shares it:
    before that no police user sees it, nor that it exists. The account is sealed under the
    organisation's key, as a partner's reports are."""

    organisation = models.ForeignKey("agencies.Organisation", on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    observed_on = models.DateField()
    area = models.CharField(max_length=9)  # "london" or a borough's GSS code
    strands = models.JSONField(default=list)
    level = models.CharField(max_length=12, choices=TensionLevel.choices)
    summary = models.TextField()  # ciphertext
    shared_at = models.DateTimeField(null=True, blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = Encrypted(fields=("summary",), organisation="organisation_id")

    class Meta:
        ordering = ["-observed_on", "-id"]

    def __str__(self) -> str:
        return f"Tension report {self.pk}"


SUMMARY_COLUMN = column_of(TensionReport, "summary")
