"""Readable sentences for a record's audit events. Never shows encrypted values: the audit chain
holds none, and this only reads codes, statuses, references and usernames from it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from umbrella.audit.models import AuditEvent
from umbrella.audit.values import PREFIX as VALUE_PREFIX
from umbrella.cases import actions as record_actions
from umbrella.cases.models import EvidentialAssessment, PersonRole, RecordKind, RecordStatus
from umbrella.core.extensions import timeline_describer
from umbrella.reference.selectors import cached_code_labels

# Field names in record.update changes, as people say them.
FIELD_NAMES = {
    "kind": "kind",
    "status": "status",
    "occurred_from": "when it happened",
    "occurred_to": "when it ended",
    "reported_at": "when it was reported",
    "team": "team",
    "is_online": "online flag",
    "is_domestic_abuse": "domestic abuse flag",
    "is_asb_related": "anti-social behaviour flag",
    "is_alcohol_drug_related": "alcohol or drug flag",
    "location_description": "location description",
    "postcode": "postcode",
    "borough": "borough",
    "lsoa_code": "LSOA",
    "area": "Area outside the listed boroughs",
    "coordinates": "coordinates",
    # Events written before the coordinates were sealed name them separately.
    "latitude": "coordinates",
    "longitude": "coordinates",
    "location_type": "location type",
    "online_platform": "online platform",
    "narrative": "what happened",
}


@dataclass(frozen=True)
class TimelineEntry:
    when: datetime
    actor: str
    action: str
    description: str
    details: list[str]


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


class _Labels:
    """Labels for the codes events mention (retired codes too), by scheme, loaded only when needed."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, str]] = {}

    def __call__(self, scheme: str, code: Any) -> str:
        if code is None:
            return ""
        if scheme not in self._cache:
            # Kept a minute across requests (saving a code clears it), re-read for a code it lacks.
            self._cache[scheme] = cached_code_labels(scheme, needing=str(code))
        return self._cache[scheme].get(str(code), str(code).replace("_", " ").capitalize())


def _strand_text(labels: _Labels, summary: dict[str, Any]) -> str:
    text = labels("strand", summary.get("strand"))
    if summary.get("sub_category"):
        text += f" ({labels('sub_category', summary['sub_category'])})"
    if summary.get("perceiver"):
        text += f", perceived by {labels('perceiver', summary['perceiver']).lower()}"
    return text




def _reason(changes: dict[str, Any], words: str | None) -> str:
    """Events name a reason by its keyed hash (events from before the words were sealed hold them)."""
    if words:
        return f". Reason: {words}"
    given = changes.get("reason")
    if not given:
        return ""
    if str(given).startswith(VALUE_PREFIX):
        return ". A reason was given"
    return f". Reason: {given}"


def describe(event: AuditEvent, labels: _Labels | None = None, reason: str | None = None) -> str:
    """One line for the event; ``reason`` is the words given for the change, when the reader may see them."""
    labels = labels or _Labels()
    who = event.actor_display or "system"
    changes: dict[str, Any] = event.changes or {}
    if event.action == record_actions.RECORD_CREATE:
        status = (changes.get("after") or {}).get("status")
        what = "Draft created" if status == RecordStatus.DRAFT else "Record created"
        return f"{what} by {who}"
    if event.action == record_actions.RECORD_UPDATE:
        names = sorted({FIELD_NAMES.get(key, key.replace("_", " ")) for key in changes})
        return f"Record updated by {who}" + (f": changed {', '.join(names)}" if names else "")
    if event.action == record_actions.RECORD_STATUS_CHANGE:
        status = changes.get("status") or {}
        text = (
            f"Status changed from {_label(RecordStatus, status.get('from')).lower()} "
            f"to {_label(RecordStatus, status.get('to')).lower()} by {who}"
        )
        if closure := changes.get("closure_reason"):
            text += f" ({labels('status_reason', closure)})"
        return text + _reason(changes, reason)
    if event.action == record_actions.RECORD_STRAND_ADD:
        return f"Strand added: {_strand_text(labels, changes.get('strand') or {})}. By {who}"
    if event.action == record_actions.RECORD_STRAND_REMOVE:
        text = f"Strand removed: {_strand_text(labels, changes.get('strand') or {})}. By {who}"
        return text + _reason(changes, reason)
    if event.action == record_actions.RECORD_STRAND_SUB_CATEGORY:
        change = changes.get("sub_category") or {}
        before = labels("sub_category", change.get("from")) or "none"
        after = labels("sub_category", change.get("to")) or "none"
        return (
            f"Sub-category of {labels('strand', (changes.get('strand') or {}).get('strand'))} corrected "
            f"from {before} to {after}. By {who}"
        )
    if event.action == record_actions.RECORD_STRAND_ASSESS:
        return (
            f"Evidential assessment of {labels('strand', (changes.get('strand') or {}).get('strand'))}: "
            f"{_label(EvidentialAssessment, changes.get('assessment')).lower()}. By {who}"
        )
    if event.action == record_actions.RECORD_OFFENCE_ADD:
        aggravated = " (aggravated)" if changes.get("aggravated") else ""
        return f"Offence added: {labels('offence', changes.get('offence'))}{aggravated}. By {who}"
    if event.action == record_actions.RECORD_PERSON_ADD:
        return f"{_label(PersonRole, changes.get('role'))} added by {who}"
    if event.action == record_actions.RECORD_LINK:
        return f"Linked to {changes.get('linked_to', 'another record')} by {who}"
    if event.action == record_actions.RECORD_VIEW:
        return f"Viewed by {who}"
    if (describer := timeline_describer(event.action)) is not None:
        return describer(changes, who, labels)
    return f"{event.action.replace('.', ' ').replace('_', ' ').capitalize()} by {who}"


def details(event: AuditEvent, labels: _Labels | None = None) -> list[str]:
    """What a record was created with, one line each (strands, offences, people's roles)."""
    if event.action != record_actions.RECORD_CREATE:
        return []
    labels = labels or _Labels()
    changes: dict[str, Any] = event.changes or {}
    lines = [f"Strand added: {_strand_text(labels, s)}" for s in changes.get("strands") or []]
    for offence in changes.get("offences") or []:
        aggravated = " (aggravated)" if offence.get("aggravated") else ""
        lines.append(f"Offence added: {labels('offence', offence.get('offence'))}{aggravated}")
    lines.extend(f"{_label(PersonRole, p.get('role'))} added" for p in changes.get("people") or [])
    return lines


def timeline_entries(events: Iterable[AuditEvent], reasons: dict[int, str] | None = None) -> list[TimelineEntry]:
    labels = _Labels()
    reasons = reasons or {}
    return [
        TimelineEntry(
            when=event.occurred_at,
            actor=event.actor_display,
            action=event.action,
            description=describe(event, labels, reasons.get(event.pk)),
            details=details(event, labels),
        )
        for event in events
    ]


def kind_label(kind: str) -> str:
    return _label(RecordKind, kind)
