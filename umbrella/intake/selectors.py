"""Every read of the intake app, scoped to the user's organisation (another's report is missing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import PersonRole, Record, RecordShare
from umbrella.consent.models import ConsentRecord
from umbrella.consent.selectors import consent_history, consents_carried
from umbrella.crypto.fields import decrypt
from umbrella.intake import actions
from umbrella.intake.answers import ReportAnswers, anonymise, answers_of

# Read by the progress page too (re-exported: other apps read intake through its selectors).
from umbrella.intake.copies import CopyConsents as CopyConsents
from umbrella.intake.copies import report_consents as report_consents
from umbrella.intake.copies import report_copies as report_copies
from umbrella.intake.models import NOTE_COLUMN, OPEN_STATUSES, CaseNote, Evidence, Report
from umbrella.intake.policy import can_triage
from umbrella.intake.services import org_id_of

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def reports_of(user: User) -> QuerySet[Report]:
    if not can_triage(user) or user.organisation_id is None:
        return Report.objects.none()
    return Report.objects.filter(organisation_id=org_id_of(user))


def triage_queue(*, user: User) -> QuerySet[Report]:
    """Open reports of the user's organisation, oldest first (lazy: the page takes one page of it)."""
    return (
        reports_of(user).filter(status__in=OPEN_STATUSES)
        .select_related("claimed_by", "source_record__organisation").annotate(evidence_count=Count("evidence")).order_by("submitted_at", "id")
    )


def recent_decisions(*, user: User, limit: int = 20) -> list[Report]:
    return list(
        reports_of(user).exclude(status__in=OPEN_STATUSES).select_related("decided_by", "record")
        .order_by("-decided_at", "-id")[:limit]
    )


@dataclass(frozen=True)
class NoteView:
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class ReportView:
    report: Report
    answers: ReportAnswers
    evidence: list[Evidence]
    notes: list[NoteView]
    age_days: int


@decrypts
def _notes(queryset: QuerySet[CaseNote]) -> list[NoteView]:
    return [
        NoteView(decrypt(note.text, column=NOTE_COLUMN), note.author.username if note.author else "", note.created_at)
        for note in queryset.select_related("author")
    ]


def report_get(*, user: User, report_id: int) -> Report:
    return reports_of(user).select_related(
        "claimed_by", "decided_by", "record", "merged_into", "source_record__organisation"
    ).get(pk=report_id)


@dataclass(frozen=True)
class ReportCarries:
    """What a record made from a report starts with (labels, never codes)."""

    strands: list[str]
    perceived_by: str
    borough: str
    place: str
    person: str  # e.g. "Victim: Zebedee Quartermaine", or why there is none
    shared_by: str  # the centre that shared it on consent, if it did
    consent_reference: str


def report_carries(*, user: User, report: Report) -> ReportCarries:
    """Read by a triager of the report's organisation (the caller scoped the report)."""
    from umbrella.intake.services import record_inputs

    answers = answers_of(report)
    if report.is_anonymised:
        answers = anonymise(answers)
    inputs = record_inputs(answers)
    people = inputs["people"]
    if people:
        person = people[0]
        name = " ".join(part for part in (person.given_name, person.family_name) if part) or "name not given"
        who = f"{PersonRole(person.role).label}: {name}"
    elif report.is_anonymised:
        who = "None: shared without the victim's details, as the victim chose"
    else:
        who = "None: the reporter gave no contact details"
    location = inputs["location"]
    return ReportCarries(
        strands=[s.strand.label for s in inputs["strands"]],
        perceived_by=inputs["strands"][0].perceiver.label.lower() if inputs["strands"] else "",
        borough=location.borough.label if location.borough is not None else "",
        place=location.online_platform.label if location.online_platform is not None else (
            location.location_type.label if location.location_type is not None else ""
        ),
        person=who,
        shared_by=report.source_record.organisation.name if report.source_record is not None else "",
        consent_reference=report.consent_reference,
    )


def report_detail(*, user: User, report_id: int) -> ReportView:
    """The decrypted report, for its organisation's triagers; reading it is audited."""
    report = report_get(user=user, report_id=report_id)
    audit_event_write(actor=user, action=actions.REPORT_VIEW, target=report, target_label=report.reference,
                      record_id=report.record_id)
    return ReportView(
        report=report, answers=answers_of(report), evidence=list(report.evidence.all()),
        notes=_notes(CaseNote.objects.filter(report=report, organisation_id=org_id_of(user))),
        age_days=(timezone.now() - report.submitted_at).days,
    )


def evidence_get(*, user: User, report_id: int, evidence_id: int) -> Evidence:
    report = report_get(user=user, report_id=report_id)
    return Evidence.objects.get(report=report, pk=evidence_id)


def record_notes(*, record: Record, user: User) -> list[NoteView]:
    return _notes(CaseNote.objects.filter(record=record, organisation_id=org_id_of(user)))


@dataclass(frozen=True)
class HandOff:
    """What became of the record when it was shared with the police, as its owner may know it."""

    organisation: str
    report_reference: str
    received_at: datetime
    status: str
    recorded_as: str  # the police record's reference, once recorded
    recorded_kind: str
    decided_at: datetime | None


@dataclass(frozen=True)
class ConsentSummary:
    history: list[ConsentRecord]
    shares: list[RecordShare]
    # Consents the victim gave where this record came from, honoured here within their scope.
    carried: list[ConsentRecord] = field(default_factory=list)
    hand_offs: list[HandOff] = field(default_factory=list)


def hand_offs(*, record: Record) -> list[HandOff]:
    """The owning organisation's view of each time the record went to the police on consent:
    received, recorded (as which police reference), or closed. The caller scoped the record."""
    rows = Report.objects.filter(source_record=record).select_related("organisation", "record").order_by("submitted_at", "id")
    return [
        HandOff(
            organisation=row.organisation.name,
            report_reference=row.reference,
            received_at=row.submitted_at,
            status=str(row.get_status_display()),
            recorded_as=row.record.reference if row.record is not None else "",
            recorded_kind=str(row.record.get_kind_display()).lower() if row.record is not None else "",
            decided_at=row.decided_at,
        )
        for row in rows
    ]


def consent_summary(*, record: Record) -> ConsentSummary:
    """Consent decisions and every share ever made of the record (the caller scoped the record)."""
    return ConsentSummary(
        history=consent_history(record=record),
        shares=list(record.shares.select_related("organisation", "granted_by", "revoked_by").order_by("granted_at", "id")),
        carried=consents_carried(record=record),
        hand_offs=hand_offs(record=record),
    )


# --- a reporter checking their own report ---------------------------------------------------------

PROGRESS_WORDS = {
    "new": _("Received. It is waiting to be read."),
    "in_triage": _("Someone is reading it now."),
    "accepted": _("Read and recorded."),
    "merged": _("Joined to another report about the same thing."),
    "closed": _("Read and closed."),
}


@dataclass(frozen=True)
class ProgressLine:
    organisation: str
    progress: str
    submitted_at: datetime


def progress_lines(rows: list[Report]) -> list[ProgressLine]:
    """Where each copy of a report has got to (``report_copies`` found them for the holder of its
    reference and check code). Nothing of what the report says, and nothing about anyone: the
    organisations the reporter chose and how far each has got."""
    return [ProgressLine(organisation=row.organisation.name, progress=str(PROGRESS_WORDS.get(row.status, row.status)),
                          submitted_at=row.submitted_at) for row in rows]
