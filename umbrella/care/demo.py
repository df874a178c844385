"""Demo data for victim care: timers on recent hate crimes (due today, overdue, met by contacts)
and referrals from the demo force to the victim service and a council (sent, accepted, declined).

Idempotent: once the demo force has sent referrals, nothing more is added.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from umbrella.accounts.models import Role, User
from umbrella.agencies.models import Organisation
from umbrella.care.models import ContactMethod, Referral, Timer, TimerKind, TimerStatus
from umbrella.care.services import (
    referral_accept,
    referral_create,
    referral_decline,
    victim_care_ensure,
    victim_contact_record,
)
from umbrella.cases.models import Record, RecordKind, RecordStatus
from umbrella.consent.models import ConsentDecision, ConsentMethod, ConsentScope
from umbrella.consent.services import consent_capture

CARE_CASES = 24
WORDS = "Can we pass your details to a support service so they can contact you?"


def _user(organisation: Organisation, role: str) -> User | None:
    return User.objects.filter(organisation=organisation, role=role, is_active=True).order_by("pk").first()


def load_demo(*, seed: int, now: datetime) -> str:
    force = Organisation.objects.filter(slug="mps").first()
    service = Organisation.objects.filter(slug="harbour").first()
    council = Organisation.objects.filter(slug="eastside").first()
    if force is None:
        return "care: no demo force, nothing added"
    if Referral.objects.filter(from_organisation=force).exists():
        return "care: demo victim care already loaded"
    officer = _user(force, Role.OFFICER)
    if officer is None:
        return "care: no demo officer, nothing added"
    rng = random.Random(seed)
    records = list(
        Record.objects.filter(organisation=force, kind=RecordKind.HATE_CRIME)
        .exclude(status__in=(RecordStatus.DRAFT, RecordStatus.CLOSED))
        .select_related("organisation").order_by("-reported_at", "-pk")[:CARE_CASES]
    )
    contacts = 0
    for index, record in enumerate(records):
        victim_care_ensure(record=record)
        timers = Timer.objects.filter(record=record, kind=TimerKind.PROGRESS_UPDATE, status=TimerStatus.OPEN)
        if index % 4 == 0:  # due later today
            timers.update(due_at=now.replace(hour=17, minute=0, second=0, microsecond=0) if now.hour < 17 else now + timedelta(hours=1))
        elif index % 4 == 1:  # overdue
            Timer.objects.filter(record=record, kind=TimerKind.REFERRAL).update(
                due_at=now - timedelta(days=rng.randint(1, 4)), status=TimerStatus.MISSED, missed_at=now)
        elif index % 4 == 2:  # met by a contact
            victim_contact_record(actor=officer, record=record, method=ContactMethod.PHONE,
                                  summary="Called the victim with an update on the investigation.",
                                  contacted_at=now - timedelta(hours=rng.randint(1, 48)))
            contacts += 1
        else:  # coming up this week
            timers.update(due_at=now + timedelta(days=rng.randint(1, 6)))
    referrals = 0
    targets = [(service, ConsentScope.VICTIM_SUPPORT_REFERRAL), (council, ConsentScope.PARTNER_REFERRAL)]
    for index, record in enumerate(records[:8]):
        destination, scope = targets[index % 2]
        if destination is None:
            continue
        consent_capture(actor=officer, organisation=force, scope=scope, decision=ConsentDecision.GIVEN,
                        method=ConsentMethod.PHONE, words_shown=WORDS, record=record)
        referral = referral_create(actor=officer, record=record, to_organisation=destination,
                                   reason="Victim asked for support after repeated abuse near home.")
        referrals += 1
        responder = _user(destination, Role.PARTNER_CASEWORKER) or _user(destination, Role.PARTNER_MANAGER)
        if responder is None:
            continue
        if index in (0, 1, 4):
            referral_accept(actor=responder, referral=referral)
        elif index == 5:
            referral_decline(actor=responder, referral=referral, reason="The victim lives outside our area.")
    sent = Referral.objects.filter(from_organisation=force).count()
    return f"care: victim care on {len(records)} records, {contacts} contacts, {referrals} referrals ({sent} from the force)"
