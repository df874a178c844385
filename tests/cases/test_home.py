"""Each persona's home page starts with what they must do today, from every app's worklist."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tests.care.factories import give_consent, victim_service
from tests.conftest import World
from tests.factories import UserFactory, make_record
from umbrella.accounts.models import Role
from umbrella.care.models import Referral, Timer, TimerKind, TimerStatus
from umbrella.care.services import referral_create
from umbrella.consent.models import ConsentScope
from umbrella.review.models import ReviewItem

pytestmark = pytest.mark.django_db


def home_of(user: Any) -> str:
    client = Client()
    client.force_login(user)
    return client.get("/").content.decode()


def today_section(page: str) -> str:
    start = page.index('id="today"')
    return page[start:page.index("<h2", start + 1) if "<h2" in page[start + 1:] else len(page)]


def test_an_officer_sees_an_overdue_victim_update_first(world: World) -> None:
    record = make_record(actor=world.officer)
    Timer.objects.filter(record=record).update(status=TimerStatus.CANCELLED)
    due = timezone.now() - timedelta(days=2)
    Timer.objects.create(record=record, organisation_id=record.organisation_id, assignee_id=world.officer.pk,
                         kind=TimerKind.PROGRESS_UPDATE, due_at=due)
    section = today_section(home_of(world.officer))
    assert "What to do today (1)" in section
    assert "Overdue" in section and record.reference in section and "You" in section
    assert timezone.localtime(due).strftime("%-d %B %Y") in section  # as people write dates
    assert timezone.localtime(due).date().isoformat() not in section


def test_a_hub_reviewer_sees_the_flagged_records_waiting_for_review(world: World) -> None:
    record = make_record(actor=world.officer)
    ReviewItem.objects.filter(record=record).update(due_at=timezone.now() - timedelta(hours=1))
    section = today_section(home_of(world.hub_reviewer))
    assert "Hub review" in section and record.reference in section and "Overdue" in section


def test_a_victim_service_sees_the_referrals_it_must_answer(world: World) -> None:
    service = victim_service()
    caseworker = UserFactory(username="vs.caseworker", organisation=service, role=Role.PARTNER_CASEWORKER)
    record = make_record(actor=world.officer)
    give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    referral = referral_create(actor=world.officer, record=record, to_organisation=service, reason="Wants support")
    Referral.objects.filter(pk=referral.pk).update(sla_due_at=timezone.now() - timedelta(hours=3))
    section = today_section(home_of(caseworker))
    assert f"Accept or decline referral REF-{referral.pk} from {world.force.name}" in section
    assert f"/care/referrals/{referral.pk}/" in section


def test_nothing_due_says_so_and_another_organisations_work_never_shows(world: World) -> None:
    record = make_record(actor=world.officer)
    Timer.objects.filter(record=record).update(due_at=timezone.now() - timedelta(days=1))
    section = today_section(home_of(world.caseworker))  # a centre's caseworker: the force's timers are not theirs
    assert "Nothing is overdue, due today or waiting for you." in section
    assert record.reference not in section


def test_an_advisory_group_member_sees_the_tension_alerts_waiting_for_acknowledgement(world: World) -> None:
    from datetime import date

    from umbrella.tension.models import TensionAlert

    alert = TensionAlert.objects.create(source="umbrella", period_start=date(2026, 1, 1), strand="religion",
                                        sub_category="", area="london", observed=40, expected=10.0, threshold=20.0,
                                        score=2.5)
    section = today_section(home_of(world.scrutiny_member))
    assert "Tension alert" in section and f"/tension/alerts/{alert.pk}/" in section and "Waiting for you" in section


def test_a_housing_provider_sees_the_risk_actions_assigned_to_it_by_name(world: World) -> None:
    from tests.care.factories import council
    from tests.risk.factories import assess
    from umbrella.risk.models import ActionStatus, RiskAction, RiskPlan

    housing = council()
    officer_of_council = UserFactory(username="council.officer", organisation=housing, role=Role.PARTNER_CASEWORKER)
    record = make_record(actor=world.officer)
    assessment = assess(world.officer, record)
    plan = RiskPlan.objects.filter(record=record).first() or RiskPlan.objects.create(
        record=record, owner=world.force, assessment=assessment)
    RiskAction.objects.create(plan=plan, action_type="target_hardening", assigned_organisation=housing,
                              due_date=(timezone.now() - timedelta(days=1)).date(), status=ActionStatus.OPEN)
    page = home_of(officer_of_council)
    section = today_section(page)
    assert "Overdue" in section and record.reference in section
    actions = Client()
    actions.force_login(officer_of_council)
    listing = actions.get("/risk/actions/").content.decode()
    assert f"Anyone at {housing.name}" in listing and ">Anyone<" not in listing


@pytest.mark.parametrize("persona", ["call_handler", "analyst", "org_admin", "supervisor", "system_admin"])
def test_every_persona_starts_with_today_even_when_nothing_is_due(world: World, persona: str) -> None:
    record = make_record(actor=world.outsider)  # another force's work: never anyone's here
    Timer.objects.filter(record=record).update(due_at=timezone.now() - timedelta(days=1))
    page = home_of(getattr(world, persona))
    section = today_section(page)
    assert "Nothing is overdue, due today or waiting for you." in section
    assert record.reference not in page


def test_an_investigator_sees_the_victim_updates_on_their_own_cases_and_nothing_of_another_force(
    world: World,
) -> None:
    investigator = UserFactory(organisation=world.force, role=Role.INVESTIGATOR, username="investigator")
    mine = make_record(actor=world.officer)
    elsewhere = make_record(actor=world.outsider)
    due_today = timezone.now().replace(hour=23, minute=0) if timezone.now().hour < 23 else timezone.now()
    for record, due in ((mine, timezone.now() - timedelta(days=3)), (elsewhere, timezone.now() - timedelta(days=3))):
        Timer.objects.filter(record=record).update(status=TimerStatus.CANCELLED)
        Timer.objects.create(record=record, organisation_id=record.organisation_id, assignee_id=investigator.pk,
                             kind=TimerKind.PROGRESS_UPDATE, due_at=due)
    Timer.objects.create(record=mine, organisation_id=mine.organisation_id, assignee_id=investigator.pk,
                         kind=TimerKind.PROGRESS_UPDATE, due_at=due_today)
    section = today_section(home_of(investigator))
    assert "What to do today (2)" in section
    assert "Overdue" in section and mine.reference in section and "You" in section
    assert elsewhere.reference not in section


def test_a_centres_manager_sees_the_public_reports_waiting_for_triage_and_none_sent_to_the_police(
    world: World,
) -> None:
    from tests.intake.factories import centre_report, force_report

    manager = UserFactory(username="centre.manager", organisation=world.centre, role=Role.PARTNER_MANAGER)
    to_centre = centre_report(world)
    to_police = force_report(world)
    from umbrella.intake.models import Report

    # Triage is due two working days after the report came in: a week on, it is overdue.
    Report.objects.update(submitted_at=timezone.now() - timedelta(days=7))
    section = today_section(home_of(manager))
    assert "Overdue" in section
    assert f"Triage report {to_centre.reference}" in section and f"/intake/reports/{to_centre.pk}/" in section
    assert to_police.reference not in section
