"""Personal data stays where it belongs: ciphertext in the database, nothing in logs, URLs or error pages."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Person, Record
from umbrella.core.logging import redact

VICTIM = PersonInput(
    role="victim", given_name="Zainab", family_name="Quayle-Hassan", date_of_birth=date(1987, 6, 14),
    email="zainab.qh@example.org", phone="07700 900461", address="41 Wren Gardens", postcode="E8 3RL",
)
NARRATIVE = "Zainab was spat at by a neighbour who shouted slurs about her hijab."
SECRETS = (
    "Zainab", "Quayle-Hassan", "1987-06-14", "zainab.qh@example.org", "07700 900461", "07700900461",
    "Wren Gardens", "E8 3RL", "spat at by a neighbour",
)


def _leaks(text: str) -> list[str]:
    return [secret for secret in SECRETS if secret.lower() in text.lower()]


@pytest.fixture
def record(world: Any) -> Record:
    return make_record(actor=world.officer, narrative=NARRATIVE, people=[VICTIM])


def _logged_in(user: Any, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


# ---- the database ---------------------------------------------------------------------------


def test_the_database_holds_ciphertext_only(record: Record) -> None:
    person = Person.objects.get(roles__record=record)
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM cases_record WHERE id = %s", [record.pk])
        (narrative,) = cursor.fetchone()
        cursor.execute(
            "SELECT given_name, family_name, date_of_birth, email, phone, address, postcode "
            "FROM cases_person WHERE id = %s", [person.pk],
        )
        identity = cursor.fetchone()
        cursor.execute("SELECT * FROM cases_person WHERE id = %s", [person.pk])
        whole_person_row = cursor.fetchone()
        cursor.execute("SELECT * FROM cases_record WHERE id = %s", [record.pk])
        whole_record_row = cursor.fetchone()
        cursor.execute("SELECT changes, target_label FROM audit_auditevent")
        audit_rows = cursor.fetchall()
    assert all(value.startswith("enc1:") for value in (narrative, *identity)), "every identity field is set"
    assert _leaks(str(whole_person_row)) == []
    assert _leaks(str(whole_record_row)) == []
    assert _leaks(str(audit_rows)) == []
    # The same person typed again encrypts differently (random nonces), but matches by blind index.
    twin = make_record(actor=record.created_by, people=[VICTIM])
    twin_person = Person.objects.get(roles__record=twin)
    assert twin_person.given_name != person.given_name
    assert twin_person.name_dob_index == person.name_dob_index != ""


# ---- logs -----------------------------------------------------------------------------------


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """What the configured log handlers (with their redaction filter) would have written."""
    buffer = io.StringIO()
    handlers = {h for name in ("", "django", "django.request", "django.server") for h in logging.getLogger(name).handlers}
    streams = [h for h in handlers if isinstance(h, logging.StreamHandler) and h.get_name() == "console"]
    assert streams, "the project's LOGGING configures stream handlers"
    previous = [h.setStream(buffer) for h in streams]
    try:
        yield buffer
    finally:
        for handler, stream in zip(streams, previous, strict=True):
            handler.setStream(stream)  # type: ignore[arg-type]


def test_no_personal_data_in_logs_while_recording_reading_and_failing(
    world: Any, log_output: io.StringIO
) -> None:
    record = make_record(actor=world.officer, narrative=NARRATIVE, people=[VICTIM])
    client = _logged_in(world.officer, raise_request_exception=False)
    assert NARRATIVE in client.get(reverse("cases:record-detail", args=[record.pk])).content.decode()

    def fail(*args: Any, **kwargs: Any) -> Any:
        # An exception whose message carries personal data, as a careless library might raise.
        raise ValueError(f"could not format {VICTIM.given_name} {VICTIM.family_name} {VICTIM.email} {VICTIM.phone}")

    with mock.patch("umbrella.cases.views.timeline_entries", fail):
        failed = client.get(reverse("cases:record-detail", args=[record.pk]))
    assert failed.status_code == 500
    # Third-party code logging values directly is redacted too.
    logging.getLogger("somelibrary").warning(
        "lookup failed for %s %s %s born %s", VICTIM.email, VICTIM.phone, VICTIM.postcode, "1987-06-14"
    )
    written = log_output.getvalue()
    assert "Internal Server Error" in written and "[ValueError]" in written  # the failure is still visible
    assert "lookup failed for [email] [phone] [postcode] born [date]" in written
    assert _leaks(written) == []


def test_redaction_strips_query_strings_and_contact_details() -> None:
    assert redact("GET /records/?q=Zainab&dob=1987-06-14 500") == "GET /records/?[query] 500"
    assert redact("+44 7700 900461 or e8 3rl") == "[phone] or [postcode]"
    assert redact("call 07700 900461 now, born 14/06/1987") == "call [phone] now, born [date]"
    assert redact("record 123456789012 of 2026") == "record 123456789012 of 2026"
    assert redact("born 3rd of March 1987, seen March 3, 2019 and 12 dec 2020") == "born [date], seen [date] and [date]"
    assert redact("in May 2019 the 5 people met") == "in May 2019 the 5 people met"  # a month alone is not a date


# ---- URLs -----------------------------------------------------------------------------------

_PERSONAL_WORDS = re.compile(r"name|dob|birth|email|phone|address|postcode|narrative", re.IGNORECASE)


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_no_url_pattern_carries_personal_data() -> None:
    patterns = list(_patterns(get_resolver()))
    assert any("records/<int:record_id>/" in p for p in patterns)
    parameters = {name for p in patterns for name in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", p) for name in name if name}
    assert parameters and not [name for name in parameters if _PERSONAL_WORDS.search(name)]


def test_the_app_s_own_links_never_carry_personal_data(world: Any, record: Record) -> None:
    client = _logged_in(world.supervisor)
    pages = [
        reverse("cases:home"),
        reverse("cases:record-list"),
        reverse("cases:record-list") + "?page=1&sort=reference",
        reverse("cases:record-detail", args=[record.pk]),
        reverse("audit_search:search") + f"?reference={record.reference}",
    ]
    links: list[str] = []
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        links += re.findall(r'(?:href|action|hx-get|hx-post|src)="([^"]*)"', html)
    detail = client.get(reverse("cases:record-detail", args=[record.pk])).content.decode()
    assert "Zainab Quayle-Hassan" in detail  # the page does show the person to an entitled user
    assert len(links) > 20
    assert _leaks(" ".join(links)) == []


# ---- error pages ----------------------------------------------------------------------------


def test_the_500_page_shows_the_request_id_and_nothing_personal(world: Any, record: Record, settings: Any) -> None:
    assert settings.DEBUG is False
    client = _logged_in(world.officer, raise_request_exception=False)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{VICTIM.given_name} {VICTIM.family_name}: {NARRATIVE}")

    with mock.patch("umbrella.cases.views.timeline_entries", fail):
        response = client.get(reverse("cases:record-detail", args=[record.pk]), HTTP_X_REQUEST_ID="req-500-test")
    page = response.content.decode()
    assert response.status_code == 500
    assert response["X-Request-ID"] == "req-500-test"
    assert "Sorry, there is a problem with the service" in page
    assert '<strong class="umbrella-request-id">req-500-test</strong>' in page
    assert _leaks(page) == [] and "RuntimeError" not in page and "Traceback" not in page


def test_a_missing_record_page_says_nothing_about_it(world: Any, record: Record) -> None:
    response = _logged_in(world.outsider).get(reverse("cases:record-detail", args=[record.pk]))
    assert response.status_code == 404
    assert _leaks(response.content.decode()) == [] and record.reference not in response.content.decode()


# ---- transactions ---------------------------------------------------------------------------


def test_a_rolled_back_write_leaves_no_audit_event(world: Any) -> None:
    events, records = AuditEvent.objects.count(), Record.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        make_record(actor=world.officer, narrative=NARRATIVE, people=[VICTIM])
        # Written inside the same transaction (with the review queue's event for a flagged record).
        assert AuditEvent.objects.filter(action="record.create").exists()
        assert AuditEvent.objects.count() > events
        raise RuntimeError("the caller's transaction fails after the write")
    assert (AuditEvent.objects.count(), Record.objects.count()) == (events, records)


def test_a_write_failing_half_way_leaves_neither_rows_nor_an_event(world: Any) -> None:
    events, people = AuditEvent.objects.count(), Person.objects.count()
    with (
        mock.patch("umbrella.cases.services.RecordPerson.objects.create", side_effect=RuntimeError("disk full")),
        pytest.raises(RuntimeError),
    ):
        make_record(actor=world.officer, narrative=NARRATIVE, people=[VICTIM])
    assert (AuditEvent.objects.count(), Person.objects.count(), Record.objects.count()) == (events, people, 0)
