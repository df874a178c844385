"""Intelligence products: problem profiles and tactical assessments for an area, a strand and a
period. The figures are drawn afresh from the counts each time a profile is read; what the analyst
writes (the assessment and the recommendations) is kept as numbered versions, never overwritten,
sealed under the organisation's key (an analyst may name a place or a group)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umbrella.crypto.registry import Encrypted, column_of


class ProductKind(models.TextChoices):
    PROBLEM_PROFILE = "problem_profile", _("Problem profile")
    TACTICAL_ASSESSMENT = "tactical_assessment", _("Tactical assessment")


class ProblemProfile(models.Model):
    organisation = models.ForeignKey("agencies.Organisation", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=24, choices=ProductKind.choices)
    area = models.CharField(max_length=9)  # "london" or a borough's GSS code
    strand = models.CharField(max_length=32, blank=True)  # blank: every strand
    first_month = models.DateField()
    last_month = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class ProfileVersion(models.Model):
    """One version of the analyst's sections; a later edit is a new version."""

    profile = models.ForeignKey(ProblemProfile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    assessment = models.TextField(blank=True)  # ciphertext
    recommendations = models.TextField(blank=True)  # ciphertext
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    ENCRYPTED = Encrypted(fields=("assessment", "recommendations"), organisation="profile__organisation_id")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["profile", "number"], name="profile_version_once")]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.profile_id}"


ASSESSMENT_COLUMN = column_of(ProfileVersion, "assessment")
RECOMMENDATIONS_COLUMN = column_of(ProfileVersion, "recommendations")


class PersonLink(models.Model):
    """A person the last linkage run put in a cluster with at least one other: the person and the
    cluster, nothing about who they are. Rewritten whole by each run (``people.people_link``)."""

    person = models.OneToOneField("cases.Person", on_delete=models.CASCADE, primary_key=True, related_name="+")
    cluster = models.CharField(max_length=32, db_index=True)
    linked_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.person_id} in {self.cluster}"
