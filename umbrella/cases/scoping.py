"""The one place that decides which records a user can see, and how much of each.

Pages, the API, exports, search, the admin and background jobs all call ``visible_records``
(through ``Record.objects.visible_to(user)``). Anything outside it is answered with 404.

``models.py`` imports this module for ``RecordQuerySet``, so this one never imports the models:
it reaches the record's strands and shares through the queryset's own model.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from umbrella.accounts.policy import role_of
from umbrella.cases.choices import RecordStatus, ShareScope
from umbrella.cases.policy import (
    FLAGGED_READERS,
    ORGANISATION_WIDE_READERS,
    OWN_RECORD_READERS,
    PSEUDONYMISED_READERS,
)
from umbrella.core.context import request_memo

if TYPE_CHECKING:
    from umbrella.cases.models import Record


class RecordQuerySet(QuerySet["Record"]):
    def visible_to(self, user: object) -> RecordQuerySet:
        return visible_records(self, user)


def _related(queryset: RecordQuerySet, name: str) -> Any:
    """The model behind one of the record's relations (``strands``, ``shares``)."""
    return queryset.model._meta.get_field(name).related_model


class Access(enum.Enum):
    """How much of a visible record's personal data a user may see."""

    FULL = "full"
    PSEUDONYMISED = "pseudonymised"  # stable pseudonyms instead of identities
    ANONYMISED = "anonymised"  # no identities at all (anonymised share)


# Up to this many shares, scoping names the shared records' ids: each database then walks the
# (organisation, reported_at) index and looks the few ids up. Beyond it the ids would make every
# query carry them all (448 KB of SQL at 10,000 shares, and half a second to build a detail page),
# so the query asks for them with a subquery instead: its text and cost stay the same however many.
SHARED_ID_LIST_LIMIT = 1000


def _shared_with(queryset: RecordQuerySet, organisation_id: int) -> Any:
    """Records actively shared with the organisation: None when there are none (so the OR
    disappears), a plain id list while they are few, a subquery beyond SHARED_ID_LIST_LIMIT.

    Resolved first rather than as a correlated EXISTS: with an OR over a correlated subquery
    neither database can walk the (organisation, reported_at) index in order, so every list page
    would scan and sort the whole table.
    """
    memo = request_memo()
    key = f"cases.scoping.shared_with:{organisation_id}"
    if memo is not None and key in memo:
        return memo[key]  # a record page scopes several reads: the shares are looked up once a request
    shares = _related(queryset, "shares").objects.active().filter(organisation_id=organisation_id).order_by()
    ids = list(shares.values_list("record_id", flat=True)[: SHARED_ID_LIST_LIMIT + 1])
    found = None if not ids else ids if len(ids) <= SHARED_ID_LIST_LIMIT else shares.values("record_id")
    if memo is not None:
        memo[key] = found
    return found


def forget_shares() -> None:
    """After a share is granted or ended, or a record changed: this request's later reads look the
    shares, and which records are visible, up again."""
    memo = request_memo()
    if memo is not None:
        for key in [key for key in memo if key.startswith(("cases.scoping.shared_with:", _VISIBLE))]:
            del memo[key]


_VISIBLE = "cases.scoping.visible:"


def remember_visible(user: Any, record_id: int) -> None:
    """A scoped read just found the record: later checks in this request need not ask again."""
    memo = request_memo()
    if memo is not None:
        memo[f"{_VISIBLE}{user.pk}:{record_id}"] = True


def record_is_visible(user: Any, record_id: int) -> bool:
    """Whether the user may see the record, asked once a request: a record page's panels each check
    it, and the page has already found the record. Only a yes is kept (a no costs one query again)."""
    from umbrella.cases.models import Record

    memo = request_memo()
    if memo is not None and memo.get(f"{_VISIBLE}{user.pk}:{record_id}"):
        return True
    visible = Record.objects.visible_to(user).filter(pk=record_id).exists()
    if visible:
        remember_visible(user, record_id)
    return visible


def _has_strand(queryset: RecordQuerySet) -> Any:
    return Exists(_related(queryset, "strands").objects.filter(record=OuterRef("pk")))


def _flagged_or_in_review(queryset: RecordQuerySet) -> Any:
    """Carries a strand, or is otherwise put before the hub (an open review item for a screening
    suggestion on an unflagged record): other apps add such conditions in core.extensions."""
    from umbrella.core.extensions import flagged_reader_visibility

    condition = Q(_has_strand(queryset))
    for extra in flagged_reader_visibility():
        condition |= Q(extra)
    return condition


def visible_records(queryset: RecordQuerySet, user: Any) -> RecordQuerySet:
    role = role_of(user)
    org_id = getattr(user, "organisation_id", None)
    if role is None or org_id is None:
        return queryset.none()
    not_draft = ~Q(status=RecordStatus.DRAFT)
    own_draft = Q(status=RecordStatus.DRAFT, created_by_id=user.pk)
    if role in OWN_RECORD_READERS:
        return queryset.filter(organisation_id=org_id, created_by_id=user.pk)
    if role in ORGANISATION_WIDE_READERS:
        own = Q(organisation_id=org_id) & (not_draft | own_draft)
        shared_ids = _shared_with(queryset, org_id)
        return queryset.filter(own | (not_draft & Q(pk__in=shared_ids)) if shared_ids is not None else own)
    if role in FLAGGED_READERS:
        own_flagged = Q(organisation_id=org_id) & not_draft & _flagged_or_in_review(queryset)
        # Hub reviewers also record: what they created themselves stays theirs to see, drafts included.
        created = Q(organisation_id=org_id, created_by_id=user.pk)
        shared_ids = _shared_with(queryset, org_id)
        if shared_ids is not None:
            return queryset.filter(own_flagged | (not_draft & Q(pk__in=shared_ids) & _has_strand(queryset)) | created)
        return queryset.filter(own_flagged | created)
    return queryset.none()


def access_to(user: Any, record: Record) -> Access:
    """Assumes the record came from ``visible_records`` for this user."""
    if role_of(user) in PSEUDONYMISED_READERS:
        return Access.PSEUDONYMISED
    if record.organisation_id == user.organisation_id:
        return Access.FULL
    scopes = set(record.shares.active().filter(organisation_id=user.organisation_id).values_list("scope", flat=True))
    return Access.FULL if ShareScope.FULL in scopes else Access.ANONYMISED
