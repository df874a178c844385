"""Disposing of a record's personal data and free text at the end of its retention (the retention
review decides; ``umbrella.retention``). What goes: the narrative, the reason for its status, where
it happened beyond the borough and small area, and every person on it (identity, contact details,
blind indexes, equality answers), and what other apps hold of it (each names its rows and columns
with ``core.extensions.register_disposal_target``: strand notes, share and link reasons, the report
it came from and its evidence files, care, risk, conference and review notes). What stays: the reference, kind, status, dates, strands and
areas, so the statistics still count it, and the audit log, whose events never held the values.

A person on other records too keeps their details there: this record's link moves to an empty
person, as when an NCHI subject's data are removed (``cases.nchi``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from umbrella.audit.services import audit_event_write
from umbrella.cases.actions import RECORD_DISPOSE
from umbrella.cases.models import Record, RecordPerson
from umbrella.cases.nchi import person_forget_on_record
from umbrella.core.extensions import disposal_targets

if TYPE_CHECKING:
    from umbrella.accounts.models import User


# The record's own free text and place beyond the statistical areas.
_FREE_TEXT = ("narrative", "status_reason", "location_description", "postcode", "postcode_index", "coordinates")


@transaction.atomic
def record_dispose(*, actor: User, record: Record, rule: str) -> dict[str, int]:
    """Removes the record's personal data and free text and marks it disposed; returns what was
    removed (counts). The caller (the retention review) has checked who may and whether anything
    keeps the record alive; ``rule`` names the schedule line it was disposed under (no personal data).
    """
    record = Record.objects.select_for_update().get(pk=record.pk)
    if record.disposed_at is not None:
        raise ValueError(f"{record.reference} was disposed of already")
    links = list(RecordPerson.objects.select_for_update().filter(record=record).select_related("person"))
    people = len(links)
    detached = sum(person_forget_on_record(link) for link in links)
    for name in _FREE_TEXT:
        setattr(record, name, "")
    record.disposed_at = timezone.now()
    record.row_version += 1
    record.save(update_fields=[*_FREE_TEXT, "disposed_at", "row_version", "updated_at"])
    removed = {"people": people, "people_on_other_records_kept_there": detached, **_dispose_elsewhere(record)}
    audit_event_write(actor=actor, action=RECORD_DISPOSE, target=record, target_label=record.reference,
                      record_id=record.pk, changes={**removed, "free_text": "removed", "rule": rule[:200]})
    return removed


def _dispose_elsewhere(record: Record) -> dict[str, int]:
    """Empties what other apps hold of the record (core.extensions.register_disposal_target): the
    counts of rows touched, by target, leaving out targets with nothing of this record."""
    removed: dict[str, int] = {}
    for name, target in disposal_targets():
        # update() and not save(): immutable rows (the hub's decisions) take this one change.
        emptied = target.rows_of(record.pk).update(**dict.fromkeys(target.fields, ""))
        extra = target.also(target.rows_of(record.pk)) if target.also is not None else 0
        if emptied or extra:
            removed[name] = max(emptied, extra)
    return removed
