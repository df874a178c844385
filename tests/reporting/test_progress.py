"""A reporter checks where their report has got to with its reference and the check code shown
once when they sent it: how far each organisation has got, never what the report says; a wrong
code and an unknown reference get the same answer."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.factories import code as code_row
from tests.reporting.factories import reference_data, walk
from umbrella.agencies.models import Organisation
from umbrella.audit.models import AuditEvent
from umbrella.cases.models import Record, RecordShare
from umbrella.consent.models import ConsentRecord
from umbrella.intake.models import OPEN_STATUSES, Report, ReportStatus
from umbrella.intake.services import WITHDRAWN_ONLINE, report_accept

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(world: World) -> None:
    reference_data()


def sent(client: Client, world: World) -> tuple[str, str]:
    walk(client, destination={"destination": "both", "centre_slug": world.centre.slug})
    client.post(reverse("reporting:check"))
    page = client.get(reverse("reporting:done")).content.decode()
    code = re.search(r'class="umbrella-check-code"[^>]*>([^<]+)<', page)
    assert code is not None, "the confirmation page shows the check code"
    return Report.objects.values_list("reference", flat=True).first() or "", code.group(1)


def test_the_check_code_is_shown_once_and_only_its_digest_is_kept(client: Client, world: World) -> None:
    reference, code = sent(client, world)
    assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
    assert "umbrella-check-code" not in client.get(reverse("reporting:done")).content.decode()
    digests = set(Report.objects.values_list("check_digest", flat=True))
    assert len(digests) == 1 and code not in next(iter(digests))


def test_the_reference_and_code_show_how_far_each_organisation_has_got_and_nothing_it_says(
    client: Client, world: World
) -> None:
    reference, code = sent(client, world)
    Report.objects.filter(organisation=world.centre).update(status=ReportStatus.IN_TRIAGE)
    # Typed as people type: lower case, spaces instead of hyphens.
    response = Client().post(reverse("reporting:progress"), {"reference": reference.lower(),
                                                              "code": code.lower().replace("-", " ")})
    page = response.content.decode()
    assert response.status_code == 200
    assert world.force.name in page and "Received. It is waiting to be read." in page
    assert world.centre.name in page and "Someone is reading it now." in page
    assert "Two men shouted at me" not in page and "Tower Hamlets" not in page


def test_a_wrong_code_and_an_unknown_reference_get_the_same_answer(client: Client, world: World) -> None:
    reference, code = sent(client, world)
    wrong_code = Client().post(reverse("reporting:progress"), {"reference": reference, "code": "2222-2222-2222"})
    unknown = Client().post(reverse("reporting:progress"), {"reference": "UMB-ZZZZZZ", "code": code})

    def without_token(html: str) -> str:
        return re.sub(r"[A-Za-z0-9]{64}", "", html).replace(reference, "").replace(
            "UMB-ZZZZZZ", "").replace(code, "").replace("2222-2222-2222", "")

    assert wrong_code.status_code == unknown.status_code == 200
    assert "We cannot find a report with that reference number and check code" in wrong_code.content.decode()
    assert without_token(wrong_code.content.decode()) == without_token(unknown.content.decode())
    assert world.force.name not in wrong_code.content.decode()


def test_blank_answers_are_named_in_the_error_summary(client: Client) -> None:
    page = client.post(reverse("reporting:progress"), {}).content.decode()
    assert "There is a problem" in page
    assert "Enter your reference number" in page and "Enter your check code" in page


def _check(reference: str, code: str, **more: str) -> str:
    return Client().post(reverse("reporting:progress"), {"reference": reference, "code": code, **more}).content.decode()


def _copy_of(world: World, organisation: Organisation) -> int:
    return list(Report.objects.order_by("pk").values_list("organisation_id", flat=True)).index(organisation.pk)


def test_the_reporter_sees_what_they_agreed_each_organisation_may_do(client: Client, world: World) -> None:
    reference, code = sent(client, world)
    page = _check(reference, code)
    assert "What you agreed to" in page
    centre = _copy_of(world, world.centre)
    assert f'value="{centre}:police_identified"' in page and f'value="{centre}:statistics_only"' in page
    # The police's own copy: the report already went to them, so no police consent to take back.
    force = _copy_of(world, world.force)
    assert f'value="{force}:police_identified"' not in page and f'value="{force}:victim_support_referral"' in page


def test_withdrawing_online_before_triage_is_recorded_beside_the_consent_it_changes(client: Client, world: World) -> None:
    reference, code = sent(client, world)
    centre = _copy_of(world, world.centre)
    page = _check(reference, code, withdraw=f"{centre}:victim_support_referral")
    assert "We have recorded your answer" in page and f'value="{centre}:victim_support_referral"' not in page
    decisions = list(ConsentRecord.objects.filter(organisation=world.centre, scope="victim_support_referral")
                     .order_by("id").values_list("decision", "method", "captured_by"))
    assert decisions == [("given", "online", None), ("withdrawn", "online", None)]
    assert AuditEvent.objects.filter(action="consent.withdraw", actor__isnull=True).count() == 1


def test_withdrawing_police_consent_online_takes_the_report_away_from_the_police(client: Client, world: World) -> None:
    for perceiver in ("victim", "witness", "third_party"):
        code_row("perceiver", perceiver)
    reference, code = sent(client, world)
    centre_copy = Report.objects.get(organisation=world.centre)
    record = report_accept(actor=world.caseworker, report=centre_copy, kind="hate_crime")
    share = RecordShare.objects.active().get(record=record, organisation=world.force)
    assert share.scope == "full" and Record.objects.visible_to(world.officer).filter(pk=record.pk).exists()
    centre = _copy_of(world, world.centre)

    # Not with their details any more, but still without them: the full share becomes anonymised.
    _check(reference, code, withdraw=f"{centre}:police_identified")
    assert list(RecordShare.objects.active().filter(record=record).values_list("scope", flat=True)) == ["anonymised"]
    share.refresh_from_db()
    assert share.revoked_at is not None and share.revoked_by is None

    page = _check(reference, code, withdraw=f"{centre}:police_anonymised")
    assert "We have recorded your answer" in page
    assert not RecordShare.objects.active().filter(record=record).exists()
    assert not Record.objects.visible_to(world.officer).filter(pk=record.pk).exists()
    assert not Report.objects.filter(organisation=world.force, source_record=record, status__in=OPEN_STATUSES).exists()
    assert ConsentRecord.objects.filter(record=record, decision="withdrawn", note=WITHDRAWN_ONLINE).count() == 2


@pytest.mark.parametrize("tampered", ["9:police_identified", "0:not_a_scope", "x:police_identified", "-1:police_identified"])
def test_a_withdrawal_that_names_nothing_in_force_changes_nothing(client: Client, world: World, tampered: str) -> None:
    reference, code = sent(client, world)
    before = ConsentRecord.objects.count()
    page = _check(reference, code, withdraw=tampered)
    assert "We have recorded your answer" not in page and ConsentRecord.objects.count() == before


def test_a_withdrawal_with_a_wrong_code_gets_the_wrong_code_answer_and_changes_nothing(client: Client, world: World) -> None:
    reference, code = sent(client, world)
    before = ConsentRecord.objects.count()
    page = _check(reference, "2222-2222-2222", withdraw=f"{_copy_of(world, world.centre)}:police_identified")
    assert "We cannot find a report with that reference number and check code" in page
    assert "What you agreed to" not in page and ConsentRecord.objects.count() == before
