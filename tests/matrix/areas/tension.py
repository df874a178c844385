"""The register of trigger events (/tension/events/): kept by the hub and the advisory group
(partner managers too, not a matrix persona), read by analysts, supervisors and system
administrators as well; every other role is told its role does not (403)."""

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

KEEPERS = ("hub_reviewer", "scrutiny_member")
READERS = (*KEEPERS, "analyst", "supervisor", "system_admin")

EXPECTATIONS = {
    "tension:events": {"": Expect(get=only(READERS, OK, others=FORBIDDEN))},
    "tension:event-new": {"": Expect(get=only(KEEPERS, OK, others=FORBIDDEN), write=only(KEEPERS, ACCEPTED, others=FORBIDDEN))},
}


def an_alert(m: object) -> dict[str, int]:
    from datetime import date

    from umbrella.tension.models import TensionAlert

    alert, _ = TensionAlert.objects.get_or_create(
        source="umbrella", period_start=date(2026, 1, 1), strand="race", sub_category="", area="london",
        defaults={"observed": 40, "expected": 20.0, "threshold": 31.0, "score": 1.8},
    )
    return {"alert_id": alert.pk}


EXPECTATIONS["tension:alerts"] = {"": Expect(get=only(READERS, OK, others=FORBIDDEN))}
EXPECTATIONS["tension:alert-acknowledge"] = {"": Expect(
    get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED), write=only(KEEPERS, ACCEPTED, others=FORBIDDEN), kwargs=an_alert,
)}
# An alert's own page: its series, counts only, for the same readers as the list.
EXPECTATIONS["tension:alert"] = {"": Expect(get=only(READERS, OK, others=FORBIDDEN), kwargs=an_alert)}

# The tension log: written by the advisory group and partners, read by them and by the register's
# readers. A report stays its organisation's own until shared: another writer gets 404 for it.
LOG_WRITERS = ("caseworker", "other_caseworker", "scrutiny_member")


def a_centre_report(m: object) -> dict[str, int]:
    from datetime import date

    from umbrella.tension.models import TensionReport

    caseworker = m.world.caseworker  # type: ignore[attr-defined]
    report, _ = TensionReport.objects.get_or_create(
        organisation_id=caseworker.organisation_id, author=caseworker, observed_on=date(2026, 1, 5),
        defaults={"area": "london", "strands": ["race"], "level": "elevated", "summary": ""},
    )
    return {"report_id": report.pk}


EXPECTATIONS["tension:log"] = {"": Expect(get=only((*READERS, *LOG_WRITERS), OK, others=FORBIDDEN))}
EXPECTATIONS["tension:report-new"] = {"": Expect(
    get=only(LOG_WRITERS, OK, others=FORBIDDEN), write=only(LOG_WRITERS, ACCEPTED, others=FORBIDDEN),
)}
EXPECTATIONS["tension:report-share"] = {"": Expect(
    get=every(NOT_ALLOWED, anonymous=NOT_ALLOWED),
    write=only(("caseworker",), ACCEPTED, others=FORBIDDEN, other_caseworker=NOT_FOUND, scrutiny_member=NOT_FOUND),
    kwargs=a_centre_report,
)}
# Hotspots: counts by borough judged against their history, for the register's readers.
EXPECTATIONS["tension:hotspots"] = {"": Expect(get=only(READERS, OK, others=FORBIDDEN))}
