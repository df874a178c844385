"""Minimum standards by borough: each borough against the overall level, with funnel-plot limits."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.utils import timezone

from tests.conftest import World
from tests.factories import code
from tests.statistics.test_facts import committed, london  # noqa: F401  (the same small London)
from umbrella.reference.selectors import current_codes
from umbrella.statistics.standards import HIGH, LOW, NEAR_LOW, NO_CASES, WITHIN, band_of, limits


def test_the_limits_narrow_as_a_borough_grows_and_only_a_wide_gap_is_beyond_chance() -> None:
    small, large = limits(10, 0.5, 0.998), limits(1000, 0.5, 0.998)
    assert small[0] < large[0] < 50 < large[1] < small[1]
    # Two in ten against a level of a half is within chance; twenty in a hundred is not.
    assert band_of(2, 10, 0.5)[0] == WITHIN
    assert band_of(20, 100, 0.5)[0] == LOW
    assert band_of(80, 100, 0.5)[0] == HIGH
    assert band_of(38, 100, 0.5)[0] == NEAR_LOW  # outside the 95% limits, inside the 99.8%
    assert band_of(0, 0, 0.5) == (NO_CASES, None, None)


def test_a_scrutiny_member_compares_the_boroughs_on_a_measure(
    world: World, london: dict[str, Any], client: Client  # noqa: F811
) -> None:
    code("borough", "E09000001", "City of London", gss="E09000001")
    client.force_login(world.scrutiny_member)
    dashboard = client.get("/statistics/").content.decode()
    assert 'href="/statistics/standards/"' in dashboard
    month = timezone.localtime(london["two_strands"].reported_at)
    query = f"from_month={month:%Y-%m}&to_month={month:%Y-%m}"
    page = client.get(f"/statistics/standards/?{query}")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Minimum standards by borough" in text and 'id="chart-standards"' in text
    assert "Tower Hamlets" in text and "City of London" in text
    assert NO_CASES in text  # the City had no records
    # Unless one is chosen, the first share with cases to measure: here the police crimes with an outcome.
    assert '<option value="outcomes-police-crimes-with-an-outcome" selected>' in text
    assert '<option value="hub-review-reviewed-within-one-working-day">' in text
    csv_text = client.get(f"/statistics/standards/?{query}&measure=outcomes-charged-or-summonsed&format=csv")
    lines = csv_text.content.decode().splitlines()
    assert lines[0] == "borough,label,count,out_of,percent,lower_95,upper_95,lower_998,upper_998,band"
    assert len(lines) == 1 + len(current_codes(scheme="borough"))  # every borough, one line each
    assert "E09000030,Tower Hamlets,1,1,100.0," in lines[1]
    for record in london.values():
        assert record.reference not in text


def test_a_wrong_measure_or_month_is_explained(world: World, client: Client) -> None:
    client.force_login(world.analyst)
    text = client.get("/statistics/standards/?measure=nonsense&from_month=2026-13").content.decode()
    assert "There is a problem" in text
    assert "Enter the month as a year and month" in text
    assert "Select a valid choice" in text


def test_roles_without_statistics_are_refused(world: World, client: Client) -> None:
    client.force_login(world.officer)
    assert client.get("/statistics/standards/").status_code == 403
