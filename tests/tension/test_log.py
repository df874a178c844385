"""The tension log: partners and the advisory group record what communities are saying; the
police see a report only once its author shares it, and nothing of it before."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code
from umbrella.audit.models import AuditEvent
from umbrella.tension import actions
from umbrella.tension.models import TensionReport
from umbrella.tension.services import tension_report_share


def _post(client: Client, **changes: str) -> str:
    today = timezone.localdate()
    data = {"observed_on_day": str(today.day), "observed_on_month": str(today.month), "observed_on_year": str(today.year),
            "area": "london", "strands": "religion", "level": "elevated",
            "summary": "Leaflets blaming the mosque are going round the estate; parents keep children home.", **changes}
    return client.post("/tension/log/new/", data, follow=True).content.decode()


def test_a_partner_logs_tension_that_the_police_see_only_once_shared(world: World) -> None:
    code("strand", "religion", "Religion or belief")
    partner, police, other_partner = Client(), Client(), Client()
    partner.force_login(world.caseworker)
    police.force_login(world.hub_reviewer)
    other_partner.force_login(world.other_caseworker)
    page = _post(partner)
    assert "only your organisation sees it until you share it" in page and "Leaflets blaming the mosque" in page
    report = TensionReport.objects.get()
    assert "Leaflets" not in report.summary  # sealed under the centre's key
    hidden = police.get("/tension/log/").content.decode()
    assert "Leaflets" not in hidden and "There are no reports you can see." in hidden
    assert "Leaflets" not in other_partner.get("/tension/log/").content.decode()
    assert other_partner.post(f"/tension/log/{report.pk}/share/").status_code == 404  # not even that it exists
    with pytest.raises(PermissionDenied):
        tension_report_share(actor=world.other_caseworker, report=report)
    shared = partner.post(f"/tension/log/{report.pk}/share/", follow=True).content.decode()
    assert "Report shared" in shared
    assert "Leaflets blaming the mosque" in police.get("/tension/log/").content.decode()
    assert "Leaflets blaming the mosque" in other_partner.get("/tension/log/").content.decode()
    assert AuditEvent.objects.filter(action=actions.TENSION_REPORT_RECORD).count() == 1
    assert AuditEvent.objects.filter(action=actions.TENSION_REPORT_SHARE).count() == 1
    assert AuditEvent.objects.filter(action="personal_data.read", actor=world.hub_reviewer).exists()


def test_a_bad_report_is_explained_and_nothing_is_saved(world: World) -> None:
    code("strand", "religion", "Religion or belief")
    client = Client()
    client.force_login(world.scrutiny_member)
    tomorrow = timezone.localdate() + timedelta(days=1)
    page = _post(client, summary=" ")
    assert "There is a problem" in page and "Enter what you are hearing in the community" in page
    page = _post(client, **{"observed_on_day": str(tomorrow.day), "observed_on_month": str(tomorrow.month),
                            "observed_on_year": str(tomorrow.year)})
    assert "There is a problem" in page and "The day must be today or in the past" in page
    assert not TensionReport.objects.exists()
    client.force_login(world.officer)
    assert client.get("/tension/log/").status_code == 403
