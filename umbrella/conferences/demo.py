"""Demo risk conferences: one held last month (minutes approved, actions agreed, one done) and one
planned for next week with four referred cases and partners from the force, a victim service, the
council and a housing provider. Idempotent: nothing is added when the demo conferences exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from umbrella.accounts.models import User
from umbrella.agencies.models import Organisation
from umbrella.cases.models import PersonRole, Record, RecordPerson, RecordStatus
from umbrella.conferences import services
from umbrella.conferences.models import Conference, ConferenceStatus, Criterion, ReferralStatus
from umbrella.conferences.risk import latest_risk_level

HELD_TITLE = "Haringey hate crime risk conference (last month)"
PLANNED_TITLE = "Haringey hate crime risk conference (next week)"
BOROUGH = "E09000014"
PARTNERS = (("harbour", "caseworker.harbour", "Victim service caseworker"),
            ("eastside", "caseworker.eastside", "Council community safety officer"),
            ("thameside", "caseworker.thameside", "Housing officer"))


def _at_ten(moment: datetime) -> datetime:
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


def _candidates(force: Organisation, *, before: datetime, limit: int,
                excluding: Sequence[Record] = ()) -> list[Record]:
    """The newest cases with a victim reported before ``before``, Haringey first. ``excluding`` keeps
    out cases already chosen: when the data ends more than a month ago, "before last month" and
    "before two days ago" give the same newest records, and a case can be referred to a conference
    only once."""
    has_victim = Exists(RecordPerson.objects.filter(record=OuterRef("pk"), role=PersonRole.VICTIM))
    base = Record.objects.filter(
        organisation=force, status__in=[RecordStatus.RECORDED, RecordStatus.UNDER_INVESTIGATION],
        reported_at__lt=before,
    ).filter(has_victim).exclude(pk__in=[r.pk for r in excluding]).order_by("-reported_at", "-id")
    chosen = list(base.filter(borough__code=BOROUGH)[:limit])
    if len(chosen) < limit:
        chosen += list(base.exclude(pk__in=[r.pk for r in chosen])[: limit - len(chosen)])
    return chosen


def _criteria_for(officer: User, record: Record) -> tuple[list[str], str]:
    if latest_risk_level(user=officer, record=record) == "high":
        return [Criterion.HIGH_RISK], ""
    return [Criterion.PROFESSIONAL_JUDGEMENT], "Repeated targeting at home; victim reports feeling unsafe going out."


@transaction.atomic
def load_demo(*, seed: int, now: datetime) -> str:
    if Conference.objects.filter(title__in=[HELD_TITLE, PLANNED_TITLE]).exists():
        return "Risk conferences: already loaded"
    users = {u.username: u for u in User.objects.filter(
        username__in=["officer", "supervisor", *(p[1] for p in PARTNERS)])}
    officer, supervisor = users.get("officer"), users.get("supervisor")
    if officer is None or supervisor is None or officer.organisation is None:
        return "Risk conferences: skipped (demo personas missing)"
    force = officer.organisation
    partners = [(Organisation.objects.get(slug=slug), users.get(username), note) for slug, username, note in PARTNERS]

    def conference(title: str, meets_at: datetime) -> Conference:
        made = services.conference_create(
            actor=officer, title=title, meets_at=meets_at, borough_code=BOROUGH,
            location="Tottenham police station, conference room 2", is_online=True,
        )
        for organisation, user, note in partners:
            services.attendee_add(actor=officer, conference=made, organisation=organisation, user=user,
                                  role_note=note, attended=meets_at < now)
        return made

    # Last month's conference: two cases discussed, actions agreed, minutes approved.
    held_at = _at_ten(now - timedelta(days=30))
    held = conference(HELD_TITLE, held_at)
    held_records = _candidates(force, before=held_at - timedelta(days=3), limit=2)
    harbour, thameside = partners[0][0], partners[2][0]
    for index, record in enumerate(held_records):
        criteria, rationale = _criteria_for(officer, record)
        referral = services.referral_create(
            actor=officer, record=record, conference=held, criteria=criteria, rationale=rationale,
            summary="Victim targeted repeatedly near home; neighbours involved.", now=held_at - timedelta(days=5),
        )
        services.referral_change_status(actor=officer, referral=referral, status=ReferralStatus.LISTED)
        partner_user = partners[index % len(partners)][1]
        if partner_user is not None:
            services.information_add(actor=partner_user, referral=referral,
                                     text="Known to our service; support worker allocated and in weekly contact.")
        action = services.action_agree(
            actor=officer, referral=referral, description="Fit a video doorbell and letterbox guard",
            assigned_organisation=thameside, due_on=(held_at + timedelta(days=14)).date(),
        )
        if index == 0 and users.get("caseworker.thameside") is not None:
            services.action_complete(actor=users["caseworker.thameside"], action=action)
        services.action_agree(
            actor=officer, referral=referral, description="Offer a referral to the victim service",
            assigned_organisation=harbour, due_on=(now + timedelta(days=2 + index * 5)).date(),
        )
        services.referral_change_status(actor=officer, referral=referral, status=ReferralStatus.DISCUSSED)
    services.minutes_save(
        actor=officer, conference=held,
        text="Present: police (chair), victim service, council, housing.\n"
             "Each case was discussed; actions were agreed as listed. Next conference in one month.",
    )
    services.minutes_approve(actor=supervisor, conference=held)
    services.conference_change_status(actor=officer, conference=held, status=ConferenceStatus.HELD)

    # Next week's conference: a repeat from last month and three new cases.
    planned = conference(PLANNED_TITLE, _at_ten(now + timedelta(days=7)))
    referred = 0
    if held_records:
        services.referral_create(
            actor=officer, record=held_records[0], conference=planned, criteria=[Criterion.REPEAT],
            summary="Further incident since last month's conference.", now=now - timedelta(days=1),
        )
        referred += 1
    for record in _candidates(force, before=now - timedelta(days=2), limit=3, excluding=held_records):
        criteria, rationale = _criteria_for(officer, record)
        services.referral_create(
            actor=officer, record=record, conference=planned, criteria=criteria, rationale=rationale,
            summary="Hate-motivated abuse on the estate; victim has asked for a housing move.",
            now=now - timedelta(days=2),
        )
        referred += 1
    return f"Risk conferences: 2 ({len(held_records)} cases discussed last month, {referred} referred for next week)"
