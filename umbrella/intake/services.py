"""Every write of the intake app: submitting reports, triage decisions, case notes.

Beside it: ``evidence`` (files, sealed on disk), ``handoff`` (the centre-to-police hand-off that
follows the victim's consent), ``mail`` (what the task queue sends) and ``answers`` (the answers,
stored sealed).

Keyword-only, typed, atomic, each writing its audit event. Audit changes never hold what the
reporter wrote: only codes, references and "set".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, time
from typing import TYPE_CHECKING, Any, Final

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.audit.services import audit_event_write
from umbrella.cases.inputs import FlagsInput, LocationInput, PersonInput, SourceInput, StrandInput
from umbrella.cases.models import (
    PersonRole,
    Record,
    RecordKind,
)
from umbrella.cases.services import record_create
from umbrella.consent.models import ConsentDecision, ConsentMethod, ConsentScope
from umbrella.consent.services import (
    STANDARD_CONSENT_WORDS,
    consent_capture,
    consent_follow,
    consents_link_to_record,
)
from umbrella.crypto.fields import encrypt
from umbrella.intake import actions
from umbrella.intake.answers import (
    DESTINATIONS,
    REPORTER_ROLES,
    EvidenceFile,
    ReportAnswers,
    anonymise,
    answers_encrypt,
    answers_of,
)
from umbrella.intake.checking import check_digest, new_check_code
from umbrella.intake.evidence import evidence_store
from umbrella.intake.handoff import hand_off_received, police_force_for
from umbrella.intake.models import (
    NOTE_COLUMN,
    OPEN_STATUSES,
    CaseNote,
    Evidence,
    Report,
    ReportStatus,
    new_report_reference,
)
from umbrella.intake.policy import can_record_for_centre, can_triage
from umbrella.intake.tasks import notify_organisation_later
from umbrella.reference.selectors import current_code

if TYPE_CHECKING:
    from umbrella.accounts.models import User

SUBMIT_CHANNELS: Final = ("online", "in_person", "phone", "helpline")
MAX_NARRATIVE: Final = 20_000


class ClaimConflict(ValidationError):
    """Someone else claimed or decided the report first."""


# ---- helpers ---------------------------------------------------------------------------------


def _check_answers(answers: ReportAnswers, channel: str) -> None:
    errors: dict[str, str] = {}
    if channel not in SUBMIT_CHANNELS:
        errors["channel"] = "Choose how the report was made"
    if answers.reporter_role not in REPORTER_ROLES:
        errors["reporter_role"] = "Choose who is reporting"
    if not answers.narrative.strip():
        errors["narrative"] = "Enter what happened"
    elif len(answers.narrative) > MAX_NARRATIVE:
        errors["narrative"] = f"What happened must be {MAX_NARRATIVE:,} characters or fewer"
    if answers.destination not in DESTINATIONS:
        errors["destination"] = "Choose where to send the report"
    unknown = set(answers.consents) - set(ConsentScope.values)
    if unknown:
        errors["consents"] = "Choose only the consent options offered"
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _receivers(answers: ReportAnswers) -> list[Organisation]:
    receivers: list[Organisation] = []
    if answers.destination in ("police", "both"):
        force = police_force_for(answers.borough_code)
        if force is None:
            raise ValidationError({"destination": ["No police force receives reports yet"]})
        receivers.append(force)
    if answers.destination in ("centre", "both"):
        centre = Organisation.objects.filter(
            slug=answers.centre_slug, kind=OrganisationKind.THIRD_PARTY_CENTRE, is_active=True
        ).first()
        if centre is None:
            raise ValidationError({"centre_slug": ["Choose a reporting centre"]})
        receivers.append(centre)
    return receivers


def _consent_method(channel: str) -> str:
    return channel if channel in ConsentMethod.values else ConsentMethod.ONLINE


# ---- submitting --------------------------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    answers: ReportAnswers,
    evidence: list[EvidenceFile],
    channel: str,
    actor: User | None,
    client_address_hash: str = "",
) -> list[Report]:
    """Stores the report once per receiving organisation, under one public reference.

    ``actor`` is None for the public journey, or the centre caseworker recording on a victim's
    behalf (then the report goes to the caseworker's own centre).
    """
    if actor is not None and actor.is_authenticated:
        if not can_record_for_centre(actor):
            raise PermissionDenied("Only reporting centre caseworkers record reports on someone's behalf.")
        assert actor.organisation is not None
        answers = replace(answers, destination="centre", centre_slug=actor.organisation.slug)
    _check_answers(answers, channel)
    receivers = _receivers(answers)
    reference = new_report_reference()
    code = new_check_code()
    now = timezone.now()
    reports: list[Report] = []
    for organisation in receivers:
        report = Report.objects.create(
            organisation=organisation, reference=reference, channel=channel, status=ReportStatus.NEW,
            answers=answers_encrypt(answers, organisation_id=organisation.pk),
            strand_codes=list(answers.strands), is_anonymous=answers.anonymous, submitted_at=now,
            submitted_by=actor if actor is not None and actor.is_authenticated else None,
            client_address_hash=client_address_hash[:64], check_digest=check_digest(reference, code),
        )
        report.check_code = code
        for item in evidence:
            evidence_store(report, item)
        for scope, given in sorted(answers.consents.items()):
            consent_capture(
                actor=actor, organisation=organisation, scope=scope,
                decision=ConsentDecision.GIVEN if given else ConsentDecision.REFUSED,
                method=_consent_method(channel),
                words_shown=answers.consent_words.get(scope) or STANDARD_CONSENT_WORDS[ConsentScope(scope)],
                report_reference=report.consent_key, language=answers.language or "en",
            )
        audit_event_write(
            actor=actor, action=actions.REPORT_SUBMIT, target=report, target_label=reference,
            changes={"channel": channel, "organisation": organisation.pk, "strands": list(answers.strands),
                     "evidence": len(evidence), "answers": "set", "anonymous": answers.anonymous},
        )
        organisation_id = organisation.pk
        transaction.on_commit(lambda organisation_id=organisation_id: notify_organisation_later(organisation_id))  # type: ignore[misc]
        reports.append(report)
    if answers.contact_email and not answers.anonymous and actor is None and reports:
        first_id = reports[0].pk

        def acknowledge() -> None:
            from umbrella.intake.tasks import acknowledge_report

            acknowledge_report.enqueue(first_id)

        transaction.on_commit(acknowledge)
    return reports


# ---- triage ------------------------------------------------------------------------------------


def org_id_of(user: User) -> int:
    if user.organisation_id is None:
        raise PermissionDenied("You must belong to an organisation.")
    return user.organisation_id


def _require_triager(actor: User) -> None:
    if not can_triage(actor):
        raise PermissionDenied("Your role does not triage reports.")


def _lock(actor: User, report: Report) -> Report:
    """The report, locked, if it is still open and not someone else's."""
    _require_triager(actor)
    locked = Report.objects.select_for_update().filter(pk=report.pk, organisation_id=org_id_of(actor)).first()
    if locked is None:
        raise Report.DoesNotExist
    if locked.status not in OPEN_STATUSES:
        raise ClaimConflict({"report": [f"This report has already been {locked.get_status_display().lower()}"]})
    if locked.claimed_by_id is not None and locked.claimed_by_id != actor.pk:
        raise ClaimConflict({"report": ["Someone else has claimed this report"]})
    return locked


@transaction.atomic
def report_claim(*, actor: User, report: Report) -> Report:
    """Takes the report. A conditional UPDATE, so of two triagers at once exactly one wins."""
    _require_triager(actor)
    if not Report.objects.filter(pk=report.pk, organisation_id=org_id_of(actor)).exists():
        raise Report.DoesNotExist
    now = timezone.now()
    taken = Report.objects.filter(
        pk=report.pk, organisation_id=org_id_of(actor), claimed_by__isnull=True, status=ReportStatus.NEW
    ).update(claimed_by=actor, claimed_at=now, status=ReportStatus.IN_TRIAGE)
    report = Report.objects.get(pk=report.pk)
    if not taken:
        if report.claimed_by_id == actor.pk and report.status == ReportStatus.IN_TRIAGE:
            return report
        if report.status not in OPEN_STATUSES:
            raise ClaimConflict({"report": [f"This report has already been {report.get_status_display().lower()}"]})
        raise ClaimConflict({"report": ["Someone else claimed this report first"]})
    audit_event_write(actor=actor, action=actions.REPORT_CLAIM, target=report, target_label=report.reference)
    return report


@transaction.atomic
def report_release(*, actor: User, report: Report) -> Report:
    report = _lock(actor, report)
    report.claimed_by = None
    report.claimed_at = None
    report.status = ReportStatus.NEW
    report.save(update_fields=["claimed_by", "claimed_at", "status"])
    audit_event_write(actor=actor, action=actions.REPORT_RELEASE, target=report, target_label=report.reference)
    return report


def _decide(report: Report, actor: User, status: str) -> None:
    report.status = status
    report.decided_by = actor
    report.decided_at = timezone.now()
    if report.claimed_by_id is None:
        report.claimed_by = actor
        report.claimed_at = report.decided_at


def _code(scheme: str, value: str) -> Any:
    return current_code(scheme=scheme, code=value) if value else None


def _perceiver(answers: ReportAnswers) -> str:
    return {"victim": "victim", "witness": "witness"}.get(answers.reporter_role, "third_party")


def record_inputs(answers: ReportAnswers) -> dict[str, Any]:
    """record_create arguments (less actor, kind) built from the answers."""
    perceiver = _code("perceiver", _perceiver(answers))
    strands = []
    for code_value in answers.strands:
        strand = _code("strand", code_value)
        if strand is not None and perceiver is not None:
            strands.append(StrandInput(strand=strand, perceiver=perceiver, note=""))
    narrative = answers.narrative.strip()
    if answers.words_used.strip():
        narrative += f"\n\nWords used: {answers.words_used.strip()}"
    if answers.offender_description.strip():
        narrative += f"\n\nWho did it: {answers.offender_description.strip()}"
    harm = "; ".join(part for part in (answers.injury, answers.damage, answers.loss) if part.strip())
    if harm:
        narrative += f"\n\nInjury, damage or loss: {harm}"
    if answers.strand_other_text.strip():
        narrative += f"\n\nOther reason given: {answers.strand_other_text.strip()}"
    people: list[PersonInput] = []
    if not answers.anonymous and (answers.contact_name or answers.contact_email or answers.contact_phone):
        given, _, family = answers.contact_name.strip().partition(" ")
        role = PersonRole.VICTIM if answers.reporter_role == "victim" else (
            PersonRole.WITNESS if answers.reporter_role == "witness" else PersonRole.REPORTER
        )
        people.append(PersonInput(
            role=role, given_name=given, family_name=family, email=answers.contact_email.strip(),
            phone=answers.contact_phone.strip(), address=answers.contact_address.strip(),
            postcode=answers.postcode.strip() if role == PersonRole.VICTIM else "",
        ))
    occurred = (
        timezone.make_aware(datetime.combine(answers.occurred_on, time(12, 0)))
        if answers.occurred_on is not None else None
    )
    return {
        "narrative": narrative,
        "occurred_from": occurred,
        "location": LocationInput(
            description=answers.location_description[:300], postcode=answers.postcode.strip()[:10],
            borough=_code("borough", answers.borough_code), location_type=_code("location_type", answers.location_type_code),
            online_platform=_code("online_platform", answers.online_platform_code),
        ),
        "flags": FlagsInput(is_online=answers.is_online or bool(answers.online_platform_code)),
        "strands": strands,
        "people": people,
    }


def _after_accept(actor: User, report: Report, record: Record) -> None:
    consents_link_to_record(actor=actor, report_reference=report.consent_key, record=record)
    if report.source_record_id is not None:
        hand_off_received(actor=actor, report=report, record=record)
    if not record.organisation.is_police:
        consent_follow(actor=actor, record=record)


@transaction.atomic
def report_accept(
    *, actor: User, report: Report, kind: str, borough_code: str = "", strand_codes: Sequence[str] = ()
) -> Record:
    """Creates a record of the actor's organisation from the report. ``borough_code`` and
    ``strand_codes`` are what the triager adds when the report lacks them; the record must meet
    the same rules as one made on any other route (``cases.rules``)."""
    report = _lock(actor, report)
    if kind not in (RecordKind.HATE_CRIME, RecordKind.NCHI):
        raise ValidationError({"kind": ["Choose hate crime or non-crime hate incident"]})
    answers = answers_of(report)
    if report.is_anonymised:
        answers = anonymise(answers)
    if borough_code:
        answers = replace(answers, borough_code=borough_code)
    added = [code for code in strand_codes if code not in answers.strands]
    if added:
        answers = replace(answers, strands=(*answers.strands, *added))
    inputs = record_inputs(answers)
    if inputs["occurred_from"] is not None and inputs["occurred_from"] > report.submitted_at:
        # "Today" told in the morning: the day's noon is later than the report itself.
        inputs["occurred_from"] = report.submitted_at
    record = record_create(
        actor=actor, kind=kind, reported_at=report.submitted_at,
        source=SourceInput(system="umbrella-intake", reference=report.consent_key), **inputs,
    )
    _decide(report, actor, ReportStatus.ACCEPTED)
    report.record = record
    report.save()
    audit_event_write(
        actor=actor, action=actions.REPORT_ACCEPT, target=report, target_label=report.reference,
        record_id=record.pk, changes={"record": record.reference, "kind": kind, "channel": report.channel},
    )
    _after_accept(actor, report, record)
    return record


@transaction.atomic
def report_link(*, actor: User, report: Report, record_reference: str) -> Record:
    """Accepts the report as part of an existing record of the actor's organisation."""
    report = _lock(actor, report)
    record = Record.objects.visible_to(actor).filter(
        organisation_id=org_id_of(actor), reference=record_reference.strip().upper()
    ).first()
    if record is None:
        raise ValidationError({"record_reference": ["Enter the reference of one of your organisation's records"]})
    _decide(report, actor, ReportStatus.ACCEPTED)
    report.record = record
    report.save()
    audit_event_write(
        actor=actor, action=actions.REPORT_LINK, target=report, target_label=report.reference,
        record_id=record.pk, changes={"record": record.reference, "channel": report.channel},
    )
    _after_accept(actor, report, record)
    return record


@transaction.atomic
def report_merge(*, actor: User, report: Report, into_reference: str) -> Report:
    """Marks the report a duplicate of another report of the same organisation."""
    report = _lock(actor, report)
    into = Report.objects.filter(organisation_id=org_id_of(actor), reference=into_reference.strip().upper()).first()
    if into is None or into.pk == report.pk:
        raise ValidationError({"into_reference": ["Enter the reference of another report in your queue"]})
    if into.status == ReportStatus.MERGED:
        raise ValidationError({"into_reference": ["That report was itself merged; merge into the one it went to"]})
    _decide(report, actor, ReportStatus.MERGED)
    report.merged_into = into
    report.save()
    audit_event_write(
        actor=actor, action=actions.REPORT_MERGE, target=report, target_label=report.reference,
        record_id=into.record_id, changes={"into": into.reference},
    )
    return report


@transaction.atomic
def report_close(*, actor: User, report: Report, reason: str) -> Report:
    """Closes the report as not a hate report."""
    report = _lock(actor, report)
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why this is not a hate report"]})
    _decide(report, actor, ReportStatus.CLOSED)
    report.close_reason = reason.strip()[:500]
    report.save()
    audit_event_write(
        actor=actor, action=actions.REPORT_CLOSE, target=report, target_label=report.reference,
        changes={"reason": "set"},
    )
    return report


# Reports that never became a record: closed as not a hate report, or merged into another.
ENDED_WITHOUT_RECORD: Final = (ReportStatus.CLOSED, ReportStatus.MERGED)


@transaction.atomic
def reports_closed_dispose(*, actor: User | None, organisation_kind: str, decided_before: datetime, rule: str) -> int:
    """Removes what reports held by organisations of this kind, closed or merged without becoming a
    record before ``decided_before``, hold about anyone: their answers (what was reported, by whom,
    how to reach them), the reason they were closed, their notes and evidence files. The reference,
    channel, strands, dates and status stay, so the queue's history still counts them, and the
    reporter checking its status reads that it was closed. A report that became a record follows
    the record's own review. Returns how many; the retention review runs it daily (``rule`` names
    the schedule line, in the audit event with the count: no event names anyone)."""
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    from umbrella.intake.evidence import evidence_dispose

    ended = (Report.objects
             .annotate(ended_at=Coalesce("decided_at", "submitted_at"))
             .filter(organisation__kind=organisation_kind, status__in=ENDED_WITHOUT_RECORD, record=None,
                     disposed_at=None, ended_at__lt=decided_before))
    ids = list(ended.values_list("pk", flat=True))
    if not ids:
        return 0
    files = evidence_dispose(Evidence.objects.filter(report_id__in=ids))
    notes = CaseNote.objects.filter(Q(report_id__in=ids), record=None).update(text="")
    Report.objects.filter(pk__in=ids).update(answers="", close_reason="", client_address_hash="",
                                             disposed_at=timezone.now())
    audit_event_write(actor=actor, action=actions.REPORTS_CLOSED_DISPOSE, target=None, target_label="closed reports",
                      changes={"reports": len(ids), "evidence_files": files, "notes": notes,
                               "organisation_kind": organisation_kind, "rule": rule[:200]})
    return len(ids)


@transaction.atomic
def case_note_add(*, actor: User, text: str, report: Report | None = None, record: Record | None = None) -> CaseNote:
    _require_triager(actor)
    if not text.strip():
        raise ValidationError({"text": ["Enter the note"]})
    organisation_id = actor.organisation_id
    assert organisation_id is not None
    if report is not None and report.organisation_id != organisation_id:
        raise Report.DoesNotExist
    if record is not None and record.organisation_id != organisation_id:
        raise Record.DoesNotExist
    note = CaseNote.objects.create(
        organisation_id=organisation_id, report=report, record=record, author=actor,
        text=encrypt(text.strip(), organisation_id=organisation_id, column=NOTE_COLUMN) or "",
    )
    audit_event_write(
        actor=actor, action=actions.NOTE_ADD, target=note,
        target_label=record.reference if record is not None else (report.reference if report else ""),
        record_id=record.pk if record is not None else None, changes={"text": "set"},
    )
    return note


# ---- the reporter changing their mind ----------------------------------------------------------


WITHDRAWN_ONLINE: Final = "Withdrawn online by the person who reported, with the report's reference and check code"


@transaction.atomic
def consent_withdraw_online(*, reference: str, code: str, copy: int, scope: str) -> bool:
    """The reporter withdraws one consent they gave one organisation (``copy``, as
    ``selectors.report_consents`` numbers them), with the reference and check code they hold.

    The withdrawal is recorded beside what they agreed before (nothing is overwritten) and what
    followed from it follows it now, as when a caseworker records it: a share with the police made
    on that consent ends. False, and nothing written, when the four do not name a consent in force,
    so the page can answer exactly as for a wrong code.
    """
    from umbrella.intake.copies import report_consents, report_copies

    copies = report_copies(reference=reference, code=code)
    offered = report_consents(copies=copies)
    if not 0 <= copy < len(offered) or scope not in offered[copy].scopes:
        return False
    report = Report.objects.select_for_update().select_related("organisation", "record").get(pk=copies[copy].pk)
    consent_capture(
        actor=None, organisation=report.organisation, scope=scope, decision=ConsentDecision.WITHDRAWN,
        method=ConsentMethod.ONLINE, words_shown=f"Withdrawal of: {STANDARD_CONSENT_WORDS[ConsentScope(scope)]}",
        record=report.record, report_reference=report.consent_key, note=WITHDRAWN_ONLINE,
    )
    if report.record is not None:
        consent_follow(actor=None, record=report.record)
    return True
