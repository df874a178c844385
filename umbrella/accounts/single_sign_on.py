"""Single sign-on through OpenID Connect, for organisations with their own identity provider.

The flow is the authorisation code flow with PKCE, a state and a nonce (Authlib's Django client,
which also checks the ID token's signature against the provider's published keys, its issuer,
audience, expiry and nonce). What Umbrella decides itself is who the person is here:

- the provider's ``sub`` claim is linked to one Umbrella account (``ExternalIdentity``), always in
  the provider's own organisation: a provider can never sign anyone in to another organisation;
- the role comes from the provider's claims on every sign-in, through the provider's role map, so
  someone moved or removed at the provider is moved or refused here the next time; a role the
  organisation's kind may not hold (``accounts.roles``) is never given, nor system administration;
- someone with a mapped role and no account yet gets one (when the provider ``creates_accounts``),
  with no usable password: they can only sign in through the provider.

Every sign-in and every refusal is audited; no event holds a token or a claim beyond the subject.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.accounts.models import ExternalIdentity, IdentityProvider, Role, User
from umbrella.accounts.roles import role_allowed
from umbrella.agencies.models import Organisation
from umbrella.audit import actions
from umbrella.audit.services import audit_event_write

if TYPE_CHECKING:
    from authlib.integrations.django_client.apps import DjangoOAuth2App

# Seconds to wait for the provider's discovery document, keys and token endpoint.
PROVIDER_TIMEOUT_S = 10
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_VARIABLE = re.compile(r"^[A-Z_][A-Z0-9_]{0,99}$")
_USERNAME_UNSAFE = re.compile(r"[^\w.@+-]")
_VARIABLE_WANTED = ("Enter the name of the environment variable that holds the client secret, in capitals, like "
                    "UMBRELLA_SSO_SECRET (the secret itself is never stored)")


class SingleSignOnRefused(Exception):
    """The sign-in cannot go ahead; ``message`` says why in words the person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def identity_providers_offered() -> list[IdentityProvider]:
    """The providers offered on the sign-in page."""
    return list(IdentityProvider.objects.filter(active=True).only("slug", "name"))


def _is_secure_or_loopback(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    # A provider on this machine (a test's or a developer's) may use plain http, as RFC 8252 allows.
    return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")


@transaction.atomic
def identity_provider_save(
    *,
    actor: User,
    organisation: Organisation,
    slug: str,
    name: str,
    issuer: str,
    client_id: str,
    client_secret_variable: str,
    role_map: Mapping[str, str],
    role_claim: str = "roles",
    creates_accounts: bool = True,
    assures_two_factor: bool = False,
    active: bool = True,
) -> IdentityProvider:
    """Adds or changes (by ``slug``) an organisation's identity provider: its own administrators,
    or a system administrator."""
    if not (actor.role == Role.SYSTEM_ADMIN or (actor.role == Role.ORG_ADMIN and actor.organisation_id == organisation.pk)):
        raise PermissionDenied("Only the organisation's administrators or a system administrator set up its sign-in.")
    errors: dict[str, str] = {}
    if not _SLUG.match(slug):
        errors["slug"] = "Enter a short name of up to 40 lower-case letters, numbers and hyphens"
    if not name.strip():
        errors["name"] = "Enter the name people know the provider by, as in 'Sign in with …'"
    if not _is_secure_or_loopback(issuer):
        errors["issuer"] = "Enter the provider's issuer address, starting https://"
    if not client_id.strip():
        errors["client_id"] = "Enter the client ID the provider gave Umbrella"
    if not _VARIABLE.match(client_secret_variable):
        errors["client_secret_variable"] = _VARIABLE_WANTED
    if not role_map:
        errors["role_map"] = "Map at least one of the provider's groups or roles to an Umbrella role"
    for value, role in role_map.items():
        if role not in Role.values or role == Role.SYSTEM_ADMIN or not role_allowed(role=role, organisation_kind=organisation.kind):
            errors["role_map"] = f"{value!r} cannot give the role {role!r}: choose a role a {organisation.get_kind_display().lower()} holds"
            break
    existing = IdentityProvider.objects.select_for_update().filter(slug=slug).first()
    if existing is not None and existing.organisation_id != organisation.pk:
        errors["slug"] = "Another organisation's provider has this short name: choose another"
    if errors:
        raise ValidationError(errors)
    provider = existing or IdentityProvider(slug=slug, organisation=organisation)
    provider.name, provider.issuer, provider.client_id = name.strip(), issuer.rstrip("/"), client_id.strip()
    provider.client_secret_variable, provider.role_claim, provider.role_map = client_secret_variable, role_claim, dict(role_map)
    provider.creates_accounts, provider.assures_two_factor, provider.active = creates_accounts, assures_two_factor, active
    provider.save()
    audit_event_write(
        actor=actor, action=actions.IDENTITY_PROVIDER_SAVE, target=provider, target_label=provider.name,
        changes={"organisation": organisation.slug, "issuer": provider.issuer, "client_id": provider.client_id,
                 "client_secret_variable": client_secret_variable, "role_claim": role_claim, "role_map": provider.role_map,
                 "creates_accounts": creates_accounts, "assures_two_factor": assures_two_factor, "active": active,
                 "added": existing is None},
    )
    return provider


def oidc_client(provider: IdentityProvider) -> DjangoOAuth2App:
    """Authlib's client for the provider, configured from its discovery document."""
    from authlib.integrations.django_client import OAuth

    secret = os.environ.get(provider.client_secret_variable, "")
    if not secret:
        raise SingleSignOnRefused(
            f"Signing in with {provider.name} is not ready on this service yet. Sign in with your password, "
            "or tell your organisation's administrator.")
    client: DjangoOAuth2App = OAuth().register(
        name=provider.slug, client_id=provider.client_id, client_secret=secret,
        server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": "openid email profile", "code_challenge_method": "S256",
                       "default_timeout": PROVIDER_TIMEOUT_S},
    )
    return client


def role_from_claims(provider: IdentityProvider, claims: Mapping[str, Any]) -> str | None:
    """The Umbrella role the claims give: the first entry of the provider's role map that the
    role claim holds (a string or a list), or None."""
    held = claims.get(provider.role_claim)
    values = {held} if isinstance(held, str) else {str(v) for v in held} if isinstance(held, list) else set()
    for value, role in provider.role_map.items():
        if value in values:
            return str(role)
    return None


def single_sign_on_complete(*, provider: IdentityProvider, claims: Mapping[str, Any]) -> User:
    """The account the provider's verified claims sign in to, creating or updating it as the
    provider's role map says; raises SingleSignOnRefused (after auditing it) when there is none."""
    outcome = _sign_in_through(provider=provider, claims=claims)
    if isinstance(outcome, User):
        return outcome
    reason, message = outcome
    with transaction.atomic():
        audit_event_write(actor=None, action=actions.USER_SINGLE_SIGN_ON_REFUSED, target=provider,
                          target_label=provider.name, changes={"reason": reason})
    raise SingleSignOnRefused(message)


def _no_role(provider: IdentityProvider) -> tuple[str, str]:
    return ("no role", f"Your {provider.name} does not give you a role in this service. "
            "Ask your organisation's administrator to give you access.")


@transaction.atomic
def _sign_in_through(*, provider: IdentityProvider, claims: Mapping[str, Any]) -> User | tuple[str, str]:
    subject = str(claims.get("sub") or "")
    if not subject:
        return ("no subject", f"{provider.name} did not say who you are. Try again, or sign in with your password.")
    role = role_from_claims(provider, claims)
    identity = (ExternalIdentity.objects.select_for_update().select_related("user")
                .filter(provider=provider, subject=subject).first())
    now = timezone.now()
    if identity is not None:
        user = identity.user
        if not user.is_active or user.organisation_id != provider.organisation_id:
            return ("account closed", "Your account in this service is closed. Ask your organisation's administrator.")
        if role is None:
            return _no_role(provider)
        if user.role != role:
            audit_event_write(actor=None, action=actions.USER_UPDATE, target=user, target_label=user.username,
                              changes={"role": [user.role, role], "via": f"single sign-on ({provider.slug})"})
            user.role = role
    else:
        if role is None:
            return _no_role(provider)
        if not provider.creates_accounts:
            return ("no account", "You do not have an account in this service yet. "
                    "Ask your organisation's administrator to create one.")
        user = User(username=_new_username(provider, claims, subject), organisation=provider.organisation, role=role,
                    first_name=str(claims.get("given_name") or "")[:150], last_name=str(claims.get("family_name") or "")[:150],
                    email=str(claims.get("email") or "") if claims.get("email_verified") else "", is_active=True)
        # Only the provider signs this account in.
        user.set_unusable_password()
        user.save()
        identity = ExternalIdentity.objects.create(provider=provider, user=user, subject=subject)
        audit_event_write(actor=None, action=actions.USER_CREATE, target=user, target_label=user.username,
                          changes={"username": user.username, "role": role, "organisation": provider.organisation.slug,
                                   "via": f"single sign-on ({provider.slug})"})
    user.last_login = now
    user.save(update_fields=["role", "last_login"])
    identity.last_used_at = now
    identity.save(update_fields=["last_used_at"])
    audit_event_write(actor=user, action=actions.USER_SIGN_IN, target=user,
                      changes={"via": "single sign-on", "provider": provider.slug})
    return user


def _new_username(provider: IdentityProvider, claims: Mapping[str, Any], subject: str) -> str:
    given = str(claims.get("preferred_username") or str(claims.get("email") or "").split("@")[0] or subject)
    base = f"{provider.slug}.{_USERNAME_UNSAFE.sub('-', given)}"[:140]
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username
