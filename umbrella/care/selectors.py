"""Reads of the care app, scoped to the user: referrals, alerts, the record panel, worklist items."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from umbrella.accounts.policy import has_role
from umbrella.audit.reads import decrypts
from umbrella.care import models as care_models
from umbrella.care.models import (
    UNMET_STATUSES,
    Alert,
    Referral,
    ReferralStatus,
    Timer,
    TimerKind,
    TimerStatus,
    VictimCare,
    VictimCodeEvent,
    VictimContact,
)
from umbrella.care.policy import can_use_worklist
from umbrella.cases.models import Record, RecordKind
from umbrella.cases.policy import PSEUDONYMISED_READERS, can_read_records
from umbrella.cases.selectors import can_change_record
from umbrella.core.extensions import BoardMeasure, RecordPanel
from umbrella.core.worklist import WORKLIST_HORIZON_DAYS, WorkItem
from umbrella.crypto.fields import decrypt

if TYPE_CHECKING:
    from umbrella.accounts.models import User

# Each provider answers with at most this many items (the soonest due first).
WORKLIST_PROVIDER_LIMIT = 500


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Referrals the user's organisation received (any reader), or sent on records the user can see."""
    if not can_read_records(user):
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(to_organisation_id=user.organisation_id)
        | Q(from_organisation_id=user.organisation_id, record__in=Record.objects.visible_to(user))
    )


def referral_get(*, user: User, referral_id: int) -> Referral:
    return referrals_visible_to(user).select_related(
        "record", "from_organisation", "to_organisation", "created_by", "responded_by", "closed_by", "overridden_by",
        "consent__organisation",
    ).get(pk=referral_id)


def referrals_incoming(*, user: User) -> list[Referral]:
    if not can_read_records(user):
        return []
    return list(
        Referral.objects.filter(to_organisation_id=user.organisation_id)
        .select_related("record", "from_organisation")
        .order_by("status", "sla_due_at", "id")[:200]
    )


@dataclass(frozen=True)
class ReferralView:
    referral: Referral
    reason: str
    override_reason: str
    decline_reason: str
    outcome: str


@decrypts
def referral_view(*, user: User, referral: Referral) -> ReferralView:
    """The referral's reasons and outcome, decrypted for ``user`` (who must already be allowed it:
    the view found the referral through their scope); the read is audited as theirs."""
    return ReferralView(
        referral=referral,
        reason=decrypt(referral.reason, column=care_models.REASON_COLUMN),
        override_reason=decrypt(referral.override_reason, column=care_models.OVERRIDE_COLUMN),
        decline_reason=decrypt(referral.decline_reason, column=care_models.DECLINE_COLUMN),
        outcome=decrypt(referral.outcome, column=care_models.OUTCOME_COLUMN),
    )


def alerts_for(user: User) -> QuerySet[Alert]:
    """Unread alerts for the user, or for their role in their organisation."""
    if user.organisation_id is None or not user.is_authenticated:
        return Alert.objects.none()
    return Alert.objects.filter(read_at__isnull=True).filter(
        Q(recipient_id=user.pk) | Q(organisation_id=user.organisation_id, role=user.role)
    )


# ---------------------------------------------------------------------------
# Record panel
# ---------------------------------------------------------------------------


@dataclass
class ContactView:
    contact: VictimContact
    summary: str


@dataclass
class CarePanel:
    record: Record
    care: VictimCare | None
    timers: list[Timer]
    contacts: list[ContactView]
    events: list[VictimCodeEvent]
    referrals: list[Referral]
    can_change: bool
    eligibility_prompt: bool = False
    suggest_vulnerable: bool = False
    own: bool = True
    notes: list[str] = field(default_factory=list)


def _risk_is_high(user: User, record: Record) -> bool:
    try:
        from umbrella.risk.selectors import latest_assessment  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return False
    try:
        with transaction.atomic():  # a savepoint: a failure inside must not spoil the page's transaction
            assessment = latest_assessment(user=user, record=record)
    except Exception:  # noqa: BLE001 - RISK is built alongside; its failure must not break the record page
        return False
    return getattr(assessment, "level", None) == "high"


@decrypts
def care_panel(user: User, record: Record) -> CarePanel | None:
    if not can_read_records(user):
        return None
    if record.organisation_id != user.organisation_id:
        # Another organisation's record (shared with us): only the referrals it sent us.
        referrals = list(
            Referral.objects.filter(record=record, to_organisation_id=user.organisation_id).select_related("to_organisation")
        )
        if not referrals:
            return None
        return CarePanel(record=record, care=None, timers=[], contacts=[], events=[], referrals=referrals,
                         can_change=False, own=False)
    care = VictimCare.objects.filter(record=record).first()
    timers = list(Timer.objects.filter(record=record).exclude(status="cancelled").order_by("due_at", "id"))
    show_text = not has_role(user, PSEUDONYMISED_READERS)
    contacts = [
        ContactView(contact, decrypt(contact.summary, column=care_models.SUMMARY_COLUMN) if show_text else "")
        for contact in VictimContact.objects.filter(record=record).select_related("contacted_by")[:20]
    ]
    events = list(VictimCodeEvent.objects.filter(record=record)[:20])
    referrals = list(Referral.objects.filter(record=record).select_related("to_organisation"))
    if care is None and not timers and not contacts and not referrals and record.kind != RecordKind.HATE_CRIME:
        return None
    undecided = care is None or not care.eligibility_decided
    return CarePanel(
        record=record, care=care, timers=timers, contacts=contacts, events=events, referrals=referrals,
        can_change=can_change_record(user, record),
        eligibility_prompt=undecided and record.kind == RecordKind.HATE_CRIME,
        suggest_vulnerable=(care is None or not care.vulnerable_or_intimidated) and _risk_is_high(user, record),
    )


def record_panel(user: User, record: Record) -> RecordPanel | None:
    panel = care_panel(user, record)
    if panel is None:
        return None
    return RecordPanel(template="care/panel.html", context={"care": panel}, order=40)


# ---------------------------------------------------------------------------
# Worklist providers (registered in CareConfig.ready)
# ---------------------------------------------------------------------------

TIMER_TITLES: dict[str, str] = {
    TimerKind.REFERRAL: "Refer the victim to victim services",
    TimerKind.KEY_EVENT_UPDATE: "Tell the victim about a key event",
    TimerKind.PROGRESS_UPDATE: "Give the victim a progress update",
}


def timer_work_items(user: User) -> list[WorkItem]:
    """Unmet Victims' Code timers of the user's organisation's records they can see, due within a week or overdue."""
    if not can_use_worklist(user) or user.organisation_id is None:
        return []
    horizon = timezone.now() + timedelta(days=WORKLIST_HORIZON_DAYS)
    rows = (
        Timer.objects.filter(
            organisation_id=user.organisation_id, met_at__isnull=True, status__in=UNMET_STATUSES, due_at__lte=horizon,
            record__in=Record.objects.visible_to(user),
        )
        .order_by("due_at", "id")
        .values_list("kind", "due_at", "assignee_id", "team_id", "organisation_id", "record_id", "record__reference")
        [:WORKLIST_PROVIDER_LIMIT]
    )
    items = []
    for kind, due_at, assignee_id, team_id, organisation_id, record_id, reference in rows:
        items.append(WorkItem(
            kind="Victim update" if kind != TimerKind.REFERRAL else "Victim referral",
            title=TIMER_TITLES.get(kind, kind),
            url=reverse("cases:record-detail", args=[record_id]) + "#victim-care",
            due_at=due_at, assignee_id=assignee_id, team_id=team_id, organisation_id=organisation_id,
            record_reference=reference,
        ))
    return items


def referral_work_items(user: User) -> list[WorkItem]:
    """Referrals sent to the user's organisation and not yet answered."""
    if not can_use_worklist(user) or user.organisation_id is None:
        return []
    rows = (
        Referral.objects.filter(to_organisation_id=user.organisation_id, status=ReferralStatus.SENT)
        .order_by("sla_due_at", "id")
        .values_list("pk", "sla_due_at", "from_organisation__name", "record__reference")[:WORKLIST_PROVIDER_LIMIT]
    )
    return [
        WorkItem(
            kind="Referral", title=f"Accept or decline referral REF-{pk} from {sender}",
            url=reverse("care:referral-detail", args=[pk]), due_at=due_at,
            organisation_id=user.organisation_id, record_reference=reference,
        )
        for pk, due_at, sender, reference in rows
    ]


def worklist_context_extras(user: User) -> dict[str, Any]:
    return {"alerts": list(alerts_for(user).order_by("-created_at")[:50])}


def board_measures(record_ids: Any) -> list[BoardMeasure]:
    """For the scrutiny board: the Victims' Code timers due so far, met on time, by kind; and the
    referrals made, answered within their two working days, accepted and declined."""
    now = timezone.now()
    timers = (
        Timer.objects.filter(record_id__in=record_ids, due_at__lte=now).exclude(status=TimerStatus.CANCELLED)
        .values("kind").annotate(due=Count("pk"), on_time=Count("pk", filter=Q(met_at__lte=F("due_at"))))
    )
    by_kind = {row["kind"]: row for row in timers}
    measures = [
        BoardMeasure("Victims' Code", f"{label}: on time", int(by_kind.get(kind, {}).get("on_time", 0)),
                     int(by_kind.get(kind, {}).get("due", 0)), "of those due so far")
        for kind, label in TimerKind.choices
    ]
    referrals = Referral.objects.filter(record_id__in=record_ids).aggregate(
        made=Count("pk"), answered_in_time=Count("pk", filter=Q(responded_at__lte=F("sla_due_at"))),
        accepted=Count("pk", filter=Q(status__in=(ReferralStatus.ACCEPTED, ReferralStatus.CLOSED))),
        declined=Count("pk", filter=Q(status=ReferralStatus.DECLINED)),
    )
    return [*measures,
            BoardMeasure("Referrals", "Answered within two working days", referrals["answered_in_time"], referrals["made"],
                         "of the referrals made"),
            BoardMeasure("Referrals", "Accepted", referrals["accepted"], referrals["made"]),
            BoardMeasure("Referrals", "Declined", referrals["declined"], referrals["made"])]


def open_referral_blockers(records: Any) -> dict[int, str]:
    """Why referrals keep each of the records alive at its retention review (records with none left out)."""
    waiting = (Referral.objects.filter(record__in=records, status__in=(ReferralStatus.SENT, ReferralStatus.ACCEPTED))
               .values("record_id").annotate(n=Count("id")))
    return {row["record_id"]: f"{row['n']} referral{'s are' if row['n'] != 1 else ' is'} still open" for row in waiting}
