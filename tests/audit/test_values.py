"""The audit log names what changed about a place, never the place."""

from __future__ import annotations

from tests.conftest import World
from tests.factories import make_record
from umbrella.audit.models import AuditEvent
from umbrella.audit.values import keyed_value
from umbrella.cases.inputs import FlagsInput, LocationInput
from umbrella.cases.services import (
    record_change_status,
    record_link,
    record_update,
)

SECRETS = ("Flat 3, 12 Acacia Avenue", "E1 6AN", "51.5171", "-0.0712")


def test_places_reach_the_log_only_as_keyed_hashes(world: World) -> None:
    record = make_record(actor=world.officer)
    other = make_record(actor=world.officer)
    record = record_update(
        actor=world.officer, record=record, row_version=record.row_version, kind=record.kind,
        reported_at=record.reported_at, occurred_from=record.occurred_from, occurred_to=None,
        narrative="Shouted at outside her flat.", team_id=None,
        location=LocationInput(description="Outside Flat 3, 12 Acacia Avenue", postcode="E1 6AN",
                               borough=record.borough, latitude=51.5171, longitude=-0.0712),
        flags=FlagsInput(),
    )
    # Later events about the record carry no place either.
    record_link(actor=world.officer, record=record, other=other, reason="Same evening, same street")
    record_change_status(actor=world.officer, record=record, status="under_investigation")
    logged = " ".join(str(changes) for changes in AuditEvent.objects.values_list("changes", flat=True))
    leaked = [secret for secret in SECRETS if secret in logged]
    assert not leaked, f"in the audit log: {leaked}"
    update = AuditEvent.objects.filter(action="record.update", record_id=record.pk).latest("id").changes
    assert update["postcode"]["to"] == keyed_value("E1 6AN")  # an investigator with the key can check
    assert update["postcode"]["from"] == keyed_value("SW1A 1AA") and set(update) >= {"location_description", "coordinates"}
