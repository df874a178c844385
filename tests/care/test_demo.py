from __future__ import annotations

import pytest
from django.utils import timezone

from tests.care.factories import victim_service
from tests.conftest import World
from tests.factories import UserFactory, make_record
from umbrella.accounts.models import Role
from umbrella.care.demo import load_demo
from umbrella.care.models import Referral, Timer, TimerStatus

pytestmark = pytest.mark.django_db


def test_demo_adds_care_and_referrals_once(world: World) -> None:
    service = victim_service()
    service.slug = "harbour"
    service.save()
    UserFactory(username="harbour.worker", organisation=service, role=Role.PARTNER_CASEWORKER)
    for _ in range(6):
        make_record(actor=world.officer)
    summary = load_demo(seed=1, now=timezone.now())
    assert "referrals" in summary
    assert Referral.objects.filter(to_organisation=service).count() == 3
    assert Timer.objects.filter(status=TimerStatus.MET).exists()
    assert Timer.objects.filter(status=TimerStatus.MISSED).exists()
    assert "already" in load_demo(seed=1, now=timezone.now())
