"""Opening, matching, deciding and closing a person's request; the deadline; who may handle it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.conftest import World
from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.subject_access.models import (
    MatchHow,
    MatchStatus,
    RequestStatus,
    SubjectMatch,
    SubjectRequest,
)
from umbrella.subject_access.selectors import (
    bundle_make,
    request_get,
    requests_for,
    working_days_left,
)
from umbrella.subject_access.services import (
    match_decide,
    statutory_due,
    subject_request_close,
    subject_request_open,
)

pytestmark = pytest.mark.django_db

AMINA = {"given_name": "Amina", "family_name": "Okafor", "date_of_birth": date(1990, 4, 12)}


@pytest.mark.parametrize(("received", "due"), [
    (date(2027, 9, 3), date(2027, 10, 4)),  # 3 October 2027 is a Sunday: the next working day
    (date(2027, 1, 31), date(2027, 3, 1)),  # no 31 February: its last day, a Sunday, then Monday
    (date(2028, 1, 31), date(2028, 2, 29)),  # a leap year's February
    (date(2027, 12, 24), date(2028, 1, 24)),  # across the year
    (date(2027, 4, 28), date(2027, 5, 28)),
    (date(2027, 11, 25), date(2027, 12, 29)),  # 25 December, then Boxing Day (a Sunday) moved to the 28th
])
def test_the_deadline_is_one_calendar_month_moved_to_a_working_day(received: date, due: date) -> None:
    assert statutory_due(received) == due


def test_a_request_finds_the_person_by_name_and_birth_or_contact_and_only_in_its_own_organisation(world: World) -> None:
    record = make_record(actor=world.officer, narrative="Amina Okafor was abused by a neighbour. Sam Price saw it.", people=[
        PersonInput(role="victim", email="amina@example.org", **AMINA),
        PersonInput(role="witness", given_name="Sam", family_name="Price", date_of_birth=date(1985, 1, 2), phone="07700 900456"),
    ])
    make_record(actor=world.caseworker, people=[PersonInput(role="victim", **AMINA)])  # the centre's: not the force's to give
    request = subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5),
                                   given_name="AMINA", family_name="okafor", date_of_birth=date(1990, 4, 12))
    (match,) = SubjectMatch.objects.filter(request=request)
    assert (match.how, match.status, match.person.organisation_id) == (MatchHow.NAME_AND_BIRTH, MatchStatus.PROPOSED, world.force.pk)
    by_email = subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5), email=" Amina@Example.org")
    assert SubjectMatch.objects.get(request=by_email).how == MatchHow.CONTACT

    assert bundle_make(actor=world.supervisor, request=request).records == []  # nobody confirmed yet
    match_decide(actor=world.supervisor, match=match, confirmed=True)
    bundle = bundle_make(actor=world.supervisor, request=request)
    (held,) = bundle.records
    assert held.reference == record.reference and held.your_role == "Victim"
    assert "Amina Okafor was abused" in held.what_happened and "Sam" not in held.what_happened
    assert "[Witness] saw it" in held.what_happened
    assert bundle.your_details == [{**AMINA, "date_of_birth": "1990-04-12", "email": "amina@example.org", "phone": "", "address": "", "postcode": ""}]
    # Every step audited, and no event holds what the requester gave.
    events = AuditEvent.objects.filter(action__startswith="subject_request.")
    assert sorted(events.values_list("action", flat=True)) == sorted([
        "subject_request.open", "subject_request.open", "subject_request.bundle", "subject_request.bundle",
        "subject_request.match_decide"])
    assert not [e for e in events if "Okafor" in str(e.changes) or "amina" in str(e.changes).lower()]


def test_only_the_organisations_handlers_see_or_decide_its_requests(world: World) -> None:
    with pytest.raises(PermissionDenied):
        subject_request_open(actor=world.officer, kind="access", received_on=date(2026, 1, 5), email="a@example.org")
    request = subject_request_open(actor=world.org_admin, kind="erasure", received_on=date(2026, 1, 5), email="a@example.org")
    assert list(requests_for(user=world.supervisor)) == [request]
    assert not requests_for(user=world.officer).exists() and not requests_for(user=world.caseworker).exists()
    with pytest.raises(SubjectRequest.DoesNotExist):
        request_get(user=world.outsider, request_id=request.pk)
    with pytest.raises(SubjectRequest.DoesNotExist):
        bundle_make(actor=world.outsider, request=request)


def test_bad_input_is_refused_and_nothing_is_stored(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5), given_name="Amina")
    assert "name and date of birth, or their e-mail address or phone number" in str(refused.value)
    with pytest.raises(ValidationError, match="today or in the past"):
        subject_request_open(actor=world.supervisor, kind="access", received_on=date(2999, 1, 1), email="a@example.org")
    assert not SubjectRequest.objects.exists()


def test_a_request_is_closed_with_its_reason_once(world: World) -> None:
    request = subject_request_open(actor=world.supervisor, kind="rectification", received_on=date(2026, 1, 5),
                                   email="a@example.org")
    with pytest.raises(ValidationError, match="Say what was done"):
        subject_request_close(actor=world.supervisor, request=request, status=RequestStatus.COMPLETED, reason=" ")
    closed = subject_request_close(actor=world.supervisor, request=request, status=RequestStatus.COMPLETED,
                                   reason="Date of birth corrected on MPS-1")
    assert closed.status == RequestStatus.COMPLETED and closed.closed_by == world.supervisor
    with pytest.raises(ValidationError, match="closed already"):
        subject_request_close(actor=world.supervisor, request=request, status=RequestStatus.REFUSED, reason="Again")
    assert request.due_on == date(2026, 2, 5) and working_days_left(request, today=date(2026, 1, 29)) == 5
    assert working_days_left(request, today=request.due_on) == 0
    assert working_days_left(request, today=date(2026, 3, 2)) < 0


def test_a_request_is_extended_once_by_two_months_within_its_first_month(world: World) -> None:
    import time_machine

    from umbrella.subject_access.services import subject_request_extend

    with time_machine.travel(date(2026, 1, 20)):
        request = subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5),
                                       email="a@example.org")
        with pytest.raises(ValidationError, match="Choose why"):
            subject_request_extend(actor=world.supervisor, request=request, ground="busy")
        with pytest.raises(PermissionDenied):
            subject_request_extend(actor=world.officer, request=request, ground="complex")
        extended = subject_request_extend(actor=world.supervisor, request=request, ground="complex")
        # 5 April 2026 is a Sunday, Easter: Monday 6 April is a bank holiday too, so the 7th.
        assert (extended.first_due_on, extended.due_on) == (date(2026, 2, 5), date(2026, 4, 7))
        with pytest.raises(ValidationError, match="extended already"):
            subject_request_extend(actor=world.supervisor, request=request, ground="numerous")
    event = AuditEvent.objects.get(action="subject_request.extend")
    assert event.changes == {"ground": "complex", "due_on": "2026-04-07", "first_due_on": "2026-02-05"}
    late = subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5), email="b@example.org")
    with time_machine.travel(date(2026, 2, 6)), pytest.raises(ValidationError, match="first month has ended"):
        subject_request_extend(actor=world.supervisor, request=late, ground="complex")
    late.refresh_from_db()
    assert late.first_due_on is None and late.due_on == date(2026, 2, 5)


def test_a_closed_request_keeps_the_requesters_details_for_its_months_then_loses_them(world: World) -> None:
    from datetime import timedelta

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from umbrella.subject_access.models import REQUEST_COLUMNS
    from umbrella.subject_access.services import closed_requests_dispose

    make_record(actor=world.officer, people=[PersonInput(role="victim", **AMINA)])
    closed = subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5), **AMINA)
    assert SubjectMatch.objects.filter(request=closed).exists()
    subject_request_close(actor=world.supervisor, request=closed, status=RequestStatus.COMPLETED,
                          reason="Bundle sent to Amina Okafor")
    still_open = subject_request_open(actor=world.supervisor, kind="access", received_on=date(2026, 1, 5), **AMINA)
    closed_on = timezone.localdate()

    # Kept 24 months after closing, to the day; then emptied, once.
    assert closed_requests_dispose(today=closed_on.replace(year=closed_on.year + 2) - timedelta(days=1)) == 0
    assert closed_requests_dispose(today=closed_on.replace(year=closed_on.year + 2) + timedelta(days=1)) == 1
    assert closed_requests_dispose(today=closed_on.replace(year=closed_on.year + 3)) == 0
    emptied = SubjectRequest.objects.get(pk=closed.pk)
    assert emptied.details_disposed_at is not None and emptied.status == RequestStatus.COMPLETED
    assert all(getattr(emptied, field) == "" for field in REQUEST_COLUMNS)
    assert not SubjectMatch.objects.filter(request=closed).exists()
    # An open request is never emptied, however old.
    assert SubjectMatch.objects.filter(request=still_open).exists()
    assert SubjectRequest.objects.get(pk=still_open.pk).given_name != ""
    events = list(AuditEvent.objects.filter(action="subject_request.dispose_closed").order_by("pk"))
    assert [event.changes["disposed"] for event in events] == [0, 1, 0]
    assert not any("Amina" in str(event.changes) or "Okafor" in str(event.changes) for event in events)

    client = Client()
    client.force_login(world.supervisor)
    page = client.get(f"/subject-access/{closed.pk}/").content.decode()
    assert "The requester's details and the people found were removed on" in page and "Okafor" not in page

    out = __import__("io").StringIO()
    call_command("subject_access", "dispose-closed", "--today", "2099-01-01", stdout=out)
    assert "0 closed requests emptied of the requester's details (kept 24 months after closing)." in out.getvalue()
