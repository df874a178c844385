"""Repeat victimisation by blind index: the same person (name and date of birth, phone or email)
or the same address (postcode) as a victim on another record, in any organisation.

Every lookup is an indexed equality on the Person blind-index columns, then the RecordPerson
foreign key, then the Record primary key: a handful of index probes however many records exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q

from umbrella.cases.models import Person, PersonRole, Record, RecordPerson

INDEX_FIELDS = {
    "name_dob_index": "same person (name and date of birth)",
    "phone_index": "same phone number",
    "email_index": "same email address",
    "postcode_index": "same address (postcode)",
}
PERSON_KINDS = ("name_dob_index", "phone_index", "email_index")


@dataclass(frozen=True)
class MatchRow:
    record_id: int
    organisation_id: int
    reported_at: datetime
    created_at: datetime
    matched_on: tuple[str, ...]


def victim_indexes(record: Record) -> dict[str, set[str]]:
    wanted: dict[str, set[str]] = {name: set() for name in INDEX_FIELDS}
    rows = Person.objects.filter(roles__record=record, roles__role=PersonRole.VICTIM).values_list(*INDEX_FIELDS)
    for row in rows:
        for name, value in zip(INDEX_FIELDS, row, strict=True):
            if value:
                wanted[name].add(value)
    return wanted


def matching_victim_rows(
    *,
    record: Record,
    since: datetime | None,
    window_days: int | None,
    wanted: dict[str, set[str]] | None = None,
) -> list[MatchRow]:
    """Other records with a victim matching one of this record's victims. ``window_days`` keeps
    records reported within that many days either side of this one; ``since`` keeps records
    created after that moment (new incidents since an assessment)."""
    wanted = wanted if wanted is not None else victim_indexes(record)
    condition = Q()
    for name, values in wanted.items():
        if values:
            condition |= Q(**{f"person__{name}__in": sorted(values)})
    if not condition:
        return []
    qs = RecordPerson.objects.filter(condition, role=PersonRole.VICTIM).exclude(record_id=record.pk)
    if window_days is not None:
        span = timedelta(days=window_days)
        qs = qs.filter(record__reported_at__gte=record.reported_at - span, record__reported_at__lte=record.reported_at + span)
    if since is not None:
        qs = qs.filter(record__created_at__gt=since)
    found: dict[int, MatchRow] = {}
    for record_id, organisation_id, reported_at, created_at, *indexes in qs.values_list(
        "record_id", "record__organisation_id", "record__reported_at", "record__created_at",
        *(f"person__{name}" for name in INDEX_FIELDS),
    ):
        matched = tuple(
            name for name, value in zip(INDEX_FIELDS, indexes, strict=True) if value and value in wanted[name]
        )
        previous = found.get(record_id)
        if previous is not None:
            matched = tuple(dict.fromkeys(previous.matched_on + matched))
        found[record_id] = MatchRow(record_id, organisation_id, reported_at, created_at, matched)
    return sorted(found.values(), key=lambda row: (row.reported_at, row.record_id), reverse=True)
