"""Keeping the facts: refreshed set-based for the records a change touched, after it commits, and
rebuilt whole by ``umbrella stats rebuild``. Both build rows with the same function, so they agree
(tests/statistics proves it)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from umbrella.agencies.models import OrganisationKind
from umbrella.audit.services import audit_event_write
from umbrella.cases.choices import RecordStatus
from umbrella.cases.models import (
    PersonRole,
    Record,
    RecordLink,
    RecordPerson,
    RecordShare,
    RecordStrand,
)
from umbrella.consent.selectors import records_with_consent_in_force
from umbrella.outcomes.selectors import latest_outcome_groups
from umbrella.statistics import actions
from umbrella.statistics.models import RecordFact, Route

if TYPE_CHECKING:
    from umbrella.accounts.models import User

# Records read per query when rebuilding: keeps memory flat whatever the number of records.
CHUNK = 5000
_FLAGS = ("is_online", "is_domestic_abuse", "is_asb_related", "is_alcohol_drug_related")
# The victim's equality-monitoring fields that statistics count by (Person fields and reference schemes).
EQUALITY = ("ethnicity", "sex", "age_band", "disability", "religion")


def financial_year(day: date) -> str:
    """April to March, written as the Home Office writes it: 2018/19."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _facts_for(record_ids: list[int]) -> list[RecordFact]:
    """The fact rows of these records (drafts have none: statistics count recorded records)."""
    records = list(
        Record.objects.filter(pk__in=record_ids).exclude(status=RecordStatus.DRAFT)
        .values("pk", "organisation_id", "organisation__kind", "reported_at", "borough__code", "lsoa_code", "kind", "status",
                *_FLAGS)
    )
    if not records:
        return []
    ids = [row["pk"] for row in records]
    strands: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for record_id, strand, sub_category in (
        RecordStrand.objects.filter(record_id__in=ids).order_by("id")
        .values_list("record_id", "strand__code", "sub_category__code")
    ):
        strands[record_id].append((strand, sub_category or ""))
    groups = latest_outcome_groups(record_ids=ids)
    # Passed to the police at any time: where it was reported does not change when a share ends.
    to_police = set(
        RecordShare.objects.filter(record_id__in=ids, organisation__kind=OrganisationKind.POLICE_FORCE)
        .values_list("record_id", flat=True)
    )
    consented = records_with_consent_in_force(record_ids=ids)
    # Records of one journey across agencies (a partner's record linked to a police force's, as a
    # centre's report passed to the police is) count once: through the police record.
    linked_to_police: set[int] = set()
    linked_to_partner: set[int] = set()
    for one, one_kind, two, two_kind in RecordLink.objects.filter(
        Q(from_record_id__in=ids) | Q(to_record_id__in=ids)
    ).values_list("from_record_id", "from_record__organisation__kind", "to_record_id", "to_record__organisation__kind"):
        for this, this_kind, other_kind in ((one, one_kind, two_kind), (two, two_kind, one_kind)):
            police_here, police_there = this_kind == OrganisationKind.POLICE_FORCE, other_kind == OrganisationKind.POLICE_FORCE
            if not police_here and police_there:
                linked_to_police.add(this)
            elif police_here and not police_there:
                linked_to_partner.add(this)
    victims: dict[int, dict[str, str]] = {}
    for row in (
        RecordPerson.objects.filter(record_id__in=ids, role=PersonRole.VICTIM).order_by("record_id", "id")
        .values("record_id", *(f"person__{field}__code" for field in EQUALITY))
    ):
        victims.setdefault(row["record_id"], {f"victim_{f}": row[f"person__{f}__code"] or "" for f in EQUALITY})
    facts = []
    for row in records:
        police = row["organisation__kind"] == OrganisationKind.POLICE_FORCE
        both = row["pk"] in (linked_to_partner if police else to_police | linked_to_police)
        route = Route.BOTH if both else Route.POLICE if police else Route.PARTNER_ONLY
        reported_on = timezone.localtime(row["reported_at"]).date()
        common: dict[str, Any] = {
            "record_id": row["pk"],
            "countable": police or (row["pk"] in consented and row["pk"] not in linked_to_police),
            "organisation_id": row["organisation_id"], "source": row["organisation__kind"], "route": route,
            "reported_on": reported_on, "month": reported_on.replace(day=1), "financial_year": financial_year(reported_on),
            "borough": row["borough__code"] or "", "lsoa": row["lsoa_code"] or "", "kind": row["kind"], "status": row["status"],
            "outcome_group": groups.get(row["pk"], ""), **{flag: row[flag] for flag in _FLAGS},
            **victims.get(row["pk"], dict.fromkeys((f"victim_{f}" for f in EQUALITY), "")),
        }
        for index, (strand, sub_category) in enumerate(strands.get(row["pk"]) or [("", "")]):
            facts.append(RecordFact(counts_record=index == 0, strand=strand, sub_category=sub_category, **common))
    return facts


# Records whose people's details the retention review removed (disposed of or anonymised).
_PEOPLE_REMOVED = Q(disposed_at__isnull=False) | Q(anonymised_at__isnull=False)


@transaction.atomic
def facts_refresh(*, record_ids: Iterable[int]) -> int:
    """Replaces these records' facts with what they are now; returns how many rows were written.

    Not audited: it follows a change that its own service audited, and writes nothing a person
    could read back but counts.
    """
    # A disposed or anonymised record's facts are kept as they were: its people's equality answers
    # are gone, and the counts must not change when its personal data do.
    asked = set(record_ids)
    emptied = set(Record.objects.filter(_PEOPLE_REMOVED, pk__in=asked).values_list("pk", flat=True))
    ids = sorted(asked - emptied)
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        RecordFact.objects.filter(record_id__in=chunk).delete()
        written += len(RecordFact.objects.bulk_create(_facts_for(chunk), batch_size=2000))
    return written


@transaction.atomic
def facts_rebuild(*, actor: User | None) -> int:
    """Builds every record's facts from scratch (but a disposed or anonymised record's, kept as they
    were), a chunk of records at a time; returns the rows written."""
    # Disposed and anonymised records keep the facts they had (see facts_refresh).
    RecordFact.objects.filter(record__disposed_at__isnull=True, record__anonymised_at__isnull=True).delete()
    written = 0
    last = 0
    while True:
        chunk = list(Record.objects.filter(pk__gt=last, disposed_at__isnull=True, anonymised_at__isnull=True).order_by("pk")
                     .values_list("pk", flat=True)[:CHUNK])
        if not chunk:
            break
        written += len(RecordFact.objects.bulk_create(_facts_for(chunk), batch_size=2000))
        last = chunk[-1]
    audit_event_write(actor=actor, action=actions.STATISTICS_REBUILD, target_label="record facts",
                      changes={"rows": written})
    return written
