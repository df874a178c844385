"""The centre-to-police hand-off is one journey: the police record is made from the shared report
without re-keying, the two records are linked, and the consent the victim gave the centre travels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tests.care.factories import give_consent, victim_service
from tests.conftest import World
from tests.factories import code
from tests.intake.factories import centre_report
from umbrella.care.services import referral_create
from umbrella.cases.models import Record, RecordLink
from umbrella.consent.models import ConsentScope
from umbrella.consent.selectors import consent_in_force, consents_carried
from umbrella.consent.services import consent_withdraw
from umbrella.intake.models import Report
from umbrella.intake.services import report_accept


@pytest.fixture(autouse=True)
def _evidence_root(settings: Any, tmp_path: Path) -> Path:
    settings.UMBRELLA_EVIDENCE_ROOT = tmp_path / "evidence"
    return Path(settings.UMBRELLA_EVIDENCE_ROOT)


def _shared_centre_record(world: World) -> tuple[Record, Report]:
    """A public report to the centre with two strands, accepted there, the victim consenting to
    share it with the police (identified) and to a referral to victim support."""
    code("strand", "religion", monitored=True)
    report = centre_report(
        world, strands=("race", "religion"),
        consents={"police_identified": True, "police_anonymised": False, "victim_support_referral": True},
    )
    record = report_accept(actor=world.caseworker, report=report, kind="hate_crime")
    referral = Report.objects.get(organisation=world.force, source_record=record)
    return record, referral


def test_the_police_record_is_made_from_the_shared_report_and_linked_both_ways(world: World) -> None:
    centre_record, referral = _shared_centre_record(world)
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    assert police_record.organisation == world.force
    assert sorted(police_record.strands.values_list("strand__code", flat=True)) == ["race", "religion"]
    assert police_record.people.count() == 1  # the victim's details came with the identified share
    link = RecordLink.objects.get()
    assert {link.from_record_id, link.to_record_id} == {police_record.pk, centre_record.pk}
    officer = Client()
    officer.force_login(world.officer)
    page = officer.get(reverse("cases:record-detail", args=[police_record.pk])).content.decode()
    assert f'href="{reverse("cases:record-detail", args=[centre_record.pk])}"' in page
    page = officer.get(reverse("cases:record-detail", args=[centre_record.pk])).content.decode()
    assert f'href="{reverse("cases:record-detail", args=[police_record.pk])}"' in page


def test_consent_given_at_the_centre_carries_a_referral_from_the_police_record(world: World) -> None:
    centre_record, referral = _shared_centre_record(world)
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    carried = consent_in_force(record=police_record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL)
    assert carried is not None and carried.record_id == centre_record.pk and carried.organisation == world.centre
    assert carried in consents_carried(record=police_record)
    made = referral_create(
        actor=world.officer, record=police_record, to_organisation=victim_service(),
        reason="Victim would like support",
    )
    assert made.consent_reference == carried.reference


def test_a_decision_recorded_on_the_police_record_wins(world: World) -> None:
    _, referral = _shared_centre_record(world)
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    give_consent(actor=world.officer, record=police_record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL,
                 decision="refused")
    assert consent_in_force(record=police_record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL) is None


def test_carried_consent_stops_when_the_victim_withdraws_sharing_with_the_police(world: World) -> None:
    centre_record, referral = _shared_centre_record(world)
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    consent_withdraw(actor=world.caseworker, record=centre_record, scope="police_identified", method="phone",
                     reason="Changed their mind")
    assert consent_in_force(record=police_record, scope=ConsentScope.VICTIM_SUPPORT_REFERRAL) is None
    with pytest.raises(ValidationError, match="has not consented"):
        referral_create(actor=world.officer, record=police_record, to_organisation=victim_service(),
                        reason="Victim would like support")


def test_the_caseworker_sees_and_is_told_what_became_of_the_report(
    world: World, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    centre_record, referral = _shared_centre_record(world)
    caseworker = Client()
    caseworker.force_login(world.caseworker)
    before = caseworker.get(reverse("cases:record-detail", args=[centre_record.pk])).content.decode()
    assert "Metropolitan Police Service received it on" in before and ": new." in before
    world.caseworker.email = "caseworker@centre.example"
    world.caseworker.save()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    after = caseworker.get(reverse("cases:record-detail", args=[centre_record.pk])).content.decode()
    assert f"recorded it as a hate crime, reference <strong>{police_record.reference}</strong>" in after
    # The caseworker still cannot open the police record itself.
    assert caseworker.get(reverse("cases:record-detail", args=[police_record.pk])).status_code == 404
    told = [m for m in mailoutbox if m.subject == "The police have recorded a report you shared"]
    assert len(told) == 1 and told[0].to == ["caseworker@centre.example"]
    assert police_record.reference not in told[0].body and "Zebedee" not in told[0].body


def test_the_officer_sees_where_the_carried_consent_was_given(world: World) -> None:
    _, referral = _shared_centre_record(world)
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    officer = Client()
    officer.force_login(world.officer)
    page = officer.get(reverse("cases:record-detail", args=[police_record.pk])).content.decode()
    assert "Consent carried from where it was given" in page
    assert f"Refer me to victim support: given to {world.centre.name} on" in page


def test_the_officer_records_it_from_the_triage_queue_without_re_keying(world: World) -> None:
    centre_record, referral = _shared_centre_record(world)
    officer = Client()
    officer.force_login(world.officer)
    queue = officer.get(reverse("intake:triage")).content.decode()
    assert f"Shared by {world.centre.name} on the victim's consent" in queue
    detail = officer.get(reverse("intake:report-detail", args=[referral.pk])).content.decode()
    assert "Record as a police crime or incident" in detail
    assert f'href="{reverse("cases:record-detail", args=[centre_record.pk])}"' in detail
    accept_url = reverse("intake:report-accept", args=[referral.pk])
    page = officer.get(accept_url).content.decode()
    race, religion = (code("strand", c).label for c in ("race", "religion"))
    assert f"{race}, {religion}, perceived by victim" in page
    assert "Victim: Zebedee Quartermaine" in page and "Westminster" in page
    response = officer.post(accept_url, {"kind": "hate_crime"})
    police_record = Record.objects.get(organisation=world.force)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:record-detail", args=[police_record.pk])
    assert police_record.strands.count() == 2 and police_record.borough is not None


def test_what_the_centre_added_in_triage_goes_to_the_police(world: World) -> None:
    code("strand", "disability", monitored=True)
    code("borough", "E09000014", "Haringey", gss="E09000014")
    report = centre_report(world, borough_code="", consents={"police_identified": True})
    record = report_accept(actor=world.caseworker, report=report, kind="hate_crime", borough_code="E09000033",
                           strand_codes=["disability"])
    referral = Report.objects.get(organisation=world.force, source_record=record)
    police_record = report_accept(actor=world.officer, report=referral, kind="hate_crime")
    assert police_record.borough is not None and police_record.borough.code == "E09000033"
    assert sorted(police_record.strands.values_list("strand__code", flat=True)) == ["disability", "race"]
