"""Outcome pages (/outcomes/): a police force's record writers record the outcome of its crimes.
A centre's record has no Home Office outcome, so even its own caseworker, who can see it, is refused."""

from __future__ import annotations

from tests.matrix.expectations import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    UNAUTHORISED,
    Expect,
    api_record_write,
    both_records,
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


EXPECTATIONS = {
    "outcomes-api:record-outcomes": both_records(api_outcomes),
    "outcomes-api:record-charging-decisions": both_records(api_outcomes),
    "outcomes-api:record-court-results": both_records(api_outcomes),
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
