"""Reads of people's requests, each scoped to the reader's organisation, and the bundle a subject
access request is answered with: every record the organisation holds on the confirmed people, their
own details as held, and the narrative with everyone else's name and contact details withheld."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import (
    NARRATIVE_COLUMN,
    PERSON_ENCRYPTED_FIELDS,
    Record,
    RecordPerson,
    RecordStrand,
    person_column,
)
from umbrella.cases.scoping import Access
from umbrella.cases.selectors import masked_narrative
from umbrella.core.working_days import working_days_between
from umbrella.crypto.fields import decrypt
from umbrella.subject_access import actions
from umbrella.subject_access.models import (
    REQUEST_COLUMNS,
    MatchStatus,
    SubjectMatch,
    SubjectRequest,
)
from umbrella.subject_access.policy import can_handle_subject_requests

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def _require_own(user: User, request: SubjectRequest) -> None:
    """A request of another organisation, or a reader who does not handle them: as if missing."""
    if request.organisation_id != user.organisation_id or not can_handle_subject_requests(user):
        raise SubjectRequest.DoesNotExist


def requests_for(*, user: User) -> QuerySet[SubjectRequest]:
    if not can_handle_subject_requests(user) or user.organisation_id is None:
        return SubjectRequest.objects.none()
    return SubjectRequest.objects.filter(organisation_id=user.organisation_id).order_by("status", "due_on", "id")


def request_get(*, user: User, request_id: int) -> SubjectRequest:
    """The request, or SubjectRequest.DoesNotExist for another organisation's (pages answer 404)."""
    return requests_for(user=user).get(pk=request_id)


def working_days_left(request: SubjectRequest, *, today: date | None = None) -> int:
    """Working days from today to the deadline; negative when it has passed."""
    today = today or timezone.localdate()
    if today <= request.due_on:
        return working_days_between(today, request.due_on)
    return -working_days_between(request.due_on, today)


@decrypts
def requester_details(*, user: User, request: SubjectRequest) -> dict[str, str]:
    """What the requester gave to be found by, for the handler of this organisation's request."""
    _require_own(user, request)
    return {name: decrypt(getattr(request, name), column=column) for name, column in REQUEST_COLUMNS.items()}


@dataclass(frozen=True)
class BundleRecord:
    reference: str
    kind: str
    status: str
    reported_on: str
    borough: str
    strands: list[str]
    your_role: str
    what_happened: str


@dataclass(frozen=True)
class Bundle:
    request: str
    organisation: str
    received_on: str
    made_on: str
    # The requester's details as each record holds them (a person may be held differently on each).
    your_details: list[dict[str, str]]
    records: list[BundleRecord]
    withheld: str = ("Other people's names and contact details are withheld: each appears as their role "
                     "(for example [Witness]).")
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


_CONTACT_FIELDS = ("email", "phone", "address", "postcode")


@decrypts
def _others_withheld(text: str, others: list[RecordPerson]) -> str:
    """The narrative with each other person's name replaced by their role (the masking an anonymised
    share gets, cases.selectors.masked_narrative), and their contact details as well."""
    text = masked_narrative(text, others, Access.ANONYMISED)
    for link in others:
        role = f"[{link.get_role_display()}]"
        for name in _CONTACT_FIELDS:
            value = decrypt(getattr(link.person, name), column=person_column(name)).strip()
            if len(value) >= 2:
                text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", role, text, flags=re.IGNORECASE)
    return text


@decrypts
def bundle_make(*, actor: User, request: SubjectRequest) -> Bundle:
    """The subject access bundle: what the organisation holds on the confirmed people, nobody else's
    personal data. Audited (which request, how many records), never what it holds."""
    _require_own(actor, request)
    confirmed = list(SubjectMatch.objects.filter(request=request, status=MatchStatus.CONFIRMED)
                     .values_list("person_id", flat=True))
    links = list(RecordPerson.objects.filter(person_id__in=confirmed, record__organisation_id=request.organisation_id)
                 .select_related("person", "record", "record__borough").order_by("record__reported_at", "record_id")
                 .prefetch_related(Prefetch("record__strands",
                                            queryset=RecordStrand.objects.select_related("strand", "perceiver"))))
    others_by_record: dict[int, list[RecordPerson]] = {}
    for other in (RecordPerson.objects.filter(record_id__in=[link.record_id for link in links])
                  .exclude(person_id__in=confirmed).select_related("person")):
        others_by_record.setdefault(other.record_id, []).append(other)
    details: list[dict[str, str]] = []
    for person in {link.person_id: link.person for link in links}.values():
        held = {name: decrypt(getattr(person, name), column=person_column(name)) for name in PERSON_ENCRYPTED_FIELDS}
        if held not in details:
            details.append(held)
    records = []
    for link in links:
        record = link.record
        strands = [
            f"{row.strand.label}, perceived by {row.perceiver.label.lower()}"
            for row in record.strands.all()
        ]
        narrative = decrypt(record.narrative, column=NARRATIVE_COLUMN)
        records.append(BundleRecord(
            reference=record.reference, kind=str(record.get_kind_display()), status=str(record.get_status_display()),
            reported_on=f"{timezone.localtime(record.reported_at):%-d %B %Y}",
            borough=record.borough.label if record.borough else "", strands=strands,
            your_role=str(link.get_role_display()),
            what_happened=(_others_withheld(narrative, others_by_record.get(record.pk, []))
                           if record.disposed_at is None else "Disposed of at the end of its retention period"),
        ))
    today = timezone.localdate()
    bundle = Bundle(
        request=request.reference, organisation=request.organisation.name, received_on=f"{request.received_on:%-d %B %Y}",
        made_on=f"{today:%-d %B %Y}", your_details=details, records=records,
    )
    with transaction.atomic():
        audit_event_write(actor=actor, action=actions.BUNDLE_MAKE, target=request, target_label=request.reference,
                          changes={"records": len(records), "people": len(details)})
    return bundle


@dataclass(frozen=True)
class MatchView:
    match: SubjectMatch
    records: list[tuple[int, str]]  # (id, reference) of the organisation's records the person is on
    # The ids of those records the handler may open (an organisation administrator reads none).
    readable: frozenset[int] = frozenset()


def matches_of(*, request: SubjectRequest, user: User | None = None) -> list[MatchView]:
    """The people proposed for a request the caller has already found for its handler, with the
    organisation's records each is on (references only: the handler reads them through the record
    pages, where ``user`` may open them)."""
    matches = list(SubjectMatch.objects.filter(request=request).order_by("id"))
    on: dict[int, list[tuple[int, str]]] = {}
    for person_id, record_id, reference in (
        RecordPerson.objects.filter(person_id__in=[m.person_id for m in matches],
                                    record__organisation_id=request.organisation_id)
        .order_by("record__reference").values_list("person_id", "record_id", "record__reference")
    ):
        on.setdefault(person_id, []).append((record_id, reference))
    listed = {record_id for records in on.values() for record_id, _ in records}
    readable = frozenset(Record.objects.visible_to(user).filter(pk__in=listed).values_list("pk", flat=True)) \
        if user is not None and listed else frozenset()
    return [MatchView(match=m, records=on.get(m.person_id, []), readable=readable) for m in matches]
