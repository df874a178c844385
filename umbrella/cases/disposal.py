"""Disposing of a record's personal data and free text at the end of its retention (the retention
review decides; ``umbrella.retention``). What goes: the narrative, the reason for its status, where
it happened beyond the borough and small area, and every person on it (identity, contact details,
blind indexes, equality answers), and what other apps hold of it (each names its rows and columns
with ``core.extensions.register_disposal_target``: strand notes, share and link reasons, the report
it came from and its evidence files, care, risk, conference and review notes). What stays: the reference, kind, status, dates, strands and
areas, so the statistics still count it, and the audit log, whose events never held the values.

A person on other records too keeps their details there: this record's link moves to an empty
person, as when an NCHI subject's data are removed (``cases.nchi``).

Anonymising (``record_anonymise``) is the review's other way out: the same people, place and other
apps' free text go, but the narrative stays, each linked person's name replaced by their role and
e-mail addresses, phone numbers, postcodes and dates taken out, as a scrutiny panel reads it. The
record then still serves analysis and problem profiles, without anyone in it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.actions import RECORD_ANONYMISE, RECORD_DISPOSE
from umbrella.cases.models import NARRATIVE_COLUMN, Record, RecordPerson
from umbrella.cases.nchi import person_forget_on_record
from umbrella.cases.scoping import Access
from umbrella.cases.selectors import masked_narrative
from umbrella.core.extensions import disposal_targets
from umbrella.core.logging import redact_contact_details
from umbrella.crypto.fields import decrypt, encrypt

if TYPE_CHECKING:
    from umbrella.accounts.models import User


# The record's own free text and place beyond the statistical areas.
_FREE_TEXT = ("narrative", "status_reason", "location_description", "postcode", "postcode_index", "coordinates")


def record_dispose(*, actor: User, record: Record, rule: str) -> dict[str, int]:
    """Removes the record's personal data and free text and marks it disposed; returns what was
    removed (counts). The caller (the retention review) has checked who may and whether anything
    keeps the record alive; ``rule`` names the schedule line it was disposed under (no personal data).
    """
    return _people_and_text_removed(actor=actor, record=record, rule=rule, anonymise=False)


def anonymised_narrative(narrative: str, links: list[RecordPerson]) -> str:
    """The narrative as it reads once anonymised: each linked person's name replaced by their role,
    then e-mail addresses, phone numbers, postcodes and dates taken out. Names of people who are not
    on the record stay, which is why the reviewer reads it before choosing (the review page shows it)."""
    return redact_contact_details(masked_narrative(narrative, links, Access.ANONYMISED))


def record_anonymise(*, actor: User, record: Record, rule: str) -> dict[str, int]:
    """Removes every person's details, the record's place beyond its statistical areas and other
    apps' free text, and keeps the narrative anonymised (``anonymised_narrative``); returns what was
    removed (counts). The caller (the retention review) has checked who may and whether anything
    keeps the record alive; ``rule`` names the schedule line (no personal data)."""
    return _people_and_text_removed(actor=actor, record=record, rule=rule, anonymise=True)


@decrypts
@transaction.atomic
def _people_and_text_removed(*, actor: User, record: Record, rule: str, anonymise: bool) -> dict[str, int]:
    """What disposal and anonymising share: the record locked, every person on it forgotten, its
    free text and place emptied, and what other apps hold of it; the narrative emptied, or kept
    anonymised. Marks the record disposed of or anonymised, audits and returns the counts."""
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.disposed_at is not None or record.anonymised_at is not None:
        raise ValueError(f"{record.reference} was disposed of or anonymised already")
    links = list(RecordPerson.objects.select_for_update().filter(record=record).select_related("person"))
    # Read before the people are forgotten: their names are what the anonymised narrative replaces.
    kept = anonymised_narrative(decrypt(record.narrative, column=NARRATIVE_COLUMN), links) if anonymise else ""
    detached = sum(person_forget_on_record(link) for link in links)
    for name in _FREE_TEXT:
        setattr(record, name, "")
    if kept:
        record.narrative = encrypt(kept, organisation_id=record.organisation_id, column=NARRATIVE_COLUMN) or ""
    stamp = "anonymised_at" if anonymise else "disposed_at"
    setattr(record, stamp, timezone.now())
    record.row_version += 1
    record.save(update_fields=[*_FREE_TEXT, stamp, "row_version", "updated_at"])
    removed = {"people": len(links), "people_on_other_records_kept_there": detached, **_dispose_elsewhere(record)}
    said = {"narrative": "anonymised"} if anonymise else {"free_text": "removed"}
    audit_event_write(actor=actor, action=RECORD_ANONYMISE if anonymise else RECORD_DISPOSE, target=record,
                      target_label=record.reference, record_id=record.pk, changes={**removed, **said, "rule": rule[:200]})
    return removed


def _dispose_elsewhere(record: Record) -> dict[str, int]:
    """Empties what other apps hold of the record (core.extensions.register_disposal_target): the
    counts of rows touched, by target, leaving out targets with nothing of this record."""
    return record_parts_empty(record_id=record.pk, names=[name for name, _ in disposal_targets()])


def record_parts_empty(*, record_id: int, names: list[str]) -> dict[str, int]:
    """Empties these disposal targets' rows of the record (the retention schedule's lines for parts
    of a record, such as its evidence files, use it alone): the counts of rows touched, by target,
    leaving out targets with nothing of this record. The caller audits."""
    removed: dict[str, int] = {}
    for name, target in disposal_targets():
        if name not in names:
            continue
        # update() and not save(): immutable rows (the hub's decisions) take this one change.
        emptied = target.rows_of(record_id).update(**dict.fromkeys(target.fields, ""))
        extra = target.also(target.rows_of(record_id)) if target.also is not None else 0
        if emptied or extra:
            removed[name] = max(emptied, extra)
    return removed
