"""Sharing a third-party record with the police: who may grant, what the police then see, and when it stops."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.cases.models import Record, RecordShare, ShareScope
from umbrella.cases.selectors import record_detail
from umbrella.sharing import actions as share_actions
from umbrella.sharing.selectors import share_get, shares_for_record
from umbrella.sharing.services import share_grant, share_revoke

VICTIM = PersonInput(
    role="victim", given_name="Amina", family_name="Okafor", phone="07700 900123", email="amina@example.org",
    address="12 Acacia Avenue", postcode="N1 9GU",
)
IDENTIFYING = ("Amina", "Okafor", "07700", "amina@example.org", "Acacia Avenue", "N1 9GU")


@pytest.fixture
def centre_record(world: Any) -> Record:
    return make_record(actor=world.caseworker, people=[VICTIM])


def _grant(world: Any, record: Record, scope: str = ShareScope.FULL, **overrides: Any) -> RecordShare:
    kwargs: dict[str, Any] = {
        "actor": world.caseworker, "record": record, "organisation": world.force, "scope": scope,
        "legal_basis": "", "consent_reference": "CONSENT-2026-0042", "reason": "Victim asked for police action",
    }
    kwargs.update(overrides)
    return share_grant(**kwargs)


def _page(world: Any, record: Record, user: Any | None = None) -> Any:
    client = Client()
    client.force_login(user or world.officer)
    return client.get(reverse("cases:record-detail", args=[record.pk]))


def test_police_cannot_see_an_unshared_third_party_record(world: Any, centre_record: Record) -> None:
    assert not Record.objects.visible_to(world.officer).filter(pk=centre_record.pk).exists()
    with pytest.raises(Record.DoesNotExist):
        record_detail(user=world.officer, record_id=centre_record.pk)
    response = _page(world, centre_record)
    assert response.status_code == 404
    assert not any(text in response.content.decode() for text in IDENTIFYING + (centre_record.reference,))


def test_a_full_share_shows_the_record_with_identities(world: Any, centre_record: Record) -> None:
    _grant(world, centre_record)
    assert Record.objects.visible_to(world.officer).filter(pk=centre_record.pk).exists()
    response = _page(world, centre_record)
    assert response.status_code == 200
    page = response.content.decode()
    assert centre_record.reference in page and "Amina Okafor" in page and "07700 900123" in page
    # The other police force was not part of the share.
    assert _page(world, centre_record, world.outsider).status_code == 404


def test_an_anonymised_share_shows_the_incident_but_nobody_s_identity(world: Any, centre_record: Record) -> None:
    _grant(world, centre_record, ShareScope.ANONYMISED)
    view = record_detail(user=world.officer, record_id=centre_record.pk)
    assert view.access == "anonymised"
    assert [(p.display_name, p.given_name, p.phone) for p in view.people] == [("Victim (anonymised)", "", "")]
    response = _page(world, centre_record)
    assert response.status_code == 200
    page = response.content.decode()
    assert "shouted at outside the shop" in page  # the incident itself is shared
    assert "Victim (anonymised)" in page
    assert [text for text in IDENTIFYING if text in page] == []


def test_a_full_share_wins_over_an_anonymised_one(world: Any, centre_record: Record) -> None:
    _grant(world, centre_record, ShareScope.ANONYMISED)
    _grant(world, centre_record, ShareScope.FULL)
    assert record_detail(user=world.officer, record_id=centre_record.pk).access == "full"


def test_an_expired_share_hides_the_record_again(world: Any, centre_record: Record) -> None:
    share = _grant(world, centre_record, expires_at=timezone.now() + timedelta(days=30))
    assert _page(world, centre_record).status_code == 200
    # Time passes: the expiry is now behind us.
    RecordShare.objects.filter(pk=share.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not Record.objects.visible_to(world.officer).filter(pk=centre_record.pk).exists()
    assert _page(world, centre_record).status_code == 404


def test_a_revoked_share_hides_the_record_again_and_both_steps_are_audited(world: Any, centre_record: Record) -> None:
    share = _grant(world, centre_record)
    assert _page(world, centre_record).status_code == 200
    revoked = share_revoke(actor=world.caseworker, share=share, reason="Victim withdrew consent")
    assert revoked.revoked_at is not None and revoked.revoked_by == world.caseworker
    assert not Record.objects.visible_to(world.officer).filter(pk=centre_record.pk).exists()
    assert _page(world, centre_record).status_code == 404

    grant_event = AuditEvent.objects.get(action=share_actions.SHARE_GRANT)
    revoke_event = AuditEvent.objects.get(action=share_actions.SHARE_REVOKE)
    for event in (grant_event, revoke_event):
        assert (event.record_id, event.target_label, event.actor_id) == (
            centre_record.pk, centre_record.reference, world.caseworker.pk
        )
        assert event.changes["organisation"] == world.force.pk and event.changes["scope"] == "full"
        assert event.changes["consent_reference"] == "CONSENT-2026-0042"
        assert "Victim" not in str(event.changes)  # free-text reasons stay out of the immutable log


def test_only_the_owning_organisation_s_writers_may_grant_or_revoke(world: Any, centre_record: Record) -> None:
    # Not visible to them at all: answered as missing.
    for outsider in (world.officer, world.other_caseworker, world.supervisor):
        with pytest.raises(Record.DoesNotExist):
            _grant(world, centre_record, actor=outsider)
    share = _grant(world, centre_record)
    # The police can now see it, but sharing it onwards is the centre's decision.
    with pytest.raises(PermissionDenied):
        _grant(world, centre_record, actor=world.officer, organisation=world.other_force)
    with pytest.raises(PermissionDenied):
        share_revoke(actor=world.officer, share=share, reason="no")
    assert RecordShare.objects.count() == 1
    assert RecordShare.objects.get().revoked_at is None


def test_a_police_supervisor_may_share_their_force_s_record(world: Any) -> None:
    record = make_record(actor=world.officer)
    share = share_grant(
        actor=world.supervisor, record=record, organisation=world.centre, scope=ShareScope.ANONYMISED,
        legal_basis="Crime and Disorder Act 1998 s115", reason="Referral for victim support",
    )
    assert Record.objects.visible_to(world.caseworker).filter(pk=record.pk).exists()
    assert share.granted_by == world.supervisor
    # An analyst reads but does not write records, so cannot share them.
    with pytest.raises(PermissionDenied):
        share_grant(
            actor=world.analyst, record=record, organisation=world.centre, scope=ShareScope.FULL,
            legal_basis="s115", reason="x",
        )


def test_bad_grants_are_refused_and_leave_nothing_behind(world: Any, centre_record: Record) -> None:
    events_before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        _grant(
            world, centre_record, scope="everything", consent_reference="  ", reason=" ",
            expires_at=timezone.now() - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"scope", "legal_basis", "reason", "expires_at"}
    with pytest.raises(ValidationError) as own:
        _grant(world, centre_record, organisation=world.centre)
    assert "organisation" in own.value.message_dict
    assert RecordShare.objects.count() == 0
    assert AuditEvent.objects.count() == events_before


def test_revoking_twice_or_without_a_reason_is_refused(world: Any, centre_record: Record) -> None:
    share = _grant(world, centre_record)
    with pytest.raises(ValidationError) as no_reason:
        share_revoke(actor=world.caseworker, share=share, reason="")
    assert "reason" in no_reason.value.message_dict
    share_revoke(actor=world.caseworker, share=share, reason="Consent withdrawn")
    with pytest.raises(ValidationError) as twice:
        share_revoke(actor=world.caseworker, share=share, reason="Again")
    assert "share" in twice.value.message_dict
    assert AuditEvent.objects.filter(action=share_actions.SHARE_REVOKE).count() == 1


def test_share_lists_are_scoped(world: Any, centre_record: Record) -> None:
    to_force = _grant(world, centre_record)
    to_other_centre = _grant(world, centre_record, organisation=world.other_centre, scope=ShareScope.ANONYMISED)
    assert list(shares_for_record(user=world.caseworker, record_id=centre_record.pk)) == [to_other_centre, to_force]
    # A receiving organisation sees its own share, not who else the record went to.
    assert list(shares_for_record(user=world.officer, record_id=centre_record.pk)) == [to_force]
    with pytest.raises(Record.DoesNotExist):
        shares_for_record(user=world.outsider, record_id=centre_record.pk)
    share_revoke(actor=world.caseworker, share=to_force, reason="Done")
    assert list(shares_for_record(user=world.caseworker, record_id=centre_record.pk, include_ended=False)) == [
        to_other_centre
    ]
    assert share_get(user=world.caseworker, share_id=to_force.pk) == to_force
    with pytest.raises(RecordShare.DoesNotExist):
        share_get(user=world.other_caseworker, share_id=to_other_centre.pk)


def test_why_a_record_was_shared_and_why_the_share_ended_are_sealed_with_the_owners_key(
    world: Any, centre_record: Record
) -> None:
    from io import StringIO

    from django.core.management import call_command

    from tests.reads import decrypt
    from umbrella.crypto.fields import ciphertext_key_id
    from umbrella.crypto.keyring import data_key_cache
    from umbrella.crypto.models import OrganisationKey

    share = _grant(world, centre_record, reason="Amina asked us to tell the police about her neighbour")
    share_revoke(actor=world.caseworker, share=share, reason="Amina withdrew her consent on the phone")
    stored = RecordShare.objects.values("reason", "revocation_reason").get(pk=share.pk)
    assert "Amina" not in str(stored)
    assert decrypt(stored["reason"], column="sharing.recordshare.reason").startswith("Amina asked")
    assert decrypt(stored["revocation_reason"], column="sharing.recordshare.revocation_reason").startswith("Amina withdrew")
    assert "Amina" not in str(AuditEvent.objects.filter(record_id=centre_record.pk).values_list("changes", flat=True))
    # Key rotation finds the columns through the model's declaration.
    call_command("keys_rotate", "--data-keys", "--organisation", world.centre.slug, "--no-progress",
                 stdout=StringIO())
    active = OrganisationKey.objects.get(organisation=world.centre, is_active=True).key_id
    moved = RecordShare.objects.values("reason", "revocation_reason").get(pk=share.pk)
    assert ciphertext_key_id(moved["reason"]) == active == ciphertext_key_id(moved["revocation_reason"])
    data_key_cache.clear()
    assert decrypt(moved["reason"], column="sharing.recordshare.reason").startswith("Amina asked")


@pytest.mark.parametrize("limit", [1000, 1], ids=["ids listed", "a subquery beyond the limit"])
def test_many_shares_scope_the_same_records_with_query_text_that_does_not_grow(
    world: Any, limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from umbrella.cases import scoping

    monkeypatch.setattr(scoping, "SHARED_ID_LIST_LIMIT", limit)
    own = make_record(actor=world.officer)
    shared = [make_record(actor=world.caseworker, people=[VICTIM]) for _ in range(3)]
    hidden = make_record(actor=world.caseworker, people=[VICTIM])
    for record in shared:
        _grant(world, record)
    _grant(world, shared[0], organisation=world.other_force)  # another force's share is not this force's
    share_revoke(actor=world.caseworker, share=RecordShare.objects.get(record=shared[2], organisation=world.force),
                 reason="Victim withdrew consent")
    for user in (world.officer, world.hub_reviewer):
        with CaptureQueriesContext(connection) as queries:
            seen = set(Record.objects.visible_to(user).values_list("pk", flat=True))
        # The force's own record and the two still shared (each carries a strand, as the hub's view needs).
        assert seen == {own.pk, shared[0].pk, shared[1].pk}
        scoped = queries.captured_queries[-1]["sql"]
        assert ('"id" IN (SELECT' in scoped) is (limit == 1), scoped
    assert record_detail(user=world.officer, record_id=shared[1].pk).record.pk == shared[1].pk
    with pytest.raises(Record.DoesNotExist):
        record_detail(user=world.officer, record_id=hidden.pk)


def test_a_record_page_looks_the_shares_up_once_and_a_share_made_during_a_request_is_seen(
    world: Any, centre_record: Record
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from umbrella.core.context import request_context, request_memo

    _grant(world, centre_record)
    client = Client()
    client.force_login(world.officer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:record-detail", args=[centre_record.pk])).status_code == 200
    lookups = [q for q in queries.captured_queries if "LIMIT 1001" in q["sql"] and "sharing_recordshare" in q["sql"]]
    assert len(lookups) == 1, len(lookups)
    assert request_memo() is None  # outside a web request nothing is remembered
    other = make_record(actor=world.caseworker, people=[VICTIM])
    with request_context(memoise=True):
        assert not Record.objects.visible_to(world.officer).filter(pk=other.pk).exists()
        _grant(world, other)
        assert Record.objects.visible_to(world.officer).filter(pk=other.pk).exists()
        share_revoke(actor=world.caseworker, share=RecordShare.objects.get(record=other, organisation=world.force),
                     reason="Victim withdrew consent")
        assert not Record.objects.visible_to(world.officer).filter(pk=other.pk).exists()
