"""Granting and revoking record shares. Each write is atomic and audited.

Only someone who can change the owning organisation's records (writers and managers of that
organisation, for records they can see) decides who else sees them. Out-of-scope records and
shares are answered as missing, like everywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.agencies.models import Organisation
from umbrella.audit.services import audit_event_write
from umbrella.cases import signals
from umbrella.cases.models import (
    SHARE_REASON_COLUMN,
    SHARE_REVOCATION_COLUMN,
    Record,
    RecordShare,
    ShareScope,
)
from umbrella.cases.policy import can_write_records
from umbrella.cases.scoping import record_is_visible
from umbrella.crypto.fields import encrypt
from umbrella.sharing import actions as share_actions

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def can_share(actor: Any, record: Record) -> bool:
    """Writers of the owning organisation who can see the record; nobody else."""
    return (
        can_write_records(actor)
        and actor.organisation_id == record.organisation_id
        and record_is_visible(actor, record.pk)
    )


def _require_sharer(actor: User, record: Record) -> None:
    if not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise Record.DoesNotExist  # do not reveal that the record exists
    if not can_share(actor, record):
        raise PermissionDenied("Only the owning organisation's record writers and managers can share this record.")


def _share_summary(share: RecordShare) -> dict[str, Any]:
    # The free-text reason stays on the share row, not in the immutable audit log: it may name people.
    return {
        "share": share.pk,
        "organisation": share.organisation_id,
        "scope": share.scope,
        "legal_basis": share.legal_basis,
        "consent_reference": share.consent_reference,
        "expires_at": share.expires_at.isoformat() if share.expires_at else None,
    }


REASON_LIMIT = 500


@dataclass(frozen=True)
class ShareOutcome:
    """What following a consent decision did to the record's shares."""

    granted: list[RecordShare]
    revoked: list[RecordShare]
    kept: list[RecordShare]


def sealed_reason(reason: str, *, record: Record) -> str:
    """A share's reason as stored: encrypted under the owning organisation's key."""
    return encrypt(reason, organisation_id=record.organisation_id, column=SHARE_REASON_COLUMN) or ""


def sealed_revocation_reason(reason: str, *, record: Record) -> str:
    return encrypt(reason, organisation_id=record.organisation_id,
                   column=SHARE_REVOCATION_COLUMN) or ""


@transaction.atomic
def share_grant(
    *,
    actor: User | None,
    record: Record,
    organisation: Organisation,
    scope: str,
    reason: str,
    legal_basis: str = "",
    consent_reference: str = "",
    expires_at: datetime | None = None,
) -> RecordShare:
    """Lets ``organisation`` see ``record`` (fully or anonymised) until revoked or expired.

    Needs a legal basis or a consent reference (or both) and a reason. ``actor`` is None only when
    the victim changed their consent themselves, online (a consent reference is then required:
    ``intake.handoff.police_share_sync`` shares on the consent they left in force).
    """
    if actor is not None:
        _require_sharer(actor, record)
    elif not consent_reference.strip():
        raise PermissionDenied("Only the victim's consent shares a record without a person acting.")
    legal_basis, consent_reference, reason = legal_basis.strip(), consent_reference.strip(), reason.strip()
    errors: dict[str, str] = {}
    if organisation.pk == record.organisation_id:
        errors["organisation"] = "Choose another organisation: the record's own organisation can already see it"
    elif not organisation.is_active:
        errors["organisation"] = "Choose an organisation that is still active"
    if scope not in ShareScope.values:
        errors["scope"] = "Choose whether to share in full or anonymised"
    if not legal_basis and not consent_reference:
        errors["legal_basis"] = "Enter the legal basis for sharing, or the victim's consent reference"
    if not reason:
        errors["reason"] = "Enter why the record is being shared"
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = f"The reason must be {REASON_LIMIT} characters or fewer"
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = "The expiry date must be in the future"
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    share = RecordShare.objects.create(
        record=record, organisation=organisation, scope=scope, granted_by=actor, legal_basis=legal_basis,
        consent_reference=consent_reference, reason=sealed_reason(reason, record=record), expires_at=expires_at,
    )
    audit_event_write(
        actor=actor, action=share_actions.SHARE_GRANT, target=share, target_label=record.reference,
        record_id=record.pk, changes=_share_summary(share),
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.SHARES)
    return share


@transaction.atomic
def share_revoke(*, actor: User | None, share: RecordShare, reason: str) -> RecordShare:
    """Ends a share now. The row stays, so who could see what, and when, remains on record.

    ``actor`` is None only when the victim withdrew consent themselves, online, with their report's
    reference and check code (``intake.services.consent_withdraw_online`` checked them)."""
    share = RecordShare.objects.select_for_update().select_related("record").get(pk=share.pk)
    if actor is not None:
        _require_sharer(actor, share.record)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if share.revoked_at is not None:
        errors["share"] = "This share has already been revoked"
    if not reason:
        errors["reason"] = "Enter why the share is being revoked"
    elif len(reason) > REASON_LIMIT:
        errors["reason"] = f"The reason must be {REASON_LIMIT} characters or fewer"
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    share.revoked_at = timezone.now()
    share.revoked_by = actor
    share.revocation_reason = sealed_revocation_reason(reason, record=share.record)
    share.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
    audit_event_write(
        actor=actor, action=share_actions.SHARE_REVOKE, target=share, target_label=share.record.reference,
        record_id=share.record_id, changes={**_share_summary(share), "revoked_at": share.revoked_at.isoformat()},
    )
    signals.record_changed.send(sender=Record, record=share.record, actor=actor, change=signals.SHARES)
    return share
