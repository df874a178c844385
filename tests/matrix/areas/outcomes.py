"""Outcome pages (/outcomes/): a police force's record writers record the outcome of its crimes.
A centre's record has no Home Office outcome, so even its own caseworker, who can see it, is refused."""

from __future__ import annotations

from tests.matrix.expectations import (
    FORBIDDEN,
    Expect,
    both_records,
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


EXPECTATIONS = {
    "outcomes:outcome-add": {
        **both_records(outcome_write),
        "centre record shared anonymised": shared_write(outcome_write("centre")),
    },
}
