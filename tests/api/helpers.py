"""Helpers shared by the API tests: URLs, shares and problem-details assertions."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from umbrella.accounts.models import User
from umbrella.cases.models import Record, RecordShare, ShareScope

PROBLEM = "application/problem+json"


def list_url(**query: str) -> str:
    url = reverse("cases-api:record-list")
    if query:
        url = f"{url}?{urlencode(query)}"
    return url


def detail_url(record: Record | int) -> str:
    pk = record if isinstance(record, int) else record.pk
    return reverse("cases-api:record-detail", kwargs={"record_id": pk})


def share(record: Record, organisation: Any, *, scope: str = ShareScope.FULL, granted_by: User | None = None) -> RecordShare:
    return RecordShare.objects.create(
        record=record, organisation=organisation, scope=scope, granted_by=granted_by,
        consent_reference="CONSENT-1", reason="Victim asked us to pass it to the police",
    )


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status; returns its body."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["type"]
    assert body["detail"]
    assert body["instance"].startswith("urn:umbrella:request:")
    return body


def pointers(body: dict[str, Any]) -> set[str]:
    return {error["pointer"] for error in body.get("errors", [])}

