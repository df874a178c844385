"""Outcome pages (/outcomes/): a police force's record writers record the outcome of its crimes.
A centre's record has no Home Office outcome, so even its own caseworker, who can see it, is refused."""

from __future__ import annotations

from typing import Any

from tests.matrix.expectations import (
    ACCEPTED,
    FORBIDDEN,
    NOT_ALLOWED,
    NOT_FOUND,
    OK,
    UNAUTHORISED,
    Expect,
    api_record_write,
    both_records,
    every,
    only,
    readers_of,
    shared_write,
    web_record_write,
)


def outcome_write(which: str) -> Expect:
    base = web_record_write(which)
    if which == "force":
        return base
    assert base.write is not None
    return Expect(get={**base.get, "caseworker": FORBIDDEN}, write={**base.write, "caseworker": FORBIDDEN},
                  kwargs=base.kwargs)


def api_outcomes(which: str) -> Expect:
    """GET the history: the record's readers; POST: as the page, on the API's terms (401 signed out)."""
    base = api_record_write(which)
    assert base.write is not None
    write = base.write if which == "force" else {**base.write, "caseworker": FORBIDDEN}
    return Expect(get=only(readers_of(which), OK, others=NOT_FOUND, anonymous=UNAUTHORISED), write=write,
                  kwargs=base.kwargs)


def review_of_force_record(m: Any) -> dict[str, Any]:
    """A Victims' Right to Review request on the force's crime, after a decision not to charge."""
    from datetime import timedelta

    from django.utils import timezone

    from umbrella.outcomes.models import RightToReviewRequest
    from umbrella.outcomes.services import charging_decision_record, right_to_review_request

    found = RightToReviewRequest.objects.filter(record=m.force_record).first()
    if found is None:
        crime = m.force_record
        decided_on = max(timezone.localtime(crime.occurred_from or crime.reported_at).date(), timezone.localdate() - timedelta(days=1))
        charging_decision_record(actor=m.world.officer, record=crime, decision="nfa_evidential", decided_by="police",
                                 decided_on=decided_on)
        found = right_to_review_request(actor=m.world.officer, record=crime, scheme="police", requested_on=decided_on)
    return {"review_id": found.pk}


def with_review(base: Expect) -> Expect:
    return Expect(get=base.get, write=base.write, method=base.method, kwargs=review_of_force_record)


EXPECTATIONS = {
    "outcomes-api:record-right-to-review": both_records(api_outcomes),
    "outcomes-api:right-to-review-result": {"force record's review": with_review(api_record_write("force"))},
    "outcomes:review-request": {
        **both_records(outcome_write),
        "centre record shared anonymised": shared_write(outcome_write("centre")),
    },
    "outcomes:review-decide": {"force record's review": with_review(outcome_write("force"))},
    "outcomes-api:record-outcomes": both_records(api_outcomes),
    "outcomes-api:record-charging-decisions": both_records(api_outcomes),
    "outcomes-api:record-court-results": both_records(api_outcomes),
    "outcomes-api:record-court-hearings": both_records(api_outcomes),
    "outcomes:hearing-add": {
        **both_records(outcome_write),
        "centre record shared anonymised": shared_write(outcome_write("centre")),
    },
    "outcomes:court-add": {
        **both_records(outcome_write),
        "centre record shared anonymised": shared_write(outcome_write("centre")),
    },
    "outcomes:charging-add": {
        **both_records(outcome_write),
        "centre record shared anonymised": shared_write(outcome_write("centre")),
    },
    "outcomes:outcome-add": {
        **both_records(outcome_write),
        "centre record shared anonymised": shared_write(outcome_write("centre")),
    },
}

# The funnel counts what each reader may see: supervisors, analysts and the hub; others 403.
EXPECTATIONS["outcomes:funnel"] = {"": Expect(get=only(("supervisor", "analyst", "hub_reviewer"), OK, others=FORBIDDEN))}
EXPECTATIONS["outcomes-api:outcomes-funnel"] = {"": Expect(
    get=only(("supervisor", "analyst", "hub_reviewer"), OK, others=FORBIDDEN, anonymous=UNAUTHORISED)
)}
# Statistics: counts for the roles that read them; others are told their role does not (403).
EXPECTATIONS["statistics:dashboard"] = {"": Expect(
    get=only(("analyst", "supervisor", "hub_reviewer", "scrutiny_member", "system_admin"), OK, others=FORBIDDEN)
)}
EXPECTATIONS["statistics:pack"] = {"": Expect(
    get=only(("analyst", "supervisor", "hub_reviewer", "scrutiny_member", "system_admin"), OK, others=FORBIDDEN)
)}
EXPECTATIONS["statistics:standards"] = {"": Expect(
    get=only(("analyst", "supervisor", "hub_reviewer", "scrutiny_member", "system_admin"), OK, others=FORBIDDEN)
)}
# Open data: public pages for everyone, signed in or not; the matrix world has no published release.
EXPECTATIONS["open_data:index"] = {"": Expect(get=every(OK, anonymous=OK))}
EXPECTATIONS["open_data:methodology"] = {"": Expect(get=every(OK, anonymous=OK))}
EXPECTATIONS["open_data:datasets"] = {"": Expect(get=every(OK, anonymous=OK))}
EXPECTATIONS["open_data:table-csv"] = {"": Expect(get=every(NOT_FOUND, anonymous=NOT_FOUND),
                                                  kwargs=lambda m: {"number": 1, "table": "records-total"})}
EXPECTATIONS["open_data:table-json"] = {"": Expect(get=every(NOT_FOUND, anonymous=NOT_FOUND),
                                                   kwargs=lambda m: {"number": 1, "table": "records-total"})}
EXPECTATIONS["statistics-api:statistics-table"] = {"": Expect(
    get=only(("analyst", "supervisor", "hub_reviewer", "scrutiny_member", "system_admin"), OK, others=FORBIDDEN,
             anonymous=UNAUTHORISED)
)}
# Open data releases: analysts and supervisors see them and prepare; supervisors publish (none exists here).
EXPECTATIONS["statistics:releases"] = {"": Expect(get=only(("analyst", "supervisor"), OK, others=FORBIDDEN))}
EXPECTATIONS["statistics:release-new"] = {"": Expect(
    get=only(("analyst", "supervisor"), OK, others=FORBIDDEN),
    write=only(("analyst", "supervisor"), ACCEPTED, others=FORBIDDEN),
)}
EXPECTATIONS["statistics:release-publish"] = {"": Expect(
    get=every(NOT_ALLOWED),
    write=only(("supervisor",), NOT_FOUND, others=FORBIDDEN),
    kwargs=lambda m: {"number": 1},
)}
