"""The centre-to-police hand-off: what a reporting centre's report becomes when the victim consents.

The victim's consent in force decides (``consent.services`` runs ``police_share_sync`` after every
consent decision, as its follower): consent given, the force gets a share of the centre's record
and a report in its triage queue; consent withdrawn, shares made on it are revoked unless the law
lets the police keep them. When the force records that report, the two records are linked and the
consent travels with it (``hand_off_received``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Final

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from umbrella.agencies.models import Organisation, OrganisationKind, Team
from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Record, RecordLink, RecordShare, ShareScope
from umbrella.cases.services import record_link
from umbrella.consent.models import ConsentRecord, ConsentScope
from umbrella.consent.selectors import consent_in_force
from umbrella.consent.services import consent_carry
from umbrella.crypto.fields import decrypt
from umbrella.intake import actions
from umbrella.intake.answers import ReportAnswers, anonymise, answers_encrypt, answers_of
from umbrella.intake.models import (
    OPEN_STATUSES,
    Report,
    ReportChannel,
    ReportStatus,
    new_report_reference,
)
from umbrella.intake.tasks import notify_organisation_later, tell_centre_later
from umbrella.sharing.services import ShareOutcome, share_grant, share_revoke

if TYPE_CHECKING:
    from umbrella.accounts.models import User


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
    from umbrella.cases.models import NARRATIVE_COLUMN

    return ReportAnswers(
        narrative=decrypt(record.narrative, column=NARRATIVE_COLUMN) or "(no narrative)",
        strands=tuple(record.strands.values_list("strand__code", flat=True)),
        borough_code=record.borough.code if record.borough_id and record.borough else "",
        location_description=record.location_description, anonymous=True,
    )


@transaction.atomic
def police_share_sync(*, actor: User | None, record: Record, keep_basis: str = "") -> ShareOutcome:
    """Makes the record's police shares match the victim's consent in force now.

    Consent given: a share (full or anonymised) with the force and a report in its triage queue.
    Consent no longer in force: shares made on consent are revoked, unless ``keep_basis`` (one of
    ``consent.services.KEEP_BASES``) says the law lets the police keep it, which is recorded instead.
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
        organisation=force, reference=new_report_reference(), channel=ReportChannel.CENTRE_REFERRAL,
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
    transaction.on_commit(lambda: notify_organisation_later(force_id))
    return outcome


def hand_off_received(*, actor: User, report: Report, record: Record) -> None:
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
    transaction.on_commit(lambda: tell_centre_later(report_id))
