"""What an event keeps of its target's label: a display name cut to the column (PostgreSQL refuses
a longer one; SQLite would keep it), in the single and the batched write alike, chained as stored."""

from __future__ import annotations

from django.db import transaction

from tests.conftest import World
from umbrella.audit.models import AuditEvent
from umbrella.audit.sealer import audit_chain_seal
from umbrella.audit.services import PendingEvent, audit_event_write, audit_events_write_many
from umbrella.audit.verify import audit_chain_verify

LONG = "International football final (fictional): online racist abuse of players"


def test_a_long_label_is_cut_to_the_column_and_the_chain_verifies(world: World) -> None:
    with transaction.atomic():
        one = audit_event_write(actor=world.hub_reviewer, action="test.long_label", target_label=LONG)
        audit_events_write_many(actor=world.hub_reviewer, events=[
            PendingEvent(action="test.long_label", target_type="x", target_id="1", target_label=LONG),
        ])
    labels = list(AuditEvent.objects.filter(action="test.long_label").values_list("target_label", flat=True))
    assert labels == [one.target_label] * 2 and len(one.target_label) == 64 and one.target_label.endswith("…")
    assert LONG.startswith(one.target_label[:-1])
    audit_chain_seal()
    assert audit_chain_verify().ok
