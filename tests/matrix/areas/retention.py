"""Retention reviews and the disposal register: the record's own organisation's supervisors,
partner managers and administrators; every other role is told its role does not (403). A review
of another organisation's record is not found (tests/retention/test_views.py)."""

from __future__ import annotations

from tests.matrix.expectations import ACCEPTED, FORBIDDEN, OK, Expect, only

REVIEWERS = ("supervisor", "org_admin")


def a_force_review(m: object) -> dict[str, int]:
    from umbrella.retention.models import RetentionReview, RetentionRule

    record = m.force_record  # type: ignore[attr-defined]
    rule = RetentionRule.objects.filter(record_kind=record.kind, superseded_at=None).first()
    review, _ = RetentionReview.objects.get_or_create(record=record, status="open", defaults={
        "rule": rule, "due_on": record.reported_at.date()})
    return {"review_id": review.pk}


EXPECTATIONS = {
    "retention:reviews": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN))},
    "retention:review": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN),
                                    write=only(REVIEWERS, ACCEPTED, others=FORBIDDEN), kwargs=a_force_review)},
    "retention:register": {"": Expect(get=only(REVIEWERS, OK, others=FORBIDDEN))},
}
