"""A fast loader for benchmark data: many records in bulk, with real ciphertext and a valid audit chain.

``record_create`` takes a few milliseconds per record (reference counter, validation, strands,
people, audit event), so 100,000 records through it would take far longer than the benchmarks
themselves. This loader is for SETUP ONLY: it bypasses the cases services and ``audit_event_write``
and bulk-inserts rows that look like what the services write:

- narratives and people's identity fields are encrypted with ``crypto.fields.encrypt`` under each
  organisation's own data key, and people carry the same blind indexes the services compute, so
  list, detail and decryption timings do the real work;
- each record gets one ``record.create`` audit event, chained exactly as ``audit_event_write``
  chains them (same canonical content and hash), so ``audit verify`` passes over the result and
  record timelines have something to show;
- reference counters are moved past the loaded references, so records made afterwards through
  ``record_create`` (the write-path benchmark, imports) get fresh references.

Nothing outside ``bench/`` uses it, and nothing it writes is meant to be real.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from bench.fastsql import insert, next_id, reset_sequences
from bench.report import note
from bench.world import BenchWorld

NARRATIVE_OPENINGS = (
    "Victim reports being shouted at",
    "Caller states a group of youths followed them",
    "Informant reports graffiti daubed",
    "Victim was approached by an unknown male",
    "Reporting person describes repeated messages",
    "Staff member reports a customer became abusive",
)
NARRATIVE_PLACES = (
    "outside the station",
    "on the bus",
    "near the community centre",
    "in the car park of the supermarket",
    "on a social media platform",
    "at the entrance to their block of flats",
)
NARRATIVE_DETAIL = (
    "using language hostile to their perceived ethnicity.",
    "making comments about their religion and faith dress.",
    "with slurs about their sexual orientation.",
    "mocking their disability and walking aid.",
    "calling them names related to their gender identity.",
    "and throwing an object which missed them.",
)
GIVEN = ("Alex", "Sam", "Priya", "Mohammed", "Grace", "Tomasz", "Aisha", "Daniel", "Chloe", "Yusuf")
FAMILY = ("Smith", "Khan", "Okafor", "Nowak", "Patel", "Jones", "Ahmed", "Brown", "Singh", "Taylor")
PLACES = ("High Street", "Market Square", "Station Road", "Church Lane", "Park Avenue", "Canal Walk")


def _codes(scheme: str) -> list[Any]:
    from umbrella.reference.selectors import current_codes

    return list(current_codes(scheme=scheme))


def _narrative(rng: random.Random) -> str:
    return f"{rng.choice(NARRATIVE_OPENINGS)} {rng.choice(NARRATIVE_PLACES)} {rng.choice(NARRATIVE_DETAIL)}"


def _strand_weights(strands: list[Any]) -> list[float]:
    # Roughly the Home Office mix: race dominates, then sexual orientation, religion, disability.
    weights = {"race": 70.0, "sexual_orientation": 14.0, "religion": 12.0, "disability": 7.0, "transgender": 4.0}
    return [weights.get(s.code, 1.0) for s in strands]


class ChainAppender:
    """Appends audit events that ``audit verify`` accepts, continuing the chain already stored.

    Events are digested and chained exactly as ``audit_event_write`` and the sealer would (same
    canonical content), then inserted in bulk. Only for set-up: it chains what the sealer has not
    yet, then nothing else may write.
    """

    def __init__(self) -> None:
        from umbrella.audit.models import AuditEvent
        from umbrella.audit.sealer import audit_chain_seal, chain_end

        audit_chain_seal()
        last_id = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        self.next_id = (last_id or 0) + 1
        self.position, self.previous_hash = chain_end()
        self.pending: list[dict[str, Any]] = []

    def add(
        self, *, at: datetime, actor_id: int | None, actor_display: str, organisation_id: int | None, action: str,
        record_id: int, label: str, changes: dict[str, Any], request_id: str = "", ip_address: str | None = None,
    ) -> None:
        from umbrella.audit.chain import canonical_content, chained_hash, event_digest
        from umbrella.audit.services import stored_changes

        stored = stored_changes(changes)
        content = canonical_content(
            occurred_at=at, actor_id=actor_id, actor_display=actor_display, organisation_id=organisation_id,
            action=action, target_type="cases.record", target_id=str(record_id), target_label=label,
            record_id=record_id, changes=stored, request_id=request_id, ip_address=ip_address,
        )
        digest = event_digest(content)
        current = chained_hash(self.previous_hash, digest)
        self.position += 1
        self.pending.append(
            {
                "id": self.next_id, "occurred_at": at, "actor_id": actor_id, "actor_display": actor_display,
                "organisation_id_snapshot": organisation_id, "action": action, "target_type": "cases.record",
                "target_id": str(record_id), "target_label": label, "record_id": record_id, "changes": stored,
                "request_id": request_id, "ip_address": ip_address, "digest": digest,
                "chain_position": self.position, "previous_hash": self.previous_hash, "hash": current,
            }
        )
        self.next_id += 1
        self.previous_hash = current

    def flush(self) -> None:
        from umbrella.audit.models import AuditEvent

        insert(AuditEvent, self.pending)
        self.pending = []


def load_records(world: BenchWorld, *, count: int, seed: int = 1, batch: int = 5000, centre_share: float = 0.1) -> int:
    """Loads ``count`` records (a ``centre_share`` of them owned by the reporting centre)."""
    from umbrella.cases.inputs import LocationInput
    from umbrella.cases.models import (
        NARRATIVE_COLUMN,
        STATUS_REASON_COLUMN,
        Offence,
        Person,
        Record,
        RecordKind,
        RecordPerson,
        RecordStatus,
        RecordStrand,
        ReferenceCounter,
        person_column,
    )
    from umbrella.cases.services import sealed_place
    from umbrella.crypto.fields import blind_index, encrypt, name_dob_index, normalise_phone
    from umbrella.reference.selectors import latest_version

    rng = random.Random(seed)
    strands = _codes("strand")
    weights = _strand_weights(strands)
    subs: dict[str, list[Any]] = defaultdict(list)
    for sub in _codes("sub_category"):
        subs[sub.parent_code].append(sub)
    perceivers = _codes("perceiver")
    victim_perceiver = next((p for p in perceivers if p.code == "victim"), perceivers[0])
    boroughs = [c.pk for c in _codes("borough")] or [None]
    location_types = [c.pk for c in _codes("location_type")] or [None]
    offences = [c.pk for c in _codes("offence")]
    version_id = latest_version().pk
    authors = {world.force_id: (world.officer_id, "bench.officer"), world.centre_id: (world.caseworker_id, "bench.caseworker")}
    now = datetime.now(tz=UTC)
    counters: dict[tuple[int, int], int] = defaultdict(int)
    for counter in ReferenceCounter.objects.filter(organisation_id__in=[world.force_id, world.centre_id]):
        counters[(counter.organisation_id, counter.year)] = counter.last_number
    kinds = [RecordKind.HATE_CRIME.value] * 6 + [RecordKind.NCHI.value] * 4
    statuses = [RecordStatus.RECORDED.value] * 5 + [RecordStatus.UNDER_INVESTIGATION.value] * 3 + [RecordStatus.CLOSED.value] * 2
    ids = {model: next_id(model) for model in (Record, RecordStrand, Offence, Person, RecordPerson)}
    made = 0
    chain = ChainAppender()
    while made < count:
        size = min(batch, count - made)
        records: list[dict[str, Any]] = []
        strand_rows: list[dict[str, Any]] = []
        offence_rows: list[dict[str, Any]] = []
        people: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        for _ in range(size):
            org_id = world.centre_id if rng.random() < centre_share else world.force_id
            author_id, author_name = authors[org_id]
            prefix = world.centre_prefix if org_id == world.centre_id else world.force_prefix
            reported = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            counters[(org_id, reported.year)] += 1
            reference = f"{prefix}-{reported.year}-{counters[(org_id, reported.year)]:06d}"
            status = rng.choice(statuses)
            kind = rng.choice(kinds)
            recorded = reported + timedelta(minutes=rng.randint(5, 600))
            record_id = ids[Record]
            ids[Record] += 1
            records.append(
                {
                    "id": record_id, "organisation_id": org_id, "reference": reference, "kind": kind, "status": status,
                    "status_reason": encrypt(
                        "No further lines of enquiry" if status == RecordStatus.CLOSED else "",
                        organisation_id=org_id, column=STATUS_REASON_COLUMN,
                    ) or "",
                    "occurred_from": reported - timedelta(hours=rng.randint(1, 72)), "reported_at": reported,
                    "recorded_at": recorded, **sealed_place(organisation_id=org_id, location=LocationInput(
                        description=f"{rng.randint(1, 250)} {rng.choice(PLACES)}",
                        postcode=f"E{rng.randint(1, 20)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNP')}{rng.choice('ABDEFGHJLNP')}",
                    )),
                    "borough_id": rng.choice(boroughs), "location_type_id": rng.choice(location_types),
                    "narrative": encrypt(_narrative(rng), organisation_id=org_id, column=NARRATIVE_COLUMN),
                    "is_online": rng.random() < 0.12, "is_domestic_abuse": rng.random() < 0.05,
                    "is_asb_related": rng.random() < 0.2, "is_alcohol_drug_related": rng.random() < 0.1,
                    "reference_version_id": version_id, "created_by_id": author_id,
                    "created_at": recorded, "updated_at": recorded, "row_version": 1,
                }
            )
            chosen = list({s.pk: s for s in rng.choices(strands, weights=weights, k=2 if rng.random() < 0.15 else 1)}.values())
            for strand in chosen:
                sub = rng.choice(subs.get(strand.code) or [None])
                strand_rows.append(
                    {
                        "id": ids[RecordStrand], "record_id": record_id, "strand_id": strand.pk,
                        "sub_category_id": sub.pk if sub else None, "perceiver_id": victim_perceiver.pk,
                        "is_monitored": bool(strand.attributes.get("monitored", False)), "note": "", "added_at": recorded,
                    }
                )
                ids[RecordStrand] += 1
            if kind == RecordKind.HATE_CRIME and offences:
                offence_rows.append(
                    {"id": ids[Offence], "record_id": record_id, "offence_id": rng.choice(offences),
                     "is_aggravated": rng.random() < 0.6}
                )
                ids[Offence] += 1
            given, family = rng.choice(GIVEN), rng.choice(FAMILY)
            dob = f"{rng.randint(1950, 2008)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            phone = f"07700 9{rng.randint(0, 99999):05d}"
            person_id = ids[Person]
            ids[Person] += 1
            people.append(
                {
                    "id": person_id, "organisation_id": org_id,
                    "given_name": encrypt(given, organisation_id=org_id, column=person_column("given_name")),
                    "family_name": encrypt(family, organisation_id=org_id, column=person_column("family_name")),
                    "date_of_birth": encrypt(dob, organisation_id=org_id, column=person_column("date_of_birth")),
                    "phone": encrypt(phone, organisation_id=org_id, column=person_column("phone")),
                    "name_dob_index": name_dob_index(given, family, dob),
                    "phone_index": blind_index("phone", normalise_phone(phone)),
                    "created_at": recorded, "updated_at": recorded,
                }
            )
            links.append({"id": ids[RecordPerson], "record_id": record_id, "person_id": person_id, "role": "victim",
                          "added_at": recorded})
            ids[RecordPerson] += 1
            chain.add(
                at=recorded, actor_id=author_id, actor_display=author_name, organisation_id=org_id,
                action="record.create", record_id=record_id, label=reference,
                changes={
                    "after": {"kind": kind, "status": status},
                    "narrative": "set",
                    "strands": [{"strand": s.code} for s in chosen],
                    "people": [{"role": "victim", "identity": "set (encrypted)"}],
                    "source": "bench loader (bulk set-up)",
                },
            )
        with transaction.atomic():
            insert(Record, records)
            insert(RecordStrand, strand_rows)
            insert(Offence, offence_rows)
            insert(Person, people)
            insert(RecordPerson, links)
            chain.flush()
        made += size
        if made % 20_000 < batch or made == count:
            note(f"loaded {made:,} / {count:,} records")
    from umbrella.audit.models import AuditEvent

    reset_sequences(Record, RecordStrand, Offence, Person, RecordPerson, AuditEvent)
    with transaction.atomic():
        for (org_id, year), last in counters.items():
            ReferenceCounter.objects.update_or_create(organisation_id=org_id, year=year, defaults={"last_number": last})
    # Planner statistics and the visibility map as a live database would have them (autovacuum
    # would get there later): without the map, PostgreSQL's index-only scans visit the heap.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return made


def append_audit_events(count: int, world: BenchWorld, *, batch: int = 10_000) -> None:
    """Appends ``count`` chained record views and updates, continuing the stored chain."""
    from django.utils import timezone

    from umbrella.audit.models import AuditEvent
    from umbrella.cases.models import Record

    record_ids = list(Record.objects.order_by("id").values_list("id", "reference")[:50_000]) or [(1, "BENCH-1")]
    at = timezone.now() - timedelta(days=30)
    step = timedelta(milliseconds=1)
    chain = ChainAppender()
    made = 0
    while made < count:
        for i in range(made, min(count, made + batch)):
            at += step
            record_id, label = record_ids[i % len(record_ids)]
            if i % 4:
                action, changes = "record.view", {"access": "full", "people_shown": 1}
            else:
                action, changes = "record.update", {"status": {"from": "recorded", "to": "under_investigation"}}
            chain.add(at=at, actor_id=world.officer_id, actor_display="bench.officer", organisation_id=world.force_id,
                      action=action, record_id=record_id, label=label, changes=changes,
                      request_id=f"bench-{i:012d}", ip_address="192.0.2.10")
        made += len(chain.pending)
        with transaction.atomic():
            chain.flush()
        if made % 100_000 < batch or made == count:
            note(f"appended {made:,} / {count:,} audit events")
    reset_sequences(AuditEvent)
