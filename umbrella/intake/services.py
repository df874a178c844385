"""Every write of the intake app: submitting reports, triage decisions, consent-controlled sharing.

Keyword-only, typed, atomic, each writing its audit event. Audit changes never hold what the
reporter wrote: only codes, references and "set".
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.inputs import FlagsInput, LocationInput, PersonInput, SourceInput, StrandInput
from umbrella.cases.models import (
    PersonRole,
    Record,
    RecordKind,
    RecordLink,
    RecordShare,
    ShareScope,
)
from umbrella.cases.services import record_create, record_link
from umbrella.consent.models import ConsentDecision, ConsentMethod, ConsentRecord, ConsentScope
from umbrella.consent.selectors import consent_in_force
from umbrella.consent.services import consent_capture, consent_carry, consents_link_to_record
from umbrella.crypto.fields import decrypt, decrypt_bytes, encrypt, encrypt_bytes
from umbrella.intake import actions
from umbrella.intake.answers import DESTINATIONS, REPORTER_ROLES, EvidenceFile, ReportAnswers
from umbrella.intake.models import (
    ANSWERS_COLUMN,
    EVIDENCE_NAME_COLUMN,
    NOTE_COLUMN,
    OPEN_STATUSES,
    CaseNote,
    Evidence,
    Report,
    ReportChannel,
    ReportStatus,
)
from umbrella.intake.policy import TRIAGERS, can_record_for_centre, can_triage
from umbrella.reference.selectors import current_code
from umbrella.sharing.services import share_grant, share_revoke

if TYPE_CHECKING:
    from umbrella.accounts.models import User

SUBMIT_CHANNELS: Final = ("online", "in_person", "phone", "helpline")
REFERENCE_ALPHABET: Final = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
MAX_NARRATIVE: Final = 20_000

# Legal bases on which a share may be kept after the victim withdraws consent.
KEEP_BASES: Final = {
    "criminal_investigation": "Already part of a criminal investigation",
    "safeguarding": "Needed to protect someone from serious harm (safeguarding)",
}

# Standard wording recorded when the journey does not send its own.
STANDARD_CONSENT_WORDS: Final = {
    ConsentScope.POLICE_IDENTIFIED: "Can we share your report with the police, including your name and contact details?",
    ConsentScope.POLICE_ANONYMISED: "Can we share your report with the police without your name or contact details?",
    ConsentScope.VICTIM_SUPPORT_REFERRAL: "Can we pass your details to victim support so they can offer you help?",
    ConsentScope.PARTNER_REFERRAL: "Can we refer you to your council or housing provider?",
    ConsentScope.CENTRE_CONTACT: "Can the reporting centre contact you about your report?",
    ConsentScope.STATISTICS_ONLY: "Can we use what you reported, without your details, for statistics only?",
}


class ClaimConflict(ValidationError):
    """Someone else claimed or decided the report first."""


# ---- helpers ---------------------------------------------------------------------------------


def answers_encrypt(answers: ReportAnswers, *, organisation_id: int) -> str:
    return encrypt(json.dumps(answers.to_json()), organisation_id=organisation_id, column=ANSWERS_COLUMN) or ""


@decrypts
def answers_of(report: Report) -> ReportAnswers:
    return ReportAnswers.from_json(json.loads(decrypt(report.answers, column=ANSWERS_COLUMN) or "{}"))


def anonymise(answers: ReportAnswers) -> ReportAnswers:
    """The answers without anything that identifies or reaches the reporter."""
    return replace(
        answers, anonymous=True, contact_name="", contact_email="", contact_phone="", contact_address="",
        contact_safe_times="", contact_preferred_method="", voicemail_safe=False, letter_safe=False,
        reporter_organisation="", postcode="", interpreter_language="", accessibility_needs="", other_needs="",
    )


def police_force_for(borough_code: str) -> Organisation | None:
    """The force covering the borough (a force team covers it), else the only or first force."""
    forces = Organisation.objects.filter(kind=OrganisationKind.POLICE_FORCE, is_active=True)
    if borough_code:
        team = Team.objects.filter(
            borough_code=borough_code, is_active=True, organisation__in=forces
        ).select_related("organisation").first()
        if team is not None:
            return team.organisation
    slug = getattr(settings, "UMBRELLA_DEFAULT_FORCE_SLUG", "")
    if slug:
        chosen = forces.filter(slug=slug).first()
        if chosen is not None:
            return chosen
    return forces.order_by("pk").first()


def _new_reference() -> str:
    while True:
        reference = "UMB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if not Report.objects.filter(reference=reference).exists():
            return reference


def _site_url(path: str) -> str:
    return getattr(settings, "UMBRELLA_SITE_URL", "http://localhost:8000").rstrip("/") + path


def _triager_addresses(organisation_id: int) -> list[str]:
    from umbrella.accounts.models import User

    return sorted(
        User.objects.filter(organisation_id=organisation_id, is_active=True, role__in=TRIAGERS)
        .exclude(email="").values_list("email", flat=True)
    )


def notify_organisation_send(organisation_id: int) -> None:
    """'A new report is waiting' to the organisation's triagers. No personal data, no reference.
    Runs in the task queue (``intake.tasks``); raises when the mail server fails, so it is retried."""
    recipients = _triager_addresses(organisation_id)
    if not recipients:
        return
    send_mail(
        subject="A new report is waiting for triage",
        message=(
            "A new report is waiting in your organisation's triage queue in Umbrella.\n\n"
            f"Sign in to see it: {_site_url(reverse('intake:triage'))}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


def acknowledge_send(report_id: int) -> None:
    """The reporter's acknowledgement with their reference, to the address in their (encrypted)
    answers. Runs in the task queue, which is given the report's id, never the address."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None:
        return
    answers = answers_of(report)
    if not answers.contact_email or answers.anonymous:
        return
    reference = report.reference
    send_mail(
        subject=f"We have received your report {reference}",
        message=(
            f"Thank you. We have received your report. Your reference number is {reference}.\n\n"
            "Keep this number: quote it if you contact us about your report.\n"
            "If you are in danger now, call 999.\n"
        ),
        from_email=None,
        recipient_list=[answers.contact_email],
    )


def _notify_organisation(organisation_id: int) -> None:
    from umbrella.intake.tasks import notify_organisation

    notify_organisation.enqueue(organisation_id)


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


def _evidence_aad(path: str) -> bytes:
    return f"intake.evidence:{path}".encode()


def evidence_root() -> Path:
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


def _store_evidence(report: Report, item: EvidenceFile) -> Evidence:
    relative = f"{report.organisation_id}/{uuid.uuid4().hex}.bin"
    target = evidence_root() / relative
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key_id, sealed = encrypt_bytes(item.data, organisation_id=report.organisation_id,
                                   associated_data=_evidence_aad(relative))
    with open(target, "xb") as handle:
        handle.write(sealed)
    os.chmod(target, 0o600)
    return Evidence.objects.create(
        report=report, path=relative, key_id=key_id,
        name=encrypt(item.name[:200] or "evidence", organisation_id=report.organisation_id,
                     column=EVIDENCE_NAME_COLUMN) or "",
        content_type=item.content_type[:100], size=len(item.data), sha256=hashlib.sha256(item.data).hexdigest(),
    )


@decrypts
def evidence_read(evidence: Evidence) -> tuple[str, bytes]:
    """(file name, plaintext bytes). Callers scope the report first."""
    blob = (evidence_root() / evidence.path).read_bytes()
    data = decrypt_bytes(blob, key_id=evidence.key_id, associated_data=_evidence_aad(evidence.path))
    return decrypt(evidence.name, column=EVIDENCE_NAME_COLUMN), data


def evidence_pending_rotation(organisation_id: int, key_id: str) -> int:
    return Evidence.objects.filter(report__organisation_id=organisation_id).exclude(key_id=key_id).count()


@decrypts
def evidence_reencrypt(organisation_id: int, key_id: str) -> int:
    """Moves the organisation's evidence files to its active data key, one file at a time.

    Each file is sealed again to a new path (the path is part of its associated data), the row
    is switched to it in one transaction, and only then is the old file removed: a run stopped
    at any point leaves every row pointing at a file it can read. Returns the files moved.
    """
    from umbrella.audit.actions import KEY_ROTATE_BATCH

    moved = 0
    pending = Evidence.objects.filter(report__organisation_id=organisation_id).exclude(key_id=key_id).order_by("pk")
    for evidence in pending.iterator():
        old_path, old_key = evidence.path, evidence.key_id
        data = decrypt_bytes((evidence_root() / old_path).read_bytes(), key_id=old_key,
                             associated_data=_evidence_aad(old_path))
        new_path = f"{organisation_id}/{uuid.uuid4().hex}.bin"
        new_key, sealed = encrypt_bytes(data, organisation_id=organisation_id, associated_data=_evidence_aad(new_path))
        if new_key != key_id:
            raise RuntimeError(f"Organisation {organisation_id}'s active key changed during rotation; run again.")
        target = evidence_root() / new_path
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(target, "xb") as handle:
            handle.write(sealed)
        os.chmod(target, 0o600)
        with transaction.atomic():
            switched = Evidence.objects.filter(pk=evidence.pk, path=old_path, key_id=old_key).update(
                path=new_path, key_id=new_key
            )
            if switched:
                audit_event_write(
                    actor=None, action=KEY_ROTATE_BATCH, target_type="agencies.organisation",
                    target_id=str(organisation_id),
                    changes={"organisation": organisation_id, "model": "intake.evidence (file)", "rows": 1,
                             "first_id": evidence.pk, "last_id": evidence.pk, "to_key": new_key,
                             "from_keys": [old_key]},
                )
        if not switched:
            target.unlink(missing_ok=True)  # changed meanwhile: leave it for the next run
            continue
        # Removed once the switch is committed (at once when no outer transaction holds it).
        transaction.on_commit(partial((evidence_root() / old_path).unlink, missing_ok=True))
        moved += 1
    return moved


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
    reference = _new_reference()
    now = timezone.now()
    reports: list[Report] = []
    for organisation in receivers:
        report = Report.objects.create(
            organisation=organisation, reference=reference, channel=channel, status=ReportStatus.NEW,
            answers=answers_encrypt(answers, organisation_id=organisation.pk),
            strand_codes=list(answers.strands), is_anonymous=answers.anonymous, submitted_at=now,
            submitted_by=actor if actor is not None and actor.is_authenticated else None,
            client_address_hash=client_address_hash[:64],
        )
        for item in evidence:
            _store_evidence(report, item)
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
        transaction.on_commit(lambda organisation_id=organisation_id: _notify_organisation(organisation_id))  # type: ignore[misc]
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
        _hand_off_received(actor, report, record)
    if not record.organisation.is_police:
        police_share_sync(actor=actor, record=record)


def _hand_off_received(actor: User, report: Report, record: Record) -> None:
    """A centre's report shared on consent became (or joined) a police record: one journey.

    The two records are linked (each side sees the link where it can see the other record), and
    the consent the victim gave the centre travels to the police record within its scope. The
    centre is told what became of its report.
    """
    source = report.source_record
    if source is None or not Record.objects.visible_to(actor).filter(pk=source.pk).exists():
        return  # the share was revoked meanwhile: nothing travels
    linked = RecordLink.objects.filter(
        Q(from_record=record, to_record=source) | Q(from_record=source, to_record=record)
    ).exists()
    if not linked:
        record_link(
            actor=actor, record=record, other=source,
            reason=f"Recorded from {source.organisation.name}'s report {report.reference}, shared on the victim's consent",
        )
    consent_carry(actor=actor, record=record, from_record=source)
    report_id = report.pk
    transaction.on_commit(lambda: _tell_centre(report_id))


def _tell_centre(report_id: int) -> None:
    from umbrella.intake.tasks import tell_centre_recorded

    tell_centre_recorded.enqueue(report_id)


def tell_centre_recorded_send(report_id: int) -> None:
    """'The police have recorded a report you shared' to the centre's caseworkers. No reference or
    personal data in the mail: a link to their own record, where they see the police reference."""
    report = Report.objects.select_related("source_record", "organisation").filter(pk=report_id).first()
    if report is None or report.source_record is None or report.record_id is None:
        return
    recipients = _triager_addresses(report.source_record.organisation_id)
    if not recipients:
        return
    send_mail(
        subject="The police have recorded a report you shared",
        message=(
            f"{report.organisation.name} has recorded a report your organisation shared with them "
            "on the victim's consent.\n\n"
            f"Sign in to see their reference: {_site_url(reverse('cases:record-detail', args=[report.source_record_id]))}\n"
        ),
        from_email=None,
        recipient_list=recipients,
    )


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


# ---- consent-controlled sharing ----------------------------------------------------------------

CONSENT_SCOPES_FOR_SHARE: Final = {
    ConsentScope.POLICE_IDENTIFIED: ShareScope.FULL,
    ConsentScope.POLICE_ANONYMISED: ShareScope.ANONYMISED,
}


def _police_consent(record: Record) -> ConsentRecord | None:
    return consent_in_force(record=record, scope=ConsentScope.POLICE_IDENTIFIED) or consent_in_force(
        record=record, scope=ConsentScope.POLICE_ANONYMISED
    )


@decrypts
def _answers_for_record(record: Record) -> ReportAnswers:
    """What the police receive: the victim's own answers, with what the centre's triage added to
    the record (borough, strands), so the force records it without asking again."""
    report = Report.objects.filter(record=record, organisation_id=record.organisation_id).order_by("pk").first()
    if report is not None:
        answers = answers_of(report)
        strands = tuple(dict.fromkeys((*answers.strands, *record.strands.values_list("strand__code", flat=True))))
        borough = answers.borough_code or (record.borough.code if record.borough_id and record.borough else "")
        return replace(answers, strands=strands, borough_code=borough)
    from umbrella.cases.services import NARRATIVE_COLUMN

    return ReportAnswers(
        narrative=decrypt(record.narrative, column=NARRATIVE_COLUMN) or "(no narrative)",
        strands=tuple(record.strands.values_list("strand__code", flat=True)),
        borough_code=record.borough.code if record.borough_id and record.borough else "",
        location_description=record.location_description, anonymous=True,
    )


@dataclass(frozen=True)
class ShareOutcome:
    granted: list[RecordShare]
    revoked: list[RecordShare]
    kept: list[RecordShare]


@transaction.atomic
def police_share_sync(*, actor: User, record: Record, keep_basis: str = "") -> ShareOutcome:
    """Makes the record's police shares match the victim's consent in force now.

    Consent given: a share (full or anonymised) with the force and a report in its triage queue.
    Consent no longer in force: shares made on consent are revoked, unless ``keep_basis`` (one of
    KEEP_BASES) says the law lets the police keep it, which is recorded instead.
    """
    if record.organisation.is_police:
        return ShareOutcome([], [], [])
    force = police_force_for(record.borough.code if record.borough_id and record.borough else "")
    consent = _police_consent(record)
    wanted = CONSENT_SCOPES_FOR_SHARE[ConsentScope(consent.scope)] if consent is not None else None
    outcome = ShareOutcome([], [], [])
    consent_shares = list(
        RecordShare.objects.active().filter(record=record, organisation__kind=OrganisationKind.POLICE_FORCE)
        .exclude(consent_reference="").select_related("organisation")
    )
    for share in consent_shares:
        if wanted is not None and share.scope == wanted and force is not None and share.organisation_id == force.pk:
            continue
        if wanted is None and keep_basis:
            outcome.kept.append(share)
            audit_event_write(
                actor=actor, action=actions.SHARE_KEPT, target=share, target_label=record.reference,
                record_id=record.pk, changes={"share": share.pk, "organisation": share.organisation_id,
                                              "legal_basis": keep_basis},
            )
            continue
        outcome.revoked.append(share_revoke(actor=actor, share=share, reason="The victim withdrew consent to share"))
    if wanted is None:
        if not outcome.kept:
            # Referrals the force has not yet worked on go with the consent.
            for pending in Report.objects.select_for_update().filter(
                source_record=record, status__in=OPEN_STATUSES
            ):
                pending.status = ReportStatus.CLOSED
                pending.close_reason = "The victim withdrew consent to share"
                pending.decided_at = timezone.now()
                pending.save(update_fields=["status", "close_reason", "decided_at"])
        return outcome
    assert consent is not None
    if force is None or any(s.organisation_id == force.pk and s.scope == wanted for s in consent_shares):
        return outcome
    share = share_grant(
        actor=actor, record=record, organisation=force, scope=wanted,
        reason="The victim consented to share this report with the police", consent_reference=consent.reference,
    )
    outcome.granted.append(share)
    answers = _answers_for_record(record)
    anonymised = wanted == ShareScope.ANONYMISED
    if anonymised:
        answers = anonymise(answers)
    report = Report.objects.create(
        organisation=force, reference=_new_reference(), channel=ReportChannel.CENTRE_REFERRAL,
        answers=answers_encrypt(answers, organisation_id=force.pk), strand_codes=list(answers.strands),
        is_anonymous=answers.anonymous, is_anonymised=anonymised, submitted_at=timezone.now(),
        submitted_by=actor, source_record=record, consent_reference=consent.reference,
    )
    audit_event_write(
        actor=actor, action=actions.SHARE_POLICE, target=share, target_label=record.reference, record_id=record.pk,
        changes={"organisation": force.pk, "scope": wanted, "consent_reference": consent.reference,
                 "report": report.reference},
    )
    force_id = force.pk
    transaction.on_commit(lambda: _notify_organisation(force_id))
    return outcome


def _require_consent_manager(actor: User, record: Record) -> None:
    from umbrella.sharing.services import can_share

    if not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise Record.DoesNotExist
    if not can_share(actor, record):
        raise PermissionDenied("Only the owning organisation's caseworkers record consent for this record.")


@transaction.atomic
def consent_record_decision(
    *, actor: User, record: Record, scope: str, decision: str, method: str, words_shown: str, note: str = ""
) -> tuple[ConsentRecord, ShareOutcome]:
    """A caseworker records the victim's decision; police sharing follows it at once."""
    _require_consent_manager(actor, record)
    if decision not in (ConsentDecision.GIVEN, ConsentDecision.REFUSED):
        raise ValidationError({"decision": ["Choose whether consent was given or refused"]})
    consent = consent_capture(
        actor=actor, organisation=record.organisation, scope=scope, decision=decision, method=method,
        words_shown=words_shown, record=record, note=note,
    )
    return consent, police_share_sync(actor=actor, record=record)


@transaction.atomic
def consent_withdraw(
    *, actor: User, record: Record, scope: str, method: str, reason: str, keep_basis: str = ""
) -> tuple[ConsentRecord, ShareOutcome]:
    """Withdraws one consent: stops future sharing, revokes shares unless the law allows keeping them."""
    _require_consent_manager(actor, record)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "Enter why the victim withdrew consent, in their words if possible"
    if keep_basis and keep_basis not in KEEP_BASES:
        errors["keep_basis"] = "Choose a legal basis from the list"
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})
    consent = consent_capture(
        actor=actor, organisation=record.organisation, scope=scope, decision=ConsentDecision.WITHDRAWN,
        method=method, words_shown=f"Withdrawal of: {STANDARD_CONSENT_WORDS.get(ConsentScope(scope), scope)}"
        if scope in ConsentScope.values else "Withdrawal", record=record, note=reason,
    )
    outcome = police_share_sync(actor=actor, record=record, keep_basis=KEEP_BASES.get(keep_basis, ""))
    audit_event_write(
        actor=actor, action=actions.CONSENT_WITHDRAWN, target=record, target_label=record.reference,
        record_id=record.pk,
        changes={"scope": scope, "consent": consent.reference, "revoked": [s.pk for s in outcome.revoked],
                 "kept": [s.pk for s in outcome.kept], "legal_basis": KEEP_BASES.get(keep_basis, "")},
    )
    return consent, outcome
