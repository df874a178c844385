"""Problem profiles: an analyst makes one for an area, a strand and months, reads its figures,
writes the assessment as versions, and downloads it as an accessible PDF; all audited."""

from __future__ import annotations

import io
from datetime import date

import pikepdf
from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code, make_record, strand
from umbrella.audit.models import AuditEvent
from umbrella.cases.inputs import PersonInput
from umbrella.intelligence import actions
from umbrella.intelligence.models import ProblemProfile, ProfileVersion
from umbrella.statistics.forms import months_back
from umbrella.statistics.services import facts_rebuild


def test_an_analyst_makes_a_problem_profile_writes_it_and_downloads_it(world: World, client: Client) -> None:
    code("strand", "race", "Race")
    for _ in range(3):
        make_record(actor=world.officer, strands=[strand("race")], days_ago=40)
    for _ in range(2):  # the same suspect twice
        make_record(actor=world.officer, strands=[strand("race")], days_ago=45, people=[PersonInput(
            role="subject", given_name="Darren", family_name="Cole", date_of_birth=date(1988, 9, 9))])
    facts_rebuild(actor=None)
    today = timezone.localdate()
    first, last = months_back(today.replace(day=1), 6), months_back(today.replace(day=1), 2)
    client.force_login(world.analyst)
    made = client.post("/intelligence/profiles/", {"kind": "problem_profile", "area": "london", "strand": "race",
                                                   "first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}"},
                       follow=True)
    page = made.content.decode()
    profile = ProblemProfile.objects.get()
    assert made.redirect_chain[-1][0] == f"/intelligence/profiles/{profile.pk}/"
    assert f"Race, London: {first:%B %Y} to {last:%B %Y}" in page
    for caption in ("Records by month, beside a year before", "Outcomes: the attrition funnel", "Tension alerts",
                    "Trigger events", "Hotspots in", "Where they were reported"):
        assert caption in page, caption
    assert 'id="chart-profile"' in page
    repeats = page[page.index("Repeats (counts"):]
    repeats = repeats[:repeats.index("</table>")]
    assert "Suspects on two or more records</th>" in repeats and 'numeric">1</td>' in repeats and "Cole" not in repeats
    for text in ("Racist leafleting around the estate; patrols and schools work advised.", "Second thoughts."):
        client.post(f"/intelligence/profiles/{profile.pk}/write/", {"assessment": text, "recommendations": "Diversion work."})
    assert list(ProfileVersion.objects.filter(profile=profile).values_list("number", flat=True)) == [2, 1]
    assert "Racist" not in ProfileVersion.objects.get(number=1).assessment  # sealed under the force's key
    again = client.get(f"/intelligence/profiles/{profile.pk}/").content.decode()
    assert "Second thoughts." in again and "Version 2 of 2" in again
    pdf = client.get(f"/intelligence/profiles/{profile.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    with pikepdf.open(io.BytesIO(pdf.content)) as document:
        assert str(document.docinfo["/Title"]).startswith("Problem profile: Race, London")
        assert "/Outlines" in document.Root
    assert pdf.content == client.get(f"/intelligence/profiles/{profile.pk}/pdf/").content  # the same file
    assert AuditEvent.objects.filter(action=actions.PROFILE_CREATE).count() == 1
    assert AuditEvent.objects.filter(action=actions.PROFILE_VERSION).count() == 2
    assert AuditEvent.objects.filter(action=actions.PROFILE_DOWNLOAD).count() == 2


def test_bad_months_are_explained_and_another_organisations_product_does_not_exist(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    today = timezone.localdate()
    page = client.post("/intelligence/profiles/", {"kind": "problem_profile", "area": "london",
                                                   "first_month": f"{today:%Y-%m}", "last_month": f"{today:%Y-%m}"}).content.decode()
    assert "There is a problem" in page and "The last month must have ended" in page
    assert not ProblemProfile.objects.exists()
    theirs = ProblemProfile.objects.create(organisation=world.other_centre, kind="problem_profile", area="london",
                                           first_month=months_back(today, 3), last_month=months_back(today, 2),
                                           created_by=world.other_caseworker)
    assert client.get(f"/intelligence/profiles/{theirs.pk}/").status_code == 404
    assert client.get(f"/intelligence/profiles/{theirs.pk}/pdf/").status_code == 404
    client.force_login(world.officer)
    assert client.get("/intelligence/profiles/").status_code == 403
