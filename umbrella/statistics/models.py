"""The aggregate layer's facts: what statistics count about each record, and nothing else.

One row per record and strand of hate (a record with no strand has one row without one), so a
record with two strands counts once under each strand and, through ``counts_record``, once in any
total, as the Home Office counts. No row holds a person, a narrative, a place finer than the
borough, or anything sealed: counts are built from these rows alone.
"""

from __future__ import annotations

from typing import Any

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
    # The lower layer super output area (ONS code), where the record has one (imports set it).
    lsoa = models.CharField(max_length=9, blank=True, default="")
    strand = models.CharField(max_length=32, blank=True)
    sub_category = models.CharField(max_length=48, blank=True)
    kind = models.CharField(max_length=16)
    status = models.CharField(max_length=24)
    is_online = models.BooleanField()
    is_domestic_abuse = models.BooleanField()
    is_asb_related = models.BooleanField()
    is_alcohol_drug_related = models.BooleanField()
    outcome_group = models.CharField(max_length=48, blank=True)
    # The first victim's equality monitoring, where they gave it (codes; blank when not given).
    victim_ethnicity = models.CharField(max_length=48, blank=True, default="")
    victim_sex = models.CharField(max_length=48, blank=True, default="")
    victim_age_band = models.CharField(max_length=48, blank=True, default="")
    victim_disability = models.CharField(max_length=48, blank=True, default="")
    victim_religion = models.CharField(max_length=48, blank=True, default="")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["record"], name="fact_record"),
            models.Index(fields=["month", "borough"], name="fact_month_borough"),
            models.Index(fields=["strand", "month"], name="fact_strand_month"),
        ]

    def __str__(self) -> str:
        return f"Fact {self.pk} of record {self.record_id}"


class BaselineSource(models.TextChoices):
    HOME_OFFICE = "home-office", _("Home Office police recorded hate crime")
    MPS_MONTHLY = "mps-monthly", _("Metropolitan Police monthly hate crime by borough")


class Baseline(models.Model):
    """One imported file of official figures, with where it came from and its licence."""

    source = models.CharField(max_length=16, choices=BaselineSource.choices)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    attribution = models.CharField(max_length=500)
    licence = models.CharField(max_length=200)
    rows = models.PositiveIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source}: {self.file_name}"


class BaselineCount(models.Model):
    """One published figure: a count for a period, an area and the source's own category, with the
    strand (and sub-category) Umbrella files that category under. ``in_total`` marks the figures
    that are a total of offences (one per period and area), which an ungrouped count adds up."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="counts")
    source = models.CharField(max_length=16, choices=BaselineSource.choices)
    period = models.CharField(max_length=7)  # "2018/19" for a year's figure, "2019-04" for a month's
    financial_year = models.CharField(max_length=7)
    month = models.DateField(null=True, blank=True)  # monthly series only
    area_kind = models.CharField(max_length=16)  # national, force, borough
    area = models.CharField(max_length=60)  # a GSS code where there is one, else the source's name
    area_name = models.CharField(max_length=100)
    category = models.CharField(max_length=100)  # the source's words, kept
    strand = models.CharField(max_length=32, blank=True)
    sub_category = models.CharField(max_length=48, blank=True)
    in_total = models.BooleanField(default=False)
    count = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "period", "area", "category"], name="baseline_count_once"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.area} {self.financial_year} {self.category}: {self.count}"


class ShareMeasure(models.TextChoices):
    CHARGED = "charged", _("Share of offences resulting in a charge or summons (%)")
    MEDIAN_DAYS = "median_days", _("Median days to assign an outcome")


class BaselineShare(models.Model):
    """One published outcome figure: for an offence group and a group of offences (hate crime
    flagged, a strand, not hate flagged, or all offences), a percentage charged or a median number
    of days. The Home Office's bulletin gives these for a sample of forces (``coverage``)."""

    baseline = models.ForeignKey(Baseline, on_delete=models.CASCADE, related_name="shares")
    source = models.CharField(max_length=16, choices=BaselineSource.choices)
    period = models.CharField(max_length=7)  # "2018/19"
    area = models.CharField(max_length=60)
    coverage = models.CharField(max_length=500)  # which forces the figure comes from, in the source's words
    measure = models.CharField(max_length=16, choices=ShareMeasure.choices)
    offence_group = models.CharField(max_length=100)  # the source's words, kept
    group = models.CharField(max_length=32)  # "hate", a strand code, "not_hate" or "all"
    value = models.FloatField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "period", "area", "measure", "offence_group", "group"], name="baseline_share_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.period} {self.measure} {self.offence_group} {self.group}: {self.value}"


class ReleaseStatus(models.TextChoices):
    PREPARED = "prepared", _("Prepared: waiting for a supervisor")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Not published")


class OpenDataRelease(models.Model):
    """A set of open data tables, prepared by an analyst, audited, published by a supervisor.
    Published tables never change: a correction is a new release with the next number."""

    number = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=16, choices=ReleaseStatus.choices, default=ReleaseStatus.PREPARED)
    first_month = models.DateField()
    last_month = models.DateField()
    threshold = models.PositiveSmallIntegerField()  # k: counts from 1 to k-1 are suppressed
    audit_passed = models.BooleanField()
    audit_summary = models.TextField()
    prepared_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"Open data release {self.number}"


class OpenDataTable(models.Model):
    """One published table: its CSV as published (suppressed counts written [c]) and its digest."""

    release = models.ForeignKey(OpenDataRelease, on_delete=models.PROTECT, related_name="tables")
    name = models.SlugField(max_length=60)
    title = models.CharField(max_length=200)
    dimensions = models.JSONField()
    csv = models.TextField()
    sha256 = models.CharField(max_length=64)
    cells = models.PositiveIntegerField()
    suppressed = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["release", "name"], name="open_data_table_once")]

    def __str__(self) -> str:
        return f"{self.release} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A table is written once, when its release is prepared; published files never change.
        if self.pk is not None:
            raise ValueError("Open data tables are never changed: prepare a new release instead")
        super().save(*args, **kwargs)


class BoroughBoundary(models.Model):
    """A borough's outline for the maps, from a boundary file an administrator imports
    (``umbrella stats import boroughs FILE.geojson``; never bundled). Simplified on import to what a
    map of London needs (about 40 m), longitude and latitude (WGS 84) to five decimals."""

    code = models.CharField(max_length=9, unique=True)  # the borough's GSS code
    name = models.CharField(max_length=100)
    geometry = models.JSONField()  # a GeoJSON MultiPolygon
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SmallArea(models.Model):
    """A lower layer super output area (LSOA: the ONS's small areas of 1,000 to 3,000 residents) in
    a London borough, with its centroid where given, from a lookup an administrator imports
    (``umbrella stats import lsoa LOOKUP.csv --centroids CENTROIDS.csv``; never bundled). Hotspots
    compare each area's count with its equal share of its borough's."""

    code = models.CharField(max_length=9, unique=True)  # e.g. E01000001
    name = models.CharField(max_length=100)  # e.g. "City of London 001A"
    borough = models.CharField(max_length=9)  # the borough's GSS code
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["borough"], name="small_area_borough")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
