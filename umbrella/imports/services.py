"""Writing imported records in batches.

``cases.services.record_create`` writes one record in about a dozen queries and needs the actor
to belong to the organisation; an import of 100,000 rows needs more than 1,000 rows a second
and may be run by a system administrator for any organisation. So a batch is written with
bulk inserts, but keeps every rule that matters: rows were validated by ``imports.rows`` (the
same checks record_create makes), the narrative is encrypted under the organisation's key,
references come from the same per-organisation counter, and every record gets its own
``record.create`` audit event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from umbrella.accounts.models import Role
from umbrella.accounts.policy import IMPORTERS, has_role
from umbrella.audit.services import PendingEvent, audit_event_write, audit_events_write_many
from umbrella.cases import actions as record_actions
from umbrella.cases import signals
from umbrella.cases.models import (
    NARRATIVE_COLUMN,
    STATUS_REASON_COLUMN,
    STRAND_NOTE_COLUMN,
    Offence,
    Record,
    RecordStatus,
    RecordStrand,
    ReferenceCounter,
)
from umbrella.cases.services import record_snapshot, sealed_place
from umbrella.core.db import insert_many
from umbrella.crypto.fields import encrypt
from umbrella.imports import actions as import_actions
from umbrella.imports.rows import ImportRow
from umbrella.imports.selectors import existing_source_references
from umbrella.outcomes.services import outcomes_import_many

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.agencies.models import Organisation
    from umbrella.reference.models import Code, ReferenceVersion


@dataclass(frozen=True)
class BatchResult:
    created: int
    already_imported: int


def check_importer(*, actor: User, organisation: Organisation) -> None:
    """Importers write into their own organisation; system administrators into any."""
    if not has_role(actor, IMPORTERS):
        raise PermissionDenied(f"{actor.username}'s role cannot import records.")
    if actor.role != Role.SYSTEM_ADMIN and actor.organisation_id != organisation.pk:
        raise PermissionDenied(f"{actor.username} can only import into their own organisation.")


def _reserve_references(*, organisation: Organisation, count: int) -> list[str]:
    year = timezone.now().year
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        organisation_id=organisation.pk, year=year
    )
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{organisation.reference_prefix}-{year}-{n:06d}" for n in range(first, first + count)]


def _code(code: Code | None) -> str | None:
    return code.code if code is not None else None


def _audit_changes(record: Record, row: ImportRow, *, source_system: str, run_id: str = "") -> dict[str, Any]:
    # The same shape as cases.services.record_create's event, so timelines read the same.
    return {
        "after": record_snapshot(record, place=row.location),
        "narrative": "set" if row.narrative else "empty",
        "strands": [
            {"strand": s.strand.code, "sub_category": _code(s.sub_category), "perceiver": s.perceiver.code}
            for s in row.strands
        ],
        "offences": [{"offence": o.offence.code, "aggravated": o.is_aggravated} for o in row.offences],
        "people": [],
        "source": {"system": source_system, "reference": row.source_reference},
        "via": "import",
        **({"import_run": run_id} if run_id else {}),
    }


RECORD_FIELDS = tuple(f.name for f in Record._meta.concrete_fields if not f.primary_key)


def _insert_records(records: list[Record], *, organisation: Organisation, now: datetime) -> None:
    """Inserts new records and gives each its id, read back by its (just reserved) reference."""
    for record in records:
        record.created_at = record.updated_at = now
    fields = [Record._meta.get_field(name) for name in RECORD_FIELDS]
    insert_many(Record, RECORD_FIELDS, [[getattr(r, f.attname) for f in fields] for r in records])  # type: ignore[union-attr]
    ids = dict(
        Record.objects.filter(organisation_id=organisation.pk, reference__in=[r.reference for r in records])
        .order_by()
        .values_list("reference", "pk")
    )
    for record in records:
        record.pk = ids[record.reference]
        record._state.adding = False


def _audit_creates(actor: User, events: list[tuple[Record, dict[str, Any]]]) -> None:
    """One ``record.create`` event per record, written in one go (see audit_events_write_many)."""
    target_type = Record._meta.label_lower
    audit_events_write_many(
        actor=actor,
        events=[
            PendingEvent(
                action=record_actions.RECORD_CREATE, target_type=target_type, target_id=str(record.pk),
                target_label=record.reference, record_id=record.pk, changes=changes,
            )
            for record, changes in events
        ],
    )


@transaction.atomic
def records_import_batch(
    *,
    actor: User,
    organisation: Organisation,
    source_system: str,
    rows: Sequence[ImportRow],
    reference_version: ReferenceVersion,
    run_id: str = "",
) -> BatchResult:
    """Creates the rows not already imported (by source system and reference) and audits each."""
    check_importer(actor=actor, organisation=organisation)
    existing = existing_source_references(
        organisation=organisation, source_system=source_system, references=[row.source_reference for row in rows]
    )
    new_rows = [row for row in rows if row.source_reference not in existing]
    if not new_rows:
        return BatchResult(created=0, already_imported=len(rows))
    now = timezone.now()
    team_id = actor.team_id if actor.organisation_id == organisation.pk else None
    records = []
    for row, reference in zip(new_rows, _reserve_references(organisation=organisation, count=len(new_rows)), strict=True):
        location, flags = row.location, row.flags
        records.append(
            Record(
                organisation_id=organisation.pk,
                team_id=team_id,
                reference=reference,
                kind=row.kind,
                status=row.status,
                status_reason=encrypt(row.status_reason, organisation_id=organisation.pk, column=STATUS_REASON_COLUMN) or "",
                closure_reason=row.closure_reason,
                occurred_from=row.occurred_from,
                occurred_to=row.occurred_to,
                reported_at=row.reported_at,
                recorded_at=row.recorded_at or (None if row.status == RecordStatus.DRAFT else now),
                **sealed_place(organisation_id=organisation.pk, location=location),
                borough=location.borough,
                lsoa_code=location.lsoa_code,
                area_code="" if location.borough else location.area_code,
                area_name="" if location.borough else location.area_name,
                location_type=location.location_type,
                online_platform=location.online_platform,
                narrative=encrypt(row.narrative, organisation_id=organisation.pk, column=NARRATIVE_COLUMN) or "",
                is_online=flags.is_online,
                is_domestic_abuse=flags.is_domestic_abuse,
                is_asb_related=flags.is_asb_related,
                is_alcohol_drug_related=flags.is_alcohol_drug_related,
                reference_version_id=reference_version.pk,
                source_system=source_system,
                source_reference=row.source_reference,
                created_by_id=actor.pk,
            )
        )
    _insert_records(records, organisation=organisation, now=now)
    insert_many(
        RecordStrand,
        ("record", "strand", "sub_category", "perceiver", "is_monitored", "note", "added_at"),
        [
            (record.pk, s.strand.pk, s.sub_category.pk if s.sub_category else None, s.perceiver.pk,
             bool(s.strand.attributes.get("monitored", False)),
             encrypt(s.note.strip(), organisation_id=organisation.pk, column=STRAND_NOTE_COLUMN) or "", now)
            for record, row in zip(records, new_rows, strict=True)
            for s in row.strands
        ],
    )
    insert_many(
        Offence,
        ("record", "offence", "is_aggravated"),
        [(record.pk, o.offence.pk, o.is_aggravated) for record, row in zip(records, new_rows, strict=True) for o in row.offences],
    )
    _audit_creates(actor, [(record, _audit_changes(record, row, source_system=source_system, run_id=run_id))
                           for record, row in zip(records, new_rows, strict=True)])
    with_outcome = [(record, row.outcome) for record, row in zip(records, new_rows, strict=True) if row.outcome is not None]
    if with_outcome:
        for record, _ in with_outcome:
            record.organisation = organisation  # what the outcome rule reads, without a query per row
        outcomes_import_many(actor=actor, outcomes=with_outcome)
    # The same follow-up as a record made on a page (review queue, screening), set-based.
    signals.records_created.send(sender=Record, record_ids=[record.pk for record in records], actor=actor)
    return BatchResult(created=len(new_rows), already_imported=len(rows) - len(new_rows))


@transaction.atomic
def records_import_start(
    *, actor: User, organisation: Organisation, source_system: str, mapping: str, file_name: str,
) -> str:
    """Records that an import run began, before its first batch: a run killed part-way still shows
    in the audit (its records carry the run's id), and a start with no finish says it did not end."""
    import uuid

    run_id = uuid.uuid4().hex
    audit_event_write(
        actor=actor, action=import_actions.RECORDS_IMPORT_START, target=organisation,
        target_label=organisation.reference_prefix,
        changes={"organisation": organisation.slug, "source_system": source_system, "mapping": mapping,
                 "file": file_name, "import_run": run_id},
    )
    return run_id


@transaction.atomic
def records_import_finish(
    *, actor: User, organisation: Organisation, source_system: str, mapping: str, file_name: str,
    rows: int, created: int, already_imported: int, duplicates: int = 0, run_id: str = "",
) -> None:
    """One summary event per import run: what was read and what it made. No row content."""
    audit_event_write(
        actor=actor,
        action=import_actions.RECORDS_IMPORT,
        target=organisation,
        target_label=organisation.reference_prefix,
        changes={
            "organisation": organisation.slug,
            "source_system": source_system,
            "mapping": mapping,
            "file": file_name,
            "rows": rows,
            "created": created,
            "already_imported": already_imported,
            "duplicates_skipped": duplicates,
            **({"import_run": run_id} if run_id else {}),
        },
    )
