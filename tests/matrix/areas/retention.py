"""Retention reviews and the disposal register: the record's own organisation's supervisors,
partner managers and administrators; every other role is told its role does not (403). A review
of another organisation's record is not found (tests/retention/test_views.py)."""

from __future__ import annotations

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    Expect,
    every,
    only,
)

REVIEWERS = ("supervisor", "org_admin")


def a_force_review(m: object) -> dict[str, int]:
    from umbrella.retention.models import RetentionReview, RetentionRule

    record = m.force_record  # type: ignore[attr-defined]
    rule = RetentionRule.objects.filter(record_kind=record.kind, superseded_at=None).first()
    if rule is None:
        # The default rules come from a data migration, which a transactional test's flush (the
        # live-server tests) removes for the tests that run after it in the same worker.
        rule = RetentionRule.objects.create(record_kind=record.kind, review_after_months=72, basis="Matrix rule")
    review, _ = RetentionReview.objects.get_or_create(record=record, status="open", defaults={
        "rule": rule, "due_on": record.reported_at.date()})
    return {"review_id": review.pk}


EXPECTATIONS = {
    "retention:reviews": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN))},
    "retention:review": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN),
                                    write=only(REVIEWERS, ACCEPTED, others=FORBIDDEN), kwargs=a_force_review)},
    "retention:register": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN))},
    # The schedule is the system administrators' to keep; every other role is told so.
    "retention:schedule": {"": Expect(get=only(("system_admin",), OK, others=FORBIDDEN),
                                      write=only(("system_admin",), ACCEPTED, others=FORBIDDEN))},
}


def a_hold(m: object) -> dict[str, int]:
    from umbrella.retention.models import LegalHold

    record = m.force_record  # type: ignore[attr-defined]
    hold, _ = LegalHold.objects.get_or_create(record=record, lifted_at=None, defaults={
        "reason": "Civil claim", "placed_by": m.world.supervisor})  # type: ignore[attr-defined]
    return {"hold_id": hold.pk}


def the_force_record(m: object) -> dict[str, int]:
    return {"record_id": m.force_record.pk}  # type: ignore[attr-defined]


# Legal holds, placed and lifted from the record page (POST only) by the record's own organisation's
# reviewers who read its records: an organisation administrator does not read records, so for them
# the record is not found.
EXPECTATIONS["retention:hold-place"] = {"": Expect(
    get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
    write=only(("supervisor",), ACCEPTED, others=FORBIDDEN, org_admin=NOT_FOUND), kwargs=the_force_record)}
EXPECTATIONS["retention:hold-lift"] = {"": Expect(
    get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
    write=only(("supervisor",), ACCEPTED, others=FORBIDDEN, org_admin=NOT_FOUND), kwargs=a_hold)}
