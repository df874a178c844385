from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import OrganisationFactory, UserFactory, code
from umbrella.accounts.models import Role
from umbrella.agencies.models import OrganisationKind
from umbrella.cases.models import RecordShare
from umbrella.intake.demo import PLACES, load_demo
from umbrella.intake.models import Report


@pytest.mark.django_db
def test_demo_fills_queues_once(settings: Any, tmp_path: Path) -> None:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path
    for value in ("race", "religion", "sexual_orientation", "disability", "transgender"):
        code("strand", value)
    for value in ("victim", "witness", "third_party"):
        code("perceiver", value)
    for gss in PLACES:
        code("borough", gss, gss, gss=gss)
    force = OrganisationFactory(name="Metropolitan Police Service", slug="mps", reference_prefix="MPS")
    UserFactory(username="officer", organisation=force, role=Role.OFFICER)
    for slug, prefix in (("northbridge", "NJS"), ("crescent", "CRC"), ("prism", "PAV")):
        centre = OrganisationFactory(name=slug, slug=slug, reference_prefix=prefix,
                                     kind=OrganisationKind.THIRD_PARTY_CENTRE)
        UserFactory(username=f"caseworker.{slug}", organisation=centre, role=Role.PARTNER_CASEWORKER)
    summary = load_demo(seed=7, now=timezone.now())
    assert summary.startswith("intake: ")
    assert Report.objects.count() >= 40
    assert Report.objects.filter(organisation__slug="mps", status="new").exists()
    assert RecordShare.objects.filter(scope="anonymised").exists()
    count = Report.objects.count()
    load_demo(seed=7, now=timezone.now())
    assert Report.objects.count() == count
    # The force closed four as not hate reports; three more than a year ago, which the daily
    # retention run empties under the schedule's line for reports closed without a record.
    assert Report.objects.filter(organisation=force, status="closed", record=None).count() == 4
    from umbrella.retention.services import closed_reports_dispose

    assert closed_reports_dispose(actor=None, today=timezone.localdate()) == 3
