"""The statistics page: the scrutiny member's way in, counts only, each table as CSV."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.statistics.test_facts import committed, london  # noqa: F401  (the same small London)


def test_a_scrutiny_member_finds_statistics_from_home_and_sees_counts_not_people(
    world: World, london: dict[str, Any], client: Client  # noqa: F811
) -> None:
    client.force_login(world.scrutiny_member)
    home = client.get("/").content.decode()
    assert '<a class="govuk-link" href="/statistics/">Statistics</a>' in home
    month = timezone.localtime(london["two_strands"].reported_at)
    page = client.get(f"/statistics/?from_month={month:%Y-%m}&to_month={month:%Y-%m}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Hate crimes and non-crime hate incidents: 3 reported from" in text
    assert "Race" in text and "Tower Hamlets" in text and "Reported to the police" in text
    assert "Police force" in text and "Third-party reporting centre" in text  # how much comes from partners
    assert "the victim&#x27;s ethnicity" in text.lower() or "the victim's ethnicity" in text.lower()
    for record in london.values():
        assert record.reference not in text
    assert "Amina" not in text and "Okafor" not in text and "shouted at" not in text
    # The month, strand and borough tables are drawn too, each chart above the table of its figures.
    for name in ("month", "strand", "borough"):
        assert f'id="chart-{name}"' in text and text.index(f'id="chart-{name}"') < text.index(f'id="table-{name}"')
    assert 'alt="Bar chart of records by strand of hate. The table below gives the figures."' in text
    csv_text = client.get(f"/statistics/?from_month={month:%Y-%m}&to_month={month:%Y-%m}&format=csv&table=strand").content.decode()
    assert csv_text.splitlines()[0] == "strand,label,count"
    assert "race,Race,2" in csv_text.splitlines()
    assert client.get("/statistics/?format=csv&table=people").status_code == 404


def test_a_wrong_month_is_explained_and_the_default_period_is_the_last_twelve_full_months(
    world: World, client: Client
) -> None:
    client.force_login(world.analyst)
    text = client.get("/statistics/?from_month=2026-13").content.decode()
    assert "There is a problem" in text and "Enter the month as a year and month" in text
    default = client.get("/statistics/").content.decode()
    assert default.count('<th scope="row" class="govuk-table__header">') >= 12
    assert "Your organisation&#x27;s records are counted" in default or "Your organisation's records are counted" in default


def test_roles_without_statistics_are_told_so(world: World, client: Client) -> None:
    client.force_login(world.officer)
    assert client.get("/statistics/").status_code == 403
    assert "/statistics/" not in client.get("/").content.decode()
    client.logout()
    assert client.get("/statistics/").status_code == 302


def test_before_any_open_data_release_the_public_page_says_so(db: None, client: Client) -> None:
    text = client.get("/open-data/").content.decode()
    assert "Nothing has been published yet" in text and "govuk-exit-this-page__button" in text


def test_the_api_gives_the_same_counts_and_explains_bad_dimensions(
    world: World, london: dict[str, Any], client: Client  # noqa: F811
) -> None:
    client.force_login(world.scrutiny_member)
    body = client.get("/api/v1/statistics/?by=strand").json()
    assert {row["strand"]: row["count"] for row in body["rows"]} == {"race": 2, "religion": 1, "disability": 1}
    assert body["source"] == "umbrella" and "counts under each" in body["counting"]
    only_nchi = client.get("/api/v1/statistics/?by=is_online&kind=nchi").json()["rows"]
    assert only_nchi == [{"is_online": "yes", "count": 1}]
    bad = client.get("/api/v1/statistics/?by=postcode")
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert "Cannot count by postcode" in bad.content.decode()
    assert client.get("/api/v1/statistics/?from_month=November").status_code == 400
    client.force_login(world.officer)
    assert client.get("/api/v1/statistics/").status_code == 403


def test_other_crime_is_counted_only_when_asked_for(
    world: World, london: dict[str, Any], client: Client, committed: Any  # noqa: F811
) -> None:
    from tests.factories import make_record

    committed(lambda: make_record(actor=world.officer, kind="other_crime", strands=[]))
    client.force_login(world.scrutiny_member)
    month = timezone.localtime(london["two_strands"].reported_at)
    period = f"from_month={month:%Y-%m}&to_month={month:%Y-%m}"
    assert "non-crime hate incidents: 3 reported" in client.get(f"/statistics/?{period}").content.decode()
    other = client.get(f"/statistics/?{period}&kind=other_crime").content.decode()
    assert "Other crime (for comparison): 1 reported" in other
    assert "Hate crimes: 2 reported" in client.get(f"/statistics/?{period}&kind=hate_crime").content.decode()
