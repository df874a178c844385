"""The public journey: one question per page, errors, back links, check answers, sending."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import World
from tests.reporting.factories import ANSWERS, reference_data, start, walk
from umbrella.consent.models import ConsentRecord
from umbrella.intake.models import Report
from umbrella.reporting import steps
from umbrella.reporting.models import ReportDraft

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reference(world: World) -> None:
    reference_data()


def test_start_page_is_public_uncached_and_has_quick_exit(client: Client) -> None:
    response = client.get(reverse("reporting:start"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Exit this page" in page
    assert reverse("reporting:exit") in page
    assert "Return to a saved report" in page


def test_step_without_a_draft_goes_to_the_start(client: Client) -> None:
    response = client.get(reverse("reporting:step", args=["what"]))
    assert response.status_code == 302 and response["Location"] == reverse("reporting:start")


@pytest.mark.parametrize(
    ("slug", "data", "message"),
    [
        ("who", {}, "Select who is reporting"),
        ("who", {"reporter_role": "organisation"}, "Enter the name of the organisation"),
        ("what", {"narrative": "   "}, "Enter what happened"),
        ("when", {"day": "31", "month": "2", "year": "2024"}, "Date it happened must be a real date"),
        ("when", {"day": "1", "month": "1", "year": "2999"}, "Date it happened must be today or in the past"),
        ("where", {}, "Select whether it happened online"),
        ("where", {"is_online": "no"}, "Enter where it happened, a postcode or a borough"),
        ("where", {"is_online": "yes"}, "Select the website or app, or enter a link"),
        ("where", {"is_online": "yes", "online_link": "not a link at all"}, "Enter a link in the correct format"),
        ("why", {}, "Select at least one reason, or tell us in your own words"),
        ("offender", {}, "Select whether you know who did it"),
        ("contact", {}, "Select whether you want to give your contact details"),
        ("contact", {"anonymous": "no"}, "Enter an email address, phone number or postal address"),
        ("contact", {"anonymous": "no", "contact_email": "nope"}, "Enter an email address in the correct format"),
        ("destination", {}, "Select who should get your report"),
        ("destination", {"destination": "both"}, "Select a reporting centre"),
        ("consent", {}, "Select yes if we can count your report in statistics, or no"),
    ],
)
def test_each_step_explains_what_is_wrong(client: Client, slug: str, data: dict[str, str], message: str) -> None:
    start(client)
    response = client.post(reverse("reporting:step", args=[slug]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page


def test_every_step_has_a_back_link_to_the_one_before(client: Client) -> None:
    start(client)
    previous = reverse("reporting:start")
    for slug in steps.SLUGS:
        page = client.get(reverse("reporting:step", args=[slug])).content.decode()
        assert f'href="{previous}" class="govuk-back-link"' in page, slug
        previous = reverse("reporting:step", args=[slug])


def test_check_answers_lists_every_answer_with_change_links(client: Client) -> None:
    walk(client)
    response = client.get(reverse("reporting:check"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Two men shouted at me" in page
    assert "Tower Hamlets" in page and "Race or ethnicity" in page
    for slug in steps.SLUGS:
        assert f'{reverse("reporting:step", args=[slug])}?change=1' in page


def test_a_change_link_comes_back_to_check_answers(client: Client) -> None:
    walk(client)
    url = reverse("reporting:step", args=["what"]) + "?change=1"
    assert f'href="{reverse("reporting:check")}" class="govuk-back-link"' in client.get(url).content.decode()
    response = client.post(url, {"narrative": "Changed my mind about the wording."})
    assert response["Location"] == reverse("reporting:check")
    assert "Changed my mind" in client.get(reverse("reporting:check")).content.decode()


def test_check_answers_sends_you_back_to_a_step_you_skipped(client: Client) -> None:
    walk(client, until="why")
    response = client.get(reverse("reporting:check"))
    assert response["Location"] == reverse("reporting:step", args=["why"])


def test_sending_to_the_police_creates_one_report_with_consents(client: Client, world: World) -> None:
    walk(client)
    response = client.post(reverse("reporting:check"))
    assert response["Location"] == reverse("reporting:done")
    report = Report.objects.get()
    assert report.organisation == world.force
    assert report.channel == "online"
    assert report.client_address_hash and "127.0.0.1" not in report.client_address_hash
    page = client.get(reverse("reporting:done")).content.decode()
    assert report.reference in page
    assert ConsentRecord.objects.filter(report_reference=report.consent_key).count() == 6
    words = ConsentRecord.objects.filter(report_reference=report.consent_key, scope="statistics_only").get().words_shown
    assert words.startswith("Can we count your report in statistics?")
    assert not ReportDraft.objects.exists()


def test_sending_to_both_makes_one_copy_each_under_one_reference(client: Client, world: World) -> None:
    walk(client, destination={"destination": "both", "centre_slug": world.centre.slug})
    client.post(reverse("reporting:check"))
    reports = Report.objects.order_by("organisation__name")
    assert {r.organisation for r in reports} == {world.force, world.centre}
    assert len({r.reference for r in reports}) == 1


def test_sending_to_a_centre_only_gives_the_police_nothing(client: Client, world: World) -> None:
    walk(client, destination={"destination": "centre", "centre_slug": world.other_centre.slug},
         contact={"anonymous": "yes"})
    client.post(reverse("reporting:check"))
    report = Report.objects.get()
    assert report.organisation == world.other_centre
    assert report.is_anonymous


def test_the_centre_list_offers_only_active_reporting_centres(client: Client, world: World) -> None:
    start(client)
    page = client.get(reverse("reporting:step", args=["destination"])).content.decode()
    assert world.centre.name in page and world.other_centre.name in page
    assert world.force.name not in page and world.scrutiny_body.name not in page


def test_quick_exit_forgets_the_draft_in_this_browser(client: Client) -> None:
    start(client)
    response = client.get(reverse("reporting:exit"))
    assert response["Location"].startswith("https://www.bbc.co.uk/")
    assert client.get(reverse("reporting:step", args=["who"]))["Location"] == reverse("reporting:start")


def test_quick_exit_goes_where_the_deployment_says(client: Client, settings: Any) -> None:
    settings.UMBRELLA_QUICK_EXIT_URL = "https://www.example.org/news"
    assert client.get(reverse("reporting:exit"))["Location"] == "https://www.example.org/news"


def test_easy_read_uses_simpler_words(client: Client) -> None:
    start(client)
    page = client.get(reverse("reporting:step", args=["who"]) + "?easy=1").content.decode()
    assert "Who are you?" in page
    assert "Use the standard version" in page
    page = client.get(reverse("reporting:step", args=["who"]) + "?easy=0").content.decode()
    assert "Who is reporting?" in page


def test_answers_are_kept_when_you_go_back(client: Client) -> None:
    walk(client, until="words")
    page = client.get(reverse("reporting:step", args=["what"])).content.decode()
    assert ANSWERS["what"]["narrative"] in page


def test_journey_pages_use_a_bounded_number_of_queries(client: Client, django_assert_max_num_queries: Any) -> None:
    walk(client)
    with django_assert_max_num_queries(12):
        client.get(reverse("reporting:check"))
    with django_assert_max_num_queries(8):
        client.get(reverse("reporting:step", args=["what"]))


def test_why_takes_several_answers_for_compound_hate(client: Client) -> None:
    walk(client, until="why")
    page = client.get(reverse("reporting:step", args=["why"])).content.decode()
    assert 'name="strands" type="checkbox" value="race"' in page and 'type="radio"' not in page
    walk(client, why={"strands": ["race", "religion"], "strand_other_text": ""})
    client.post(reverse("reporting:check"))
    report = Report.objects.get()
    assert report.strand_codes == ["race", "religion"]


def test_the_account_shows_its_limit_as_people_type_and_a_longer_one_is_refused_never_cut(client: Client) -> None:
    start(client)
    page = client.get(reverse("reporting:step", args=["what"])).content.decode()
    assert 'data-module="govuk-character-count"' in page and 'data-maxlength="10000"' in page
    assert "You can enter up to 10000 characters" in page and 'aria-describedby="id_narrative-hint id_narrative-info"' in page
    assert "maxlength" not in page.split('name="narrative"')[1].split(">")[0]  # the browser does not cut a paste
    long_account = "x" * 10_001
    refused = client.post(reverse("reporting:step", args=["what"]), {"narrative": long_account})
    body = refused.content.decode()
    assert refused.status_code == 200 and "This answer must be 10000 characters or fewer. You entered 10001 characters." in body
    assert long_account in body  # every word kept for the person to shorten
