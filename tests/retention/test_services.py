"""The record's end of life: a record reaches its review point, is disposed of (its personal data
and free text gone), the statistics count it as before, the disposal register names it, and the
audit chain still verifies; a legal hold, an open record or another app's open work stops it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.conftest import World
from tests.factories import give_outcome, make_record
from tests.reads import decrypt
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import NARRATIVE_COLUMN, Record, RecordPerson, person_column
from umbrella.cases.services import record_change_status
from umbrella.retention.models import DisposalEntry, RetentionReview, RetentionRule, ReviewStatus
from umbrella.retention.services import (
    legal_hold_lift,
    legal_hold_place,
    review_dispose,
    review_retain,
    reviews_raise,
    rule_set,
)
from umbrella.statistics.models import RecordFact
from umbrella.statistics.services import facts_rebuild

SEVEN_YEARS = 7 * 366


def closed_crime(world: World, *, days_ago: int = SEVEN_YEARS) -> Record:
    record = make_record(
        actor=world.officer, days_ago=days_ago, narrative="Amina Okafor was abused at the bus stop on Mile End Road.",
        people=[PersonInput(role="victim", given_name="Amina", family_name="Okafor", phone="07700 900123")],
    )
    give_outcome(record, actor=world.officer)
    return record_change_status(actor=world.officer, record=record, status="closed", reason="Charged and convicted")


def facts() -> list[tuple[object, ...]]:
    return sorted(RecordFact.objects.values_list("record_id", "strand", "month", "borough", "countable", "victim_sex"))


def test_a_record_past_its_review_point_is_disposed_of_and_still_counted(world: World) -> None:
    old, recent = closed_crime(world), closed_crime(world, days_ago=30)
    facts_rebuild(actor=None)
    counted = facts()
    today = timezone.localdate()
    assert reviews_raise(actor=None, today=today) == 1
    assert reviews_raise(actor=None, today=today) == 0  # one open review per record
    review = RetentionReview.objects.get()
    assert review.record_id == old.pk and review.rule.review_after_months == 72 and not review.rule.verified

    with pytest.raises(PermissionDenied):
        review_dispose(actor=world.officer, review=review, reason="No longer needed")
    from tests.factories import UserFactory
    from umbrella.accounts.models import Role

    with pytest.raises(PermissionDenied):  # a reviewing role, in another organisation
        review_dispose(actor=UserFactory(role=Role.PARTNER_MANAGER, organisation=world.centre), review=review,
                       reason="No longer needed")
    entry = review_dispose(actor=world.supervisor, review=review, reason="No policing purpose remains")

    old.refresh_from_db()
    assert old.disposed_at is not None and decrypt(old.narrative, column=NARRATIVE_COLUMN) == ""
    person = RecordPerson.objects.get(record=old).person
    assert decrypt(person.given_name, column=person_column("given_name")) == "" and person.phone_index == ""
    assert (entry.reference, entry.record_kind, entry.disposed_by, entry.removed["people"]) == (
        old.reference, "hate_crime", world.supervisor, 1)
    assert DisposalEntry.objects.count() == 1
    review.refresh_from_db()
    assert review.status == ReviewStatus.DISPOSED
    assert facts() == counted  # the statistics count it exactly as before
    facts_rebuild(actor=None)
    assert facts() == counted  # and a rebuild keeps its facts
    assert audit_chain_verify().ok
    recent.refresh_from_db()
    assert recent.disposed_at is None
    assert reviews_raise(actor=None, today=today) == 0  # disposed of: never reviewed again
    with pytest.raises(ValidationError, match="decided already"):
        review_dispose(actor=world.supervisor, review=review, reason="Again")


def test_a_legal_hold_or_an_open_record_keeps_it_and_a_retained_record_waits_for_its_next_review(world: World) -> None:
    held, still_open = closed_crime(world), make_record(actor=world.officer, days_ago=SEVEN_YEARS)
    hold = legal_hold_place(actor=world.supervisor, record=held, reason="Civil claim against the force")
    today = timezone.localdate()
    assert reviews_raise(actor=None, today=today) == 1  # the open record only: the held one waits
    review = RetentionReview.objects.get()
    assert review.record_id == still_open.pk
    with pytest.raises(ValidationError, match="cannot be disposed of yet: it is not closed"):
        review_dispose(actor=world.supervisor, review=review, reason="No longer needed")
    still_open.refresh_from_db()
    assert still_open.disposed_at is None and not DisposalEntry.objects.exists()
    with pytest.raises(ValidationError, match="after today"):
        review_retain(actor=world.supervisor, review=review, reason="Investigation continues", next_review_on=today)
    review_retain(actor=world.supervisor, review=review, reason="Investigation continues",
                  next_review_on=today + timedelta(days=365))
    legal_hold_lift(actor=world.supervisor, hold=hold)
    assert reviews_raise(actor=None, today=today) == 1  # the hold lifted: the closed record now
    assert reviews_raise(actor=None, today=today + timedelta(days=366)) == 1  # the retained one, a year on
    assert set(RetentionReview.objects.filter(status=ReviewStatus.OPEN).values_list("record_id", flat=True)) == {
        held.pk, still_open.pk}


def test_the_schedule_is_versioned_and_only_a_system_administrator_changes_it(world: World) -> None:
    with pytest.raises(PermissionDenied):
        rule_set(actor=world.supervisor, record_kind="nchi", organisation_kind="police_force", review_after_months=24,
                 basis="Force policy", verified=True)
    first = RetentionRule.objects.get(record_kind="nchi", organisation_kind="police_force", superseded_at=None)
    new = rule_set(actor=world.system_admin, record_kind="nchi", organisation_kind="police_force",
                   review_after_months=24, basis="Force information management policy, 2026", verified=True)
    first.refresh_from_db()
    assert first.superseded_at is not None and (new.version, new.review_after_months) == (2, 24)
    with pytest.raises(ValidationError):
        rule_set(actor=world.system_admin, record_kind="nchi", organisation_kind="police_force", review_after_months=0,
                 basis=" ", verified=True)


def test_an_open_referral_keeps_the_record_until_it_is_closed(world: World) -> None:
    from tests.care.factories import give_consent, victim_service
    from umbrella.care.services import referral_create
    from umbrella.consent.models import ConsentScope
    from umbrella.retention.services import disposal_blockers

    record = closed_crime(world)
    consent = give_consent(actor=world.officer, record=record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    referral_create(actor=world.officer, record=record, to_organisation=victim_service(), reason="Support",
                    consent_reference=consent.reference)
    assert disposal_blockers(record) == ["1 referral is still open"]
    reviews_raise(actor=None, today=timezone.localdate())
    with pytest.raises(ValidationError, match="1 referral is still open"):
        review_dispose(actor=world.supervisor, review=RetentionReview.objects.get(record=record), reason="Done")


def test_the_daily_command_raises_the_reviews_due_and_says_how_many_wait(world: World) -> None:
    from io import StringIO

    from django.core.management import call_command

    closed_crime(world)
    out = StringIO()
    call_command("retention_review", "--today", f"{timezone.localdate():%Y-%m-%d}", stdout=out)
    assert out.getvalue().strip() == ("1 retention review raised; 1 waiting for a decision. "
                                      "0 reports closed without a record emptied. "
                                      "0 parts of closed records removed under lines of their own.")


def test_a_crime_follows_the_line_for_its_outcome_before_the_line_for_any_outcome(world: World) -> None:
    from tests.factories import code
    from umbrella.outcomes.services import outcome_record

    charged = closed_crime(world, days_ago=3 * 366)  # outcome 1, charged or summonsed
    unsolved = make_record(actor=world.officer, days_ago=3 * 366)
    code("outcome_group", "no_suspect_identified", "Investigation complete: no suspect identified")
    code("outcome", "18", "Investigation complete: no suspect identified", number=18, group="no_suspect_identified")
    outcome_record(actor=world.officer, record=unsolved, outcome_code="18", suspect_identified=False,
                   decided_on=timezone.localdate())
    no_outcome = make_record(actor=world.officer, days_ago=3 * 366)
    today = timezone.localdate()
    assert reviews_raise(actor=None, today=today) == 0  # three years: short of the six for every crime

    with pytest.raises(ValidationError) as refused:
        rule_set(actor=world.system_admin, record_kind="hate_crime", organisation_kind="police_force",
                 outcome_group="no_such_group", review_after_months=24, basis="Policy", verified=True)
    assert "outcome_group" in refused.value.message_dict
    line = rule_set(actor=world.system_admin, record_kind="hate_crime", organisation_kind="police_force",
                    outcome_group="no_suspect_identified", review_after_months=24,
                    basis="Unsolved crimes are reviewed after two years (force policy)", verified=True)
    assert line.outcome_label == "Investigation complete: no suspect identified" and line.version == 1
    # The line for any outcome is untouched: a line for an outcome is a line of its own.
    assert RetentionRule.objects.get(record_kind="hate_crime", organisation_kind="police_force", outcome_group="",
                                     superseded_at=None).review_after_months == 72

    assert reviews_raise(actor=None, today=today) == 1
    review = RetentionReview.objects.get()
    assert review.record_id == unsolved.pk and review.rule == line
    assert not RetentionReview.objects.filter(record__in=[charged, no_outcome]).exists()


def test_a_crime_with_an_offence_in_a_group_follows_the_groups_line(world: World) -> None:
    from tests.factories import code
    from umbrella.cases.inputs import OffenceInput

    def offence(number: str, label: str) -> OffenceInput:
        return OffenceInput(offence=code("offence", number, label))

    assault = make_record(actor=world.officer, days_ago=SEVEN_YEARS,
                          offences=[offence("8P", "Racially or religiously aggravated assault with injury"),
                                    offence("8M", "Racially or religiously aggravated harassment")])
    harassment = make_record(actor=world.officer, days_ago=SEVEN_YEARS,
                             offences=[offence("8M", "Racially or religiously aggravated harassment")])
    for offence_group, offences, field in (("Violent", [], "offences"), ("", ["8P"], "offence_group"),
                                           ("Violent", ["8P", "99Z"], "offences")):
        with pytest.raises(ValidationError) as refused:
            rule_set(actor=world.system_admin, record_kind="hate_crime", organisation_kind="police_force",
                     offence_group=offence_group, offences=offences, review_after_months=120, basis="Policy",
                     verified=False)
        assert field in refused.value.message_dict
    code("offence", "8N", "Assault with injury")
    violent = rule_set(actor=world.system_admin, record_kind="hate_crime", organisation_kind="police_force",
                       offence_group="Group 2: other sexual, violent or serious offences", offences=["8P", "8N"],
                       review_after_months=120, basis="Force policy: reviewed after ten years", verified=True)
    assert violent.offences == ["8N", "8P"] and "Racially or religiously aggravated assault with injury" in (
        violent.offences_label)
    # A longer line for another group that also holds the assault: the longer keeps it.
    longest = rule_set(actor=world.system_admin, record_kind="hate_crime", organisation_kind="",
                       offence_group="Public protection", offences=["8P"], review_after_months=1200,
                       basis="Kept for public protection", verified=False)

    assert reviews_raise(actor=None, today=timezone.localdate()) == 1
    review = RetentionReview.objects.get()
    assert review.record_id == harassment.pk and review.rule.offence_group == ""
    assert not RetentionReview.objects.filter(record=assault).exists()
    # The force's own group line comes before any organisation's, however long that one is.
    from umbrella.retention.services import _rule_for

    lines = [violent, longest, RetentionRule.objects.get(record_kind="hate_crime", organisation_kind="police_force",
                                                         outcome_group="", offence_group="", superseded_at=None)]
    assert _rule_for(lines, "hate_crime", "police_force", "", frozenset({"8P", "8M"})) == violent
    assert _rule_for(lines, "hate_crime", "third_party_centre", "", frozenset({"8P"})) == longest


def test_an_anonymised_record_keeps_its_narrative_without_anyone_in_it_and_still_counts(world: World) -> None:
    from tests.factories import code
    from umbrella.retention.models import Decision
    from umbrella.retention.services import review_anonymise

    record = make_record(
        actor=world.officer, days_ago=SEVEN_YEARS,
        narrative="Amina Okafor was abused at the bus stop on 3 March 2019; she rang 07700 900123 afterwards.",
        people=[PersonInput(role="victim", given_name="Amina", family_name="Okafor", phone="07700 900123",
                            sex=code("sex", "female", "Female"))],
    )
    give_outcome(record, actor=world.officer)
    record = record_change_status(actor=world.officer, record=record, status="closed", reason="Charged and convicted")
    facts_rebuild(actor=None)
    counted = facts()
    assert [fact[-1] for fact in counted] == ["female"]
    today = timezone.localdate()
    reviews_raise(actor=None, today=today)
    review = RetentionReview.objects.get()
    with pytest.raises(ValidationError, match="Enter why the record is kept without anyone in it"):
        review_anonymise(actor=world.supervisor, review=review, reason=" ")
    with pytest.raises(PermissionDenied):
        review_anonymise(actor=world.officer, review=review, reason="Kept for the area's problem profile")

    entry = review_anonymise(actor=world.supervisor, review=review, reason="Kept for the area's problem profile")

    record.refresh_from_db()
    narrative = decrypt(record.narrative, column=NARRATIVE_COLUMN)
    assert "Amina" not in narrative and "Okafor" not in narrative and "07700" not in narrative and "2019" not in narrative
    assert narrative.startswith("[Victim] was abused at the bus stop") and record.disposed_at is None
    assert record.anonymised_at is not None and record.postcode == "" and record.location_description == ""
    person = RecordPerson.objects.get(record=record).person
    assert decrypt(person.given_name, column=person_column("given_name")) == "" and person.sex is None
    assert (entry.decision, entry.removed["people"], entry.disposed_by) == (Decision.ANONYMISED, 1, world.supervisor)
    review.refresh_from_db()
    assert review.status == ReviewStatus.ANONYMISED
    assert facts() == counted  # the victim's sex is still counted, though no one on the record has one now
    facts_rebuild(actor=None)
    assert facts() == counted
    assert audit_chain_verify().ok
    assert reviews_raise(actor=None, today=today + timedelta(days=3 * 366)) == 0  # nothing about anyone to review


def test_a_legal_hold_stops_anonymising_as_it_stops_disposal(world: World) -> None:
    from umbrella.retention.services import review_anonymise

    record = closed_crime(world)
    reviews_raise(actor=None, today=timezone.localdate())
    legal_hold_place(actor=world.supervisor, record=record, reason="Civil claim against the force")
    with pytest.raises(ValidationError, match="cannot be anonymised yet: it is under a legal hold"):
        review_anonymise(actor=world.supervisor, review=RetentionReview.objects.get(), reason="No purpose remains")
    record.refresh_from_db()
    assert record.anonymised_at is None and "Amina" in decrypt(record.narrative, column=NARRATIVE_COLUMN)
    assert not DisposalEntry.objects.exists()
