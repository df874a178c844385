from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import make_record, strand
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record
from umbrella.cases.selectors import record_detail, record_list

pytestmark = pytest.mark.django_db


def test_it_creates_a_record_with_two_strands_and_audits_it(world):
    record = make_record(actor=world.officer, strands=[strand("race"), strand("religion", sub_category="anti_muslim")])
    assert record.reference == f"MPS-{record.created_at.year}-000001"
    assert record.strands.count() == 2
    event = AuditEvent.objects.get(action="record.create", record_id=record.pk)
    assert event.changes["narrative"] == "set"
    assert "racist" not in str(event.changes)


def test_it_stores_only_ciphertext_for_narrative_and_names(world):
    make_record(actor=world.officer)
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative FROM cases_record")
        (narrative,) = cursor.fetchone()
        cursor.execute("SELECT given_name, family_name, phone FROM cases_person")
        identity = cursor.fetchone()
    assert narrative.startswith("enc1:") and "racist" not in narrative
    assert all(value.startswith("enc1:") for value in identity)
    assert "Amina" not in "".join(identity)


def test_a_rejected_record_leaves_nothing_behind(world):
    with pytest.raises(ValidationError):
        make_record(actor=world.officer, narrative="   ")
    assert Record.objects.count() == 0
    assert not AuditEvent.objects.filter(action="record.create").exists()


def test_an_outsider_cannot_see_another_forces_record(world):
    record = make_record(actor=world.officer)
    assert list(record_list(user=world.outsider)) == []
    with pytest.raises(Record.DoesNotExist):
        record_detail(user=world.outsider, record_id=record.pk)


def test_an_analyst_sees_pseudonyms_not_names(world):
    record = make_record(actor=world.officer)
    view = record_detail(user=world.analyst, record_id=record.pk)
    assert view.people[0].display_name.startswith("Person ")
    assert view.people[0].given_name == ""
    assert record_detail(user=world.officer, record_id=record.pk).people[0].given_name == "Amina"


NAMED_NARRATIVE = "Amina Okafor was followed home; the man shouted at amina about her headscarf."


def _centre_record_shared_with_force(world, scope: str):
    from umbrella.sharing.services import share_grant

    record = make_record(actor=world.caseworker, narrative=NAMED_NARRATIVE)
    share_grant(
        actor=world.caseworker, record=record, organisation=world.force, scope=scope,
        reason="Victim asked the centre to pass this on", consent_reference="CONSENT-1",
    )
    return record


@pytest.mark.parametrize("scope", ["full", "anonymised"])
def test_an_organisation_a_record_is_shared_with_can_read_it_but_never_change_it(world, scope):
    from django.core.exceptions import PermissionDenied

    from umbrella.cases.inputs import PersonInput
    from umbrella.cases.services import record_add_person, record_change_status

    record = _centre_record_shared_with_force(world, scope)
    assert record_detail(user=world.officer, record_id=record.pk).record.pk == record.pk
    with pytest.raises(PermissionDenied):
        record_add_person(actor=world.officer, record=record, person=PersonInput(role="witness", given_name="X"))
    with pytest.raises(PermissionDenied):
        record_change_status(actor=world.officer, record=record, status="closed", reason="not ours")
    record.refresh_from_db()
    assert record.status == "recorded" and record.people.count() == 1


def test_an_anonymised_share_masks_the_peoples_names_in_the_narrative(world):
    record = _centre_record_shared_with_force(world, "anonymised")
    narrative = record_detail(user=world.officer, record_id=record.pk).narrative
    assert "Amina" not in narrative and "amina" not in narrative and "Okafor" not in narrative
    assert narrative.startswith("[Victim] was followed home") and "headscarf" in narrative
    assert record_detail(user=world.caseworker, record_id=record.pk).narrative == NAMED_NARRATIVE


def test_an_analyst_sees_a_stable_pseudonym_in_the_narrative(world):
    from umbrella.cases.selectors import narratives_for

    record = make_record(actor=world.officer, narrative=NAMED_NARRATIVE)
    narrative = record_detail(user=world.analyst, record_id=record.pk).narrative
    assert "Amina" not in narrative and "Okafor" not in narrative
    assert narrative.count("[Person ") == 2
    assert narratives_for([record], user=world.analyst)[record.pk] == narrative
    assert narratives_for([record], user=world.officer)[record.pk] == NAMED_NARRATIVE


def test_a_hub_reviewer_sees_every_flagged_record_and_what_they_created_but_not_others_unflagged(world):
    flagged = make_record(actor=world.officer)
    unflagged = make_record(actor=world.officer, kind="other_crime", strands=[])
    own_draft = make_record(actor=world.hub_reviewer, status="draft", strands=[])
    visible = set(record_list(user=world.hub_reviewer).values_list("pk", flat=True))
    assert flagged.pk in visible and own_draft.pk in visible and unflagged.pk not in visible


def test_a_postcode_is_found_with_or_without_its_space(world):
    from umbrella.cases.selectors import RecordFilters

    record = make_record(actor=world.officer)
    for typed in ("SW1A 1AA", "sw1a1aa", "SW1A"):
        assert list(record_list(user=world.officer, filters=RecordFilters(q=typed))) == [record], typed
