"""Permission matrix rows for the care app (/care/): worklist, alerts, referrals, victim care."""

from __future__ import annotations

from typing import Any

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    FORCE_RECORD_READERS,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    READERS,
    UNAUTHORISED,
    WRITERS,
    Expect,
    both_records,
    every,
    only,
    web_record_write,
)
from tests.matrix.fixtures import MatrixWorld


def _refer_force_record_to_centre(m: MatrixWorld) -> None:
    from tests.care.factories import give_consent
    from umbrella.care.services import referral_create
    from umbrella.consent.models import ConsentScope

    give_consent(actor=m.world.officer, record=m.force_record, scope=ConsentScope.CENTRE_CONTACT)
    referral_create(actor=m.world.officer, record=m.force_record, to_organisation=m.world.centre, reason="Support")


def _referral(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.care.models import Referral

    return {"pk": Referral.objects.get().pk}


def _alert_for_force_supervisors(m: MatrixWorld) -> None:
    from umbrella.accounts.models import Role
    from umbrella.care.models import Alert

    Alert.objects.create(organisation=m.world.force, role=Role.SUPERVISOR, message="Referral made without consent")


def _alert(m: MatrixWorld) -> dict[str, Any]:
    from umbrella.care.models import Alert

    return {"pk": Alert.objects.get().pk}


# Both sides of the referral can read it: the force that sent it, the centre that received it.
REFERRAL_READERS = (*FORCE_RECORD_READERS, "caseworker")
POST_ONLY = every(NOT_ALLOWED)


def _answer(*, get: bool) -> Expect:
    # Only the receiving centre's caseworker answers; the sender's readers see it but are refused.
    table = only(("caseworker",), OK if get else ACCEPTED, others=NOT_FOUND,
                 **dict.fromkeys(FORCE_RECORD_READERS, FORBIDDEN))
    return Expect(
        get=table if get else POST_ONLY,
        write=only(("caseworker",), ACCEPTED, others=NOT_FOUND, **dict.fromkeys(FORCE_RECORD_READERS, FORBIDDEN)),
        kwargs=_referral, arrange=_refer_force_record_to_centre,
    )


EXPECTATIONS: dict[str, dict[str, Expect]] = {
    "care:worklist": {"": Expect(get=only(READERS, OK, others=FORBIDDEN), write=POST_ONLY)},
    "care:alert-read": {"": Expect(
        get=POST_ONLY, write=only(("supervisor",), ACCEPTED, others=NOT_FOUND),
        kwargs=_alert, arrange=_alert_for_force_supervisors,
    )},
    "care:referral-create": both_records(web_record_write),
    "care:contact-create": both_records(web_record_write),
    "care:key-event-create": both_records(web_record_write),
    "care:eligibility": both_records(web_record_write),
    "care:referrals-incoming": {"": Expect(get=only(READERS, OK, others=FORBIDDEN), write=POST_ONLY)},
    "care:referral-detail": {"": Expect(
        get=only(REFERRAL_READERS, OK, others=NOT_FOUND), write=POST_ONLY,
        kwargs=_referral, arrange=_refer_force_record_to_centre,
    )},
    "care:referral-accept": {"": _answer(get=False)},
    "care:referral-decline": {"": _answer(get=True)},
    "care:referral-close": {"": _answer(get=True)},
    # The API: 401 signed out; roles that never write are refused (403) before the body is read;
    # writers' empty JSON body is a 400 (tests/care/test_referrals.py gets 400, 403 and 201).
    "care-api:referral-create": {"": Expect(
        get=every(NOT_ALLOWED, anonymous=UNAUTHORISED),
        write=only(WRITERS, ACCEPTED, others=FORBIDDEN, anonymous=UNAUTHORISED),
    )},
}
