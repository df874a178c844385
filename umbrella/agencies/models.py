from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    POLICE_FORCE = "police_force", _("Police force")
    THIRD_PARTY_CENTRE = "third_party_centre", _("Third-party reporting centre")
    VICTIM_SERVICE = "victim_service", _("Victim service")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    HOUSING_PROVIDER = "housing_provider", _("Housing provider")
    CPS = "cps", _("Crown Prosecution Service")
    SCRUTINY_BODY = "scrutiny_body", _("Scrutiny body")


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=32, choices=OrganisationKind.choices)
    # Prefix for human-friendly record references, e.g. "MPS" gives MPS-2026-000123.
    reference_prefix = models.CharField(max_length=8, unique=True)
    is_active = models.BooleanField(default=True)
    # Every account of the organisation signs in with a code as well as its password
    # (umbrella/accounts/two_factor.py); some roles must whatever this says (UMBRELLA_TWO_FACTOR_ROLES).
    requires_two_factor = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_police(self) -> bool:
        return self.kind == OrganisationKind.POLICE_FORCE


class Team(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    # A team may cover one borough (e.g. a community safety unit); codes are GSS codes.
    borough_code = models.CharField(max_length=9, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return f"{self.organisation.name}: {self.name}"
