"""Conferences made through the real services, so scoping, encryption and audit apply."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation
from umbrella.cases.models import Record
from umbrella.conferences import services
from umbrella.conferences.models import Conference, ConferenceReferral


def make_conference(
    *,
    host_user: User,
    attending: list[Organisation] | None = None,
    title: str = "Westminster risk conference",
    meets_at: datetime | None = None,
) -> Conference:
    conference = services.conference_create(
        actor=host_user, title=title, meets_at=meets_at or timezone.now() + timedelta(days=7),
        location="Charing Cross police station, room 4",
    )
    for organisation in attending or []:
        services.attendee_add(actor=host_user, conference=conference, organisation=organisation)
    return conference


def refer(
    *,
    actor: User,
    record: Record,
    conference: Conference | None,
    criteria: list[str] | None = None,
    rationale: str = "Victim targeted three times this month; escalating abuse.",
    summary: str = "Repeated racist abuse at home address; victim frightened to go out.",
) -> ConferenceReferral:
    return services.referral_create(
        actor=actor, record=record, conference=conference, criteria=criteria if criteria is not None else ["professional_judgement"],
        rationale=rationale, summary=summary,
    )
