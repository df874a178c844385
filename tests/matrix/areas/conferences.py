"""Risk conferences (/conferences/): who gets in.

The conference is the force's (hosted by the officer), attended by the centre; the force's record
is on its agenda with an action assigned to the centre. Taking-part roles of the host and of the
attending centre see it; everyone else gets 404 on every conference address. Organising (status,
attendees, agenda status, actions, minutes) is for the host's officers and supervisors: the hub
reviewer and the centre's caseworker see the conference but are refused (403).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    LOGIN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Expect,
    every,
    only,
)
from tests.matrix.fixtures import MatrixWorld

TITLE = "Matrix risk conference"
PARTICIPANTS = ("officer", "hub_reviewer", "caseworker", "other_caseworker", "outsider", "supervisor")
ORGANISER_ROLES = ("officer", "outsider", "supervisor")  # may set up a conference of their own
ATTENDING = ("officer", "hub_reviewer", "caseworker", "supervisor")  # host's and centre's participants
HOST_ORGANISERS = ("officer", "supervisor")
SEE_BUT_NOT_ORGANISE = {"hub_reviewer": FORBIDDEN, "caseworker": FORBIDDEN}


def arrange(m: MatrixWorld) -> None:
    from umbrella.conferences import services

    conference = services.conference_create(
        actor=m.world.officer, title=TITLE, meets_at=timezone.now() + timedelta(days=7), location="Room 4"
    )
    services.attendee_add(actor=m.world.officer, conference=conference, organisation=m.world.centre)
    referral = services.referral_create(
        actor=m.world.officer, record=m.force_record, conference=conference, criteria=["professional_judgement"],
        rationale="Escalating", summary="Summary for partners",
    )
    services.action_agree(
        actor=m.world.officer, referral=referral, description="Visit", assigned_organisation=m.world.centre,
        due_on=timezone.localdate() + timedelta(days=3),
    )


def conference_id(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.conferences.models import Conference

    return {"conference_id": Conference.objects.get(title=TITLE).pk}


def referral_id(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.conferences.models import ConferenceReferral

    return {"referral_id": ConferenceReferral.objects.get(conference__title=TITLE).pk}


def action_id(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.conferences.models import AgreedAction

    return {"action_id": AgreedAction.objects.get(referral__conference__title=TITLE).pk}


def read(kwargs: Any) -> Expect:
    return Expect(get=only(ATTENDING, OK, others=NOT_FOUND), kwargs=kwargs, arrange=arrange)


def organise(kwargs: Any) -> Expect:
    return Expect(
        get=only(HOST_ORGANISERS, OK, others=NOT_FOUND, **SEE_BUT_NOT_ORGANISE),
        write=only(HOST_ORGANISERS, ACCEPTED, others=NOT_FOUND, **SEE_BUT_NOT_ORGANISE),
        kwargs=kwargs, arrange=arrange,
    )


def refer(which: str) -> Expect:
    readers = ("caseworker",) if which == "centre" else ("officer", "hub_reviewer", "supervisor")
    non_participants = {p: FORBIDDEN for p in ("analyst", "scrutiny_member", "org_admin", "system_admin")}

    def kwargs(m: MatrixWorld) -> dict[str, Any]:
        return {"record_id": (m.centre_record if which == "centre" else m.force_record).pk}

    return Expect(
        get=only(readers, OK, others=NOT_FOUND, **non_participants),
        write=only(readers, ACCEPTED, others=NOT_FOUND, **non_participants),
        kwargs=kwargs,
        reveals=frozenset(readers) if which == "centre" else frozenset(),
    )


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "conferences:list": {"": Expect(get=only(PARTICIPANTS, OK, others=FORBIDDEN), arrange=arrange)},
    "conferences:create": {"": Expect(
        get=only(ORGANISER_ROLES, OK, others=FORBIDDEN), write=only(ORGANISER_ROLES, ACCEPTED, others=FORBIDDEN),
    )},
    "conferences:detail": {"": read(conference_id)},
    "conferences:agenda": {"": read(conference_id)},
    "conferences:agenda-pdf": {"": read(conference_id)},
    "conferences:minutes-pdf": {"": read(conference_id)},
    "conferences:minutes": {"": Expect(
        get=only(ATTENDING, OK, others=NOT_FOUND),
        write=only(HOST_ORGANISERS, ACCEPTED, others=NOT_FOUND, **SEE_BUT_NOT_ORGANISE),
        kwargs=conference_id, arrange=arrange,
    )},
    # Approving is a POST only; the host's chair (the officer) and supervisors may.
    "conferences:minutes-approve": {"": Expect(
        get=every(NOT_ALLOWED, anonymous=LOGIN),
        write=only(HOST_ORGANISERS, ACCEPTED, others=NOT_FOUND, **SEE_BUT_NOT_ORGANISE),
        kwargs=conference_id, arrange=arrange,
    )},
    "conferences:status": {"": organise(conference_id)},
    "conferences:attendee-add": {"": organise(conference_id)},
    "conferences:referral-status": {"": organise(referral_id)},
    "conferences:action-add": {"": organise(referral_id)},
    "conferences:information-add": {"": Expect(
        get=only(ATTENDING, OK, others=NOT_FOUND), write=only(ATTENDING, ACCEPTED, others=NOT_FOUND),
        kwargs=referral_id, arrange=arrange,
    )},
    # The action is the centre's: its caseworker completes it, and the host's organisers may.
    "conferences:action-complete": {"": Expect(
        get=only(("caseworker", *HOST_ORGANISERS), OK, others=NOT_FOUND, hub_reviewer=FORBIDDEN),
        write=only(("caseworker", *HOST_ORGANISERS), ACCEPTED, others=NOT_FOUND, hub_reviewer=FORBIDDEN),
        kwargs=action_id, arrange=arrange,
    )},
    "conferences:refer": {"centre record": refer("centre"), "force record": refer("force")},
}
