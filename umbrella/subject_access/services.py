"""Opening a person's request, finding them in the organisation's records, confirming who is who,
and closing the request. Every step is atomic and audited; no audit event holds what the requester
gave (it names the request, the counts and the decision only)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Person
from umbrella.core.dates import months_old_cutoff, months_on
from umbrella.core.working_days import is_working_day
from umbrella.crypto.fields import (
    blind_index,
    encrypt,
    name_dob_index,
    normalise_email,
    normalise_phone,
)
from umbrella.intelligence.people import people_linked_to
from umbrella.subject_access import actions
from umbrella.subject_access.models import (
    REQUEST_COLUMNS,
    ExtensionGround,
    MatchHow,
    MatchStatus,
    RequestKind,
    RequestStatus,
    SubjectMatch,
    SubjectRequest,
)
from umbrella.subject_access.policy import can_handle_subject_requests

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def _months_on(start: date, months: int) -> date:
    """The same date ``months`` calendar months on (the month's last day when it has no such date),
    moved to the next working day."""
    due = months_on(start, months)
    while not is_working_day(due):
        due += timedelta(days=1)
    return due


def statutory_due(received_on: date) -> date:
    """One calendar month from the day the request is received (UK GDPR Article 12(3); DPA 2018
    section 54 for law enforcement processing), counted as the ICO's guidance counts it: to the same
    date of the next month, or that month's last day when it has no such date, moved to the next
    working day when it falls on a weekend or a bank holiday. Not in ../shared/DOMAIN.md: the ICO's
    right-of-access guidance is the source. An extension (two further months for complex requests)
    is a decision recorded on the request, not computed here."""
    return _months_on(received_on, 1)


def _require_handler(actor: User) -> None:
    if not can_handle_subject_requests(actor):
        raise PermissionDenied("Only the organisation's supervisors, partner managers and administrators handle these requests.")


@transaction.atomic
def subject_request_open(
    *,
    actor: User,
    kind: str,
    received_on: date,
    given_name: str = "",
    family_name: str = "",
    date_of_birth: date | None = None,
    email: str = "",
    phone: str = "",
) -> SubjectRequest:
    """Records the request, works out its deadline and proposes the people of the actor's
    organisation who may be the requester (``matches_find``)."""
    _require_handler(actor)
    errors: dict[str, list[str]] = {}
    if kind not in RequestKind.values:
        errors["kind"] = ["Choose what the person is asking for"]
    if received_on > timezone.localdate():
        errors["received_on"] = ["The date the request was received must be today or in the past"]
    named = bool(given_name.strip() or family_name.strip())
    if not ((named and date_of_birth) or email.strip() or phone.strip()):
        errors["__all__"] = ["Give the person's name and date of birth, or their e-mail address or phone number, "
                             "so their records can be found"]
    if errors:
        raise ValidationError(errors)
    organisation_id = actor.organisation_id
    assert organisation_id is not None  # a handler always has one

    def seal(name: str, value: str) -> str:
        return encrypt(value.strip(), organisation_id=organisation_id, column=REQUEST_COLUMNS[name]) or ""

    request = SubjectRequest.objects.create(
        organisation_id=organisation_id, kind=kind, received_on=received_on, due_on=statutory_due(received_on),
        given_name=seal("given_name", given_name), family_name=seal("family_name", family_name),
        date_of_birth=seal("date_of_birth", date_of_birth.isoformat() if date_of_birth else ""),
        email=seal("email", email), phone=seal("phone", phone), created_by=actor,
    )
    found = _matches_find(
        request, name_dob=name_dob_index(given_name, family_name, date_of_birth.isoformat() if date_of_birth else ""),
        email=blind_index("email", normalise_email(email)), phone=blind_index("phone", normalise_phone(phone)),
    )
    audit_event_write(actor=actor, action=actions.REQUEST_OPEN, target=request, target_label=request.reference,
                      changes={"kind": kind, "received_on": received_on.isoformat(), "due_on": request.due_on.isoformat(),
                               "proposed": found})
    return request


def _matches_find(request: SubjectRequest, *, name_dob: str, email: str, phone: str) -> int:
    """Proposes the organisation's people with the same name and date of birth, the same e-mail
    address or phone number, and those record linkage put with any of them (a typo in a name, a
    new phone). Only the requesting organisation's people: what others hold is theirs to answer."""
    people = Person.objects.filter(organisation_id=request.organisation_id)
    how: dict[int, str] = {}
    if name_dob:
        how.update(dict.fromkeys(people.filter(name_dob_index=name_dob).values_list("pk", flat=True),
                                 MatchHow.NAME_AND_BIRTH))
    if email:
        for pk in people.filter(email_index=email).values_list("pk", flat=True):
            how.setdefault(pk, MatchHow.CONTACT)
    if phone:
        for pk in people.filter(phone_index=phone).values_list("pk", flat=True):
            how.setdefault(pk, MatchHow.CONTACT)
    if how:
        for pk in people_linked_to(person_ids=list(how), organisation_id=request.organisation_id):
            how.setdefault(pk, MatchHow.LINKED)
    SubjectMatch.objects.bulk_create([SubjectMatch(request=request, person_id=pk, how=way) for pk, way in sorted(how.items())])
    return len(how)


def _request_of(actor: User, request: SubjectRequest) -> SubjectRequest:
    _require_handler(actor)
    # Another organisation's request: SubjectRequest.DoesNotExist, as if missing.
    return SubjectRequest.objects.select_for_update().get(pk=request.pk, organisation_id=actor.organisation_id or 0)


@transaction.atomic
def match_decide(*, actor: User, match: SubjectMatch, confirmed: bool) -> SubjectMatch:
    """The handler says whether a proposed person is the requester (only the confirmed go in the bundle)."""
    request = _request_of(actor, match.request)
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is closed: its matches are decided already.")
    match = SubjectMatch.objects.select_for_update().get(pk=match.pk, request=request)
    match.status = MatchStatus.CONFIRMED if confirmed else MatchStatus.REJECTED
    match.decided_by, match.decided_at = actor, timezone.now()
    match.save(update_fields=["status", "decided_by", "decided_at"])
    audit_event_write(actor=actor, action=actions.MATCH_DECIDE, target=request, target_label=request.reference,
                      changes={"match": match.pk, "person": match.person_id, "status": match.status})
    return match


def extension_refusal(request: SubjectRequest) -> str:
    """Why the request's deadline cannot be extended now, or "" when it can (the page offers the
    extension only then)."""
    if request.status != RequestStatus.OPEN:
        return "This request is closed already."
    if request.first_due_on is not None:
        return "This request has been extended already: the law allows one extension of two months."
    if timezone.localdate() > request.due_on:
        return "The first month has ended: an extension must be decided, and the person told, within it."
    return ""


@transaction.atomic
def subject_request_extend(*, actor: User, request: SubjectRequest, ground: str) -> SubjectRequest:
    """Extends the deadline by two further months, once, on one of the law's grounds (a complex
    request, or a number of requests from the person; UK GDPR Art. 12(3)). Only while the first
    month runs: the person must be told of the extension, and why, within it."""
    request = _request_of(actor, request)
    refusal = extension_refusal(request)
    if refusal:
        raise ValidationError(refusal)
    if ground not in ExtensionGround.values:
        raise ValidationError({"ground": ["Choose why the request needs longer"]})
    request.first_due_on, request.extension_ground = request.due_on, ground
    request.due_on = _months_on(request.received_on, 3)
    request.save(update_fields=["first_due_on", "extension_ground", "due_on"])
    audit_event_write(actor=actor, action=actions.REQUEST_EXTEND, target=request, target_label=request.reference,
                      changes={"ground": ground, "due_on": request.due_on.isoformat(),
                               "first_due_on": request.first_due_on.isoformat()})
    return request


@transaction.atomic
def subject_request_close(*, actor: User, request: SubjectRequest, status: str, reason: str) -> SubjectRequest:
    """Completes or refuses the request, with the reason (what was sent or corrected, or the grounds)."""
    request = _request_of(actor, request)
    if request.status != RequestStatus.OPEN:
        raise ValidationError("This request is closed already.")
    if status not in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise ValidationError({"status": ["Choose completed or refused"]})
    if not reason.strip():
        raise ValidationError({"reason": ["Say what was done, or why the request is refused"]})
    request.status, request.closed_by, request.closed_at = status, actor, timezone.now()
    request.decision_reason = encrypt(reason.strip(), organisation_id=request.organisation_id,
                                      column=REQUEST_COLUMNS["decision_reason"]) or ""
    request.save(update_fields=["status", "closed_by", "closed_at", "decision_reason"])
    audit_event_write(actor=actor, action=actions.REQUEST_CLOSE, target=request, target_label=request.reference,
                      changes={"status": status, "on_time": timezone.localdate() <= request.due_on})
    return request


@transaction.atomic
def closed_requests_dispose(*, today: date) -> int:
    """Removes what closed requests hold about their requester once they have been kept their
    months after closing: what the requester gave, the decision's reason, and the people found
    (the link between a request and a person says who asked). The reference, kind, dates and outcome
    stay. A system job, run daily; returns how many requests it emptied, and audits the count."""
    months = settings.UMBRELLA_SUBJECT_REQUEST_KEEP_MONTHS
    due = SubjectRequest.objects.select_for_update().filter(
        closed_at__lt=months_old_cutoff(today, months), details_disposed_at=None).exclude(status=RequestStatus.OPEN)
    ids = list(due.values_list("pk", flat=True))
    if ids:
        SubjectMatch.objects.filter(request_id__in=ids).delete()
        SubjectRequest.objects.filter(pk__in=ids).update(
            details_disposed_at=timezone.now(), **dict.fromkeys(SubjectRequest.ENCRYPTED.fields, ""))
    audit_event_write(actor=None, action=actions.REQUESTS_DISPOSE, target=None, target_label="closed subject requests",
                      changes={"disposed": len(ids), "kept_months": months, "today": today.isoformat()})
    return len(ids)
