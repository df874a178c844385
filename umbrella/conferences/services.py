"""Every write of the conferences app: keyword-only, atomic, audited.

Conferences the actor cannot see (neither hosting nor attending) are answered as missing
(Conference.DoesNotExist), like records; a visible conference the actor's role may not change
is PermissionDenied; bad input is ValidationError keyed by field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from umbrella.agencies.models import Organisation, OrganisationKind
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Person, PersonRole, Record, RecordPerson
from umbrella.conferences import actions
from umbrella.conferences.models import (
    CONFERENCE_TRANSITIONS,
    INFORMATION_COLUMN,
    MINUTES_COLUMN,
    RATIONALE_COLUMN,
    REFERRAL_TRANSITIONS,
    SUMMARY_COLUMN,
    ActionStatus,
    AgreedAction,
    Attendee,
    Conference,
    ConferenceReferral,
    ConferenceStatus,
    Criterion,
    Minutes,
    ReferralStatus,
    SharedInformation,
)
from umbrella.conferences.policy import (
    can_approve_minutes,
    can_complete,
    can_organise,
    can_refer,
    takes_part,
)
from umbrella.conferences.risk import latest_risk_level
from umbrella.conferences.selectors import conferences_visible_to
from umbrella.crypto.fields import encrypt

if TYPE_CHECKING:
    from umbrella.accounts.models import User


REPEAT_WINDOW = timedelta(days=365)
# Organisations that never attend: scrutiny bodies see aggregates only.
NON_ATTENDING_KINDS = frozenset({OrganisationKind.SCRUTINY_BODY})


def _invalid(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [message] for field, message in errors.items()})


def _visible_conference(actor: User, conference: Conference) -> Conference:
    """The conference, locked and fresh, if the actor may see it; Conference.DoesNotExist otherwise."""
    return conferences_visible_to(actor).select_for_update().get(pk=conference.pk)


def _require_organiser(actor: User, conference: Conference) -> None:
    if not (can_organise(actor) and actor.organisation_id == conference.host_id):
        raise PermissionDenied("Only the hosting organisation's officers, supervisors and managers can do this.")


def _require_open(conference: Conference) -> None:
    if conference.status == ConferenceStatus.CLOSED:
        raise ValidationError({"conference": ["This conference is closed"]})


# ---------------------------------------------------------------------------
# Conferences and attendees
# ---------------------------------------------------------------------------


@transaction.atomic
def conference_create(
    *,
    actor: User,
    title: str,
    meets_at: datetime,
    borough_code: str = "",
    location: str = "",
    is_online: bool = False,
    chair: User | None = None,
) -> Conference:
    """A new planned conference hosted by the actor's organisation, which attends it."""
    if not can_organise(actor) or actor.organisation_id is None:
        raise PermissionDenied("Your role cannot set up risk conferences.")
    title, location, borough_code = title.strip(), location.strip(), borough_code.strip().upper()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = "Enter a title for the conference"
    if not location and not is_online:
        errors["location"] = "Enter where the conference meets, or say that it meets online"
    if chair is not None and chair.organisation_id != actor.organisation_id:
        errors["chair"] = "The chair must be from the hosting organisation"
    _invalid(errors)
    conference = Conference.objects.create(
        host_id=actor.organisation_id, title=title, meets_at=meets_at, borough_code=borough_code,
        location=location, is_online=is_online, chair=chair or actor, created_by=actor,
    )
    Attendee.objects.create(conference=conference, organisation_id=actor.organisation_id, role_note="Host")
    audit_event_write(
        actor=actor, action=actions.CONFERENCE_CREATE, target=conference, target_label=conference.title,
        changes={"meets_at": meets_at.isoformat(), "borough_code": borough_code, "is_online": is_online,
                 "location": "set" if location else ""},
    )
    return conference


@transaction.atomic
def conference_change_status(*, actor: User, conference: Conference, status: str) -> Conference:
    conference = _visible_conference(actor, conference)
    _require_organiser(actor, conference)
    if status not in CONFERENCE_TRANSITIONS.get(conference.status, set()):
        _invalid({"status": "Choose a status that can follow the current one"})
    previous = conference.status
    conference.status = status
    conference.save(update_fields=["status"])
    audit_event_write(
        actor=actor, action=actions.CONFERENCE_STATUS, target=conference, target_label=conference.title,
        changes={"status": [previous, status]},
    )
    return conference


@transaction.atomic
def attendee_add(
    *,
    actor: User,
    conference: Conference,
    organisation: Organisation,
    user: User | None = None,
    role_note: str = "",
    attended: bool = False,
) -> Attendee:
    """Invites an organisation (and optionally one of its people) to the conference."""
    conference = _visible_conference(actor, conference)
    _require_organiser(actor, conference)
    _require_open(conference)
    errors: dict[str, str] = {}
    if not organisation.is_active or organisation.kind in NON_ATTENDING_KINDS:
        errors["organisation"] = "Choose an active partner organisation"
    if user is not None and user.organisation_id != organisation.pk:
        errors["user"] = "The person must belong to the organisation"
    existing = Attendee.objects.filter(conference=conference, organisation=organisation, user=user)
    if not errors and existing.exists():
        errors["organisation"] = "This organisation is already attending" if user is None else "This person is already attending"
    _invalid(errors)
    attendee = Attendee.objects.create(
        conference=conference, organisation=organisation, user=user, role_note=role_note.strip(), attended=attended
    )
    audit_event_write(
        actor=actor, action=actions.ATTENDEE_ADD, target=attendee, target_label=conference.title,
        changes={"organisation": organisation.pk, "user": user.pk if user else None, "attended": attended},
    )
    return attendee


# ---------------------------------------------------------------------------
# Referrals and their criteria
# ---------------------------------------------------------------------------


def previous_conference_referrals(*, record: Record, now: datetime | None = None) -> QuerySet[ConferenceReferral]:
    """Referrals, discussed at a conference in the last 12 months, of this record or of another
    record with the same victim (same person, or the same name and date of birth blind index).

    Not scoped to a user: it answers only "was this victim at a conference lately", which is what
    the repeat criterion needs; callers show the conference, not the other record.
    """
    now = now or timezone.now()
    victims = list(
        RecordPerson.objects.filter(record=record, role=PersonRole.VICTIM).values_list("person_id", flat=True)
    )
    indexes = [
        index for index in Person.objects.filter(pk__in=victims).values_list("name_dob_index", flat=True) if index
    ]
    same_victim = Q(person_id__in=victims)
    if indexes:
        same_victim |= Q(person__name_dob_index__in=indexes)
    other_records = RecordPerson.objects.filter(same_victim, role=PersonRole.VICTIM).values("record_id")
    held = Q(status=ReferralStatus.DISCUSSED) | Q(
        conference__status__in=[ConferenceStatus.HELD, ConferenceStatus.CLOSED]
    )
    return (
        ConferenceReferral.objects.filter(Q(record=record) | Q(record_id__in=other_records))
        .filter(held, conference__meets_at__gte=now - REPEAT_WINDOW, conference__meets_at__lt=now)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("conference")
        .order_by("-conference__meets_at")
    )


def criteria_errors(
    *, criteria: Iterable[str], rationale: str, risk_level: str | None, repeat_found: bool
) -> dict[str, str]:
    """Why the chosen criteria are not met ({} when they are)."""
    chosen = set(criteria)
    errors: dict[str, str] = {}
    if not chosen:
        return {"criteria": "Choose at least one referral criterion"}
    unknown = chosen - set(Criterion.values)
    if unknown:
        return {"criteria": "Choose referral criteria from the list"}
    if Criterion.HIGH_RISK in chosen and risk_level != "high":
        errors["criteria"] = (
            "The latest risk assessment is not high: refer on professional judgement or escalation instead"
            if risk_level else "There is no risk assessment of this case: assess the risk first, or refer on professional judgement"
        )
    elif Criterion.REPEAT in chosen and not repeat_found:
        errors["criteria"] = "This victim was not discussed at a conference in the last 12 months"
    needs_rationale = chosen & {Criterion.PROFESSIONAL_JUDGEMENT, Criterion.ESCALATION}
    if needs_rationale and not rationale.strip():
        errors["rationale"] = "Explain why the case meets professional judgement or escalation"
    return errors


@transaction.atomic
def referral_create(
    *,
    actor: User,
    record: Record,
    conference: Conference | None,
    criteria: list[str],
    rationale: str = "",
    summary: str = "",
    now: datetime | None = None,
) -> ConferenceReferral:
    """Refers a case the actor can see to a planned conference the actor's organisation attends."""
    if not Record.objects.visible_to(actor).filter(pk=record.pk).exists():
        raise Record.DoesNotExist  # do not reveal that the record exists
    if not can_refer(actor):
        raise PermissionDenied("Your role cannot refer cases to risk conferences.")
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if conference is not None:
        conference = _visible_conference(actor, conference)
        if conference.status != ConferenceStatus.PLANNED:
            errors["conference"] = "Choose a conference that has not happened yet"
        elif ConferenceReferral.objects.filter(conference=conference, record=record).exclude(
            status=ReferralStatus.WITHDRAWN
        ).exists():
            errors["conference"] = "This case is already referred to that conference"
    risk_level = latest_risk_level(user=actor, record=record)
    repeat_found = previous_conference_referrals(record=record, now=now).exists()
    errors = {**criteria_errors(criteria=criteria, rationale=rationale, risk_level=risk_level,
                                repeat_found=repeat_found), **errors}
    _invalid(errors)
    organisation_id = actor.organisation_id
    assert organisation_id is not None  # can_refer needs an organisation
    ordered = [value for value in Criterion.values if value in set(criteria)]
    referral = ConferenceReferral.objects.create(
        conference=conference, record=record, referring_organisation_id=organisation_id, referred_by=actor,
        criteria=ordered, risk_level=risk_level or "", referred_at=now,
        rationale=encrypt(rationale.strip(), organisation_id=organisation_id, column=RATIONALE_COLUMN) or "",
        summary=encrypt(summary.strip(), organisation_id=organisation_id, column=SUMMARY_COLUMN) or "",
    )
    audit_event_write(
        actor=actor, action=actions.REFERRAL_CREATE, target=referral, target_label=record.reference,
        record_id=record.pk,
        changes={"conference": conference.pk if conference else None, "criteria": ordered,
                 "risk_level": referral.risk_level, "rationale": "set" if rationale.strip() else "",
                 "summary": "set" if summary.strip() else ""},
    )
    return referral


def _referral_conference(actor: User, referral: ConferenceReferral) -> Conference:
    if referral.conference_id is None:
        raise ConferenceReferral.DoesNotExist
    try:
        return _visible_conference(actor, Conference(pk=referral.conference_id))
    except Conference.DoesNotExist:
        raise ConferenceReferral.DoesNotExist from None


@transaction.atomic
def referral_change_status(*, actor: User, referral: ConferenceReferral, status: str) -> ConferenceReferral:
    """Lists a referred case on the agenda, marks it discussed, or withdraws it (the host only)."""
    referral = ConferenceReferral.objects.select_for_update().select_related("record").get(pk=referral.pk)
    conference = _referral_conference(actor, referral)
    _require_organiser(actor, conference)
    _require_open(conference)
    if status not in REFERRAL_TRANSITIONS.get(referral.status, set()):
        _invalid({"status": "Choose a status that can follow the current one"})
    previous = referral.status
    referral.status = status
    referral.save(update_fields=["status"])
    audit_event_write(
        actor=actor, action=actions.REFERRAL_STATUS, target=referral, target_label=referral.record.reference,
        record_id=referral.record_id, changes={"status": [previous, status]},
    )
    return referral


# ---------------------------------------------------------------------------
# Information, actions and minutes
# ---------------------------------------------------------------------------


@transaction.atomic
def information_add(*, actor: User, referral: ConferenceReferral, text: str) -> SharedInformation:
    """What the actor's organisation tells the conference about the case, for attendees only."""
    referral = ConferenceReferral.objects.select_related("record").get(pk=referral.pk)
    conference = _referral_conference(actor, referral)
    if not takes_part(actor):
        raise PermissionDenied("Your role does not take part in risk conferences.")
    _require_open(conference)
    text = text.strip()
    _invalid({"text": "Enter the information your organisation is sharing"} if not text else {})
    if referral.status == ReferralStatus.WITHDRAWN:
        _invalid({"text": "This case was withdrawn from the conference"})
    organisation_id = actor.organisation_id
    assert organisation_id is not None
    information = SharedInformation.objects.create(
        referral=referral, organisation_id=organisation_id, author=actor,
        text=encrypt(text, organisation_id=conference.host_id, column=INFORMATION_COLUMN) or "",
    )
    audit_event_write(
        actor=actor, action=actions.INFORMATION_ADD, target=information, target_label=referral.record.reference,
        record_id=referral.record_id, changes={"referral": referral.pk, "organisation": organisation_id, "text": "set"},
    )
    return information


def attending_organisation_ids(conference: Conference) -> set[int]:
    return {conference.host_id, *Attendee.objects.filter(conference=conference).values_list("organisation_id", flat=True)}


@transaction.atomic
def action_agree(
    *,
    actor: User,
    referral: ConferenceReferral,
    description: str,
    assigned_organisation: Organisation,
    due_on: date,
    assigned_user: User | None = None,
) -> AgreedAction:
    """Records an action the conference agreed for a case, owned by one attending organisation."""
    referral = ConferenceReferral.objects.select_related("record").get(pk=referral.pk)
    conference = _referral_conference(actor, referral)
    _require_organiser(actor, conference)
    _require_open(conference)
    description = description.strip()
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = "Enter the action agreed"
    if assigned_organisation.pk not in attending_organisation_ids(conference):
        errors["assigned_organisation"] = "Choose an organisation attending the conference"
    if assigned_user is not None and assigned_user.organisation_id != assigned_organisation.pk:
        errors["assigned_user"] = "The person must belong to the organisation the action is assigned to"
    if referral.status == ReferralStatus.WITHDRAWN:
        errors["description"] = "This case was withdrawn from the conference"
    _invalid(errors)
    action = AgreedAction.objects.create(
        referral=referral, description=description, assigned_organisation=assigned_organisation,
        assigned_user=assigned_user, due_on=due_on, created_by=actor,
    )
    audit_event_write(
        actor=actor, action=actions.ACTION_AGREE, target=action, target_label=referral.record.reference,
        record_id=referral.record_id,
        changes={"referral": referral.pk, "assigned_organisation": assigned_organisation.pk,
                 "assigned_user": assigned_user.pk if assigned_user else None, "due_on": due_on.isoformat(),
                 "description": "set"},
    )
    return action


@transaction.atomic
def action_complete(*, actor: User, action: AgreedAction) -> AgreedAction:
    action = AgreedAction.objects.select_for_update().select_related("referral__record").get(pk=action.pk)
    referral = action.referral
    try:
        conference = _referral_conference(actor, referral)
    except ConferenceReferral.DoesNotExist:
        raise AgreedAction.DoesNotExist from None
    if action.status != ActionStatus.OPEN:
        _invalid({"action": "This action is already done"})
    if not can_complete(actor, action, conference):
        raise PermissionDenied("Only the organisation the action is assigned to can complete it.")
    action.status = ActionStatus.DONE
    action.completed_by = actor
    action.completed_at = timezone.now()
    action.save(update_fields=["status", "completed_by", "completed_at"])
    audit_event_write(
        actor=actor, action=actions.ACTION_COMPLETE, target=action, target_label=referral.record.reference,
        record_id=referral.record_id, changes={"status": [ActionStatus.OPEN, ActionStatus.DONE]},
    )
    return action


@transaction.atomic
def minutes_save(*, actor: User, conference: Conference, text: str) -> Minutes:
    conference = _visible_conference(actor, conference)
    _require_organiser(actor, conference)
    text = text.strip()
    _invalid({"text": "Enter the minutes"} if not text else {})
    minutes = Minutes.objects.filter(conference=conference).first()
    if minutes is not None and minutes.approved_at is not None:
        _invalid({"text": "These minutes are approved and can no longer be changed"})
    ciphertext = encrypt(text, organisation_id=conference.host_id, column=MINUTES_COLUMN) or ""
    if minutes is None:
        minutes = Minutes.objects.create(conference=conference, text=ciphertext, written_by=actor)
    else:
        minutes.text = ciphertext
        minutes.written_by = actor
        minutes.save(update_fields=["text", "written_by", "updated_at"])
    audit_event_write(
        actor=actor, action=actions.MINUTES_SAVE, target=minutes, target_label=conference.title,
        changes={"text": "set"},
    )
    return minutes


@transaction.atomic
def minutes_approve(*, actor: User, conference: Conference) -> Minutes:
    conference = _visible_conference(actor, conference)
    if not can_approve_minutes(actor, conference):
        raise PermissionDenied("Only the chair or a supervisor of the host can approve the minutes.")
    minutes = Minutes.objects.select_for_update().filter(conference=conference).first()
    if minutes is None:
        _invalid({"minutes": "Write the minutes before approving them"})
    assert minutes is not None
    if minutes.approved_at is not None:
        _invalid({"minutes": "These minutes are already approved"})
    minutes.approved_by = actor
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["approved_by", "approved_at"])
    audit_event_write(
        actor=actor, action=actions.MINUTES_APPROVE, target=minutes, target_label=conference.title,
        changes={"approved_at": minutes.approved_at.isoformat()},
    )
    return minutes
