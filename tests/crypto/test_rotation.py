"""``umbrella keys rotate``: re-wrapping, new data keys, and interrupted runs that resume without loss."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any
from unittest import mock

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.test import override_settings

from tests.factories import make_record
from tests.reads import decrypt
from umbrella.audit import actions
from umbrella.audit.models import AuditEvent
from umbrella.audit.verify import audit_chain_verify
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import NARRATIVE_COLUMN, Person, Record
from umbrella.cases.selectors import person_plaintext, record_detail
from umbrella.crypto import rotation
from umbrella.crypto.fields import PREFIX, ciphertext_key_id
from umbrella.crypto.keyring import data_key_cache
from umbrella.crypto.models import OrganisationKey

ONLY_SECOND_MASTER_KEY = "test2:c2Vjb25kLXRlc3QtbWFzdGVyLWtleS0zMi1ieXRlcyE="


def _person(n: int) -> PersonInput:
    return PersonInput(
        role="victim", given_name=f"Amina{n}", family_name="Okafor", date_of_birth=date(1990, 1, 1 + n % 28),
        email=f"amina{n}@example.org", phone="07700 900123", address=f"{n} High Street\nLondon",
        postcode="SW1A 1AA",
    )


def _records(actor: Any, count: int) -> list[Record]:
    return [
        make_record(actor=actor, narrative=f"Narrative number {n}: shouted at in the street.", people=[_person(n)])
        for n in range(count)
    ]


def _plaintext(organisation_id: int) -> dict[str, Any]:
    """Everything encrypted for one organisation, decrypted, keyed by row."""
    data_key_cache.clear()
    narratives = {
        r.pk: decrypt(r.narrative, column=NARRATIVE_COLUMN) for r in Record.objects.filter(organisation_id=organisation_id)
    }
    people = {p.pk: person_plaintext(p) for p in Person.objects.filter(organisation_id=organisation_id)}
    return {"records": narratives, "people": people}


def _key_ids(organisation_id: int) -> set[str | None]:
    """The data keys the organisation's ciphertext is under (every non-empty encrypted value)."""
    found: set[str | None] = set()
    for spec in rotation.encrypted_columns():
        names = [name for name, _ in spec.fields]
        for row in spec.model._default_manager.filter(**{spec.organisation: organisation_id}).values_list(*names):
            found.update(ciphertext_key_id(value) for value in row if value)
    return found


def _indexes() -> list[tuple[Any, ...]]:
    return list(
        Person.objects.order_by("pk").values_list("pk", "name_dob_index", "postcode_index", "phone_index", "email_index")
    )


def _active_key(organisation_id: int) -> str:
    return OrganisationKey.objects.get(organisation_id=organisation_id, is_active=True).key_id


def test_rewrap_moves_every_data_key_to_the_active_master_key_and_data_still_decrypts(world: Any) -> None:
    record = _records(world.officer, 1)[0]
    _records(world.caseworker, 1)
    assert set(OrganisationKey.objects.values_list("master_key_id", flat=True)) == {"test1"}
    before = {org: _plaintext(org) for org in (world.force.pk, world.centre.pk)}

    with override_settings(UMBRELLA_ACTIVE_MASTER_KEY_ID="test2"):
        out = StringIO()
        call_command("keys_rotate", stdout=out)
        assert "Re-wrapped 2 data key(s)" in out.getvalue()
        again = StringIO()
        call_command("keys_rotate", stdout=again)
        assert "Re-wrapped 0 data key(s)" in again.getvalue()

    assert set(OrganisationKey.objects.values_list("master_key_id", flat=True)) == {"test2"}
    # The old master key can now leave the keyring: everything still decrypts without it.
    with override_settings(UMBRELLA_MASTER_KEYS=ONLY_SECOND_MASTER_KEY, UMBRELLA_ACTIVE_MASTER_KEY_ID="test2"):
        assert {org: _plaintext(org) for org in before} == before
        view = record_detail(user=world.officer, record_id=record.pk)
        assert view.people[0].given_name == "Amina0"
    events = AuditEvent.objects.filter(action=actions.KEY_REWRAP)
    assert sorted(e.changes["organisation"] for e in events) == sorted([world.force.pk, world.centre.pk])
    assert all(e.actor_display == "system" for e in events)


def test_data_key_rotation_reencrypts_every_column_under_a_new_key(world: Any) -> None:
    _records(world.officer, 5)
    _records(world.caseworker, 2)
    force_before, centre_before = _plaintext(world.force.pk), _plaintext(world.centre.pk)
    old_force_key, old_centre_key = _active_key(world.force.pk), _active_key(world.centre.pk)
    indexes = _indexes()

    out = StringIO()
    call_command("keys_rotate", "--data-keys", "--batch-size", "2", "--no-progress", stdout=out)

    new_force_key, new_centre_key = _active_key(world.force.pk), _active_key(world.centre.pk)
    assert new_force_key != old_force_key and new_centre_key != old_centre_key
    assert _key_ids(world.force.pk) == {new_force_key}
    assert _key_ids(world.centre.pk) == {new_centre_key}
    assert _plaintext(world.force.pk) == force_before
    assert _plaintext(world.centre.pk) == centre_before
    assert _indexes() == indexes  # blind indexes do not depend on data keys
    # Old keys are retired, not deleted: backups taken before rotation still decrypt.
    assert OrganisationKey.objects.filter(key_id=old_force_key, is_active=False, retired_at__isnull=False).exists()
    assert "OK: 14 row(s) re-encrypted for 2 organisation(s)" in out.getvalue()

    batches = AuditEvent.objects.filter(action=actions.KEY_ROTATE_BATCH).order_by("id")
    force_batches = [e for e in batches if e.changes["organisation"] == world.force.pk]
    # Five records and five people in batches of two: 3 + 3 batches.
    assert [e.changes["rows"] for e in force_batches] == [2, 2, 1, 2, 2, 1]
    assert {e.changes["to_key"] for e in force_batches} == {new_force_key}
    assert {tuple(e.changes["from_keys"]) for e in force_batches} == {(old_force_key,)}
    everything_audited = str(list(AuditEvent.objects.values_list("changes", flat=True)))
    assert "Amina" not in everything_audited and "Narrative number" not in everything_audited
    assert AuditEvent.objects.filter(action=actions.KEY_CREATE, changes__reason="rotation").count() == 2
    assert audit_chain_verify().ok


def test_an_interrupted_rotation_loses_nothing_and_a_rerun_finishes_it(world: Any) -> None:
    _records(world.officer, 6)
    before = _plaintext(world.force.pk)
    indexes = _indexes()
    old_key = _active_key(world.force.pk)
    real_write = rotation.audit_event_write
    batches_audited = 0

    def killed_during_the_third_batch(**kwargs: Any) -> AuditEvent:
        # Raised after the third batch's rows were re-encrypted and saved, before it commits:
        # the worst moment to die.
        nonlocal batches_audited
        if kwargs["action"] == actions.KEY_ROTATE_BATCH:
            batches_audited += 1
            if batches_audited == 3:
                raise KeyboardInterrupt
        return real_write(**kwargs)

    with mock.patch.object(rotation, "audit_event_write", killed_during_the_third_batch):
        with pytest.raises(KeyboardInterrupt):
            call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--batch-size", "2", "--no-progress", stdout=StringIO())

    new_key = _active_key(world.force.pk)
    assert new_key != old_key
    # Two batches committed (four records), the third rolled back whole; every row still decrypts.
    narratives_on_new_key = Record.objects.filter(
        organisation=world.force, narrative__startswith=f"{PREFIX}:{new_key}:"
    ).count()
    assert narratives_on_new_key == 4
    assert _key_ids(world.force.pk) == {old_key, new_key}
    assert _plaintext(world.force.pk) == before
    assert AuditEvent.objects.filter(action=actions.KEY_ROTATE_BATCH).count() == 2

    out = StringIO()
    call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--batch-size", "2", "--no-progress", stdout=out)

    assert f"Resuming with data key {new_key}; 8 row(s) to re-encrypt" in out.getvalue()
    assert _active_key(world.force.pk) == new_key  # resumed, not started over with a third key
    assert OrganisationKey.objects.filter(organisation=world.force).count() == 2
    assert _key_ids(world.force.pk) == {new_key}
    assert _plaintext(world.force.pk) == before
    assert _indexes() == indexes
    assert audit_chain_verify().ok


def test_the_active_master_key_wraps_the_new_data_keys(world: Any) -> None:
    _records(world.officer, 1)
    with override_settings(UMBRELLA_ACTIVE_MASTER_KEY_ID="test2"):
        call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--no-progress", stdout=StringIO())
    assert set(OrganisationKey.objects.filter(organisation=world.force).values_list("master_key_id", flat=True)) == {"test2"}


def test_only_the_named_organisation_is_rotated(world: Any) -> None:
    _records(world.officer, 1)
    _records(world.caseworker, 1)
    centre_key = _active_key(world.centre.pk)
    call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--no-progress", stdout=StringIO())
    assert _active_key(world.centre.pk) == centre_key
    assert _key_ids(world.centre.pk) == {centre_key}
    assert _key_ids(world.force.pk) == {_active_key(world.force.pk)}


def test_an_unknown_organisation_is_refused(world: Any) -> None:
    with pytest.raises(CommandError, match="No organisation with slug nowhere"):
        call_command("keys_rotate", "--organisation", "nowhere", stdout=StringIO())


def test_a_value_that_is_not_ciphertext_stops_the_run_and_changes_nothing(world: Any) -> None:
    records = _records(world.officer, 3)
    Record.objects.filter(pk=records[1].pk).update(narrative="plain text that should never be here")
    stored = dict(Record.objects.values_list("pk", "narrative"))
    with pytest.raises(Exception, match="not Umbrella ciphertext"):
        call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--batch-size", "5", "--no-progress", stdout=StringIO())
    assert dict(Record.objects.values_list("pk", "narrative")) == stored


def test_every_encrypted_value_in_the_database_is_in_a_column_rotation_knows(world: Any) -> None:
    """Guards the column list: a new encrypted column that rotation would skip fails here."""
    _records(world.officer, 2)
    known = {(spec.model_label.lower(), name) for spec in rotation.encrypted_columns() for name, _ in spec.fields}
    found: set[tuple[str, str]] = set()
    for model in apps.get_models():
        text_fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.TextField, models.CharField))]
        for name in text_fields:
            if model._default_manager.filter(**{f"{name}__startswith": f"{PREFIX}:"}).exists():
                found.add((model._meta.label_lower, name))
    assert found, "the records made above hold ciphertext"
    assert found <= known, f"encrypted columns rotation does not know about: {found - known}"


def test_rotation_moves_every_declared_column_not_only_records_and_people(world: Any) -> None:
    """Evidential assessment reasons and review notes (sealed through the record's organisation)
    move to the new key with the rest."""
    from tests.review.factories import decide
    from umbrella.cases.models import ASSESSMENT_REASON_COLUMN, StrandAssessment
    from umbrella.cases.services import strand_assess
    from umbrella.review.models import NOTE_COLUMN, Decision

    record = _records(world.officer, 1)[0]
    strand_assess(actor=world.supervisor, record=record, strand_id=record.strands.get().pk,
                  assessment="supported", reason="CCTV shows the words")
    decide(world.hub_reviewer, record, note="Checked against the call recording")

    call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--no-progress", stdout=StringIO())

    new_key = _active_key(world.force.pk)
    reason = StrandAssessment.objects.get().reason
    note = Decision.objects.get().note
    assert ciphertext_key_id(reason) == new_key and ciphertext_key_id(note) == new_key
    data_key_cache.clear()
    assert decrypt(reason, column=ASSESSMENT_REASON_COLUMN) == "CCTV shows the words"
    assert decrypt(note, column=NOTE_COLUMN) == "Checked against the call recording"


def test_a_column_no_model_declares_cannot_be_encrypted(world: Any) -> None:
    from umbrella.crypto.fields import encrypt

    with pytest.raises(LookupError, match="not declared"):
        encrypt("text", organisation_id=world.force.pk, column="cases.record.not_a_declared_column")


def test_rotation_moves_evidence_files_and_leaves_no_file_under_the_old_key(
    world: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.intake.factories import submit
    from umbrella.intake.answers import EvidenceFile
    from umbrella.intake.evidence import evidence_read, evidence_root
    from umbrella.intake.models import Evidence

    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    picture = b"\x89PNG\r\n\x1a\n" + b"pixels of the victim's photo" * 10
    submit(evidence=[EvidenceFile("photo.png", "image/png", picture), EvidenceFile("note.txt", "text/plain", b"hi")])
    old_key = _active_key(world.force.pk)
    old_paths = set(Evidence.objects.values_list("path", flat=True))
    assert {ciphertext_key_id("enc1:" + k + ":x") for k in Evidence.objects.values_list("key_id", flat=True)} == {old_key}

    # The command runs outside any transaction; here the test's own holds the commit callbacks.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("keys_rotate", "--data-keys", "--organisation", "mps", "--no-progress", stdout=StringIO())

    new_key = _active_key(world.force.pk)
    assert new_key != old_key
    assert set(Evidence.objects.values_list("key_id", flat=True)) == {new_key}
    data_key_cache.clear()
    assert sorted(evidence_read(e)[1] for e in Evidence.objects.all()) == sorted([picture, b"hi"])
    left = {str(p.relative_to(evidence_root())) for p in evidence_root().rglob("*.bin")}
    assert left.isdisjoint(old_paths) and len(left) == 2  # the old files are gone
    assert rotation.rows_to_reencrypt(organisation_id=world.force.pk, key_id=new_key) == 0
