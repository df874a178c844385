from __future__ import annotations

import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from umbrella.agencies.models import Organisation, Team


class Role(models.TextChoices):
    CALL_HANDLER = "call_handler", _("Call handler")
    OFFICER = "officer", _("Officer")
    INVESTIGATOR = "investigator", _("Investigator")
    HUB_REVIEWER = "hub_reviewer", _("Hub reviewer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    PARTNER_CASEWORKER = "partner_caseworker", _("Partner caseworker")
    PARTNER_MANAGER = "partner_manager", _("Partner manager")
    SCRUTINY_MEMBER = "scrutiny_member", _("Scrutiny member")
    ORG_ADMIN = "org_admin", _("Organisation administrator")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members")
    role = models.CharField(max_length=32, choices=Role.choices, blank=True)
    failed_sign_in_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["username"]

    @property
    def display_name(self) -> str:
        full = self.get_full_name()
        return full or self.username


class ApiToken(models.Model):
    """A user's API token, stored as a SHA-256 digest (the token itself is shown once, on issue)
    with an expiry: a copy of the database gives nobody a working token."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    # The first characters, so a token can be recognised in a list without being usable.
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # "read": GET, HEAD and OPTIONS only; "write": every method the user's role allows.
    scope = models.CharField(max_length=8, choices=[("read", "Read only"), ("write", "Read and write")], default="read")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}… for {self.user_id}"

    @staticmethod
    def digest_of(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()
