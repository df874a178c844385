"""Reads for imports and exports.

The export starts from ``cases.selectors.record_list`` (so scoping is the one in cases.scoping),
decides per record how much personal data the user may take away (``access_to``), and writes one
audit event with the filters and the number of rows before the first row leaves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.inputs import LocationInput
from umbrella.cases.models import (
    STATUS_REASON_COLUMN,
    Offence,
    Record,
    RecordPerson,
    RecordStrand,
    StrandAssessment,
    person_column,
)
from umbrella.cases.scoping import Access, access_to
from umbrella.cases.selectors import RecordFilters, latest_assessments, narratives_for, record_list
from umbrella.cases.services import record_place
from umbrella.core.reads import read_scope
from umbrella.crypto.fields import decrypt, pseudonym
from umbrella.imports import actions as import_actions

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.agencies.models import Organisation

EXPORT_CHUNK = 500
NARRATIVE_WITHHELD = ""

# Header of Umbrella's CSV export; mappings/umbrella_export.toml reads these names back.
EXPORT_COLUMNS = (
    "Reference",
    "Organisation",
    "Kind",
    "Status",
    "Status reason",
    "Closure reason",
    "Occurred from",
    "Occurred to",
    "Reported at",
    "Recorded at",
    "Location description",
    "Postcode",
    "Borough code",
    "Borough",
    "LSOA code",
    "Area code",
    "Area name",
    "Latitude",
    "Longitude",
    "Location type",
    "Online platform",
    "Online",
    "Domestic abuse",
    "Anti-social behaviour related",
    "Alcohol or drug related",
    "Strands",
    "Offences",
    "People",
    "Narrative",
    "Personal data",
    "Evidential assessments",
)


def existing_source_references(
    *, organisation: Organisation, source_system: str, references: Iterable[str]
) -> set[str]:
    """Which of these source references the organisation already holds (the import's idempotency key)."""
    wanted = [ref for ref in references if ref]
    if not wanted:
        return set()
    # The blank-reference exclusion repeats the unique index's condition, without which SQLite
    # will not use that partial index and scans the organisation's records for every batch.
    return set(
        Record.objects.filter(organisation=organisation, source_system=source_system, source_reference__in=wanted)
        .exclude(source_reference="")
        .order_by()
        .values_list("source_reference", flat=True)
    )


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value else ""


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _float(value: float | None) -> str:
    return repr(value) if value is not None else ""


def _strands(record: Record) -> str:
    return "; ".join(
        ":".join([row.strand.code, row.sub_category.code if row.sub_category else "", row.perceiver.code])
        for row in record.strands.all()
    )


def _assessments(record: Record, latest: dict[int, StrandAssessment]) -> str:
    """Each strand's current evidential assessment, beside the strands column (which is the perception)."""
    return "; ".join(
        f"{row.strand.code}:{latest[row.pk].assessment}" for row in record.strands.all() if row.pk in latest
    )


def _offences(record: Record) -> str:
    return "; ".join(
        f"{row.offence.code}:aggravated" if row.is_aggravated else row.offence.code for row in record.offences.all()
    )


@decrypts
def _people(record: Record, access: Access) -> str:
    shown = []
    for link in record.people.all():
        role = str(link.get_role_display())
        if access is Access.ANONYMISED:
            shown.append(f"{role}: anonymised")
        elif access is Access.PSEUDONYMISED:
            shown.append(f"{role}: Person {pseudonym('person', str(link.person_id))}")
        else:
            person = link.person
            name = " ".join(
                part
                for part in (
                    decrypt(person.given_name, column=person_column("given_name")),
                    decrypt(person.family_name, column=person_column("family_name")),
                )
                if part
            )
            shown.append(f"{role}: {name or 'name not given'}")
    return "; ".join(shown)


def _day(value: datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


@decrypts
def _row(record: Record, access: Access, narrative: str, latest: dict[int, StrandAssessment]) -> list[str]:
    # Pseudonymised and anonymised readers (analysts, anonymised shares) count and map: they get the
    # day, not the minute; the postcode district and statistical areas, not the street, the
    # coordinates or the description of the place; and no free text, unless their role needs it.
    coarse = access in (Access.PSEUDONYMISED, Access.ANONYMISED)
    place = record_place(record) if not coarse else LocationInput()
    when = _day if coarse else _when
    free_text = not coarse or (access is Access.PSEUDONYMISED and settings.UMBRELLA_PSEUDONYMISED_EXPORT_NARRATIVE)
    return [
        record.reference,
        record.organisation.name,
        str(record.get_kind_display()),
        str(record.get_status_display()),
        decrypt(record.status_reason, column=STATUS_REASON_COLUMN) if not coarse else "",
        # A code from a published list, not free text: every reader may have it.
        record.closure_reason.code if record.closure_reason else "",
        when(record.occurred_from),
        when(record.occurred_to),
        when(record.reported_at),
        when(record.recorded_at),
        place.description,
        place.postcode if not coarse else record.postcode_district,
        record.borough.code if record.borough else "",
        record.borough.label if record.borough else "",
        record.lsoa_code,
        record.area_code,
        record.area_name,
        _float(place.latitude),
        _float(place.longitude),
        record.location_type.code if record.location_type else "",
        record.online_platform.code if record.online_platform else "",
        _yes_no(record.is_online),
        _yes_no(record.is_domestic_abuse),
        _yes_no(record.is_asb_related),
        _yes_no(record.is_alcohol_drug_related),
        _strands(record),
        _offences(record),
        _people(record, access),
        # Free text is where identities hide, so anonymised shares do not carry it away.
        narrative if free_text else NARRATIVE_WITHHELD,
        access.value,
        _assessments(record, latest),
    ]


def _filter_summary(filters: RecordFilters) -> dict[str, Any]:
    """The filters that narrowed the export, without the search text (it may be an address)."""
    summary: dict[str, Any] = {}
    default = RecordFilters()
    for item in fields(RecordFilters):
        value = getattr(filters, item.name)
        if value == getattr(default, item.name):
            continue
        summary[item.name] = "given" if item.name == "q" else value
    return summary


@dataclass(frozen=True)
class RecordsExport:
    count: int
    rows: Iterator[list[str]]


def records_export(*, user: User, filters: RecordFilters) -> RecordsExport:
    """The user's filtered records as CSV rows, audited once with the row count.

    The ids are fixed first (small integers), so the count in the audit event is exactly the
    number of rows that follow; rows are then read and decrypted a chunk at a time.
    """
    scoped = record_list(user=user, filters=filters)
    ids = list(scoped.values_list("pk", flat=True))
    audit_event_write(
        actor=user,
        action=import_actions.RECORDS_EXPORT,
        target_type="cases.record",
        target_label="CSV export",
        changes={"format": "csv", "rows": len(ids), "filters": _filter_summary(filters)},
    )
    return RecordsExport(count=len(ids), rows=_rows(user, ids))


def _rows(user: User, ids: list[int]) -> Iterator[list[str]]:
    # Decrypted as the file streams out; the records.export event written before the first row
    # (with the row count) is the audit of this read.
    with read_scope("records export", audited=True):
        yield from _rows_in_scope(user, ids)


def _rows_in_scope(user: User, ids: list[int]) -> Iterator[list[str]]:
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start : start + EXPORT_CHUNK]
        records = {
            record.pk: record
            for record in Record.objects.visible_to(user)
            .filter(pk__in=chunk)
            .select_related("organisation", "borough", "location_type", "online_platform", "closure_reason")
            .prefetch_related(
                Prefetch("strands", queryset=RecordStrand.objects.select_related("strand", "sub_category", "perceiver")),
                Prefetch("offences", queryset=Offence.objects.select_related("offence")),
                Prefetch("people", queryset=RecordPerson.objects.select_related("person")),
            )
        }
        ordered = [records[pk] for pk in chunk if pk in records]
        narratives = narratives_for(ordered, user=user)
        latest = latest_assessments([record.pk for record in ordered])
        for record in ordered:
            yield _row(record, access_to(user, record), narratives[record.pk], latest)
