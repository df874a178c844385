"""Each kind of decision changes the record through the cases services and writes a Decision and audit."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ValidationError

from tests.conftest import World
from tests.factories import code, make_record, strand
from tests.reads import decrypt
from tests.review.factories import decide, open_item, suggest
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import (
    ASSESSMENT_REASON_COLUMN,
    NARRATIVE_COLUMN,
    Person,
    RecordPerson,
    StrandAssessment,
)
from umbrella.cases.selectors import latest_assessments, person_plaintext
from umbrella.cases.services import record_add_strand
from umbrella.review.models import Decision, ImmutableRowError, ReviewItem
from umbrella.review.services import AssessmentInput, DecisionInput, NchiAnswers, SubCategoryInput


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


def test_an_evidential_assessment_sits_beside_the_perceived_strand(world: World) -> None:
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion")])
    religion = record.strands.get(strand__code="religion")
    decision = decide(world.hub_reviewer, record, assessments=(
        AssessmentInput(strand_id=religion.pk, assessment="not_supported", reason="No words about faith on the CCTV"),
    ))
    # The perception stays: both strands are still on the record.
    assert sorted(record.strands.values_list("strand__code", flat=True)) == ["race", "religion"]
    assert decision.outcome == "confirmed" and decision.strands_not_supported_count == 1
    assert decision.strand_assessments == [{"strand": "religion", "assessment": "not_supported"}]
    assessment = StrandAssessment.objects.get(record_strand=religion)
    assert assessment.assessed_by == world.hub_reviewer
    assert "CCTV" not in assessment.reason  # encrypted like the narrative
    assert decrypt(assessment.reason, column=ASSESSMENT_REASON_COLUMN) == "No words about faith on the CCTV"
    assert "record.strand_assess" in actions_for(record.pk) and "record.strand_remove" not in actions_for(record.pk)


def test_a_later_assessment_supersedes_and_both_are_kept(world: World) -> None:
    record = make_record(actor=world.officer)
    race = record.strands.get()
    decide(world.hub_reviewer, record, assessments=(AssessmentInput(race.pk, "more_information", "Waiting for CCTV"),))
    record_add_strand(actor=world.officer, record=record, strand=strand("religion"))  # back in the queue
    decide(world.hub_reviewer, record, assessments=(AssessmentInput(race.pk, "supported", "CCTV has the words"),))
    assert latest_assessments([record.pk])[race.pk].assessment == "supported"
    assert StrandAssessment.objects.filter(record_strand=race).count() == 2


def test_an_assessment_needs_a_reason(world: World) -> None:
    record = make_record(actor=world.officer)
    race = record.strands.get()
    with pytest.raises(ValidationError) as refused:
        decide(world.hub_reviewer, record, assessments=(AssessmentInput(race.pk, "not_supported", "  "),))
    assert set(refused.value.message_dict) == {f"assess_{race.pk}_reason"}
    assert not StrandAssessment.objects.exists() and not Decision.objects.exists()


def test_a_perceived_strand_keeps_the_record_a_hate_record(world: World) -> None:
    record = make_record(actor=world.officer)
    with pytest.raises(ValidationError, match="perceived keeps this a hate crime"):
        decide(world.supervisor, record, kind="other_crime")
    record.refresh_from_db()
    assert record.kind == "hate_crime" and record.strands.count() == 1


def test_a_decision_cannot_remove_a_strand(world: World) -> None:
    assert "remove_strand_ids" not in {f.name for f in dataclasses.fields(DecisionInput)}


def test_changing_kind_to_nchi_with_a_real_risk_keeps_the_subject(world: World) -> None:
    record = make_record(
        actor=world.officer,
        people=[PersonInput(role="subject", given_name="Gareth", family_name="Pryce")],
    )
    decision = decide(
        world.hub_reviewer, record, kind="nchi",
        nchi=NchiAnswers(risk_of_harm=True, risk_of_offence=False, expression_considered=True,
                         subject_notification="tell"),
    )
    record.refresh_from_db()
    assert record.kind == "nchi"
    assert decision.kind_from == "hate_crime" and decision.kind_to == "nchi"
    assert decision.subject_data_removed is False and decision.nchi_risk_of_harm is True
    assert decision.subject_notification == "tell"
    event = AuditEvent.objects.filter(action="review.decide", record_id=record.pk).get()
    assert event.changes["subject_notification"] == "tell"
    subject = RecordPerson.objects.get(record=record, role="subject").person
    assert person_plaintext(subject)["family_name"] == "Pryce"


def test_a_kept_subject_needs_the_decision_whether_they_are_told(world: World) -> None:
    named = make_record(actor=world.officer, people=[PersonInput(role="subject", given_name="Gareth", family_name="Pryce")])
    kept = NchiAnswers(risk_of_harm=False, risk_of_offence=True, expression_considered=True)
    with pytest.raises(ValidationError, match="Choose whether the subject is told"):
        decide(world.hub_reviewer, named, kind="nchi", nchi=kept)
    named.refresh_from_db()
    assert named.kind == "hate_crime"  # nothing changed
    # No subject named, or the subject's details removed: there is no one to tell, and nothing is kept.
    unnamed = make_record(actor=world.officer)
    assert decide(world.hub_reviewer, unnamed, kind="nchi", nchi=kept).subject_notification == ""
    removed = make_record(actor=world.officer, people=[PersonInput(role="subject", given_name="Ann", family_name="Ray")])
    below = NchiAnswers(risk_of_harm=False, risk_of_offence=False, expression_considered=True,
                        subject_notification="withhold_safeguarding")
    decision = decide(world.hub_reviewer, removed, kind="nchi", nchi=below)
    assert decision.subject_data_removed and decision.subject_notification == ""


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


def test_a_reviewer_corrects_a_sub_category_and_the_strand_stays(world: World) -> None:
    record = make_record(actor=world.officer, strands=[strand("religion", sub_category="anti_muslim")])
    row = record.strands.get()
    antisemitic = code("sub_category", "antisemitic", "Antisemitic", parent_code="religion")
    decision = decide(world.hub_reviewer, record, sub_categories=(SubCategoryInput(row.pk, antisemitic),))
    row.refresh_from_db()
    assert row.sub_category == antisemitic and row.perceiver.code == "victim" and row.pk == record.strands.get().pk
    assert decision.outcome == "changed"
    event = AuditEvent.objects.get(action="record.strand_sub_category", record_id=record.pk)
    assert event.changes["sub_category"] == {"from": "anti_muslim", "to": "antisemitic"}
    # The reviewer's own correction does not put the record back in the queue.
    assert not ReviewItem.objects.filter(record=record, status__in=["open", "claimed"]).exists()


def test_a_sub_category_of_another_strand_is_refused(world: World) -> None:
    record = make_record(actor=world.officer)
    row = record.strands.get()
    wrong = code("sub_category", "anti_muslim", "Anti-Muslim", parent_code="religion")
    with pytest.raises(ValidationError, match="is not a sub-category of"):
        decide(world.hub_reviewer, record, sub_categories=(SubCategoryInput(row.pk, wrong),))
    row.refresh_from_db()
    assert row.sub_category is None and not Decision.objects.exists()
