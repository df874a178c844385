"""Abuse resistance: honeypot, per-address rate limits, hostile input stored safely and shown inert."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.reporting.factories import reference_data, start, walk
from umbrella.core.models import RateCounter
from umbrella.intake.answers import ReportAnswers, answers_of
from umbrella.intake.models import Report
from umbrella.reporting.models import ReportDraft
from umbrella.reporting.ratelimit import LIMITS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(world: World) -> None:
    reference_data()


def test_honeypot_on_start_is_refused(client: Client) -> None:
    response = client.post(reverse("reporting:start"), {"website": "http://spam.example"})
    assert response.status_code == 400
    assert not ReportDraft.objects.exists()


def test_honeypot_on_sending_is_refused(client: Client) -> None:
    walk(client)
    response = client.post(reverse("reporting:check"), {"website": "http://spam.example"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_starting_too_often_from_one_address_is_refused(client: Client) -> None:
    for _ in range(LIMITS["start"]):
        assert client.post(reverse("reporting:start")).status_code == 302
    response = client.post(reverse("reporting:start"))
    assert response.status_code == 429
    assert "too many times" in response.content.decode()
    # Another address is not affected; only hashes of addresses are kept.
    assert client.post(reverse("reporting:start"), REMOTE_ADDR="10.1.2.3").status_code == 302
    assert not RateCounter.objects.filter(address_hash__contains="127.0.0.1").exists()


def test_submitting_too_often_is_refused(client: Client) -> None:
    for _ in range(LIMITS["submit"]):
        walk(client)
        assert client.post(reverse("reporting:check")).status_code == 302
    walk(client)
    assert client.post(reverse("reporting:check")).status_code == 429
    assert Report.objects.count() == LIMITS["submit"]


def test_scripts_are_stored_as_typed_and_shown_inert(client: Client) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    walk(client, what={"narrative": hostile})
    page = client.get(reverse("reporting:check")).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    client.post(reverse("reporting:check"))
    answers: ReportAnswers = answers_of(Report.objects.get())
    assert answers.narrative == hostile


def test_a_huge_text_gets_a_clear_error_with_the_limit(client: Client) -> None:
    start(client)
    response = client.post(reverse("reporting:step", args=["what"]), {"narrative": "x" * 100_000})
    page = response.content.decode()
    assert "must be 10000 characters or fewer" in page
    assert "You entered 100000 characters" in page


def test_null_characters_are_refused(client: Client) -> None:
    start(client)
    response = client.post(reverse("reporting:step", args=["what"]), {"narrative": "abc\x00def"})
    assert "There is a problem" in response.content.decode()


def test_direction_overrides_are_removed_and_other_unicode_kept(client: Client) -> None:
    walk(client, what={"narrative": "Said \u202egnirts\u202c to me 😡 ﷺ Zoë"})
    page = client.get(reverse("reporting:check")).content.decode()
    assert "\u202e" not in page
    assert "Said gnirts to me 😡 ﷺ Zoë" in page
