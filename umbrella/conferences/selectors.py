"""Every read of the conferences app, scoped to the user.

A conference is visible to the users (of a taking-part role) of its host and of every attending
organisation; nobody else learns it exists. The records on its agenda stay governed by
``Record.objects.visible_to``: attendees see the reference, strands, risk level and criteria the
referrer disclosed to the conference, the referrer's agenda summary and what each attendee shared;
the record itself opens only for those who could open it anyway.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from umbrella.audit.reads import decrypts
from umbrella.audit.services import audit_event_write
from umbrella.cases.models import Record, RecordStrand
from umbrella.conferences import actions
from umbrella.conferences.models import (
    INFORMATION_COLUMN,
    MINUTES_COLUMN,
    RATIONALE_COLUMN,
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
from umbrella.conferences.policy import can_approve_minutes, can_complete, can_organise, takes_part
from umbrella.crypto.fields import decrypt

if TYPE_CHECKING:
    from umbrella.accounts.models import User


def conferences_visible_to(user: Any) -> QuerySet[Conference]:
    organisation_id = getattr(user, "organisation_id", None)
    if not takes_part(user) or organisation_id is None:
        return Conference.objects.none()
    attending = Attendee.objects.filter(organisation_id=organisation_id).values("conference_id")
    return Conference.objects.filter(Q(host_id=organisation_id) | Q(pk__in=attending))


def conference_list(*, user: User) -> list[Conference]:
    """Visible conferences, soonest upcoming first, then past ones, each with its case count."""
    conferences: list[Conference] = list(
        conferences_visible_to(user)
        .select_related("host")
        .annotate(case_count=Count("referrals", filter=~Q(referrals__status=ReferralStatus.WITHDRAWN)))
        .order_by("-meets_at", "-id")
    )
    now = timezone.now()
    upcoming = sorted((c for c in conferences if c.meets_at >= now), key=lambda c: c.meets_at)
    return upcoming + [c for c in conferences if c.meets_at < now]


def conference_get(*, user: User, conference_id: int) -> Conference:
    """A visible conference or Conference.DoesNotExist (404)."""
    return conferences_visible_to(user).select_related("host", "chair").get(pk=conference_id)


def is_host_organiser(user: Any, conference: Conference) -> bool:
    return bool(can_organise(user) and user.organisation_id == conference.host_id)


def planned_conferences_for(*, user: User) -> QuerySet[Conference]:
    """Conferences a case can be referred to: planned, not yet met, visible to the user."""
    return (
        conferences_visible_to(user)
        .filter(status=ConferenceStatus.PLANNED, meets_at__gte=timezone.now())
        .select_related("host")
        .order_by("meets_at", "id")
    )


def referral_get(*, user: User, referral_id: int) -> ConferenceReferral:
    """A referral on a conference visible to the user, or ConferenceReferral.DoesNotExist."""
    return ConferenceReferral.objects.select_related("conference", "record").get(
        pk=referral_id, conference__in=conferences_visible_to(user)
    )


def action_get(*, user: User, action_id: int) -> AgreedAction:
    return AgreedAction.objects.select_related("referral__conference", "referral__record", "assigned_organisation").get(
        pk=action_id, referral__conference__in=conferences_visible_to(user)
    )


# ---------------------------------------------------------------------------
# The agenda
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InformationView:
    organisation: str
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class ActionView:
    action: AgreedAction
    organisation: str
    assignee: str
    can_complete: bool


@dataclass(frozen=True)
class AgendaItem:
    number: int
    referral: ConferenceReferral
    reference: str
    strands: list[str]
    risk_level: str
    criteria: list[str]
    referring_organisation: str
    summary: str
    # Only for those who may read the referrer's reasons: the referrer's organisation and the host.
    rationale: str
    can_open_record: bool
    information: list[InformationView] = field(default_factory=list)
    actions: list[ActionView] = field(default_factory=list)

    @property
    def risk_label(self) -> str:
        return self.risk_level.capitalize() if self.risk_level else "Not assessed"


def agenda_order(referral: ConferenceReferral) -> tuple[int, int, datetime, int]:
    """High risk first, then repeats, then the rest; in order of referral within each."""
    high = 0 if referral.risk_level == "high" or Criterion.HIGH_RISK in referral.criteria else 1
    repeat = 0 if Criterion.REPEAT in referral.criteria else 1
    return (high, repeat, referral.referred_at, referral.pk)


@decrypts
def agenda(*, user: User, conference: Conference, with_details: bool = True) -> list[AgendaItem]:
    """The cases on a visible conference's agenda, in agenda order. A few queries however many."""
    referrals = sorted(
        ConferenceReferral.objects.filter(conference=conference)
        .exclude(status=ReferralStatus.WITHDRAWN)
        .select_related("record", "referring_organisation"),
        key=agenda_order,
    )
    record_ids = [r.record_id for r in referrals]
    strands: dict[int, list[str]] = defaultdict(list)
    for row in RecordStrand.objects.filter(record_id__in=record_ids).select_related("strand", "sub_category"):
        label = row.strand.label + (f" ({row.sub_category.label})" if row.sub_category else "")
        strands[row.record_id].append(label)
    openable = set(Record.objects.visible_to(user).filter(pk__in=record_ids).values_list("pk", flat=True))
    information: dict[int, list[InformationView]] = defaultdict(list)
    actions_by: dict[int, list[ActionView]] = defaultdict(list)
    if with_details:
        for info in SharedInformation.objects.filter(referral__in=referrals).select_related("organisation", "author"):
            information[info.referral_id].append(InformationView(
                organisation=info.organisation.name,
                author=info.author.display_name if info.author else "",
                text=decrypt(info.text, column=INFORMATION_COLUMN),
                created_at=info.created_at,
            ))
        for action in AgreedAction.objects.filter(referral__in=referrals).select_related(
            "assigned_organisation", "assigned_user", "completed_by"
        ):
            actions_by[action.referral_id].append(ActionView(
                action=action, organisation=action.assigned_organisation.name,
                assignee=action.assigned_user.display_name if action.assigned_user else "",
                can_complete=can_complete(user, action, conference),
            ))
    sees_reasons = {conference.host_id}
    return [
        AgendaItem(
            number=number,
            referral=referral,
            reference=referral.record.reference,
            strands=strands.get(referral.record_id, []),
            risk_level=referral.risk_level,
            criteria=referral.criteria_labels(),
            referring_organisation=referral.referring_organisation.name,
            summary=decrypt(referral.summary, column=SUMMARY_COLUMN),
            rationale=decrypt(referral.rationale, column=RATIONALE_COLUMN)
            if user.organisation_id in sees_reasons | {referral.referring_organisation_id} else "",
            can_open_record=referral.record_id in openable,
            information=information.get(referral.pk, []),
            actions=actions_by.get(referral.pk, []),
        )
        for number, referral in enumerate(referrals, start=1)
    ]


def attendees_of(conference: Conference) -> list[Attendee]:
    return list(Attendee.objects.filter(conference=conference).select_related("organisation", "user"))


@dataclass(frozen=True)
class MinutesView:
    text: str
    written_by: str
    updated_at: datetime
    approved_by: str
    approved_at: datetime | None
    can_approve: bool


@decrypts
def minutes_for(*, user: User, conference: Conference) -> MinutesView | None:
    minutes = Minutes.objects.filter(conference=conference).select_related("written_by", "approved_by").first()
    if minutes is None:
        return None
    return MinutesView(
        text=decrypt(minutes.text, column=MINUTES_COLUMN),
        written_by=minutes.written_by.display_name if minutes.written_by else "",
        updated_at=minutes.updated_at,
        approved_by=minutes.approved_by.display_name if minutes.approved_by else "",
        approved_at=minutes.approved_at,
        can_approve=minutes.approved_at is None and can_approve_minutes(user, conference),
    )


def record_conference_read(*, user: User, conference: Conference, action: str) -> None:
    """Audits a read of a conference's shared information (page, agenda, PDF)."""
    audit_event_write(actor=user, action=action, target=conference, target_label=conference.title)


def audit_view(*, user: User, conference: Conference) -> None:
    record_conference_read(user=user, conference=conference, action=actions.CONFERENCE_VIEW)


# ---------------------------------------------------------------------------
# The record panel and the worklist
# ---------------------------------------------------------------------------


def referrals_for_record(*, user: User, record: Record) -> list[ConferenceReferral]:
    """This (already visible) record's referrals: to conferences the user sees, or made by the user's organisation."""
    if not takes_part(user):
        return []
    return list(
        ConferenceReferral.objects.filter(record=record)
        .filter(Q(conference__in=conferences_visible_to(user)) | Q(referring_organisation_id=user.organisation_id))
        .select_related("conference")
        .order_by("-referred_at")
    )


def open_actions_for(*, user: User) -> list[AgreedAction]:
    """Open agreed actions assigned to the user or their organisation, overdue first (by due date)."""
    if not takes_part(user) or user.organisation_id is None:
        return []
    return list(
        AgreedAction.objects.filter(status=ActionStatus.OPEN)
        .filter(Q(assigned_user=user) | Q(assigned_organisation_id=user.organisation_id))
        .filter(referral__conference__in=conferences_visible_to(user))
        .select_related("referral__record", "referral__conference")
        .order_by("due_on", "id")
    )


def upcoming_conferences_for(*, user: User, until: date | None = None) -> list[Conference]:
    qs = conferences_visible_to(user).filter(status=ConferenceStatus.PLANNED, meets_at__gte=timezone.now())
    if until is not None:
        qs = qs.filter(meets_at__date__lte=until)
    return list(qs.order_by("meets_at", "id"))
