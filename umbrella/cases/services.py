"""Every write to records. Keyword-only, typed, atomic, each writing its audit event.

Views, the API, imports, demo data and tasks all call these; nothing else saves a Record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.audit.values import keyed_value
from umbrella.cases import actions as record_actions
from umbrella.cases import rules, signals
from umbrella.cases.closing import closing_problems
from umbrella.cases.inputs import (
    FlagsInput,
    LocationInput,
    OffenceInput,
    PersonInput,
    SourceInput,
    StrandInput,
)
from umbrella.cases.models import (
    ASSESSMENT_REASON_COLUMN,
    CHANGE_REASON_COLUMN,
    LINK_REASON_COLUMN,
    NARRATIVE_COLUMN,
    PLACE_COLUMNS,
    STATUS_REASON_COLUMN,
    STATUS_TRANSITIONS,
    STRAND_NOTE_COLUMN,
    ChangeReason,
    EvidentialAssessment,
    Offence,
    Person,
    PersonRole,
    Record,
    RecordKind,
    RecordLink,
    RecordPerson,
    RecordStatus,
    RecordStrand,
    ReferenceCounter,
    StrandAssessment,
    person_column,
)
from umbrella.cases.policy import can_assess_strands, can_remove_strand, can_write_records
from umbrella.crypto.fields import (
    blind_index,
    encrypt,
    name_dob_index,
    normalise_email,
    normalise_phone,
    normalise_postcode,
)
from umbrella.reference.models import Code, Scheme
from umbrella.reference.selectors import current_code, latest_version

if TYPE_CHECKING:
    from umbrella.accounts.models import User



def display_postcode(postcode: str) -> str:
    """The canonical stored form, as people write it: upper case, one space before the last three
    characters ("sw1a1aa" -> "SW1A 1AA"). Blind indexes use normalise_postcode (no spaces) instead."""
    compact = normalise_postcode(postcode)
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


def postcode_district(postcode: str) -> str:
    """The outward code ("SW1A 1AA" -> "SW1A"): a district of thousands of addresses, not one street."""
    compact = normalise_postcode(postcode)
    return compact[:-3] if len(compact) > 3 else ""


def sealed_coordinates(latitude: float | None, longitude: float | None) -> str:
    """The plain text sealed in ``Record.coordinates``: "lat,lon", or nothing when either is missing."""
    if latitude is None or longitude is None:
        return ""
    return f"{latitude!r},{longitude!r}"


def unsealed_coordinates(plain: str) -> tuple[float | None, float | None]:
    if not plain:
        return None, None
    latitude, longitude = plain.split(",")
    return float(latitude), float(longitude)


def _require_writer(actor: User, record: Record | None = None) -> None:
    if not can_write_records(actor):
        raise PermissionDenied("Your role cannot change records.")
    if record is not None and not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        # Same answer as a missing record: do not reveal that it exists.
        raise Record.DoesNotExist
    if record is not None and record.organisation_id != actor.organisation_id:
        # A share lets another organisation read a record, never change what its owner holds.
        raise PermissionDenied("This record was shared with your organisation to read; only its owner can change it.")


def _next_reference(*, organisation_id: int, prefix: str, year: int) -> str:
    counter, _ = ReferenceCounter.objects.select_for_update().get_or_create(
        organisation_id=organisation_id, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{prefix}-{year}-{counter.last_number:06d}"


def _code_label(code: Code | None) -> str | None:
    return code.code if code is not None else None


def _location_snapshot(record: Record, place: LocationInput) -> dict[str, Any]:
    return {
        # Where it happened can say who it happened to: the log names the change, never the place
        # (keyed hashes of the plain values, see audit.values); the borough and LSOA are statistical areas.
        "location_description": keyed_value(place.description.strip()),
        "postcode": keyed_value(display_postcode(place.postcode) if place.postcode else ""),
        "borough": _code_label(record.borough),
        "lsoa_code": record.lsoa_code,
        "area": " ".join(part for part in (record.area_name, record.area_code) if part),
        "coordinates": keyed_value(sealed_coordinates(place.latitude, place.longitude)),
        "location_type": _code_label(record.location_type),
        "online_platform": _code_label(record.online_platform),
    }


def record_snapshot(record: Record, *, place: LocationInput) -> dict[str, Any]:
    """Audit view of a record's own fields. Encrypted fields are never included as text.

    ``place`` is the record's location in plain text (as entered, or as ``record_place`` reads it):
    the stored columns are ciphertext, which differs every time it is written.
    Bulk writers (imports, demo data) use it too, so every record.create event reads the same;
    they attach the code objects to the record so that this costs no queries.
    """
    return {
        "kind": record.kind,
        "status": record.status,
        "occurred_from": record.occurred_from.isoformat() if record.occurred_from else None,
        "occurred_to": record.occurred_to.isoformat() if record.occurred_to else None,
        "reported_at": record.reported_at.isoformat() if record.reported_at else None,
        "team": record.team_id,
        "is_online": record.is_online,
        "is_domestic_abuse": record.is_domestic_abuse,
        "is_asb_related": record.is_asb_related,
        "is_alcohol_drug_related": record.is_alcohol_drug_related,
        **_location_snapshot(record, place),
    }


def _diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    return {key: {"from": before.get(key), "to": value} for key, value in after.items() if before.get(key) != value}


def _validate_dates(*, occurred_from: datetime | None, occurred_to: datetime | None, reported_at: datetime) -> None:
    rules.raise_if(rules.date_errors(occurred_from=occurred_from, occurred_to=occurred_to, reported_at=reported_at))


def _validate_complete(*, kind: str, status: str, strand_count: int, location: LocationInput) -> None:
    rules.raise_if(rules.completeness_errors(
        kind=kind, status=status, strand_count=strand_count,
        has_borough=location.borough is not None or bool(location.area_code or location.area_name.strip()),
        has_online_platform=location.online_platform is not None,
    ))


def sealed_place(*, organisation_id: int, location: LocationInput) -> dict[str, str]:
    """The record columns that hold a place: ciphertext under the owner's key, the postcode's blind
    index and its district. Bulk writers (imports, demo data) use it too."""
    postcode = display_postcode(location.postcode) if location.postcode else ""
    plain = {
        "location_description": location.description.strip(),
        "postcode": postcode,
        "coordinates": sealed_coordinates(location.latitude, location.longitude),
    }
    return {
        **{
            name: encrypt(value, organisation_id=organisation_id, column=PLACE_COLUMNS[name]) or ""
            for name, value in plain.items()
        },
        "postcode_index": blind_index("postcode", normalise_postcode(postcode)),
        "postcode_district": postcode_district(postcode),
    }


@decrypts
def record_place(record: Record, *, actor: User | None = None) -> LocationInput:
    """The record's location in plain text, as its owner entered it. Callers decide who may see it
    (``record_detail`` shows readers without full access the postcode district only); ``actor``
    names the reader in the audit event when no more specific event covers the read."""
    from umbrella.crypto.fields import decrypt

    latitude, longitude = unsealed_coordinates(decrypt(record.coordinates, column=PLACE_COLUMNS["coordinates"]))
    return LocationInput(
        description=decrypt(record.location_description, column=PLACE_COLUMNS["location_description"]),
        postcode=decrypt(record.postcode, column=PLACE_COLUMNS["postcode"]),
        borough=record.borough,
        lsoa_code=record.lsoa_code,
        area_code=record.area_code,
        area_name=record.area_name,
        latitude=latitude,
        longitude=longitude,
        location_type=record.location_type,
        online_platform=record.online_platform,
    )


def change_reason_keep(*, record: Record, event_id: int, reason: str) -> None:
    """Seals the words given for a change beside its audit event (see ChangeReason). Called by the
    service that wrote the event, in its transaction; bulk writers (imports, demo data) too."""
    if reason.strip():
        ChangeReason.objects.create(
            record=record, event_id=event_id,
            reason=encrypt(reason.strip(), organisation_id=record.organisation_id, column=CHANGE_REASON_COLUMN) or "",
        )


def change_reasons_keep(*, reasons: Sequence[tuple[Record, int, str]]) -> None:
    """``change_reason_keep`` for many (record, event id, words) at once: one insert, for bulk
    writers (demo data). Blank words keep nothing, as there."""
    ChangeReason.objects.bulk_create([
        ChangeReason(
            record=record, event_id=event_id,
            reason=encrypt(reason.strip(), organisation_id=record.organisation_id, column=CHANGE_REASON_COLUMN) or "",
        )
        for record, event_id, reason in reasons
        if reason.strip()
    ])


def _apply_location(record: Record, location: LocationInput) -> None:
    for name, value in sealed_place(organisation_id=record.organisation_id, location=location).items():
        setattr(record, name, value)
    record.borough = location.borough
    record.lsoa_code = location.lsoa_code
    # An area outside the listed boroughs is kept only where no borough is given.
    record.area_code = "" if location.borough else location.area_code.strip().upper()
    record.area_name = "" if location.borough else location.area_name.strip()
    record.location_type = location.location_type
    record.online_platform = location.online_platform


def _apply_flags(record: Record, flags: FlagsInput) -> None:
    record.is_online = flags.is_online
    record.is_domestic_abuse = flags.is_domestic_abuse
    record.is_asb_related = flags.is_asb_related
    record.is_alcohol_drug_related = flags.is_alcohol_drug_related


def _check_strand(strand: StrandInput) -> None:
    if strand.strand.scheme != "strand" or strand.perceiver.scheme != "perceiver":
        raise ValidationError({"strands": "Choose a strand and who perceived the hostility."})
    if strand.sub_category is not None and (
        strand.sub_category.scheme != "sub_category" or strand.sub_category.parent_code != strand.strand.code
    ):
        raise ValidationError(
            {"strands": f"“{strand.sub_category.label}” is not a sub-category of {strand.strand.label}."}
        )


def _add_strand_row(record: Record, strand: StrandInput, *, added_by: User | None) -> RecordStrand:
    _check_strand(strand)
    if record.strands.filter(strand__code=strand.strand.code, sub_category=strand.sub_category).exists():
        raise ValidationError({"strands": f"{strand.strand.label} is already on this record."})
    return RecordStrand.objects.create(
        record=record,
        strand=strand.strand,
        sub_category=strand.sub_category,
        perceiver=strand.perceiver,
        is_monitored=bool(strand.strand.attributes.get("monitored", False)),
        note=encrypt(strand.note.strip(), organisation_id=record.organisation_id, column=STRAND_NOTE_COLUMN) or "",
        added_by=added_by,
    )


def strand_summary(row: RecordStrand) -> dict[str, Any]:
    return {
        "strand": row.strand.code,
        "sub_category": row.sub_category.code if row.sub_category else None,
        "perceiver": row.perceiver.code,
    }


def person_build(*, organisation_id: int, person: PersonInput) -> Person:
    """An unsaved Person: identity encrypted under the organisation's key, blind indexes computed.

    ``_create_person`` saves it; bulk writers (demo data) build many and insert them together.
    """
    dob = person.date_of_birth.isoformat() if person.date_of_birth else ""
    plain = {
        "given_name": person.given_name.strip(),
        "family_name": person.family_name.strip(),
        "date_of_birth": dob,
        "email": person.email.strip(),
        "phone": person.phone.strip(),
        "address": person.address.strip(),
        "postcode": display_postcode(person.postcode) if person.postcode else "",
    }
    encrypted = {
        name: encrypt(value, organisation_id=organisation_id, column=person_column(name)) or ""
        for name, value in plain.items()
    }
    return Person(
        organisation_id=organisation_id,
        **encrypted,
        name_dob_index=name_dob_index(plain["given_name"], plain["family_name"], dob),
        postcode_index=blind_index("postcode", normalise_postcode(plain["postcode"])),
        phone_index=blind_index("phone", normalise_phone(plain["phone"])),
        email_index=blind_index("email", normalise_email(plain["email"])),
        ethnicity=person.ethnicity,
        sex=person.sex,
        gender_identity=person.gender_identity,
        age_band=person.age_band,
        disability=person.disability,
        religion=person.religion,
        sexual_orientation=person.sexual_orientation,
    )


def _create_person(*, organisation_id: int, person: PersonInput) -> Person:
    built = person_build(organisation_id=organisation_id, person=person)
    built.save()
    return built


@transaction.atomic
def record_create(
    *,
    actor: User,
    kind: str,
    reported_at: datetime,
    narrative: str,
    occurred_from: datetime | None = None,
    occurred_to: datetime | None = None,
    location: LocationInput | None = None,
    flags: FlagsInput | None = None,
    strands: list[StrandInput] | None = None,
    offences: list[OffenceInput] | None = None,
    people: list[PersonInput] | None = None,
    status: str = RecordStatus.RECORDED,
    team_id: int | None = None,
    source: SourceInput | None = None,
) -> Record:
    _require_writer(actor)
    organisation = actor.organisation
    if organisation is None:
        raise PermissionDenied("You must belong to an organisation to record.")
    if kind not in RecordKind.values:
        raise ValidationError({"kind": "Choose whether this is a hate crime, a non-crime hate incident or other crime."})
    if status not in (RecordStatus.DRAFT, RecordStatus.RECORDED):
        raise ValidationError({"status": "A new record is either a draft or recorded."})
    if not narrative.strip() and status != RecordStatus.DRAFT:
        raise ValidationError({"narrative": "Enter what happened."})
    _validate_dates(occurred_from=occurred_from, occurred_to=occurred_to, reported_at=reported_at)
    _validate_complete(kind=kind, status=status, strand_count=len(strands or []), location=location or LocationInput())
    if team_id is not None and not organisation.teams.filter(pk=team_id).exists():
        raise ValidationError({"team": "Choose one of your organisation's teams."})
    for person in people or []:
        if person.role not in PersonRole.values:
            raise ValidationError({"people": "Choose victim, subject, witness or reporter for each person."})
    source = source or SourceInput()
    if source.reference and Record.objects.filter(
        organisation=organisation, source_system=source.system, source_reference=source.reference
    ).exists():
        raise ValidationError({"source_reference": f"{source.system} {source.reference} has already been imported."})

    now = timezone.now()
    year = (occurred_from or reported_at).year if status == RecordStatus.DRAFT else now.year
    record = Record(
        organisation=organisation,
        team_id=team_id if team_id is not None else actor.team_id,
        reference=_next_reference(organisation_id=organisation.pk, prefix=organisation.reference_prefix, year=year),
        kind=kind,
        status=status,
        occurred_from=occurred_from,
        occurred_to=occurred_to,
        reported_at=reported_at,
        recorded_at=now if status == RecordStatus.RECORDED else None,
        narrative=encrypt(narrative.strip(), organisation_id=organisation.pk, column=NARRATIVE_COLUMN) or "",
        reference_version=latest_version(),
        source_system=source.system,
        source_reference=source.reference,
        created_by=actor,
    )
    _apply_location(record, location or LocationInput())
    _apply_flags(record, flags or FlagsInput())
    record.full_clean(exclude=["narrative", "borough", "location_type", "online_platform", "reference_version"])
    record.save()

    strand_rows = [_add_strand_row(record, strand, added_by=actor) for strand in strands or []]
    for offence in offences or []:
        Offence.objects.create(record=record, offence=offence.offence, is_aggravated=offence.is_aggravated)
    for person in people or []:
        row = _create_person(organisation_id=organisation.pk, person=person)
        RecordPerson.objects.create(record=record, person=row, role=person.role)

    audit_event_write(
        actor=actor,
        action=record_actions.RECORD_CREATE,
        target=record,
        target_label=record.reference,
        record_id=record.pk,
        changes={
            "after": record_snapshot(record, place=location or LocationInput()),
            "narrative": "set" if narrative.strip() else "empty",
            "strands": [strand_summary(row) for row in strand_rows],
            "offences": [{"offence": o.offence.code, "aggravated": o.is_aggravated} for o in offences or []],
            "people": [{"role": p.role, "identity": "set (encrypted)"} for p in people or []],
            "source": {"system": source.system, "reference": source.reference} if source.reference else None,
        },
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.CREATED)
    return record


@decrypts
@transaction.atomic
def record_update(
    *,
    actor: User,
    record: Record,
    row_version: int,
    kind: str,
    reported_at: datetime,
    narrative: str,
    occurred_from: datetime | None,
    occurred_to: datetime | None,
    location: LocationInput,
    flags: FlagsInput,
    team_id: int | None,
) -> Record:
    """Replaces the editable fields. ``row_version`` must match, so two editors cannot overwrite each other."""
    _require_writer(actor, record)
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.row_version != row_version:
        raise ValidationError(
            {"row_version": "Someone else changed this record while you were editing it. Reload it and make your changes again."}
        )
    if kind not in RecordKind.values:
        raise ValidationError({"kind": "Choose whether this is a hate crime, a non-crime hate incident or other crime."})
    if not narrative.strip() and record.status != RecordStatus.DRAFT:
        raise ValidationError({"narrative": "Enter what happened."})
    _validate_dates(occurred_from=occurred_from, occurred_to=occurred_to, reported_at=reported_at)
    _validate_complete(kind=kind, status=record.status, strand_count=record.strands.count(), location=location)
    if team_id is not None and not record.organisation.teams.filter(pk=team_id).exists():
        raise ValidationError({"team": "Choose one of your organisation's teams."})
    from umbrella.crypto.fields import decrypt

    before = record_snapshot(record, place=record_place(record))
    narrative_changed = decrypt(record.narrative, column=NARRATIVE_COLUMN) != narrative.strip()
    record.kind = kind
    record.reported_at = reported_at
    record.occurred_from = occurred_from
    record.occurred_to = occurred_to
    record.team_id = team_id
    if narrative_changed:
        record.narrative = encrypt(narrative.strip(), organisation_id=record.organisation_id, column=NARRATIVE_COLUMN) or ""
    _apply_location(record, location)
    _apply_flags(record, flags)
    record.row_version += 1
    record.save()
    changes = _diff(before, record_snapshot(record, place=location))
    if narrative_changed:
        changes["narrative"] = "changed"
    audit_event_write(
        actor=actor, action=record_actions.RECORD_UPDATE, target=record, target_label=record.reference,
        record_id=record.pk, changes=changes,
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.UPDATED)
    return record


@transaction.atomic
def record_change_status(
    *, actor: User, record: Record, status: str, reason: str = "", reason_code: str = ""
) -> Record:
    """Moves a record along its statuses. Closing needs a reason: one from the list of closure
    reasons (required for a non-crime hate incident, which has no Home Office outcome to say how it
    ended), the person's own words (required without a listed reason, or with "other"), or both."""
    _require_writer(actor, record)
    record = Record.objects.select_for_update().get(pk=record.pk)
    if status not in STATUS_TRANSITIONS.get(record.status, set()):
        allowed = ", ".join(sorted(RecordStatus(s).label.lower() for s in STATUS_TRANSITIONS.get(record.status, set())))
        raise ValidationError(
            {"status": f"A {RecordStatus(record.status).label.lower()} record can only become: {allowed or 'nothing else'}."}
        )
    closure_reason = None
    if status == RecordStatus.CLOSED:
        closure_reason = current_code(scheme=Scheme.STATUS_REASON, code=reason_code) if reason_code else None
        rules.raise_if(rules.closing_errors(
            kind=record.kind, reason_code=reason_code, reason=reason,
            reason_attributes=None if closure_reason is None else dict(closure_reason.attributes),
        ))
    if status == RecordStatus.CLOSED and (problems := closing_problems(record)):
        raise ValidationError({"status": problems})
    if record.status == RecordStatus.DRAFT:
        # A draft may be incomplete; it becomes a record only when it meets the rules.
        rules.raise_if(rules.completeness_errors(
            kind=record.kind, status=status, strand_count=record.strands.count(),
            has_borough=record.borough_id is not None or bool(record.area_code or record.area_name),
            has_online_platform=record.online_platform_id is not None,
        ))
    before = record.status
    record.status = status
    record.status_reason = encrypt(reason.strip(), organisation_id=record.organisation_id, column=STATUS_REASON_COLUMN) or ""
    record.closure_reason = closure_reason
    if status == RecordStatus.RECORDED and record.recorded_at is None:
        record.recorded_at = timezone.now()
    record.row_version += 1
    record.save(update_fields=["status", "status_reason", "closure_reason", "recorded_at", "row_version", "updated_at"])
    changes: dict[str, Any] = {"status": {"from": before, "to": status}, "reason": keyed_value(reason.strip())}
    if closure_reason is not None:
        changes["closure_reason"] = closure_reason.code
    event = audit_event_write(
        actor=actor, action=record_actions.RECORD_STATUS_CHANGE, target=record, target_label=record.reference,
        record_id=record.pk, changes=changes,
    )
    change_reason_keep(record=record, event_id=event.pk, reason=reason)
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.STATUS)
    return record


@transaction.atomic
def record_add_strand(*, actor: User, record: Record, strand: StrandInput) -> RecordStrand:
    _require_writer(actor, record)
    row = _add_strand_row(record, strand, added_by=actor)
    audit_event_write(
        actor=actor, action=record_actions.RECORD_STRAND_ADD, target=record, target_label=record.reference,
        record_id=record.pk, changes={"strand": strand_summary(row)},
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.STRANDS)
    return row


def strand_added_by_id(record: Record, row: RecordStrand) -> int | None:
    """Who added the strand; for strands from before that was kept, the record's creator."""
    return row.added_by_id or record.created_by_id


@transaction.atomic
def record_remove_strand(*, actor: User, record: Record, strand_id: int, reason: str) -> None:
    """Takes off a strand entered in error: only the person who added it or a supervisor, with a reason.

    A strand the victim or anyone else perceived is never removed to disagree with them: that is
    what an evidential assessment (strand_assess) is for.
    """
    _require_writer(actor, record)
    row = RecordStrand.objects.select_related("strand", "sub_category", "perceiver").get(pk=strand_id, record=record)
    if not can_remove_strand(actor, added_by_id=strand_added_by_id(record, row)):
        raise PermissionDenied(
            "Only the person who added this strand, or a supervisor, can remove it. If you doubt it, "
            "record an evidential assessment instead: the perception stays on the record."
        )
    if not reason.strip():
        raise ValidationError({"reason": "Enter why the strand is being removed, for example that it was entered in error."})
    if record.status != RecordStatus.DRAFT and record.kind in rules.HATE_KINDS and record.strands.count() == 1:
        raise ValidationError({"strands": [
            "A hate crime or non-crime hate incident keeps at least one strand: add the right one first, or change the kind."
        ]})
    summary = strand_summary(row)
    row.delete()
    event = audit_event_write(
        actor=actor, action=record_actions.RECORD_STRAND_REMOVE, target=record, target_label=record.reference,
        record_id=record.pk, changes={"strand": summary, "reason": keyed_value(reason.strip())},
    )
    change_reason_keep(record=record, event_id=event.pk, reason=reason)
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.STRANDS)


@transaction.atomic
def strand_correct_sub_category(
    *, actor: User, record: Record, strand_id: int, sub_category: Code | None
) -> RecordStrand:
    """Corrects a strand's sub-category (or clears it). The strand and who perceived it stay."""
    _require_writer(actor, record)
    row = RecordStrand.objects.select_related("strand", "sub_category", "perceiver").get(pk=strand_id, record=record)
    if sub_category is not None and (
        sub_category.scheme != "sub_category" or sub_category.parent_code != row.strand.code
    ):
        raise ValidationError({f"sub_{row.pk}": f"“{sub_category.label}” is not a sub-category of {row.strand.label}."})
    if row.sub_category_id == (sub_category.pk if sub_category else None):
        return row
    if record.strands.filter(strand=row.strand, sub_category=sub_category).exclude(pk=row.pk).exists():
        raise ValidationError({f"sub_{row.pk}": f"{row.strand.label} with that sub-category is already on this record."})
    before = row.sub_category.code if row.sub_category else None
    row.sub_category = sub_category
    row.save(update_fields=["sub_category"])
    audit_event_write(
        actor=actor, action=record_actions.RECORD_STRAND_SUB_CATEGORY, target=record, target_label=record.reference,
        record_id=record.pk,
        changes={"strand": strand_summary(row), "sub_category": {"from": before, "to": _code_label(sub_category)}},
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.STRANDS)
    return row


@transaction.atomic
def strand_assess(
    *, actor: User, record: Record, strand_id: int, assessment: str, reason: str
) -> StrandAssessment:
    """Records an evidential assessment beside a perceived strand; the strand itself is unchanged."""
    _require_writer(actor, record)
    if not can_assess_strands(actor):
        raise PermissionDenied("Only hub reviewers and supervisors record evidential assessments.")
    row = RecordStrand.objects.select_related("strand", "sub_category", "perceiver").get(pk=strand_id, record=record)
    errors: dict[str, str] = {}
    if assessment not in EvidentialAssessment.values:
        errors["assessment"] = "Choose supported, not supported or more information needed."
    if not reason.strip():
        errors["reason"] = f"Enter the reason for your assessment of {row.strand.label}."
    if errors:
        raise ValidationError(errors)
    assessed = StrandAssessment.objects.create(
        record=record,
        record_strand=row,
        assessment=assessment,
        reason=encrypt(reason.strip(), organisation_id=record.organisation_id, column=ASSESSMENT_REASON_COLUMN) or "",
        assessed_by=actor,
        assessed_at=timezone.now(),
    )
    audit_event_write(
        actor=actor, action=record_actions.RECORD_STRAND_ASSESS, target=record, target_label=record.reference,
        record_id=record.pk,
        changes={"strand": strand_summary(row), "assessment": assessment, "reason": "set (encrypted)"},
    )
    return assessed


@transaction.atomic
def record_add_offence(*, actor: User, record: Record, offence: OffenceInput) -> Offence:
    _require_writer(actor, record)
    if offence.offence.scheme != "offence":
        raise ValidationError({"offence": "Choose a Home Office offence code."})
    row = Offence.objects.create(record=record, offence=offence.offence, is_aggravated=offence.is_aggravated)
    audit_event_write(
        actor=actor, action=record_actions.RECORD_OFFENCE_ADD, target=record, target_label=record.reference,
        record_id=record.pk, changes={"offence": offence.offence.code, "aggravated": offence.is_aggravated},
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.OFFENCES)
    return row


@transaction.atomic
def record_add_person(*, actor: User, record: Record, person: PersonInput) -> RecordPerson:
    _require_writer(actor, record)
    if person.role not in PersonRole.values:
        raise ValidationError({"role": "Choose victim, subject, witness or reporter."})
    row = _create_person(organisation_id=record.organisation_id, person=person)
    link = RecordPerson.objects.create(record=record, person=row, role=person.role)
    audit_event_write(
        actor=actor, action=record_actions.RECORD_PERSON_ADD, target=record, target_label=record.reference,
        record_id=record.pk, changes={"person": row.pk, "role": person.role, "identity": "set (encrypted)"},
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.PEOPLE)
    return link


@transaction.atomic
def record_link(*, actor: User, record: Record, other: Record, reason: str) -> RecordLink:
    """Links the actor's organisation's record to another record the actor can see, its own or
    one another organisation shared with it (e.g. the centre's record a police record was made from).
    Each record's readers see the link only if they can also see the other record."""
    _require_writer(actor, record)
    if not Record.objects.visible_to(actor).filter(pk=other.pk).exists():
        raise Record.DoesNotExist
    if record.pk == other.pk:
        raise ValidationError({"other": "A record cannot be linked to itself."})
    if not reason.strip():
        raise ValidationError({"reason": "Enter why these records are linked."})
    if RecordLink.objects.filter(from_record=record, to_record=other).exists() or RecordLink.objects.filter(
        from_record=other, to_record=record
    ).exists():
        raise ValidationError({"other": f"{record.reference} is already linked to {other.reference}."})
    link = RecordLink.objects.create(
        from_record=record, to_record=other, created_by=actor,
        reason=encrypt(reason.strip(), organisation_id=record.organisation_id, column=LINK_REASON_COLUMN) or "",
    )
    for this, that in ((record, other), (other, record)):
        audit_event_write(
            actor=actor, action=record_actions.RECORD_LINK, target=this, target_label=this.reference,
            # The words stay with the link; the log holds their keyed hash (audit.values).
            record_id=this.pk, changes={"linked_to": that.reference, "reason": keyed_value(reason.strip())},
        )
    for this in (record, other):
        signals.record_changed.send(sender=Record, record=this, actor=actor, change=signals.LINKS)
    return link
