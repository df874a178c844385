"""The demo's subject access request: a victim of one of the force's records asked for their data a
week before the demo's day; the force's supervisor has recorded it, and confirmed the person found
by name and date of birth, so the request page shows a deadline, a confirmed match and a bundle to
download. It stays open for the person trying the demo to close."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from umbrella.accounts.models import Role, User
from umbrella.audit.reads import decrypts
from umbrella.cases.models import PersonRole, RecordPerson, person_column
from umbrella.crypto.fields import decrypt
from umbrella.demo.models import DemoRun
from umbrella.subject_access.models import MatchHow, SubjectMatch, SubjectRequest
from umbrella.subject_access.services import match_decide, subject_request_open


@decrypts
def load_demo(*, seed: int, now: datetime) -> str:
    run = DemoRun.objects.order_by("pk").first()
    if run is None:
        return "subject access: no demo run."
    if SubjectRequest.objects.exists():
        return "subject access: a request is there already."
    link = (RecordPerson.objects.filter(role=PersonRole.VICTIM, record__organisation__kind="police_force",
                                        record__disposed_at__isnull=True)
            .exclude(person__name_dob_index="").select_related("person", "record").order_by("record__reported_at", "pk")
            .first())
    supervisor = (User.objects.filter(organisation_id=link.record.organisation_id, role=Role.SUPERVISOR, is_active=True)
                  .order_by("pk").first() if link is not None else None)
    if link is None or supervisor is None:
        return "subject access: no victim with a name and date of birth to ask; no request."
    person = link.person
    request = subject_request_open(
        actor=supervisor, kind="access", received_on=(run.anchor - timedelta(days=7)).date(),
        given_name=decrypt(person.given_name, column=person_column("given_name")),
        family_name=decrypt(person.family_name, column=person_column("family_name")),
        date_of_birth=date.fromisoformat(decrypt(person.date_of_birth, column=person_column("date_of_birth"))),
    )
    confirmed = 0
    for match in SubjectMatch.objects.filter(request=request, how=MatchHow.NAME_AND_BIRTH).order_by("pk"):
        match_decide(actor=supervisor, match=match, confirmed=True)
        confirmed += 1
    return f"subject access: {request.reference} recorded for a victim, {confirmed} match confirmed; left open."
