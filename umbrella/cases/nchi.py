"""Non-crime hate incidents: removing the subject's personal data (NCHI Code of Practice 2023).

Where an NCHI presents neither a real risk of significant harm to people with the protected
characteristic nor a real risk of a future criminal offence, the Code says the subject's personal
data must not be kept, and must be deleted if already recorded. ``record_remove_subject_data``
does that for one record: every person linked as subject loses their identity fields, blind
indexes and equality answers, and their names are redacted from the narrative. The link itself
stays, so the record still says that a subject existed, without saying who.

A person linked to other records too (as a victim of a crime, say) is not wiped there: this
record's link moves to a new, empty person, so only this record forgets them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from django.core.exceptions import PermissionDenied
from django.db import transaction

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases import signals
from umbrella.cases.models import (
    NARRATIVE_COLUMN,
    PERSON_ENCRYPTED_FIELDS,
    Person,
    PersonRole,
    Record,
    RecordPerson,
    person_column,
)
from umbrella.cases.policy import can_write_records
from umbrella.crypto.fields import decrypt, encrypt

if TYPE_CHECKING:
    from umbrella.accounts.models import User

RECORD_SUBJECT_DATA_REMOVE: Final = "record.subject_data_remove"
REDACTED: Final = "[Subject: details removed]"

_INDEX_FIELDS = ("name_dob_index", "postcode_index", "phone_index", "email_index")
_EQUALITY_FIELDS = (
    "ethnicity", "sex", "gender_identity", "age_band", "disability", "religion", "sexual_orientation",
)


@decrypts
def _names_of(person: Person) -> list[str]:
    given = decrypt(person.given_name, column=person_column("given_name")).strip()
    family = decrypt(person.family_name, column=person_column("family_name")).strip()
    return sorted({n for n in (f"{given} {family}".strip(), given, family) if len(n) >= 2}, key=len, reverse=True)


def _blank(person: Person) -> None:
    for name in PERSON_ENCRYPTED_FIELDS:
        setattr(person, name, "")
    for name in _INDEX_FIELDS:
        setattr(person, name, "")
    for name in _EQUALITY_FIELDS:
        setattr(person, name, None)


def person_forget_on_record(link: RecordPerson) -> bool:
    """Removes the linked person's personal data from this record; True when they were on other
    records too, and keep their details there (this record's link moves to a new, empty person)."""
    person = link.person
    if RecordPerson.objects.filter(person=person).exclude(pk=link.pk).exists():
        empty = Person(organisation_id=person.organisation_id)
        _blank(empty)
        empty.save()
        link.person = empty
        link.save(update_fields=["person"])
        return True
    _blank(person)
    person.save()
    return False


@decrypts
@transaction.atomic
def record_remove_subject_data(*, actor: User, record: Record, reason: str) -> int:
    """Removes every subject's personal data from ``record``; returns how many subjects were affected.

    Only writers of the owning organisation may do this. ``reason`` is a short fixed statement of
    why (it goes into the audit log, so it must not contain personal data). The audit event says
    what was removed, never the values.
    """
    if not can_write_records(actor) or actor.organisation_id != record.organisation_id:
        raise PermissionDenied("Only the owning organisation's record writers can remove a subject's data.")
    record = Record.objects.select_for_update().get(pk=record.pk)
    links = list(
        RecordPerson.objects.select_for_update().filter(record=record, role=PersonRole.SUBJECT).select_related("person")
    )
    names: list[str] = []
    detached = 0
    for link in links:
        names.extend(_names_of(link.person))
        detached += person_forget_on_record(link)

    narrative_redacted = False
    if names:
        plain = decrypt(record.narrative, column=NARRATIVE_COLUMN)
        redacted = plain
        for name in sorted(set(names), key=len, reverse=True):
            redacted = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", REDACTED, redacted, flags=re.IGNORECASE)
        if redacted != plain:
            record.narrative = encrypt(redacted, organisation_id=record.organisation_id, column=NARRATIVE_COLUMN) or ""
            record.row_version += 1
            record.save(update_fields=["narrative", "row_version", "updated_at"])
            narrative_redacted = True

    audit_event_write(
        actor=actor,
        action=RECORD_SUBJECT_DATA_REMOVE,
        target=record,
        target_label=record.reference,
        record_id=record.pk,
        changes={
            "subjects": len(links),
            "identity": "removed",
            "blind_indexes": "removed",
            "equality_monitoring": "removed",
            "detached_from_other_records": detached,
            "narrative": "subject names redacted" if narrative_redacted else "unchanged",
            "reason": reason.strip()[:300],
        },
    )
    signals.record_changed.send(sender=Record, record=record, actor=actor, change=signals.PEOPLE)
    return len(links)
