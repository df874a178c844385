from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import World
from tests.factories import make_record, strand
from tests.risk.factories import assess, calm_answers, high_answers
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Record
from umbrella.risk.models import ReassessmentPrompt
from umbrella.risk.selectors import reassessment_due, repeat_indicators
from umbrella.risk.services import reassessment_request

pytestmark = pytest.mark.django_db

AMINA = PersonInput(role="victim", given_name="Amina", family_name="Okafor", date_of_birth=date(1990, 5, 1))


def victim(**kwargs: object) -> list[PersonInput]:
    base = {"role": "victim", "given_name": "Amina", "family_name": "Okafor", "date_of_birth": date(1990, 5, 1)}
    return [PersonInput(**{**base, **kwargs})]  # type: ignore[arg-type]


def test_visible_matches_have_details_and_strand_variants(world: World) -> None:
    earlier = make_record(actor=world.officer, people=victim(), strands=[strand("race")], days_ago=40)
    other_strand = make_record(actor=world.officer, people=victim(phone="07700 900999"), strands=[strand("religion")], days_ago=20)
    unrelated = make_record(actor=world.officer, people=victim(given_name="Bola"), days_ago=10)
    current = make_record(actor=world.officer, people=victim(phone="07700900999"), strands=[strand("race")])
    summary = repeat_indicators(user=world.officer, record=current)
    refs = {m.reference: m for m in summary.matches}
    assert set(refs) == {earlier.reference, other_strand.reference}
    assert unrelated.reference not in refs
    assert refs[earlier.reference].same_strand and not refs[other_strand.reference].same_strand
    assert set(refs[other_strand.reference].matched_on) == {"name_dob_index", "phone_index"}
    assert summary.same_strand_count == 1 and summary.any_strand_count == 2
    assert not summary.elsewhere and summary.is_repeat


def test_same_address_matches(world: World) -> None:
    make_record(actor=world.officer, people=victim(given_name="Ann", postcode="E1 6AN"))
    current = make_record(actor=world.officer, people=victim(given_name="Bea", postcode="e16an"))
    summary = repeat_indicators(user=world.officer, record=current)
    assert [m.matched_on for m in summary.matches] == [("postcode_index",)]


def test_window_is_respected(world: World) -> None:
    old = make_record(actor=world.officer, people=victim(), days_ago=400)
    current = make_record(actor=world.officer, people=victim())
    assert not repeat_indicators(user=world.officer, record=current).is_repeat
    wider = repeat_indicators(user=world.officer, record=current, window_days=500)
    assert [m.reference for m in wider.matches] == [old.reference]


def test_another_organisations_hidden_record_leaves_no_trace(world: World, client: Client) -> None:
    """A centre's record the victim never consented to share: the police see no hint of it (and the
    centre none of the force's), on any page: otherwise one lookup tells who reported where."""
    centre_record = make_record(actor=world.caseworker, people=victim(), days_ago=30)
    current = make_record(actor=world.officer, people=victim())
    summary = repeat_indicators(user=world.officer, record=current)
    assert summary.matches == () and summary.elsewhere is False and not summary.is_repeat
    centre_view = repeat_indicators(user=world.caseworker, record=centre_record)
    assert centre_view.matches == () and centre_view.elsewhere is False

    client.force_login(world.officer)
    for url in (
        reverse("risk:record-risk", kwargs={"record_id": current.pk}),
        reverse("cases:record-detail", kwargs={"record_id": current.pk}),
        reverse("risk:assess", kwargs={"record_id": current.pk}),
    ):
        body = client.get(url).content.decode()
        assert "A repeat indicator exists in records you cannot see" not in body
        assert "Repeat victimisation indicators" not in body


def test_a_hidden_record_of_the_users_own_organisation_gives_only_the_bare_fact(world: World) -> None:
    make_record(actor=world.officer, people=victim(), days_ago=30)
    # Call handlers see only what they recorded themselves.
    current = make_record(actor=world.call_handler, people=victim())
    summary = repeat_indicators(user=world.call_handler, record=current)
    assert summary.matches == () and summary.elsewhere is True


def test_victim_saying_they_feel_targeted_counts(world: World) -> None:
    record = make_record(actor=world.officer, people=victim(given_name="Solo"))
    assert not repeat_indicators(user=world.officer, record=record).is_repeat
    assess(world.officer, record, {**calm_answers(), "feels_targeted": "yes"})
    summary = repeat_indicators(user=world.officer, record=record)
    assert summary.is_repeat and summary.victim_feels_targeted and not summary.matches


def test_new_incident_for_same_victim_prompts_reassessment(world: World) -> None:
    record = make_record(actor=world.officer, people=victim())
    assess(world.officer, record, calm_answers())
    assert reassessment_due(user=world.officer, record=record) == []
    # A new incident for the same victim, recorded by another organisation the force cannot see:
    # nothing tells the force (no prompt, no "elsewhere"), as the victim has not consented.
    make_record(actor=world.caseworker, people=victim())
    assert reassessment_due(user=world.officer, record=record) == []
    assert not ReassessmentPrompt.objects.filter(record=record).exists()
    newer = make_record(actor=world.officer, people=victim())
    assert ReassessmentPrompt.objects.filter(record=record, reason="new_incident", resolved_by__isnull=True).count() == 1
    due = reassessment_due(user=world.officer, record=record)
    assert newer.reference in {d.record_reference for d in due}
    again = assess(world.officer, record, calm_answers())
    assert again.reason == "new_incident"
    assert not ReassessmentPrompt.objects.filter(record=record, resolved_by__isnull=True).exists()
    assert reassessment_due(user=world.officer, record=record) == []


def test_high_risk_is_due_again_after_28_days(world: World) -> None:
    record = make_record(actor=world.officer, people=victim(given_name="Hana"))
    assessment = assess(world.officer, record, high_answers())
    assert reassessment_due(user=world.officer, record=record) == []
    later = timezone.now() + timedelta(days=29)
    assert [d.reason for d in reassessment_due(user=world.officer, record=record, now=later)] == ["high_28_days"]
    # Time travel: the assessment was made 29 days ago.
    type(assessment).objects.filter(pk=assessment.pk).update(assessed_at=timezone.now() - timedelta(days=29))
    assert [d.reason for d in reassessment_due(user=world.officer, record=record)] == ["high_28_days"]
    assert assess(world.officer, record, high_answers()).reason == "high_28_days"


def test_on_request(world: World) -> None:
    record = make_record(actor=world.officer, people=victim(given_name="Rae"))
    assess(world.officer, record, calm_answers())
    reassessment_request(actor=world.supervisor, record=record)
    assert [d.reason for d in reassessment_due(user=world.officer, record=record)] == ["on_request"]
    assert assess(world.officer, record, calm_answers()).reason == "on_request"
    assert reassessment_due(user=world.officer, record=record) == []


def test_repeat_lookup_is_a_few_queries(world: World, django_assert_max_num_queries: object) -> None:
    for days in (5, 10, 15, 20, 25):
        make_record(actor=world.officer, people=victim(), days_ago=days)
    current = make_record(actor=world.officer, people=victim())
    with django_assert_max_num_queries(6):  # type: ignore[operator]
        summary = repeat_indicators(user=world.officer, record=current)
    assert len(summary.matches) == 5
    assert Record.objects.count() == 6


def test_records_arriving_in_bulk_prompt_like_one_new_record(world: World) -> None:
    # Imports announce their new records together (cases.signals.records_created).
    from umbrella.cases.signals import records_created

    record = make_record(actor=world.officer, people=victim())
    assess(world.officer, record, calm_answers())
    newer = make_record(actor=world.officer, people=victim())
    elsewhere = make_record(actor=world.caseworker, people=victim())  # another organisation: no prompt
    without_victim = make_record(actor=world.officer, people=[])
    ReassessmentPrompt.objects.all().delete()  # as if the new records had come in by import
    records_created.send(sender=Record, record_ids=[newer.pk, elsewhere.pk, without_victim.pk], actor=world.officer)
    prompts = ReassessmentPrompt.objects.filter(record=record, reason="new_incident")
    assert list(prompts.values_list("trigger_record_id", flat=True)) == [newer.pk]
