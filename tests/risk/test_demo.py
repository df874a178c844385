from __future__ import annotations

import pytest
from django.utils import timezone

from tests.conftest import World
from tests.factories import OrganisationFactory, make_record
from umbrella.agencies.models import OrganisationKind
from umbrella.risk.demo import load_demo
from umbrella.risk.models import RiskAction, RiskAssessment

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_makes_plans_for_partners(world: World) -> None:
    OrganisationFactory(name="Eastside Borough Council", slug="eastside", reference_prefix="EBC",
                        kind=OrganisationKind.LOCAL_AUTHORITY)
    OrganisationFactory(name="Thameside Homes", slug="thameside", reference_prefix="THH",
                        kind=OrganisationKind.HOUSING_PROVIDER)
    for number in range(12):
        make_record(actor=world.officer, days_ago=number + 1)
    first = load_demo(seed=1, now=timezone.now())
    assert "12 assessments" in first
    assert RiskAssessment.objects.filter(computed_level="high").count() == 3
    assert RiskAction.objects.filter(assigned_organisation__slug="thameside").count() == 3
    assert RiskAction.objects.filter(due_date__lt=timezone.localdate()).exists()
    assert "already loaded" in load_demo(seed=1, now=timezone.now())
    assert RiskAssessment.objects.count() == 12
