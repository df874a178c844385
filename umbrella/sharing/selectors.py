"""Reading shares, scoped to the actor like records are."""

from __future__ import annotations

from typing import TYPE_CHECKING

from umbrella.cases.models import Record, RecordShare, ShareQuerySet

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def shares_for_record(*, user: User, record_id: int, include_ended: bool = True) -> ShareQuerySet:
    """Shares of a record the user can see (Record.DoesNotExist otherwise).

    The owning organisation sees every share; a receiving organisation sees only its own, so
    a partner does not learn who else the record went to.
    """
    organisation_id = user.organisation_id
    if organisation_id is None:
        raise Record.DoesNotExist  # visible_to() shows such users nothing either
    record = Record.objects.visible_to(user).only("pk", "organisation_id").get(pk=record_id)
    shares = RecordShare.objects.filter(record=record).select_related("organisation", "granted_by", "revoked_by")
    if record.organisation_id != organisation_id:
        shares = shares.filter(organisation_id=organisation_id)
    if not include_ended:
        shares = shares.active()
    return shares.order_by("-granted_at", "-id")


def share_get(*, user: User, share_id: int) -> RecordShare:
    """One share of a record the user's organisation owns and the user can see, or RecordShare.DoesNotExist."""
    if user.organisation_id is None:
        raise RecordShare.DoesNotExist
    share = RecordShare.objects.select_related("record", "organisation").get(pk=share_id)
    # Checked on the one record rather than as "IN (every visible record)", which scans them all.
    visible = Record.objects.visible_to(user).filter(organisation_id=user.organisation_id, pk=share.record_id)
    if not visible.exists():
        raise RecordShare.DoesNotExist
    return share
