"""Each kind of decision changes the record through the cases services and writes a Decision and audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tests.factories import code, make_record, strand
from tests.review.factories import decide, open_item, suggest
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Person, RecordPerson
from umbrella.cases.selectors import person_plaintext
from umbrella.cases.services import NARRATIVE_COLUMN
from umbrella.crypto.fields import decrypt
from umbrella.review.models import Decision, ImmutableRowError, ReviewItem
from umbrella.review.services import NchiAnswers


def actions_for(record_id: int) -> list[str]:
    return list(AuditEvent.objects.filter(record_id=record_id).order_by("id").values_list("action", flat=True))


def test_confirm_leaves_the_record_and_records_the_decision(world: World) -> None:
    record = make_record(actor=world.officer)
    version = record.row_version
    decision = decide(world.hub_reviewer, record, note="Checked against the call recording")
    record.refresh_from_db()
    assert decision.outcome == "confirmed"
    assert record.row_version == version
    item = ReviewItem.objects.get(record=record)
    assert item.status == "decided" and item.decided_at is not None
    event = AuditEvent.objects.get(action="review.decide", record_id=record.pk)
    assert event.changes["outcome"] == "confirmed" and event.changes["note"] == "set"
    assert "call recording" not in decision.note  # the note is encrypted


def test_adding_a_strand_and_setting_online_changes_the_record_without_requeueing(world: World) -> None:
    record = make_record(actor=world.officer)
    code("sub_category", "anti_muslim", "Anti-Muslim", parent_code="religion")
    decision = decide(
        world.hub_reviewer, record, is_online=True, add_strands=(strand("religion", sub_category="anti_muslim"),)
    )
    record.refresh_from_db()
    assert record.is_online is True
    assert sorted(record.strands.values_list("strand__code", flat=True)) == ["race", "religion"]
    assert decision.outcome == "changed"
    assert decision.strands_added == [{"strand": "religion", "sub_category": "anti_muslim"}]
    assert decision.online_from is False and decision.online_to is True
    assert {"record.strand_add", "record.update", "review.decide"} <= set(actions_for(record.pk))
    # The reviewer's own strand change does not put the record back in the queue.
    assert not ReviewItem.objects.filter(record=record, status__in=["open", "claimed"]).exists()


def test_removing_a_strand(world: World) -> None:
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion")])
    religion = record.strands.get(strand__code="religion")
    decision = decide(world.hub_reviewer, record, remove_strand_ids=(religion.pk,))
    assert list(record.strands.values_list("strand__code", flat=True)) == ["race"]
    assert decision.strands_removed_count == 1 and decision.strands_removed[0]["strand"] == "religion"
    assert "record.strand_remove" in actions_for(record.pk)


def test_removing_the_last_strand_of_a_hate_crime_is_refused(world: World) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(ValidationError, match="at least one strand"):
        decide(world.hub_reviewer, record, remove_strand_ids=(record.strands.get().pk,))
    assert record.strands.count() == 1


def test_changing_kind_to_nchi_with_a_real_risk_keeps_the_subject(world: World) -> None:
    record = make_record(
        actor=world.officer,
        people=[PersonInput(role="subject", given_name="Gareth", family_name="Pryce")],
    )
    decision = decide(
        world.hub_reviewer, record, kind="nchi",
        nchi=NchiAnswers(risk_of_harm=True, risk_of_offence=False, expression_considered=True),
    )
    record.refresh_from_db()
    assert record.kind == "nchi"
    assert decision.kind_from == "hate_crime" and decision.kind_to == "nchi"
    assert decision.subject_data_removed is False and decision.nchi_risk_of_harm is True
    subject = RecordPerson.objects.get(record=record, role="subject").person
    assert person_plaintext(subject)["family_name"] == "Pryce"


def test_nchi_without_thresholds_is_refused(world: World) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(ValidationError):
        decide(world.hub_reviewer, record, kind="nchi")
    with pytest.raises(ValidationError, match="freedom of expression"):
        decide(world.hub_reviewer, record, kind="nchi",
               nchi=NchiAnswers(risk_of_harm=True, risk_of_offence=True, expression_considered=False))


def test_nchi_with_no_real_risk_removes_the_subjects_personal_data(world: World) -> None:
    record = make_record(
        actor=world.officer,
        kind="nchi",
        narrative="Complainant says Gareth Pryce posted a mocking comment about her headscarf.",
        people=[
            PersonInput(role="victim", given_name="Amina", family_name="Okafor"),
            PersonInput(role="subject", given_name="Gareth", family_name="Pryce", phone="07700 900456",
                        postcode="SW1A 2AA", ethnicity=code("ethnicity", "white_british", group="white")),
        ],
    )
    decision = decide(
        world.hub_reviewer, record, kind="nchi",
        nchi=NchiAnswers(risk_of_harm=False, risk_of_offence=False, expression_considered=True),
    )
    assert decision.subject_data_removed is True and decision.subjects_affected == 1
    assert decision.outcome == "changed"
    link = RecordPerson.objects.get(record=record, role="subject")  # a subject existed ...
    subject = Person.objects.get(pk=link.person_id)
    assert all(value == "" for value in person_plaintext(subject).values())  # ... but not who
    assert subject.phone == "" and subject.name_dob_index == "" and subject.postcode_index == ""
    assert subject.phone_index == "" and subject.ethnicity is None
    victim = RecordPerson.objects.get(record=record, role="victim").person
    assert person_plaintext(victim)["family_name"] == "Okafor"  # the complainant is untouched
    record.refresh_from_db()
    narrative = decrypt(record.narrative, column=NARRATIVE_COLUMN)
    assert "Pryce" not in narrative and "Gareth" not in narrative and "headscarf" in narrative
    event = AuditEvent.objects.get(action="record.subject_data_remove", record_id=record.pk)
    assert event.changes["identity"] == "removed" and event.changes["subjects"] == 1
    assert "Pryce" not in str(event.changes) and "07700" not in str(event.changes)


def test_a_subject_known_to_another_record_keeps_their_data_there(world: World) -> None:
    record = make_record(
        actor=world.officer, kind="nchi",
        people=[PersonInput(role="subject", given_name="Gareth", family_name="Pryce")],
    )
    person = RecordPerson.objects.get(record=record, role="subject").person
    other = make_record(actor=world.officer, people=[])
    RecordPerson.objects.create(record=other, person=person, role="victim")
    decide(world.hub_reviewer, record, kind="nchi",
           nchi=NchiAnswers(risk_of_harm=False, risk_of_offence=False, expression_considered=True))
    person.refresh_from_db()
    assert person_plaintext(person)["family_name"] == "Pryce"
    new_subject = RecordPerson.objects.get(record=record, role="subject").person
    assert new_subject.pk != person.pk and person_plaintext(new_subject)["family_name"] == ""


def test_decisions_record_which_suggestions_were_accepted(world: World) -> None:
    record = make_record(actor=world.officer)
    right = suggest(record, kind="missing_online")
    wrong = suggest(record, kind="strand", strand_code="disability")
    decision = decide(world.hub_reviewer, record, is_online=True, accepted_suggestion_ids=(right.pk,))
    assert decision.suggestions_accepted == [right.pk]
    assert decision.suggestions_rejected == [wrong.pk]


def test_decisions_and_suggestions_are_never_overwritten(world: World) -> None:
    record = make_record(actor=world.officer)
    suggestion = suggest(record)
    decision = decide(world.hub_reviewer, record)
    decision.note = "changed"
    with pytest.raises(ImmutableRowError):
        decision.save()
    with pytest.raises(ImmutableRowError):
        suggestion.delete()
    # Re-entering the queue makes a new item; the old one and its decision stay.
    from umbrella.cases.services import record_add_strand

    record_add_strand(actor=world.officer, record=record, strand=strand("disability"))
    assert ReviewItem.objects.filter(record=record).count() == 2
    assert open_item(record).pk != decision.item_id
    assert Decision.objects.filter(record=record).count() == 1


def test_a_stale_form_is_refused(world: World) -> None:
    from umbrella.review.services import DecisionInput, item_claim, item_decide

    record = make_record(actor=world.officer)
    item = item_claim(actor=world.hub_reviewer, item=open_item(record))
    with pytest.raises(ValidationError, match="changed this record"):
        item_decide(actor=world.hub_reviewer, item=item,
                    data=DecisionInput(row_version=record.row_version - 1, kind="hate_crime", is_online=False))


def test_a_hub_reviewer_flags_an_unflagged_record_that_screening_put_in_the_queue(world: World) -> None:
    from umbrella.cases.models import Record

    record = make_record(actor=world.officer, strands=[], kind="other_crime")
    # Not before the hub: an unflagged record is out of a hub reviewer's sight.
    assert not Record.objects.visible_to(world.hub_reviewer).filter(pk=record.pk).exists()
    suggest(record)
    assert Record.objects.visible_to(world.hub_reviewer).filter(pk=record.pk).exists()
    decision = decide(world.hub_reviewer, record, kind="hate_crime", add_strands=(strand("race"),))
    record.refresh_from_db()
    assert record.kind == "hate_crime" and record.strands.count() == 1
    assert decision.kind_from == "other_crime"


def test_a_decided_unflagged_record_leaves_the_hub_reviewers_sight(world: World) -> None:
    from umbrella.cases.models import Record

    record = make_record(actor=world.officer, strands=[], kind="other_crime")
    suggest(record)
    decide(world.hub_reviewer, record, kind="other_crime")
    assert not Record.objects.visible_to(world.hub_reviewer).filter(pk=record.pk).exists()
    assert not Record.objects.visible_to(world.outsider).filter(pk=record.pk).exists()
