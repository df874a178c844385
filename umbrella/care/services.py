"""Writes of the care app: referrals, Victims' Code eligibility, key events, contacts, alerts.

Every write is atomic and audited; free text about people is encrypted and never put in the
audit event. Consent for a referral is checked here, on the server, whatever the caller (page,
API, a risk plan action): a referral needs the victim's consent in force for the destination's
kind, or an override by a supervisor or investigator with a recorded reason, which alerts the
organisation's supervisors.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Exists, OuterRef, Value, When
from django.urls import reverse
from django.utils import timezone

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.audit.services import audit_event_write
from umbrella.care import actions
from umbrella.care.models import (
    DECLINE_COLUMN,
    OUTCOME_COLUMN,
    OVERRIDE_COLUMN,
    REASON_COLUMN,
    SUMMARY_COLUMN,
    UNMET_STATUSES,
    Alert,
    ContactMethod,
    KeyEvent,
    Referral,
    ReferralStatus,
    Timer,
    TimerKind,
    TimerStatus,
    VictimCare,
    VictimCodeEvent,
    VictimContact,
)
from umbrella.care.policy import ALERTED_ROLE, can_override_consent, can_respond_to_referrals
from umbrella.care.selectors import alerts_for
from umbrella.cases import rules
from umbrella.cases.models import (
    PersonRole,
    Record,
    RecordKind,
    RecordPerson,
    RecordStatus,
    ShareScope,
)
from umbrella.cases.selectors import can_change_record
from umbrella.consent.models import ConsentRecord, ConsentScope
from umbrella.consent.selectors import consent_by_reference, consent_in_force
from umbrella.core.db import insert_instances
from umbrella.core.working_days import add_working_days
from umbrella.crypto.fields import encrypt
from umbrella.sharing.services import sealed_revocation_reason, share_grant

if TYPE_CHECKING:
    from umbrella.accounts.models import User


# Which consent scope allows a referral to each kind of organisation (police: either, in order).
DESTINATION_SCOPES: dict[str, tuple[str, ...]] = {
    OrganisationKind.VICTIM_SERVICE: (ConsentScope.VICTIM_SUPPORT_REFERRAL,),
    OrganisationKind.LOCAL_AUTHORITY: (ConsentScope.PARTNER_REFERRAL,),
    OrganisationKind.HOUSING_PROVIDER: (ConsentScope.PARTNER_REFERRAL,),
    OrganisationKind.THIRD_PARTY_CENTRE: (ConsentScope.CENTRE_CONTACT,),
    OrganisationKind.POLICE_FORCE: (ConsentScope.POLICE_IDENTIFIED, ConsentScope.POLICE_ANONYMISED),
}
# The Crown Prosecution Service receives a police crime's file for a charging decision. That is
# processing for law enforcement (Data Protection Act 2018, Part 3), not the victim's choice: no
# consent is asked, and the share records the basis instead.
PROSECUTION_LEGAL_BASIS = (
    "Law enforcement (Data Protection Act 2018, Part 3): the crime's file passed to the Crown Prosecution "
    "Service for a charging decision"
)
REFERRAL_SLA_WORKING_DAYS = 2
VICTIM_SERVICE_REFERRAL_WORKING_DAYS = 2
KEY_EVENT_WORKING_DAYS = {True: 1, False: 5}  # enhanced rights: 1 working day; standard: 5


def progress_update_days() -> int:
    """Days between regular progress updates (DOMAIN.md §7.1: every 28 days); configurable."""
    return int(getattr(settings, "CARE_PROGRESS_UPDATE_DAYS", 28))


def _errors(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _require_record_writer(actor: User, record: Record) -> Record:
    """The record as the actor may see it (else DoesNotExist: 404), if they may change it (else 403)."""
    visible = Record.objects.visible_to(actor).select_related("organisation").get(pk=record.pk)
    if not can_change_record(actor, visible):
        raise PermissionDenied("Only the owning organisation's record writers can do this.")
    return visible


# ---------------------------------------------------------------------------
# Victim care and timers
# ---------------------------------------------------------------------------


def victims_code_applies(record: Record) -> bool:
    """Police-held hate crimes that are no longer drafts carry Victims' Code duties here."""
    return (
        record.kind == RecordKind.HATE_CRIME
        and record.status != RecordStatus.DRAFT
        and record.organisation.kind == OrganisationKind.POLICE_FORCE
    )


def _timer(record: Record, kind: str, due_at: datetime, **extra: Any) -> Timer:
    return Timer(
        record=record, organisation_id=record.organisation_id, team_id=record.team_id,
        assignee_id=record.created_by_id, kind=kind, due_at=due_at, **extra,
    )


def victim_care_ensure(*, record: Record) -> VictimCare | None:
    """The record's VictimCare, made with its first timers when the Victims' Code first applies.

    Called from the cases signal inside the recording transaction (a few queries).
    """
    if not victims_code_applies(record):
        return None
    existing = VictimCare.objects.filter(record=record).first()
    if existing is not None:
        return existing
    victim = RecordPerson.objects.filter(record=record, role=PersonRole.VICTIM).order_by("pk").first()
    care = VictimCare.objects.create(record=record, victim=victim)
    Timer.objects.bulk_create(_first_timers(record, start=record.created_at or timezone.now()))
    return care


def _first_timers(record: Record, *, start: datetime, referral_due: datetime | None = None) -> list[Timer]:
    """The timers the Victims' Code starts with: a victim-service referral in working days and a
    first progress update. ``referral_due`` saves counting the working days again for a batch."""
    due = referral_due or add_working_days(start, VICTIM_SERVICE_REFERRAL_WORKING_DAYS)
    return [
        _timer(record, TimerKind.REFERRAL, due),
        _timer(record, TimerKind.PROGRESS_UPDATE, start + timedelta(days=progress_update_days())),
    ]


def on_records_created(sender: Any, *, record_ids: list[int], **kwargs: Any) -> None:
    """Receiver of cases.signals.records_created (imports): ``victim_care_ensure`` for many new
    records at once, in a fixed number of queries. A record imported closed gets no timers, as a
    record closed on a page has its open timers cancelled."""
    if not record_ids:
        return
    records = list(
        Record.objects.filter(pk__in=record_ids, kind=RecordKind.HATE_CRIME,
                              organisation__kind=OrganisationKind.POLICE_FORCE)
        .exclude(status__in=[RecordStatus.DRAFT, RecordStatus.CLOSED])
        .exclude(Exists(VictimCare.objects.filter(record_id=OuterRef("pk"))))
        .only("pk", "organisation_id", "team_id", "created_by_id", "created_at").order_by("pk")
    )
    if not records:
        return
    first_victim: dict[int, int] = {}
    for record_id, person_link_id in (
        RecordPerson.objects.filter(record_id__in=[r.pk for r in records], role=PersonRole.VICTIM)
        .order_by("record_id", "pk").values_list("record_id", "pk")
    ):
        first_victim.setdefault(record_id, person_link_id)
    insert_instances([VictimCare(record=r, victim_id=first_victim.get(r.pk)) for r in records])
    now = timezone.now()
    # A batch's records share their creation time: count the working days once per distinct start.
    referral_due: dict[datetime, datetime] = {}
    timers: list[Timer] = []
    for r in records:
        start = r.created_at or now
        if start not in referral_due:
            referral_due[start] = add_working_days(start, VICTIM_SERVICE_REFERRAL_WORKING_DAYS)
        timers.extend(_first_timers(r, start=start, referral_due=referral_due[start]))
    insert_instances(timers)


def _cancel_open_timers(record: Record, kinds: tuple[str, ...] | None = None) -> int:
    timers = Timer.objects.filter(record=record, status=TimerStatus.OPEN)
    if kinds is not None:
        timers = timers.filter(kind__in=kinds)
    return timers.update(status=TimerStatus.CANCELLED)


def on_record_changed(sender: Any, *, record: Record, actor: Any, change: str, **kwargs: Any) -> None:
    from umbrella.cases import signals

    if change not in (signals.CREATED, signals.STATUS):
        return
    if record.status == RecordStatus.CLOSED:
        _cancel_open_timers(record)
        return
    victim_care_ensure(record=record)


def _meet(timers: Any, *, now: datetime, **by: Any) -> int:
    """Marks unmet timers met now; a missed one keeps its status (met late) with its met time."""
    return int(timers.filter(met_at__isnull=True, status__in=UNMET_STATUSES).update(
        met_at=now,
        status=Case(When(status=TimerStatus.OPEN, then=Value(TimerStatus.MET)), default="status"),
        **by,
    ))


@transaction.atomic
def victim_care_set_eligibility(
    *,
    actor: User,
    record: Record,
    most_serious_crime: bool,
    persistently_targeted: bool,
    vulnerable_or_intimidated: bool,
    opted_out_of_referral: bool,
) -> VictimCare:
    record = _require_record_writer(actor, record)
    care, _ = VictimCare.objects.get_or_create(record=record)
    care.most_serious_crime = most_serious_crime
    care.persistently_targeted = persistently_targeted
    care.vulnerable_or_intimidated = vulnerable_or_intimidated
    care.opted_out_of_referral = opted_out_of_referral
    care.eligibility_decided_at = timezone.now()
    care.eligibility_decided_by = actor
    care.save()
    if opted_out_of_referral:
        _cancel_open_timers(record, (TimerKind.REFERRAL,))
    audit_event_write(
        actor=actor, action=actions.CARE_ELIGIBILITY, target=care, target_label=record.reference, record_id=record.pk,
        changes={
            "enhanced": care.enhanced, "most_serious_crime": most_serious_crime,
            "persistently_targeted": persistently_targeted, "vulnerable_or_intimidated": vulnerable_or_intimidated,
            "opted_out_of_referral": opted_out_of_referral,
        },
    )
    return care


@transaction.atomic
def victim_code_event(*, actor: User, record: Record, event: str, occurred_at: datetime) -> VictimCodeEvent:
    """Records a key event (arrest, charge, ...) and starts the timer to tell the victim:
    1 working day for enhanced rights, 5 for standard."""
    record = _require_record_writer(actor, record)
    return _key_event(actor=actor, record=record, event=event, occurred_at=occurred_at)


@transaction.atomic
def decision_key_event(*, actor: User, record: Record, event: str, occurred_at: datetime) -> VictimCodeEvent:
    """A decision recorded by the outcomes app (a charge, a court result, a review's result) starts
    the owning force's timer to tell the victim. The outcomes service has already checked who may
    record the decision: the owning force, or the CPS it shared the crime with, who cannot change
    the record and so could not use ``victim_code_event``. No page or endpoint calls this."""
    return _key_event(actor=actor, record=record, event=event, occurred_at=occurred_at)


def _key_event(*, actor: User, record: Record, event: str, occurred_at: datetime) -> VictimCodeEvent:
    _errors({
        **({"event": "Choose the key event"} if event not in KeyEvent.values else {}),
        **({"occurred_at": "The date of the event must be today or in the past"}
           if occurred_at > timezone.now() + timedelta(minutes=5) else {}),
    })
    care = VictimCare.objects.filter(record=record).first()
    enhanced = care.enhanced if care is not None else False
    key_event = VictimCodeEvent.objects.create(record=record, event=event, occurred_at=occurred_at, recorded_by=actor)
    timer = _timer(record, TimerKind.KEY_EVENT_UPDATE, add_working_days(occurred_at, KEY_EVENT_WORKING_DAYS[enhanced]),
                   key_event=key_event)
    timer.save()
    audit_event_write(
        actor=actor, action=actions.CARE_KEY_EVENT, target=key_event, target_label=record.reference, record_id=record.pk,
        changes={"event": event, "occurred_at": occurred_at.isoformat(), "update_due_at": timer.due_at.isoformat(),
                 "enhanced": enhanced},
    )
    return key_event


@transaction.atomic
def victim_contact_record(
    *, actor: User, record: Record, method: str, summary: str, contacted_at: datetime
) -> VictimContact:
    """Records a contact with the victim; it meets every update owed to them (key events, progress)."""
    record = _require_record_writer(actor, record)
    summary = summary.strip()
    now = timezone.now()
    _errors({
        **({"method": "Choose how the victim was contacted"} if method not in ContactMethod.values else {}),
        **({"summary": "Enter what the victim was told"} if not summary else {}),
        **({"contacted_at": "The date of the contact must be today or in the past"}
           if contacted_at > now + timedelta(minutes=5) else {}),
    })
    contact = VictimContact.objects.create(
        record=record, method=method, contacted_at=contacted_at, contacted_by=actor,
        summary=encrypt(summary, organisation_id=record.organisation_id, column=SUMMARY_COLUMN) or "",
    )
    met = _meet(
        Timer.objects.filter(record=record, kind__in=(TimerKind.KEY_EVENT_UPDATE, TimerKind.PROGRESS_UPDATE),
                             created_at__lte=now),
        now=contacted_at, met_by_contact=contact,
    )
    if victims_code_applies(record) and not Timer.objects.filter(
        record=record, kind=TimerKind.PROGRESS_UPDATE, met_at__isnull=True, status__in=UNMET_STATUSES
    ).exists():
        _timer(record, TimerKind.PROGRESS_UPDATE, contacted_at + timedelta(days=progress_update_days())).save()
    audit_event_write(
        actor=actor, action=actions.CARE_CONTACT, target=contact, target_label=record.reference, record_id=record.pk,
        changes={"method": method, "summary": "set", "contacted_at": contacted_at.isoformat(), "timers_met": met},
    )
    return contact


# ---------------------------------------------------------------------------
# Referrals
# ---------------------------------------------------------------------------


def _consent_for(record: Record, scopes: tuple[str, ...], reference: str) -> tuple[ConsentRecord | None, str]:
    """The consent in force for one of ``scopes`` (the one named, if a reference is given), and an error."""
    if reference:
        consent = consent_by_reference(record=record, reference=reference)
        if consent is None or consent.scope not in scopes:
            return None, "That consent reference is not the victim's consent in force for a referral to this organisation"
        return consent, ""
    for scope in scopes:
        consent = consent_in_force(record=record, scope=scope)
        if consent is not None:
            return consent, ""
    return None, ""


@transaction.atomic
def referral_create(
    *,
    actor: User,
    record: Record,
    to_organisation: Organisation,
    reason: str,
    consent_reference: str = "",
    override_reason: str = "",
) -> Referral:
    """Refers the record's victim to another organisation, which then sees the record.

    Needs the victim's consent in force for the destination (victim service: victim support
    referral; council or housing: partner referral; reporting centre: centre contact; police:
    identified, else anonymised, sharing). Without it the referral is refused, unless a
    supervisor or investigator overrides with a reason: the referral is then marked overridden
    and the organisation's supervisors are alerted.

    The Crown Prosecution Service is the exception: a police force passes it a crime's file for a
    charging decision on the law enforcement basis, without consent (PROSECUTION_LEGAL_BASIS).
    """
    record = _require_record_writer(actor, record)
    reason, consent_reference, override_reason = reason.strip(), consent_reference.strip(), override_reason.strip()
    errors: dict[str, str] = {}
    prosecution = to_organisation.kind == OrganisationKind.CPS
    scopes = () if prosecution else DESTINATION_SCOPES.get(to_organisation.kind)
    if to_organisation.pk == record.organisation_id:
        errors["to_organisation"] = "Choose another organisation: this record is already yours"
    elif scopes is None:
        errors["to_organisation"] = (
            "Referrals can only go to a victim service, council, housing provider, reporting centre, police force "
            "or, for a police crime, the Crown Prosecution Service"
        )
    elif not to_organisation.is_active:
        errors["to_organisation"] = "Choose an organisation that is still active"
    elif prosecution and not rules.is_police_crime(kind=record.kind, organisation_kind=record.organisation.kind):
        errors["to_organisation"] = "Only a crime the police recorded can be passed to the Crown Prosecution Service"
    if not reason:
        errors["reason"] = "Enter why the victim is being referred"
    _errors(errors)
    assert scopes is not None
    consent, consent_error = (None, "") if prosecution else _consent_for(record, scopes, consent_reference)
    if consent_error:
        _errors({"consent_reference": consent_error})
    if prosecution:
        override_reason = ""  # nothing to override: the basis is law enforcement, not consent
    elif consent is None:
        if not override_reason:
            _errors({"consent_reference": (
                f"The victim has not consented to a referral to {to_organisation.get_kind_display().lower()}. "
                "Record their consent first, or ask a supervisor or investigator to override with a reason"
            )})
        if not can_override_consent(actor):
            raise PermissionDenied("Only a supervisor or investigator can make a referral without the victim's consent.")
    else:
        override_reason = ""  # consent in force: nothing to override
    now = timezone.now()
    share_scope = (
        ShareScope.ANONYMISED if consent is not None and consent.scope == ConsentScope.POLICE_ANONYMISED else ShareScope.FULL
    )
    referral = Referral.objects.create(
        record=record, from_organisation_id=record.organisation_id, to_organisation=to_organisation,
        reason=encrypt(reason, organisation_id=record.organisation_id, column=REASON_COLUMN) or "",
        consent=consent, consent_reference=consent.reference if consent is not None else "",
        override_reason=encrypt(override_reason, organisation_id=record.organisation_id, column=OVERRIDE_COLUMN) or "",
        overridden_by=actor if override_reason else None,
        sla_due_at=add_working_days(now, REFERRAL_SLA_WORKING_DAYS), created_by=actor,
    )
    referral.share = share_grant(
        actor=actor, record=record, organisation=to_organisation, scope=share_scope,
        reason=f"Referral {referral.reference}",
        consent_reference=referral.consent_reference,
        legal_basis=(
            PROSECUTION_LEGAL_BASIS if prosecution
            else "" if consent is not None else f"Referral {referral.reference} made without consent; override recorded"
        ),
    )
    referral.save(update_fields=["share"])
    timers_met = 0
    if to_organisation.kind == OrganisationKind.VICTIM_SERVICE:
        timers_met = _meet(Timer.objects.filter(record=record, kind=TimerKind.REFERRAL), now=now, met_by_referral=referral)
    audit_event_write(
        actor=actor, action=actions.REFERRAL_CREATE, target=referral, target_label=record.reference, record_id=record.pk,
        changes={
            "to_organisation": to_organisation.pk, "status": referral.status, "reason": "set",
            "consent_reference": referral.consent_reference, "overridden": bool(override_reason),
            "share_scope": share_scope, "sla_due_at": referral.sla_due_at.isoformat(), "timers_met": timers_met,
            **({"legal_basis": "law_enforcement"} if prosecution else {}),
        },
    )
    if override_reason:
        url = reverse("care:referral-detail", args=[referral.pk])
        Alert.objects.create(
            organisation_id=record.organisation_id, role=ALERTED_ROLE, url=url,
            message=(f"Referral {referral.reference} of {record.reference} to {to_organisation.name} was made "
                     f"without the victim's consent by {actor.get_username()}. The reason is on the referral."),
        )
        audit_event_write(
            actor=actor, action=actions.REFERRAL_OVERRIDE, target=referral, target_label=record.reference,
            record_id=record.pk, changes={"override_reason": "set", "alerted_role": ALERTED_ROLE},
        )
    return referral


def _require_responder(actor: User, referral: Referral) -> Referral:
    """The referral, locked, if the actor's organisation received it (else DoesNotExist) and may respond (else 403)."""
    locked = Referral.objects.select_for_update().select_related("record", "to_organisation").get(pk=referral.pk)
    if actor.organisation_id != locked.to_organisation_id:
        raise Referral.DoesNotExist
    if not can_respond_to_referrals(actor):
        raise PermissionDenied("Your role cannot respond to referrals.")
    return locked


def _audit_referral(actor: User, referral: Referral, action: str, **changes: Any) -> None:
    audit_event_write(
        actor=actor, action=action, target=referral, target_label=referral.record.reference,
        record_id=referral.record_id, changes={"status": referral.status, **changes},
    )


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral) -> Referral:
    referral = _require_responder(actor, referral)
    if referral.status != ReferralStatus.SENT:
        _errors({"status": "Only a referral waiting for an answer can be accepted"})
    referral.status = ReferralStatus.ACCEPTED
    referral.responded_by, referral.responded_at = actor, timezone.now()
    referral.save(update_fields=["status", "responded_by", "responded_at"])
    _audit_referral(actor, referral, actions.REFERRAL_ACCEPT)
    return referral


@transaction.atomic
def referral_decline(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Declines with a reason; the receiving organisation stops seeing the record."""
    referral = _require_responder(actor, referral)
    reason = reason.strip()
    errors: dict[str, str] = {}
    if referral.status not in (ReferralStatus.SENT, ReferralStatus.ACCEPTED):
        errors["status"] = "This referral has already been declined or closed"
    if not reason:
        errors["decline_reason"] = "Enter why the referral is declined"
    _errors(errors)
    now = timezone.now()
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = encrypt(reason, organisation_id=referral.record.organisation_id, column=DECLINE_COLUMN) or ""
    referral.responded_by, referral.responded_at = actor, now
    referral.save(update_fields=["status", "decline_reason", "responded_by", "responded_at"])
    _audit_referral(actor, referral, actions.REFERRAL_DECLINE, decline_reason="set")
    share = referral.share
    if share is not None and share.revoked_at is None:
        # The receiver cannot use sharing.share_revoke (only the owner's writers can): the share was
        # made for this referral, so declining it ends the share, audited here.
        share.revoked_at, share.revoked_by = now, actor
        share.revocation_reason = sealed_revocation_reason(f"Referral {referral.reference} declined",
                                                           record=referral.record)
        share.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        audit_event_write(
            actor=actor, action=actions.REFERRAL_SHARE_REVOKE, target=share, target_label=referral.record.reference,
            record_id=referral.record_id,
            changes={"share": share.pk, "organisation": share.organisation_id, "revoked_at": now.isoformat()},
        )
    return referral


@transaction.atomic
def referral_close(*, actor: User, referral: Referral, outcome: str) -> Referral:
    referral = _require_responder(actor, referral)
    outcome = outcome.strip()
    errors: dict[str, str] = {}
    if referral.status != ReferralStatus.ACCEPTED:
        errors["status"] = "Only an accepted referral can be closed"
    if not outcome:
        errors["outcome"] = "Enter the outcome of the referral"
    _errors(errors)
    referral.status = ReferralStatus.CLOSED
    referral.outcome = encrypt(outcome, organisation_id=referral.record.organisation_id, column=OUTCOME_COLUMN) or ""
    referral.closed_by, referral.closed_at = actor, timezone.now()
    referral.save(update_fields=["status", "outcome", "closed_by", "closed_at"])
    _audit_referral(actor, referral, actions.REFERRAL_CLOSE, outcome="set")
    return referral


@transaction.atomic
def alert_mark_read(*, actor: User, alert: Alert) -> Alert:
    alert = alerts_for(actor).select_for_update().get(pk=alert.pk)
    alert.read_at, alert.read_by = timezone.now(), actor
    alert.save(update_fields=["read_at", "read_by"])
    audit_event_write(actor=actor, action=actions.ALERT_READ, target=alert, changes={"read_at": alert.read_at.isoformat()})
    return alert
