"""Referral criteria, repeat detection, who may share and see what, actions, minutes and audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conferences.factories import make_conference, refer
from tests.conftest import World
from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Record
from umbrella.conferences import actions, services
from umbrella.conferences.models import (
    ActionStatus,
    Conference,
    ConferenceReferral,
    ConferenceStatus,
    Criterion,
    ReferralStatus,
    SharedInformation,
)
from umbrella.conferences.selectors import agenda, conference_get, minutes_for

pytestmark = pytest.mark.django_db


def _high(monkeypatch: pytest.MonkeyPatch, level: str | None = "high") -> None:
    monkeypatch.setattr(services, "latest_risk_level", lambda **kwargs: level)


# --- referral criteria -------------------------------------------------------------------------


def test_high_risk_needs_a_high_latest_assessment(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    conference = make_conference(host_user=world.officer)
    record = make_record(actor=world.officer)
    _high(monkeypatch, "medium")
    with pytest.raises(ValidationError) as refused:
        refer(actor=world.officer, record=record, conference=conference, criteria=[Criterion.HIGH_RISK])
    assert "not high" in str(refused.value.message_dict["criteria"])
    _high(monkeypatch, "high")
    referral = refer(actor=world.officer, record=record, conference=conference, criteria=[Criterion.HIGH_RISK])
    assert referral.risk_level == "high"


def test_high_risk_without_any_assessment_is_refused(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    _high(monkeypatch, None)
    conference = make_conference(host_user=world.officer)
    with pytest.raises(ValidationError, match="no risk assessment"):
        refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference,
              criteria=[Criterion.HIGH_RISK])


@pytest.mark.parametrize("criterion", [Criterion.PROFESSIONAL_JUDGEMENT, Criterion.ESCALATION])
def test_judgement_and_escalation_need_a_rationale(world: World, criterion: str) -> None:
    conference = make_conference(host_user=world.officer)
    with pytest.raises(ValidationError) as refused:
        refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference,
              criteria=[criterion], rationale="  ")
    assert "rationale" in refused.value.message_dict


def test_no_criteria_is_refused(world: World) -> None:
    conference = make_conference(host_user=world.officer)
    with pytest.raises(ValidationError, match="at least one"):
        refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference, criteria=[])


def test_the_same_case_cannot_be_referred_twice_to_one_conference(world: World) -> None:
    conference = make_conference(host_user=world.officer)
    record = make_record(actor=world.officer)
    refer(actor=world.officer, record=record, conference=conference)
    with pytest.raises(ValidationError, match="already referred"):
        refer(actor=world.officer, record=record, conference=conference)


def test_a_record_the_referrer_cannot_see_is_missing(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    centre_record = make_record(actor=world.caseworker)
    with pytest.raises(Record.DoesNotExist):
        refer(actor=world.officer, record=centre_record, conference=conference)


def test_a_conference_the_referrer_does_not_attend_is_missing(world: World) -> None:
    conference = make_conference(host_user=world.officer)
    with pytest.raises(Conference.DoesNotExist):
        refer(actor=world.caseworker, record=make_record(actor=world.caseworker), conference=conference)


# --- repeat within 12 months --------------------------------------------------------------------


def _discussed(world: World, record: Record, *, days_ago: int) -> None:
    past = make_conference(host_user=world.officer, title="Earlier conference",
                           meets_at=timezone.now() - timedelta(days=days_ago))
    referral = refer(actor=world.officer, record=record, conference=past)
    services.referral_change_status(actor=world.officer, referral=referral, status=ReferralStatus.LISTED)
    services.referral_change_status(actor=world.officer, referral=referral, status=ReferralStatus.DISCUSSED)


def _victim(given: str = "Amina", family: str = "Okafor") -> list[PersonInput]:
    return [PersonInput(role="victim", given_name=given, family_name=family, date_of_birth=date(1990, 4, 2))]


def test_repeat_is_detected_for_the_same_victim_on_another_record(world: World) -> None:
    first = make_record(actor=world.officer, people=_victim())
    _discussed(world, first, days_ago=100)
    second = make_record(actor=world.officer, people=_victim())
    found = list(services.previous_conference_referrals(record=second))
    assert [r.record_id for r in found] == [first.pk]
    conference = make_conference(host_user=world.officer)
    referral = refer(actor=world.officer, record=second, conference=conference, criteria=[Criterion.REPEAT])
    assert referral.criteria == [Criterion.REPEAT]


def test_repeat_is_detected_across_organisations_by_blind_index(world: World) -> None:
    centre_record = make_record(actor=world.caseworker, people=_victim())
    centre_conference = make_conference(host_user=world.officer,
                                        attending=[world.centre], meets_at=timezone.now() - timedelta(days=30))
    referral = refer(actor=world.caseworker, record=centre_record, conference=None)
    referral.conference = centre_conference
    referral.status = ReferralStatus.DISCUSSED
    referral.save()
    force_record = make_record(actor=world.officer, people=_victim())
    assert services.previous_conference_referrals(record=force_record).exists()


def test_a_conference_more_than_12_months_ago_is_not_a_repeat(world: World) -> None:
    first = make_record(actor=world.officer, people=_victim())
    _discussed(world, first, days_ago=400)
    second = make_record(actor=world.officer, people=_victim())
    assert not services.previous_conference_referrals(record=second).exists()
    conference = make_conference(host_user=world.officer)
    with pytest.raises(ValidationError, match="last 12 months"):
        refer(actor=world.officer, record=second, conference=conference, criteria=[Criterion.REPEAT])


def test_a_different_victim_is_not_a_repeat(world: World) -> None:
    first = make_record(actor=world.officer, people=_victim())
    _discussed(world, first, days_ago=30)
    other = make_record(actor=world.officer, people=_victim("Bilal", "Hussain"))
    assert not services.previous_conference_referrals(record=other).exists()


# --- shared information -------------------------------------------------------------------------


def test_information_is_encrypted_and_seen_by_attendees_only(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    referral = refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
    services.information_add(actor=world.caseworker, referral=referral, text="Victim attends our drop-in weekly.")
    stored = SharedInformation.objects.get()
    assert "drop-in" not in stored.text and stored.text.startswith("enc1:")
    # Another attendee (the host) sees it on the agenda...
    items = agenda(user=world.officer, conference=conference_get(user=world.officer, conference_id=conference.pk))
    assert [i.text for i in items[0].information] == ["Victim attends our drop-in weekly."]
    # ...an organisation that does not attend cannot even find the conference.
    with pytest.raises(Conference.DoesNotExist):
        conference_get(user=world.other_caseworker, conference_id=conference.pk)
    with pytest.raises(ConferenceReferral.DoesNotExist):
        services.information_add(actor=world.other_caseworker, referral=referral, text="x")


def test_attendees_without_record_access_see_the_summary_not_the_record(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
    item = agenda(user=world.caseworker, conference=conference)[0]
    assert item.summary.startswith("Repeated racist abuse")
    assert item.can_open_record is False
    assert item.rationale == ""  # the referrer's reasons stay with the referrer and the host
    assert agenda(user=world.officer, conference=conference)[0].can_open_record is True


# --- actions, minutes, status ------------------------------------------------------------------


def test_the_assigned_partner_completes_an_action(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre, world.other_centre])
    referral = refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
    action = services.action_agree(
        actor=world.officer, referral=referral, description="Offer target hardening visit",
        assigned_organisation=world.centre, due_on=timezone.localdate() + timedelta(days=7),
    )
    with pytest.raises(PermissionDenied):
        services.action_complete(actor=world.other_caseworker, action=action)
    done = services.action_complete(actor=world.caseworker, action=action)
    assert done.status == ActionStatus.DONE and done.completed_by == world.caseworker
    with pytest.raises(ValidationError, match="already done"):
        services.action_complete(actor=world.caseworker, action=action)


def test_actions_go_only_to_attending_organisations(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    referral = refer(actor=world.officer, record=make_record(actor=world.officer), conference=conference)
    with pytest.raises(ValidationError, match="attending"):
        services.action_agree(actor=world.officer, referral=referral, description="Visit",
                              assigned_organisation=world.other_centre, due_on=timezone.localdate())


def test_only_the_host_organises(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    with pytest.raises(PermissionDenied):
        services.attendee_add(actor=world.caseworker, conference=conference, organisation=world.other_centre)
    with pytest.raises(PermissionDenied):
        services.conference_create(actor=world.analyst, title="x", meets_at=timezone.now(), location="y")


def test_minutes_are_encrypted_approved_then_frozen(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    services.minutes_save(actor=world.officer, conference=conference, text="Present: police, centre.")
    with pytest.raises(PermissionDenied):
        services.minutes_approve(actor=world.caseworker, conference=conference)
    services.minutes_approve(actor=world.supervisor, conference=conference)
    view = minutes_for(user=world.caseworker, conference=conference)
    assert view is not None and view.text == "Present: police, centre." and view.approved_at is not None
    with pytest.raises(ValidationError, match="approved"):
        services.minutes_save(actor=world.officer, conference=conference, text="Changed")


def test_conference_status_moves_forward_only(world: World) -> None:
    conference = make_conference(host_user=world.officer)
    services.conference_change_status(actor=world.officer, conference=conference, status=ConferenceStatus.HELD)
    with pytest.raises(ValidationError):
        services.conference_change_status(actor=world.officer, conference=conference, status=ConferenceStatus.PLANNED)


def test_every_write_is_audited_without_plaintext(world: World) -> None:
    conference = make_conference(host_user=world.officer, attending=[world.centre])
    record = make_record(actor=world.officer)
    referral = refer(actor=world.officer, record=record, conference=conference)
    services.information_add(actor=world.caseworker, referral=referral, text="Secret detail about the victim")
    action = services.action_agree(actor=world.officer, referral=referral, description="Visit",
                                   assigned_organisation=world.centre, due_on=timezone.localdate())
    services.action_complete(actor=world.caseworker, action=action)
    services.minutes_save(actor=world.officer, conference=conference, text="Minutes text")
    events = AuditEvent.objects.filter(action__startswith="conference.")
    assert set(events.values_list("action", flat=True)) >= {
        actions.CONFERENCE_CREATE, actions.ATTENDEE_ADD, actions.REFERRAL_CREATE, actions.INFORMATION_ADD,
        actions.ACTION_AGREE, actions.ACTION_COMPLETE, actions.MINUTES_SAVE,
    }
    referral_event = events.get(action=actions.REFERRAL_CREATE)
    assert referral_event.record_id == record.pk
    assert "Secret detail" not in str(list(events.values_list("changes", flat=True)))
    assert "Repeated racist abuse" not in str(list(events.values_list("changes", flat=True)))


def test_high_risk_uses_the_risk_apps_latest_assessment(world: World) -> None:
    risk = pytest.importorskip("umbrella.risk.services")
    record = make_record(actor=world.officer)
    questionnaire = risk.active_questionnaire()
    answers = {q.key: q.answer_choices()[0][0] for q in questionnaire.questions.all()}
    assessment = risk.assessment_create(actor=world.officer, record=record, answers=answers)
    conference = make_conference(host_user=world.officer)
    if assessment.level != "high":
        with pytest.raises(ValidationError, match="not high"):
            refer(actor=world.officer, record=record, conference=conference, criteria=[Criterion.HIGH_RISK])
        risk.assessment_override(actor=world.officer, assessment=assessment, level="high", rationale="Judged high")
    referral = refer(actor=world.officer, record=record, conference=conference, criteria=[Criterion.HIGH_RISK])
    assert referral.risk_level == "high"
