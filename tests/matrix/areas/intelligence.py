"""Problem profiles and tactical assessments: made and read by analysts and supervisors, for their
own organisation; every other role is told its role does not (403), and another organisation's
product does not exist for them (404)."""

from __future__ import annotations

from tests.matrix.expectations import ACCEPTED, FORBIDDEN, NOT_ALLOWED, OK, Expect, every, only

PRODUCERS = ("analyst", "supervisor")


def a_force_profile(m: object) -> dict[str, int]:
    from datetime import date

    from umbrella.intelligence.models import ProblemProfile

    analyst = m.world.analyst  # type: ignore[attr-defined]
    profile, _ = ProblemProfile.objects.get_or_create(
        organisation_id=analyst.organisation_id, kind="problem_profile", area="london", strand="",
        first_month=date(2025, 1, 1), last_month=date(2025, 6, 1), defaults={"created_by": analyst},
    )
    return {"profile_id": profile.pk}


EXPECTATIONS = {
    "intelligence:profiles": {"": Expect(get=only(PRODUCERS, OK, others=FORBIDDEN),
                                         write=only(PRODUCERS, ACCEPTED, others=FORBIDDEN))},
    "intelligence:profile": {"": Expect(get=only(PRODUCERS, OK, others=FORBIDDEN), kwargs=a_force_profile)},
    "intelligence:profile-write": {"": Expect(get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
                                              write=only(PRODUCERS, ACCEPTED, others=FORBIDDEN), kwargs=a_force_profile)},
    "intelligence:profile-pdf": {"": Expect(get=only(PRODUCERS, OK, others=FORBIDDEN), kwargs=a_force_profile)},
    "intelligence:suspects": {"": Expect(get=only(PRODUCERS, OK, others=FORBIDDEN))},
}
