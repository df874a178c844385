"""Two triagers claim the same report at the same moment: exactly one wins (PostgreSQL row locks)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from tests.conftest import World
from tests.intake.factories import force_report
from umbrella.intake.models import Report, ReportStatus
from umbrella.intake.services import ClaimConflict, report_claim

pytestmark = pytest.mark.usefixtures("flushable_audit_table")


@pytest.mark.django_db(transaction=True)
def test_concurrent_claims_exactly_one_wins(world: World) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole-database writes; the race needs PostgreSQL row locks")
    report = force_report(world)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def claim(user: Any) -> None:
        barrier.wait()
        try:
            report_claim(actor=user, report=report)
            results.append("won")
        except ClaimConflict:
            results.append("lost")
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(u,)) for u in (world.officer, world.supervisor)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["lost", "won"]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.IN_TRIAGE


