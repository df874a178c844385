"""Writes planned demo records in bulk, with the same encryption and audit as the cases services.

``cases.services.record_create`` costs a dozen queries a record; fifteen thousand of them take
minutes on SQLite, too slow for ``make demo``. So this loader inserts each batch of records, and
their strands, offences and people, with ``bulk_create``, while keeping everything the services
guarantee:

- narratives and identity fields are encrypted with the owning organisation's data key
  (``crypto.fields.encrypt``) and people get the same blind indexes;
- references come from the organisation's ``ReferenceCounter``, so records made later through
  the services carry on numbering without clashes;
- every write has its event on the audit hash chain, appended a batch at a time in the services'
  order (``audit_events_write_in_order``) with the same change summaries the services write, so
  timelines read the same and ``umbrella audit verify`` passes;
- shares with the police go through ``sharing.services.share_grant`` itself (a few hundred).

Records take the year they were reported in their reference (``MPS-2024-000123``), as if they had
been entered at the time; audit events carry the real time they were loaded.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.core.management.base import CommandError
from django.db import transaction

from umbrella.audit.services import PendingEvent, audit_events_write_in_order
from umbrella.audit.values import keyed_value
from umbrella.cases import actions as record_actions
from umbrella.cases.inputs import LocationInput, PersonInput
from umbrella.cases.models import (
    NARRATIVE_COLUMN,
    STATUS_REASON_COLUMN,
    Offence,
    Person,
    Record,
    RecordPerson,
    RecordStatus,
    RecordStrand,
    ReferenceCounter,
    ShareScope,
)
from umbrella.cases.services import (
    change_reasons_keep,
    person_build,
    record_snapshot,
    sealed_place,
    strand_summary,
)
from umbrella.consent.models import ConsentDecision, ConsentMethod, ConsentScope
from umbrella.consent.services import STANDARD_CONSENT_WORDS, consent_capture
from umbrella.crypto.fields import (
    encrypt,
)
from umbrella.demo.generator import PersonPlan, RecordPlan, close_reason_code
from umbrella.demo.personas import DemoWorld
from umbrella.reference.models import Code, ReferenceVersion
from umbrella.reference.selectors import latest_version
from umbrella.sharing.services import share_grant

if TYPE_CHECKING:
    from umbrella.accounts.models import User

SOURCE_SYSTEM = "demo"
# The same column names the cases services bind ciphertext to (crypto.fields AAD).
EQUALITY_FIELDS = ("ethnicity", "sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation")
POLICE = "mps"
SHARE_REASON = "Reported to the centre; passed to the police hate crime hub for investigation and intelligence."
CONSENT_BASIS = "Consent of the person reporting"
ANONYMISED_BASIS = "Crime and Disorder Act 1998 s115: anonymised information for crime reduction"


class CodeBook:
    """The current reference codes by (scheme, code), read once."""

    def __init__(self) -> None:
        self.codes: dict[tuple[str, str], Code] = {
            (row.scheme, row.code): row for row in Code.objects.current()
        }
        missing = [scheme for scheme in ("strand", "perceiver", "borough") if not self.of_scheme(scheme)]
        if missing:
            raise CommandError(
                f"Reference data is missing ({', '.join(missing)}); run the reference data seed first."
            )

    def of_scheme(self, scheme: str) -> list[str]:
        return [code for (s, code) in self.codes if s == scheme]

    def get(self, scheme: str, code: str | None) -> Code | None:
        if code is None:
            return None
        return self.codes.get((scheme, code))


@dataclass
class LoadResult:
    planned: int
    created: int = 0
    skipped: int = 0
    status_changes: int = 0
    shares: int = 0
    people: int = 0
    seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.created / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Context:
    world: DemoWorld
    codes: CodeBook
    version: ReferenceVersion
    now: datetime
    # (organisation id, person key) -> the Person already written for a recurring person.
    known_people: dict[tuple[int, str], Person] = field(default_factory=dict)


# ---- rows ----------------------------------------------------------------------------------


def _status_path(plan: RecordPlan) -> list[str]:
    """The statuses a record passes through after creation, as the services would move it."""
    path: list[str] = []
    if plan.status == RecordStatus.UNDER_INVESTIGATION or plan.via_investigation:
        path.append(RecordStatus.UNDER_INVESTIGATION)
    if plan.status == RecordStatus.CLOSED:
        path.append(RecordStatus.CLOSED)
    return path


def _first_status(plan: RecordPlan) -> str:
    return RecordStatus.DRAFT if plan.status == RecordStatus.DRAFT else RecordStatus.RECORDED


def _assign_references(plans: Sequence[RecordPlan], ctx: _Context) -> list[str]:
    """Takes numbers from each organisation's counter for the year each record was reported."""
    needed = Counter((ctx.world.organisations[p.organisation].pk, p.reported_at.year) for p in plans)
    next_number: dict[tuple[int, int], int] = {}
    for (organisation_id, year), count in sorted(needed.items()):
        counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
            organisation_id=organisation_id, year=year
        )
        next_number[(organisation_id, year)] = counter.last_number + 1
        counter.last_number += count
        counter.save(update_fields=["last_number"])
    prefixes = {org.pk: org.reference_prefix for org in ctx.world.organisations.values()}
    references: list[str] = []
    for plan in plans:
        organisation_id = ctx.world.organisations[plan.organisation].pk
        slot = (organisation_id, plan.reported_at.year)
        references.append(f"{prefixes[organisation_id]}-{plan.reported_at.year}-{next_number[slot]:06d}")
        next_number[slot] += 1
    return references


def _record_row(plan: RecordPlan, reference: str, ctx: _Context) -> Record:
    organisation = ctx.world.organisations[plan.organisation]
    codes = ctx.codes
    path = _status_path(plan)
    recorded_at = None
    if plan.status != RecordStatus.DRAFT:
        # Entered shortly after the report; never in the future.
        minutes = int(plan.reported_at.timestamp()) % 90 + 2
        recorded_at = min(plan.reported_at + timedelta(minutes=minutes), ctx.now)
    location = plan.location
    return Record(
        organisation=organisation,
        team=ctx.world.teams[plan.team] if plan.team else None,
        reference=reference,
        kind=plan.kind,
        status=plan.status,
        status_reason=encrypt(
            plan.close_reason if plan.status == RecordStatus.CLOSED else "",
            organisation_id=organisation.pk, column=STATUS_REASON_COLUMN,
        ) or "",
        closure_reason=(
            codes.get("status_reason", close_reason_code(plan.close_reason)) if plan.status == RecordStatus.CLOSED else None
        ),
        occurred_from=plan.occurred_from,
        occurred_to=plan.occurred_to,
        reported_at=plan.reported_at,
        recorded_at=recorded_at,
        **sealed_place(organisation_id=organisation.pk, location=_place(plan)),
        borough=codes.get("borough", location.borough),
        location_type=codes.get("location_type", location.location_type),
        online_platform=codes.get("online_platform", location.online_platform),
        narrative=encrypt(plan.narrative, organisation_id=organisation.pk, column=NARRATIVE_COLUMN) or "",
        is_online=plan.is_online,
        is_domestic_abuse=plan.is_domestic_abuse,
        is_asb_related=plan.is_asb_related,
        is_alcohol_drug_related=plan.is_alcohol_drug_related,
        reference_version=ctx.version,
        source_system=SOURCE_SYSTEM,
        source_reference=plan.source_reference,
        created_by=ctx.world.users[plan.actor],
        row_version=1 + len(path),
    )


def _place(plan: RecordPlan) -> LocationInput:
    location = plan.location
    return LocationInput(
        description=location.description, postcode=location.postcode,
        latitude=location.latitude, longitude=location.longitude,
    )


def _strand_rows(plan: RecordPlan, record: Record, codes: CodeBook) -> list[RecordStrand]:
    rows: list[RecordStrand] = []
    for strand_code, sub_code, perceiver_code in plan.strands:
        strand = codes.get("strand", strand_code)
        perceiver = codes.get("perceiver", perceiver_code) or codes.get("perceiver", "victim")
        if strand is None or perceiver is None:
            continue
        sub = codes.get("sub_category", sub_code)
        if sub is not None and sub.parent_code != strand.code:
            sub = None
        rows.append(
            RecordStrand(
                record=record, strand=strand, sub_category=sub, perceiver=perceiver,
                is_monitored=bool(strand.attributes.get("monitored", False)),
            )
        )
    return rows


def _person_row(plan: PersonPlan, organisation_id: int, codes: CodeBook) -> Person:
    equality = {name: codes.get(name, plan.equality.get(name)) for name in EQUALITY_FIELDS}
    person = PersonInput(
        role=plan.role, given_name=plan.given_name, family_name=plan.family_name,
        date_of_birth=plan.date_of_birth, email=plan.email, phone=plan.phone,
        address=plan.address, postcode=plan.postcode, **equality,
    )
    return person_build(organisation_id=organisation_id, person=person)


def _create_changes(
    record: Record, plan: RecordPlan, strands: list[RecordStrand], offences: list[Offence]
) -> dict[str, Any]:
    """The same summary ``record_create`` writes: codes and flags, never an encrypted value."""

    def code(value: Code | None) -> str | None:
        return value.code if value is not None else None

    return {
        # The record already holds its final status; the event records the one it was created with.
        "after": {**record_snapshot(record, place=_place(plan)), "status": _first_status(plan)},
        "narrative": "set" if plan.narrative.strip() else "empty",
        "strands": [strand_summary(row) for row in strands],
        "offences": [{"offence": o.offence.code, "aggravated": o.is_aggravated} for o in offences],
        "people": [{"role": p.role, "identity": "set (encrypted)"} for p in plan.people],
        "source": {"system": SOURCE_SYSTEM, "reference": plan.source_reference},
    }


# ---- batches -------------------------------------------------------------------------------


def _record_event(record: Record, action: str, changes: dict[str, Any]) -> PendingEvent:
    return PendingEvent(
        action=action, target_type=Record._meta.label_lower, target_id=str(record.pk),
        target_label=record.reference, record_id=record.pk, changes=changes,
    )


def _write_batch(plans: Sequence[RecordPlan], ctx: _Context, result: LoadResult) -> None:
    world, codes = ctx.world, ctx.codes
    references = _assign_references(plans, ctx)
    records = [_record_row(plan, reference, ctx) for plan, reference in zip(plans, references, strict=True)]
    Record.objects.bulk_create(records)

    strands_by_record: list[list[RecordStrand]] = []
    offences_by_record: list[list[Offence]] = []
    new_people: list[Person] = []
    links: list[tuple[Record, Person, str]] = []
    for plan, record in zip(plans, records, strict=True):
        strands_by_record.append(_strand_rows(plan, record, codes))
        offences_by_record.append([
            Offence(record=record, offence=offence, is_aggravated=aggravated)
            for offence_code, aggravated in plan.offences
            if (offence := codes.get("offence", offence_code)) is not None
        ])
        organisation_id = record.organisation_id
        for person_plan in plan.people:
            known = ctx.known_people.get((organisation_id, person_plan.key)) if person_plan.key else None
            person = known or _person_row(person_plan, organisation_id, codes)
            if known is None:
                new_people.append(person)
                if person_plan.key:
                    ctx.known_people[(organisation_id, person_plan.key)] = person
            links.append((record, person, person_plan.role))
    RecordStrand.objects.bulk_create([row for rows in strands_by_record for row in rows])
    Offence.objects.bulk_create([row for rows in offences_by_record for row in rows])
    Person.objects.bulk_create(new_people)
    RecordPerson.objects.bulk_create(
        [RecordPerson(record=record, person=person, role=role) for record, person, role in links]
    )
    result.people += len(new_people)

    # The audit chain, in the order the services would have written it, in one insert per batch.
    events: list[tuple[User, PendingEvent]] = []
    reasons: list[tuple[Record, int, str]] = []  # event positions until the ids are known
    for plan, record, strands, offences in zip(plans, records, strands_by_record, offences_by_record, strict=True):
        actor = world.users[plan.actor]
        events.append((actor, _record_event(record, record_actions.RECORD_CREATE, _create_changes(record, plan, strands, offences))))
        before = _first_status(plan)
        for status in _status_path(plan):
            reason = plan.close_reason if status == RecordStatus.CLOSED else ""
            changes: dict[str, Any] = {"status": {"from": before, "to": status}, "reason": keyed_value(reason)}
            if status == RecordStatus.CLOSED and record.closure_reason is not None:
                changes["closure_reason"] = record.closure_reason.code
            reasons.append((record, len(events), reason))
            events.append((actor, _record_event(record, record_actions.RECORD_STATUS_CHANGE, changes)))
            before = status
            result.status_changes += 1
    event_ids = audit_events_write_in_order(events=events)
    change_reasons_keep(reasons=[(record, event_ids[position], reason) for record, position, reason in reasons])
    # Centres pass some reports to the police on the victim's consent: the decision is recorded
    # first (as a caseworker would, in person or by phone), and the share names it.
    police = world.organisations[POLICE]
    for plan, record in zip(plans, records, strict=True):
        if not plan.share_with_police or plan.status == RecordStatus.DRAFT:
            continue
        full = plan.share_with_police == ShareScope.FULL
        caseworker = world.users.get(f"manager.{plan.organisation}") or world.users[plan.actor]
        scope = ConsentScope.POLICE_IDENTIFIED if full else ConsentScope.POLICE_ANONYMISED
        consent = consent_capture(
            actor=caseworker, organisation=record.organisation, record=record, scope=scope,
            decision=ConsentDecision.GIVEN,
            method=ConsentMethod.PHONE if record.pk % 2 else ConsentMethod.IN_PERSON,
            words_shown=STANDARD_CONSENT_WORDS[scope],
        )
        share_grant(
            actor=caseworker,
            record=record,
            organisation=police,
            scope=ShareScope.FULL if full else ShareScope.ANONYMISED,
            reason=SHARE_REASON,
            legal_basis=CONSENT_BASIS if full else ANONYMISED_BASIS,
            consent_reference=consent.reference,
        )
        result.shares += 1
    result.created += len(plans)


def existing_demo_records() -> dict[str, datetime]:
    """Source reference -> reported time of every demo record already loaded."""
    return dict(
        Record.objects.filter(source_system=SOURCE_SYSTEM).values_list("source_reference", "reported_at")
    )


def load_records(
    plans: Sequence[RecordPlan],
    *,
    world: DemoWorld,
    now: datetime,
    existing: dict[str, datetime] | None = None,
    batch_size: int = 1000,
    progress: Callable[[int], object] | None = None,
) -> LoadResult:
    """Writes every plan not already loaded, one transaction per ``batch_size`` records.

    A rerun (or a resumed, interrupted run) skips plans whose source reference exists, so
    nothing is duplicated.
    """
    started = time.perf_counter()
    done = existing if existing is not None else existing_demo_records()
    ctx = _Context(world=world, codes=CodeBook(), version=latest_version(), now=now)
    result = LoadResult(planned=len(plans))
    todo: list[RecordPlan] = []
    for plan in plans:
        if plan.source_reference in done:
            result.skipped += 1
        else:
            todo.append(plan)
    if progress is not None and result.skipped:
        progress(result.skipped)
    for start in range(0, len(todo), batch_size):
        batch = todo[start:start + batch_size]
        with transaction.atomic():
            _write_batch(batch, ctx, result)
        if progress is not None:
            progress(len(batch))
    result.seconds = time.perf_counter() - started
    return result
