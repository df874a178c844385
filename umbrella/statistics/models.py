"""The aggregate layer's facts: what statistics count about each record, and nothing else.

One row per record and strand of hate (a record with no strand has one row without one), so a
record with two strands counts once under each strand and, through ``counts_record``, once in any
total, as the Home Office counts. No row holds a person, a narrative, a place finer than the
borough, or anything sealed: counts are built from these rows alone.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Route(models.TextChoices):
    POLICE = "police", _("Reported to the police")
    PARTNER_ONLY = "partner_only", _("Reported to a partner only")
    BOTH = "both", _("Reported to a partner and passed to the police")


class RecordFact(models.Model):
    record = models.ForeignKey("cases.Record", on_delete=models.CASCADE, related_name="+")
    # The one row of a record that totals count (the others count only under their strand).
    counts_record = models.BooleanField()
    # Whether the collation counts the record: a police force's always; a partner's only while the
    # victim's consent to some use of what they reported is in force ("statistics only" is enough).
    countable = models.BooleanField()
    organisation = models.ForeignKey("agencies.Organisation", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=32)  # the organisation's kind
    route = models.CharField(max_length=16, choices=Route.choices)
    reported_on = models.DateField()
    month = models.DateField()  # the first day of the month reported
    financial_year = models.CharField(max_length=7)  # "2018/19": April to March
    borough = models.CharField(max_length=9, blank=True)  # GSS code
    strand = models.CharField(max_length=32, blank=True)
    sub_category = models.CharField(max_length=48, blank=True)
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=24)
    is_online = models.BooleanField()
    is_domestic_abuse = models.BooleanField()
    is_asb_related = models.BooleanField()
    is_alcohol_drug_related = models.BooleanField()
    outcome_group = models.CharField(max_length=48, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record"], name="fact_record"),
            models.Index(fields=["month", "borough"], name="fact_month_borough"),
            models.Index(fields=["strand", "month"], name="fact_strand_month"),
        ]

    def __str__(self) -> str:
        return f"Fact {self.pk} of record {self.record_id}"
