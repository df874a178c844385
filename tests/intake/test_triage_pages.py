"""The triage queue shows one page at a time, so a surge of reports cannot slow it down."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import World
from tests.intake.factories import submit
from umbrella.intake.views import TRIAGE_PAGE_SIZE

pytestmark = pytest.mark.django_db


def _rows(html: str) -> int:
    return len(re.findall(r'href="/intake/reports/\d+/"', html))


def test_the_queue_is_paginated_oldest_first_with_the_total(world: World) -> None:
    for _ in range(TRIAGE_PAGE_SIZE + 5):
        submit(destination="police", anonymous=True, contact_email="")
    client = Client()
    client.force_login(world.officer)
    first = client.get(reverse("intake:triage")).content.decode()
    assert f"Waiting ({TRIAGE_PAGE_SIZE + 5})" in first
    assert _rows(first) == TRIAGE_PAGE_SIZE and "Page 1 of 2" in first and 'rel="next"' in first
    second = client.get(reverse("intake:triage"), {"page": 2}).content.decode()
    assert _rows(second) == 5 and "Page 2 of 2" in second and 'rel="prev"' in second


def test_the_queue_costs_the_same_with_5_or_55_reports(world: World) -> None:
    client = Client()
    client.force_login(world.officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("intake:triage")).status_code == 200
        return len(captured)

    for _ in range(5):
        submit(destination="police", anonymous=True, contact_email="")
    queries()  # the first request of a session also loads what later ones find cached
    few = queries()
    for _ in range(50):
        submit(destination="police", anonymous=True, contact_email="")
    assert queries() == few
