"""Consent and what follows from it: the one public interface intake, care and cases call.

Capturing, deciding and withdrawing consent each add a row; nothing is overwritten. A caseworker's
decision (``consent_record_decision``, ``consent_withdraw``) is followed at once by what shares
depend on it: followers registered with ``register_consent_follower`` (intake's centre-to-police
hand-off) make the shares match the consent now in force. Grants themselves are
``sharing.services``'; which consent is in force is ``consent.selectors``'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Record
from umbrella.consent import actions
from umbrella.consent.models import (
    ConsentDecision,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ConsentSource,
)
from umbrella.sharing.services import ShareOutcome, can_share

if TYPE_CHECKING:
    from umbrella.accounts.models import User
    from umbrella.agencies.models import Organisation

CONSENT_CAPTURE = actions.CONSENT_CAPTURE  # kept for callers that named it here


def _check(scope: str, method: str, words_shown: str) -> None:
    errors: dict[str, str] = {}
    if scope not in ConsentScope.values:
        errors["scope"] = "Choose what the victim is consenting to"
    if method not in ConsentMethod.values:
        errors["method"] = "Choose how consent was given"
    if not words_shown.strip():
        errors["words_shown"] = "Record the words the victim was shown or read"
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


@transaction.atomic
def consent_capture(
    *,
    actor: User | None,
    organisation: Organisation,
    scope: str,
    decision: str,
    method: str,
    words_shown: str,
    record: Record | None = None,
    report_reference: str = "",
    language: str = "en",
    note: str = "",
) -> ConsentRecord:
    """Records one decision (given, refused or withdrawn) for one scope.

    ``actor`` is None for the public journey, where the victim records it themselves.
    """
    _check(scope, method, words_shown)
    if decision not in ConsentDecision.values:
        raise ValidationError({"decision": ["Choose whether consent was given or refused"]})
    if record is None and not report_reference:
        raise ValidationError({"record": ["Consent must belong to a record or a report"]})
    consent = ConsentRecord.objects.create(
        organisation=organisation, record=record, report_reference=report_reference, scope=scope,
        decision=decision, method=method, words_shown=words_shown.strip(), language=language,
        note=note.strip(), captured_by=actor if actor is not None and actor.is_authenticated else None,
    )
    audit_event_write(
        actor=actor,
        action=actions.CONSENT_WITHDRAW if decision == ConsentDecision.WITHDRAWN else actions.CONSENT_CAPTURE,
        target=consent,
        target_label=record.reference if record is not None else report_reference,
        record_id=record.pk if record is not None else None,
        changes={"scope": scope, "decision": decision, "method": method, "reference": consent.reference},
    )
    return consent


@transaction.atomic
def consents_link_to_record(*, actor: User, report_reference: str, record: Record) -> int:
    """Attaches a report's consents to the record triage made of it."""
    linked = ConsentRecord.objects.filter(report_reference=report_reference, record__isnull=True).update(record=record)
    if linked:
        audit_event_write(
            actor=actor, action=actions.CONSENT_LINK, target=record, target_label=record.reference, record_id=record.pk,
            changes={"report": report_reference, "consents": linked},
        )
    return linked


@transaction.atomic
def consent_carry(*, actor: User, record: Record, from_record: Record) -> ConsentSource:
    """The consents the victim gave on ``from_record`` apply to ``record`` within their scope
    (while ``from_record`` stays shared with ``record``'s organisation)."""
    source, created = ConsentSource.objects.get_or_create(
        record=record, from_record=from_record, defaults={"created_by": actor}
    )
    if created:
        audit_event_write(
            actor=actor, action=actions.CONSENT_CARRY, target=record, target_label=record.reference, record_id=record.pk,
            changes={"from_record": from_record.reference, "organisation": from_record.organisation_id},
        )
    return source


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


def _require_consent_manager(actor: User, record: Record) -> None:
    if not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise Record.DoesNotExist
    if not can_share(actor, record):
        raise PermissionDenied("Only the owning organisation's caseworkers record consent for this record.")


class ConsentFollower(Protocol):
    def __call__(self, *, actor: User | None, record: Record, keep_basis: str = "") -> ShareOutcome: ...


_FOLLOWERS: dict[str, ConsentFollower] = {}


def register_consent_follower(name: str, follow: ConsentFollower) -> None:
    """A later app makes something follow the victim's consent (intake: the police hand-off).

    ``follow`` runs after every decision, inside its transaction, with the legal basis chosen for
    keeping shares ("" to revoke them), and says what it granted, revoked and kept.
    """
    _FOLLOWERS[name] = follow


@transaction.atomic
def consent_follow(*, actor: User | None, record: Record, keep_basis: str = "") -> ShareOutcome:
    """Makes every follower match the consent now in force; their outcomes combined. ``actor`` is
    None when the victim changed their consent themselves, online."""
    outcome = ShareOutcome([], [], [])
    for follow in _FOLLOWERS.values():
        found = follow(actor=actor, record=record, keep_basis=keep_basis)
        outcome.granted.extend(found.granted)
        outcome.revoked.extend(found.revoked)
        outcome.kept.extend(found.kept)
    return outcome


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
    return consent, consent_follow(actor=actor, record=record)


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
    outcome = consent_follow(actor=actor, record=record, keep_basis=KEEP_BASES.get(keep_basis, ""))
    audit_event_write(
        actor=actor, action=actions.CONSENT_WITHDRAWN, target=record, target_label=record.reference,
        record_id=record.pk,
        changes={"scope": scope, "consent": consent.reference, "revoked": [s.pk for s in outcome.revoked],
                 "kept": [s.pk for s in outcome.kept], "legal_basis": KEEP_BASES.get(keep_basis, "")},
    )
    return consent, outcome
