from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scheme(models.TextChoices):
    """The code lists Umbrella keeps as data. Values are stored; labels are for display."""

    STRAND = "strand", _("Strands of hate")
    SUB_CATEGORY = "sub_category", _("Strand sub-categories")
    PERCEIVER = "perceiver", _("Who perceived the hostility")
    LOCATION_TYPE = "location_type", _("Location types")
    ONLINE_PLATFORM = "online_platform", _("Online platforms")
    OFFENCE = "offence", _("Home Office offence codes")
    OUTCOME_GROUP = "outcome_group", _("Outcome groups")
    OUTCOME = "outcome", _("Home Office outcome types")
    ETHNICITY = "ethnicity", _("Ethnicity (ONS 2021)")
    BOROUGH = "borough", _("London local authorities")
    SEX = "sex", _("Sex")
    GENDER_IDENTITY = "gender_identity", _("Gender identity")
    AGE_BAND = "age_band", _("Age bands")
    DISABILITY = "disability", _("Disability")
    RELIGION = "religion", _("Religion or belief")
    SEXUAL_ORIENTATION = "sexual_orientation", _("Sexual orientation")
    STATUS_REASON = "status_reason", _("Reasons for closing a record")
    POLICE_UK_OUTCOME = "police_uk_outcome", _("data.police.uk outcome categories")


class Verification(models.TextChoices):
    OFFICIAL = "official", _("Official source (✅)")
    SECONDARY = "secondary", _("Secondary source (⚠️)")
    UNVERIFIED = "unverified", _("Not verified (❌) — an editable default")
    LOCAL = "local", _("Added locally")


class ReferenceVersion(models.Model):
    """One published state of the reference data. Each administrator change creates a new one."""

    number = models.PositiveIntegerField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"v{self.number}: {self.summary}"


class CodeQuerySet(models.QuerySet["Code"]):
    def current(self) -> CodeQuerySet:
        return self.filter(retired_in__isnull=True)

    def of(self, scheme: str) -> CodeQuerySet:
        return self.filter(scheme=scheme)


class Code(models.Model):
    """One entry of one code list, as of one version.

    Rows are immutable once used: editing a code retires this row (``retired_in``) and adds a
    new row with the same ``code``. Records point at the exact row they used, so they keep the
    wording and meaning that applied when they were recorded.
    """

    scheme = models.CharField(max_length=32, choices=Scheme.choices)
    code = models.CharField(max_length=64)
    label = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Sub-categories point at their strand; outcome types at their group.
    parent_code = models.CharField(max_length=64, blank=True)
    # Scheme-specific facts: e.g. strand {"monitored": true}; borough {"gss": "E09000001"};
    # offence {"aggravated_form_of": "105A"}; outcome {"group": "charged"}.
    attributes = models.JSONField(default=dict, blank=True)
    verification = models.CharField(max_length=16, choices=Verification.choices)
    source = models.CharField(max_length=500, blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    introduced_in = models.ForeignKey(ReferenceVersion, on_delete=models.PROTECT, related_name="introduced")
    retired_in = models.ForeignKey(
        ReferenceVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="retired"
    )

    objects = CodeQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "sort_order", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                condition=models.Q(retired_in__isnull=True),
                name="one_current_row_per_code",
            )
        ]
        indexes = [models.Index(fields=["scheme", "code"], name="reference_scheme_code")]

    def __str__(self) -> str:
        return self.label

    @property
    def is_current(self) -> bool:
        return self.retired_in_id is None
