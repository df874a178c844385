"""A subject access request on the demo: a victim is found by name and date of birth, the handler
confirms them, and the bundle (JSON and PDF) holds their records and details and nobody else's."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.core.management import call_command
from django.db.models import Count

from tests.demo.conftest import demo, demo_once  # noqa: F401  (the module's demo, built once)
from tests.reads import decrypt
from umbrella.accounts.models import Role, User
from umbrella.cases.models import (
    PERSON_ENCRYPTED_FIELDS,
    Person,
    PersonRole,
    RecordPerson,
    person_column,
)
from umbrella.subject_access.models import MatchHow, MatchStatus, SubjectMatch, SubjectRequest
from umbrella.subject_access.pdf import bundle_pdf
from umbrella.subject_access.selectors import bundle_make
from umbrella.subject_access.services import match_decide, subject_request_open

pytestmark = pytest.mark.django_db


def held(person: Person) -> dict[str, str]:
    return {name: decrypt(getattr(person, name), column=person_column(name)) for name in PERSON_ENCRYPTED_FIELDS}


def pdf_text(content: bytes) -> str:
    """The text drawn on every page (fpdf2 writes core-font text as literal strings)."""
    with pikepdf.open(io.BytesIO(content)) as document:
        return "".join(pikepdf.unparse_content_stream(pikepdf.parse_content_stream(page)).decode("latin-1")
                       for page in document.pages)


@pytest.fixture
def victim_among_others(demo: str) -> RecordPerson:  # noqa: F811
    """A victim with a name and date of birth, on a force record that names other people too."""
    crowded = (RecordPerson.objects.values("record_id").annotate(people=Count("id")).filter(people__gte=2)
               .values_list("record_id", flat=True))
    for link in (RecordPerson.objects.filter(role=PersonRole.VICTIM, record_id__in=crowded, record__organisation__kind="police_force")
                 .exclude(person__name_dob_index="").select_related("person", "record").order_by("pk")):
        return link
    pytest.fail("the demo has no victim on a record with other people")


def test_the_bundle_holds_the_requesters_records_and_nobody_elses_data(victim_among_others: RecordPerson, tmp_path: Path) -> None:
    victim = victim_among_others
    handler = User.objects.filter(role=Role.SUPERVISOR, organisation=victim.record.organisation).order_by("pk").first()
    assert handler is not None
    them = held(victim.person)
    request = subject_request_open(
        actor=handler, kind="access", received_on=victim.record.reported_at.date(),
        given_name=them["given_name"], family_name=them["family_name"],
        date_of_birth=date.fromisoformat(them["date_of_birth"]),
    )
    proposed = list(SubjectMatch.objects.filter(request=request))
    assert victim.person_id in {m.person_id for m in proposed if m.how == MatchHow.NAME_AND_BIRTH}
    for match in proposed:
        if match.how == MatchHow.NAME_AND_BIRTH:
            match_decide(actor=handler, match=match, confirmed=True)

    bundle = bundle_make(actor=handler, request=request)
    as_json = json.dumps(bundle.as_json(), ensure_ascii=False)
    as_pdf = pdf_text(bundle_pdf(bundle, dated=request.received_on))
    assert victim.record.reference in as_json and victim.record.reference in as_pdf
    assert them["family_name"] in as_json and them["family_name"] in as_pdf
    confirmed = set(SubjectMatch.objects.filter(request=request, status=MatchStatus.CONFIRMED).values_list("person_id", flat=True))
    records = [r["reference"] for r in bundle.as_json()["records"]]
    others = RecordPerson.objects.filter(record__reference__in=records).exclude(person_id__in=confirmed).select_related("person")
    assert others.exists()  # the test means something: the records name other people
    leaked = []
    for other in others:
        details = held(other.person)
        for name in ("given_name", "family_name", "email", "phone", "address"):
            value = details[name]
            if len(value) >= 3 and value not in (them["given_name"], them["family_name"]):
                leaked += [f"{name} of a {other.role}" for text in (as_json, as_pdf) if value in text]
    assert not leaked, leaked


def test_the_command_opens_confirms_and_writes_the_bundle(victim_among_others: RecordPerson, tmp_path: Path) -> None:
    victim = victim_among_others
    handler = User.objects.filter(role=Role.SUPERVISOR, organisation=victim.record.organisation).order_by("pk").first()
    assert handler is not None
    them = held(victim.person)
    out = io.StringIO()
    call_command("subject_access", "open", "--as", handler.username, "--given-name", them["given_name"],
                 "--family-name", them["family_name"], "--date-of-birth", them["date_of_birth"], stdout=out)
    request = SubjectRequest.objects.order_by("-pk").first()
    assert request is not None
    assert f"{request.reference} opened: due" in out.getvalue() and "proposed; confirm" in out.getvalue()
    match = SubjectMatch.objects.get(request=request, person=victim.person)
    call_command("subject_access", "confirm", request.reference, str(match.pk), "--as", handler.username, stdout=out)
    call_command("subject_access", "bundle", request.reference, "--out", str(tmp_path), "--as", handler.username, stdout=out)
    written: dict[str, Any] = json.loads((tmp_path / f"{request.reference}.json").read_text())
    assert victim.record.reference in [r["reference"] for r in written["records"]]
    assert (tmp_path / f"{request.reference}.pdf").read_bytes().startswith(b"%PDF")


def test_the_demo_has_a_request_waiting_with_its_match_confirmed(demo: str) -> None:  # noqa: F811
    request = SubjectRequest.objects.order_by("pk").first()
    assert request is not None and request.status == "open" and request.kind == "access"
    assert SubjectMatch.objects.filter(request=request, status=MatchStatus.CONFIRMED).exists()
    assert "subject access: SR-" in demo
