"""The register of trigger events (/tension/events/): kept by the hub and the advisory group
(partner managers too, not a matrix persona), read by analysts, supervisors and system
administrators as well; every other role is told its role does not (403)."""

from __future__ import annotations

from tests.matrix.expectations import ACCEPTED, FORBIDDEN, OK, Expect, only

KEEPERS = ("hub_reviewer", "scrutiny_member")
READERS = (*KEEPERS, "analyst", "supervisor", "system_admin")

EXPECTATIONS = {
    "tension:events": {"": Expect(get=only(READERS, OK, others=FORBIDDEN))},
    "tension:event-new": {"": Expect(get=only(KEEPERS, OK, others=FORBIDDEN), write=only(KEEPERS, ACCEPTED, others=FORBIDDEN))},
}
