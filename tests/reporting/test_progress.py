"""A reporter checks where their report has got to with its reference and the check code shown
once when they sent it: how far each organisation has got, never what the report says; a wrong
code and an unknown reference get the same answer."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.reporting.factories import reference_data, walk
from umbrella.intake.models import Report, ReportStatus

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
