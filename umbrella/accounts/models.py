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


class IdentityProvider(models.Model):
    """An organisation's own identity provider, for single sign-on through OpenID Connect: its
    staff sign in with the account they already have there, and the provider's claims say which
    Umbrella role they hold. The client secret is never stored: ``client_secret_variable`` names
    the environment variable that holds it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="identity_providers")
    slug = models.SlugField(max_length=40, unique=True)
    # Shown on the sign-in page as "Sign in with <name>".
    name = models.CharField(max_length=120)
    issuer = models.URLField(max_length=300)
    client_id = models.CharField(max_length=200)
    client_secret_variable = models.CharField(max_length=100)
    # The claim holding the person's groups or roles at the provider, and which Umbrella role each
    # value gives, in order of precedence: the first value the claims hold decides.
    role_claim = models.CharField(max_length=100, default="roles")
    role_map = models.JSONField(default=dict)
    # Whether someone with a mapped role but no Umbrella account yet gets one on first sign-in.
    creates_accounts = models.BooleanField(default=True)
    # Whether the provider itself asks for a second factor: then Umbrella does not ask again.
    assures_two_factor = models.BooleanField(default=False)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalIdentity(models.Model):
    """Which Umbrella account a person's identity at a provider (its ``sub`` claim) signs in to."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="external_identities")
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="one_account_per_external_identity")]

    def __str__(self) -> str:
        return f"{self.provider_id}:{self.user_id}"
